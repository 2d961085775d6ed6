package minpack

import (
	"errors"
	"math"
	"testing"
)

// leastsq is lmfit 1.1's leastsq configuration (scipy's defaults).
var leastsq = Config{Ftol: 1.49012e-8, Xtol: 1.49012e-8, Epsfcn: 2.220446049250313e-16, Factor: 100}

// TestLmdifLinear: on a linear least-squares problem lmdif must reach the
// normal-equation solution.
func TestLmdifLinear(t *testing.T) {
	xs := []float64{0, 1, 2, 3, 4, 5, 6}
	ys := []float64{1.1, 2.9, 5.2, 7.1, 8.8, 11.2, 13.1}
	var sx, sy, sxx, sxy float64
	for i, x := range xs {
		sx += x
		sy += ys[i]
		sxx += x * x
		sxy += x * ys[i]
	}
	n := float64(len(xs))
	b := (n*sxy - sx*sy) / (n*sxx - sx*sx)
	a := (sy - b*sx) / n
	p := []float64{0, 0}
	cfg := leastsq
	cfg.Maxfev = 1000
	res, err := Lmdif(func(p, f []float64) error {
		for i, x := range xs {
			f[i] = p[0] + p[1]*x - ys[i]
		}
		return nil
	}, len(xs), p, cfg)
	if info := res.Info; err != nil || info < 1 || info > 4 {
		t.Fatalf("info %d err %v", res.Info, err)
	}
	if math.Abs(p[0]-a) > 1e-9 || math.Abs(p[1]-b) > 1e-9 {
		t.Errorf("got %v, want [%v %v]", p, a, b)
	}
	if res, _ := Lmdif(nil, 1, []float64{0, 0}, cfg); res.Info != 0 {
		t.Errorf("m < n: info %d, want 0", res.Info)
	}
}

func TestEnorm(t *testing.T) {
	for _, v := range [][]float64{
		{3, 4},
		{1e-25, 1e-25, 3e-25},
		{1e20, 2e20, -2e20},
		{1e-25, 1, 1e20},
		{0, 0},
		{},
	} {
		want := 0.0
		scale := 0.0
		for _, x := range v {
			scale = math.Max(scale, math.Abs(x))
		}
		if scale > 0 {
			s := 0.0
			for _, x := range v {
				s += (x / scale) * (x / scale)
			}
			want = scale * math.Sqrt(s)
		}
		if got := enorm(v); math.Abs(got-want) > 1e-15*want {
			t.Errorf("enorm(%v) = %v, want %v", v, got, want)
		}
	}
}

func TestBoundTransform(t *testing.T) {
	two := Bound{Lo: 10, Hi: 30}
	one := Bound{Lo: 0, Hi: math.Inf(1)}
	for _, v := range []float64{10, 12.5, 20, 29} {
		if got := two.External(two.Internal(v)); math.Abs(got-v) > 1e-12*v {
			t.Errorf("two-sided round trip %v -> %v", v, got)
		}
	}
	for _, v := range []float64{0, 1e-3, 5, 1e4} {
		if got := one.External(one.Internal(v)); math.Abs(got-v) > 1e-9*math.Max(1, v) {
			t.Errorf("one-sided round trip %v -> %v", v, got)
		}
	}
	if two.Clamp(40) != 30 || two.Clamp(0) != 10 || one.Clamp(-1) != 0 {
		t.Error("clamp")
	}
	// Any internal value maps into the bounds.
	for _, x := range []float64{-100, -1, 0, 1, 100} {
		if v := two.External(x); v < 10 || v > 30 {
			t.Errorf("external(%v) = %v outside [10, 30]", x, v)
		}
		if v := one.External(x); v < 0 {
			t.Errorf("external(%v) = %v below 0", x, v)
		}
	}
}

// TestLmdifError: an error from the residual function aborts the fit and
// is returned with the evaluations so far; x keeps the last iterate.
func TestLmdifError(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	x := []float64{1, 2}
	cfg := leastsq
	cfg.Maxfev = 100
	res, err := Lmdif(func(p, f []float64) error {
		calls++
		if calls == 3 { // the second Jacobian column
			return stop
		}
		f[0], f[1], f[2] = p[0]-3, p[1]+1, p[0]*p[1]
		return nil
	}, 3, x, cfg)
	if !errors.Is(err, stop) || res.Nfev != 3 || res.Info != 0 {
		t.Errorf("res %+v err %v, want Nfev 3, Info 0, stop", res, err)
	}
	if x[0] != 1 || x[1] != 2 {
		t.Errorf("x = %v, want the start [1 2]", x)
	}
}

// TestStopOnNaN: a NaN residual never lets a step be accepted; StopOnNaN
// ends there with Info 0 instead of running to Maxfev (Info 5).
func TestStopOnNaN(t *testing.T) {
	fcn := func(p, f []float64) error {
		f[0], f[1] = p[0]-1, math.NaN()
		return nil
	}
	cfg := leastsq
	cfg.Maxfev = 500
	x := []float64{0}
	res, _ := Lmdif(fcn, 2, x, cfg)
	if res.Info != 5 || res.Nfev < cfg.Maxfev || x[0] != 0 {
		t.Errorf("MINPACK: res %+v x %v, want Info 5 at Maxfev, x unchanged", res, x)
	}
	cfg.StopOnNaN = true
	res, _ = Lmdif(fcn, 2, x, cfg)
	if res.Info != 0 || res.Nfev > 10 || x[0] != 0 {
		t.Errorf("StopOnNaN: res %+v x %v, want Info 0 at once, x unchanged", res, x)
	}
}

// TestEnormBgfit: the BgfitCompat norm differs from the Fortran one only
// in the last bits of its small/large accumulators.
func TestEnormBgfit(t *testing.T) {
	for _, v := range [][]float64{
		{3, 4},
		{1e-25, 3e-25, 7e-25},
		{1e20, 2e20, -3e20},
		{1e-25, 1, 1e20},
		{},
	} {
		a, b := enorm(v), enormBgfit(v)
		if math.Abs(a-b) > 4e-16*a {
			t.Errorf("enorm(%v): Fortran %v, bgfit %v", v, a, b)
		}
	}
	if !math.IsNaN(enorm([]float64{1, math.NaN()})) || !math.IsNaN(enormBgfit([]float64{1, math.NaN()})) {
		t.Error("NaN must propagate")
	}
}

// TestDpmparDefault: the zero Dpmpar is DpmparFortran.
func TestDpmparDefault(t *testing.T) {
	fcn := func(p, f []float64) error {
		f[0], f[1], f[2] = math.Exp(p[0])-2, p[0]*p[1]-1, p[1]*p[1]-0.3
		return nil
	}
	run := func(d Dpmpar) ([]float64, Result) {
		cfg := leastsq
		cfg.Maxfev = 1000
		cfg.Dpmpar = d
		x := []float64{0.1, 0.1}
		res, _ := Lmdif(fcn, 3, x, cfg)
		return x, res
	}
	x0, r0 := run(Dpmpar{})
	x1, r1 := run(DpmparFortran)
	if x0[0] != x1[0] || x0[1] != x1[1] || r0 != r1 {
		t.Errorf("zero Dpmpar %v %+v, DpmparFortran %v %+v", x0, r0, x1, r1)
	}
}
