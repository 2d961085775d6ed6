package imageseries

import "qpgo/core/qperr"

// FrameReaderInto is implemented by series that can decode a frame straight
// into a caller's buffer. Reading a whole series through one reused buffer
// then allocates nothing per frame: for 2 MB frames the fresh allocations of
// Frame (garbage collections, page faults, zeroing) cost more than decoding
// a sparse frame cache.
type FrameReaderInto interface {
	// FrameInto writes frame i (negative counts from the end) into dst, a
	// typed slice of the series dtype with rows·cols elements. A wrong
	// dst is a BadArgument error, an index out of range NotFound.
	FrameInto(i int, dst any) error
}

// ReadFrameInto writes frame i of ims into dst, a typed slice of ims.DType()
// with rows·cols elements (Shape()), through the series' FrameInto when it
// has one and as Frame plus a copy otherwise. The result equals Frame(i).
func ReadFrameInto(ims ImageSeries, i int, dst any) error {
	if fi, ok := ims.(FrameReaderInto); ok {
		return fi.FrameInto(i, dst)
	}
	return frameCopyInto(ims, i, dst)
}

// frameCopyInto is FrameInto as Frame plus a copy; a frame that does not
// have the series shape and dtype is an Integrity error.
func frameCopyInto(ims ImageSeries, i int, dst any) error {
	sh, dt := ims.Shape(), ims.DType()
	if err := checkDst(dst, dt, sh[0]*sh[1]); err != nil {
		return err
	}
	f, err := ims.Frame(i)
	if err != nil {
		return err
	}
	if err := checkFrame(f, sh[0], sh[1], "frame"); err != nil {
		return err
	}
	if f.DType() != dt {
		return qperr.New(qperr.Integrity, "frame %d has dtype %s, the series %s", i, f.DType(), dt)
	}
	copyInto(dst, 0, f.Data)
	return nil
}

// checkDst verifies that dst is a typed slice of dt with n elements.
func checkDst(dst any, dt DType, n int) error {
	if got := dataDType(dst); got != dt {
		return qperr.New(qperr.BadArgument, "frame buffer is %T, the series dtype is %s", dst, dt)
	}
	if l := dataLen(dst); l != n {
		return qperr.New(qperr.BadArgument, "frame buffer has %d elements, a frame has %d", l, n)
	}
	return nil
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

// FrameInto writes processed frame k into dst. Without ops (a frame list
// only) the wrapped series decodes into dst itself; otherwise it is Frame
// plus a copy, and a frame of another shape or dtype than Shape/DType is an
// Integrity error.
func (p *Processed) FrameInto(k int, dst any) error {
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
