package imageseries

import (
	"qpgo/core/qperr"
	"qpgo/internal/npy"
)

func init() {
	// in-memory: opened from Go values only (no option keys from text)
	Register("array", openArrayOpts, nil)
}

// ArraySeries is the in-memory "array" adapter: a 3-D stack (nframes, rows,
// cols) in one typed slice. Frames are returned as copies, as upstream does,
// so callers cannot modify the stack through a frame.
type ArraySeries struct {
	n, rows, cols int
	data          any
	meta          Metadata
}

// NewArray wraps data (a typed slice in C order) of the given shape. A 2-D
// shape is one frame. data is not copied.
func NewArray(data any, shape []int, meta Metadata) (*ArraySeries, error) {
	var n, r, c int
	switch len(shape) {
	case 2:
		n, r, c = 1, shape[0], shape[1]
	case 3:
		n, r, c = shape[0], shape[1], shape[2]
	default:
		return nil, qperr.New(qperr.BadArgument, "input array must be 2-d or 3-d; you provided ndim=%d", len(shape))
	}
	if n < 0 || r < 0 || c < 0 {
		return nil, qperr.New(qperr.BadArgument, "negative dimension in shape %v", shape)
	}
	if dataDType(data) == Invalid {
		return nil, qperr.New(qperr.BadArgument, "unsupported array data type %T", data)
	}
	if dataLen(data) != n*r*c {
		return nil, qperr.New(qperr.BadArgument, "array data has %d elements, shape %v needs %d", dataLen(data), shape, n*r*c)
	}
	if meta == nil {
		meta = Metadata{}
	}
	return &ArraySeries{n: n, rows: r, cols: c, data: data, meta: meta}, nil
}

// Len is the number of frames.
func (a *ArraySeries) Len() int { return a.n }

// Shape is [rows, cols].
func (a *ArraySeries) Shape() []int { return []int{a.rows, a.cols} }

// DType is the element type.
func (a *ArraySeries) DType() DType { return dataDType(a.data) }

// Metadata returns the metadata given at construction (not copied).
func (a *ArraySeries) Metadata() Metadata { return a.meta }

// Frame returns a copy of frame i.
func (a *ArraySeries) Frame(i int) (Frame, error) {
	return a.Region(i, Rect{0, a.rows, 0, a.cols})
}

// Region returns a copy of part of frame i.
func (a *ArraySeries) Region(i int, r Rect) (Frame, error) {
	i, err := normIndex(i, a.n)
	if err != nil {
		return Frame{}, err
	}
	np := a.rows * a.cols
	view := Frame{a.rows, a.cols, sliceData(a.data, i*np, (i+1)*np)}
	return view.Sub(r), nil
}

// frameView is frame i in place (read-only: stats and writers).
func (a *ArraySeries) frameView(i int) Frame {
	np := a.rows * a.cols
	return Frame{a.rows, a.cols, sliceData(a.data, i*np, (i+1)*np)}
}

// FrameInto copies frame i into dst.
func (a *ArraySeries) FrameInto(i int, dst any) error {
	if err := checkDst(dst, a.DType(), a.rows*a.cols); err != nil {
		return err
	}
	i, err := normIndex(i, a.n)
	if err != nil {
		return err
	}
	copyInto(dst, 0, a.frameView(i).Data)
	return nil
}

func sliceData(data any, lo, hi int) any {
	if o := opsOf(data); o != nil {
		return o.slice(data, lo, hi)
	}
	return nil
}

func openArrayOpts(_ string, opts Options) (ImageSeries, error) {
	meta, err := optMeta(opts, "meta")
	if err != nil {
		return nil, err
	}
	switch d := opts["data"].(type) {
	case *npy.Array:
		return NewArray(d.Data, d.Shape, meta)
	case Frame:
		return NewArray(d.Data, []int{d.Rows, d.Cols}, meta)
	case nil:
		return nil, qperr.New(qperr.NotFound, "option 'data' is required")
	default:
		return nil, qperr.New(qperr.BadArgument, "option data: expected *npy.Array or Frame, got %T", d)
	}
}
