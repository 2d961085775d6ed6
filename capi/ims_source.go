package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"unsafe"

	ims "qpgo/series/imageseries"
)

// ims_from_source makes an image series whose frames are read on demand
// through fn, so series that live in the caller's language (Python
// adapters, user readers) go through stats, processing, omega and the
// writers exactly like native ones. nframes >= 0 frames of ndim_frame = 2
// dims frame_dims [rows, cols] and type dtype (a qpgo_dtype code except
// QPGO_BOOL). fn(index, out, nbytes, user) must fill out (nbytes =
// rows*cols*element size, native byte order, row-major) with frame index
// (0 <= index < nframes) and return 0; non-zero fails the operation that
// asked for the frame with QPGO_ERR_CANCELLED. out is valid only during the
// call. fn is never called concurrently; the library serialises all calls.
// fn and user must stay valid until the handle (and every series made from
// it) is closed. meta_json as for ims_from_array.
// Errors: QPGO_ERR_ARG (NULL out or fn, bad nframes/ndim/dims/dtype, bad
// metadata JSON).
//
//export ims_from_source
func ims_from_source(nframes C.int64_t, ndimFrame C.int, frameDims *C.qpgo_cint64, dtype C.int, fn C.qpgo_frame_fn, user unsafe.Pointer, metaJSON *C.qpgo_cchar, out *C.qpgo_handle) C.int {
	return guard(func() error {
		if out == nil {
			return argErr("out is NULL")
		}
		*out = 0
		if fn == nil {
			return argErr("fn is NULL")
		}
		if nframes < 0 {
			return argErr("negative number of frames %d", int64(nframes))
		}
		if ndimFrame != 2 {
			return argErr("frames must be 2-d; you provided ndim_frame=%d", int(ndimFrame))
		}
		shape, err := readDims(ndimFrame, frameDims)
		if err != nil {
			return err
		}
		_, dt, err := seriesDType(dtype)
		if err != nil {
			return err
		}
		meta, err := ims.ParseMetadataJSON([]byte(optString(metaJSON)))
		if err != nil {
			return err
		}
		s, err := ims.NewSource(int(nframes), shape[0], shape[1], dt, frameSource(fn, user), meta)
		if err != nil {
			return err
		}
		*out = C.qpgo_handle(register(famImageSeries, s, nil))
		return nil
	})
}

// ims_set_image_reader makes fn (with user) the reader of image files
// whose format the library does not decode, for the image-files series
// opened afterwards (the Python binding hands them to fabio); fn NULL
// removes it. See qpgo_image_fn. fn and user must stay valid while such
// series are open. Errors: none.
//
//export ims_set_image_reader
func ims_set_image_reader(fn C.qpgo_image_fn, user unsafe.Pointer) C.int {
	return guard(func() error {
		if fn == nil {
			ims.SetExternalImageReader(nil)
			return nil
		}
		ims.SetExternalImageReader(&imageReader{fn: fn, user: user})
		return nil
	})
}
