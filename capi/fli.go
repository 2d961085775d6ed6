package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"qpgo/core/flimage"
	"qpgo/core/h5"
	"qpgo/core/meta"
)

// fliOptionKeys are the keys of the fli_new options object.
var fliOptionKeys = []string{"h5dtype", "meta_data", "h5file", "h5mode", "h5group_id"}

// fliArray copies a row-major image of ndim/dims from C memory.
func fliArray(data *C.qpgo_cdouble, ndim C.int, dims *C.qpgo_cint64, what string) (*flimage.Array, error) {
	shape, err := readDims(ndim, dims)
	if err != nil {
		return nil, err
	}
	v, err := copyDoubles(data, numel(shape), what)
	if err != nil {
		return nil, err
	}
	return &flimage.Array{Data: v, Shape: shape}, nil
}

// fliOptions parses the options object of fli_new.
func fliOptions(text string) (opt flimage.Options, h5file, h5mode string, err error) {
	opt = flimage.DefaultOptions()
	h5mode = "a"
	kvs, err := parseObject(text, "fli_new option", fliOptionKeys)
	if err != nil {
		return
	}
	for _, e := range kvs {
		switch e.Key {
		case "h5dtype":
			var s string
			if err = decode(e.Value, e.Key, &s); err == nil {
				opt.H5DType, err = h5.ParseDType(s)
				if err == nil && opt.H5DType != h5.Float32 && opt.H5DType != h5.Float64 {
					err = argErr("h5dtype must be 'float32' or 'float64', got %q", s)
				}
			}
		case "meta_data":
			opt.Meta, err = metaItems(string(e.Value))
		case "h5file":
			err = decode(e.Value, e.Key, &h5file)
		case "h5mode":
			err = decode(e.Value, e.Key, &h5mode)
		case "h5group_id":
			err = decodeGroupID(e.Value, e.Key, &h5file)
		}
		if err != nil {
			return
		}
	}
	return
}

func registerFLI(f *flimage.FLImage, out *C.qpgo_handle) { registerObj(fliKind, f, out) }

// fli_new creates an FLImage (upstream FLImage(data, bg_data, …)). data:
// row-major float64 image of ndim = 2, dims [M, N] (NULL: an image without
// data; with h5file this opens the image stored there). bg_data: NULL or
// an array of the same dims (the "data" background). options: JSON object
// with h5dtype ("float32" | "float64"), meta_data (object of FLImage meta
// keys, e.g. {"time": 1.5, "pixel size": 2e-7, "identifier": "a"}),
// h5file (path; absent: in memory), h5mode ("a"). NULL or "": defaults.
// Errors: QPGO_ERR_ARG (NULL out, shape, bg without data, mode "r" with
// data), QPGO_ERR_KEY (unknown option or meta key), QPGO_ERR_IO.
//
//export fli_new
func fli_new(data *C.qpgo_cdouble, ndim C.int, dims *C.qpgo_cint64, bgData *C.qpgo_cdouble,
	options *C.qpgo_cchar, out *C.qpgo_handle) C.int {
	return newImage(fliKind, data, bgData, out,
		func(d *C.qpgo_cdouble, what string) (*flimage.Array, error) { return fliArray(d, ndim, dims, what) },
		func() (flimage.Options, string, string, error) { return fliOptions(optString(options)) },
		flimage.NewInMemory, imageTarget(flimage.NewFile, flimage.NewInGroup))
}

// fli_open opens the FLImage file at path with an h5py mode ("r", "r+",
// "a"; NULL or "": "r").
// Errors: QPGO_ERR_ARG (NULL, bad mode), QPGO_ERR_IO (missing, not HDF5, corrupt).
//
//export fli_open
func fli_open(path *C.qpgo_cchar, mode *C.qpgo_cchar, out *C.qpgo_handle) C.int {
	return openObj(path, mode, out, flimage.Open, registerFLI)
}

// fli_close releases an FLImage handle and closes its file if the image
// opened it (a series member view never closes the series file).
// Errors: QPGO_ERR_HANDLE, QPGO_ERR_IO.
//
//export fli_close
func fli_close(h C.qpgo_handle) C.int {
	return guard(func() error { return release(int64(h), famFLImage) })
}

