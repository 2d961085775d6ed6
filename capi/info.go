package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"unsafe"

	"qpgo/core/qperr"
	"qpgo/core/qpimage"
	ims "qpgo/series/imageseries"
)

// One crossing per operation: what a binding needs to know of a series
// (length, frame shape, dtype) in one call at open, statistics written
// straight into the binding's output array in the result's own dtype, and
// an in-memory series over the caller's array without copying it.

// ims_info stores the number of frames (*n), the frame shape (dims[0] =
// rows, dims[1] = cols) and the element type (*dtype, a qpgo_dtype code)
// of a series in one call. Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_HANDLE,
// QPGO_ERR_UNSUPPORTED (a dtype without a code).
//
//export ims_info
func ims_info(h C.qpgo_handle, n *C.int64_t, dims *C.int64_t, dtype *C.int) C.int {
	isNil := n == nil || dims == nil || dtype == nil
	return imsKind.callOut(h, isNil, "n, dims or dtype", func(s ims.ImageSeries) error {
		c, err := h5Code(s.DType())
		if err != nil {
			return err
		}
		d := unsafe.Slice((*int64)(unsafe.Pointer(dims)), 2)
		sh := s.Shape()
		d[0], d[1] = int64(sh[0]), int64(sh[1])
		*n = C.int64_t(s.Len())
		*dtype = c
		return nil
	})
}

// ims_stats_dtype stores the qpgo_dtype code of the result of statistic
// which over the series (max/min: the series dtype, sum: float64,
// average/median/percentile: float32).
// Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_KEY (unknown which), QPGO_ERR_HANDLE.
//
//export ims_stats_dtype
func ims_stats_dtype(h C.qpgo_handle, which *C.qpgo_cchar, dtype *C.int) C.int {
	return guard(func() error {
		w, err := goString(which, "which")
		if err != nil {
			return err
		}
		if dtype == nil {
			return argErr("dtype is NULL")
		}
		return with(int64(h), famImageSeries, func(s ims.ImageSeries) error {
			dt, err := ims.StatDType(w, s.DType())
			if err != nil {
				return err
			}
			c, err := h5Code(dt)
			*dtype = c
			return err
		})
	})
}

// ims_stats_into computes statistic which (as ims_stats) into out, a
// buffer of nbytes bytes holding rows·cols elements of the result's own
// dtype (ims_stats_dtype; dtype must be that code), row-major, native
// byte order: no float64 round trip, no second copy.
// Errors: QPGO_ERR_ARG (NULL, dtype not the result's, pctl out of range,
// nframes < 0), QPGO_ERR_KEY (unknown which), QPGO_ERR_HANDLE,
// QPGO_ERR_BUFFER (nbytes too small), QPGO_ERR_IO.
//
//export ims_stats_into
func ims_stats_into(h C.qpgo_handle, which *C.qpgo_cchar, pctl C.double, nframes C.int64_t, out unsafe.Pointer, dtype C.int, nbytes C.int64_t) C.int {
	return guard(func() error {
		w, err := goString(which, "which")
		if err != nil {
			return err
		}
		if out == nil {
			return argErr("output buffer of the statistic is NULL")
		}
		if nframes < 0 {
			return argErr("nframes must be >= 0, got %d", int64(nframes))
		}
		nf := int(nframes)
		var r ims.Frame
		err = withServed(int64(h), func(s ims.ImageSeries) error {
			dt, err := ims.StatDType(w, s.DType())
			if err != nil {
				return err
			}
			if c, err := h5Code(dt); err != nil || c != dtype {
				return argErr("the result of %q over a %s series is %s (dtype code %d), not dtype code %d", w, s.DType(), dt, int(c), int(dtype))
			}
			r, err = ims.Stat(s, w, float64(pctl), nf)
			if err == nil && r.DType() != dt {
				r = r.AsType(dt)
			}
			return err
		})
		if err != nil {
			return err
		}
		b := ims.DataBytes(r.Data)
		if int64(nbytes) < int64(len(b)) {
			return qperr.New(errBuffer, "output buffer of the statistic holds %d bytes, needs %d", int64(nbytes), len(b))
		}
		copy(unsafe.Slice((*byte)(out), len(b)), b)
		return nil
	})
}

// ims_wrap_array is ims_from_array without the copy: the series reads
// data in place (as hexrd's array adapter reads its ndarray), so data must
// stay allocated, aligned to its element size and unchanged by other
// threads until ims_close. Arguments and errors as ims_from_array, plus
// QPGO_ERR_ARG for data not aligned to the element size.
//
//export ims_wrap_array
func ims_wrap_array(data unsafe.Pointer, dtype C.int, ndim C.int, dims *C.qpgo_cint64, metaJSON *C.qpgo_cchar, out *C.qpgo_handle) C.int {
	return seriesFromArray(data, dtype, ndim, dims, metaJSON, out, false)
}

// imageInto is getArray for the background-corrected images: written by
// the library straight into out in one pass (no intermediate array, no
// copy); a layout the one-pass read does not cover, and every error, goes
// through get as getArray does.
func imageInto(h C.qpgo_handle, out *C.double, n C.int64_t, what string,
	into func(*qpimage.QPImage, []float64) ([]int, bool, error),
	get func(*qpimage.QPImage) ([]float64, []int, error)) C.int {
	return qpiKind.call(h, func(q *qpimage.QPImage) error {
		shape, err := q.Shape()
		if err != nil || out == nil || n < 0 {
			v, _, err := get(q)
			if err != nil {
				return err
			}
			return putDoubles(out, n, v, what)
		}
		need := numel(shape)
		if int64(n) < int64(need) {
			return qperr.New(errBuffer, "output buffer for %s holds %d values, needs %d", what, int64(n), need)
		}
		dst := unsafe.Slice((*float64)(unsafe.Pointer(out)), need)
		got, ok, err := into(q, dst)
		if err != nil {
			return err
		}
		if !ok {
			return qperr.New(errBuffer, "output buffer for %s holds %d values, needs %d", what, int64(n), numel(got))
		}
		return nil
	})
}

// ims_get_frame_zeroed is ims_get_frame for an out that is all zeros
// already (e.g. fresh calloc'd memory): sparse series (frame caches) write
// only their kept pixels, so the pages of out that hold zeros are never
// touched; other series write the whole frame as ims_get_frame does.
// Errors as ims_get_frame.
//
//export ims_get_frame_zeroed
func ims_get_frame_zeroed(h C.qpgo_handle, index C.int64_t, out unsafe.Pointer, nbytes C.int64_t) C.int {
	done := false
	rc := guard(func() error {
		if out == nil {
			return argErr("output buffer for the frame is NULL")
		}
		return with(int64(h), famImageSeries, func(s ims.ImageSeries) error {
			z, ok := s.(ims.ZeroedFrameReaderInto)
			if !ok {
				return nil
			}
			sh, dt := s.Shape(), s.DType()
			n, size := sh[0]*sh[1], dt.Size()
			if size == 0 || int64(nbytes) < int64(n)*int64(size) || uintptr(out)%uintptr(size) != 0 {
				return nil
			}
			dst := ims.View(dt, out, n)
			if dst == nil {
				return nil
			}
			done = true
			return z.FrameIntoZeroed(int(index), dst)
		})
	})
	if rc != C.QPGO_OK || done {
		return rc
	}
	return ims_get_frame(h, index, out, nbytes)
}
