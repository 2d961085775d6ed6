package h5

import (
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
