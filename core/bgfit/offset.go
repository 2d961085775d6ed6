package bgfit

import (
	"math"

	"qpgo/core/qperr"
	"qpgo/internal/minpack"
)

// minMax returns the extrema of v and whether all values are finite.
func minMax(v []float64) (lo, hi float64, finite bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, 0, false
		}
		lo = math.Min(lo, x)
		hi = math.Max(hi, x)
	}
	return lo, hi, true
}

// histogram is np.histogram(v, nbins, range=(lo, hi), density=True) for
// finite lo ≤ hi. It returns the density and the bin edges.
func histogram(v []float64, nbins int, lo, hi float64) (dens, edges []float64) {
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	// np.linspace(lo, hi, nbins+1): i·step + lo, last edge exactly hi.
	edges = make([]float64, nbins+1)
	step := (hi - lo) / float64(nbins)
	for i := range edges {
		edges[i] = float64(i)*step + lo
	}
	edges[nbins] = hi
	counts := make([]int, nbins)
	denom := hi - lo
	total := 0
	for _, x := range v {
		if !(x >= lo && x <= hi) {
			continue
		}
		f := (x - lo) / denom * float64(nbins)
		i := int(f)
		if i >= nbins {
			i = nbins - 1
		}
		// NumPy corrects the float index against the actual edges.
		if x < edges[i] {
			i--
		}
		if i < 0 {
			i = 0
		}
		if i != nbins-1 && x >= edges[i+1] {
			i++
		}
		counts[i]++
		total++
	}
	dens = make([]float64, nbins)
	for i, c := range counts {
		dens[i] = float64(c) / (edges[i+1] - edges[i]) / float64(total)
	}
	return dens, edges
}

// centres is upstream's bin-centre formula hx = edges[1:] − |e1 − e2|/2.
func centres(edges []float64) []float64 {
	dx := math.Abs(edges[1]-edges[2]) / 2
	hx := make([]float64, len(edges)-1)
	for i := range hx {
		hx[i] = edges[i+1] - dx
	}
	return hx
}

// OffsetMode is upstream offset_mode: the centre of the most populated bin
// of a ceil(sqrt(n))-bin density histogram over [min, max] (first maximum
// wins, as np.argmax). It returns NaN for empty or non-finite input (upstream
// raises there) and the value itself for a single value (upstream raises
// IndexError).
func OffsetMode(v []float64) float64 {
	lo, hi, ok := minMax(v)
	if !ok || len(v) == 0 {
		return math.NaN()
	}
	nbins := int(math.Ceil(math.Sqrt(float64(len(v)))))
	if nbins < 2 {
		return v[0]
	}
	dens, edges := histogram(v, nbins, lo, hi)
	hx := centres(edges)
	best := 0
	for i, d := range dens {
		if d > dens[best] {
			best = i
		}
	}
	return hx[best]
}

// OffsetGaussian is upstream offset_gaussian: the centre of a Gaussian
// (lmfit GaussianModel) fitted to the density histogram of v with
// 2·ceil(sqrt(n)) bins over [min − span/2, max + span/2].
func OffsetGaussian(v []float64) (float64, error) {
	if len(v) < 2 {
		return 0, qperr.New(qperr.BadArgument, "gaussian offset needs at least 2 values, got %d", len(v))
	}
	lo, hi, ok := minMax(v)
	if !ok {
		return 0, qperr.New(qperr.BadArgument, "gaussian offset: values must be finite")
	}
	nbins := 2 * int(math.Ceil(math.Sqrt(float64(len(v)))))
	dens, edges := histogram(v, nbins, lo-(hi-lo)/2, hi+(hi-lo)/2)
	hx := centres(edges)
	amp, cen, sig := guessFromPeak(hx, dens)
	p, err := fitGaussian(hx, dens, amp, cen, sig)
	if err != nil {
		return 0, err
	}
	return p[1], nil
}

// guessFromPeak is lmfit's guess_from_peak for a positive peak (x sorted).
func guessFromPeak(x, y []float64) (amp, cen, sig float64) {
	maxy, miny := math.Inf(-1), math.Inf(1)
	imax := 0
	for i, v := range y {
		if v > maxy {
			maxy, imax = v, i
		}
		miny = math.Min(miny, v)
	}
	cen = x[imax]
	height := (maxy - miny) * 3
	sig = (x[len(x)-1] - x[0]) / 6
	var half []float64
	for i, v := range y {
		if v > (maxy+miny)/2 {
			half = append(half, x[i])
		}
	}
	if len(half) > 2 {
		sig = (half[len(half)-1] - half[0]) / 2
		// np.mean: pairwise summation.
		cen = Mean(half)
	}
	return height * sig, cen, sig
}

const (
	s2pi = 2.5066282746310002    // sqrt(2π), lmfit.lineshapes.s2pi
	tiny = 2.220446049250313e-16 // lmfit.lineshapes.tiny
)

// lmConfig is what lmfit 1.1's leastsq hands MINPACK (scipy's defaults,
// spec §5.2: ftol = xtol = 1.49012e-8, gtol 0, factor 100, epsfcn machine
// epsilon); Maxfev is set per call to lmfit's 2000·(nvars+1)·2. The exact
// binary dpmpar constants, the NaN stop and BgfitCompat keep the results
// of this package's former lmdif port bit for bit (see minpack.Config).
var lmConfig = minpack.Config{
	Ftol:        1.49012e-8,
	Xtol:        1.49012e-8,
	Factor:      100,
	Dpmpar:      minpack.DpmparExact,
	StopOnNaN:   true,
	BgfitCompat: true,
}

// fitGaussian fits lmfit's GaussianModel to (x, y) the way lmfit 1.1's
// Model.fit does: MINPACK lmdif on the internal parameters (amplitude,
// center, u) with sigma = sqrt(u²+1) − 1 (lmfit's transform of min=0), the
// residual model − data. It returns (amplitude, center, sigma).
func fitGaussian(x, y []float64, amp, cen, sig float64) ([3]float64, error) {
	sigma := minpack.Bound{Lo: 0, Hi: math.Inf(1)}
	p := []float64{amp, cen, sigma.Internal(sig)}
	fcn := func(q, fvec []float64) error {
		s := sigma.External(q[2])
		pre := q[0] / math.Max(tiny, s2pi*s)
		den := math.Max(tiny, 2*(s*s))
		for i, xi := range x {
			d := xi - q[1]
			fvec[i] = pre*math.Exp(-(d*d)/den) - y[i]
		}
		return nil
	}
	cfg := lmConfig
	cfg.Maxfev = 2 * 2000 * (len(p) + 1)
	// The info code is not used: lmfit returns the parameters whatever it is.
	_, _ = minpack.Lmdif(fcn, len(x), p, cfg)
	out := [3]float64{p[0], p[1], sigma.External(p[2])}
	for _, v := range out {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return out, qperr.New(qperr.BadArgument, "gaussian offset: fit did not converge")
		}
	}
	return out, nil
}
