package holo

import (
	"math"
	"math/cmplx"
	"sync"

	"qpgo/core/fft"
	"qpgo/core/qperr"
)

// OAHOptions are the qpretrieve_kw of qpretrieve.OffAxisHologram 0.3.2
// (constructor and pipeline keywords).
type OAHOptions struct {
	SubtractMean bool // subtract_mean (default true)
	// Padding is the zero-padding factor (padding): 0 = none, n > 0 = square
	// grid of the next power of two ≥ n·max(rows, cols). Python True is 1.
	Padding                  int
	FilterName               string  // filter_name (default "disk")
	FilterSize               float64 // filter_size (default 1/3)
	FilterSizeInterpretation string  // "sideband distance" (default), "frequency index", "frequency"
	// ScaleToFilter is scale_to_filter: 0 = off, True = 1, else the factor.
	ScaleToFilter float64
	// SidebandFreq, if non-nil, skips the sideband search (cycles/pixel of
	// the padded grid, axis 0 then axis 1).
	SidebandFreq *[2]float64
	InvertPhase  bool // invert_phase
}

// DefaultOAHOptions returns upstream's defaults.
func DefaultOAHOptions() OAHOptions {
	return OAHOptions{
		SubtractMean:             true,
		Padding:                  2,
		FilterName:               "disk",
		FilterSize:               1.0 / 3,
		FilterSizeInterpretation: "sideband distance",
	}
}

// OAHResult is the retrieved field and the pipeline values upstream keeps in
// pipeline_kws (a background hologram can reuse SidebandFreq).
type OAHResult struct {
	Field          []complex128
	Rows, Cols     int
	SidebandFreq   [2]float64 // detected or given sideband
	FilterSizeFreq float64    // filter size in cycles/pixel
	PaddedSize     [2]int     // Fourier grid
}

// OffAxis retrieves the complex field of a rows×cols hologram.
func OffAxis(holo []float64, rows, cols int, opts OAHOptions) (field []complex128, frows, fcols int, err error) {
	r, err := OffAxisDetail(holo, rows, cols, opts)
	if err != nil {
		return nil, 0, 0, err
	}
	return r.Field, r.Rows, r.Cols, nil
}

// OffAxisDetail is OffAxis returning the pipeline values as well.
func OffAxisDetail(holo []float64, rows, cols int, opts OAHOptions) (*OAHResult, error) {
	f, err := NewFFTFilter(holo, rows, cols, opts.SubtractMean, opts.Padding)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return OffAxisOn(f, opts)
}

// FirstChannel returns channel 0 of a rows×cols×channels image (qpretrieve
// uses the first channel of RGB/RGBA holograms).
func FirstChannel(data []float64, rows, cols, channels int) ([]float64, error) {
	if rows <= 0 || cols <= 0 || channels <= 0 || len(data) != rows*cols*channels {
		return nil, qperr.New(qperr.BadArgument, "image of %d values does not have shape (%d, %d, %d)", len(data), rows, cols, channels)
	}
	out := make([]float64, rows*cols)
	for i := range out {
		out[i] = data[i*channels]
	}
	return out, nil
}

// spectrum is qpretrieve's FFTFilter: the unshifted FFT F of the
// preprocessed (mean-subtracted, zero-padded) image. fft_origin is
// fftshift(F); it is never materialised.
type spectrum struct {
	F       []complex128
	ox, oy  int // Fourier grid
	m, n    int // input shape
	padding bool
}

func newSpectrum(data []float64, rows, cols int, subtractMean bool, padding int) (*spectrum, error) {
	return newSpectrumOf(data, nil, rows, cols, subtractMean, padding)
}

