package flproc

import (
	"math"
	"runtime"

	"qpgo/core/qperr"
	"qpgo/internal/numpysum"
	"qpgo/internal/par"
)

// Defaults of skimage.restoration.denoise_tv_chambolle (scikit-image 0.19.3).
const (
	DefaultTVEps     = 2e-4
	DefaultTVMaxIter = 200
	// DenoiseWeight is the weight flimage's FLSeries.denoise uses; it is
	// absolute, so its effect depends on the intensity scale.
	DenoiseWeight = 2
)

// DenoiseTVChambolle is skimage's denoise_tv_chambolle(img, weight) of a
// row-major rows×cols float64 image with the default eps and iteration
// limit (see DenoiseTV).
func DenoiseTVChambolle(img []float64, rows, cols int, weight float64) ([]float64, error) {
	return DenoiseTV(img, rows, cols, weight, DefaultTVEps, DefaultTVMaxIter)
}

// DenoiseTV runs Chambolle's projection algorithm for total-variation
// denoising exactly as skimage's _denoise_tv_chambolle_nd does for a 2-D
// float64 image: dual field p, backward-difference divergence, forward
// differences with a zero last row/column, tau = 1/4, and the stop test
// |E_prev − E| < eps·E_init on the energy E = (Σd² + weight·Σ|∇out|)/size.
// It returns the primal image of the last iteration (computed before that
// iteration's final p update), as skimage does. Sums use numpy's pairwise
// order so the stop test sees the same energies.
//
// Errors (BadArgument): wrong length or non-positive shape, NaN/Inf pixels,
// weight not finite and positive, eps negative or NaN, maxIter < 1.
func DenoiseTV(img []float64, rows, cols int, weight, eps float64, maxIter int) ([]float64, error) {
	if err := checkFrame(img, rows, cols); err != nil {
		return nil, err
	}
	if !(weight > 0) || math.IsInf(weight, 0) {
		return nil, qperr.New(qperr.BadArgument, "weight must be positive and finite, got %v", weight)
	}
	if !(eps >= 0) {
		return nil, qperr.New(qperr.BadArgument, "eps must be non-negative, got %v", eps)
	}
	if maxIter < 1 {
		return nil, qperr.New(qperr.BadArgument, "max_num_iter must be at least 1, got %d", maxIter)
	}
	for _, v := range img {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, qperr.New(qperr.BadArgument, "image contains NaN or Inf")
		}
	}
	w := newTVWork(rows, cols)
	return w.run(img, weight, eps, maxIter), nil
}

// runTV is (*tvWork).run for DenoiseFrames; tests replace it to make a
// worker panic.
var runTV = (*tvWork).run

// tvWork holds the buffers of one Chambolle run so a worker can reuse them
// across frames.
type tvWork struct {
	rows, cols int
	p0, p1     []float64 // dual field, axis 0 (rows) and axis 1 (cols)
	sd, sn     []float64 // per-pixel terms of the two pairwise energy sums
}

func newTVWork(rows, cols int) *tvWork {
	n := rows * cols
	return &tvWork{rows: rows, cols: cols,
		p0: make([]float64, n), p1: make([]float64, n), sd: make([]float64, n), sn: make([]float64, n)}
}

// tvSIMD selects the SSE2 kernel of the dual update (tests compare it with
// the Go loop).
var tvSIMD = haveTVSIMD

const tvTau = 1.0 / (2.0 * 2) // 1/(2·ndim)

// run is one Chambolle run. An iteration is one sweep over the rows: the
// primal row r+1 (out and d², from the dual field of the last iteration)
// is computed just before the dual update of row r, which needs out rows r
// and r+1 and is the last reader of the old p0 row r. Every pixel gets
// the operations of skimage's whole-array passes in their order, so the
// result is the same; the sweep just keeps the rows it works on in cache.
func (w *tvWork) run(img []float64, weight, eps float64, maxIter int) []float64 {
	rows := w.rows
	n := rows * w.cols
	clear(w.p0)
	clear(w.p1)
	out := make([]float64, n)
	tw := tvTau / weight // numpy computes norm *= tau/weight
	size := float64(n)
	var eInit, ePrev float64

	for i := 0; i < maxIter; i++ {
		if i == 0 {
			// d = 0 and out = image
			copy(out, img)
			clear(w.sd)
			for r := 0; r < rows; r++ {
				w.dualRow(out, r, tw)
			}
		} else {
			w.primalRow(img, out, 0)
			for r := 0; r < rows; r++ {
				if r+1 < rows {
					w.primalRow(img, out, r+1)
				}
				w.dualRow(out, r, tw)
			}
		}
		e := numpysum.Sum(w.sd)
		e += weight * numpysum.Sum(w.sn)
		e /= size
		if i == 0 {
			eInit, ePrev = e, e
		} else {
			if math.Abs(ePrev-e) < eps*eInit {
				break
			}
			ePrev = e
		}
	}
	return out
}

