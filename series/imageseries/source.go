package imageseries

import (
	"sync"
	"sync/atomic"

	"qpgo/core/qperr"
)

// SourceFunc fills buf, the bytes of one frame (rows*cols elements of the
// series' dtype, native byte order, row-major), with frame i (0 <= i < n).
// A non-nil error fails the operation that asked for the frame.
type SourceFunc func(i int, buf []byte) error

// SourceSeries is a series whose frames come from a caller-supplied
// function, one frame at a time: the mechanism by which series that live
// outside Go (Python adapters, C callbacks) are fed to stats, processing and
// the writers without a second implementation of those.
//
// The function is never called concurrently: direct reads are serialised
// by a mutex, and inside Serve every call happens on the goroutine that
// called Serve (for a cgo export: the C caller's thread), while the work
// itself (possibly with worker goroutines) runs elsewhere.
type SourceSeries struct {
	n, rows, cols int
	dt            DType
	meta          Metadata
	fn            SourceFunc

	mu    sync.Mutex // serialises direct calls of fn
	serve sync.Mutex // one Serve at a time
	pump  atomic.Pointer[chan sourceReq]
}

type sourceReq struct {
	i     int
	buf   []byte
	reply chan error
}

// NewSource builds a series of n frames of shape (rows, cols) and type dt
// read through fn. meta may be nil.
func NewSource(n, rows, cols int, dt DType, fn SourceFunc, meta Metadata) (*SourceSeries, error) {
	if fn == nil {
		return nil, qperr.New(qperr.BadArgument, "nil frame source function")
	}
	if n < 0 {
		return nil, qperr.New(qperr.BadArgument, "negative number of frames %d", n)
	}
	if rows < 0 || cols < 0 {
		return nil, qperr.New(qperr.BadArgument, "negative frame shape (%d, %d)", rows, cols)
	}
	if dt <= Invalid || dt > Float64 {
		return nil, qperr.New(qperr.BadArgument, "invalid frame source dtype %d", int(dt))
	}
	if meta == nil {
		meta = Metadata{}
	}
	return &SourceSeries{n: n, rows: rows, cols: cols, dt: dt, meta: meta, fn: fn}, nil
}

// Len is the number of frames.
func (s *SourceSeries) Len() int { return s.n }

// Shape is [rows, cols].
func (s *SourceSeries) Shape() []int { return []int{s.rows, s.cols} }

// DType is the element type.
func (s *SourceSeries) DType() DType { return s.dt }

// Metadata returns the metadata given at construction.
func (s *SourceSeries) Metadata() Metadata { return s.meta }

// Frame reads frame i (negative i counts from the end) into a new frame.
func (s *SourceSeries) Frame(i int) (Frame, error) {
	i, err := normIndex(i, s.n)
	if err != nil {
		return Frame{}, err
	}
	data := newData(s.dt, s.rows*s.cols)
	buf := DataBytes(data)
	if p := s.pump.Load(); p != nil {
		reply := make(chan error, 1)
		*p <- sourceReq{i: i, buf: buf, reply: reply}
		err = <-reply
	} else {
		s.mu.Lock()
		err = s.call(i, buf)
		s.mu.Unlock()
	}
	if err != nil {
		return Frame{}, err
	}
	return Frame{Rows: s.rows, Cols: s.cols, Data: data}, nil
}

// call runs fn, turning a panic in it into an error.
func (s *SourceSeries) call(i int, buf []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = qperr.New(qperr.Internal, "frame source panicked on frame %d: %v", i, r)
		}
	}()
	return s.fn(i, buf)
}

// Serve runs work on a new goroutine and, until it returns, performs every
// frame read of s on the calling goroutine. Use it around stats, processing
// or writing over a series fed by a callback that must run on one thread
// (a Python ctypes callback, a non-thread-safe C reader).
func (s *SourceSeries) Serve(work func() error) error {
	s.serve.Lock()
	defer s.serve.Unlock()
	reqs := make(chan sourceReq)
	s.pump.Store(&reqs)
	defer s.pump.Store(nil)
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- qperr.New(qperr.Internal, "panic: %v", r)
			}
		}()
		done <- work()
	}()
	for {
		select {
		case r := <-reqs:
			r.reply <- s.call(r.i, r.buf)
		case err := <-done:
			return err
		}
	}
}

// FindSource returns the SourceSeries at the bottom of ims (ims itself, or
// the base of processed/omega series through their Base method), or nil.
func FindSource(ims ImageSeries) *SourceSeries {
	for k := 0; k < 64 && ims != nil; k++ {
		if s, ok := ims.(*SourceSeries); ok {
			return s
		}
		if o, ok := ims.(*OmegaSeries); ok {
			ims = o.ImageSeries
			continue
		}
		b, ok := ims.(interface{ Base() ImageSeries })
		if !ok {
			return nil
		}
		ims = b.Base()
	}
	return nil
}

// ServeSources runs work with the frame reads of the source under ims (if
// any) on the calling goroutine (see Serve); otherwise it just runs work.
func ServeSources(ims ImageSeries, work func() error) error {
	if s := FindSource(ims); s != nil {
		return s.Serve(work)
	}
	return work()
}
