package imageseries

import (
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"qpgo/core/h5"
	"qpgo/core/qperr"
)

// TestFCH5ReadReusedBuffer reads frames of very different content into one
// buffer, never cleared by the caller: nothing of a frame may survive into
// the next (kept pixels at the first and last positions, a frame with no
// kept pixel, a dense one).
func TestFCH5ReadReusedBuffer(t *testing.T) {
	const rows, cols = 64, 48
	np := rows * cols
	data := make([]uint16, 4*np)
	for k := range np {
		data[k] = uint16(300 + k%700) // frame 0: every pixel kept
	}
	// frame 1: nothing kept
	data[2*np], data[3*np-1] = 500, 600 // frame 2: first and last pixels
	data[3*np+cols+1] = 201             // frame 3: one pixel
	src, err := NewArray(data, []int{4, rows, cols}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "c.fch5")
	if err := WriteFrameCache(src, p, FrameCacheOptions{Threshold: 200, Style: "fch5", Warn: func(string) {}}); err != nil {
		t.Fatal(err)
	}
	for _, direct := range []bool{true, false} {
		withDirectBlosc(direct, func() {
			c, err := OpenFCH5(p, "")
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			dst := make([]uint16, np)
			for _, i := range []int{0, 1, 0, 2, 0, 3, 1, 3, 2, 1} {
				if err := c.FrameInto(i, dst); err != nil {
					t.Fatal(err)
				}
				want := data[i*np : (i+1)*np]
				if !slices.Equal(dst, want) {
					t.Fatalf("direct %v: frame %d differs after reusing the buffer", direct, i)
				}
			}
		})
	}
}

// TestFillT checks the one-pass fill against clear plus scatterT, for
// kept pixels in order, out of order and repeated.
func TestFillT(t *testing.T) {
	const nr, nc = 5, 7
	for _, tc := range []struct {
		name     string
		row, col []uint16
	}{
		{"empty", nil, nil},
		{"ends", []uint16{0, 4}, []uint16{0, 6}},
		{"sorted", []uint16{0, 1, 1, 3}, []uint16{3, 0, 6, 2}},
		{"unsorted", []uint16{2, 0, 4, 1}, []uint16{1, 5, 6, 0}},
		{"repeated", []uint16{1, 1, 1, 3, 3}, []uint16{2, 2, 4, 0, 0}},
	} {
		vals := make([]int32, len(tc.row))
		for k := range vals {
			vals[k] = int32(10 + k)
		}
		sf := &sparseFrame{row: tc.row, col: tc.col, data: vals}
		want := make([]int32, nr*nc)
		scatterT(sf, Rect{0, nr, 0, nc}, nc, vals, want)
		got := make([]int32, nr*nc)
		for k := range got {
			got[k] = -1
		}
		fillSparse(sf, nc, got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: fill %v, want %v", tc.name, got, want)
		}
	}
}

// smallBlocks makes the fch5 reader use one chunk per block, so that the
// test series span many blocks, frames straddle blocks and read-ahead runs.
func smallBlocks(t *testing.T) {
	old := fch5Block
	fch5Block = 1
	t.Cleanup(func() { fch5Block = old })
}

