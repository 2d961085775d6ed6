package flproc

import (
	"math"
	"runtime"

	"qpgo/core/qperr"
	"qpgo/internal/numpysum"
	"qpgo/internal/par"
)

// Progress is the progress and cancellation hook of the long functions:
// it is called with the number of finished work items and their total and
// returns false to cancel (the function then returns a qperr.Cancelled
// error). A nil Progress is allowed.
type Progress func(done, total int) bool

// report calls p if it is set and turns a refusal into a Cancelled error.
func (p Progress) report(done, total int) error {
	if p != nil && !p(done, total) {
		return qperr.New(qperr.Cancelled, "cancelled after %d of %d items", done, total)
	}
	return nil
}

// MissingTime is the error for a series image without the "time" meta
// key, with upstream's MetaDataMissingError text; the storage layer
// returns it because bleach correction needs a time for every frame.
func MissingTime() error {
	return qperr.New(qperr.MissingMeta, "No meta data was defined for 'time'! Please make sure you passed the dictionary `meta_data` when you loaded your data.")
}

// BorderMask returns the row-major rows×cols mask that flimage builds with
// mask[b:-b, b:-b] = False on an all-True array. Python slice rules apply:
// borderPx = 0 selects the whole image (the slice 0:-0 is empty), as does a
// border of at least half the image size.
func BorderMask(rows, cols, borderPx int) ([]bool, error) {
	if rows <= 0 || cols <= 0 {
		return nil, qperr.New(qperr.BadArgument, "image shape (%d, %d) must be positive", rows, cols)
	}
	mask := make([]bool, rows*cols)
	for i := range mask {
		mask[i] = true
	}
	r0, r1 := pySlice(borderPx, -borderPx, rows)
	c0, c1 := pySlice(borderPx, -borderPx, cols)
	for r := r0; r < r1; r++ {
		for c := c0; c < c1; c++ {
			mask[r*cols+c] = false
		}
	}
	return mask, nil
}

// pySlice resolves the Python slice start:stop on a length-n axis to a
// half-open index range (empty when start >= stop).
func pySlice(start, stop, n int) (int, int) {
	norm := func(i int) int {
		if i < 0 {
			i += n
		}
		return max(0, min(i, n))
	}
	a, b := norm(start), norm(stop)
	if b < a {
		b = a
	}
	return a, b
}

func checkFrame(frame []float64, rows, cols int) error {
	if rows <= 0 || cols <= 0 {
		return qperr.New(qperr.BadArgument, "image shape (%d, %d) must be positive", rows, cols)
	}
	if len(frame) != rows*cols {
		return qperr.New(qperr.BadArgument, "frame has %d values, shape (%d, %d) needs %d", len(frame), rows, cols, rows*cols)
	}
	return nil
}

// BorderMean returns np.mean(fl[mask]) of one background-corrected frame.
func BorderMean(frame []float64, rows, cols int, mask []bool) (float64, error) {
	if err := checkFrame(frame, rows, cols); err != nil {
		return 0, err
	}
	if len(mask) != len(frame) {
		return 0, qperr.New(qperr.BadArgument, "mask has %d values, frame has %d", len(mask), len(frame))
	}
	sel := make([]float64, 0, len(frame))
	for i, m := range mask {
		if m {
			sel = append(sel, frame[i])
		}
	}
	if len(sel) == 0 {
		return 0, qperr.New(qperr.BadArgument, "border mask selects no pixel")
	}
	return numpysum.Mean(sel), nil
}

