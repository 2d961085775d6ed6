package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"encoding/json"
	"unsafe"

	"qpgo/core/qperr"
	ims "qpgo/series/imageseries"
)

// Typed metadata of an image series (issue 18): numeric arrays are read as
// dtype + shape + bytes, never as JSON number lists. Large numeric members
// of an npz frame cache are read on access: listed from their npy header
// at open and inflated straight into the caller's buffer by
// ims_metadata_array.

// ims_metadata_keys_json writes the series' top-level metadata keys in
// order as a JSON list of {"name": key, "kind": "array"|"json"} objects;
// "array" entries (numeric or bool arrays) also have "dtype" (a
// qpgo_dtype code) and "shape". Read arrays with ims_metadata_array_info /
// ims_metadata_array, other values with ims_metadata_value_json.
// buf NULL queries the size (*needed, including the NUL).
// Errors: QPGO_ERR_ARG (buf and needed NULL), QPGO_ERR_HANDLE, QPGO_ERR_BUFFER.
//
//export ims_metadata_keys_json
func ims_metadata_keys_json(h C.qpgo_handle, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return guard(func() error {
		return with(int64(h), famImageSeries, func(s ims.ImageSeries) error {
			b, err := json.Marshal(ims.MetadataEntriesOf(s))
			if err != nil {
				return err
			}
			return putString(string(b), buf, buflen, needed)
		})
	})
}

// ims_metadata_array_info stores the element type (a qpgo_dtype code) and
// rank of the array under key in *dtype and *ndim, and its shape in dims
// (room for maxdims entries).
// Errors: QPGO_ERR_ARG (NULL, not an array, rank above maxdims),
// QPGO_ERR_NOT_FOUND (no such key), QPGO_ERR_HANDLE.
//
//export ims_metadata_array_info
func ims_metadata_array_info(h C.qpgo_handle, key *C.qpgo_cchar, dtype *C.int, ndim *C.int, dims *C.int64_t, maxdims C.int) C.int {
	return guard(func() error {
		k, err := goString(key, "key")
		if err != nil {
			return err
		}
		if dtype == nil || ndim == nil || (dims == nil && maxdims > 0) {
			return argErr("dtype, ndim or dims is NULL")
		}
		return with(int64(h), famImageSeries, func(s ims.ImageSeries) error {
			d, shape, err := ims.MetadataArrayInfo(s, k)
			if err != nil {
				return err
			}
			if len(shape) > int(maxdims) {
				return argErr("metadata %q has rank %d, dims has room for %d", k, len(shape), int(maxdims))
			}
			*dtype, *ndim = C.int(d), C.int(len(shape))
			if len(shape) > 0 {
				out := unsafe.Slice((*int64)(unsafe.Pointer(dims)), len(shape))
				for i, v := range shape {
					out[i] = int64(v)
				}
			}
			return nil
		})
	})
}

// ims_metadata_array copies the array under key (row-major, native byte
// order, bool as one byte 0/1) into out, a buffer of nbytes bytes (at
// least the product of its shape times the element size).
// Errors: QPGO_ERR_ARG (NULL, not an array), QPGO_ERR_BUFFER (nbytes too
// small), QPGO_ERR_NOT_FOUND (no such key), QPGO_ERR_HANDLE.
//
//export ims_metadata_array
func ims_metadata_array(h C.qpgo_handle, key *C.qpgo_cchar, out unsafe.Pointer, nbytes C.int64_t) C.int {
	return guard(func() error {
		k, err := goString(key, "key")
		if err != nil {
			return err
		}
		if out == nil {
			return argErr("out is NULL")
		}
		return with(int64(h), famImageSeries, func(s ims.ImageSeries) error {
			// large frame-cache members are inflated straight into out
			return ims.MetadataArrayInto(s, k, func(need int64) ([]byte, error) {
				if int64(nbytes) < need {
					return nil, qperr.New(errBuffer, "buffer of %d bytes is too small for metadata %q, need %d", int64(nbytes), k, need)
				}
				return unsafe.Slice((*byte)(out), need), nil
			})
		})
	})
}

// ims_metadata_value_json writes the typed JSON of the value under key (the
// form of ims_metadata_json's values) into buf.
// buf NULL queries the size (*needed, including the NUL).
// Errors: QPGO_ERR_ARG (key NULL; buf and needed NULL), QPGO_ERR_NOT_FOUND
// (no such key), QPGO_ERR_HANDLE, QPGO_ERR_BUFFER, QPGO_ERR_UNSUPPORTED.
//
//export ims_metadata_value_json
func ims_metadata_value_json(h C.qpgo_handle, key *C.qpgo_cchar, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return guard(func() error {
		k, err := goString(key, "key")
		if err != nil {
			return err
		}
		return with(int64(h), famImageSeries, func(s ims.ImageSeries) error {
			b, err := ims.MetadataValueJSON(s.Metadata(), k)
			if err != nil {
				return err
			}
			return putString(string(b), buf, buflen, needed)
		})
	})
}
