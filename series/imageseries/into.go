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
