package holo

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"qpgo/core/qperr"
)

// removeTilt subtracts the least-squares plane a + b·i + c·j fitted to a
// border of width bw.
func removeTilt(p []float64, n, bw int) {
	var s [3][4]float64
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i >= bw && i < n-bw && j >= bw && j < n-bw {
				continue
			}
			v := [3]float64{1, float64(i), float64(j)}
			for a := 0; a < 3; a++ {
				for b := 0; b < 3; b++ {
					s[a][b] += v[a] * v[b]
				}
				s[a][3] += v[a] * p[i*n+j]
			}
		}
	}
	for c := 0; c < 3; c++ { // Gauss-Jordan on the 3×3 normal equations
		for r := 0; r < 3; r++ {
			if r != c {
				f := s[r][c] / s[c][c]
				for k := 0; k < 4; k++ {
					s[r][k] -= f * s[c][k]
				}
			}
		}
	}
	a, b, c := s[0][3]/s[0][0], s[1][3]/s[1][1], s[2][3]/s[2][2]
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			p[i*n+j] -= a + b*float64(i) + c*float64(j)
		}
	}
}

func TestPhaseDisk(t *testing.T) {
	// upstream test_qpimage_qpretrieve_oah: image = sin(-0.6x - 0.4y + disk)
	// with a disk of 1.5 rad (r = 30 px) on 200², gauss filter; after a tilt
	// fit on a 5 px border the maximum phase is 1.5 within 1 %.
	n := 200
	h := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			x, y := float64(i), float64(j)
			p := 0.0
			if (x-100)*(x-100)+(y-100)*(y-100) < 900 {
				p = 1.5
			}
			h[i*n+j] = math.Sin(-.6*x - .4*y + p)
		}
	}
	o, err := ParseOAHOptions(map[string]any{"filter_name": "gauss"})
	if err != nil {
		t.Fatal(err)
	}
	f, r, c, err := OffAxis(h, n, n, o)
	if err != nil || r != n || c != n {
		t.Fatal(err, r, c)
	}
	p := make([]float64, len(f))
	for i, v := range f {
		p[i] = cmplx.Phase(v)
	}
	p, _ = UnwrapSkimageNoSeed(p, n, n)
	removeTilt(p, n, 5)
	mx := math.Inf(-1)
	for _, v := range p {
		mx = math.Max(mx, v)
	}
	if math.Abs(mx-1.5) > 0.015 {
		t.Errorf("disk phase max %g, want 1.5 ± 1 %%", mx)
	}
}

func TestFilterCentres(t *testing.T) {
	// spec §5.3: on a 64 grid with the sideband at index (22, 38) the centre
	// of mass is exact for disk/gauss/square, +1 for the smooth filters and
	// −0.5 for tukey.
	n := 64
	fx, fy := float64(22-n/2)/float64(n), float64(38-n/2)/float64(n)
	want := map[string][2]float64{"disk": {22, 38}, "gauss": {22, 38}, "square": {22, 38},
		"smooth disk": {23, 39}, "smooth square": {23, 39}, "tukey": {21.5, 37.5}}
	for name, w := range want {
		fa, err := filterArray(name, 0.1, fx, fy, n, n)
		if err != nil {
			t.Fatal(name, err)
		}
		f := fa.f
		var s, si, sj float64
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				s += f[i*n+j]
				si += f[i*n+j] * float64(i)
				sj += f[i*n+j] * float64(j)
			}
		}
		if math.Abs(si/s-w[0]) > 1e-6 || math.Abs(sj/s-w[1]) > 1e-6 {
			t.Errorf("%s: centre (%g, %g), want %v", name, si/s, sj/s, w)
		}
	}
}

func TestOptions(t *testing.T) {
	o, err := ParseOAHOptions(map[string]any{"padding": true, "scale_to_filter": 1.5, "sideband_freq": []any{-0.2, 0.1}, "invert_phase": true})
	if err != nil || o.Padding != 1 || o.ScaleToFilter != 1.5 || o.SidebandFreq == nil || o.SidebandFreq[1] != 0.1 || !o.InvertPhase {
		t.Errorf("parse: %+v %v", o, err)
	}
	if _, err := ParseOAHOptions(map[string]any{"wavelength": 1.0}); !qperr.Is(err, qperr.UnknownKey) {
		t.Errorf("OAH wavelength: %v", err)
	}
	if _, err := ParseOAHOptions(map[string]any{"filter_nam": "disk"}); !qperr.Is(err, qperr.UnknownKey) {
		t.Errorf("typo: %v", err)
	}
	for _, kw := range []map[string]any{{"padding": -1}, {"padding": 1.5}, {"filter_name": "round"},
		{"filter_size_interpretation": "px"}, {"sideband_freq": []any{1.0}}, {"subtract_mean": 1}} {
		if _, err := ParseOAHOptions(kw); !qperr.Is(err, qperr.BadArgument) {
			t.Errorf("%v: %v", kw, err)
		}
	}
	q, err := ParseQLSIOptions(map[string]any{"wavelength": 5.5e-7, "qlsi_pitch_term": nil})
	if err != nil || q.Wavelength != 5.5e-7 || q.PitchTerm != 0 || q.FilterName != "square" || q.FilterSize != 0.5 {
		t.Errorf("qlsi: %+v %v", q, err)
	}
	m, err := MapHoloKW(map[string]any{"sideband": -1, "zero_pad": false, "filter_name": "smooth disk"})
	if err != nil || m["invert_phase"] != true || m["padding"] != false || m["filter_name"] != "smooth disk" || len(m) != 3 {
		t.Errorf("holo_kw ±1: %v %v", m, err)
	}
	m, err = MapHoloKW(map[string]any{"sideband": []any{-0.2, 0.1}})
	if err != nil || m["invert_phase"] != false || m["sideband_freq"].([]float64)[0] != -0.2 {
		t.Errorf("holo_kw pair: %v %v", m, err)
	}
	if _, err := MapHoloKW(map[string]any{"sideband": "left"}); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("holo_kw bad: %v", err)
	}
}