// Background returns flimage's series background: the mean over frames of
// the mean border value of each frame (one scalar for the whole series).
// progress counts frames. The frames' border means are computed on all
// cores (see forFrames).
func Background(frames [][]float64, rows, cols, borderPx int, progress Progress) (float64, error) {
	if len(frames) == 0 {
		return 0, qperr.New(qperr.BadArgument, "the series has no frames")
	}
	if rows <= 0 || cols <= 0 {
		return 0, qperr.New(qperr.BadArgument, "image shape (%d, %d) must be positive", rows, cols)
	}
	// The interior rectangle the mask excludes; border pixels are gathered
	// row by row, which is the order of numpy's boolean indexing.
	r0, r1 := pySlice(borderPx, -borderPx, rows)
	c0, c1 := pySlice(borderPx, -borderPx, cols)
	if r0 == r1 || c0 == c1 {
		r0, r1, c0, c1 = 0, 0, 0, 0
	}
	bgavg := make([]float64, len(frames))
	err := forFrames(len(frames), rows*cols, func(i int, buf []float64) error {
		f := frames[i]
		if err := checkFrame(f, rows, cols); err != nil {
			return qperr.Wrap(qperr.BadArgument, err, "frame %d", i)
		}
		buf = buf[:0]
		for r := 0; r < rows; r++ {
			row := f[r*cols : (r+1)*cols]
			if r >= r0 && r < r1 {
				buf = append(buf, row[:c0]...)
				buf = append(buf, row[c1:]...)
			} else {
				buf = append(buf, row...)
			}
		}
		if len(buf) == 0 {
			return qperr.New(qperr.BadArgument, "border mask selects no pixel")
		}
		bgavg[i] = numpysum.Mean(buf)
		return nil
	}, func(i int) error { return progress.report(i+1, len(frames)) })
	if err != nil {
		return 0, err
	}
	bg := numpysum.Mean(bgavg)
	if math.IsNaN(bg) || math.IsInf(bg, 0) {
		return 0, qperr.New(qperr.BadArgument, "background is not finite (NaN or Inf in the border pixels)")
	}
	return bg, nil
}

// Flint returns the intensity trace value of one frame as flimage computes
// it: the sum of the positive values of fl - bg (np.sum(fl[fl > 0])).
// bg is the series background (Background), not a per-frame value.
func Flint(frame []float64, rows, cols int, bg float64) (float64, error) {
	if err := checkFrame(frame, rows, cols); err != nil {
		return 0, err
	}
	if math.IsNaN(bg) || math.IsInf(bg, 0) {
		return 0, qperr.New(qperr.BadArgument, "background %v is not finite", bg)
	}
	return flint(frame, bg, make([]float64, len(frame)))
}

// flint is Flint with a caller-provided buffer of len(frame).
func flint(frame []float64, bg float64, buf []float64) (float64, error) {
	// Branch-free compaction of the positive values (about half the
	// pixels of a noisy background are positive, so a branch mispredicts).
	buf = buf[:len(frame)]
	j := 0
	nan := false
	for _, v := range frame {
		d := v - bg
		buf[j] = d
		if d > 0 {
			j++
		}
		nan = nan || d != d
	}
	if nan {
		// Upstream silently drops NaN pixels here (NaN > 0 is false);
		// a NaN frame is a broken input, so say so.
		return 0, qperr.New(qperr.BadArgument, "frame contains NaN")
	}
	pos := buf[:j]
	s := numpysum.Sum(pos)
	if math.IsInf(s, 0) {
		return 0, qperr.New(qperr.BadArgument, "frame intensity sum is not finite")
	}
	return s, nil
}

// forFrames runs f(i, buf) for the frames 0 … n-1 on all cores, a block
// of frames at a time (frames handed out one by one; buf: a buffer of
// bufLen values that no other call uses meanwhile), then, in index order
// for the frames of the block, returns f's error or calls report(i).
// Every frame is computed by the same serial code whatever the worker, so
// results equal the serial loop's; errors and progress come in its order.
func forFrames(n, bufLen int, f func(i int, buf []float64) error, report func(i int) error) error {
	const block = 16 // frames between progress reports (and cancellation)
	workers := max(1, min(runtime.GOMAXPROCS(0), n))
	bufs := make(chan []float64, workers)
	for range workers {
		bufs <- make([]float64, bufLen)
	}
	for lo := 0; lo < n; lo += block {
		hi := min(lo+block, n)
		errs := make([]error, hi-lo)
		err := par.Do(hi-lo, workers, func(k int) error {
			buf := <-bufs
			// a panic is the frame's error, reported in order
			errs[k] = par.Safe(func() error { return f(lo+k, buf) })
			bufs <- buf
			return nil
		})
		if err != nil {
			return err
		}
		for k, err := range errs {
			if err != nil {
				return err
			}
			if err := report(lo + k); err != nil {
				return err
			}
		}
	}
	return nil
}

// BleachResult is what FLSeries.bleach_correction computes.
type BleachResult struct {
	Bg    float64   // series background subtracted from every frame
	Flint []float64 // intensity trace
	Decay []float64 // fitted model at Times
	Times []float64 // frame times (as given)
	Corr  []float64 // correction factors Decay[0]/Decay[i]
	Fit   BleachFit
}

