package holo

import (
	"math"
	"math/cmplx"
	"sort"

	"qpgo/core/fft"
	"qpgo/core/qperr"
)

// UnwrapFunc unwraps a rows×cols wrapped phase image (skimage's
// unwrap_phase upstream).
type UnwrapFunc func(phase []float64, rows, cols int) ([]float64, error)

// QLSIOptions are the qpretrieve_kw of qpretrieve.QLSInterferogram 0.3.2.
// InvertPhase is accepted but ignored, as upstream.
type QLSIOptions struct {
	OAHOptions
	// Wavelength [m] and PitchTerm (qlsi_pitch_term [m]); 0 means "not
	// given" and is replaced by 1 (upstream warns: phase only qualitative).
	Wavelength, PitchTerm float64
	// Unwrap unwraps the gradient phases; nil uses the built-in fallback
	// (see package documentation).
	Unwrap UnwrapFunc
}

// DefaultQLSIOptions returns upstream's defaults (square filter of half the
// sideband distance).
func DefaultQLSIOptions() QLSIOptions {
	o := DefaultOAHOptions()
	o.FilterName = "square"
	o.FilterSize = 0.5
	return QLSIOptions{OAHOptions: o}
}

// QLSIResult holds the outputs of QLSInterferogram.run_pipeline.
type QLSIResult struct {
	Amplitude, Phase, Wavefront []float64
	Rows, Cols                  int
	SidebandFreq                [2]float64
	PaddedSize                  [2]int
	// Qualitative is true when wavelength or pitch term was missing.
	Qualitative bool
}

// QLSI retrieves amplitude and phase [rad] from a rows×cols QLSI
// interferogram; reference (same shape) may be nil.
func QLSI(data, reference []float64, rows, cols int, opts QLSIOptions) (amplitude, phase []float64, err error) {
	r, err := QLSIDetail(data, reference, rows, cols, opts)
	if err != nil {
		return nil, nil, err
	}
	return r.Amplitude, r.Phase, nil
}

// QLSIDetail is QLSI returning the wavefront and pipeline values as well.
func QLSIDetail(data, reference []float64, rows, cols int, opts QLSIOptions) (*QLSIResult, error) {
	sp, err := newSpectrum(data, rows, cols, opts.SubtractMean, opts.Padding)
	if err != nil {
		return nil, err
	}
	var spRef *spectrum
	if reference != nil {
		if len(reference) != len(data) {
			return nil, qperr.New(qperr.BadArgument, "reference with %d values does not match the data shape (%d, %d)", len(reference), rows, cols)
		}
		if spRef, err = newSpectrum(reference, rows, cols, opts.SubtractMean, opts.Padding); err != nil {
			return nil, err
		}
	}
	var sb [2]float64
	if opts.SidebandFreq != nil {
		sb = *opts.SidebandFreq
	} else {
		sb = sp.findPeak(4)
	}
	fsize, err := sp.filterSize(opts.FilterSize, opts.FilterSizeInterpretation, sb)
	if err != nil {
		return nil, err
	}
	fourierRows = sp.ox
	res := &QLSIResult{SidebandFreq: sb, PaddedSize: [2]int{sp.ox, sp.oy}}
	pitch, wl := opts.PitchTerm, opts.Wavelength
	if pitch == 0 {
		pitch, res.Qualitative = 1, true
	}
	if wl == 0 {
		wl, res.Qualitative = 1, true
	}
	if math.IsNaN(pitch) || math.IsNaN(wl) || math.IsInf(pitch, 0) || math.IsInf(wl, 0) {
		return nil, qperr.New(qperr.BadArgument, "wavelength and qlsi_pitch_term must be finite")
	}
	fx, fy := sb[0], sb[1]
	posX, posY := [2]float64{fx, fy}, [2]float64{-fy, fx}
	hx, sx, sy, err := sp.filter(opts.FilterName, fsize, posX, opts.ScaleToFilter)
	if err != nil {
		return nil, err
	}
	hy, _, _, err := sp.filter(opts.FilterName, fsize, posY, opts.ScaleToFilter)
	if err != nil {
		return nil, err
	}
	if spRef != nil {
		hbx, _, _, err := spRef.filter(opts.FilterName, fsize, posX, opts.ScaleToFilter)
		if err != nil {
			return nil, err
		}
		hby, _, _, err := spRef.filter(opts.FilterName, fsize, posY, opts.ScaleToFilter)
		if err != nil {
			return nil, err
		}
		for i := range hx {
			hx[i] /= hbx[i]
			hy[i] /= hby[i]
		}
	}
	unwrap := opts.Unwrap
	if unwrap == nil {
		unwrap = fallbackUnwrap
	}
	angles := func(h []complex128) []float64 {
		a := make([]float64, len(h))
		for i, v := range h {
			a[i] = cmplx.Phase(v)
		}
		return a
	}
	gx, err := unwrap(angles(hx), sx, sy)
	if err != nil {
		return nil, err
	}
	gy, err := unwrap(angles(hy), sx, sy)
	if err != nil {
		return nil, err
	}
	if len(gx) != sx*sy || len(gy) != sx*sy {
		return nil, qperr.New(qperr.Internal, "unwrapper returned %d/%d values for %dx%d", len(gx), len(gy), sx, sy)
	}
	wf, orows, ocols, err := integrateGradients(gx, gy, sx, sy, math.Atan2(fy, fx), sp.ox, sp.oy, qv)
	if err != nil {
		return nil, err
	}
	ph := make([]float64, len(wf))
	for i := range wf {
		wf[i] *= pitch
		ph[i] = wf[i] / wl * 2 * math.Pi
	}
	amp := make([]float64, len(hx))
	res.Rows, res.Cols = orows, ocols
	for i := range hx {
		amp[i] = cmplx.Abs(hx[i]) + cmplx.Abs(hy[i])
	}
	res.Amplitude, res.Phase, res.Wavefront = amp, ph, wf
	return res, nil
}