// primalRow computes row r of d = -(p0 + p1); d[1:, :] += p0[:-1, :];
// d[:, 1:] += p1[:, :-1]; out = image + d and of d². The first row and
// column are split off so the inner loops have no branches; the additions
// keep numpy's order.
func (w *tvWork) primalRow(img, out []float64, r int) {
	cols := w.cols
	k0 := r * cols
	q0, q1 := w.p0[k0:k0+cols], w.p1[k0:k0+cols]
	o, im, sq := out[k0:k0+cols], img[k0:k0+cols], w.sd[k0:k0+cols]
	if r == 0 {
		d := -(q0[0] + q1[0])
		sq[0], o[0] = d*d, im[0]+d
		for c := 1; c < cols; c++ {
			d := -(q0[c] + q1[c]) + q1[c-1]
			sq[c], o[c] = d*d, im[c]+d
		}
		return
	}
	up := w.p0[k0-cols : k0]
	d := -(q0[0] + q1[0]) + up[0]
	sq[0], o[0] = d*d, im[0]+d
	for c := 1; c < cols; c++ {
		d := (-(q0[c] + q1[c]) + up[c]) + q1[c-1]
		sq[c], o[c] = d*d, im[c]+d
	}
}

// dualRow updates row r of the dual field: g = forward differences of out
// (zero in the last row/column), norm = sqrt(g0² + g1²);
// p = (p - tau·g) / (norm·tau/weight + 1); norm goes to sn.
func (w *tvWork) dualRow(out []float64, r int, tw float64) {
	cols := w.cols
	k0 := r * cols
	q0, q1 := w.p0[k0:k0+cols], w.p1[k0:k0+cols]
	o, sn := out[k0:k0+cols], w.sn[k0:k0+cols]
	next := o // last row: g0 = 0
	if r < w.rows-1 {
		next = out[k0+cols : k0+2*cols]
	}
	last := cols - 1
	c := 0
	if m := last &^ 1; tvSIMD && m > 0 {
		tvRowSSE2(&o[0], &next[0], &q0[0], &q1[0], &sn[0], m, tvTau, tw)
		c = m
	}
	for ; c < last; c++ {
		g0 := next[c] - o[c]
		g1 := o[c+1] - o[c]
		nrm := math.Sqrt(g0*g0 + g1*g1)
		sn[c] = nrm
		den := nrm*tw + 1
		q0[c] = (q0[c] - tvTau*g0) / den
		q1[c] = (q1[c] - tvTau*g1) / den
	}
	g0 := next[last] - o[last]
	nrm := math.Sqrt(g0*g0 + 0)
	sn[last] = nrm
	den := nrm*tw + 1
	q0[last] = (q0[last] - tvTau*g0) / den
	q1[last] = (q1[last] - tvTau*0) / den
}

// DenoiseFrames applies DenoiseTVChambolle(frame, rows, cols, weight) to
// every frame (FLSeries.denoise) on all cores. Each frame is an
// independent serial computation, so the results are identical to the
// serial path whatever the scheduling. progress counts finished frames
// (calls are serialized, in completion order); returning false stops
// handing out frames and yields a Cancelled error.
func DenoiseFrames(frames [][]float64, rows, cols int, weight float64, progress Progress) ([][]float64, error) {
	if len(frames) == 0 {
		return nil, qperr.New(qperr.BadArgument, "the series has no frames")
	}
	// Validate everything first so that a bad frame fails before any work.
	if !(weight > 0) || math.IsInf(weight, 0) {
		return nil, qperr.New(qperr.BadArgument, "weight must be positive and finite, got %v", weight)
	}
	for i, f := range frames {
		if err := checkFrame(f, rows, cols); err != nil {
			return nil, qperr.Wrap(qperr.BadArgument, err, "frame %d", i)
		}
		for _, v := range f {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, qperr.New(qperr.BadArgument, "frame %d contains NaN or Inf", i)
			}
		}
	}

	out := make([][]float64, len(frames))
	workers := min(runtime.GOMAXPROCS(0), len(frames))
	type result struct {
		i   int
		err error
	}
	jobs := make(chan int)
	done := make(chan result)
	// Each frame runs under par.Safe, so a panic is reported for its frame
	// like an error and the worker goes on; done is closed when all
	// workers have returned.
	waitWorkers := par.Go(func() error {
		defer close(done)
		return par.Do(workers, workers, func(int) error {
			var w *tvWork
			for i := range jobs {
				err := par.Safe(func() error {
					if w == nil {
						w = newTVWork(rows, cols)
					}
					out[i] = runTV(w, frames[i], weight, DefaultTVEps, DefaultTVMaxIter)
					return nil
				})
				done <- result{i, err}
			}
			return nil
		})
	})

	var err error
	next, finished := 0, 0
	for next < len(frames) || finished < next {
		var send chan int
		if err == nil && next < len(frames) {
			send = jobs
		}
		select {
		case send <- next:
			next++
		case r := <-done:
			finished++
			if err == nil && r.err != nil {
				err = qperr.Wrap(qperr.KindOf(r.err), r.err, "frame %d", r.i)
			}
			if err == nil {
				err = progress.report(finished, len(frames))
			}
		}
		if err != nil && finished == next {
			break
		}
	}
	close(jobs)
	for range done {
		// drain: workers exit once jobs is closed
	}
	if werr := waitWorkers(); err == nil {
		err = werr
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}
