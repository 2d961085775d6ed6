package refocus

import (
	"math"
	"math/cmplx"
	"sort"
	"sync"

	"qpgo/core/fft"
	"qpgo/core/qperr"
)

// This file is the numerics of nrefocus 0.5.3's interface objects
// (iface.RefocusNumpy, RefocusNumpy1D, RefocusPyFFTW): the padded input
// spectrum ("fft_origin"), propagation of that spectrum to a distance, the
// propagation kernel itself, the five focus metrics and the "legacy"
// minimizer. A 1-D field is a 1×n grid with Dim1 set (padding and the
// border band then act on the one axis only).

// PadMode tells how the pad value and the ramps of PadAddGeneral are
// computed, after the dtype of the array numpy pads.
type PadMode int

const (
	// PadComplex: pad value mean(|b|)·exp(i·mean(angle(b))).
	PadComplex PadMode = iota
	// PadReal: pad value mean(b) of the real parts.
	PadReal
	// PadInteger: as PadReal, ramps rounded down (numpy.pad of an
	// integer array).
	PadInteger
)

// pySlice returns range(*slice(start, stop).indices(n)) bounds for a
// step of 1 (Python's clamping of negative and out-of-range bounds).
func pySlice(start, stop, n int) (int, int) {
	norm := func(v int) int {
		if v < 0 {
			v += n
			if v < 0 {
				v = 0
			}
		}
		if v > n {
			v = n
		}
		return v
	}
	lo, hi := norm(start), norm(stop)
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

// stlenRange is the inner (unmasked) index range of mask[stlen:-stlen].
func stlenRange(stlen, n int) (int, int) {
	return pySlice(stlen, -stlen, n)
}

// PadAddGeneral is nrefocus.pad.pad_add(av, size, stlen) for a rows×cols
// array (dim1: a 1-D array of cols values, rows must be 1) padded to
// outRows×outCols (outRows ignored for dim1).
func PadAddGeneral(field []complex128, rows, cols, outRows, outCols, stl int, mode PadMode, dim1 bool) ([]complex128, error) {
	if err := checkField(field, rows, cols); err != nil {
		return nil, err
	}
	if dim1 {
		if rows != 1 {
			return nil, qperr.New(qperr.BadArgument, "a 1D array has one row, got %d", rows)
		}
		outRows = 1
	}
	if (!dim1 && outRows <= rows) || outCols <= cols {
		return nil, qperr.New(qperr.BadArgument, "Can only pad when new size larger than old size")
	}
	if outRows*outCols > 1<<31 {
		return nil, qperr.New(qperr.BadArgument, "padded size %dx%d is too large", outRows, outCols)
	}
	r0, r1 := 0, rows
	if !dim1 {
		r0, r1 = stlenRange(stl, rows)
	}
	c0, c1 := stlenRange(stl, cols)
	var sa, sp, sr float64
	nb := 0
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			if i >= r0 && i < r1 && j >= c0 && j < c1 {
				continue
			}
			v := field[i*cols+j]
			sa += cmplx.Abs(v)
			sp += cmplx.Phase(v)
			sr += real(v)
			nb++
		}
	}
	var pv complex128
	switch {
	case nb == 0:
		pv = complex(math.NaN(), 0) // numpy: mean of an empty band
	case mode == PadComplex:
		pv = complex(sa/float64(nb), 0) * cmplx.Exp(complex(0, sp/float64(nb)))
	default:
		pv = complex(sr/float64(nb), 0)
	}
	rnd := func(v complex128) complex128 {
		if mode != PadInteger {
			return v
		}
		return complex(math.Floor(real(v)), math.Floor(imag(v)))
	}
	R, C := outRows, outCols
	lx, rx := 0, 0
	if !dim1 {
		lx, rx = padLR(rows, R)
	}
	ly, ry := padLR(cols, C)
	P := make([]complex128, R*C)
	mid := make([]complex128, cols)
	for i := 0; i < R; i++ {
		switch {
		case i < lx:
			for j := range mid {
				mid[j] = rnd(rampAt(pv, rampStep(pv, field[j], lx), i))
			}
		case i >= lx+rows:
			k := rx - 1 - (i - lx - rows)
			for j := range mid {
				mid[j] = rnd(rampAt(pv, rampStep(pv, field[(rows-1)*cols+j], rx), k))
			}
		default:
			copy(mid, field[(i-lx)*cols:(i-lx+1)*cols])
		}
		r := (i - lx + R) % R
		dst := P[r*C : (r+1)*C]
		padRow(dst, mid, pv, ly, ry)
		if mode == PadInteger {
			for j := cols; j < C; j++ {
				dst[j] = rnd(dst[j])
			}
		}
	}
	return P, nil
}