func TestFirstChannel(t *testing.T) {
	rgb := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	g, err := FirstChannel(rgb, 2, 2, 3)
	if err != nil || g[0] != 1 || g[1] != 4 || g[2] != 7 || g[3] != 10 {
		t.Errorf("%v %v", g, err)
	}
	if _, err := FirstChannel(rgb, 2, 2, 4); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("bad shape: %v", err)
	}
}

func TestBadInput(t *testing.T) {
	h := benchHologram(48)
	d := DefaultOAHOptions()
	nan := append([]float64(nil), h...)
	nan[5] = math.NaN()
	with := func(f func(o *OAHOptions)) OAHOptions { o := d; f(&o); return o }
	cases := []struct {
		name string
		data []float64
		r, c int
		o    OAHOptions
	}{
		{"shape", h, 48, 47, d},
		{"empty", nil, 0, 0, d},
		{"nan", nan, 48, 48, d},
		{"non-square no padding", h[:48*40], 40, 48, with(func(o *OAHOptions) { o.Padding = 0 })},
		{"filter size 0", h, 48, 48, with(func(o *OAHOptions) { o.FilterSize = 0 })},
		{"filter size 1", h, 48, 48, with(func(o *OAHOptions) { o.FilterSize = 1 })},
		{"freq index too large", h, 48, 48, with(func(o *OAHOptions) { o.FilterSize = 64; o.FilterSizeInterpretation = "frequency index" })},
		{"sideband out of range", h, 48, 48, with(func(o *OAHOptions) { o.SidebandFreq = &[2]float64{-70, 0.1} })},
		{"unknown filter", h, 48, 48, with(func(o *OAHOptions) { o.FilterName = "hexagon" })},
		{"bad interpretation", h, 48, 48, with(func(o *OAHOptions) { o.FilterSizeInterpretation = "pixels" })},
		{"negative padding", h, 48, 48, with(func(o *OAHOptions) { o.Padding = -2 })},
	}
	for _, c := range cases {
		if _, _, _, err := OffAxis(c.data, c.r, c.c, c.o); !qperr.Is(err, qperr.BadArgument) {
			t.Errorf("%s: err %v", c.name, err)
		}
	}
	q := DefaultQLSIOptions()
	if _, _, err := QLSI(h, h[:10], 48, 48, q); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("qlsi reference shape: %v", err)
	}
	if _, _, err := QLSI(nan, nil, 48, 48, q); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("qlsi nan: %v", err)
	}
}

// benchHologram is the reference.md hologram input (uint8 values).
func benchHologram(n int) []float64 {
	rng := rand.New(rand.NewPCG(1, 2))
	h := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			x, y := float64(i-n/2), float64(j-n/2)
			r := math.Hypot(x, y)
			d := 0.5 * (1 - math.Tanh((r-float64(n)/5)/3))
			amp := 1 - 0.2*d
			v := 1 + amp*amp + 2*amp*math.Cos(2*math.Pi*(-0.23*x-0.14*y)+2*d) + rng.NormFloat64()*0.02
			h[i*n+j] = math.Min(255, math.Max(0, math.Round(60*v)))
		}
	}
	return h
}

func BenchmarkOAH1024(b *testing.B) {
	h := benchHologram(1024)
	o := DefaultOAHOptions()
	reportCPU(b, func() {
		if _, _, _, err := OffAxis(h, 1024, 1024, o); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkQLSI720(b *testing.B) {
	// 720² interferogram with reference: two period-4 gratings rotated by
	// 0.3 rad (uint16-range values), pads to 2048².
	n := 720
	mk := func(obj bool) []float64 {
		d := make([]float64, n*n)
		c, s := math.Cos(0.3), math.Sin(0.3)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				x, y := float64(i), float64(j)
				w := 0.0
				if obj {
					w = 0.5 * math.Exp(-((x-360)*(x-360)+(y-360)*(y-360))/(2*80*80))
				}
				u := (c*x + s*y) / 4
				v := (-s*x + c*y) / 4
				d[i*n+j] = math.Round(1000 * (2 + math.Cos(2*math.Pi*u+w) + math.Cos(2*math.Pi*v+w)))
			}
		}
		return d
	}
	data, ref := mk(true), mk(false)
	o, _ := ParseQLSIOptions(map[string]any{"filter_name": "tukey", "filter_size": 180, "filter_size_interpretation": "frequency index", "wavelength": 550e-9, "qlsi_pitch_term": 1.87711e-8})
	reportCPU(b, func() {
		if _, _, err := QLSI(data, ref, n, n, o); err != nil {
			b.Fatal(err)
		}
	})
}
