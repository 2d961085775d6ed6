package imageseries

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"qpgo/core/qperr"
)

// panicSeries panics when frame bad is read (on whichever goroutine reads it).
type panicSeries struct {
	genSeries
	bad int
}

func (p panicSeries) Frame(i int) (Frame, error) {
	if i == p.bad {
		var m map[int]int
		m[i] = 1 // nil map write
	}
	return p.genSeries.Frame(i)
}

// TestWorkerPanicIsInternalError: a panic on one of the package's worker
// goroutines (frames are read ahead by the writers) must come back as a
// qperr.Internal error of the call, not kill the process.
func TestWorkerPanicIsInternalError(t *testing.T) {
	src := panicSeries{genSeries{n: 12, rows: 8, cols: 10}, 5}
	dir := t.TempDir()
	for _, c := range []struct {
		format string
		opts   Options
	}{
		{"hdf5", Options{"path": "x"}},
		{"hdf5", Options{"path": "x", "gzip": 0.0}}, // libhdf5-filtered path
		{"frame-cache", Options{"threshold": 100.0, "warn": func(string) {}}},
		{"frame-cache", Options{"threshold": 100.0, "style": "fch5", "warn": func(string) {}}},
	} {
		err := Write(src, filepath.Join(dir, "out"), c.format, c.opts)
		if !qperr.Is(err, qperr.Internal) || !strings.Contains(err.Error(), "nil map") {
			t.Errorf("%s %v: %v", c.format, c.opts, err)
		}
	}
	// the same through the pixel-range workers of processing
	if runtime.GOMAXPROCS(0) < 2 {
		return
	}
	if err := parallelRange(1<<20, 1, func(lo, hi int) {
		if lo > 0 {
			panic("worker")
		}
	}); !qperr.Is(err, qperr.Internal) {
		t.Errorf("parallelRange: %v", err)
	}
}
