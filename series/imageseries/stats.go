package imageseries

import (
	"math"
	"runtime"
	"strings"
	"sync"

	"qpgo/core/qperr"
	"qpgo/internal/par"
)

// ChunkStops is hexrd's stats._chunk_stops: inclusive stop indices of
// nchunks chunks over n items (first piece one shorter).
func ChunkStops(n, nchunks int) ([]int, error) {
	if nchunks > n {
		return nil, qperr.New(qperr.BadArgument, "number of chunks cannot exceed number of items")
	}
	if nchunks <= 0 {
		return nil, qperr.New(qperr.BadArgument, "number of chunks must be positive")
	}
	out := make([]int, nchunks)
	sum := 0
	for k := range out {
		p := n / nchunks
		if k < n%nchunks {
			p++
		}
		if k == 0 {
			p--
		}
		sum += p
		out[k] = sum
	}
	return out, nil
}

func statsNFrames(ims ImageSeries, nframes int) (int, error) {
	if ims == nil {
		return 0, qperr.New(qperr.BadArgument, "nil image series")
	}
	nf := ims.Len()
	if nframes > 0 {
		nf = min(nf, nframes)
	}
	if nf == 0 {
		return 0, qperr.New(qperr.NotFound, "image series has no frames")
	}
	return nf, nil
}

// seriesFrame fetches frame i and checks it against the series shape and
// dtype (a frame of another dtype is converted).
func seriesFrame(ims ImageSeries, i, rows, cols int, dt DType) (Frame, error) {
	f, err := ims.Frame(i)
	if err != nil {
		return Frame{}, err
	}
	if err := checkFrame(f, rows, cols, "stats"); err != nil {
		return Frame{}, err
	}
	if f.DType() != dt {
		f = f.AsType(dt)
	}
	return f, nil
}

// accumulator folds frames one at a time (O(one frame) memory).
type accumulator interface {
	add(f Frame, first bool)
	// snapshot is the current result after n frames (a new frame).
	snapshot(n int) Frame
}

type extremeAcc struct {
	acc   Frame
	isMax bool
}

func (a *extremeAcc) add(f Frame, first bool) {
	if first {
		a.acc = f.Clone()
		return
	}
	if o := opsOf(a.acc.Data); o != nil {
		o.extreme(a.acc.Data, f.Data, a.isMax)
	}
}

func (a *extremeAcc) snapshot(int) Frame { return a.acc.Clone() }

// extremeT is np.maximum / np.minimum (NaN propagates).
func extremeT[T number](acc, x []T, isMax bool) {
	if isMax {
		for i, v := range x {
			if v > acc[i] || v != v {
				acc[i] = v
			}
		}
		return
	}
	for i, v := range x {
		if v < acc[i] || v != v {
			acc[i] = v
		}
	}
}

type sumAcc struct {
	rows, cols int
	acc        []float64
}

func (a *sumAcc) add(f Frame, first bool) {
	if first {
		a.rows, a.cols, a.acc = f.Rows, f.Cols, make([]float64, f.Rows*f.Cols)
	}
	addInto(a.acc, f.Data)
}

func (a *sumAcc) snapshot(int) Frame {
	return Frame{a.rows, a.cols, append([]float64(nil), a.acc...)}
}

func addInto(acc []float64, data any) {
	if o := opsOf(data); o != nil {
		o.addF64(acc, data)
	}
}

func addT[T number](acc []float64, x []T) {
	for i, v := range x {
		acc[i] += float64(v)
	}
}

// avgAcc is hexrd's float32 accumulator: acc += frame in float32 (in float64
// then rounded for 32/64-bit frames, which is what numpy's in-place add does).
type avgAcc struct {
	rows, cols int
	acc        []float32
}

func (a *avgAcc) add(f Frame, first bool) {
	if first {
		a.rows, a.cols, a.acc = f.Rows, f.Cols, make([]float32, f.Rows*f.Cols)
	}
	if o := opsOf(f.Data); o != nil {
		o.addF32(a.acc, f.Data)
	}
}

func addF32[T number](acc []float32, x []T) {
	for i, v := range x {
		acc[i] = float32(float64(acc[i]) + float64(v))
	}
}

func (a *avgAcc) snapshot(n int) Frame {
	out := make([]float32, len(a.acc))
	d := float64(n)
	for i, v := range a.acc {
		out[i] = float32(float64(v) / d)
	}
	return Frame{a.rows, a.cols, out}
}