// padMedian is numpy.pad(g, ((a, a), (b, b)), mode="median") for a
// rows×cols image: axis 0 first (each original column's median fills its
// pad rows), then axis 1 over all rows (median over the original columns).
func padMedian(g []float64, rows, cols, a, b int) []float64 {
	P, Q := rows+2*a, cols+2*b
	out := make([]float64, P*Q)
	for i := 0; i < rows; i++ {
		copy(out[(i+a)*Q+b:], g[i*cols:(i+1)*cols])
	}
	buf := make([]float64, max(rows, cols))
	for j := 0; j < cols; j++ {
		for i := 0; i < rows; i++ {
			buf[i] = g[i*cols+j]
		}
		m := median(buf[:rows])
		for i := 0; i < a; i++ {
			out[i*Q+j+b] = m
			out[(P-1-i)*Q+j+b] = m
		}
	}
	for i := 0; i < P; i++ {
		row := out[i*Q : (i+1)*Q]
		copy(buf, row[b:b+cols])
		m := median(buf[:cols])
		for j := 0; j < b; j++ {
			row[j] = m
			row[Q-1-j] = m
		}
	}
	return out
}

// median is numpy.median of v (v is reordered).
func median(v []float64) float64 {
	sort.Float64s(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// rotateNearest is scipy.ndimage.rotate(a, rad2deg(angle), reshape=False,
// order=0, mode="mirror", prefilter=False) for a rows×cols image: output
// pixel o samples the input at R·(o − c) + c, c = (shape−1)/2,
// R = [[cos, sin], [−sin, cos]], mirrored at the borders and rounded
// half up (floor(x + 0.5)).
func rotateNearest(a []float64, rows, cols int, angle float64) []float64 {
	deg := angle * 180 / math.Pi
	s, c := math.Sincos(deg * math.Pi / 180)
	c0, c1 := float64(rows-1)/2, float64(cols-1)/2
	// offset = in_center − R·out_center
	off0 := c0 - (c*c0 + s*c1)
	off1 := c1 - (-s*c0 + c*c1)
	out := make([]float64, len(a))
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			x := c*float64(i) + s*float64(j) + off0
			y := -s*float64(i) + c*float64(j) + off1
			ii := mirrorIndex(int(math.Floor(mirror(x, rows)+0.5)), rows)
			jj := mirrorIndex(int(math.Floor(mirror(y, cols)+0.5)), cols)
			out[i*cols+j] = a[ii*cols+jj]
		}
	}
	return out
}

// mirror is ndimage's map_coordinate for mode "mirror".
func mirror(in float64, n int) float64 {
	l := float64(n)
	if in < 0 {
		if n <= 1 {
			return 0
		}
		sz2 := 2*l - 2
		in = sz2*float64(int64(-in/sz2)) + in
		if in <= 1-l {
			return in + sz2
		}
		return -in
	}
	if in > l-1 {
		if n <= 1 {
			return 0
		}
		sz2 := 2*l - 2
		in -= sz2 * float64(int64(in/sz2))
		if in >= l {
			in = sz2 - in
		}
	}
	return in
}

