package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"qpgo/core/imagedata"
	"qpgo/core/qpimage"
	"qpgo/series/qpseries"
)

func registerQPS(s *qpseries.QPSeries, out *C.qpgo_handle) {
	registerSeries(qpsKind, famQPImage, s, out)
}

// seriesOptionKeys are the keys of the qps_new and fls_new options.
var seriesOptionKeys = []string{"h5file", "h5mode", "h5group_id", "identifier", "meta_data"}

// seriesOptions parses the options object of qps_new/fls_new.
func seriesOptions(text, what string) (h5file, h5mode, identifier string, m []imagedata.Attr, err error) {
	h5mode = "a"
	kvs, err := parseObject(text, what, seriesOptionKeys)
	if err != nil {
		return
	}
	for _, e := range kvs {
		switch e.Key {
		case "h5file":
			err = decode(e.Value, e.Key, &h5file)
		case "h5mode":
			err = decode(e.Value, e.Key, &h5mode)
		case "h5group_id":
			err = decodeGroupID(e.Value, e.Key, &h5file)
		case "identifier":
			err = decode(e.Value, e.Key, &identifier)
		case "meta_data":
			m, err = metaItems(string(e.Value))
		}
		if err != nil {
			return
		}
	}
	return
}

// qps_new creates or opens a QPSeries (upstream QPSeries(h5file=…, …)
// with an empty qpimage_list; add members with qps_add_qpimage).
// options: JSON object with h5file (path; absent: in memory), h5mode
// (h5py mode, "a"), identifier (series identifier), meta_data (object of
// QPImage meta keys written into every member the file already holds, as
// upstream; members added later do not get it).
// NULL or "" means defaults. *out receives the handle (0 on error).
// Errors: QPGO_ERR_ARG (NULL out, bad mode, meta data with mode "r", a
// QPImage file), QPGO_ERR_KEY (unknown option or meta key), QPGO_ERR_IO.
//
//export qps_new
func qps_new(options *C.qpgo_cchar, out *C.qpgo_handle) C.int {
	return newSeries(options, out, "qps_new option", qpseries.NewInMemory, seriesTarget(qpseries.NewFile, qpseries.NewInGroup), registerQPS)
}

// qps_open opens the QPSeries file at path with an h5py mode (NULL or "":
// "r"). Errors: QPGO_ERR_ARG (NULL, bad mode, a QPImage file),
// QPGO_ERR_IO (missing, not HDF5, corrupt).
//
//export qps_open
func qps_open(path *C.qpgo_cchar, mode *C.qpgo_cchar, out *C.qpgo_handle) C.int {
	return openObj(path, mode, out, qpseries.Open, registerQPS)
}

// qps_close releases the series handle: it first releases every member
// view handle from qps_get_qpimage* still open (they become invalid:
// QPGO_ERR_HANDLE), then flushes and closes the file if the series opened
// it. Errors: QPGO_ERR_HANDLE, QPGO_ERR_IO.
//
//export qps_close
func qps_close(h C.qpgo_handle) C.int {
	return guard(func() error { return release(int64(h), famQPSeries) })
}

// qps_len stores the number of members (root groups "qpi_*") in *n.
// Errors: QPGO_ERR_HANDLE, QPGO_ERR_ARG (NULL).
//
//export qps_len
func qps_len(h C.qpgo_handle, n *C.int64_t) C.int {
	return seriesLen(qpsKind, h, n)
}

// qps_add_qpimage appends a copy of the QPImage qpi as member qpi_<len>
// (upstream add_qpimage). identifier NULL or "": inherit the image's
// identifier. With has_bg_from_idx non-zero the new member's phase and
// amplitude "data" backgrounds become HDF5 hard links to those of member
// bg_from_idx (negative counts from the end). qpi may be a view of this
// or another series.
// Errors: QPGO_ERR_HANDLE (h or qpi), QPGO_ERR_ARG (duplicate identifier,
// index out of range), QPGO_ERR_NOT_FOUND (member bg_from_idx missing or
// without "data" background), QPGO_ERR_IO (read-only file).
//
//export qps_add_qpimage
func qps_add_qpimage(h C.qpgo_handle, qpi C.qpgo_handle, identifier *C.qpgo_cchar, bgFromIdx C.int64_t, hasBgFromIdx C.int) C.int {
	return guard(func() error {
		ident := optString(identifier)
		idx := qpseries.NoBG
		if hasBgFromIdx != 0 {
			idx = int(bgFromIdx)
			if idx == qpseries.NoBG {
				return argErr("bg_from_idx %d out of range", int64(bgFromIdx))
			}
		}
		return with(int64(h), famQPSeries, func(o *qpsObj) error {
			return with(int64(qpi), famQPImage, func(q *qpimage.QPImage) error {
				return o.s.AddQPImage(q, ident, idx)
			})
		})
	})
}

// qps_get_qpimage stores in *qpi_out a QPImage handle for member index
// (negative counts from the end). The handle is a live view into the
// series file: writes through it change the series; qpi_close on it does
// not close the series file; qps_close invalidates it (see qps_close).
// Errors: QPGO_ERR_HANDLE, QPGO_ERR_ARG (NULL, index < -len),
// QPGO_ERR_NOT_FOUND (no such member).
//
//export qps_get_qpimage
func qps_get_qpimage(h C.qpgo_handle, index C.int64_t, qpiOut *C.qpgo_handle) C.int {
	return seriesAt(qpsKind, h, index, qpiOut, "qpi_out", (*qpseries.QPSeries).GetQPImage)
}

// qps_get_qpimage_by_id is qps_get_qpimage for the first member whose
// identifier is id. Errors: QPGO_ERR_NOT_FOUND ("QPImage identifier 'x'
// not found!"), QPGO_ERR_ARG (NULL), QPGO_ERR_HANDLE.
//
//export qps_get_qpimage_by_id
func qps_get_qpimage_by_id(h C.qpgo_handle, id *C.qpgo_cchar, qpiOut *C.qpgo_handle) C.int {
	return seriesByID(qpsKind, h, id, qpiOut, "qpi_out", (*qpseries.QPSeries).GetQPImageByID)
}

// qps_contains stores 1 in *has if a member has the identifier id
// (`id in qps`), else 0. Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_HANDLE.
//
//export qps_contains
func qps_contains(h C.qpgo_handle, id *C.qpgo_cchar, has *C.int) C.int {
	return seriesContains(qpsKind, h, id, has)
}

// qps_identifier writes the series identifier (root attribute; "" when
// there is none) into buf of buflen bytes; buf NULL is a size query into
// *needed (counting the NUL). Errors: QPGO_ERR_BUFFER, QPGO_ERR_ARG,
// QPGO_ERR_HANDLE.
//
//export qps_identifier
func qps_identifier(h C.qpgo_handle, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return seriesIdentifier(qpsKind, h, buf, buflen, needed)
}

// qps_identifiers_json writes the member identifiers in index order as a
// JSON array of strings (null for a member without identifier), with the
// buf/buflen/needed convention of qps_identifier.
// Errors: QPGO_ERR_ARG (both buf and needed NULL), QPGO_ERR_BUFFER, QPGO_ERR_HANDLE, QPGO_ERR_IO.
//
//export qps_identifiers_json
func qps_identifiers_json(h C.qpgo_handle, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return seriesIdentifiersJSON(qpsKind, h, buf, buflen, needed)
}