// fold runs acc over the first nframes frames; with nchunk > 0 it calls
// yield with a snapshot at the chunk stops (the *_iter forms).
func fold(ims ImageSeries, nframes, nchunk int, acc accumulator, yield func(Frame) error) (Frame, error) {
	nf, err := statsNFrames(ims, nframes)
	if err != nil {
		return Frame{}, err
	}
	var stops []int
	if nchunk > 0 {
		if stops, err = ChunkStops(nf, nchunk); err != nil {
			return Frame{}, err
		}
	}
	s := ims.Shape()
	dt := ims.DType()
	next := 0
	for i := 0; i < nf; i++ {
		f, err := seriesFrame(ims, i, s[0], s[1], dt)
		if err != nil {
			return Frame{}, err
		}
		acc.add(f, i == 0)
		if next < len(stops) && i >= stops[next] {
			next++
			if yield != nil {
				if err := yield(acc.snapshot(i + 1)); err != nil {
					return Frame{}, err
				}
			}
		}
	}
	return acc.snapshot(nf), nil
}

// Max is the element-wise maximum over the first nframes frames (0: all), in
// the series dtype.
func Max(ims ImageSeries, nframes int) (Frame, error) {
	return statFast(ims, nframes, statMax)
}

// Min is the element-wise minimum, in the series dtype.
func Min(ims ImageSeries, nframes int) (Frame, error) {
	return statFast(ims, nframes, statMin)
}

// Sum is the float64 sum.
func Sum(ims ImageSeries, nframes int) (Frame, error) {
	return statFast(ims, nframes, statSum)
}

// Average is the mean with a float32 accumulator; always float32 (I11).
func Average(ims ImageSeries, nframes int) (Frame, error) {
	return statFast(ims, nframes, statAvg)
}

func statFast(ims ImageSeries, nframes int, kind statKind) (Frame, error) {
	nf, err := statsNFrames(ims, nframes)
	if err != nil {
		return Frame{}, err
	}
	return fastFold(ims, nf, kind)
}

// MaxIter is Max in nchunk frame chunks; yield receives the running maximum
// after each chunk (the last one equals the result). A non-nil error from
// yield stops the computation and is returned.
func MaxIter(ims ImageSeries, nchunk, nframes int, yield func(Frame) error) (Frame, error) {
	if nchunk <= 0 {
		return Frame{}, qperr.New(qperr.BadArgument, "number of chunks must be positive")
	}
	return fold(ims, nframes, nchunk, &extremeAcc{isMax: true}, yield)
}

// MinIter is Min in frame chunks.
func MinIter(ims ImageSeries, nchunk, nframes int, yield func(Frame) error) (Frame, error) {
	if nchunk <= 0 {
		return Frame{}, qperr.New(qperr.BadArgument, "number of chunks must be positive")
	}
	return fold(ims, nframes, nchunk, &extremeAcc{}, yield)
}

// SumIter is Sum in frame chunks.
func SumIter(ims ImageSeries, nchunk, nframes int, yield func(Frame) error) (Frame, error) {
	if nchunk <= 0 {
		return Frame{}, qperr.New(qperr.BadArgument, "number of chunks must be positive")
	}
	return fold(ims, nframes, nchunk, &sumAcc{}, yield)
}

// AverageIter is Average in frame chunks; each yield is acc/(i+1).
func AverageIter(ims ImageSeries, nchunk, nframes int, yield func(Frame) error) (Frame, error) {
	if nchunk <= 0 {
		return Frame{}, qperr.New(qperr.BadArgument, "number of chunks must be positive")
	}
	return fold(ims, nframes, nchunk, &avgAcc{}, yield)
}

// ---------------------------------------------------------------- percentile

// StatsOptions tune the percentile computation.
type StatsOptions struct {
	// NFrames: use the first NFrames frames (0: all).
	NFrames int
	// BufferBytes bounds the frame data held at once (default
	// DefaultStatsBuffer). Frames are read in row bands that fit; a series
	// with a RegionReader reads only the band.
	BufferBytes int64
	// Workers computing pixels in parallel (0: GOMAXPROCS).
	Workers int
}

// DefaultStatsBuffer is the default band buffer of Percentile (upstream uses
// half of the free RAM; a fixed bound keeps the process predictable).
const DefaultStatsBuffer = 128 << 20

// Percentile is np.percentile over frames (linear interpolation) cast to
// float32. pctl is in [0, 100].
func Percentile(ims ImageSeries, pctl float64, nframes int) (Frame, error) {
	return PercentileWith(ims, pctl, StatsOptions{NFrames: nframes})
}

// Median is Percentile 50.
func Median(ims ImageSeries, nframes int) (Frame, error) {
	return Percentile(ims, 50, nframes)
}

