package flproc

import (
	"math"

	"qpgo/core/flproc/libm"
	"qpgo/core/qperr"
	"qpgo/internal/minpack"
)

// Params are the parameters of flimage's bleaching model
// Amplitude·exp(−BleachDecay·t) + Offset (t absolute, not shifted to t0).
type Params struct {
	Amplitude   float64
	BleachDecay float64
	Offset      float64
}

// At evaluates the model at time t in upstream's operation order.
func (p Params) At(t float64) float64 {
	return p.Amplitude*libm.Exp(-p.BleachDecay*t) + p.Offset
}

// Decay evaluates the fitted model at every time (upstream's `decay`).
func Decay(times []float64, p Params) []float64 {
	out := make([]float64, len(times))
	for i, t := range times {
		out[i] = p.At(t)
	}
	return out
}

// BleachFit is the outcome of FitBleach.
type BleachFit struct {
	Initial Params // starting values after clamping into the bounds
	Fitted  Params
	NFev    int    // MINPACK function evaluations (lmfit reports about the same; informational)
	Info    int    // MINPACK info code 1..8
	Success bool   // Info in 1..4, as lmfit's result.success
	Message string // MINPACK's termination message
}

// lmfit 1.1.0 "leastsq" settings handed to scipy.optimize.leastsq (with
// scipy 1.10's Fortran dpmpar constants, the minpack.Config default).
var leastsqConfig = minpack.Config{
	Ftol:   1.49012e-8,
	Xtol:   1.49012e-8,
	Gtol:   0,
	Epsfcn: 2.220446049250313e-16, // leastsq's epsfcn=None → machine epsilon
	Factor: 100,
}

// minFrames is the number of frames the three-parameter fit needs (MINPACK
// requires at least as many residuals as parameters).
const minFrames = 3

// FitBleach fits Amplitude·exp(−BleachDecay·t) + Offset to the intensity
// trace the way flimage's fit_exponential does with lmfit 1.1.0:
//
//   - Amplitude: start max−min of flint, bounds [min(flint), 2·max(flint)];
//   - BleachDecay: start −Δt/Δf·flint[0]/20 (Δ = last − first), bound ≥ 0;
//   - Offset: start min(flint), bound ≥ 0;
//
// starting values outside their bounds are clamped to the bound, and the
// bounded problem is solved by MINPACK lmdif on lmfit's transformed
// parameters. Errors (BadArgument): fewer than three frames, length
// mismatch, non-finite values, times not strictly increasing, a constant
// trace, flint[-1] == flint[0] (upstream divides by zero there), or a model
// that evaluates to NaN/Inf during the fit (lmfit's nan_policy="raise").
// A fit that stops on MINPACK's evaluation limit is returned with
// Success = false, as lmfit does.
func FitBleach(times, flint []float64) (BleachFit, error) {
	n := len(flint)
	if len(times) != n {
		return BleachFit{}, qperr.New(qperr.BadArgument, "got %d times for %d intensity values", len(times), n)
	}
	if n < minFrames {
		return BleachFit{}, qperr.New(qperr.BadArgument, "the bleach fit needs at least %d frames, got %d", minFrames, n)
	}
	if err := checkTimes(times); err != nil {
		return BleachFit{}, err
	}
	fmin, fmax := math.Inf(1), math.Inf(-1)
	for i, f := range flint {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return BleachFit{}, qperr.New(qperr.BadArgument, "intensity trace value %d is not finite", i)
		}
		fmin = math.Min(fmin, f)
		fmax = math.Max(fmax, f)
	}
	if fmin == fmax {
		return BleachFit{}, qperr.New(qperr.BadArgument, "the intensity trace is constant (%v): there is no bleaching to fit", fmin)
	}
	dt := times[n-1] - times[0]
	df := flint[n-1] - flint[0]
	if df == 0 {
		return BleachFit{}, qperr.New(qperr.BadArgument, "first and last intensity are equal: cannot estimate the initial bleach decay")
	}

	bounds := [3]minpack.Bound{
		{Lo: fmin, Hi: 2 * fmax},
		{Lo: 0, Hi: math.Inf(1)},
		{Lo: 0, Hi: math.Inf(1)},
	}
	init := Params{
		Amplitude:   bounds[0].Clamp(fmax - fmin),
		BleachDecay: bounds[1].Clamp(-dt / df * flint[0] / 20),
		Offset:      bounds[2].Clamp(fmin),
	}
	x := []float64{
		toInternal(bounds[0], init.Amplitude),
		toInternal(bounds[1], init.BleachDecay),
		toInternal(bounds[2], init.Offset),
	}
	toParams := func(x []float64) Params {
		return Params{toExternal(bounds[0], x[0]), toExternal(bounds[1], x[1]), toExternal(bounds[2], x[2])}
	}
	residual := func(x, fvec []float64) error {
		p := toParams(x)
		sum := 0.0
		for i, t := range times {
			fvec[i] = p.At(t) - flint[i]
			sum += fvec[i]
		}
		if math.IsNaN(sum) || math.IsInf(sum, 0) {
			return qperr.New(qperr.BadArgument, "The model function generated NaN values and the fit aborted! Please check your model function and/or set boundaries on parameters where applicable.")
		}
		return nil
	}
	cfg := leastsqConfig
	cfg.Maxfev = 2 * 2000 * (len(x) + 1)
	res, err := minpack.Lmdif(residual, n, x, cfg)
	if err != nil {
		return BleachFit{}, err
	}
	if res.Info == 0 {
		return BleachFit{}, qperr.New(qperr.Internal, "improper input to lmdif")
	}
	return BleachFit{
		Initial: init,
		Fitted:  toParams(x),
		NFev:    res.Nfev,
		Info:    res.Info,
		Success: res.Info >= 1 && res.Info <= 4,
		Message: lmMessages[res.Info],
	}, nil
}

