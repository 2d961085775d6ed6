package imageseries

import (
	"math"
	"runtime"
	"sync"

	"qpgo/core/qperr"
	"qpgo/internal/npy"
	"qpgo/internal/par"
)

// Op is one processing step (key, data) of a ProcessedImageSeries.
//
// Built-in keys and their data:
//   - "dark": Frame or *npy.Array (2-d), subtracted and clamped at 0;
//   - "flip": string code (y/v, x/h, vh/hv/r180, t/T, ccw90/r90, cw90/r270;
//     anything else leaves the frame unchanged);
//   - "rectangle": Rect or [2][2]int ((r0, r1), (c0, c1));
//   - "add": a number or a Frame / *npy.Array (non-float frames become
//     float32 first);
//   - "gauss_laplace": sigma as a number, [2]float64 or []float64;
//   - "add-row", "add-column": int index where a zero row/column is inserted.
type Op struct {
	Key  string
	Data any
}

// OpFunc is a custom operation (hexrd addop): it returns the new frame.
type OpFunc func(img Frame, data any) (Frame, error)

// Processed is hexrd's ProcessedImageSeries: ops applied lazily, in order, to
// each requested frame of the wrapped series, optionally over a frame list
// (indices into the wrapped series; the frames are not copied).
//
// Differences from upstream (documented defects): dark subtraction never
// wraps around (I4); Region works and processed series nest (I6).
type Processed struct {
	base        ImageSeries
	ops         []func(Frame) (Frame, error)
	firstRect   *Rect
	builtinOnly bool   // no custom ops: the input frame is never modified
	lastFlip    string // the code of a last built-in flip that keeps the shape ("" if none)
	dark32      *Frame // the float32 dark frame of a first built-in "dark" op (nil if none)
	frames      []int
	rows, cols  int
	dt          DType
	meta        Metadata
}

// NewProcessed builds a processed series. frameList nil means all frames.
// custom adds operations by key (they may also replace built-ins).
func NewProcessed(ims ImageSeries, ops []Op, frameList []int, custom map[string]OpFunc) (*Processed, error) {
	if ims == nil {
		return nil, qperr.New(qperr.BadArgument, "nil image series")
	}
	p := &Processed{base: ims}
	n := ims.Len()
	if frameList != nil {
		p.frames = make([]int, len(frameList))
		for k, i := range frameList {
			j, err := normIndex(i, n)
			if err != nil {
				return nil, err
			}
			p.frames[k] = j
		}
	}
	p.builtinOnly = true
	for k, op := range ops {
		if fn, ok := custom[op.Key]; ok {
			p.builtinOnly = false
			data := op.Data
			p.ops = append(p.ops, func(f Frame) (Frame, error) { return fn(f, data) })
			continue
		}
		fn, rect, err := builtinOp(op)
		if err != nil {
			return nil, err
		}
		if k == 0 && rect != nil {
			// upstream fast path: a leading rectangle reads only the region
			p.firstRect = rect
			continue
		}
		p.ops = append(p.ops, fn)
		if fr, ok := op.Data.(Frame); ok && op.Key == "dark" && len(p.ops) == 1 && fr.DType() == Float32 {
			p.dark32 = &fr
		}
		p.lastFlip = ""
		if code, ok := op.Data.(string); ok && op.Key == "flip" && flipKeepsShape(code) {
			p.lastFlip = code
		}
	}
	p.meta = ims.Metadata().Clone()
	if p.frames != nil {
		if om, ok := p.meta["omega"]; ok {
			a, ok := om.(*npy.Array)
			if !ok || len(a.Shape) == 0 || a.Shape[0] != n {
				return nil, qperr.New(qperr.BadArgument, "omega metadata must be an array with one row per frame to subset it by the frame list")
			}
			sub, err := subsetRows(a, p.frames)
			if err != nil {
				return nil, err
			}
			p.meta["omega"] = sub
		}
	}
	if p.Len() > 0 {
		f0, err := p.Frame(0)
		if err != nil {
			return nil, err
		}
		p.rows, p.cols, p.dt = f0.Rows, f0.Cols, f0.DType()
	} else {
		s := ims.Shape()
		p.rows, p.cols, p.dt = s[0], s[1], ims.DType()
	}
	return p, nil
}