// newSpectrumOf transforms real data (cdata nil) or complex cdata.
func newSpectrumOf(data []float64, cdata []complex128, rows, cols int, subtractMean bool, padding int) (*spectrum, error) {
	if rows <= 0 || cols <= 0 {
		return nil, qperr.New(qperr.BadArgument, "`data` with shape (%d, %d) has zero size!", rows, cols)
	}
	n := len(data)
	if cdata != nil {
		n = len(cdata)
	}
	if n != rows*cols {
		return nil, qperr.New(qperr.BadArgument, "%d values do not match shape (%d, %d)", n, rows, cols)
	}
	if padding < 0 {
		return nil, qperr.New(qperr.BadArgument, "`padding` must be >= 0, got %d", padding)
	}
	for _, v := range data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, qperr.New(qperr.BadArgument, "the interferogram contains NaN or infinite values")
		}
	}
	for _, v := range cdata {
		if cmplx.IsNaN(v) || cmplx.IsInf(v) {
			return nil, qperr.New(qperr.BadArgument, "the interferogram contains NaN or infinite values")
		}
	}
	sp := &spectrum{m: rows, n: cols, padding: padding != 0, ox: rows, oy: cols}
	if padding != 0 {
		// Same float expression as upstream: 2 ** ceil(log(p·max) / log(2)).
		order := math.Ceil(math.Log(float64(padding*max(rows, cols))) / math.Log(2))
		size := int(math.Pow(2, order))
		sp.ox, sp.oy = size, size
	}
	var buf []complex128
	if p, ok := specPool.Get().(*[]complex128); ok {
		buf = *p
	}
	if cdata != nil {
		var mean complex128
		if subtractMean {
			var sum complex128
			for _, v := range cdata {
				sum += v
			}
			mean = sum / complex(float64(len(cdata)), 0)
		}
		if cap(buf) < sp.ox*sp.oy {
			buf = make([]complex128, sp.ox*sp.oy)
		}
		buf = buf[:sp.ox*sp.oy]
		clear(buf)
		for i := 0; i < rows; i++ {
			row := buf[i*sp.oy : i*sp.oy+cols]
			for j, v := range cdata[i*cols : (i+1)*cols] {
				row[j] = v - mean
			}
		}
		if err := fft.FFT2(buf, sp.ox, sp.oy); err != nil {
			return nil, err
		}
		sp.F = buf
		return sp, nil
	}
	d := data
	if subtractMean {
		sum := 0.0
		for _, v := range data {
			sum += v
		}
		mean := sum / float64(len(data))
		d = make([]float64, len(data))
		for i, v := range data {
			d[i] = v - mean
		}
	}
	F, err := fft.FFT2RealInto(buf, d, rows, cols, sp.ox, sp.oy)
	if err != nil {
		return nil, err
	}
	sp.F = F
	return sp, nil
}

// specPool recycles the Fourier grids (64 MiB for a 2048² grid): the
// pipelines need them only until the filtered fields are computed.
var specPool sync.Pool // *[]complex128

// release gives the spectrum's buffer back; sp must not be used after it.
func (sp *spectrum) release() {
	if sp == nil || sp.F == nil {
		return
	}
	f := sp.F
	sp.F = nil
	specPool.Put(&f)
}

// origin returns fft_origin[a, b] = fftshift(F)[a, b].
func (sp *spectrum) origin(a, b int) complex128 {
	i := (a - sp.ox/2 + sp.ox) % sp.ox
	j := (b - sp.oy/2 + sp.oy) % sp.oy
	return sp.F[i*sp.oy+j]
}

// pyRange is Python's slice(start, stop) applied to a length-n axis.
func pyRange(start, stop, n int) (int, int) {
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
	return norm(start), norm(stop)
}