// PadRemGeneral is nrefocus.pad.pad_rem(pv, size): the top-left
// outRows×outCols block (dim1: the first outCols values).
func PadRemGeneral(padded []complex128, rows, cols, outRows, outCols int) ([]complex128, error) {
	if err := checkShape(padded, rows, cols); err != nil {
		return nil, err
	}
	outRows, outCols = min(max(outRows, 0), rows), min(max(outCols, 0), cols)
	out := make([]complex128, outRows*outCols)
	for i := 0; i < outRows; i++ {
		copy(out[i*outCols:(i+1)*outCols], padded[i*cols:i*cols+outCols])
	}
	return out, nil
}

func checkShape(a []complex128, rows, cols int) error {
	if rows < 0 || cols < 0 || len(a) != rows*cols {
		return qperr.New(qperr.BadArgument, "%d values do not match shape (%d, %d)", len(a), rows, cols)
	}
	return nil
}

// Spectrum is the "fft_origin" of an nrefocus interface object: the FFT
// of field (1-D FFT for dim1), linear-ramp padded to twice its size first
// when padding. It returns the spectrum and its shape.
func Spectrum(field []complex128, rows, cols int, mode PadMode, padding, dim1 bool) ([]complex128, int, int, error) {
	if err := checkField(field, rows, cols); err != nil {
		return nil, 0, 0, err
	}
	if dim1 && rows != 1 {
		return nil, 0, 0, qperr.New(qperr.BadArgument, "a 1D field has one row, got %d", rows)
	}
	S, R, C := append([]complex128(nil), field...), rows, cols
	if padding {
		R, C = 2*rows, 2*cols
		if dim1 {
			R = 1
		}
		var err error
		if S, err = PadAddGeneral(field, rows, cols, R, C, stlen, mode, dim1); err != nil {
			return nil, 0, 0, err
		}
	}
	if err := fft.FFT2(S, R, C); err != nil {
		return nil, 0, 0, err
	}
	return S, R, C, nil
}

// Params are an interface object's propagation parameters (lengths in m).
type Params struct {
	Wavelength, PixelSize, MediumIndex, Distance float64
	Kernel                                       string
}

func (p Params) check() error {
	for _, q := range []struct {
		name string
		v    float64
	}{{"distance", p.Distance}, {"wavelength", p.Wavelength}, {"pixel size", p.PixelSize}, {"medium index", p.MediumIndex}} {
		if math.IsNaN(q.v) || math.IsInf(q.v, 0) {
			return qperr.New(qperr.BadArgument, "%s must be finite, got %v", q.name, q.v)
		}
		if q.name != "distance" && q.v <= 0 {
			return qperr.New(qperr.BadArgument, "%s must be positive, got %v", q.name, q.v)
		}
	}
	if p.Kernel != "helmholtz" && p.Kernel != "fresnel" {
		return qperr.New(qperr.UnknownKey, "Unknown propagation kernel: '%s'", p.Kernel)
	}
	return nil
}

// plainCache keeps the most recent unprepared kernels (R×C values each).
var plainCache = struct {
	sync.Mutex
	keys []kernelKey
	vals [][]complex128
}{}

// Kernel is nrefocus Refocus.get_kernel(distance) for an R×C spectrum.
// The returned slice is shared (cached): callers must not modify it.
func Kernel(R, C int, p Params, distance float64) ([]complex128, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	if math.IsNaN(distance) || math.IsInf(distance, 0) {
		return nil, qperr.New(qperr.BadArgument, "distance must be finite, got %v", distance)
	}
	if R <= 0 || C <= 0 {
		return nil, qperr.New(qperr.BadArgument, "kernel shape (%d, %d) has zero size", R, C)
	}
	key := kernelKey{R, C, distance - p.Distance, p.Wavelength, p.PixelSize, p.MediumIndex, p.Kernel}
	plainCache.Lock()
	for i, k := range plainCache.keys {
		if k == key {
			v := plainCache.vals[i]
			plainCache.Unlock()
			return v, nil
		}
	}
	plainCache.Unlock()
	K := make([]complex128, R*C)
	if err := makeKernel(K, R, C, key.distance, p.Wavelength, p.PixelSize, p.MediumIndex, p.Kernel); err != nil {
		return nil, err
	}
	plainCache.Lock()
	if len(plainCache.keys) >= kernelCacheSize {
		plainCache.keys = plainCache.keys[1:]
		plainCache.vals = plainCache.vals[1:]
	}
	plainCache.keys = append(plainCache.keys, key)
	plainCache.vals = append(plainCache.vals, K)
	plainCache.Unlock()
	return K, nil
}

