package imageseries

import (
	"runtime"
	"sync"

	"qpgo/core/qperr"
	"qpgo/internal/par"
)

// Fast paths of the statistics. Results are bit-identical to the streaming
// accumulators in stats.go (and to NumPy):
//   - max/min/sum/average fold typed frames without float64 widening,
//     split over pixel tiles and worker goroutines; an in-memory array is
//     read in place (no per-frame copy), tile by tile so the accumulator
//     stays in cache;
//   - the float32 average of 8/16-bit integer frames is accumulated in
//     int32 when nframes·max|value| < 2^24, where every float32 partial sum
//     is exact and therefore equal to the integer sum;
//   - percentiles of 8/16-bit integer frames select the order statistics of
//     each pixel with a two-level counting histogram instead of quickselect.

// frameViewer is implemented by series that can hand out frame data without
// copying. The returned data must not be modified.
type frameViewer interface {
	frameView(i int) Frame
}

type statKind int

const (
	statMax statKind = iota
	statMin
	statSum
	statAvg
)

// fastFold computes max/min/sum/average over the first nf frames.
func fastFold(ims ImageSeries, nf int, kind statKind) (Frame, error) {
	if o := opsFor(ims.DType()); o != nil {
		return o.fold(ims, nf, kind)
	}
	return Frame{}, errUnsupportedDType(ims.DType())
}

// foldT: maxAbs > 0 marks a small integer type (exact int32 average).
func foldT[T number](ims ImageSeries, nf int, kind statKind, maxAbs float64) (Frame, error) {
	s := ims.Shape()
	rows, cols := s[0], s[1]
	npx := rows * cols
	var ext []T
	var sum []float64
	var accI []int32
	var accF []float32
	intAvg := kind == statAvg && maxAbs > 0 && float64(nf)*maxAbs < 1<<24
	switch {
	case kind == statMax || kind == statMin:
		ext = make([]T, npx)
	case kind == statSum:
		sum = make([]float64, npx)
	case intAvg:
		accI = make([]int32, npx)
	default:
		accF = make([]float32, npx)
	}
	var zero T
	isFloat := false
	switch any(zero).(type) {
	case float32, float64:
		isFloat = true
	}
	apply := func(i int, x []T, lo, hi int) {
		xs := x[lo:hi]
		switch {
		case ext != nil && i == 0:
			copy(ext[lo:hi], xs)
		case isFloat && (kind == statMax || kind == statMin):
			// NumPy's NaN and signed-zero rules (the accumulator wins ties)
			extremeT(ext[lo:hi:hi], xs, kind == statMax)
		case kind == statMax:
			a := ext[lo:hi:hi]
			if a16, ok := any(a).([]uint16); ok {
				maxU16(a16, any(xs).([]uint16))
				return
			}
			for j, v := range xs[:len(a)] {
				a[j] = max(a[j], v)
			}
		case kind == statMin:
			a := ext[lo:hi:hi]
			if a16, ok := any(a).([]uint16); ok {
				minU16(a16, any(xs).([]uint16))
				return
			}
			for j, v := range xs[:len(a)] {
				a[j] = min(a[j], v)
			}
		case sum != nil:
			a := sum[lo:hi:hi]
			for j, v := range xs[:len(a)] {
				a[j] += float64(v)
			}
		case accI != nil:
			a := accI[lo:hi:hi]
			if x16, ok := any(xs).([]uint16); ok {
				addU16I32(a, x16)
				return
			}
			for j, v := range xs[:len(a)] {
				a[j] += int32(v)
			}
		default:
			addF32Acc(accF[lo:hi:hi], xs)
		}
	}
	workers := runtime.GOMAXPROCS(0)
	var out []float32
	d := float64(nf)
	if accI != nil || accF != nil {
		out = make([]float32, npx)
	}
	if fv, ok := ims.(frameViewer); ok {
		// in place, tile by tile; uint16 frames four at a time
		quad := quadKernel(kind, ext, accI)
		const tile = 16384
		ntiles := (npx + tile - 1) / tile
		var next sync.Mutex
		t := 0
		nw := min(workers, max(ntiles, 1))
		err := par.Do(nw, nw, func(int) error {
			for {
				next.Lock()
				k := t
				t++
				next.Unlock()
				if k >= ntiles {
					return nil
				}
				lo, hi := k*tile, min((k+1)*tile, npx)
				i := 0
				if quad != nil {
					if ext != nil {
						apply(0, fv.frameView(0).Data.([]T), lo, hi)
						i = 1
					}
					for ; i+4 <= nf; i += 4 {
						quad(lo, hi, fv.frameView(i).Data, fv.frameView(i+1).Data,
							fv.frameView(i+2).Data, fv.frameView(i+3).Data)
					}
				}
				for ; i < nf; i++ {
					apply(i, fv.frameView(i).Data.([]T), lo, hi)
				}
				if out != nil {
					// the mean of the tile while its sums are in cache
					meanInto(out[lo:hi], accI, accF, lo, d)
				}
			}
		})
		if err != nil {
			return Frame{}, err
		}
	} else {
		dt := ims.DType()
		err := forFramesOrdered(ims, nf, workers, func(i int, f Frame) error {
			if err := checkFrame(f, rows, cols, "stats"); err != nil {
				return err
			}
			if f.DType() != dt {
				f = f.AsType(dt)
			}
			x := f.Data.([]T)
			parts := min(workers, max(1, npx/65536))
			if parts <= 1 {
				apply(i, x, 0, npx)
				return nil
			}
			step := (npx + parts - 1) / parts
			return par.Do(parts, parts, func(p int) error {
				apply(i, x, p*step, min((p+1)*step, npx))
				return nil
			})
		})
		if err != nil {
			return Frame{}, err
		}
		if out != nil {
			meanInto(out, accI, accF, 0, d)
		}
	}
	switch {
	case ext != nil:
		return Frame{rows, cols, ext}, nil
	case sum != nil:
		return Frame{rows, cols, sum}, nil
	}
	return Frame{rows, cols, out}, nil
}