// findPeak is find_peak_cosine (periodicity 0) or find_peaks_qlsi
// (periodicity > 0: annulus 1/(1.2p) ≤ |f| ≤ 1/(0.8p) and fy < 0 only).
// Ties resolve to the first maximum in C order, like numpy.argmax.
func (sp *spectrum) findPeak(periodicity float64) [2]float64 {
	ox, oy := sp.ox, sp.oy
	cx, cy := ox/2, oy/2
	minlo := max(int(math.Ceil(float64(ox)/42)), 5)
	zeroRow := make([]bool, ox)
	zeroCol := make([]bool, oy)
	lo, hi := pyRange(cx-minlo, ox, ox)
	for a := lo; a < hi; a++ {
		zeroRow[a] = true
	}
	lo, hi = pyRange(cx-3, cx+3, ox)
	for a := lo; a < hi; a++ {
		zeroRow[a] = true
	}
	lo, hi = pyRange(cy-3, cy+3, oy)
	for b := lo; b < hi; b++ {
		zeroCol[b] = true
	}
	fxs, fys := npShiftedFreq(ox), npShiftedFreq(oy)
	keepCol := make([]bool, oy)
	for b := range keepCol {
		keepCol[b] = !zeroCol[b]
	}
	// np.argmax(abs(...)) over the kept region; zeroed entries count as 0.
	// Pass 1 finds the largest squared magnitude, pass 2 evaluates hypot
	// (numpy's abs) only near it and keeps the first maximum in C order, so
	// the result is numpy's even where rounding makes |z|² and hypot
	// disagree about near-ties.
	kept := func(a, b int) bool {
		if zeroRow[a] || !keepCol[b] {
			return false
		}
		if periodicity > 0 {
			r := math.Sqrt(fxs[a]*fxs[a] + fys[b]*fys[b])
			if r > 1/(periodicity*.8) || r < 1/(periodicity*1.2) || !(fys[b] < 0) {
				return false
			}
		}
		return true
	}
	rowOf := func(a int) []complex128 {
		i := (a - ox/2 + ox) % ox
		return sp.F[i*oy : (i+1)*oy]
	}
	colOf := func(b int) int { return (b - oy/2 + oy) % oy }
	m2 := 0.0
	for a := 0; a < ox; a++ {
		if zeroRow[a] {
			continue
		}
		row := rowOf(a)
		for b := 0; b < oy; b++ {
			if !kept(a, b) {
				continue
			}
			z := row[colOf(b)]
			if v := real(z)*real(z) + imag(z)*imag(z); v > m2 {
				m2 = v
			}
		}
	}
	if !(m2 > 0) {
		// All zero (or NaN): argmax of an all-zero array is index 0.
		return [2]float64{fxs[0], fys[0]}
	}
	thr := m2 * (1 - 1e-9)
	best, bi, bj := -1.0, 0, 0
	for a := 0; a < ox; a++ {
		if zeroRow[a] {
			continue
		}
		row := rowOf(a)
		for b := 0; b < oy; b++ {
			if !kept(a, b) {
				continue
			}
			z := row[colOf(b)]
			if real(z)*real(z)+imag(z)*imag(z) < thr {
				continue
			}
			if v := math.Hypot(real(z), imag(z)); v > best {
				best, bi, bj = v, a, b
			}
		}
	}
	return [2]float64{fxs[bi], fys[bj]}
}

// filterSize is BaseInterferogram.compute_filter_size.
func (sp *spectrum) filterSize(size float64, interp string, sb [2]float64) (float64, error) {
	if math.IsNaN(size) {
		return 0, qperr.New(qperr.BadArgument, "`filter_size` must not be NaN")
	}
	switch interp {
	case "frequency":
		return size, nil
	case "sideband distance":
		if math.IsNaN(sb[0]) || math.IsNaN(sb[1]) {
			return 0, qperr.New(qperr.BadArgument, "`sideband_freq` must be set!")
		}
		if size <= 0 || size >= 1 {
			return 0, qperr.New(qperr.BadArgument, "For sideband distance interpretation, `filter_size` must be between 0 and 1; got '%s'!", pyFloat(size))
		}
		return math.Sqrt(sb[0]*sb[0]+sb[1]*sb[1]) * size, nil
	case "frequency index":
		half := float64(sp.ox) / 2
		if size <= 0 || size >= half {
			return 0, qperr.New(qperr.BadArgument, "For frequency index interpretation, `filter_size` must be between 0 and %s, got '%s'!", pyFloatRepr(half), pyFloat(size))
		}
		return size / float64(sp.ox), nil
	}
	return 0, qperr.New(qperr.BadArgument, "Invalid value for `filter_size_interpretation`: '%s'", interp)
}

