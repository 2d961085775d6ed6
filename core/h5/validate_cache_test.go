package h5

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The validation walk (a fork) runs once per file identity: not again for
// a file qpgo holds open even when its modification time changed, and
// again once nothing holds it and it changed.
func TestValidationOncePerIdentity(t *testing.T) {
	if validationOff {
		t.Skip("QPGO_VALIDATE=0")
	}
	p := writeCopy(t, t.TempDir())
	n0 := validations.Load()
	a, err := Open(p, "r")
	if err != nil {
		t.Fatal(err)
	}
	if got := validations.Load() - n0; got != 1 {
		t.Fatalf("first open: %d validations, want 1", got)
	}
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
	b, err := Open(p, "r")
	if err != nil {
		t.Fatal(err)
	}
	if got := validations.Load() - n0; got != 1 {
		t.Fatalf("open of a file held open: %d validations, want 1", got)
	}
	b.Close()
	a.Close()
	c, err := Open(p, "r")
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if got := validations.Load() - n0; got != 2 {
		t.Fatalf("reopen of a changed file nobody holds: %d validations, want 2", got)
	}
	d, err := Open(p, "r")
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	if got := validations.Load() - n0; got != 2 {
		t.Fatalf("reopen of an unchanged validated file: %d validations, want 2", got)
	}
}

// A file qpgo wrote keeps needing no walk when Rename moves it (the
// rename changes its ctime); a file that was never validated still gets
// one after Rename, and so does a written file renamed by os.Rename.
func TestRenameKeepsValidation(t *testing.T) {
	if validationOff {
		t.Skip("QPGO_VALIDATE=0")
	}
	dir := t.TempDir()
	write := func(name string) string {
		p := filepath.Join(dir, name)
		f, err := Open(p, "w")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Root().CreateDataset("d", Float64, []int{2}, []float64{1, 2}, CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		return p
	}
	opens := func(p string) int64 {
		n0 := validations.Load()
		f, err := Open(p, "r")
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		return validations.Load() - n0
	}
	a := write("a.tmp")
	if err := Rename(a, filepath.Join(dir, "a.h5")); err != nil {
		t.Fatal(err)
	}
	if n := opens(filepath.Join(dir, "a.h5")); n != 0 {
		t.Errorf("written file renamed with Rename: %d walks, want 0", n)
	}
	b := write("b.tmp")
	time.Sleep(10 * time.Millisecond) // a ctime of its own for the rename
	if err := os.Rename(b, filepath.Join(dir, "b.h5")); err != nil {
		t.Fatal(err)
	}
	if n := opens(filepath.Join(dir, "b.h5")); n != 1 {
		t.Errorf("written file renamed behind qpgo's back: %d walks, want 1", n)
	}
	c := writeCopy(t, dir) // bytes written by os.WriteFile: never validated
	if err := Rename(c, filepath.Join(dir, "c.h5")); err != nil {
		t.Fatal(err)
	}
	if n := opens(filepath.Join(dir, "c.h5")); n != 1 {
		t.Errorf("unvalidated file renamed: %d walks, want 1", n)
	}
	if err := Rename(filepath.Join(dir, "missing"), filepath.Join(dir, "x")); err == nil {
		t.Error("renaming a missing file: no error")
	}
}

// A plugin-filtered dataset storing more than deferMin bytes is not read in
// the walk of a small file: it is read in a child of its own before the
// first read through libhdf5's filters (once per file version), and never
// for a raw chunk read, for small datasets or deflate ones.
func TestDeferredDatasetValidation(t *testing.T) {
	if validationOff {
		t.Skip("QPGO_VALIDATE=0")
	}
	if !BloscAvailable() {
		t.Skip("libblosc not available")
	}
	p := filepath.Join(t.TempDir(), "d.h5")
	f, err := Open(p, "w")
	if err != nil {
		t.Fatal(err)
	}
	n := 1 << 20 // 2 MiB of random uint16: stored above deferMin
	big := make([]uint16, n)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range big {
		big[i] = uint16(r.Uint32())
	}
	blosc := &Filter{ID: FilterBlosc, Name: "blosc", Params: []uint{0, 0, 0, 0, 5, 1, 5}}
	g := f.Root()
	for _, c := range []struct {
		name string
		opt  CreateOptions
		data []uint16
	}{
		{"blosc_big", CreateOptions{Chunks: []int{1 << 18, 1}, Plugin: blosc}, big},
		{"blosc_small", CreateOptions{Chunks: []int{1000, 1}, Plugin: blosc}, big[:3000]},
		{"deflate_big", CreateOptions{Chunks: []int{1 << 18, 1}, Compress: true, Deflate: 1}, big},
	} {
		if err := g.CreateDataset(c.name, Uint16, []int{len(c.data), 1}, c.data, c.opt); err != nil {
			t.Fatal(c.name, err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	// as a file from elsewhere: a new modification time
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
	n0 := validations.Load()
	walks := func() int64 { return validations.Load() - n0 }
	f, err = Open(p, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g = f.Root()
	if walks() != 1 || !f.deferred {
		t.Fatalf("open: %d walks (deferred %v), want 1 with deferral", walks(), f.deferred)
	}
	b, err := g.BloscDataset("blosc_big")
	if err != nil || b == nil {
		t.Fatal(b, err)
	}
	if _, _, err := g.ReadChunks(b, [][]int{{0, 0}}); err != nil || walks() != 1 {
		t.Fatalf("raw chunk read: %v, %d walks, want 1", err, walks())
	}
	for _, name := range []string{"blosc_small", "deflate_big"} {
		if _, _, err := g.ReadDataset(name); err != nil || walks() != 1 {
			t.Fatalf("%s: %v, %d walks, want 1", name, err, walks())
		}
	}
	got := make([]uint16, 1000)
	for k := 0; k < 2; k++ {
		if err := g.ReadSlab("blosc_big", []int{5000, 0}, []int{1000, 1}, got); err != nil {
			t.Fatal(err)
		}
		if walks() != 2 {
			t.Fatalf("filtered read %d of the big Blosc dataset: %d walks, want 2", k, walks())
		}
	}
	for i, v := range got {
		if v != big[5000+i] {
			t.Fatalf("element %d: %d, want %d", i, v, big[5000+i])
		}
	}
	// a second open of the same file version reads it again without a walk
	f2, err := Open(p, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	if _, _, err := f2.Root().ReadDataset("blosc_big"); err != nil || walks() != 2 {
		t.Fatalf("reopened: %v, %d walks, want 2", err, walks())
	}
}
