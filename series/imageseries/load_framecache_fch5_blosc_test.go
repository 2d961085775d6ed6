package imageseries

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"qpgo/core/h5"
	"qpgo/core/qperr"
	"qpgo/internal/npy"
)

// denseThreshold is the frame-cache content of frame i of s: pixels > th.
func denseThreshold(t *testing.T, s ImageSeries, i int, th uint16) []uint16 {
	t.Helper()
	f, err := s.Frame(i)
	if err != nil {
		t.Fatal(err)
	}
	out := slices.Clone(f.Data.([]uint16))
	for k, v := range out {
		if v <= th {
			out[k] = 0
		}
	}
	return out
}

func withDirectBlosc(on bool, f func()) {
	old := useDirectBlosc
	useDirectBlosc = on
	defer func() { useDirectBlosc = old }()
	f()
}

// TestFCH5DirectBlosc writes fch5 caches with Blosc chunks compressed in
// Go (direct) and by the HDF5 plugin, and reads each both ways. The series
// is big enough for h5py's chunk guess to split "indices" into one-column
// chunks, the layout of real caches.
func TestFCH5DirectBlosc(t *testing.T) {
	if !h5.BloscAvailable() {
		t.Skip("libblosc not available")
	}
	src := genSeries{3, 256, 256}
	dir := t.TempDir()
	files := map[bool]string{}
	for _, direct := range []bool{true, false} {
		p := filepath.Join(dir, map[bool]string{true: "direct.fch5", false: "plugin.fch5"}[direct])
		withDirectBlosc(direct, func() {
			if err := WriteFrameCache(src, p, FrameCacheOptions{Threshold: 200, Style: "fch5"}); err != nil {
				t.Fatal(err)
			}
		})
		files[direct] = p
	}
	a, _ := os.ReadFile(files[true])
	b, _ := os.ReadFile(files[false])
	if len(a) != len(b) {
		// same libblosc, same parameters: the chunks are the filter's bytes
		t.Errorf("direct file %d bytes, plugin file %d bytes", len(a), len(b))
	}
	for _, p := range files {
		for _, direct := range []bool{true, false} {
			withDirectBlosc(direct, func() {
				c, err := OpenFCH5(p, "")
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				if got := c.index.direct != nil; got != direct {
					t.Fatalf("direct reads %v, want %v", got, direct)
				}
				if direct && c.index.direct.cw != 1 {
					t.Errorf("indices chunks %v, want one column", c.index.direct.b.Chunks)
				}
				for i := range src.n {
					f, err := c.Frame(i)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(f.Data.([]uint16), denseThreshold(t, src, i, 200)) {
						t.Fatalf("%s frame %d differs (direct read %v)", p, i, direct)
					}
				}
			})
		}
	}
	// h5py with the Debian plugin reads the directly written chunks
	if !testing.Short() {
		var all []uint16
		for i := range src.n {
			all = append(all, denseThreshold(t, src, i, 200)...)
		}
		want := filepath.Join(dir, "want.npy")
		w, err := os.Create(want)
		if err != nil {
			t.Fatal(err)
		}
		if err := npy.Write(w, &npy.Array{Shape: []int{src.n, src.rows, src.cols}, Data: all}); err != nil {
			t.Fatal(err)
		}
		w.Close()
		if got := runH5py(t, "fch5", files[true], "", want); got != `{"version": 1}` {
			t.Errorf("h5py: %s", got)
		}
	}
}

// TestFCH5CorruptChunk overwrites a stored Blosc chunk with garbage: both
// read paths report an IO error.
func TestFCH5CorruptChunk(t *testing.T) {
	if !h5.BloscAvailable() {
		t.Skip("libblosc not available")
	}
	src := genSeries{2, 128, 128}
	p := filepath.Join(t.TempDir(), "c.fch5")
	if err := WriteFrameCache(src, p, FrameCacheOptions{Threshold: 200, Style: "fch5"}); err != nil {
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
	if err := f.Root().WriteChunks(b, [][]int{{0, 0}}, [][]byte{garbage}, []uint32{0}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, direct := range []bool{true, false} {
		withDirectBlosc(direct, func() {
			c, err := OpenFCH5(p, "")
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			_, err = c.Frame(0)
			if err == nil || qperr.KindOf(err) != qperr.IO {
				t.Errorf("direct %v: corrupt chunk read gave %v", direct, err)
			}
		})
	}
}
