package imageseries

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Frame caches opened from one unchanged file share their decoded frames
// (upstream's lru_cache of size 2 by path, mtime and size); a rewritten
// file is read again, and a third file pushes the oldest out.
func TestFrameCacheSharedMemo(t *testing.T) {
	dir := t.TempDir()
	want := func(frame, j int, add uint16) uint16 { return uint16((frame*42+j)%5)*10 + add }
	write := func(name string, add uint16) string {
		data := make([]uint16, 4*6*7)
		for i := range data {
			data[i] = uint16(i%5)*10 + add
		}
		src, _ := NewArray(data, []int{4, 6, 7}, nil)
		p := filepath.Join(dir, name)
		if err := Write(src, p, "frame-cache", Options{"threshold": 0, "style": "npz", "warn": func(string) {}}); err != nil {
			t.Fatal(err)
		}
		return p
	}
	open := func(p string) *FrameCache {
		s, err := Open(p, "frame-cache", nil)
		if err != nil {
			t.Fatal(err)
		}
		return s.(*FrameCache)
	}
	pa := write("a.npz", 0)
	a1, a2 := open(pa), open(pa)
	if a1.memo != a2.memo {
		t.Fatal("two opens of one file do not share their frames")
	}
	var wg sync.WaitGroup
	for _, c := range []*FrameCache{a1, a2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 4; i++ {
				f, err := c.Frame(i)
				if err != nil || f.Data.([]uint16)[6] != want(i, 6, 0) {
					t.Errorf("frame %d: %v %v", i, f.Data, err)
				}
			}
		}()
	}
	wg.Wait()
	a1.Close()
	if f, err := a2.Frame(3); err != nil || f.Data.([]uint16)[7] != want(3, 7, 0) {
		t.Fatalf("after the other cache closed: %v %v", f, err)
	}
	a2.Close()
	// rewritten (same size, later mtime): decoded again
	time.Sleep(10 * time.Millisecond)
	write("a.npz", 1)
	a3 := open(pa)
	if a3.memo == a1.memo {
		t.Fatal("a rewritten file shares the frames of the old one")
	}
	if f, err := a3.Frame(0); err != nil || f.Data.([]uint16)[6] != want(0, 6, 1) {
		t.Fatalf("rewritten file: %v %v", f, err)
	}
	// two more files: a3's entry is pushed out
	b, c := open(write("b.npz", 2)), open(write("c.npz", 3))
	if a4 := open(pa); a4.memo == a3.memo {
		t.Error("the least recently opened of three files is still shared")
	}
	b.Close()
	c.Close()
	os.Remove(pa)
}

// forgetSharedMemos empties the shared frame memos, so that a benchmark
// reopening one file times the decoding (as a first open does).
func forgetSharedMemos() {
	m := &sharedMemos
	m.Lock()
	m.keys, m.memos = [2]string{}, [2]*frameMemo{}
	m.Unlock()
}
