package fft

import (
	"runtime"
	"sync"
	"unsafe"

	"gonum.org/v1/gonum/dsp/fourier"

	"qpgo/core/qperr"
	"qpgo/internal/par"
)

// planCache keeps, per transform length, a free list of gonum plans. A plan
// is taken by one goroutine at a time and returned afterwards, so the twiddle
// tables are computed once per length and concurrent callers never share a
// plan.
type planCache[T any] struct {
	mu    sync.Mutex
	free  map[int][]T
	newFn func(n int) T
}

func (c *planCache[T]) get(n int) T {
	c.mu.Lock()
	if l := c.free[n]; len(l) > 0 {
		p := l[len(l)-1]
		c.free[n] = l[:len(l)-1]
		c.mu.Unlock()
		return p
	}
	c.mu.Unlock()
	return c.newFn(n)
}

func (c *planCache[T]) put(n int, p T) {
	c.mu.Lock()
	// Bounded: more plans than workers are never needed at the same time.
	if len(c.free[n]) < 4*runtime.GOMAXPROCS(0) {
		c.free[n] = append(c.free[n], p)
	}
	c.mu.Unlock()
}

var cplans = &planCache[*fourier.CmplxFFT]{free: map[int][]*fourier.CmplxFFT{}, newFn: fourier.NewCmplxFFT}

// line returns an in-place 1-D transform of length n for the calling
// goroutine (unnormalised in both directions) and the function that gives
// its plan back. FFTW is used when loaded (fftw.go); otherwise, and for
// arrays FFTW cannot take, powers of two use the shared pow2Plan, other
// lengths a gonum plan from the free list.
func line(n int) (func(x []complex128, inverse bool), func()) {
	fw, bw := fftwPair(n, 1, 1, n)
	if fw == nil {
		return goLine(n)
	}
	var tr func(x []complex128, inverse bool)
	release := func() {}
	return func(x []complex128, inverse bool) {
		p := fw
		if inverse {
			p = bw
		}
		if fftwExec(p, x[:n]) {
			return
		}
		if tr == nil {
			tr, release = goLine(n)
		}
		tr(x, inverse)
	}, func() { release() }
}

// goLine is line with the Go kernels only.
func goLine(n int) (func(x []complex128, inverse bool), func()) {
	if isPow2(n) {
		return getPow2(n).transform, func() {}
	}
	p := cplans.get(n)
	return func(x []complex128, inverse bool) {
		if inverse {
			p.Sequence(x, x)
		} else {
			p.Coefficients(x, x)
		}
	}, func() { cplans.put(n, p) }
}

// minParallel is the number of elements below which a 2-D transform runs on
// the calling goroutine: starting goroutines costs more than it saves.
const minParallel = 128 * 128

// parallelFor calls fn on contiguous sub-ranges of [0, n) on up to
// GOMAXPROCS goroutines (or inline when work is small). A panic in fn is
// returned as a qperr.Internal error.
func parallelFor(n int, work int, fn func(lo, hi int)) error {
	w := min(runtime.GOMAXPROCS(0), n)
	if w <= 1 || work < minParallel {
		return par.Safe(func() error {
			panicHook()
			fn(0, n)
			return nil
		})
	}
	return par.Do(w, w, func(i int) error {
		panicHook()
		fn(i*n/w, (i+1)*n/w)
		return nil
	})
}

// testPanic, when set by a test, makes every worker of parallelFor panic.
var testPanic bool

func panicHook() {
	if testPanic {
		panic("fft: test panic")
	}
}

func check(n, rows, cols int) error {
	if rows <= 0 || cols <= 0 {
		return qperr.New(qperr.BadArgument, "fft: shape %dx%d must be positive", rows, cols)
	}
	if n != rows*cols {
		return qperr.New(qperr.BadArgument, "fft: %d elements do not match shape %dx%d", n, rows, cols)
	}
	return nil
}

func allZero(v []complex128) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}

