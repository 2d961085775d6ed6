package imagedata

import (
	"path/filepath"
	"slices"
	"testing"

	"qpgo/core/h5"
)

// TestReadAhead: a read-ahead gives what Image reads (background
// included), is taken once, does nothing on a writable file, and a failed
// read-ahead makes Image report the error of a plain read.
func TestReadAhead(t *testing.T) {
	s := makeSet(24)
	p := filepath.Join(t.TempDir(), "ra.h5")
	f, err := h5.Open(p, "w")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Open(f.Root(), Phase, h5.Float32)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteRaw(s.raw, s.shape); err != nil {
		t.Fatal(err)
	}
	if err := d.SetBG("data", s.bg, s.shape, nil); err != nil {
		t.Fatal(err)
	}
	want, _, err := d.Image()
	if err != nil {
		t.Fatal(err)
	}
	d.ReadAhead()
	if d.ReadingAhead() {
		t.Error("read-ahead on a writable file")
	}
	// a group without raw: Image fails
	bad, err := Open(f.Root(), Amplitude, h5.Float32)
	if err != nil {
		t.Fatal(err)
	}
	_, _, wantErr := bad.Image()
	if wantErr == nil {
		t.Fatal("no error without raw")
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	f, err = h5.Open(p, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, _ = Open(f.Root(), Phase, h5.Float32)
	if d.ImageRead() {
		t.Error("ImageRead before Image")
	}
	d.ReadAhead()
	d.ReadAhead() // a second call while one is pending: no-op
	if !d.ReadingAhead() {
		t.Fatal("no read-ahead on a read-only file")
	}
	for k := 0; k < 2; k++ { // read-ahead, then a plain read
		got, shape, err := d.Image()
		if err != nil || !slices.Equal(got, want) || !slices.Equal(shape, s.shape) {
			t.Fatalf("read %d: %v, shape %v", k, err, shape)
		}
		if d.ReadingAhead() || !d.ImageRead() {
			t.Fatalf("read %d: read-ahead not taken", k)
		}
	}
	d.ReadAhead()
	d.DropAhead()
	if d.ReadingAhead() {
		t.Error("DropAhead left the read")
	}
	bad, _ = Open(f.Root(), Amplitude, h5.Float32)
	bad.ReadAhead()
	if _, _, err := bad.Image(); err == nil || err.Error() != wantErr.Error() {
		t.Errorf("failed read-ahead: %v, want %v", err, wantErr)
	}
}