// TestFCH5ReadBlocks reads a cache through many small blocks: forward
// (read-ahead), backward, and from several goroutines at once, and closes
// caches with read-aheads in flight.
func TestFCH5ReadBlocks(t *testing.T) {
	if !h5.BloscAvailable() {
		t.Skip("libblosc not available")
	}
	smallBlocks(t)
	src := genSeries{6, 256, 256}
	const th = 120 // about a third kept: many chunks
	p := filepath.Join(t.TempDir(), "c.fch5")
	if err := WriteFrameCache(src, p, FrameCacheOptions{Threshold: th, Style: "fch5", Warn: func(string) {}}); err != nil {
		t.Fatal(err)
	}
	want := make([][]uint16, src.n)
	for i := range want {
		want[i] = denseThreshold(t, src, i, th)
	}
	for _, direct := range []bool{true, false} {
		withDirectBlosc(direct, func() {
			c, err := OpenFCH5(p, "")
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if n := c.ids[len(c.ids)-1]; int(n) <= 2*c.data.block || int(n) <= 2*c.index.block {
				t.Fatalf("%d kept pixels in blocks of %d/%d: too few blocks", n, c.data.block, c.index.block)
			}
			straddle := false
			for i := range src.n {
				a, b := int(c.ids[2*i]), int(c.ids[2*i+1])
				straddle = straddle || a/c.index.block != (b-1)/c.index.block
			}
			if !straddle {
				t.Fatal("no frame spans two blocks")
			}
			var wg sync.WaitGroup
			for g := range 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					dst := make([]uint16, src.rows*src.cols)
					for k := range 2 * src.n {
						i := k % src.n
						if g == 1 {
							i = src.n - 1 - i
						}
						if err := c.FrameInto(i, dst); err != nil {
							t.Error(err)
							return
						}
						if !slices.Equal(dst, want[i]) {
							t.Errorf("direct %v: frame %d differs", direct, i)
							return
						}
					}
				}()
			}
			wg.Wait()
		})
	}
	// Close right after starting read-aheads
	for range 5 {
		c, err := OpenFCH5(p, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Frame(0); err != nil {
			t.Fatal(err)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFCH5CorruptChunkAhead corrupts a chunk that a read-ahead decodes: the
// other frames read, those in it report an IO error (again on a second
// attempt).
func TestFCH5CorruptChunkAhead(t *testing.T) {
	if !h5.BloscAvailable() {
		t.Skip("libblosc not available")
	}
	smallBlocks(t)
	src := genSeries{6, 256, 256}
	const th = 120 // about a third kept: many chunks
	p := filepath.Join(t.TempDir(), "c.fch5")
	if err := WriteFrameCache(src, p, FrameCacheOptions{Threshold: th, Style: "fch5", Warn: func(string) {}}); err != nil {
		t.Fatal(err)
	}
	f, err := h5.Open(p, "r+")
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.Root().BloscDataset("data")
	if err != nil || b == nil {
		t.Fatal("data is not a Blosc dataset", err)
	}
	garbage := []byte("\x02\x01\x13\x02\x00\x00\x02\x00\xff\xff\x00\x00\x20\x00\x00\x00not a blosc frame at all")
	c, err := OpenFCH5(p, "")
	if err != nil {
		t.Fatal(err)
	}
	ids := c.FrameIDs()
	c.Close()
	// the chunk where frame 3 starts: decoded ahead while frame 2 is read
	bad := int(ids[6]) / b.Chunks[0] * b.Chunks[0]
	if err := f.Root().WriteChunks(b, [][]int{{bad, 0}}, [][]byte{garbage}, []uint32{0}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	c, err = OpenFCH5(p, "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.data.block != b.Chunks[0] {
		t.Fatalf("blocks of %d rows, chunks of %d", c.data.block, b.Chunks[0])
	}
	dst := make([]uint16, src.rows*src.cols)
	hits := 0
	for i := range src.n {
		a, e := int(c.ids[2*i]), int(c.ids[2*i+1])
		hit := a < bad+b.Chunks[0] && e > bad
		if hit {
			hits++
		}
		for range 2 {
			err := c.FrameInto(i, dst)
			switch {
			case hit && qperr.KindOf(err) != qperr.IO:
				t.Errorf("frame %d in the corrupt chunk: %v", i, err)
			case !hit && err != nil:
				t.Errorf("frame %d: %v", i, err)
			case !hit && !slices.Equal(dst, denseThreshold(t, src, i, th)):
				t.Errorf("frame %d differs", i)
			}
		}
	}
	if hits == 0 || hits == src.n {
		t.Errorf("%d of %d frames in the corrupt chunk", hits, src.n)
	}
}