// rowPass transforms rows [0, nrows) of data in place; scale != 1 multiplies
// the result (used for the inverse normalisation).
func rowPass(data []complex128, nrows, cols int, inverse bool, scale float64) error {
	return parallelFor(nrows, nrows*cols, func(lo, hi int) {
		tr, release := line(cols)
		defer release()
		for r := lo; r < hi; r++ {
			row := data[r*cols : (r+1)*cols]
			if allZero(row) {
				continue
			}
			tr(row, inverse)
			if scale != 1 {
				for i := range row {
					row[i] = complex(real(row[i])*scale, imag(row[i])*scale)
				}
			}
		}
	})
}

// colBlock is the number of adjacent columns the column pass gathers into
// one contiguous rows×colBlock block (16 complex128 = 256 bytes of each
// row): the block of a 2048-row grid (512 KiB) stays in L2 while all the
// butterflies run on it with unit-stride inner loops, and no full-size
// transposes are needed.
const colBlock = 16

var scratch sync.Pool // *[]complex128 column blocks

func getScratch(n int) *[]complex128 {
	if p, ok := scratch.Get().(*[]complex128); ok && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	b := make([]complex128, n)
	return &b
}

// colPass transforms columns [0, ncols) of data (rows×cols) in place;
// scale != 1 multiplies the result. Blocks of colBlock columns are
// gathered, transformed together (pow2Plan.batch) and written back; blocks
// that are entirely zero are skipped.
func colPass(data []complex128, rows, cols, ncols int, inverse bool, scale float64) error {
	return colPassNZ(data, rows, cols, ncols, rows, inverse, scale)
}

// colPassNZ is colPass for data whose rows [nzRows, rows) are zero on input:
// they are not read (the gather fills zeros), only written.
func colPassNZ(data []complex128, rows, cols, ncols, nzRows int, inverse bool, scale float64) error {
	nb := (ncols + colBlock - 1) / colBlock
	return parallelFor(nb, rows*ncols, func(lo, hi int) {
		bp := getScratch(rows * colBlock)
		defer scratch.Put(bp)
		tr := fftwOn()
		transform, release := blockTransformer(rows, tr)
		defer release()
		for blk := lo; blk < hi; blk++ {
			c0 := blk * colBlock
			w := min(colBlock, ncols-c0)
			B := (*bp)[:rows*w]
			if !gather(B, data, nzRows, rows, cols, c0, w, tr) {
				continue
			}
			transform(B, w, inverse)
			if scale != 1 {
				for i, v := range B {
					B[i] = complex(real(v)*scale, imag(v)*scale)
				}
			}
			scatter(data, B, rows, rows, cols, c0, w, tr)
		}
	})
}

// gather copies columns [c0, c0+w) of rows [0, n) of the array F (cols
// wide) into the column block B of rows rows, transposed (w×rows, column t
// at B[t·rows:]) or not (rows×w); rows [n, rows) of the block are zeroed.
// It reports whether any copied value is non-zero.
func gather(B, F []complex128, n, rows, cols, c0, w int, transposed bool) bool {
	nz := gatherRows(B, F, n, rows, cols, c0, w, transposed)
	zeroRows(B, n, rows, rows, w, transposed)
	return nz
}

// zeroRows zeroes rows [r0, r1) of a gathered block.
func zeroRows(B []complex128, r0, r1, rows, w int, transposed bool) {
	if r0 >= r1 {
		return
	}
	if transposed {
		for t := 0; t < w; t++ {
			clear(B[t*rows+r0 : t*rows+r1])
		}
	} else {
		clear(B[r0*w : r1*w])
	}
}

// gatherRows is gather without the zeroing.
func gatherRows(B, F []complex128, n, rows, cols, c0, w int, transposed bool) bool {
	nz := false
	for r := 0; r < n; r++ {
		src := F[r*cols+c0 : r*cols+c0+w]
		if transposed {
			for t, v := range src {
				B[t*rows+r] = v
			}
		} else {
			copy(B[r*w:(r+1)*w], src)
		}
		if !nz {
			nz = !allZero(src)
		}
	}
	return nz
}

// scatter is the inverse of gather for the first n rows of the block.
func scatter(F, B []complex128, n, rows, cols, c0, w int, transposed bool) {
	for r := 0; r < n; r++ {
		dst := F[r*cols+c0 : r*cols+c0+w]
		if transposed {
			for t := range dst {
				dst[t] = B[t*rows+r]
			}
		} else {
			copy(dst, B[r*w:(r+1)*w])
		}
	}
}

