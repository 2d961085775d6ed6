package imageseries

import (
	"path/filepath"
	"strings"
	"testing"

	"qpgo/core/qperr"
	"qpgo/internal/limits"
)

// TestPerOpenBudget: the "max_alloc_bytes" option bounds the opens of every
// file format (issue 18): a frame beyond it is refused at open with an IO
// error naming the object and both sizes, and 0 or no option falls back to
// the process-wide budget.
func TestPerOpenBudget(t *testing.T) {
	dir := t.TempDir()
	data := make([]uint16, 3*20*30)
	for i := range data {
		data[i] = uint16(i % 7)
	}
	src, err := NewArray(data, []int{3, 20, 30}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h5name := filepath.Join(dir, "s.h5")
	if err := Write(src, h5name, "hdf5", Options{"path": "g"}); err != nil {
		t.Fatal(err)
	}
	fch5 := filepath.Join(dir, "s.fch5")
	if err := Write(src, fch5, "frame-cache", Options{"threshold": 0, "style": "fch5", "warn": func(string) {}}); err != nil {
		t.Fatal(err)
	}
	npz := filepath.Join(dir, "s.npz")
	if err := Write(src, npz, "frame-cache", Options{"threshold": 0, "style": "npz", "warn": func(string) {}}); err != nil {
		t.Fatal(err)
	}
	const frame = 20 * 30 * 2 // bytes of one uint16 frame
	cases := []struct {
		name, file, format string
		opts               Options
		what               string
	}{
		{"hdf5", h5name, "hdf5", Options{"path": "g"}, "frame of shape (20, 30)"},
		{"fch5", fch5, "frame-cache", Options{"style": "fch5"}, "frame of shape (20, 30)"},
		{"npz", npz, "frame-cache", Options{"style": "npz"}, "frame"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			with := func(b any) Options {
				o := Options{}
				for k, v := range c.opts {
					o[k] = v
				}
				if b != nil {
					o["max_alloc_bytes"] = b
				}
				return o
			}
			_, err := Open(c.file, c.format, with(float64(frame-1)))
			if !qperr.Is(err, qperr.IO) || !strings.Contains(err.Error(), c.what) ||
				!strings.Contains(err.Error(), "over the memory budget of 1199 bytes") {
				t.Fatalf("budget one byte short of a frame: %v", err)
			}
			for _, b := range []any{float64(frame), float64(0), nil} {
				s, err := Open(c.file, c.format, with(b))
				if err != nil {
					t.Fatalf("budget %v: %v", b, err)
				}
				f, err := s.Frame(2)
				if err != nil {
					t.Fatalf("budget %v: frame 2: %v", b, err)
				}
				if got := f.Data.([]uint16)[5]; got != data[2*600+5] {
					t.Errorf("budget %v: frame 2 pixel 5 = %d, want %d", b, got, data[2*600+5])
				}
				closeSeries(s)
			}
			if _, err := Open(c.file, c.format, with(float64(-1))); !qperr.Is(err, qperr.BadArgument) {
				t.Errorf("negative budget: %v", err)
			}
		})
	}
	// the process-wide budget applies where the open sets none
	old := limits.MaxAlloc()
	limits.SetMaxAlloc(frame - 1)
	defer limits.SetMaxAlloc(old)
	if _, err := Open(h5name, "hdf5", Options{"path": "g"}); !qperr.Is(err, qperr.IO) {
		t.Errorf("process-wide budget: %v", err)
	}
	// and a per-open budget may be larger than it
	s, err := Open(h5name, "hdf5", Options{"path": "g", "max_alloc_bytes": float64(frame)})
	if err != nil {
		t.Fatalf("per-open budget over the process-wide one: %v", err)
	}
	closeSeries(s)
}
