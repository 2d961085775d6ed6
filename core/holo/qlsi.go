package holo

import (
	"math"
	"math/cmplx"

	"qpgo/core/fft"
	"qpgo/core/qperr"
	"qpgo/core/unwrap"
)

// UnwrapFunc unwraps a rows×cols wrapped phase image (skimage's
// unwrap_phase upstream).
type UnwrapFunc func(phase []float64, rows, cols int) ([]float64, error)

// UnwrapSkimageNoSeed is what qpretrieve 0.3.2 calls for the gradient
// phases: skimage.restoration.unwrap_phase without a seed, which in
// scikit-image 0.19.3 is srand(0) (package unwrap, seed 0). It is the
// default of QLSIOptions.Unwrap.
func UnwrapSkimageNoSeed(phase []float64, rows, cols int) ([]float64, error) {
	return unwrap.Unwrap2DSeed(phase, rows, cols, nil, 0)
}

// QLSIOptions are the qpretrieve_kw of qpretrieve.QLSInterferogram 0.3.2.
// InvertPhase is accepted but ignored, as upstream.
type QLSIOptions struct {
	OAHOptions
	// Wavelength [m] and PitchTerm (qlsi_pitch_term [m]); 0 means "not
	// given" and is replaced by 1 (upstream warns: phase only qualitative).
	Wavelength, PitchTerm float64
	// Unwrap unwraps the gradient phases; nil means UnwrapSkimageNoSeed
	// (upstream's call). Only tests need to set it.
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
	Rows, Cols                  int // phase and wavefront shape
	AmpRows, AmpCols            int // amplitude shape (the filtered field's)
	SidebandFreq                [2]float64
	FilterSizeFreq              float64 // filter size in cycles/pixel
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
	f, err := NewFFTFilter(data, rows, cols, opts.SubtractMean, opts.Padding)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ref *FFTFilter
	if reference != nil {
		if len(reference) != len(data) {
			return nil, qperr.New(qperr.BadArgument, "reference with %d values does not match the data shape (%d, %d)", len(reference), rows, cols)
		}
		if ref, err = NewFFTFilter(reference, rows, cols, opts.SubtractMean, opts.Padding); err != nil {
			return nil, err
		}
		defer ref.Close()
	}
	return QLSIOn(f, ref, opts)
}

// QLSIOn runs QLSInterferogram.run_pipeline on the FFTFilter of the data
// and (ref non-nil) of the reference image; the pipeline keywords of opts
// are used (SubtractMean and Padding were applied when f was made).
func QLSIOn(f, ref *FFTFilter, opts QLSIOptions) (*QLSIResult, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	if ref != nil {
		if err := ref.check(); err != nil {
			return nil, err
		}
		if ref.sp.ox != f.sp.ox || ref.sp.oy != f.sp.oy {
			return nil, qperr.New(qperr.BadArgument, "reference Fourier grid (%d, %d) does not match the data's (%d, %d)", ref.sp.ox, ref.sp.oy, f.sp.ox, f.sp.oy)
		}
	}
	sp := f.sp
	var sb [2]float64
	if opts.SidebandFreq != nil {
		sb = *opts.SidebandFreq
		if math.IsNaN(sb[0]) || math.IsNaN(sb[1]) || math.IsInf(sb[0], 0) || math.IsInf(sb[1], 0) {
			return nil, qperr.New(qperr.BadArgument, "`sideband_freq` must be finite, got %v", sb)
		}
	} else {
		sb = sp.findPeak(4)
	}
	fsize, err := sp.filterSize(opts.FilterSize, opts.FilterSizeInterpretation, sb)
	if err != nil {
		return nil, err
	}
	res := &QLSIResult{SidebandFreq: sb, FilterSizeFreq: fsize, PaddedSize: [2]int{sp.ox, sp.oy}}
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
	hx, sx, sy, err := f.Filter(opts.FilterName, fsize, posX, opts.ScaleToFilter)
	if err != nil {
		return nil, err
	}
	hy, _, _, err := f.Filter(opts.FilterName, fsize, posY, opts.ScaleToFilter)
	if err != nil {
		return nil, err
	}
	if ref != nil {
		hbx, _, _, err := ref.Filter(opts.FilterName, fsize, posX, opts.ScaleToFilter)
		if err != nil {
			return nil, err
		}
		hby, _, _, err := ref.Filter(opts.FilterName, fsize, posY, opts.ScaleToFilter)
		if err != nil {
			return nil, err
		}
		for i := range hx {
			hx[i] /= hbx[i]
			hy[i] /= hby[i]
		}
	}
	unwrapFn := opts.Unwrap
	if unwrapFn == nil {
		unwrapFn = UnwrapSkimageNoSeed
	}
	angles := func(h []complex128) []float64 {
		a := make([]float64, len(h))
		for i, v := range h {
			a[i] = cmplx.Phase(v)
		}
		return a
	}
	gx, err := unwrapFn(angles(hx), sx, sy)
	if err != nil {
		return nil, err
	}
	gy, err := unwrapFn(angles(hy), sx, sy)
	if err != nil {
		return nil, err
	}
	if len(gx) != sx*sy || len(gy) != sx*sy {
		return nil, qperr.New(qperr.Internal, "unwrapper returned %d/%d values for %dx%d", len(gx), len(gy), sx, sy)
	}
	wf, orows, ocols, err := integrateGradients(gx, gy, sx, sy, math.Atan2(fy, fx))
	if err != nil {
		return nil, err
	}
	// raw_wavefront *= qlsi_pitch_term * scaling_factor, with
	// scaling_factor = fft_origin.shape[0] / wfr.shape[0].
	scale := pitch * (float64(sp.ox) / float64(sx+2*(sx/2)))
	ph := make([]float64, len(wf))
	for i := range wf {
		wf[i] *= scale
		ph[i] = wf[i] / wl * 2 * math.Pi
	}
	amp := make([]float64, len(hx))
	res.Rows, res.Cols = orows, ocols
	res.AmpRows, res.AmpCols = sx, sy
	for i := range hx {
		amp[i] = cmplx.Abs(hx[i]) + cmplx.Abs(hy[i])
	}
	res.Amplitude, res.Phase, res.Wavefront = amp, ph, wf
	return res, nil
}