// BleachCorrection computes background, intensity trace, exponential fit
// and correction factors of a series of background-corrected frames
// (row-major rows×cols each) with the given times, as flimage's
// FLSeries.bleach_correction does before it writes the corrected series.
// progress counts 2·len(frames) items (the background and the trace pass);
// ApplyCorrection reports the third pass of upstream's 3N count.
func BleachCorrection(frames [][]float64, rows, cols int, times []float64, borderPx int, progress Progress) (*BleachResult, error) {
	n := len(frames)
	if len(times) != n {
		return nil, qperr.New(qperr.BadArgument, "got %d times for %d frames", len(times), n)
	}
	if err := checkTimes(times); err != nil {
		return nil, err
	}
	bg, err := Background(frames, rows, cols, borderPx, func(done, _ int) bool {
		return progress == nil || progress(done, 2*n)
	})
	if err != nil {
		return nil, err
	}
	trace := make([]float64, n)
	err = forFrames(n, rows*cols, func(i int, buf []float64) error {
		var err error
		if trace[i], err = flint(frames[i], bg, buf); err != nil {
			return qperr.Wrap(qperr.BadArgument, err, "frame %d", i)
		}
		return nil
	}, func(i int) error { return progress.report(n+i+1, 2*n) })
	if err != nil {
		return nil, err
	}
	fit, err := FitBleach(times, trace)
	if err != nil {
		return nil, err
	}
	decay := Decay(times, fit.Fitted)
	corr, err := CorrectionFactors(decay)
	if err != nil {
		return nil, err
	}
	return &BleachResult{
		Bg: bg, Flint: trace, Decay: decay, Times: append([]float64(nil), times...),
		Corr: corr, Fit: fit,
	}, nil
}

// CorrectionFactors returns decay[0]/decay, the per-frame multiplicative
// bleach correction.
func CorrectionFactors(decay []float64) ([]float64, error) {
	if len(decay) == 0 {
		return nil, qperr.New(qperr.BadArgument, "decay is empty")
	}
	corr := make([]float64, len(decay))
	for i, d := range decay {
		if d == 0 || math.IsNaN(d) || math.IsInf(d, 0) {
			return nil, qperr.New(qperr.BadArgument, "decay[%d] = %v gives no finite correction factor", i, d)
		}
		corr[i] = decay[0] / d
	}
	return corr, nil
}

// Correct returns (frame - bg) * factor, one corrected frame.
func Correct(frame []float64, bg, factor float64) []float64 {
	out := make([]float64, len(frame))
	for i, v := range frame {
		out[i] = (v - bg) * factor
	}
	return out
}

// ApplyCorrection returns the corrected frames (fl_i - bg) * corr[i] of the
// series flscorr (upstream's third pass; flscorr may be another series of
// the same shape, e.g. the raw series when the correction was computed on
// its denoised copy). More frames than factors is an error (upstream
// raises IndexError). progress counts frames. Frames are corrected on all
// cores (see forFrames).
func ApplyCorrection(frames [][]float64, rows, cols int, bg float64, corr []float64, progress Progress) ([][]float64, error) {
	if len(frames) > len(corr) {
		return nil, qperr.New(qperr.BadArgument, "index %d is out of bounds for %d correction factors", len(corr), len(corr))
	}
	out := make([][]float64, len(frames))
	err := forFrames(len(frames), 0, func(i int, _ []float64) error {
		if err := checkFrame(frames[i], rows, cols); err != nil {
			return qperr.Wrap(qperr.BadArgument, err, "frame %d", i)
		}
		out[i] = Correct(frames[i], bg, corr[i])
		return nil
	}, func(i int) error { return progress.report(i+1, len(frames)) })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkTimes requires finite, strictly increasing times. Upstream does not
// check; unordered or repeated times make the initial decay estimate and
// the fit meaningless.
func checkTimes(times []float64) error {
	for i, t := range times {
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return qperr.New(qperr.BadArgument, "time %d is not finite", i)
		}
		if i > 0 && !(t > times[i-1]) {
			return qperr.New(qperr.BadArgument, "times must be strictly increasing (time[%d] = %v after %v)", i, t, times[i-1])
		}
	}
	return nil
}
