package holo

import (
	"math"
	"math/cmplx"
	"testing"
)

// Inputs that the fixtures do not cover, where qpgo once disagreed with
// qpretrieve 0.3.2 (scripts/compare/holo.py finds these). Expected values
// were computed by qpretrieve 0.3.2 (numpy interface) on the same
// noise-free inputs and are written here as literals.

// pinHologram is round(60·(1 + a² + 2a·cos(2π(fx·x + fy·y) + 2d))) for
// a disk d of radius n/5, a = 1 − 0.2d, x, y = index − n/2.
func pinHologram(n int, fx, fy float64) []float64 {
	h := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			x, y := float64(i)-float64(n)/2, float64(j)-float64(n)/2
			d := 0.5 * (1 - math.Tanh((math.Hypot(x, y)-float64(n)/5)/3))
			a := 1 - 0.2*d
			h[i*n+j] = math.RoundToEven(60 * (1 + a*a + 2*a*math.Cos(2*math.Pi*(fx*x+fy*y)+2*d)))
		}
	}
	return h
}

// pinGrating is a period-4 cross grating rotated by ang with a Gaussian
// phase bump (σ = n/6): round(1000·(2 + cos(2πu + w) + cos(2πv + w))).
func pinGrating(n int, ang float64) []float64 {
	g := make([]float64, n*n)
	c, s := math.Cos(ang), math.Sin(ang)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			x, y := float64(i), float64(j)
			w := 0.5 * math.Exp(-((x-float64(n)/2)*(x-float64(n)/2)+(y-float64(n)/2)*(y-float64(n)/2))/(2*(float64(n)/6)*(float64(n)/6)))
			u, v := (c*x+s*y)/4, (-s*x+c*y)/4
			g[i*n+j] = math.RoundToEven(1000 * (2 + math.Cos(2*math.Pi*u+w) + math.Cos(2*math.Pi*v+w)))
		}
	}
	return g
}

// Square holograms without padding of sizes that are not powers of two:
// the detected sideband k/n must be numpy's k·(1/n), else int(f·n) rolls
// the spectrum by one pixel too few (a linear phase ramp everywhere).
func TestOffAxisNoPaddingMatchesUpstream(t *testing.T) {
	cases := []struct {
		n    int
		sb   [2]float64
		pix  [][2]int
		want []complex128
	}{
		{40, [2]float64{-0.225, -0.15000000000000002}, [][2]int{{0, 0}, {20, 20}, {39, 13}},
			[]complex128{complex(-18.269343694059128, 6.675738091009771), complex(30.82376674884842, -46.087005347377755), complex(-40.49798929084448, 19.88029902873392)}},
		{127, [2]float64{-0.22834645669291337, -0.14173228346456693}, [][2]int{{0, 0}, {63, 63}, {126, 42}},
			[]complex128{complex(-39.14972863567852, 1.2797684796973523), complex(-14.303936442906018, 45.342148569578974), complex(-46.36771663107428, 15.08285855509545)}},
	}
	for _, c := range cases {
		o := DefaultOAHOptions()
		o.Padding = 0
		r, err := OffAxisDetail(pinHologram(c.n, -0.23, -0.14), c.n, c.n, o)
		if err != nil {
			t.Fatal(err)
		}
		if r.SidebandFreq != c.sb {
			t.Errorf("n=%d: sideband %v, upstream %v", c.n, r.SidebandFreq, c.sb)
		}
		for k, p := range c.pix {
			got := r.Field[p[0]*r.Cols+p[1]]
			if d := cmplx.Abs(got - c.want[k]); d > 1e-9*60 {
				t.Errorf("n=%d field%v = %v, upstream %v (|diff| %.3g)", c.n, p, got, c.want[k], d)
			}
		}
	}
}

// Rotated QLSI gratings at sizes ≥ 64: upstream's nearest-neighbour
// rotation samples many coordinates that are exactly half-integers, so
// the rotation matrix must carry scipy's cosdg/sindg bits and the offset
// numpy's matmul rounding.
func TestQLSIRotatedMatchesUpstream(t *testing.T) {
	cases := []struct {
		n         int
		pix       [][2]int
		pha, ampl []float64
	}{
		{200, [][2]int{{0, 0}, {100, 100}, {199, 66}, {30, 150}},
			[]float64{4.800392586862732, 6.229138948281342, -0.630708608662937, -0.1864462454212499},
			[]float64{498.9546412251889, 1012.4100866170227, 614.339458060773, 992.9843320915968}},
		{256, [][2]int{{0, 0}, {128, 128}, {255, 85}, {30, 150}},
			[]float64{5.943004930001381, 7.993003740387035, -0.6973964414947557, 3.9225993247886657},
			[]float64{499.8439490386478, 994.0990968002534, 678.3309225653913, 996.9336904213908}},
	}
	for _, c := range cases {
		o, err := ParseQLSIOptions(map[string]any{"wavelength": 550e-9, "qlsi_pitch_term": 1.87711e-08})
		if err != nil {
			t.Fatal(err)
		}
		r, err := QLSIDetail(pinGrating(c.n, 0.1), nil, c.n, c.n, o)
		if err != nil {
			t.Fatal(err)
		}
		if want := [2]float64{-0.248046875, -0.025390625}; r.SidebandFreq != want {
			t.Errorf("n=%d: sideband %v, upstream %v", c.n, r.SidebandFreq, want)
		}
		for k, p := range c.pix {
			if got := r.Phase[p[0]*r.Cols+p[1]]; math.Abs(got-c.pha[k]) > 1e-8 {
				t.Errorf("n=%d phase%v = %v, upstream %v", c.n, p, got, c.pha[k])
			}
			if got := r.Amplitude[p[0]*r.AmpCols+p[1]]; math.Abs(got-c.ampl[k]) > 1e-6 {
				t.Errorf("n=%d amplitude%v = %v, upstream %v", c.n, p, got, c.ampl[k])
			}
		}
	}
}

// numpy.fft.fftfreq bit for bit (values printed by numpy 1.24 with
// float.hex): 9/40 and 29/127 are where k/n and k·(1/n) differ.
func TestNumpyFreq(t *testing.T) {
	if f := npShiftedFreq(40)[11]; f != -0x1.ccccccccccccdp-3 {
		t.Errorf("fftshift(fftfreq(40))[11] = %x", f)
	}
	if f := npShiftedFreq(127)[34]; f != -0x1.d3a74e9d3a74ep-3 {
		t.Errorf("fftshift(fftfreq(127))[34] = %x", f)
	}
	if f := npFreq(127)[100]; f != -0x1.b366cd9b366cep-3 {
		t.Errorf("fftfreq(127)[100] = %x", f)
	}
}