// integrateGradients is the integration step of run_pipeline: zero-pad
// both sx×sy gradients by (sx//2, sy//2) on each side, rotate them by
// -angle, integrate the total differential in Fourier space
// (FFT(gx + i·gy) / (-2πi·(fx + i·fy)), zero frequency divided by 1), take
// the real part of the inverse transform, rotate back by angle and crop
// [sx//2 : -sx//2, sy//2 : -sy//2] (Python floor division).
func integrateGradients(gx, gy []float64, sx, sy int, angle float64) ([]float64, int, int, error) {
	a, b := sx/2, sy/2
	P, Q := sx+2*a, sy+2*b
	r1 := rotateNearest(padZero(gx, sx, sy, a, b), P, Q, -angle)
	r2 := rotateNearest(padZero(gy, sx, sy, a, b), P, Q, -angle)
	G := make([]complex128, P*Q)
	for i := range G {
		G[i] = complex(r1[i], r2[i])
	}
	if err := fft.FFT2(G, P, Q); err != nil {
		return nil, 0, 0, err
	}
	ffx, ffy := npFreq(P), npFreq(Q)
	for i := 0; i < P; i++ {
		row := G[i*Q : (i+1)*Q]
		for j := range row {
			// -2πi·(fx + i·fy) evaluated as numpy does.
			d := complex(2*math.Pi*ffy[j], -2*math.Pi*ffx[i])
			if i == 0 && j == 0 {
				d = 1
			}
			row[j] /= d
		}
	}
	if err := fft.IFFT2(G, P, Q); err != nil {
		return nil, 0, 0, err
	}
	wfr := r1 // reuse
	for i, c := range G {
		wfr[i] = real(c)
	}
	back := rotateNearest(wfr, P, Q, angle)
	r0, r1e := a, P-(sx+1)/2
	c0, c1e := b, Q-(sy+1)/2
	orows, ocols := max(r1e-r0, 0), max(c1e-c0, 0)
	wf := make([]float64, orows*ocols)
	for i := 0; i < orows; i++ {
		copy(wf[i*ocols:(i+1)*ocols], back[(i+r0)*Q+c0:])
	}
	return wf, orows, ocols, nil
}

// padZero is numpy.pad(g, ((a, a), (b, b)), mode="constant") for a
// rows×cols image.
func padZero(g []float64, rows, cols, a, b int) []float64 {
	P, Q := rows+2*a, cols+2*b
	out := make([]float64, P*Q)
	for i := 0; i < rows; i++ {
		copy(out[(i+a)*Q+b:], g[i*cols:(i+1)*cols])
	}
	return out
}

// rotateNearest is scipy.ndimage.rotate(a, rad2deg(angle), reshape=False,
// order=0, mode="mirror", prefilter=False) for a rows×cols image: output
// pixel o samples the input at R·(o − c) + c, c = (shape−1)/2,
// R = [[cos, sin], [−sin, cos]], mirrored at the borders and rounded
// half up (floor(x + 0.5)).
func rotateNearest(a []float64, rows, cols int, angle float64) []float64 {
	deg := rad2deg(angle)
	c, s := cosDeg(deg), sinDeg(deg)
	c0, c1 := float64(rows-1)/2, float64(cols-1)/2
	// offset = in_center − R·out_center. numpy's matmul (OpenBLAS dgemv
	// on the reference machine) rounds R[k][1]·c1 and adds R[k][0]·c0 to
	// it with one fused multiply-add; the sampling loop below is ndimage's
	// plain C loop (every product rounded before it is added).
	off0 := c0 - math.FMA(c, c0, float64(s*c1))
	off1 := c1 - math.FMA(-s, c0, float64(c*c1))
	out := make([]float64, len(a))
	for i := 0; i < rows; i++ {
		fi := float64(i)
		for j := 0; j < cols; j++ {
			fj := float64(j)
			x := float64(fi*c) + float64(fj*s) + off0
			y := float64(fi*-s) + float64(fj*c) + off1
			ii := mirrorIndex(int(math.Floor(mirror(x, rows)+0.5)), rows)
			jj := mirrorIndex(int(math.Floor(mirror(y, cols)+0.5)), cols)
			out[i*cols+j] = a[ii*cols+jj]
		}
	}
	return out
}

// RotateNearest is qpretrieve's rotate_noreshape(arr, angle): the
// rows×cols image rotated by angle [rad] with
// scipy.ndimage.rotate(order=0, mode="mirror", reshape=False).
func RotateNearest(a []float64, rows, cols int, angle float64) ([]float64, error) {
	if rows <= 0 || cols <= 0 || len(a) != rows*cols {
		return nil, qperr.New(qperr.BadArgument, "array of %d values does not have shape (%d, %d)", len(a), rows, cols)
	}
	if math.IsNaN(angle) || math.IsInf(angle, 0) {
		return nil, qperr.New(qperr.BadArgument, "`angle` must be finite")
	}
	return rotateNearest(a, rows, cols, angle), nil
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
