package fft

import (
	"runtime"
	"sync"

	"gonum.org/v1/gonum/dsp/fourier"

	"qpgo/core/qperr"
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
// its plan back. Powers of two use the shared pow2Plan, other lengths a
// gonum plan from the free list.
func line(n int) (func(x []complex128, inverse bool), func()) {
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
// GOMAXPROCS goroutines (or inline when work is small).
func parallelFor(n int, work int, fn func(lo, hi int)) {
	w := runtime.GOMAXPROCS(0)
	if w > n {
		w = n
	}
	if w <= 1 || work < minParallel {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for i := 0; i < w; i++ {
		lo, hi := i*n/w, (i+1)*n/w
		if lo == hi {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	wg.Wait()
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
func rowPass(data []complex128, nrows, cols int, inverse bool, scale float64) {
	parallelFor(nrows, nrows*cols, func(lo, hi int) {
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

// tile is the edge of the square tiles of the transposes: 32×32 complex128
// values (16 KiB) keep both the read and the write side in L1/L2 and touch
// only 32 pages at a time.
const tile = 32

var scratch sync.Pool // *[]complex128 transpose buffers

// colPass transforms columns [0, ncols) of data (rows×cols) in place. The
// columns are transposed into rows (tiled), transformed as contiguous rows
// and transposed back: strided column access is several times slower on
// large grids because every element lies on a different page.
func colPass(data []complex128, rows, cols, ncols int, inverse bool, scale float64) {
	need := ncols * rows
	var T []complex128
	if p, ok := scratch.Get().(*[]complex128); ok && cap(*p) >= need {
		T = (*p)[:need]
	} else {
		T = make([]complex128, need)
	}
	defer func() { scratch.Put(&T) }()
	ntr, ntc := (rows+tile-1)/tile, (ncols+tile-1)/tile
	// T[c*rows + r] = data[r*cols + c]
	parallelFor(ntc, need, func(lo, hi int) {
		for tc := lo; tc < hi; tc++ {
			c0, c1 := tc*tile, min((tc+1)*tile, ncols)
			for tr := 0; tr < ntr; tr++ {
				r0, r1 := tr*tile, min((tr+1)*tile, rows)
				for r := r0; r < r1; r++ {
					src := data[r*cols+c0 : r*cols+c1]
					for k, v := range src {
						T[(c0+k)*rows+r] = v
					}
				}
			}
		}
	})
	rowPass(T, ncols, rows, inverse, scale)
	parallelFor(ntr, need, func(lo, hi int) {
		for tr := lo; tr < hi; tr++ {
			r0, r1 := tr*tile, min((tr+1)*tile, rows)
			for tc := 0; tc < ntc; tc++ {
				c0, c1 := tc*tile, min((tc+1)*tile, ncols)
				for c := c0; c < c1; c++ {
					src := T[c*rows+r0 : c*rows+r1]
					for k, v := range src {
						data[(r0+k)*cols+c] = v
					}
				}
			}
		}
	})
}

// FFT2 replaces data (rows×cols, C order) with its unnormalised 2-D DFT
// (numpy.fft.fft2).
func FFT2(data []complex128, rows, cols int) error {
	if err := check(len(data), rows, cols); err != nil {
		return err
	}
	rowPass(data, rows, cols, false, 1)
	colPass(data, rows, cols, cols, false, 1)
	return nil
}

// IFFT2 replaces data with its inverse 2-D DFT scaled by 1/(rows·cols)
// (numpy.fft.ifft2).
func IFFT2(data []complex128, rows, cols int) error {
	if err := check(len(data), rows, cols); err != nil {
		return err
	}
	colPass(data, rows, cols, cols, true, 1)
	rowPass(data, rows, cols, true, 1/float64(rows*cols))
	return nil
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
	colPass(data, rows, cols, cols, true, 1)
	rowPass(data, outRows, cols, true, 1/float64(rows*cols))
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
	if err := check(len(src), srcRows, srcCols); err != nil {
		return nil, err
	}
	if rows < srcRows || cols < srcCols {
		return nil, qperr.New(qperr.BadArgument, "fft: grid %dx%d smaller than input %dx%d", rows, cols, srcRows, srcCols)
	}
	out := make([]complex128, rows*cols)
	half := cols/2 + 1
	// Rows: two real rows a, b are transformed at once as z = a + i·b, then
	// A[k] = (Z[k] + conj(Z[-k]))/2 and B[k] = (Z[k] - conj(Z[-k]))/(2i).
	// Only the Hermitian half [0, cols/2] of each row is stored.
	npairs := (srcRows + 1) / 2
	parallelFor(npairs, srcRows*cols, func(lo, hi int) {
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
	// Columns 0..cols/2; the rest follows from F[k,l] = conj(F[-k,-l]).
	colPass(out, rows, cols, half, false, 1)
	parallelFor(rows, rows*cols, func(lo, hi int) {
		for k := lo; k < hi; k++ {
			nk := (rows - k) % rows
			row, src := out[k*cols:(k+1)*cols], out[nk*cols:(nk+1)*cols]
			for l := half; l < cols; l++ {
				v := src[cols-l]
				row[l] = complex(real(v), -imag(v))
			}
		}
	})
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