func subsetRows(a *npy.Array, rows []int) (*npy.Array, error) {
	per := 1
	for _, s := range a.Shape[1:] {
		per *= s
	}
	shape := append([]int{len(rows)}, a.Shape[1:]...)
	idx := make([]int, 0, len(rows)*per)
	for _, r := range rows {
		for k := 0; k < per; k++ {
			idx = append(idx, r*per+k)
		}
	}
	d := gather(a.Data, idx)
	if d == nil {
		return nil, qperr.New(qperr.BadArgument, "omega metadata must be numeric")
	}
	return &npy.Array{Shape: shape, DType: a.DType, Data: d}, nil
}

// Len is the number of frames (of the frame list, if any).
func (p *Processed) Len() int {
	if p.frames != nil {
		return len(p.frames)
	}
	return p.base.Len()
}

// Shape is the shape of processed frame 0.
func (p *Processed) Shape() []int { return []int{p.rows, p.cols} }

// DType is the type of processed frame 0.
func (p *Processed) DType() DType { return p.dt }

// Metadata is a deep copy of the wrapped series' metadata (omega subset by
// the frame list).
func (p *Processed) Metadata() Metadata { return p.meta }

// Base is the wrapped series.
func (p *Processed) Base() ImageSeries { return p.base }

// Frame returns processed frame k (original frame frameList[k]).
func (p *Processed) Frame(k int) (Frame, error) {
	f, view, err := p.apply(k, len(p.ops))
	if err != nil {
		return Frame{}, err
	}
	if view != nil && sameSlice(f.Data, view) {
		f = f.Clone() // e.g. an unknown flip code passed the view through
	}
	return f, nil
}

// apply returns frame k after its first n ops; view is the in-memory
// base frame read in place (nil if the frame was read), which f.Data may
// still be.
func (p *Processed) apply(k, n int) (f Frame, view any, err error) {
	k, err = normIndex(k, p.Len())
	if err != nil {
		return Frame{}, nil, err
	}
	i := k
	if p.frames != nil {
		i = p.frames[k]
	}
	switch fv, ok := p.base.(frameViewer); {
	case p.firstRect != nil:
		f, err = GetRegion(p.base, i, *p.firstRect)
	case ok && p.builtinOnly && len(p.ops) > 0:
		// built-in ops never modify their input: read an in-memory
		// array in place instead of copying the frame first
		f = fv.frameView(i)
		view = f.Data
	default:
		f, err = p.base.Frame(i)
	}
	if err != nil {
		return Frame{}, nil, err
	}
	for k, op := range p.ops[:n] {
		prev := f
		if f, err = op(f); err != nil {
			return Frame{}, nil, err
		}
		if k > 0 && p.builtinOnly && !sameSlice(prev.Data, f.Data) {
			// an intermediate result of a built-in op: nobody else holds it
			recycle(prev.Data)
		}
	}
	return f, view, nil
}

// sameSlice reports whether two typed slices share their first element.
func sameSlice(a, b any) bool {
	pa, na, _ := rawBytes(a)
	pb, nb, _ := rawBytes(b)
	return na > 0 && nb > 0 && pa == pb
}

// Region is the rectangle of processed frame k (I6: works upstream only for
// unprocessed series).
func (p *Processed) Region(k int, r Rect) (Frame, error) {
	f, err := p.Frame(k)
	if err != nil {
		return Frame{}, err
	}
	return f.Sub(r), nil
}