// blockTransformer returns a function that transforms the w columns of a
// gathered block in place, and its release. The block is rows×w row-major
// (column b at B[r·w+b]), or, with transposed, w×rows (column b contiguous
// at B[b·rows:]). With FFTW each layout and block width has its own batched
// plan; the Go kernels are the batched radix-4 transform for power-of-two
// lengths and gonum's line transform per column for others.
func blockTransformer(rows int, transposed bool) (transform func(B []complex128, w int, inverse bool), release func()) {
	if !fftwOn() {
		if transposed {
			return goLinesTransformer(rows)
		}
		return goBlockTransformer(rows)
	}
	var plans [2 * (colBlock + 1)]unsafe.Pointer // [2w+inverse], made on first use
	var tr func(B []complex128, w int, inverse bool)
	rel := func() {}
	return func(B []complex128, w int, inverse bool) {
		i := 2 * w
		if inverse {
			i++
		}
		if w <= colBlock && plans[i] == nil {
			if transposed {
				plans[i] = fftwPlan(planKey{rows, w, 1, rows, inverse})
			} else {
				plans[i] = fftwPlan(planKey{rows, w, w, 1, inverse})
			}
		}
		if w <= colBlock && plans[i] != nil && fftwExec(plans[i], B[:rows*w]) {
			return
		}
		if tr == nil {
			if transposed {
				tr, rel = goLinesTransformer(rows)
			} else {
				tr, rel = goBlockTransformer(rows)
			}
		}
		tr(B, w, inverse)
	}, func() { rel() }
}

// goLinesTransformer is blockTransformer for the transposed layout with the
// Go kernels only.
func goLinesTransformer(rows int) (transform func(B []complex128, w int, inverse bool), release func()) {
	tr, rel := goLine(rows)
	return func(B []complex128, w int, inverse bool) {
		for b := 0; b < w; b++ {
			tr(B[b*rows:(b+1)*rows], inverse)
		}
	}, rel
}

// goBlockTransformer is blockTransformer with the Go kernels only.
func goBlockTransformer(rows int) (transform func(B []complex128, w int, inverse bool), release func()) {
	if isPow2(rows) {
		p := getPow2(rows)
		return func(B []complex128, w int, inverse bool) { p.batch(B, w, inverse) }, func() {}
	}
	tr, rel := line(rows)
	vec := make([]complex128, rows)
	return func(B []complex128, w int, inverse bool) {
		for b := 0; b < w; b++ {
			for r := range vec {
				vec[r] = B[r*w+b]
			}
			tr(vec, inverse)
			for r, v := range vec {
				B[r*w+b] = v
			}
		}
	}, rel
}

// FFT2 replaces data (rows×cols, C order) with its unnormalised 2-D DFT
// (numpy.fft.fft2).
func FFT2(data []complex128, rows, cols int) error {
	if err := check(len(data), rows, cols); err != nil {
		return err
	}
	if err := rowPass(data, rows, cols, false, 1); err != nil {
		return err
	}
	return colPass(data, rows, cols, cols, false, 1)
}

// IFFT2 replaces data with its inverse 2-D DFT scaled by 1/(rows·cols)
// (numpy.fft.ifft2).
func IFFT2(data []complex128, rows, cols int) error {
	if err := check(len(data), rows, cols); err != nil {
		return err
	}
	if err := colPass(data, rows, cols, cols, true, 1); err != nil {
		return err
	}
	return rowPass(data, rows, cols, true, 1/float64(rows*cols))
}

// IFFT2Crop returns the top-left outRows×outCols block of the inverse 2-D
// DFT of data (numpy.fft.ifft2(data)[:outRows, :outCols]). data is used as
// scratch space and left in an unspecified state. Only outRows row
// transforms are computed.
func IFFT2Crop(data []complex128, rows, cols, outRows, outCols int) ([]complex128, error) {
	if err := check(len(data), rows, cols); err != nil {
		return nil, err
	}
	if outRows <= 0 || outCols <= 0 || outRows > rows || outCols > cols {
		return nil, qperr.New(qperr.BadArgument, "fft: crop %dx%d outside %dx%d", outRows, outCols, rows, cols)
	}
	if err := colPass(data, rows, cols, cols, true, 1); err != nil {
		return nil, err
	}
	if err := rowPass(data, outRows, cols, true, 1/float64(rows*cols)); err != nil {
		return nil, err
	}
	out := make([]complex128, outRows*outCols)
	for r := 0; r < outRows; r++ {
		copy(out[r*outCols:(r+1)*outCols], data[r*cols:r*cols+outCols])
	}
	return out, nil
}

