package flseries

import (
	"path/filepath"
	"slices"
	"testing"
)

// TestReadAhead: iterating a read-only FLSeries and reading fl reads the
// next members' images ahead, with the values of a plain read.
func TestReadAhead(t *testing.T) {
	mem := synthSeries(t, 6, 10, 12, true)
	path := filepath.Join(t.TempDir(), "s.h5")
	w, err := NewFile(path, "w", nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var want [][]float64
	for f, err := range mem.All() {
		if err != nil {
			t.Fatal(err)
		}
		v, _, err := f.Fl()
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, v)
		if err := w.AddFLImage(f, ""); err != nil {
			t.Fatal(err)
		}
	}
	mem.Close()
	w.Close()
	r, err := Open(path, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	i := 0
	for f, err := range r.All() {
		if err != nil {
			t.Fatal(err)
		}
		if ahead := f.FluorescenceData().ReadingAhead(); ahead != (i >= 1) {
			t.Errorf("member %d: read ahead %v", i, ahead)
		}
		if v, _, err := f.Fl(); err != nil || !slices.Equal(v, want[i]) {
			t.Fatalf("member %d: %v", i, err)
		}
		i++
	}
	if i != len(want) {
		t.Fatalf("%d members", i)
	}
}