func builtinOp(op Op) (func(Frame) (Frame, error), *Rect, error) {
	switch op.Key {
	case "dark":
		dark, err := frameArg(op.Data, "dark")
		if err != nil {
			return nil, nil, err
		}
		dv, ddt := dark.Float64(), dark.DType()
		d32, _ := dark.Data.([]float32)
		return func(f Frame) (Frame, error) {
			if f.Rows != dark.Rows || f.Cols != dark.Cols {
				return Frame{}, qperr.New(qperr.BadArgument, "dark shape (%d, %d) does not match frame shape (%d, %d)", dark.Rows, dark.Cols, f.Rows, f.Cols)
			}
			rdt := Promote(f.DType(), ddt)
			if out, ok, err := darkSubtract32(f, d32, rdt); ok || err != nil {
				return out, err
			}
			return darkSubtract(f, dv, rdt), nil
		}, nil, nil
	case "flip":
		code, ok := op.Data.(string)
		if !ok {
			return nil, nil, qperr.New(qperr.BadArgument, "flip data must be a string code, got %T", op.Data)
		}
		return func(f Frame) (Frame, error) { return flipFrame(f, code), nil }, nil, nil
	case "rectangle":
		var r Rect
		switch d := op.Data.(type) {
		case Rect:
			r = d
		case [2][2]int:
			r = Rect{d[0][0], d[0][1], d[1][0], d[1][1]}
		default:
			return nil, nil, qperr.New(qperr.BadArgument, "rectangle data must be Rect or [2][2]int, got %T", op.Data)
		}
		return func(f Frame) (Frame, error) { return f.Sub(r), nil }, &r, nil
	case "add":
		if a, ok := scalarArg(op.Data); ok {
			return func(f Frame) (Frame, error) { return addScalar(f, a), nil }, nil, nil
		}
		addend, err := frameArg(op.Data, "add")
		if err != nil {
			return nil, nil, err
		}
		av := addend.Float64()
		return func(f Frame) (Frame, error) {
			if f.Rows != addend.Rows || f.Cols != addend.Cols {
				return Frame{}, qperr.New(qperr.BadArgument, "addend shape (%d, %d) does not match frame shape (%d, %d)", addend.Rows, addend.Cols, f.Rows, f.Cols)
			}
			if !f.DType().IsFloat() {
				f = f.AsType(Float32)
			}
			rdt := Promote(f.DType(), addend.DType())
			v := f.Float64()
			for i := range v {
				v[i] += av[i]
			}
			return Frame{f.Rows, f.Cols, fromFloat64(v, rdt)}, nil
		}, nil, nil
	case "gauss_laplace":
		var s0, s1 float64
		if s, ok := scalarArg(op.Data); ok {
			s0, s1 = s, s
		} else {
			switch d := op.Data.(type) {
			case [2]float64:
				s0, s1 = d[0], d[1]
			case []float64:
				if len(d) != 2 {
					return nil, nil, qperr.New(qperr.BadArgument, "gauss_laplace needs one sigma or one per axis (2), got %d", len(d))
				}
				s0, s1 = d[0], d[1]
			default:
				return nil, nil, qperr.New(qperr.BadArgument, "gauss_laplace sigma must be a number or a pair, got %T", op.Data)
			}
		}
		if s0 < 0 || s1 < 0 {
			return nil, nil, qperr.New(qperr.BadArgument, "gauss_laplace sigma must not be negative")
		}
		return func(f Frame) (Frame, error) { return gaussLaplace(f, s0, s1), nil }, nil, nil
	case "add-row", "add-column":
		idx, ok := op.Data.(int)
		if !ok {
			return nil, nil, qperr.New(qperr.BadArgument, "%s data must be an int index, got %T", op.Key, op.Data)
		}
		axis := 0
		if op.Key == "add-column" {
			axis = 1
		}
		return func(f Frame) (Frame, error) {
			n := f.Rows
			if axis == 1 {
				n = f.Cols
			}
			i := idx
			if i < 0 {
				i += n
			}
			if i < 0 || i > n {
				return Frame{}, qperr.New(qperr.NotFound, "index %d is out of bounds for axis %d with size %d", idx, axis, n)
			}
			return insertZero(f, i, axis), nil
		}, nil, nil
	}
	return nil, nil, qperr.New(qperr.UnknownKey, "unknown processing operation '%s'", op.Key)
}

func scalarArg(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}

func frameArg(v any, what string) (Frame, error) {
	switch x := v.(type) {
	case Frame:
		return NewFrame(x.Rows, x.Cols, x.Data)
	case *npy.Array:
		if x != nil && len(x.Shape) == 2 {
			return NewFrame(x.Shape[0], x.Shape[1], x.Data)
		}
	}
	return Frame{}, qperr.New(qperr.BadArgument, "%s data must be a 2-d Frame or *npy.Array, got %T", what, v)
}

// darkSubtract computes max(img - dark, 0) in the promoted type rdt. Values
// are formed exactly in float64 and rounded once, which equals NumPy's
// arithmetic in rdt, except that unsigned results do not wrap around (I4)
// and integer results saturate instead of overflowing.
func darkSubtract(f Frame, dark []float64, rdt DType) Frame {
	out := newData(rdt, f.Rows*f.Cols)
	if o := opsOf(f.Data); o != nil {
		o.darkInto(f.Data, dark, out)
	}
	return Frame{f.Rows, f.Cols, out}
}