// Propagate is the interface object's propagate(distance): the inverse
// FFT of spectrum·kernel, cropped to outRows×outCols (the field's shape
// when padded, else the spectrum's).
func Propagate(spec []complex128, R, C int, p Params, distance float64, outRows, outCols int) ([]complex128, error) {
	if err := checkShape(spec, R, C); err != nil {
		return nil, err
	}
	if outRows <= 0 || outCols <= 0 || outRows > R || outCols > C {
		return nil, qperr.New(qperr.BadArgument, "crop %dx%d outside the %dx%d spectrum", outRows, outCols, R, C)
	}
	K, err := Kernel(R, C, p, distance)
	if err != nil {
		return nil, err
	}
	B := make([]complex128, R*C)
	if err := parallelRows(R, func(lo, hi int) {
		for i := lo * C; i < hi*C; i++ {
			B[i] = spec[i] * K[i]
		}
	}); err != nil {
		return nil, err
	}
	return fft.IFFT2Crop(B, R, C, outRows, outCols)
}

// ROI is a region of interest of a propagated field: rows R0, R0+RS, …
// (RN of them) and columns C0, C0+CS, … (CN of them).
type ROI struct {
	R0, RN, RS, C0, CN, CS int
}

// Metric names of nrefocus.metrics.METRICS.
const (
	MetricAverageGradient = "average gradient"
	MetricRMSContrast     = "rms contrast"
	MetricSpectrum        = "spectrum"
	MetricStdGradient     = "std gradient"
	MetricMedGradient     = "med gradient"
)

// Metric evaluates one of nrefocus' focus metrics of the spectrum
// propagated to distance (field cropped to outRows×outCols; roi nil: the
// whole field; dim1: a 1-D field).
func Metric(spec []complex128, R, C int, p Params, distance float64, outRows, outCols int, metric string, roi *ROI, dim1 bool) (float64, error) {
	switch metric {
	case MetricSpectrum:
		if roi != nil {
			return 0, qperr.New(qperr.BadArgument, "Spectral method does not support ROIs!")
		}
		return metricSpectrum(spec, R, C, p, distance, dim1)
	case MetricAverageGradient, MetricRMSContrast, MetricStdGradient, MetricMedGradient:
	default:
		return 0, qperr.New(qperr.UnknownKey, "'%s'", metric)
	}
	f, err := Propagate(spec, R, C, p, distance, outRows, outCols)
	if err != nil {
		return 0, err
	}
	rows, cols := outRows, outCols
	if roi != nil {
		if err := checkROI(roi, rows, cols); err != nil {
			return 0, err
		}
	}
	if metric == MetricRMSContrast {
		if dim1 {
			return 0, qperr.New(qperr.BadArgument, "tuple index out of range (rms contrast needs a 2D field)")
		}
		data := make([]float64, len(f))
		var av float64
		for i, v := range f {
			data[i] = -cmplx.Phase(v)
			av += data[i]
		}
		av /= float64(len(data))
		mal := 1 / (float64(rows) * float64(cols))
		var s float64
		if roi == nil {
			for _, v := range data {
				s += (v - av) * (v - av)
			}
		} else {
			sub := subset(data, cols, roi)
			for _, v := range sub {
				s += (v - av) * (v - av)
			}
		}
		return math.Sqrt(mal * s), nil
	}
	amp := make([]float64, len(f))
	for i, v := range f {
		amp[i] = cmplx.Abs(v)
	}
	if roi != nil {
		amp = subset(amp, cols, roi)
		rows, cols = roi.RN, roi.CN
	}
	g, err := gradient(amp, rows, cols, dim1)
	if err != nil {
		return 0, err
	}
	n := float64(len(g))
	switch metric {
	case MetricAverageGradient:
		var s float64
		for _, v := range g {
			s += v * v
		}
		return s / n, nil
	case MetricMedGradient:
		for i, v := range g {
			g[i] = v * v
		}
		if len(g) == 0 {
			return math.NaN(), nil
		}
		sort.Float64s(g)
		m := len(g) / 2
		if len(g)%2 == 1 {
			return g[m], nil
		}
		return (g[m-1] + g[m]) / 2, nil
	default: // std gradient
		var s float64
		for _, v := range g {
			s += v
		}
		mean := s / n
		var q float64
		for _, v := range g {
			q += (v - mean) * (v - mean)
		}
		return math.Sqrt(q / n), nil
	}
}

