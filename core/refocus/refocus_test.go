package refocus

import (
	"math"
	"math/cmplx"
	"testing"

	"qpgo/core/qperr"
	"qpgo/internal/fixture"
)

func loadField(t *testing.T, c *fixture.Case, name string) ([]complex128, []int) {
	t.Helper()
	a := c.Array(t, name)
	v, err := a.Complex128()
	if err != nil {
		t.Fatal(err)
	}
	return v, a.Shape
}

func TestRefocusFixtures(t *testing.T) {
	for _, name := range fixture.Names(t, "refocus") {
		t.Run(name, func(t *testing.T) {
			c := fixture.Load(t, name)
			field, shape := loadField(t, c, "field")
			// upstream propagates qpi.field, i.e. amp·exp(i·pha) of the
			// float32-stored amplitude and (unwrapped) phase.
			for i, v := range field {
				a, p := float32(cmplx.Abs(v)), float32(cmplx.Phase(v))
				field[i] = cmplx.Rect(float64(a), float64(p))
			}
			var dist float64
			var kernel string
			var padding bool
			var meta map[string]any
			c.Param(t, "distance", &dist)
			c.Param(t, "kernel", &kernel)
			c.Param(t, "padding", &padding)
			c.Param(t, "meta_data", &meta)
			got, err := Refocus(field, shape[0], shape[1], dist, meta["wavelength"].(float64),
				meta["pixel size"].(float64), meta["medium index"].(float64), kernel, padding)
			if err != nil {
				t.Fatal(err)
			}
			c.CheckComplex(t, "field_refocused", got, shape)
			// Stored amplitude (float32) and phase modulo 2π (unwrapping and the
			// border offset are the QPImage layer's).
			amp := make([]float64, len(got))
			for i, v := range got {
				amp[i] = cmplx.Abs(v)
			}
			c.CheckFloat64(t, "raw_amp", amp, shape)
			want, _ := c.Float64(t, "raw_pha")
			worst := 0.0
			for i, v := range got {
				worst = math.Max(worst, math.Abs(math.Remainder(cmplx.Phase(v)-want[i], 2*math.Pi)))
			}
			if worst > 2e-6 {
				t.Errorf("phase mod 2π differs by %g", worst)
			}
			var id string
			c.Want(t, "identifier", &id)
			if g := Identifier(meta["identifier"].(string), kernel, dist); g != id {
				t.Errorf("identifier %q want %q", g, id)
			}
		})
	}
}

func TestPadFixture(t *testing.T) {
	c := fixture.Load(t, "refocus_pad_add")
	field, shape := loadField(t, c, "field")
	p, r, cc, err := PadAdd(field, shape[0], shape[1])
	if err != nil {
		t.Fatal(err)
	}
	c.CheckComplex(t, "padded", p, []int{r, cc})
	back, r2, c2, err := PadRem(p, r, cc)
	if err != nil {
		t.Fatal(err)
	}
	c.CheckComplex(t, "removed", back, []int{r2, c2})
}

func testField(n int) []complex128 {
	f := make([]complex128, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			x, y := float64(i-n/2), float64(j-n/2)
			r2 := x*x + y*y
			ph := 1.5 * math.Exp(-r2/(2*float64(n*n)/36))
			f[i*n+j] = cmplx.Rect(1-0.1*math.Exp(-r2/50), ph)
		}
	}
	return f
}

func TestKernelsDiffer(t *testing.T) {
	f := testField(64)
	h, err := Refocus(f, 64, 64, 10e-6, 550e-9, 1e-7, 1.335, "helmholtz", true)
	if err != nil {
		t.Fatal(err)
	}
	fr, err := Refocus(f, 64, 64, 10e-6, 550e-9, 1e-7, 1.335, "fresnel", true)
	if err != nil {
		t.Fatal(err)
	}
	d := 0.0
	for i := range h {
		d = math.Max(d, math.Abs(math.Remainder(cmplx.Phase(h[i])-cmplx.Phase(fr[i]), 2*math.Pi)))
	}
	if d < 1e-3 {
		t.Errorf("helmholtz and fresnel phases agree to %g", d)
	}
}