// filter is FFTFilter.filter: multiply fft_origin by the filter, roll the
// sideband to the centre, optionally crop to the filter (scale_to_filter),
// inverse transform and crop to the input shape when padded.
func (sp *spectrum) filter(name string, fsize float64, sb [2]float64, scale float64) ([]complex128, int, int, error) {
	filt, err := filterArray(name, fsize, sb[0], sb[1], sp.ox, sp.oy)
	if err != nil {
		return nil, 0, 0, err
	}
	n := sp.ox
	px := int(sb[0] * float64(n))
	py := int(sb[1] * float64(n))
	// fft_used window [lo, lo+m) in both axes.
	lo, m := 0, n
	if scale != 0 {
		if math.IsNaN(scale) || scale < 0 {
			return nil, 0, 0, qperr.New(qperr.BadArgument, "`scale_to_filter` must be a non-negative number")
		}
		crad := int(math.Ceil(fsize * float64(n) * scale))
		a, b := pyRange(n/2-crad, n/2+crad, n)
		if b <= a {
			return nil, 0, 0, qperr.New(qperr.BadArgument, "`scale_to_filter` crops the Fourier data to nothing")
		}
		lo, m = a, b-a
	}
	// ifft input G[i,j] = fft_used[lo+(i+m/2)%m, …], where
	// fft_used[a,b] = F[(a+px-n/2) mod n, …]·filt[(a+px) mod n, …].
	// Only the rows of G where the filter is non-zero are built (rows of M,
	// listed in rowIdx); IFFT2CropRows never materialises G.
	idx := func(i, shift int) (src, fi int) {
		a := lo + (i+m/2)%m
		fi = ((a+shift)%n + n) % n
		src = ((a+shift-n/2)%n + n) % n
		return
	}
	srcJ := make([]int, m)
	filJ := make([]int, m)
	for j := 0; j < m; j++ {
		srcJ[j], filJ[j] = idx(j, py)
	}
	var rowIdx []int
	for i := 0; i < m; i++ {
		_, fi := idx(i, px)
		if filt.rowNZ[fi] {
			rowIdx = append(rowIdx, i)
		}
	}
	M := make([]complex128, len(rowIdx)*m)
	for k, i := range rowIdx {
		si, fi := idx(i, px)
		frow := filt.f[fi*n : (fi+1)*n]
		srow := sp.F[si*n : (si+1)*n]
		grow := M[k*m : (k+1)*m]
		for j := range grow {
			if w := frow[filJ[j]]; w != 0 {
				z := srow[srcJ[j]]
				grow[j] = complex(real(z)*w, imag(z)*w)
			}
		}
	}
	outR, outC := m, m
	if sp.padding {
		outR, outC = sp.m, sp.n
		if scale != 0 {
			crad := m / 2
			outR = int(math.Ceil(float64(sp.m*2*crad) / float64(n)))
			outC = int(math.Ceil(float64(sp.n*2*crad) / float64(n)))
		}
		outR, outC = min(outR, m), min(outC, m)
	}
	field, err := fft.IFFT2CropRows(M, rowIdx, m, m, outR, outC)
	if err != nil {
		return nil, 0, 0, err
	}
	if sp.padding && scale != 0 {
		f := float64(2*(m/2)) / float64(n)
		f *= f
		for i, v := range field {
			field[i] = complex(real(v)*f, imag(v)*f)
		}
	}
	return field, outR, outC, nil
}