func checkROI(roi *ROI, rows, cols int) error {
	in := func(start, n, step, size int) bool {
		if n == 0 {
			return true
		}
		last := start + (n-1)*step
		return n > 0 && step != 0 && start >= 0 && start < size && last >= 0 && last < size
	}
	if !in(roi.R0, roi.RN, roi.RS, rows) || !in(roi.C0, roi.CN, roi.CS, cols) {
		return qperr.New(qperr.BadArgument, "region of interest outside the %dx%d field", rows, cols)
	}
	return nil
}

func subset(a []float64, cols int, roi *ROI) []float64 {
	out := make([]float64, 0, roi.RN*roi.CN)
	for i := 0; i < roi.RN; i++ {
		r := roi.R0 + i*roi.RS
		for j := 0; j < roi.CN; j++ {
			out = append(out, a[r*cols+roi.C0+j*roi.CS])
		}
	}
	return out
}

// gradient returns numpy.gradient(a) (edge_order 1) flattened: the
// derivative along axis 0, then along axis 1 (only axis 1 for dim1).
func gradient(a []float64, rows, cols int, dim1 bool) ([]float64, error) {
	if (!dim1 && rows < 2) || cols < 2 {
		return nil, qperr.New(qperr.BadArgument, "Shape of array too small to calculate a numerical gradient, at least (edge_order + 1) elements are required.")
	}
	n := rows * cols
	var g []float64
	if !dim1 {
		g = make([]float64, 2*n)
		for j := 0; j < cols; j++ {
			g[j] = a[cols+j] - a[j]
			g[(rows-1)*cols+j] = a[(rows-1)*cols+j] - a[(rows-2)*cols+j]
		}
		for i := 1; i < rows-1; i++ {
			for j := 0; j < cols; j++ {
				g[i*cols+j] = (a[(i+1)*cols+j] - a[(i-1)*cols+j]) / 2
			}
		}
	} else {
		g = make([]float64, n)
	}
	h := g[len(g)-n:]
	for i := 0; i < rows; i++ {
		r := a[i*cols : (i+1)*cols]
		o := h[i*cols : (i+1)*cols]
		o[0] = r[1] - r[0]
		o[cols-1] = r[cols-1] - r[cols-2]
		for j := 1; j < cols-1; j++ {
			o[j] = (r[j+1] - r[j-1]) / 2
		}
	}
	return g, nil
}

// metricSpectrum is nrefocus.metrics.metric_spectrum: the band-limited
// log spectrum of spectrum·kernel. The band mask is built as upstream does,
// with the frequencies of axis 0 along axis 1 and vice versa (the same for
// square spectra); a masked index outside a non-square spectrum is an
// error, as numpy's IndexError.
func metricSpectrum(spec []complex128, R, C int, p Params, distance float64, dim1 bool) (float64, error) {
	if dim1 {
		return 0, qperr.New(qperr.BadArgument, "too many indices for array: the spectrum metric needs a 2D field")
	}
	if err := checkShape(spec, R, C); err != nil {
		return 0, err
	}
	K, err := Kernel(R, C, p, distance)
	if err != nil {
		return 0, err
	}
	wl := p.Wavelength / p.PixelSize
	kx, ky := pyFreq(R), pyFreq(C) // kx along axis 1 (length R), ky along axis 0 (length C)
	for i := range kx {
		kx[i] *= 2 * math.Pi
	}
	for i := range ky {
		ky[i] *= 2 * math.Pi
	}
	kmax := (2 * math.Pi) / (2 * wl)
	kmax2 := kmax * kmax
	// masked (a, b), a < C (ky), b < R (kx), must lie inside R×C
	for a := 0; a < C; a++ {
		for b := 0; b < R; b++ {
			if kx[b]*kx[b]+ky[a]*ky[a] > kmax2 && (a >= R || b >= C) {
				if a >= R {
					return 0, qperr.New(qperr.BadArgument, "index %d is out of bounds for axis 0 with size %d", a, R)
				}
				return 0, qperr.New(qperr.BadArgument, "index %d is out of bounds for axis 1 with size %d", b, C)
			}
		}
	}
	sums := make([]float64, R)
	err = parallelRows(R, func(lo, hi int) {
		for a := lo; a < hi; a++ {
			var s float64
			for b := 0; b < C; b++ {
				if a == 0 && b == 0 {
					continue // fftdata[0, 0] = 0: log(1) = 0
				}
				if a < C && b < R && kx[b]*kx[b]+ky[a]*ky[a] > kmax2 {
					continue
				}
				s += math.Log(1 + cmplx.Abs(spec[a*C+b]*K[a*C+b]))
			}
			sums[a] = s
		}
	})
	if err != nil {
		return 0, err
	}
	var s float64
	for _, v := range sums {
		s += v
	}
	return s / math.Sqrt(float64(R)*float64(C)), nil
}