// meanInto sets out to the sums at lo.. (accI or accF) divided by d.
func meanInto(out []float32, accI []int32, accF []float32, lo int, d float64) {
	if accI != nil {
		for j, v := range accI[lo : lo+len(out)] {
			out[j] = float32(float64(v) / d)
		}
		return
	}
	for j, v := range accF[lo : lo+len(out)] {
		out[j] = float32(float64(v) / d)
	}
}

// quadKernel is the four-frame fold of pixels lo..hi (max, min, or the
// int32 sum of the average) for uint16 frames with AVX2; nil otherwise.
// The first frame of max and min is copied by the caller.
func quadKernel[T number](kind statKind, ext []T, accI []int32) func(lo, hi int, x0, x1, x2, x3 any) {
	if !haveAVX2 {
		return nil
	}
	var zero T
	if _, ok := any(zero).(uint16); !ok {
		return nil
	}
	ext16, _ := any(ext).([]uint16)
	var fold4 func(lo, hi int, x [4][]uint16)
	switch {
	case ext16 != nil && kind == statMax:
		fold4 = func(lo, hi int, x [4][]uint16) { maxU16x4(ext16[lo:hi], x[0], x[1], x[2], x[3]) }
	case ext16 != nil && kind == statMin:
		fold4 = func(lo, hi int, x [4][]uint16) { minU16x4(ext16[lo:hi], x[0], x[1], x[2], x[3]) }
	case accI != nil:
		fold4 = func(lo, hi int, x [4][]uint16) { addU16I32x4(accI[lo:hi], x[0], x[1], x[2], x[3]) }
	default:
		return nil
	}
	return func(lo, hi int, x0, x1, x2, x3 any) {
		fold4(lo, hi, [4][]uint16{x0.([]uint16)[lo:hi], x1.([]uint16)[lo:hi], x2.([]uint16)[lo:hi], x3.([]uint16)[lo:hi]})
	}
}

// maxU16x4, minU16x4 and addU16I32x4 fold four frames at once with the
// AVX2 kernels on the multiple-of-16 prefix and finish the tail in Go.
func maxU16x4(a, x0, x1, x2, x3 []uint16) {
	n := len(a) &^ 15
	if n > 0 {
		maxU16x4AVX2(&a[0], &x0[0], &x1[0], &x2[0], &x3[0], n)
	}
	for j := n; j < len(a); j++ {
		a[j] = max(a[j], x0[j], x1[j], x2[j], x3[j])
	}
}

func minU16x4(a, x0, x1, x2, x3 []uint16) {
	n := len(a) &^ 15
	if n > 0 {
		minU16x4AVX2(&a[0], &x0[0], &x1[0], &x2[0], &x3[0], n)
	}
	for j := n; j < len(a); j++ {
		a[j] = min(a[j], x0[j], x1[j], x2[j], x3[j])
	}
}

