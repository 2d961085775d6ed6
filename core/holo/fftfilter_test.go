package holo

import (
	"testing"
)

// Clones share the spectrum, keep their own filter state and outlive the
// original; cached filter results are returned as independent copies.
func TestFFTFilterCloneAndCache(t *testing.T) {
	h := pinHologram(64, -0.23, -0.14)
	f, err := NewFFTFilter(h, 64, 64, true, 2)
	if err != nil {
		t.Fatal(err)
	}
	f.CacheResults()
	ref, err := OffAxisDetail(h, 64, 64, DefaultOAHOptions())
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.Clone()
	if err != nil {
		t.Fatal(err)
	}
	r1, err := OffAxisOn(f, DefaultOAHOptions())
	if err != nil {
		t.Fatal(err)
	}
	r1.Field[0] = 12345 // must not reach the cache
	f.Close()
	if _, err := OffAxisOn(f, DefaultOAHOptions()); err == nil {
		t.Fatal("closed FFTFilter accepted")
	}
	o := DefaultOAHOptions()
	o.InvertPhase = true
	r2, err := OffAxisOn(c, o)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range ref.Field {
		if r2.Field[i] != complex(real(v), -imag(v)) {
			t.Fatalf("clone field[%d] = %v, want conj(%v)", i, r2.Field[i], v)
		}
	}
	if u, m, err := c.Used(); err != nil || m != 128 || len(u) != 128*128 {
		t.Fatalf("clone fft_used: %d values, side %d, %v", len(u), m, err)
	}
	c.Close()
	if r, cc := c.Shape(); r != 0 || cc != 0 {
		t.Fatal("closed clone still has a shape")
	}
}