// pyFreq is numpy.fft.fftfreq(n) evaluated as numpy does: k·(1/n).
func pyFreq(n int) []float64 {
	f := make([]float64, n)
	val := 1 / float64(n)
	for i := range f {
		k := i
		if i >= (n+1)/2 {
			k = i - n
		}
		f[i] = float64(k) * val
	}
	return f
}

// linspace is numpy.linspace(a, b, n) (endpoint=True): k·step + a with
// the last value b.
func linspace(a, b float64, n int) []float64 {
	y := make([]float64, n)
	if n == 1 {
		y[0] = a
		return y
	}
	step := (b - a) / float64(n-1)
	for k := range y {
		y[k] = float64(k)*step + a
	}
	y[n-1] = b
	return y
}

// LegacyResult is what nrefocus' legacy minimizer returns.
type LegacyResult struct {
	Distance     float64
	Grid, Values []float64 // coarse grid search
}

// AutofocusLegacy is nrefocus.minimizers.minimize_legacy with a built-in
// metric: a coarse grid of int(100/coarseAcc) distances over interval,
// then 10-point grids around the minimum until the metric changes by less
// than fineAcc·100 from the coarse minimum (at most maxFine refinements).
func AutofocusLegacy(spec []complex128, R, C int, p Params, outRows, outCols int, metric string, roi *ROI, dim1 bool, lo, hi, coarseAcc, fineAcc float64) (LegacyResult, error) {
	if !(coarseAcc > 0) || math.IsInf(coarseAcc, 0) {
		return LegacyResult{}, qperr.New(qperr.BadArgument, "coarse_acc must be positive, got %v", coarseAcc)
	}
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return LegacyResult{}, qperr.New(qperr.BadArgument, "interval must be finite")
	}
	n := int(100 / coarseAcc)
	if n < 3 || n > 1e6 {
		return LegacyResult{}, qperr.New(qperr.BadArgument, "coarse_acc %v gives %d grid points (need 3 to 1e6)", coarseAcc, n)
	}
	eval := func(d float64) (float64, error) {
		return Metric(spec, R, C, p, d, outRows, outCols, metric, roi, dim1)
	}
	zc := linspace(lo, hi, n)
	gradc := make([]float64, n)
	for i, d := range zc {
		v, err := eval(d)
		if err != nil {
			return LegacyResult{}, err
		}
		gradc[i] = v
	}
	grid := append([]float64(nil), zc...)
	minid := argmin(gradc)
	if minid == 0 {
		s := zc[1] - zc[0]
		for i := range zc {
			zc[i] -= s
		}
		minid++
	}
	if minid == len(zc)-1 {
		s := zc[1] - zc[0]
		for i := range zc {
			zc[i] += s
		}
		minid--
	}
	zf := append([]float64(nil), zc...)
	const numfine = 10
	mingrad := gradc[minid]
	gradf := make([]float64, numfine)
	for it := 0; ; it++ {
		if it >= maxFine {
			return LegacyResult{}, qperr.New(qperr.Runtime, "legacy minimizer did not converge in %d refinements", maxFine)
		}
		zf = linspace(zf[minid-1], zf[minid+1], numfine)
		for i, d := range zf {
			v, err := eval(d)
			if err != nil {
				return LegacyResult{}, err
			}
			gradf[i] = v
		}
		minid = argmin(gradf)
		if minid == 0 {
			s := zf[1] - zf[0]
			for i := range zf {
				zf[i] -= s
			}
			minid++
		}
		if minid == len(zf)-1 {
			s := zf[1] - zf[0]
			for i := range zf {
				zf[i] += s
			}
			minid--
		}
		if math.Abs(mingrad-gradf[minid])/100 < fineAcc {
			break
		}
	}
	return LegacyResult{Distance: zf[argmin(gradf)], Grid: grid, Values: gradc}, nil
}

// maxFine bounds the legacy minimizer's refinements (upstream loops until
// its criterion holds).
const maxFine = 10000

// argmin is numpy.argmin: the first index of the smallest value, the first
// NaN if there is one.
func argmin(v []float64) int {
	best := 0
	for i, x := range v {
		if math.IsNaN(x) {
			return i
		}
		if x < v[best] {
			best = i
		}
	}
	return best
}
