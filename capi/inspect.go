package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"encoding/json"

	"qpgo/series/filekind"
)

// qpgo_file_kind writes what kind of file path is, as a JSON object
// {"kind": ...} with kind one of "qpimage", "QPSeries", "FLImage",
// "FLSeries", "imageseries hdf5", "frame-cache npz", "frame-cache fch5";
// the imageseries kinds add the ims_open format and options ("format",
// "path", "dataname" or "style"). buf NULL is a size query.
// Errors: QPGO_ERR_ARG (path NULL, not HDF5 nor npz, none of the kinds; both buf and needed NULL), QPGO_ERR_IO (missing, unreadable, corrupt), QPGO_ERR_BUFFER.
//
//export qpgo_file_kind
func qpgo_file_kind(path *C.qpgo_cchar, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return guard(func() error {
		p, err := goString(path, "path")
		if err != nil {
			return err
		}
		info, err := filekind.Detect(p)
		if err != nil {
			return err
		}
		b, err := json.Marshal(info)
		if err != nil {
			return err
		}
		return putString(string(b), buf, buflen, needed)
	})
}
