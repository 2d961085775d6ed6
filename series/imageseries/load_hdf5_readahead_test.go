package imageseries

import (
	"fmt"
	"math/rand"
	"path/filepath"
	"sync"
	"testing"

	"qpgo/internal/npy"
)

// TestHDF5ChunkReads: frames stored one per chunk are decoded in Go (raw
// chunk reads, read-ahead); sequential, random, concurrent access and a
// Close with reads still running give libhdf5's frames.
func TestHDF5ChunkReads(t *testing.T) {
	src := genSeries{n: 17, rows: 33, cols: 20}
	dir := t.TempDir()
	for _, o := range []Options{
		{"path": "a"},                                // shuffle + gzip (Go)
		{"path": "a", "gzip": 0.0},                   // shuffle only
		{"path": "a", "shuffle": false, "gzip": 6.0}, // deflate only
		{"path": "a", "chunk_rows": 7.0},             // several chunks per frame: libhdf5
	} {
		out := filepath.Join(dir, fmt.Sprint(len(o), o["gzip"], o["chunk_rows"], o["shuffle"], ".h5"))
		if err := Write(src, out, "hdf5", o); err != nil {
			t.Fatal(err)
		}
		check := func(s *HDF5Series, i int) {
			f, err := s.Frame(i)
			w, _ := src.Frame(i)
			if err != nil || fmt.Sprint(f.Data) != fmt.Sprint(w.Data) {
				t.Errorf("%v frame %d: %v", o, i, err)
			}
		}
		s, err := OpenHDF5(out, "a", "")
		if err != nil {
			t.Fatal(err)
		}
		if want := o["chunk_rows"] == nil; s.chunked != want {
			t.Errorf("%v: chunked %v", o, s.chunked)
		}
		for i := 0; i < src.n; i++ {
			check(s, i)
		}
		for _, i := range rand.New(rand.NewSource(1)).Perm(src.n) {
			check(s, i)
		}
		var wg sync.WaitGroup
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < src.n; i++ {
					check(s, i)
				}
			}()
		}
		wg.Wait()
		if s.slow.Load() {
			t.Errorf("%v: chunks not decoded in Go", o)
		}
		check(s, 0)
		check(s, 1) // read-ahead running
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Frame(2); err == nil {
			t.Error("frame of a closed series")
		}
	}
}

// TestOmegaOnHDF5: the (n, 2) omega attribute of an hdf5 series makes an
// OmegaSeries (the reader keeps the attribute's shape).
func TestOmegaOnHDF5(t *testing.T) {
	om := &npy.Array{Shape: []int{4, 2}, Data: []float64{0, 1, 1, 2, 2, 3, 5, 6}}
	src, _ := NewArray(make([]uint16, 4*3*2), []int{4, 3, 2}, Metadata{"omega": om})
	out := filepath.Join(t.TempDir(), "o.h5")
	if err := Write(src, out, "hdf5", Options{"path": "x"}); err != nil {
		t.Fatal(err)
	}
	s, err := OpenHDF5(out, "x", "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	os, err := NewOmegaSeries(s)
	if err != nil {
		t.Fatal(err)
	}
	if os.NWedges() != 2 {
		t.Errorf("wedges %d", os.NWedges())
	}
	if f, w := os.OmegaToFrame(5.5); f != 3 || w != 1 {
		t.Errorf("omega_to_frame(5.5) = %d, %d", f, w)
	}
}
