package flproc

import (
	"math"
	"testing"

	"qpgo/core/qperr"
)

// TestFitBleachSpecReferenceRun fits the reference run of the spec
// (flimage.md §1.5: 8 frames, flint printed to 0.01, fitted values printed
// to 7 digits). Times are not printed; 0, 2, …, 14 s is what the printed
// initial decay (−Δt/Δf·flint[0]/20 = 0.94989) and decay[0] imply. The
// tolerance covers the rounding of the printed numbers only.
func TestFitBleachSpecReferenceRun(t *testing.T) {
	flint := []float64{74022.48, 57847.85, 46086.00, 37104.88, 30584.44, 25711.89, 22073.43, 19473.16}
	times := []float64{0, 2, 4, 6, 8, 10, 12, 14}
	fit, err := FitBleach(times, flint)
	if err != nil {
		t.Fatal(err)
	}
	near := func(name string, got, want, rtol float64) {
		t.Helper()
		if math.Abs(got-want) > rtol*math.Abs(want) {
			t.Errorf("%s = %.8g, want %.8g (rtol %g)", name, got, want, rtol)
		}
	}
	near("initial amplitude", fit.Initial.Amplitude, 54549.32, 1e-9)
	near("initial bleach_decay", fit.Initial.BleachDecay, 0.94989, 1e-5)
	near("initial offset", fit.Initial.Offset, 19473.16, 1e-12)
	near("amplitude", fit.Fitted.Amplitude, 62238.21, 2e-6)
	near("bleach_decay", fit.Fitted.BleachDecay, 0.149556, 5e-6)
	near("offset", fit.Fitted.Offset, 11769.38, 2e-6)
	want := []float64{74007.59, 57917.53, 45987.14, 37141.03, 30581.86, 25718.38, 22112.23, 19438.36}
	for i, d := range Decay(times, fit.Fitted) {
		near("decay", d, want[i], 1e-6)
	}
	t.Logf("nfev %d (upstream 35), info %d", fit.NFev, fit.Info)
}

func TestFitBleachErrors(t *testing.T) {
	good := []float64{100, 80, 65, 55}
	ts := []float64{0, 1, 2, 3}
	cases := []struct {
		name         string
		times, flint []float64
	}{
		{"too few", ts[:2], good[:2]},
		{"empty", nil, nil},
		{"length", ts, good[:3]},
		{"constant", ts, []float64{5, 5, 5, 5}},
		{"zero trace", ts, []float64{0, 0, 0, 0}},
		{"equal ends", ts, []float64{100, 80, 120, 100}},
		{"nan flint", ts, []float64{100, math.NaN(), 65, 55}},
		{"inf flint", ts, []float64{100, math.Inf(1), 65, 55}},
		{"nan time", []float64{0, math.NaN(), 2, 3}, good},
		{"repeated time", []float64{0, 1, 1, 3}, good},
		{"decreasing time", []float64{3, 2, 1, 0}, good},
	}
	for _, tc := range cases {
		if _, err := FitBleach(tc.times, tc.flint); !qperr.Is(err, qperr.BadArgument) {
			t.Errorf("%s: err = %v, want BadArgument", tc.name, err)
		}
	}
	// Negative times with a large initial decay overflow the model at the
	// starting point: lmfit's nan_policy="raise" aborts with ValueError.
	if _, err := FitBleach([]float64{-4000, -3000, -2000, -1000}, []float64{1e6, 10, 5, 1}); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("overflow: err = %v, want BadArgument", err)
	}
}

// TestFitBleachBounds: a rising trace gives a negative initial decay that
// lmfit clamps to the bound 0; the fit must stay inside all bounds.
func TestFitBleachBounds(t *testing.T) {
	times := []float64{0, 1, 2, 3, 4, 5}
	flint := []float64{50, 60, 66, 70, 72, 73}
	fit, err := FitBleach(times, flint)
	if err != nil {
		t.Fatal(err)
	}
	if fit.Initial.BleachDecay != 0 {
		t.Errorf("initial decay %v, want the clamped bound 0", fit.Initial.BleachDecay)
	}
	p := fit.Fitted
	if p.BleachDecay < 0 || p.Offset < 0 || p.Amplitude < 50 || p.Amplitude > 146 {
		t.Errorf("fitted parameters outside the bounds: %+v", p)
	}
}