// FFT2Real returns the unnormalised 2-D DFT (rows×cols) of the real image
// src (srcRows×srcCols) zero-padded at the bottom and right, i.e.
// numpy.fft.fft2 of an array with src in its top-left corner.
func FFT2Real(src []float64, srcRows, srcCols, rows, cols int) ([]complex128, error) {
	return FFT2RealInto(nil, src, srcRows, srcCols, rows, cols)
}

// FFT2RealInto is FFT2Real writing into dst (reused when its capacity is at
// least rows·cols, whatever it holds; allocated otherwise). It returns the
// result slice.
func FFT2RealInto(dst []complex128, src []float64, srcRows, srcCols, rows, cols int) ([]complex128, error) {
	if err := check(len(src), srcRows, srcCols); err != nil {
		return nil, err
	}
	if rows < srcRows || cols < srcCols {
		return nil, qperr.New(qperr.BadArgument, "fft: grid %dx%d smaller than input %dx%d", rows, cols, srcRows, srcCols)
	}
	var out []complex128
	if cap(dst) >= rows*cols {
		out = dst[:rows*cols]
	} else {
		out = make([]complex128, rows*cols)
	}
	half := cols/2 + 1
	// Rows: two real rows a, b are transformed at once as z = a + i·b, then
	// A[k] = (Z[k] + conj(Z[-k]))/2 and B[k] = (Z[k] - conj(Z[-k]))/(2i).
	// Only the Hermitian half [0, cols/2] of each row is stored.
	npairs := (srcRows + 1) / 2
	err := parallelFor(npairs, srcRows*cols, func(lo, hi int) {
		tr, release := line(cols)
		defer release()
		z := make([]complex128, cols)
		for pr := lo; pr < hi; pr++ {
			r0, r1 := 2*pr, 2*pr+1
			clear(z)
			for c, v := range src[r0*srcCols : (r0+1)*srcCols] {
				z[c] = complex(v, 0)
			}
			if r1 < srcRows {
				for c, v := range src[r1*srcCols : (r1+1)*srcCols] {
					z[c] = complex(real(z[c]), v)
				}
			}
			tr(z, false)
			a := out[r0*cols : r0*cols+half]
			var b []complex128
			if r1 < srcRows {
				b = out[r1*cols : r1*cols+half]
			}
			for k := 0; k < half; k++ {
				zk, zn := z[k], z[(cols-k)%cols]
				a[k] = complex((real(zk)+real(zn))/2, (imag(zk)-imag(zn))/2)
				if b != nil {
					b[k] = complex((imag(zk)+imag(zn))/2, (real(zn)-real(zk))/2)
				}
			}
		}
	})
	// Columns 0..cols/2 (rows ≥ srcRows are zero); the rest follows from
	// F[k,l] = conj(F[-k,-l]).
	if err == nil {
		err = colPassNZ(out, rows, cols, half, srcRows, false, 1)
	}
	if err != nil {
		return nil, err
	}
	err = parallelFor(rows, rows*cols, func(lo, hi int) {
		for k := lo; k < hi; k++ {
			nk := (rows - k) % rows
			row, src := out[k*cols:(k+1)*cols], out[nk*cols:(nk+1)*cols]
			for l := half; l < cols; l++ {
				v := src[cols-l]
				row[l] = complex(real(v), -imag(v))
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Freq returns numpy.fft.fftfreq(n): the sample frequencies in cycles per
// sample, [0, 1, …, ⌈n/2⌉-1, -⌊n/2⌋, …, -1]/n.
func Freq(n int) []float64 {
	f := make([]float64, n)
	for i := range f {
		k := i
		if i >= (n+1)/2 {
			k = i - n
		}
		f[i] = float64(k) / float64(n)
	}
	return f
}

// ShiftedFreq returns numpy.fft.fftshift(numpy.fft.fftfreq(n)).
func ShiftedFreq(n int) []float64 {
	f := make([]float64, n)
	for i := range f {
		f[i] = float64(i-n/2) / float64(n)
	}
	return f
}

// Roll2 returns numpy.roll(numpy.roll(a, sr, axis=0), sc, axis=1) for a
// rows×cols array: element (i, j) moves to ((i+sr) mod rows, (j+sc) mod cols).
func Roll2[T any](a []T, rows, cols, sr, sc int) []T {
	out := make([]T, len(a))
	sr = ((sr % rows) + rows) % rows
	sc = ((sc % cols) + cols) % cols
	for i := 0; i < rows; i++ {
		dst := out[((i+sr)%rows)*cols:]
		src := a[i*cols : (i+1)*cols]
		copy(dst[sc:cols], src[:cols-sc])
		copy(dst[:sc], src[cols-sc:])
	}
	return out
}

// FFTShift returns numpy.fft.fftshift of a rows×cols array (zero frequency
// moved to index (rows/2, cols/2)).
func FFTShift[T any](a []T, rows, cols int) []T { return Roll2(a, rows, cols, rows/2, cols/2) }

// IFFTShift returns numpy.fft.ifftshift, the inverse of FFTShift (they
// differ for odd sizes).
func IFFTShift[T any](a []T, rows, cols int) []T {
	return Roll2(a, rows, cols, -(rows / 2), -(cols / 2))
}

// IFFT2CropRows returns numpy.fft.ifft2(G)[:outRows, :outCols] for a
// rows×cols array G that is zero except for the rows listed in idx
// (ascending, distinct), whose values are the consecutive rows of M
// (len(idx)×cols). M is used as scratch space and left in an unspecified
// state. The listed rows are transformed first, then only the outCols
// needed columns, of which only outRows values are kept: G itself is never
// materialised.
func IFFT2CropRows(M []complex128, idx []int, rows, cols, outRows, outCols int) ([]complex128, error) {
	if rows <= 0 || cols <= 0 || len(M) != len(idx)*cols {
		return nil, qperr.New(qperr.BadArgument, "fft: %d values do not hold %d rows of %d", len(M), len(idx), cols)
	}
	if outRows <= 0 || outCols <= 0 || outRows > rows || outCols > cols {
		return nil, qperr.New(qperr.BadArgument, "fft: crop %dx%d outside %dx%d", outRows, outCols, rows, cols)
	}
	for k, r := range idx {
		if r < 0 || r >= rows || (k > 0 && r <= idx[k-1]) {
			return nil, qperr.New(qperr.BadArgument, "fft: row indices must be ascending within [0, %d)", rows)
		}
	}
	out := make([]complex128, outRows*outCols)
	if len(idx) == 0 {
		return out, nil
	}
	if err := rowPass(M, len(idx), cols, true, 1); err != nil {
		return nil, err
	}
	scale := 1 / float64(rows*cols)
	nb := (outCols + colBlock - 1) / colBlock
	err := parallelFor(nb, rows*outCols, func(lo, hi int) {
		bp := getScratch(rows * colBlock)
		defer scratch.Put(bp)
		tr := fftwOn()
		transform, release := blockTransformer(rows, tr)
		defer release()
		for blk := lo; blk < hi; blk++ {
			c0 := blk * colBlock
			w := min(colBlock, outCols-c0)
			B := (*bp)[:rows*w]
			clear(B)
			// Element (r, t) of the block is B[r*rs + t*ts].
			rs, ts := w, 1
			if tr {
				rs, ts = 1, rows
			}
			for k, r := range idx {
				for t, v := range M[k*cols+c0 : k*cols+c0+w] {
					B[r*rs+t*ts] = v
				}
			}
			transform(B, w, true)
			for r := 0; r < outRows; r++ {
				dst := out[r*outCols+c0 : r*outCols+c0+w]
				for t := range dst {
					v := B[r*rs+t*ts]
					dst[t] = complex(real(v)*scale, imag(v)*scale)
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
