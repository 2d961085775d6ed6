package imageseries

import (
	"qpgo/core/qperr"
)

func init() {
	// in-memory: opened from Go values only (no option keys from text)
	Register("function", openFunctionOpts, nil)
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

func openFunctionOpts(_ string, opts Options) (ImageSeries, error) {
	f, ok := opts["func"].(func(int) (Frame, error))
	if !ok {
		return nil, qperr.New(qperr.NotFound, "option 'func' is required (func(int) (Frame, error))")
	}
	n, ok, err := optNumber(opts, "num_frames")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, qperr.New(qperr.NotFound, "option 'num_frames' is required")
	}
	meta, err := optMeta(opts, "meta")
	if err != nil {
		return nil, err
	}
	return NewFunction(f, int(n), meta)
}