// fli_copy copies the image: path NULL or "" → in memory, else to a new
// file at path (written, closed and reopened with mode "a").
// Errors: QPGO_ERR_HANDLE, QPGO_ERR_ARG (NULL out), QPGO_ERR_IO.
//
//export fli_copy
func fli_copy(h C.qpgo_handle, path *C.qpgo_cchar, out *C.qpgo_handle) C.int {
	return copyImage(fliKind, h, path, out)
}

// fli_shape stores the image shape (rows, columns) in dims[0..1].
// Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_HANDLE, QPGO_ERR_NOT_FOUND (no data).
//
//export fli_shape
func fli_shape(h C.qpgo_handle, dims *C.int64_t) C.int {
	return imageShape(fliKind, h, dims)
}

// fli_dtype stores the storage type of fluorescence/raw (QPGO_FLOAT32 or
// QPGO_FLOAT64) in *dtype.
// Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_HANDLE, QPGO_ERR_NOT_FOUND (no data).
//
//export fli_dtype
func fli_dtype(h C.qpgo_handle, dtype *C.int) C.int {
	return imageDType(fliKind, h, dtype)
}

// fli_get_fl copies fl (raw_fl - bg_fl, rows×cols doubles, row-major)
// into out, a buffer of n doubles. Errors: QPGO_ERR_ARG (NULL),
// QPGO_ERR_BUFFER (n too small), QPGO_ERR_HANDLE.
//
//export fli_get_fl
func fli_get_fl(h C.qpgo_handle, out *C.double, n C.int64_t) C.int {
	return getArray(fliKind, h, out, n, "fl", (*flimage.FLImage).Fl)
}

// fli_get_raw_fl copies the stored image (raw_fl) as doubles.
// Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_BUFFER (n too small), QPGO_ERR_HANDLE, QPGO_ERR_IO.
//
//export fli_get_raw_fl
func fli_get_raw_fl(h C.qpgo_handle, out *C.double, n C.int64_t) C.int {
	return getArray(fliKind, h, out, n, "raw_fl", (*flimage.FLImage).RawFl)
}

// fli_get_bg_fl copies the combined background (sum of the bg_data
// datasets; zeros without background).
// Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_BUFFER (n too small), QPGO_ERR_HANDLE, QPGO_ERR_IO.
//
//export fli_get_bg_fl
func fli_get_bg_fl(h C.qpgo_handle, out *C.double, n C.int64_t) C.int {
	return getArray(fliKind, h, out, n, "bg_fl", (*flimage.FLImage).BgFl)
}

// fli_set_bg_data sets the "data" background from a row-major array of
// ndim/dims broadcastable to the image shape (upstream set_bg_data);
// data NULL removes it. Errors: QPGO_ERR_ARG (shape), QPGO_ERR_HANDLE,
// QPGO_ERR_IO (read-only file).
//
//export fli_set_bg_data
func fli_set_bg_data(h C.qpgo_handle, data *C.qpgo_cdouble, ndim C.int, dims *C.qpgo_cint64) C.int {
	return guard(func() error {
		var bg *flimage.Array
		if data != nil {
			var err error
			if bg, err = fliArray(data, ndim, dims, "bg_data"); err != nil {
				return err
			}
		}
		return with(int64(h), famFLImage, func(f *flimage.FLImage) error { return f.SetBGData(bg) })
	})
}

// fli_set_bg_data_fli uses the corrected fl of image other as the "data"
// background of h (set_bg_data(<FLImage>)).
// Errors: QPGO_ERR_HANDLE (either handle), QPGO_ERR_IO (read-only file).
//
//export fli_set_bg_data_fli
func fli_set_bg_data_fli(h C.qpgo_handle, other C.qpgo_handle) C.int {
	return guard(func() error {
		return with2(int64(h), int64(other), famFLImage, func(f, o *flimage.FLImage) error {
			return f.SetBGDataFromFLImage(o)
		})
	})
}

func isFLMetaKey(k string) bool { return meta.NewDict(meta.KeysFL).Valid(k) }

