package h5

import (
	"path/filepath"
	"testing"
)

func TestSWMRBasics(t *testing.T) {
	p := filepath.Join(t.TempDir(), "s.h5")
	f, err := CreateLatest(p)
	if err != nil {
		t.Fatal(err)
	}
	root := f.Root()
	opt := CreateOptions{Chunks: []int{1, 3}, MaxShape: []int{-1, 3}, Shuffle: true, Compress: true, Deflate: 1}
	if err := root.CreateDataset("d", Float32, []int{0, 3}, nil, opt); err != nil {
		t.Fatal(err)
	}
	if f.SWMRMode() != NoSWMR {
		t.Errorf("mode before start: %v", f.SWMRMode())
	}
	if err := f.StartSWMRWrite(); err != nil {
		t.Fatal(err)
	}
	if f.SWMRMode() != SWMRWrite {
		t.Errorf("mode after start: %v", f.SWMRMode())
	}
	if n, err := root.AppendRow("d", []float64{1, 2, 3}); err != nil || n != 1 {
		t.Fatal(n, err)
	}
	chunk, err := EncodeShuffleDeflate([]float32{4, 5, 6}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := root.AppendChunk("d", chunk, 0); err != nil || n != 2 {
		t.Fatal(n, err)
	}
	if err := root.FlushDataset("d"); err != nil {
		t.Fatal(err)
	}
	r, err := OpenSWMRRead(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Root().Refresh("d"); err != nil {
		t.Fatal(err)
	}
	if n, _ := r.Root().Len0("d"); n != 2 {
		t.Errorf("len %d", n)
	}
	row := make([]float64, 3)
	if err := r.Root().ReadRow("d", 1, row); err != nil || row[0] != 4 || row[2] != 6 {
		t.Errorf("row %v %v", row, err)
	}
	if err := r.Root().ReadRow("d", 2, row); err == nil {
		t.Error("row past the end read")
	}
	r.Close()
	f.Close()
	if v, _ := SuperblockVersion(p); v != 3 {
		t.Errorf("superblock %d", v)
	}
	// An earliest-format file cannot be switched to SWMR.
	q := filepath.Join(t.TempDir(), "old.h5")
	g, _ := Open(q, "w")
	if err := g.StartSWMRWrite(); err == nil {
		t.Error("SWMR on an earliest-format file started")
	}
	g.Close()
	if v, _ := SuperblockVersion(q); v != 0 {
		t.Errorf("superblock %d", v)
	}
}