// Propagating by d and then by −d without padding multiplies the spectrum by
// K(d)·K(−d) = 1 for the Fresnel kernel and for all propagating Helmholtz
// components. With pixel size 0.5 µm at λ = 550 nm in n = 1.335,
// km = 7.6 rad/px exceeds the grid's largest |k| = π√2, so nothing is
// evanescent and the round trip is exact up to FFT rounding: 4 transforms
// of 64² values of modulus ~1 give errors ~1e-15; 1e-12 leaves margin.
func TestRoundTrip(t *testing.T) {
	f := testField(64)
	for _, k := range []string{"helmholtz", "fresnel"} {
		a, err := Refocus(f, 64, 64, 3e-6, 550e-9, 5e-7, 1.335, k, false)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Refocus(a, 64, 64, -3e-6, 550e-9, 5e-7, 1.335, k, false)
		if err != nil {
			t.Fatal(err)
		}
		worst := 0.0
		for i := range f {
			worst = math.Max(worst, cmplx.Abs(b[i]-f[i]))
		}
		if worst > 1e-12 {
			t.Errorf("%s: round trip error %g", k, worst)
		}
	}
}

func TestIdentifier(t *testing.T) {
	// Values of the spec's examples (Python's "%.5e").
	for _, c := range []struct {
		base, k string
		d       float64
		want    string
	}{
		{"abc", "helmholtz", -2.5e-6, "abc@h-2.50000e-06m"},
		{"abc", "fresnel", 1e-6, "abc@f1.00000e-06m"},
		{"", "helmholtz", 0, "@h0.00000e+00m"},
		{"x", "fresnel", 1.5e120, "x@f1.50000e+120m"},
	} {
		if g := Identifier(c.base, c.k, c.d); g != c.want {
			t.Errorf("Identifier(%q,%q,%g) = %q, want %q", c.base, c.k, c.d, g, c.want)
		}
	}
}

func TestBadInput(t *testing.T) {
	f := testField(8)
	cases := []struct {
		name string
		run  func() error
	}{
		{"shape", func() error { _, err := Refocus(f, 8, 7, 1e-6, 5e-7, 1e-7, 1, "helmholtz", false); return err }},
		{"empty", func() error { _, err := Refocus(nil, 0, 0, 1e-6, 5e-7, 1e-7, 1, "helmholtz", false); return err }},
		{"kernel", func() error { _, err := Refocus(f, 8, 8, 1e-6, 5e-7, 1e-7, 1, "kirchhoff", false); return err }},
		{"nan distance", func() error { _, err := Refocus(f, 8, 8, math.NaN(), 5e-7, 1e-7, 1, "fresnel", false); return err }},
		{"zero wavelength", func() error { _, err := Refocus(f, 8, 8, 1e-6, 0, 1e-7, 1, "fresnel", false); return err }},
		{"nan field", func() error {
			g := append([]complex128(nil), f...)
			g[3] = cmplx.NaN()
			_, err := Refocus(g, 8, 8, 1e-6, 5e-7, 1e-7, 1, "fresnel", true)
			return err
		}},
		{"padrem odd", func() error { _, _, _, err := PadRem(make([]complex128, 15), 3, 5); return err }},
	}
	for _, c := range cases {
		if err := c.run(); !qperr.Is(err, qperr.BadArgument) {
			t.Errorf("%s: err %v", c.name, err)
		}
	}
}

func BenchmarkRefocus512(b *testing.B) {
	f := testField(512)
	reportCPU(b, func() {
		if _, err := Refocus(f, 512, 512, 2e-6, 550e-9, 1.5e-7, 1.335, "helmholtz", true); err != nil {
			b.Fatal(err)
		}
	})
}

// TestWorkerPanic: a panic in a row worker (padding or kernel) is returned
// as an Internal error and no broken kernel is cached.
func TestWorkerPanic(t *testing.T) {
	n := 96
	field := make([]complex128, n*n)
	for i := range field {
		field[i] = cmplx.Exp(complex(0, float64(i%7)))
	}
	testPanic = true
	for _, pad := range []bool{false, true} {
		if _, err := Refocus(field, n, n, 1.5e-6, 550e-9, 0.13e-6, 1.333, "helmholtz", pad); !qperr.Is(err, qperr.Internal) {
			t.Errorf("padding %v: %v", pad, err)
		}
	}
	if _, _, _, err := PadAdd(field, n, n); !qperr.Is(err, qperr.Internal) {
		t.Errorf("PadAdd: %v", err)
	}
	testPanic = false
	if _, err := Refocus(field, n, n, 1.5e-6, 550e-9, 0.13e-6, 1.333, "helmholtz", false); err != nil {
		t.Fatal(err)
	}
}