func addU16I32x4(a []int32, x0, x1, x2, x3 []uint16) {
	n := len(a) &^ 15
	if n > 0 {
		addU16I32x4AVX2(&a[0], &x0[0], &x1[0], &x2[0], &x3[0], n)
	}
	for j := n; j < len(a); j++ {
		a[j] += int32(x0[j]) + int32(x1[j]) + int32(x2[j]) + int32(x3[j])
	}
}

// addF32Acc is NumPy's in-place float32 accumulation acc += x: float32
// arithmetic for float32 (and exactly representable integer) values, else
// in float64 rounded to float32.
func addF32Acc[T number](acc []float32, x []T) {
	switch v := any(x).(type) {
	case []float32:
		for j, e := range v[:len(acc)] {
			acc[j] += e
		}
		return
	}
	for j, e := range x[:len(acc)] {
		acc[j] = float32(float64(acc[j]) + float64(e))
	}
}

// ---------------------------------------------------------------- percentile

// hist16 selects order statistics of up to 65535 16-bit keys with a fine
// (65536 bins) and a coarse (1024 bins of 64) counting histogram. The
// coarse counts are split over 4 interleaved copies so that runs of equal
// keys do not serialise on one counter.
type hist16 struct {
	fine   [65536]uint16
	coarse [4][1024]uint16
}

// select2 returns the prev-th and next-th smallest of keys (0-based).
func (h *hist16) select2(keys []uint16, prev, next int) (a, b uint16) {
	cmin, cmax := 1023, 0
	f := 0
	for ; f+4 <= len(keys); f += 4 {
		k0, k1, k2, k3 := keys[f], keys[f+1], keys[f+2], keys[f+3]
		h.fine[k0]++
		h.fine[k1]++
		h.fine[k2]++
		h.fine[k3]++
		c0, c1, c2, c3 := int(k0>>6), int(k1>>6), int(k2>>6), int(k3>>6)
		h.coarse[0][c0]++
		h.coarse[1][c1]++
		h.coarse[2][c2]++
		h.coarse[3][c3]++
		cmin = min(cmin, c0, c1, c2, c3)
		cmax = max(cmax, c0, c1, c2, c3)
	}
	for _, k := range keys[f:] {
		h.fine[k]++
		c := int(k >> 6)
		h.coarse[0][c]++
		cmin = min(cmin, c)
		cmax = max(cmax, c)
	}
	a = h.find(prev, cmin, cmax)
	b = a
	if next != prev {
		b = h.find(next, cmin, cmax)
	}
	for _, k := range keys {
		h.fine[k] = 0
	}
	for i := range h.coarse {
		clear(h.coarse[i][cmin : cmax+1])
	}
	return a, b
}

// find returns the key of rank r.
func (h *hist16) find(r, cmin, cmax int) uint16 {
	cum := 0
	c := cmin
	for ; c < cmax; c++ {
		n := int(h.coarse[0][c]) + int(h.coarse[1][c]) + int(h.coarse[2][c]) + int(h.coarse[3][c])
		if cum+n > r {
			break
		}
		cum += n
	}
	v := c << 6
	for end := v + 63; v < end; v++ {
		cum += int(h.fine[v])
		if cum > r {
			break
		}
	}
	return uint16(v)
}

// bandPctSmall is bandPctT for 8/16-bit integers: tiles of pixels are
// transposed into pixel-major order-preserving uint16 keys, then each
// pixel's order statistics are selected by histogram.
func bandPctSmall[T int8 | uint8 | int16 | uint16](buf []T, nf, npix int, q float64, out []float32, workers int) error {
	return pctSmallRange(buf, nf, npix, 0, npix, q, out, workers)
}

// pctSmallRange computes pixels [lo, hi) of a frame-major stack whose frames
// are stride elements apart (out[p-lo]).
func pctSmallRange[T int8 | uint8 | int16 | uint16](buf []T, nf, stride, lo, hi int, q float64, out []float32, workers int) error {
	npix := hi - lo
	// wide tiles keep the reads of every frame row sequential; the
	// scratch (tile·nf keys) stays within L2
	tile := max(64, min(1024, (256<<10)/(2*max(nf, 1))))
	prev, next, gamma := pctIndex(nf, q)
	var flip uint16
	var zero T
	if ^zero < 0 { // signed
		flip = 0x8000
		if any(zero) == any(int8(0)) {
			flip = 0x80
		}
	}
	ntiles := (npix + tile - 1) / tile
	var mu sync.Mutex
	nextTile := 0
	return par.Do(workers, workers, func(int) error {
		h := new(hist16)
		scratch := make([]uint16, nf*tile)
		for {
			mu.Lock()
			t := nextTile
			nextTile++
			mu.Unlock()
			if t >= ntiles {
				return nil
			}
			p0 := t * tile
			p1 := min(p0+tile, npix)
			for f := 0; f < nf; f++ {
				row := buf[f*stride+lo+p0 : f*stride+lo+p1]
				sc := scratch[f:]
				for j, v := range row {
					sc[j*nf] = keyOf(v, flip)
				}
			}
			for j := 0; j < p1-p0; j++ {
				ka, kb := h.select2(scratch[j*nf:(j+1)*nf], prev, next)
				out[p0+j] = lerpPct(fromKey[T](ka, flip), fromKey[T](kb, flip), gamma)
			}
		}
	})
}