// lmMessages are scipy.optimize.leastsq's texts for the MINPACK info codes.
var lmMessages = map[int]string{
	1: "Both actual and predicted relative reductions in the sum of squares\n  are at most 1.490120e-08",
	2: "The relative error between two consecutive iterates is at most 1.490120e-08",
	3: "Both actual and predicted relative reductions in the sum of squares\n  are at most 1.490120e-08 and the relative error between two consecutive iterates is at \n  most 1.490120e-08",
	4: "The cosine of the angle between func(x) and any column of the\n  Jacobian is at most 0.000000e+00 in absolute value",
	5: "Number of calls to function has reached maxfev = 16000.",
	6: "ftol=1.490120e-08 is too small, no further reduction in the sum of squares\n  is possible.",
	7: "xtol=1.490120e-08 is too small, no further improvement in the approximate\n  solution is possible.",
	8: "gtol=0.000000e+00 is too small, func(x) is orthogonal to the columns of\n  the Jacobian to machine precision.",
}

// toInternal and toExternal are lmfit's Minuit-style bound transforms
// (minpack.Bound's Internal/External) evaluated with the C library's asin
// and sin (package libm): one-sided [lo, ∞): sqrt((v−lo+1)²−1) and
// lo−1+sqrt(x²+1); two-sided: asin(2(v−lo)/(hi−lo)−1) and
// lo+(sin(x)+1)(hi−lo)/2. Internal values below 1e-15 in magnitude are 0,
// external values are clamped into the bounds, as lmfit does.
func toInternal(b minpack.Bound, v float64) float64 {
	var x float64
	if math.IsInf(b.Hi, 1) {
		s := v - b.Lo + 1.0
		x = math.Sqrt(s*s - 1)
	} else {
		x = libm.Asin(2*(v-b.Lo)/(b.Hi-b.Lo) - 1)
	}
	if math.Abs(x) < 1e-15 {
		x = 0
	}
	return x
}

func toExternal(b minpack.Bound, x float64) float64 {
	var v float64
	if math.IsInf(b.Hi, 1) {
		v = b.Lo - 1.0 + math.Sqrt(x*x+1)
	} else {
		v = b.Lo + (libm.Sin(x)+1)*(b.Hi-b.Lo)/2.0
	}
	return b.Clamp(v)
}
