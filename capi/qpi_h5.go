package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"strconv"
	"strings"
	"unsafe"

	"qpgo/core/flimage"
	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/qperr"
	"qpgo/core/qpimage"
	"qpgo/internal/dtype"
	"qpgo/series/flseries"
	"qpgo/series/qpseries"
)

// An h5file option may name an HDF5 object that another user of the same
// libhdf5 in this process opened (h5py's obj.id.id), given as the option
// h5group_id. The option parsers pass it on in the h5file string behind a
// NUL byte, which no path from a C string can hold.
const groupRefPrefix = "\x00h5id:"

func groupRef(id int64) string { return groupRefPrefix + strconv.FormatInt(id, 10) }

// parseGroupRef reports whether h5file is a groupRef and wraps its object.
func parseGroupRef(h5file string) (*h5.Group, bool, error) {
	s, ok := strings.CutPrefix(h5file, groupRefPrefix)
	if !ok {
		if strings.IndexByte(h5file, 0) >= 0 {
			return nil, false, argErr("h5file must not contain a NUL byte")
		}
		return nil, false, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, true, argErr("bad h5group_id %q", s)
	}
	g, err := h5.WrapID(id)
	return g, true, err
}

// decodeGroupID reads the h5group_id option into an h5file groupRef.
func decodeGroupID(raw []byte, key string, h5file *string) error {
	var id int64
	if err := decode(raw, key, &id); err != nil {
		return err
	}
	*h5file = groupRef(id)
	return nil
}

// imageTarget opens an image at a path or, for a groupRef, in the borrowed
// group (the mode then does not apply: the caller opened the file).
func imageTarget[In, Opt, T any](inFile func(path, mode string, data, bg In, opt Opt) (T, error),
	inGroup func(g *h5.Group, data, bg In, opt Opt) (T, error)) func(string, string, In, In, Opt) (T, error) {
	return func(path, mode string, data, bg In, opt Opt) (T, error) {
		g, ok, err := parseGroupRef(path)
		if err != nil || !ok {
			if err != nil {
				var zero T
				return zero, err
			}
			return inFile(path, mode, data, bg, opt)
		}
		return inGroup(g, data, bg, opt)
	}
}

// seriesTarget is imageTarget for series.
func seriesTarget[M, Opt, S any](inFile func(path, mode string, list []M, opt Opt) (S, error),
	inGroup func(g *h5.Group, list []M, opt Opt) (S, error)) func(string, string, []M, Opt) (S, error) {
	return func(path, mode string, list []M, opt Opt) (S, error) {
		g, ok, err := parseGroupRef(path)
		if err != nil || !ok {
			if err != nil {
				var zero S
				return zero, err
			}
			return inFile(path, mode, list, opt)
		}
		return inGroup(g, list, opt)
	}
}

// inside reports whether group dst lies in src of the same file, where a
// copy would copy itself without end.
func inside(src, dst *h5.Group) error {
	if src.File().Name() != dst.File().Name() {
		return nil
	}
	s, d := src.Path(), dst.Path()
	if s == "/" || d == s || strings.HasPrefix(d, s+"/") {
		return argErr("cannot copy %q into %q: the target lies inside the source", s, d)
	}
	return nil
}

// qpgo_hdf5_version stores the version of the libhdf5 libqpgo runs on.
// Errors: QPGO_ERR_ARG (NULL).
//
//export qpgo_hdf5_version
func qpgo_hdf5_version(major, minor, release *C.int) C.int {
	return guard(func() error {
		if major == nil || minor == nil || release == nil {
			return argErr("major, minor and release must not be NULL")
		}
		a, b, c := h5.LibVersion()
		*major, *minor, *release = C.int(a), C.int(b), C.int(c)
		return nil
	})
}

// qpi_copy_h5id copies the image into the HDF5 file or group with the
// libhdf5 identifier id (h5py's obj.id.id; same libhdf5 in this process),
// upstream qpi.copy(h5file=<h5py.Group>). The identifier stays the caller's.
// Errors: QPGO_ERR_ARG (out NULL, bad identifier), QPGO_ERR_HANDLE, QPGO_ERR_IO.
//
//export qpi_copy_h5id
func qpi_copy_h5id(h C.qpgo_handle, id C.int64_t, out *C.qpgo_handle) C.int {
	return copyImageToID(qpiKind, h, id, out, func(q *qpimage.QPImage) *h5.Group { return q.G })
}

// fli_copy_h5id is qpi_copy_h5id for an FLImage.
// Errors: QPGO_ERR_ARG (out NULL, bad identifier), QPGO_ERR_HANDLE, QPGO_ERR_IO.
//
//export fli_copy_h5id
func fli_copy_h5id(h C.qpgo_handle, id C.int64_t, out *C.qpgo_handle) C.int {
	return copyImageToID(fliKind, h, id, out, func(f *flimage.FLImage) *h5.Group { return f.G })
}

