package unwrap

import (
	"math"
	"runtime"

	"qpgo/core/qperr"
)

// QPImageSeed is the seed qpimage passes to unwrap_phase (rng=47).
const QPImageSeed = 47

const twoPi = 2 * math.Pi

// maxPixels keeps a pixel index, shifted by 3 bits in an edge id, in 32 bits.
const maxPixels = 1 << 29

// Unwrap2D unwraps a row-major rows×cols phase image like
// skimage.restoration.unwrap_phase(pha, seed=47) does in scikit-image
// 0.19.3 (the call qpimage makes). mask may be nil; true marks a pixel to
// exclude. Masked pixels are not connected to anything; in the result they
// hold the minimum of the unwrapped unmasked pixels (as skimage's data
// array does), or NaN when every pixel is masked (skimage: DBL_MAX).
// Non-finite values are an error at unmasked pixels and are read as 0 at
// masked ones.
func Unwrap2D(pha []float64, rows, cols int, mask []bool) ([]float64, error) {
	return Unwrap2DSeed(pha, rows, cols, mask, QPImageSeed)
}

// Unwrap2DSeed is Unwrap2D with another glibc srand seed. scikit-image
// 0.19.3 calls without a seed (as qpretrieve does) behave like seed 0.
func Unwrap2DSeed(pha []float64, rows, cols int, mask []bool, seed uint32) ([]float64, error) {
	if err := checkShape(len(pha), rows, cols); err != nil {
		return nil, err
	}
	if mask != nil && len(mask) != len(pha) {
		return nil, qperr.New(qperr.BadArgument, "mask size does not match the image")
	}
	val := make([]float64, len(pha))
	for i, v := range pha {
		if mask != nil && mask[i] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				v = 0
			}
		} else if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, qperr.New(qperr.BadArgument, "phase contains non-finite values outside the mask")
		}
		val[i] = v
	}
	inc, err := increments(val, rows, cols, mask, seed)
	if err != nil {
		return nil, err
	}
	out := val // reuse: the wrapped values are no longer needed
	min := math.Inf(1)
	for i := range out {
		if mask == nil || !mask[i] {
			out[i] += twoPi * float64(inc[i])
			if out[i] < min {
				min = out[i]
			}
		}
	}
	if mask != nil {
		if math.IsInf(min, 1) {
			min = math.NaN()
		}
		for i, m := range mask {
			if m {
				out[i] = min
			}
		}
	}
	return out, nil
}

func checkShape(n, rows, cols int) error {
	if rows <= 0 || cols <= 0 {
		return qperr.New(qperr.BadArgument, "image shape must be positive")
	}
	if rows > maxPixels/cols {
		return qperr.New(qperr.BadArgument, "image too large")
	}
	if n != rows*cols {
		return qperr.New(qperr.BadArgument, "phase size does not match rows*cols")
	}
	return nil
}

// wrap is the gamma function of the paper: one period towards (-π, π].
func wrap(d float64) float64 {
	if d > math.Pi {
		return d - twoPi
	}
	if d < -math.Pi {
		return d + twoPi
	}
	return d
}

// reliabilities returns the per-pixel reliability (lower = more reliable).
// Products are converted explicitly so that the compiler cannot fuse them
// into FMAs: skimage's C code (x86-64 baseline) rounds every operation.
func reliabilities(v []float64, rows, cols int, seed uint32) []float64 {
	rel := make([]float64, len(v))
	g := newGlibcRand(seed)
	for i := range rel {
		rel[i] = float64(g.next())
	}
	w := cols
	for i := 1; i < rows-1; i++ {
		for j := 1; j < cols-1; j++ {
			k := i*w + j
			c := v[k]
			h := wrap(v[k-1]-c) - wrap(c-v[k+1])
			vv := wrap(v[k-w]-c) - wrap(c-v[k+w])
			d1 := wrap(v[k-w-1]-c) - wrap(c-v[k+w+1])
			d2 := wrap(v[k-w+1]-c) - wrap(c-v[k+w-1])
			rel[k] = float64(float64(float64(h*h)+float64(vv*vv))+float64(d1*d1)) + float64(d2*d2)
		}
	}
	return rel
}