func darkInto[I number](img []I, dark []float64, out any) {
	if p := pairFor[I](dataDType(out)); p != nil {
		p.dark(img, dark, out)
	}
}

func darkLoop[I, R number](img []I, dark []float64, out []R) {
	var z R
	switch any(z).(type) {
	case float32, float64:
		dark = dark[:len(img)]
		out = out[:len(img)]
		for i, x := range img {
			// branch-free clamp: about half the pixels of a median-dark
			// subtraction are negative, so a branch mispredicts constantly.
			out[i] = R(max(float64(x)-dark[i], 0))
		}
		return
	}
	hi := dtypeMax(z)
	for i, x := range img {
		out[i] = saturate[R](float64(x)-dark[i], 0, hi)
	}
}

func dtypeMax[T number](z T) float64 {
	return dataDType([]T{z}).Max()
}

// addScalar: non-float frames become float32, then the scalar is added in the
// frame's float type (a Python scalar does not promote a float32 array).
func addScalar(f Frame, a float64) Frame {
	switch v := f.Data.(type) {
	case []float64:
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = x + a
		}
		return Frame{f.Rows, f.Cols, out}
	case []float32:
		out := make([]float32, len(v))
		a32 := float32(a)
		for i, x := range v {
			out[i] = x + a32
		}
		return Frame{f.Rows, f.Cols, out}
	}
	g := f.AsType(Float32)
	v := g.Data.([]float32)
	a32 := float32(a)
	for i := range v {
		v[i] += a32
	}
	return g
}

// darkSubtract32 is darkSubtract for a float32 dark and a float32 result
// with frames of at most 16-bit integers or float32 (the usual median
// dark): the float64 difference of such values is exact, so rounding it to
// float32 equals float32 arithmetic, which this computes directly (half the
// memory traffic), split over GOMAXPROCS goroutines for large frames.
func darkSubtract32(f Frame, d32 []float32, rdt DType) (Frame, bool, error) {
	if d32 == nil || rdt != Float32 {
		return Frame{}, false, nil
	}
	out := getF32(f.Rows * f.Cols) // fully overwritten
	ok, err := darkInto32(f, d32, out, "")
	if !ok {
		recycle(out)
		return Frame{}, false, nil
	}
	return Frame{f.Rows, f.Cols, out}, true, err
}

// darkInto32 writes zeroBelow(f - dark), flipped by code ("" none, or a
// code of flipKeepsShape), into out (float32, f's size) in one pass over
// the rows on all cores; ok false when f's element type is not one of at
// most 16-bit integers or float32.
func darkInto32(f Frame, dark, out []float32, code string) (ok bool, err error) {
	rows, cols := f.Rows, f.Cols
	var row func(r, to int, rev bool)
	switch v := f.Data.(type) {
	case []uint16:
		row = func(r, to int, rev bool) { darkRow(v, dark, out, r*cols, to*cols, cols, rev) }
	case []int16:
		row = func(r, to int, rev bool) { darkRow(v, dark, out, r*cols, to*cols, cols, rev) }
	case []uint8:
		row = func(r, to int, rev bool) { darkRow(v, dark, out, r*cols, to*cols, cols, rev) }
	case []int8:
		row = func(r, to int, rev bool) { darkRow(v, dark, out, r*cols, to*cols, cols, rev) }
	case []float32:
		row = func(r, to int, rev bool) { darkRow(v, dark, out, r*cols, to*cols, cols, rev) }
	default:
		return false, nil
	}
	return true, parallelRange(rows, flipRowsPer(cols), func(lo, hi int) {
		for r := lo; r < hi; r++ {
			switch code {
			case "":
				row(r, r, false)
			case "y", "v":
				row(r, r, true)
			case "x", "h":
				row(r, rows-1-r, false)
			default:
				row(r, rows-1-r, true)
			}
		}
	})
}

// darkRow writes one row (img[at:at+cols] - dark, zeroBelow) to
// out[to:to+cols], reversed if rev.
func darkRow[I int8 | uint8 | int16 | uint16 | float32](img []I, dark, out []float32, at, to, cols int, rev bool) {
	src, d, dst := img[at:at+cols], dark[at:at+cols], out[to:to+cols]
	if !rev {
		for c, x := range src {
			dst[c] = zeroBelow(float32(x) - d[c])
		}
		return
	}
	for c, j := 0, cols-1; j >= 0; c, j = c+1, j-1 {
		dst[j] = zeroBelow(float32(src[c]) - d[c])
	}
}