// qpi_copyh5 copies the contents of the HDF5 group in_id into out_id
// (both libhdf5 identifiers of files or groups, e.g. h5py's obj.id.id),
// upstream qpimage.core.copyh5(inh5, outh5).
// Errors: QPGO_ERR_ARG (bad identifier), QPGO_ERR_IO.
//
//export qpi_copyh5
func qpi_copyh5(inID, outID C.int64_t) C.int {
	return guard(func() error {
		in, err := h5.WrapID(int64(inID))
		if err != nil {
			return err
		}
		out, err := h5.WrapID(int64(outID))
		if err != nil {
			return err
		}
		if err := inside(in, out); err != nil {
			return err
		}
		return qpimage.CopyH5(in, out)
	})
}

// qpgo_h5_ref gives the HDF5 file of the object behind handle h (any
// family but ImageSeries) to a second owner in this process: *file_id is
// its libhdf5 file identifier with one more reference (the caller releases
// it, e.g. by handing it to h5py.h5f.FileID), path the object's group in
// the file (putString rules: buf NULL is a size query).
// Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_HANDLE, QPGO_ERR_BUFFER, QPGO_ERR_IO.
//
//export qpgo_h5_ref
func qpgo_h5_ref(h C.qpgo_handle, fileID *C.int64_t, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return guard(func() error {
		if fileID == nil {
			return argErr("file_id is NULL")
		}
		g, err := handleGroup(int64(h))
		if err != nil {
			return err
		}
		if err := putString(g.Path(), buf, buflen, needed); err != nil || buf == nil {
			return err
		}
		if err := g.File().IncRef(); err != nil {
			return err
		}
		*fileID = C.int64_t(g.File().ID())
		return nil
	})
}

// handleGroup is the HDF5 group of the object behind h.
func handleGroup(h int64) (*h5.Group, error) {
	e, err := lookupAny(h)
	if err != nil {
		return nil, err
	}
	var g *h5.Group
	err = with(h, e, func(obj any) error {
		switch o := obj.(type) {
		case *qpimage.QPImage:
			g = o.G
		case *flimage.FLImage:
			g = o.G
		case *seriesObj[*qpseries.QPSeries]:
			g = o.s.G
		case *seriesObj[*flseries.FLSeries]:
			g = o.s.G
		default:
			return argErr("handle %d has no HDF5 file", h)
		}
		return nil
	})
	return g, err
}

// lookupAny is the family of handle h.
func lookupAny(h int64) (family, error) {
	registry.RLock()
	e, ok := registry.m[h]
	registry.RUnlock()
	if !ok {
		return 0, qperr.New(qperr.BadHandle, "handle %d is closed or was never opened", h)
	}
	return e.fam, nil
}

// qpgo_write_image_dataset is upstream qpimage.image_data.write_image_dataset:
// the image data (qpgo_dtype code dtypeCode, ndim dims, which must be 2-d;
// row-major, native byte order; stored in that type) is written as
// group[key] of the HDF5 file or group with the libhdf5 identifier group_id
// (h5py's obj.id.id, same libhdf5 in this process), replacing an existing
// key, with the IMAGE attributes, one chunk, deflate and Fletcher-32
// (contiguous and bare on the in-memory core driver), as qpimage writes its
// images.
// Errors: QPGO_ERR_ARG (NULL, bad identifier, shape or dtype), QPGO_ERR_IO.
//
//export qpgo_write_image_dataset
func qpgo_write_image_dataset(groupID C.int64_t, key *C.qpgo_cchar, data unsafe.Pointer, dtypeCode C.int, ndim C.int, dims *C.qpgo_cint64) C.int {
	return guard(func() error {
		k, err := goString(key, "key")
		if err != nil {
			return err
		}
		shape, err := readDims(ndim, dims)
		if err != nil {
			return err
		}
		if len(shape) != 2 || shape[0] == 0 || shape[1] == 0 {
			return argErr("write_image_dataset: data must be a non-empty 2-d image, got shape %v", shape)
		}
		// read in place for the call (encoding copies what it keeps)
		buf, err := typedIn(data, dtype.DType(dtypeCode), numel(shape), false, true)
		if err != nil {
			return err
		}
		g, err := h5.WrapID(int64(groupID))
		if err != nil {
			return err
		}
		defer g.File().Close() // releases only what WrapID took
		e, err := imagedata.EncodeTyped(g.File(), buf, shape)
		if err != nil {
			return err
		}
		return imagedata.WriteEncoded(g, k, e)
	})
}