// findWrap is the number of periods to add to the second pixel of an edge
// relative to the first, with skimage's sign convention.
func findWrap(a, b float64) int32 {
	d := a - b
	if d > math.Pi {
		return -1
	}
	if d < -math.Pi {
		return 1
	}
	return 0
}

// An edge packs its sort key, the IEEE bits of its (non-negative)
// reliability, whose integer order is the numeric order, with
// id = k<<3 | vertical<<2 | (wrap+1): pixel k is joined to k+1 or k+cols,
// and wrap is findWrap of the two values. Carrying the wrap saves a random
// read of the image per edge in the join loop.
type edge struct {
	key uint64
	id  uint32
}

// buildEdges lists the edges in skimage's order (horizontal, then vertical,
// each row-major); that order decides the quicksort's handling of ties.
func buildEdges(v, rel []float64, rows, cols int, mask []bool, es []edge) []edge {
	es = es[:0]
	ok := func(k int) bool { return mask == nil || !mask[k] }
	for i := 0; i < rows; i++ {
		for j := 0; j < cols-1; j++ {
			k := i*cols + j
			if ok(k) && ok(k+1) {
				es = append(es, edge{math.Float64bits(rel[k] + rel[k+1]),
					uint32(k<<3 | int(findWrap(v[k], v[k+1])+1))})
			}
		}
	}
	for k := 0; k < (rows-1)*cols; k++ {
		if ok(k) && ok(k+cols) {
			es = append(es, edge{math.Float64bits(rel[k] + rel[k+cols]),
				uint32(k<<3 | 4 | int(findWrap(v[k], v[k+cols])+1))})
		}
	}
	return es
}

// increments runs the unwrapper and returns the number of periods to add
// to each pixel.
func increments(v []float64, rows, cols int, mask []bool, seed uint32) ([]int32, error) {
	n := len(v)
	rel := reliabilities(v, rows, cols, seed)
	es := getEdges(rows*(cols-1) + (rows-1)*cols)
	defer putEdges(es)
	es = buildEdges(v, rel, rows, cols, mask, es)

	// Join edges as soon as they are in final order. Equal reliabilities
	// stop that: the order of tied edges is whatever skimage's unstable
	// quicksort makes of the original edge order, so it is replayed and the
	// joining starts over.
	u := newUnionFind(n)
	done, tie := 0, false
	sorted, wait := sortEdgesAsync(es)
	for end := range sorted {
		if tie {
			continue // let the sorter finish before es is rebuilt
		}
		tie = !joinEdges(u, es, done, end, cols, true)
		done = end
	}
	if err := wait(); err != nil {
		return nil, err
	}
	if tie {
		es = buildEdges(v, rel, rows, cols, mask, es)
		quickerSort(es)
		u = newUnionFind(n)
		joinEdges(u, es, 0, len(es), cols, false)
	}
	inc := make([]int32, n)
	for i := range inc {
		_, inc[i] = u.find(int32(i))
	}
	return inc, nil
}

// joinEdges joins the sorted edges es[from:to]. With stopAtTie it reports
// false, without joining anything more, at the first edge whose key equals
// its predecessor's.
func joinEdges(u unionFind, es []edge, from, to, cols int, stopAtTie bool) bool {
	// The loop is bound by cache misses at random pixels. Reading the
	// pixels of an edge a few steps ahead starts those misses early; the
	// sum only keeps the compiler from dropping the loads.
	const ahead = 8
	var touch int32
	for i := from; i < to; i++ {
		e := es[i]
		if stopAtTie && i > 0 && e.key == es[i-1].key {
			return false
		}
		if i+ahead < to {
			f := es[i+ahead].id
			touch += u[f>>3].parent
			if f&4 != 0 {
				touch += u[int(f>>3)+cols].parent
			}
		}
		p1 := int32(e.id >> 3)
		p2 := p1 + 1
		if e.id&4 != 0 {
			p2 = p1 + int32(cols)
		}
		u.join(p1, p2, int32(e.id&3)-1)
	}
	runtime.KeepAlive(touch)
	return true
}
