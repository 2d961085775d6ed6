package h5

import (
	"bytes"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"unsafe"
)

// TestBloscChunks stores chunks compressed by BloscCompress with
// WriteChunks and reads the dataset through libhdf5 (the filter plugin),
// and reads the plugin's chunks back with ReadChunks/BloscDecompress.
func TestBloscChunks(t *testing.T) {
	if !BloscAvailable() {
		t.Skip("libblosc not available")
	}
	f, err := Open(filepath.Join(t.TempDir(), "b.h5"), "w")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g := f.Root()
	blosc := &Filter{ID: FilterBlosc, Name: "blosc", Params: []uint{0, 0, 0, 0, 5, 1, 5}}
	opt := CreateOptions{Chunks: []int{1000, 1}, Plugin: blosc}
	if err := g.CreateDataset("a", Uint16, []int{2500, 1}, nil, opt); err != nil {
		t.Fatal(err)
	}
	b, err := g.BloscDataset("a")
	if err != nil || b == nil {
		t.Fatalf("BloscDataset: %v %v", b, err)
	}
	if b.TypeSize != 2 || b.CLevel != 5 || b.Shuffle != 1 || b.Compressor != 5 || b.ChunkBytes() != 2000 {
		t.Fatalf("parameters %+v", b)
	}
	r := rand.New(rand.NewPCG(3, 4))
	want := make([]uint16, 3000)
	for i := range want {
		want[i] = uint16(r.IntN(50))
	}
	for i := 1000; i < 2000; i++ {
		want[i] = uint16(r.Uint32()) // does not compress: stored raw
	}
	raw := unsafe.Slice((*byte)(unsafe.Pointer(&want[0])), 6000)
	var offs [][]int
	var chunks [][]byte
	var masks []uint32
	for k := 0; k < 3; k++ {
		c, m, err := b.BloscCompress(raw[2000*k : 2000*(k+1)])
		if err != nil {
			t.Fatal(err)
		}
		if (m == 1) != (k == 1) {
			t.Errorf("chunk %d: mask %d", k, m)
		}
		offs, chunks, masks = append(offs, []int{1000 * k, 0}), append(chunks, c), append(masks, m)
	}
	if err := g.WriteChunks(b, offs, chunks, masks); err != nil {
		t.Fatal(err)
	}
	got := make([]uint16, 2500)
	if err := g.ReadSlab("a", []int{0, 0}, []int{2500, 1}, got); err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("element %d: %d, want %d", i, got[i], want[i])
		}
	}
	// the other way: chunks written by the plugin, decoded here
	if err := g.WriteSlab("a", []int{0, 0}, []int{2500, 1}, want[:2500]); err != nil {
		t.Fatal(err)
	}
	stored, sm, err := g.ReadChunks(b, offs)
	if err != nil {
		t.Fatal(err)
	}
	for k := range stored {
		out := make([]byte, 2000)
		if err := b.BloscDecompress(stored[k], sm[k], out); err != nil {
			t.Fatal(err)
		}
		n := min(2000, 5000-2000*k)
		if !bytes.Equal(out[:n], raw[2000*k:2000*k+n]) {
			t.Errorf("chunk %d differs", k)
		}
	}
	// corrupt or truncated chunks are errors, not crashes
	c0 := stored[0]
	for _, bad := range [][]byte{nil, c0[:10], c0[:len(c0)-1], append(bytes.Clone(c0[:16]), make([]byte, len(c0)-16)...)} {
		if err := b.BloscDecompress(bad, 0, make([]byte, 2000)); err == nil {
			t.Errorf("corrupt chunk of %d bytes decoded", len(bad))
		}
	}
	// a dataset without Blosc is not taken
	if err := g.CreateDataset("p", Uint16, []int{10}, make([]uint16, 10), CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if nb, err := g.BloscDataset("p"); nb != nil || err != nil {
		t.Errorf("plain dataset: %v %v", nb, err)
	}
}

// FuzzBloscDecompress: arbitrary stored chunks decode or give an error.
func FuzzBloscDecompress(f *testing.F) {
	if !BloscAvailable() {
		f.Skip("libblosc not available")
	}
	b := &BloscInfo{Path: "/x", DType: Uint16, Shape: []int{512, 1}, Chunks: []int{512, 1}, TypeSize: 2, CLevel: 5, Shuffle: 1, Compressor: 5}
	raw := make([]byte, 1024)
	for i := range raw {
		raw[i] = byte(i / 7)
	}
	for _, comp := range []int{0, 1, 5} {
		b.Compressor = comp
		c, _, _ := b.BloscCompress(raw)
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, chunk []byte) {
		out := make([]byte, 1024)
		b.BloscDecompress(chunk, 0, out)
	})
}
