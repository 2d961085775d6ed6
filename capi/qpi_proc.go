package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"unsafe"

	"qpgo/core/qpimage"
	"qpgo/core/unwrap"
)

// qpi_unwrap unwraps a rows×cols phase image in place with the
// reliability-sorting algorithm qpimage uses (skimage unwrap_phase, seed
// 47). mask: NULL or rows·cols bytes, non-zero = masked (excluded).
// remove_offset non-zero also removes the 2π border offset and treats NaN
// pixels as qpimage does (proc_phase=True).
// Errors: QPGO_ERR_ARG (NULL, sizes, ±Inf).
//
//export qpi_unwrap
func qpi_unwrap(pha *C.double, rows, cols C.int64_t, mask *C.qpgo_cuint8, removeOffset C.int) C.int {
	return guard(func() error {
		if rows <= 0 || cols <= 0 || int64(rows)*int64(cols) > maxElems {
			return argErr("invalid shape %dx%d", int64(rows), int64(cols))
		}
		n := int(rows) * int(cols)
		in, err := copyDoubles((*C.qpgo_cdouble)(pha), n, "pha")
		if err != nil {
			return err
		}
		var out []float64
		if removeOffset != 0 {
			if mask != nil {
				return argErr("mask and remove_offset cannot be combined: proc_phase masks NaN pixels itself")
			}
			out, err = unwrap.ProcessPhase(in, int(rows), int(cols))
		} else {
			var m []bool
			if mask != nil {
				if m, err = copyBools(mask, n, "mask"); err != nil {
					return err
				}
			}
			out, err = unwrap.Unwrap2D(in, int(rows), int(cols), m)
		}
		if err != nil {
			return err
		}
		copy(unsafe.Slice((*float64)(unsafe.Pointer(pha)), n), out)
		return nil
	})
}

var refocusKeys = []string{"kernel", "padding", "h5file", "h5mode"}

// qpi_refocus propagates the image by distance [m] and returns a new image
// (upstream QPImage.refocus). options: JSON with kernel ("helmholtz" |
// "fresnel"), padding (true), h5file (absent: in memory), h5mode ("a").
// Errors: QPGO_ERR_META_MISSING (wavelength, pixel size or medium index
// not set), QPGO_ERR_ARG, QPGO_ERR_KEY.
//
//export qpi_refocus
func qpi_refocus(h C.qpgo_handle, distance C.double, options *C.qpgo_cchar, out *C.qpgo_handle) C.int {
	return guard(func() error {
		if out == nil {
			return argErr("out is NULL")
		}
		*out = 0
		o := qpimage.DefaultRefocusOptions()
		kvs, err := parseObject(optString(options), "refocus option", refocusKeys)
		if err != nil {
			return err
		}
		for _, e := range kvs {
			switch e.Key {
			case "kernel":
				err = decode(e.Value, e.Key, &o.Kernel)
			case "padding":
				err = decode(e.Value, e.Key, &o.Padding)
			case "h5file":
				err = decode(e.Value, e.Key, &o.H5File)
			case "h5mode":
				err = decode(e.Value, e.Key, &o.H5Mode)
			}
			if err != nil {
				return err
			}
		}
		return with(int64(h), famQPImage, func(q *qpimage.QPImage) error {
			r, err := q.Refocus(float64(distance), o)
			if err != nil {
				return err
			}
			registerQPI(r, out)
			return nil
		})
	})
}
