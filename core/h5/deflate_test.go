package h5

import (
	"bytes"
	"compress/zlib"
	"path/filepath"
	"strings"
	"testing"

	"qpgo/core/qperr"
)

// A stored chunk that inflates to fewer bytes than the chunk holds (a
// damaged file) fails every libhdf5 read with a clean IO error: libhdf5's
// own deflate filter hands the short buffer on and the chunk's declared
// size is copied out of it (deflate.c).
func TestShortInflatingChunkIsAnError(t *testing.T) {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write(make([]byte, 100)) // 100 bytes where the chunk holds 64*64*8
	w.Close()
	for _, shuffle := range []bool{false, true} {
		p := filepath.Join(t.TempDir(), "short.h5")
		f, err := Open(p, "w")
		if err != nil {
			t.Fatal(err)
		}
		o := CreateOptions{Chunks: []int{64, 64}, Compress: true, Deflate: 4, Shuffle: shuffle}
		if err := f.Root().CreateDatasetChunk("x", Float64, []int{64, 64}, o, z.Bytes(), 0); err != nil {
			if qperr.Is(err, qperr.BadArgument) && shuffle {
				f.Close()
				continue // shuffled one-chunk datasets are not written raw
			}
			t.Fatal(err)
		}
		f.Close()
		f, err = Open(p, "r")
		if err != nil {
			t.Fatal(err)
		}
		g := f.Root()
		_, _, err = g.ReadDataset("x")
		if !qperr.Is(err, qperr.IO) || !strings.Contains(err.Error(), "does not") || !strings.Contains(err.Error(), p) {
			t.Errorf("shuffle %v: ReadDataset: %v", shuffle, err)
		}
		out := make([]float64, 10*64)
		err = g.ReadSlab("x", []int{3, 0}, []int{10, 64}, out)
		if !qperr.Is(err, qperr.IO) || !strings.Contains(err.Error(), "does not inflate to its 32768 bytes") {
			t.Errorf("shuffle %v: ReadSlab: %v", shuffle, err)
		}
		f.Close()
	}
}

// Datasets written through libhdf5's filter path read back unchanged (the
// replacement filter stores what libhdf5's stores and reads every chunk of
// the size it knows), for chunks of several shapes, with and without
// shuffle and Fletcher-32, edge chunks included.
func TestDeflateFilterRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "rt.h5")
	f, err := Open(p, "w")
	if err != nil {
		t.Fatal(err)
	}
	data := make([]uint16, 37*53)
	for i := range data {
		data[i] = uint16(i * 7 % 1000)
	}
	opts := map[string]CreateOptions{
		"plain":   {Chunks: []int{10, 16}, Compress: true, Deflate: 9},
		"shuffle": {Chunks: []int{37, 8}, Compress: true, Deflate: 1, Shuffle: true},
		"checked": {Chunks: []int{5, 53}, Compress: true, Deflate: 6, Fletcher32: true, MaxShape: []int{-1, 53}},
	}
	for name, o := range opts {
		if err := f.Root().CreateDataset(name, Uint16, []int{37, 53}, data, o); err != nil {
			t.Fatal(name, err)
		}
	}
	f.Close()
	f, err = Open(p, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for name := range opts {
		got, _, err := f.Root().ReadDataset(name)
		if err != nil {
			t.Fatal(name, err)
		}
		for i, v := range got.([]uint16) {
			if v != data[i] {
				t.Fatalf("%s: element %d = %d, want %d", name, i, v, data[i])
			}
		}
		row := make([]uint16, 53)
		if err := f.Root().ReadSlab(name, []int{36, 0}, []int{1, 53}, row); err != nil || row[52] != data[36*53+52] {
			t.Fatalf("%s: last row: %v %v", name, row[52], err)
		}
	}
}
