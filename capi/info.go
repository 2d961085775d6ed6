package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"unsafe"

	"qpgo/core/h5"
	"qpgo/core/qperr"
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
	return guard(func() error {
		if out == nil {
			return argErr("out is NULL")
		}
		*out = 0
		if ndim != 2 && ndim != 3 {
			return argErr("input array must be 2-d or 3-d; you provided ndim=%d", int(ndim))
		}
		shape, err := readDims(ndim, dims)
		if err != nil {
			return err
		}
		hd, dt, err := seriesDType(dtype)
		if err != nil {
			return err
		}
		n := numel(shape)
		var buf any
		if n == 0 {
			buf = h5.MakeSlice(hd, 0)
		} else {
			if data == nil {
				return argErr("data is NULL")
			}
			if uintptr(data)%uintptr(dt.Size()) != 0 {
				return argErr("data is not aligned to its %d-byte elements", dt.Size())
			}
			buf = ims.View(dt, data, n)
			if buf == nil {
				return argErr("unsupported dtype code %d", int(dtype))
			}
		}
		meta, err := ims.ParseMetadataJSON([]byte(optString(metaJSON)))
		if err != nil {
			return err
		}
		s, err := ims.NewArray(buf, shape, meta)
		if err != nil {
			return err
		}
		*out = C.qpgo_handle(register(famImageSeries, s, nil))
		return nil
	})
}