// PercentileWith is Percentile with explicit options.
func PercentileWith(ims ImageSeries, pctl float64, o StatsOptions) (Frame, error) {
	return PercentileIterWith(ims, pctl, 1, o, nil)
}

// PercentileIter computes the percentile in nchunks row chunks; yield gets
// the float32 image with the rows done so far (others 0).
func PercentileIter(ims ImageSeries, pctl float64, nchunks, nframes int, yield func(Frame) error) (Frame, error) {
	return PercentileIterWith(ims, pctl, nchunks, StatsOptions{NFrames: nframes}, yield)
}

// MedianIter is PercentileIter at 50.
func MedianIter(ims ImageSeries, nchunks, nframes int, yield func(Frame) error) (Frame, error) {
	return PercentileIter(ims, 50, nchunks, nframes, yield)
}

// PercentileIterWith is PercentileIter with explicit options.
func PercentileIterWith(ims ImageSeries, pctl float64, nchunks int, o StatsOptions, yield func(Frame) error) (Frame, error) {
	if !(pctl >= 0 && pctl <= 100) {
		return Frame{}, qperr.New(qperr.BadArgument, "Percentiles must be in the range [0, 100]")
	}
	nf, err := statsNFrames(ims, o.NFrames)
	if err != nil {
		return Frame{}, err
	}
	s := ims.Shape()
	rows, cols := s[0], s[1]
	stops, err := ChunkStops(rows, nchunks)
	if err != nil {
		return Frame{}, err
	}
	if o.BufferBytes <= 0 {
		o.BufferBytes = statsBufferFor(ims)
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	dt := ims.DType()
	rowBytes := int64(nf) * int64(cols) * int64(dt.Size())
	bandRows := 1
	if rowBytes > 0 {
		bandRows = int(max(1, o.BufferBytes/rowBytes))
	}
	bandRows = min(bandRows, rows)
	out := make([]float32, rows*cols)
	q := pctl / 100
	var buf any
	r0 := 0
	for _, st := range stops {
		r1 := st + 1
		inPlace, err := pctInPlace(ims, nf, r0, r1, q, out, o.Workers)
		if err != nil {
			return Frame{}, err
		}
		if inPlace {
			r0 = r1
			if yield != nil {
				if err := yield(Frame{rows, cols, append([]float32(nil), out...)}); err != nil {
					return Frame{}, err
				}
			}
			continue
		}
		if buf == nil {
			buf = newData(dt, nf*bandRows*cols)
		}
		for b0 := r0; b0 < r1; b0 += bandRows {
			b1 := min(b0+bandRows, r1)
			npix := (b1 - b0) * cols
			for i := 0; i < nf; i++ {
				if fv, ok := ims.(frameViewer); ok {
					copyInto(buf, i*npix, sliceData(fv.frameView(i).Data, b0*cols, b1*cols))
					continue
				}
				f, err := GetRegion(ims, i, Rect{b0, b1, 0, cols})
				if err != nil {
					return Frame{}, err
				}
				if err := checkFrame(f, b1-b0, cols, "stats"); err != nil {
					return Frame{}, err
				}
				if f.DType() != dt {
					f = f.AsType(dt)
				}
				copyInto(buf, i*npix, f.Data)
			}
			if err := bandPercentile(buf, nf, npix, q, out[b0*cols:b1*cols], o.Workers); err != nil {
				return Frame{}, err
			}
		}
		r0 = r1
		if yield != nil {
			if err := yield(Frame{rows, cols, append([]float32(nil), out...)}); err != nil {
				return Frame{}, err
			}
		}
	}
	return Frame{rows, cols, out}, nil
}

func copyInto(dst any, off int, src any) {
	if o := opsOf(dst); o != nil {
		o.copyInto(dst, off, src)
	}
}

func bandPercentile(buf any, nf, npix int, q float64, out []float32, workers int) error {
	if nf <= 65535 {
		switch v := buf.(type) {
		case []uint8:
			return bandPctSmall(v, nf, npix, q, out, workers)
		case []int8:
			return bandPctSmall(v, nf, npix, q, out, workers)
		case []uint16:
			return bandPctSmall(v, nf, npix, q, out, workers)
		case []int16:
			return bandPctSmall(v, nf, npix, q, out, workers)
		}
	}
	if o := opsOf(buf); o != nil {
		return o.bandPct(buf, nf, npix, q, out, workers)
	}
	return nil
}

// pctIndex is numpy 1.24's linear-method index computation.
func pctIndex(n int, q float64) (prev, next int, gamma float64) {
	virt := float64(n)*q + (1 + q*(1-1-1)) - 1
	switch {
	case virt >= float64(n-1):
		return n - 1, n - 1, virt - float64(n-1) + 0 // value = last
	case virt < 0:
		return 0, 0, virt
	}
	p := math.Floor(virt)
	return int(p), int(p) + 1, virt - p
}

// bandPctT computes the percentile of every pixel of a band held frame-major
// (buf[f*npix + p]). Pixels are processed in tiles that are transposed into
// a small pixel-major scratch so the per-pixel selection runs in cache.
func bandPctT[T number](buf []T, nf, npix int, q float64, out []float32, workers int) error {
	const tile = 64
	prev, next, gamma := pctIndex(nf, q)
	ntiles := (npix + tile - 1) / tile
	var mu sync.Mutex
	nextTile := 0
	return par.Do(workers, workers, func(int) error {
		scratch := make([]T, nf*tile)
		for {
			mu.Lock()
			t := nextTile
			nextTile += 8
			mu.Unlock()
			if t >= ntiles {
				return nil
			}
			for tt := t; tt < min(t+8, ntiles); tt++ {
				p0 := tt * tile
				p1 := min(p0+tile, npix)
				w := p1 - p0
				for f := 0; f < nf; f++ {
					row := buf[f*npix+p0 : f*npix+p1]
					for j, v := range row {
						scratch[j*nf+f] = v
					}
				}
				for j := 0; j < w; j++ {
					out[p0+j] = pixelPercentile(scratch[j*nf:(j+1)*nf], prev, next, gamma)
				}
			}
		}
	})
}

// pixelPercentile reorders vals and returns numpy's linear interpolation
// between order statistics prev and next (next = prev+1 or prev), NaN if any
// value is NaN.
func pixelPercentile[T number](vals []T, prev, next int, gamma float64) float32 {
	for _, v := range vals {
		if v != v {
			return float32(math.NaN())
		}
	}
	a := quickselect(vals, prev)
	b := a
	if next != prev {
		b = vals[next]
		for _, v := range vals[next+1:] {
			if v < b {
				b = v
			}
		}
	}
	// numpy _lerp: diff in the array dtype (exact for sorted integers),
	// then float64 arithmetic.
	diff := float64(b - a)
	var r float64
	if gamma >= 0.5 {
		r = float64(b) - diff*(1-gamma)
	} else {
		r = float64(a) + diff*gamma
	}
	return float32(r)
}

// quickselect places the k-th smallest value at v[k] (smaller before,
// larger-or-equal after) and returns it.
func quickselect[T number](v []T, k int) T {
	lo, hi := 0, len(v)-1
	for hi > lo {
		if hi-lo < 16 {
			for i := lo + 1; i <= hi; i++ {
				x := v[i]
				j := i - 1
				for j >= lo && v[j] > x {
					v[j+1] = v[j]
					j--
				}
				v[j+1] = x
			}
			break
		}
		mid := lo + (hi-lo)/2
		if v[mid] < v[lo] {
			v[mid], v[lo] = v[lo], v[mid]
		}
		if v[hi] < v[lo] {
			v[hi], v[lo] = v[lo], v[hi]
		}
		if v[hi] < v[mid] {
			v[hi], v[mid] = v[mid], v[hi]
		}
		pivot := v[mid]
		i, j := lo, hi
		for i <= j {
			for v[i] < pivot {
				i++
			}
			for v[j] > pivot {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return v[k]
		}
	}
	return v[k]
}

// StatKeys are the statistics Stat computes by name.
var StatKeys = []string{"max", "min", "average", "sum", "median", "percentile"}

// StatDType is the element type of a statistic's result (hexrd's: max and
// min keep the series dtype, sum is float64, the others float32).
func StatDType(which string, series DType) (DType, error) {
	switch which {
	case "max", "min":
		return series, nil
	case "sum":
		return Float64, nil
	case "average", "median", "percentile":
		return Float32, nil
	}
	return Invalid, qperr.New(qperr.UnknownKey, "unknown statistic %q (valid: %s)", which, strings.Join(StatKeys, ", "))
}

// Stat computes the statistic which (one of StatKeys) over the first
// nframes frames (0: all); pctl is the percentile of "percentile".
func Stat(ims ImageSeries, which string, pctl float64, nframes int) (Frame, error) {
	switch which {
	case "max":
		return Max(ims, nframes)
	case "min":
		return Min(ims, nframes)
	case "sum":
		return Sum(ims, nframes)
	case "average":
		return Average(ims, nframes)
	case "median":
		return Median(ims, nframes)
	case "percentile":
		return Percentile(ims, pctl, nframes)
	}
	return Frame{}, qperr.New(qperr.UnknownKey, "unknown statistic %q (valid: %s)", which, strings.Join(StatKeys, ", "))
}
