package imageseries

import (
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"qpgo/core/qperr"
)

// The sparse core with a backend of literal frames: checks, cast, densify,
// memoization (one read per frame under concurrent access).
func TestSparseCacheCore(t *testing.T) {
	frames := map[int][3]any{
		0: {[]uint16{0, 1, 1}, []uint16{2, 0, 2}, []int32{7, -1, 300}}, // cast to uint8 as numpy astype
		1: {[]uint16{0}, []uint16{3}, []uint8{1}},                      // column 3 of 3: out of range
		2: {[]uint16{0, 1}, []uint16{0}, []uint8{1, 2}},                // lengths differ
	}
	var reads atomic.Int32
	c := &sparseCache{}
	c.initSparse("test cache", 3, 2, 3, Uint8, Metadata{"a": 1.0}, func(i int, _ bool) ([]uint16, []uint16, any, error) {
		reads.Add(1)
		f := frames[i]
		return f[0].([]uint16), f[1].([]uint16), f[2], nil
	}, -1)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f, err := c.Frame(0)
			if err != nil || !reflect.DeepEqual(f.Data, []uint8{0, 0, 7, 255, 0, 44}) {
				t.Errorf("frame 0: %v %v", f, err)
			}
		}()
	}
	wg.Wait()
	if reads.Load() != 1 {
		t.Errorf("frame 0 read %d times", reads.Load())
	}
	r, err := c.Region(-3, Rect{1, 2, 0, 3})
	if err != nil || !reflect.DeepEqual(r.Data, []uint8{255, 0, 44}) {
		t.Errorf("region: %v %v", r, err)
	}
	dst := make([]uint8, 6)
	dst[1] = 9 // cleared by FrameInto
	if err := c.FrameInto(0, dst); err != nil || !reflect.DeepEqual(dst, []uint8{0, 0, 7, 255, 0, 44}) {
		t.Errorf("FrameInto: %v %v", dst, err)
	}
	if _, err := c.Frame(1); !qperr.Is(err, qperr.Integrity) || !strings.Contains(err.Error(), "test cache frame 1: index (0, 3) out of range for shape (2, 3)") {
		t.Errorf("frame 1: %v", err)
	}
	if _, err := c.Frame(2); !qperr.Is(err, qperr.Integrity) || !strings.Contains(err.Error(), "test cache frame 2: row/col/data lengths differ (2, 1, 2)") {
		t.Errorf("frame 2: %v", err)
	}
	if _, err := c.Frame(3); !qperr.Is(err, qperr.NotFound) {
		t.Errorf("frame 3: %v", err)
	}
	if c.Len() != 3 || !reflect.DeepEqual(c.Shape(), []int{2, 3}) || c.DType() != Uint8 || c.Metadata()["a"] != 1.0 {
		t.Error("header")
	}
}

func TestFrameCacheWriterShared(t *testing.T) {
	if _, _, err := cacheShape(mustArray(t, make([]uint8, 65537), []int{1, 65537})); err == nil || !strings.Contains(err.Error(), "too large for a frame cache") {
		t.Errorf("wide frame: %v", err)
	}
	var got []string
	warnSparsity(func(s string) { got = append(got, s) }, 4, 11, 10, 10)
	warnSparsity(func(s string) { got = append(got, s) }, 5, 10, 10, 10)
	if !reflect.DeepEqual(got, []string{"frame 4 is 89.00% sparse (cutoff is 90%)"}) {
		t.Errorf("warnings %q", got)
	}
	o := FrameCacheOptions{CacheFile: "c.npz"}
	if p := o.path("/d/x.yml"); p != "/d/c.npz" {
		t.Errorf("path %s", p)
	}
	r, c, d, err := keptPixels(Frame{2, 2, []float32{0.5, 3, 1, 2}}, 2, 2, Uint16, 1)
	if err != nil || !reflect.DeepEqual(r, []uint16{0, 1}) || !reflect.DeepEqual(c, []uint16{1, 1}) || !reflect.DeepEqual(d, []uint16{3, 2}) {
		t.Errorf("kept %v %v %v %v", r, c, d, err)
	}
}

func mustArray(t *testing.T, data any, shape []int) ImageSeries {
	s, err := NewArray(data, shape, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