// zeroBelow is upstream's ret[ret < 0] = 0 for one value (NaN and -0
// kept), without a branch (the sign of x - dark is a coin toss on dark
// frames): d < 0 is 0x80000000 < bits <= 0xff800000.
func zeroBelow(d float32) float32 {
	b := math.Float32bits(d)
	var m uint32
	if b-0x80000001 < 0x7f800000 {
		m = ^uint32(0)
	}
	return math.Float32frombits(b &^ m)
}

// parallelRange splits [0, n) over up to GOMAXPROCS goroutines when n is
// at least minPer per worker.
// A panic in run is returned as an Internal error.
func parallelRange(n, minPer int, run func(lo, hi int)) error {
	w := min(runtime.GOMAXPROCS(0), n/max(minPer, 1))
	if w <= 1 {
		run(0, n)
		return nil
	}
	step := (n + w - 1) / w
	return par.Do(w, w, func(k int) error {
		if lo := k * step; lo < n {
			run(lo, min(lo+step, n))
		}
		return nil
	})
}

// f32Pool recycles large float32 buffers of intermediate processing results
// (a dark-subtracted frame that the next op replaces), saving the zeroing
// and page faults of a fresh allocation per frame.
var f32Pool sync.Pool

const minPooled = 1 << 16

func getF32(n int) []float32 {
	if n >= minPooled {
		if b, ok := f32Pool.Get().(*[]float32); ok {
			if cap(*b) >= n {
				return (*b)[:n]
			}
		}
	}
	return make([]float32, n)
}

func recycle(data any) {
	if b, ok := data.([]float32); ok && cap(b) >= minPooled {
		f32Pool.Put(&b)
	}
}

// FrameInto writes processed frame k into dst. Without ops (a frame list
// only) the wrapped series decodes into dst itself; otherwise it is Frame
// plus a copy, and a frame of another shape or dtype than Shape/DType is an
// Integrity error.
func (p *Processed) FrameInto(k int, dst any) error {
	if p.lastFlip != "" && p.builtinOnly {
		// the last op flips straight into dst: no frame of its own, no copy
		if err := checkDst(dst, p.dt, p.rows*p.cols); err != nil {
			return err
		}
		before := len(p.ops) - 1 // the ops before the flip
		fused := before == 1 && p.dark32 != nil && p.dt == Float32
		first := before
		if fused {
			first = 0
		}
		f, view, err := p.apply(k, first)
		if err != nil {
			return err
		}
		if fused {
			// dark + flip: one pass from the input frame into dst
			if f.Rows == p.dark32.Rows && f.Cols == p.dark32.Cols {
				if ok, err := darkInto32(f, p.dark32.Data.([]float32), dst.([]float32), p.lastFlip); ok || err != nil {
					return err
				}
			}
			if f, err = p.ops[0](f); err != nil { // what the one pass does not take
				return err
			}
		}
		if f.DType() != p.dt || f.Rows != p.rows || f.Cols != p.cols {
			return qperr.New(qperr.Integrity, "processed frame %d is (%d, %d) %s, the series (%d, %d) %s", k, f.Rows, f.Cols, f.DType(), p.rows, p.cols, p.dt)
		}
		opsOf(dst).flipInto(f.Data, dst, f.Rows, f.Cols, p.lastFlip)
		if len(p.ops) > 1 && !sameSlice(f.Data, view) {
			recycle(f.Data)
		}
		return nil
	}
	if len(p.ops) > 0 || p.firstRect != nil {
		return frameCopyInto(p, k, dst)
	}
	if err := checkDst(dst, p.dt, p.rows*p.cols); err != nil {
		return err
	}
	k, err := normIndex(k, p.Len())
	if err != nil {
		return err
	}
	i := k
	if p.frames != nil {
		i = p.frames[k]
	}
	sh := p.base.Shape()
	if p.base.DType() != p.dt || sh[0] != p.rows || sh[1] != p.cols {
		return frameCopyInto(p, k, dst)
	}
	return ReadFrameInto(p.base, i, dst)
}
