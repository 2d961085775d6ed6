package refocus

import (
	"math"

	"qpgo/core/flproc/libm"
	"qpgo/core/qperr"
	"qpgo/internal/minpack"
)

// LmfitResult is what nrefocus' "lmfit" minimizer returns.
type LmfitResult struct {
	Distance float64   // focus distance [m]
	Grid     []float64 // brute-force grid [m] (nil when skipped)
	Values   []float64 // metric at the grid points (lmfit's brute_Jout)
	NFev     int       // MINPACK evaluations of the fine fit
}

// bruteStep is nrefocus' grid step of the coarse search in wavelengths.
const bruteStep = 2

// AutofocusLmfit is nrefocus.minimizers.minimize_lmfit with lmfit 1.1.0's
// defaults and a built-in metric: the focus is fitted in units of the
// wavelength w over [lo/w, hi/w]. A brute-force search (scipy.optimize.brute
// of the metric (a single residual is not squared) on numpy.arange(lo/w, hi/w, 2), skipped when the
// interval is no wider than 2) gives the start of a bounded "leastsq" fit
// (MINPACK lmdif on lmfit's arcsine-transformed parameter) within ±4
// wavelengths of the best grid point, clipped to the interval.
func AutofocusLmfit(spec []complex128, R, C int, p Params, outRows, outCols int, metric string, roi *ROI, dim1 bool, lo, hi float64) (LmfitResult, error) {
	if err := p.check(); err != nil {
		return LmfitResult{}, err
	}
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return LmfitResult{}, qperr.New(qperr.BadArgument, "interval must be finite")
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	wl := p.Wavelength
	a, b := lo/wl, hi/wl
	if !(b > a) {
		return LmfitResult{}, qperr.New(qperr.BadArgument, "interval [%v, %v] is empty", lo, hi)
	}
	eval := func(v float64) (float64, error) {
		m, err := Metric(spec, R, C, p, v*wl, outRows, outCols, metric, roi, dim1)
		if err == nil && (math.IsNaN(m) || math.IsInf(m, 0)) {
			err = qperr.New(qperr.BadArgument, "The model function generated NaN values and the fit aborted! Please check your model function and/or set boundaries on parameters where applicable.")
		}
		return m, err
	}
	var res LmfitResult
	start := (a + b) / 2
	if b-a > bruteStep {
		n := int(math.Ceil((b - a) / bruteStep))
		if n > 1e6 {
			return LmfitResult{}, qperr.New(qperr.BadArgument, "interval of %v wavelengths is too wide for the grid search", b-a)
		}
		delta := (a + bruteStep) - a
		res.Grid, res.Values = make([]float64, n), make([]float64, n)
		best := 0
		for i := range res.Grid {
			v := a + float64(i)*delta
			m, err := eval(v)
			if err != nil {
				return LmfitResult{}, err
			}
			res.Grid[i], res.Values[i] = v, m
			if res.Values[i] < res.Values[best] {
				best = i
			}
		}
		start = res.Grid[best]
		for i := range res.Grid {
			res.Grid[i] *= wl
		}
	}
	bd := minpack.Bound{Lo: math.Max(a, start-4), Hi: math.Min(b, start+4)}
	toInt := func(v float64) float64 {
		x := libm.Asin(2*(v-bd.Lo)/(bd.Hi-bd.Lo) - 1)
		if math.Abs(x) < 1e-15 {
			x = 0
		}
		return x
	}
	toExt := func(x float64) float64 {
		return bd.Clamp(bd.Lo + (libm.Sin(x)+1)*(bd.Hi-bd.Lo)/2.0)
	}
	x := []float64{toInt(bd.Clamp(start))}
	residual := func(x, fvec []float64) error {
		m, err := eval(toExt(x[0]))
		fvec[0] = m
		return err
	}
	cfg := leastsqConfig
	cfg.Maxfev = 2 * 2000 * 2
	r, err := minpack.Lmdif(residual, 1, x, cfg)
	if err != nil {
		return LmfitResult{}, err
	}
	res.Distance = toExt(x[0]) * wl
	res.NFev = r.Nfev
	return res, nil
}

// leastsqConfig: lmfit 1.1.0's "leastsq" settings for scipy.optimize.leastsq.
var leastsqConfig = minpack.Config{
	Ftol:   1.49012e-8,
	Xtol:   1.49012e-8,
	Gtol:   0,
	Epsfcn: 2.220446049250313e-16,
	Factor: 100,
}
