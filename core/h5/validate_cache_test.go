package h5

import (
	"os"
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