// fli_set_meta sets meta data from a JSON object ({"time": 1.5, "pixel
// size": 2e-7, "identifier": "a"}); integers are stored as int64, other
// numbers as float64, text as UTF-8 strings. Keys are the FLImage meta
// keys. Errors: QPGO_ERR_KEY (unknown key; nothing written), QPGO_ERR_ARG,
// QPGO_ERR_IO (read-only), QPGO_ERR_HANDLE.
//
//export fli_set_meta
func fli_set_meta(h C.qpgo_handle, metaJSON *C.qpgo_cchar) C.int {
	return setMetaJSON(fliKind, h, metaJSON, func(k string) error {
		if !isFLMetaKey(k) {
			return meta.UnknownKeyError(k)
		}
		return nil
	}, true)
}

// fli_get_meta_double reads a numeric meta value.
// Errors: QPGO_ERR_KEY (unknown key), QPGO_ERR_META_MISSING (not set),
// QPGO_ERR_ARG (NULL, not a number), QPGO_ERR_HANDLE.
//
//export fli_get_meta_double
func fli_get_meta_double(h C.qpgo_handle, key *C.qpgo_cchar, value *C.double) C.int {
	return getMetaDouble(fliKind, h, key, value)
}

// fli_get_meta_string reads a text meta value into buf (buf NULL: size
// query into *needed, which counts the terminating NUL).
// Errors: as fli_get_meta_double, QPGO_ERR_ARG (not text), QPGO_ERR_BUFFER.
//
//export fli_get_meta_string
func fli_get_meta_string(h C.qpgo_handle, key *C.qpgo_cchar, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return getMetaString(fliKind, h, key, buf, buflen, needed)
}

// fli_get_meta_json writes the meta data as a JSON object of typed values
// {"key": {"value": v, "type": "float64"|"int64"|"str"|…}} in name order
// (key NULL) or one typed value (key given; QPGO_ERR_KEY /
// QPGO_ERR_META_MISSING), as qpi_get_meta_json.
//
//export fli_get_meta_json
func fli_get_meta_json(h C.qpgo_handle, key *C.qpgo_cchar, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return getMetaJSON(fliKind, h, key, buf, buflen, needed)
}

// fli_has_meta stores 1 in *has if a root attribute key exists (`key in fli`).
// Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_HANDLE.
//
//export fli_has_meta
func fli_has_meta(h C.qpgo_handle, key *C.qpgo_cchar, has *C.int) C.int {
	return hasMeta(fliKind, h, key, has)
}

// fli_info writes upstream FLImage.info as a JSON list of [name, value,
// type] triples (root attributes in name order, then the "fluorescence
// background …" entries).
// Errors: QPGO_ERR_ARG (both buf and needed NULL), QPGO_ERR_BUFFER, QPGO_ERR_HANDLE, QPGO_ERR_IO.
//
//export fli_info
func fli_info(h C.qpgo_handle, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return info(fliKind, h, buf, buflen, needed)
}

// fli_repr writes upstream's repr text ("FLImage <id>, MxNpx").
// Errors: QPGO_ERR_ARG (both buf and needed NULL), QPGO_ERR_BUFFER, QPGO_ERR_HANDLE.
//
//export fli_repr
func fli_repr(h C.qpgo_handle, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return repr(fliKind, h, buf, buflen, needed)
}

// fli_equal stores 1 in *equal if the images are equal as upstream
// __eq__ defines it (shape, allclose fl, DATA keys "pixel size", "time").
// Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_HANDLE (either handle), QPGO_ERR_IO.
//
//export fli_equal
func fli_equal(a, b C.qpgo_handle, equal *C.int) C.int {
	return imageEqual(fliKind, a, b, equal)
}

// fli_slice returns a new in-memory image of a sub-array (upstream
// fli[rows, cols]; unlike upstream the background is carried over, so the
// slice's fl is fl[given]). ranges holds nranges (1 or 2) triples start,
// stop, step already resolved for the axis length (Python slice.indices).
// Errors: QPGO_ERR_ARG (NULL, nranges, step 0), QPGO_ERR_HANDLE.
//
//export fli_slice
func fli_slice(h C.qpgo_handle, ranges *C.qpgo_cint64, nranges C.int, out *C.qpgo_handle) C.int {
	return imageSlice(fliKind, h, ranges, nranges, out)
}