func keyOf[T int8 | uint8 | int16 | uint16](v T, flip uint16) uint16 {
	if flip == 0x80 {
		return uint16(uint8(v) ^ 0x80)
	}
	return uint16(v) ^ flip
}

func fromKey[T int8 | uint8 | int16 | uint16](k uint16, flip uint16) T {
	if flip == 0x80 {
		return T(int8(uint8(k) ^ 0x80))
	}
	return T(k ^ flip)
}

// lerpPct is numpy 1.24's _lerp between the order statistics a <= b
// (difference in the array dtype, then float64), cast to float32.
func lerpPct[T number](a, b T, gamma float64) float32 {
	diff := float64(b - a)
	if gamma >= 0.5 {
		return float32(float64(b) - diff*(1-gamma))
	}
	return float32(float64(a) + diff*gamma)
}

func errUnsupportedDType(dt DType) error {
	return qperr.New(qperr.BadArgument, "unsupported dtype %s", dt)
}

// pctInPlace computes the percentile of an in-memory array series for rows
// [r0, r1) straight from its data (no band copy); false if not applicable.
func pctInPlace(ims ImageSeries, nf, r0, r1 int, q float64, out []float32, workers int) (bool, error) {
	a, ok := ims.(*ArraySeries)
	if !ok || nf > 65535 {
		return false, nil
	}
	npx := a.rows * a.cols
	lo, hi := r0*a.cols, r1*a.cols
	o := out[lo:hi]
	switch d := a.data.(type) {
	case []uint16:
		return true, pctSmallRange(d, nf, npx, lo, hi, q, o, workers)
	case []int16:
		return true, pctSmallRange(d, nf, npx, lo, hi, q, o, workers)
	case []uint8:
		return true, pctSmallRange(d, nf, npx, lo, hi, q, o, workers)
	case []int8:
		return true, pctSmallRange(d, nf, npx, lo, hi, q, o, workers)
	}
	return false, nil
}

// maxU16, minU16 and addU16I32 run the AVX2 kernels on the multiple-of-16
// prefix (the SSE2 ones on the multiple-of-8 prefix without AVX2) and
// finish the tail in Go (len(x) >= len(a)).
func maxU16(a, x []uint16) {
	x = x[:len(a)]
	n := 0
	if haveAVX2 {
		if n = len(a) &^ 15; n > 0 {
			maxU16AVX2(&a[0], &x[0], n)
		}
	} else if haveSIMD {
		if n = len(a) &^ 7; n > 0 {
			maxU16SSE2(&a[0], &x[0], n)
		}
	}
	for j := n; j < len(a); j++ {
		a[j] = max(a[j], x[j])
	}
}

func minU16(a, x []uint16) {
	x = x[:len(a)]
	n := 0
	if haveAVX2 {
		if n = len(a) &^ 15; n > 0 {
			minU16AVX2(&a[0], &x[0], n)
		}
	} else if haveSIMD {
		if n = len(a) &^ 7; n > 0 {
			minU16SSE2(&a[0], &x[0], n)
		}
	}
	for j := n; j < len(a); j++ {
		a[j] = min(a[j], x[j])
	}
}

func addU16I32(a []int32, x []uint16) {
	x = x[:len(a)]
	n := 0
	if haveAVX2 {
		if n = len(a) &^ 15; n > 0 {
			addU16I32AVX2(&a[0], &x[0], n)
		}
	} else if haveSIMD {
		if n = len(a) &^ 7; n > 0 {
			addU16I32SSE2(&a[0], &x[0], n)
		}
	}
	for j := n; j < len(a); j++ {
		a[j] += int32(x[j])
	}
}