// mirrorIndex maps an integer index outside [0, n) back like ndimage's
// edge handling in mode "mirror" (a coordinate in (n-1, n-0.5] rounds to n).
func mirrorIndex(idx, n int) int {
	if n <= 1 {
		return 0
	}
	s2 := 2*n - 2
	if idx < 0 {
		idx = s2*(-idx/s2) + idx
		if idx <= 1-n {
			return idx + s2
		}
		return -idx
	}
	if idx >= n {
		idx -= s2 * (idx / s2)
		if idx >= n {
			idx = s2 - idx
		}
	}
	return idx
}

// fallbackUnwrap returns the phase unchanged when no 4-neighbours differ by
// more than π (any reliability-sorting unwrapper, e.g. skimage's, is then
// the identity); otherwise it unwraps the first column and then each row
// from it (Itoh's method). Pass QLSIOptions.Unwrap for skimage semantics
// on images with phase wraps.
func fallbackUnwrap(p []float64, rows, cols int) ([]float64, error) {
	wrapped := false
	for i := 0; i < rows && !wrapped; i++ {
		for j := 0; j < cols; j++ {
			v := p[i*cols+j]
			if (j+1 < cols && math.Abs(p[i*cols+j+1]-v) > math.Pi) ||
				(i+1 < rows && math.Abs(p[(i+1)*cols+j]-v) > math.Pi) {
				wrapped = true
				break
			}
		}
	}
	out := append([]float64(nil), p...)
	if !wrapped {
		return out, nil
	}
	step := func(prev, cur float64) float64 {
		d := cur - prev
		return cur - 2*math.Pi*math.Round(d/(2*math.Pi))
	}
	for i := 1; i < rows; i++ {
		out[i*cols] = step(out[(i-1)*cols], p[i*cols])
	}
	for i := 0; i < rows; i++ {
		for j := 1; j < cols; j++ {
			out[i*cols+j] = step(out[i*cols+j-1], p[i*cols+j])
		}
	}
	return out, nil
}

type qlsiVariant struct {
	zeroPad   bool // constant 0 instead of median
	padByData bool // pad by data shape //2 instead of Fourier shape //2
	scale     bool // multiply by fft_origin.shape[0]/wfr.shape[0]
}

var qv qlsiVariant

func integrateGradients(gx, gy []float64, sx, sy int, angle float64, X, Y int, v qlsiVariant) ([]float64, int, int, error) {
	if v.padByData {
		X, Y = sx, sy
	}
	P, Q := sx+2*(X/2), sy+2*(Y/2)
	pad := func(g []float64) []float64 {
		if v.zeroPad {
			return padZero(g, sx, sy, X/2, Y/2)
		}
		return padMedian(g, sx, sy, X/2, Y/2)
	}
	r1 := rotateNearest(pad(gx), P, Q, -angle)
	r2 := rotateNearest(pad(gy), P, Q, -angle)
	G := make([]complex128, P*Q)
	for i := range G {
		G[i] = complex(r1[i], r2[i])
	}
	if err := fft.FFT2(G, P, Q); err != nil {
		return nil, 0, 0, err
	}
	ffx, ffy := fft.Freq(P), fft.Freq(Q)
	for i := 0; i < P; i++ {
		for j := 0; j < Q; j++ {
			d := complex(2*math.Pi*ffy[j], -2*math.Pi*ffx[i])
			if i == 0 && j == 0 {
				d = 1
			}
			G[i*Q+j] /= d
		}
	}
	if err := fft.IFFT2(G, P, Q); err != nil {
		return nil, 0, 0, err
	}
	wfr := make([]float64, P*Q)
	for i, c := range G {
		wfr[i] = real(c)
	}
	back := rotateNearest(wfr, P, Q, angle)
	r0, r1e := X/2, P-(X+1)/2
	c0, c1e := Y/2, Q-(Y+1)/2
	orows, ocols := max(r1e-r0, 0), max(c1e-c0, 0)
	sc := 1.0
	if v.scale {
		sc = float64(sp0(X)) / float64(P)
	}
	_ = sc
	wf := make([]float64, orows*ocols)
	for i := 0; i < orows; i++ {
		for j := 0; j < ocols; j++ {
			wf[i*ocols+j] = back[(i+r0)*Q+j+c0] * sc
		}
	}
	return wf, orows, ocols, nil
}

var fourierRows int

func sp0(int) int { return fourierRows }

func padZero(g []float64, rows, cols, a, b int) []float64 {
	P, Q := rows+2*a, cols+2*b
	out := make([]float64, P*Q)
	for i := 0; i < rows; i++ {
		copy(out[(i+a)*Q+b:], g[i*cols:(i+1)*cols])
	}
	return out
}
