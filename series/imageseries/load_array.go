package imageseries

import (
	"qpgo/core/qperr"
)

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

func sliceData(data any, lo, hi int) any {
	if o := opsOf(data); o != nil {
		return o.slice(data, lo, hi)
	}
	return nil
}

// FuncSeries is the "function" adapter: frame i is f(i). Shape and dtype come
// from f(0), as upstream.
type FuncSeries struct {
	f          func(int) (Frame, error)
	n          int
	rows, cols int
	dt         DType
	meta       Metadata
}

// NewFunction builds a series of n frames computed on demand by f.
func NewFunction(f func(int) (Frame, error), n int, meta Metadata) (*FuncSeries, error) {
	if f == nil {
		return nil, qperr.New(qperr.BadArgument, "nil frame function")
	}
	if n < 0 {
		return nil, qperr.New(qperr.BadArgument, "negative number of frames %d", n)
	}
	if meta == nil {
		meta = Metadata{}
	}
	s := &FuncSeries{f: f, n: n, meta: meta}
	if n > 0 {
		f0, err := f(0)
		if err != nil {
			return nil, err
		}
		if _, err := NewFrame(f0.Rows, f0.Cols, f0.Data); err != nil {
			return nil, err
		}
		s.rows, s.cols, s.dt = f0.Rows, f0.Cols, f0.DType()
	}
	return s, nil
}

// Len is the number of frames.
func (s *FuncSeries) Len() int { return s.n }

// Shape is [rows, cols] of frame 0.
func (s *FuncSeries) Shape() []int { return []int{s.rows, s.cols} }

// DType is the type of frame 0.
func (s *FuncSeries) DType() DType { return s.dt }

// Metadata returns the metadata given at construction.
func (s *FuncSeries) Metadata() Metadata { return s.meta }

// Frame calls the function; a frame of another shape or type is an error.
func (s *FuncSeries) Frame(i int) (Frame, error) {
	i, err := normIndex(i, s.n)
	if err != nil {
		return Frame{}, err
	}
	f, err := s.f(i)
	if err != nil {
		return Frame{}, err
	}
	if err := checkFrame(f, s.rows, s.cols, "function series"); err != nil {
		return Frame{}, err
	}
	if f.DType() != s.dt {
		return Frame{}, qperr.New(qperr.Integrity, "function series: frame %d has dtype %s, expected %s", i, f.DType(), s.dt)
	}
	return f, nil
}
