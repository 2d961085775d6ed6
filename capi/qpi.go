package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"strings"

	"qpgo/core/h5"
	"qpgo/core/holo"
	"qpgo/core/imagedata"
	"qpgo/core/qperr"
	"qpgo/core/qpimage"
)

// qpiOptionKeys are the keys of the qpi_new options object.
var qpiOptionKeys = []string{"proc_phase", "h5dtype", "meta_data", "h5file", "h5mode", "h5group_id", "qpretrieve_kw", "holo_kw"}

// input builds a qpimage.Input from the C arguments. Layout: "phase" and
// raw kinds take one array of dims [M, N] (raw holograms also [M, N, 3]);
// ("phase","amplitude"|"intensity") take dims [2, M, N]; "field" takes
// dims [M, N] of interleaved complex pairs (2·M·N doubles).
func input(whichData *C.qpgo_cchar, data *C.qpgo_cdouble, ndim C.int, dims *C.qpgo_cint64, what string) (*qpimage.Input, error) {
	wd, err := goString(whichData, "which_data")
	if err != nil {
		return nil, err
	}
	w := whichDataArg(wd)
	kind, err := w.Kind()
	if err != nil {
		return nil, err
	}
	shape, err := readDims(ndim, dims)
	if err != nil {
		return nil, err
	}
	n := numel(shape)
	in := &qpimage.Input{WhichData: w}
	switch {
	case kind == qpimage.KindField:
		v, err := copyDoubles(data, 2*n, what)
		if err != nil {
			return nil, err
		}
		in.Field = make([]complex128, n)
		for i := range in.Field {
			in.Field[i] = complex(v[2*i], v[2*i+1])
		}
		in.Shape = shape
	case qpimage.ArrayCount(kind) == 2:
		if len(shape) != 3 || shape[0] != 2 {
			return nil, argErr("%s for which_data %q needs dims [2, M, N], got %v", what, wd, shape)
		}
		v, err := copyDoubles(data, n, what)
		if err != nil {
			return nil, err
		}
		m := n / 2
		in.Arrays = [][]float64{v[:m:m], v[m:]}
		in.Shape = shape[1:]
	default:
		v, err := copyDoubles(data, n, what)
		if err != nil {
			return nil, err
		}
		in.Arrays = [][]float64{v}
		in.Shape = shape
	}
	return in, nil
}

// qpiOptions parses the options object of qpi_new.
func qpiOptions(text string) (opt qpimage.Options, h5file, h5mode string, err error) {
	opt = qpimage.DefaultOptions()
	h5mode = "a"
	kvs, err := parseObject(text, "qpi_new option", qpiOptionKeys)
	if err != nil {
		return
	}
	for _, e := range kvs {
		switch e.Key {
		case "proc_phase":
			err = decode(e.Value, e.Key, &opt.ProcPhase)
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
		case "qpretrieve_kw", "holo_kw":
			var m map[string]any
			if err = decode(e.Value, e.Key, &m); err != nil {
				break
			}
			if e.Key == "holo_kw" { // deprecated upstream alias, mapped as upstream does
				if m, err = holo.MapHoloKW(m); err != nil {
					break
				}
			}
			if opt.QPRetrieveKW == nil {
				opt.QPRetrieveKW = map[string]any{}
			}
			for k, v := range m {
				opt.QPRetrieveKW[k] = v
			}
		}
		if err != nil {
			return
		}
	}
	return
}

// metaItems parses a meta JSON object in order, validating keys.
func metaItems(text string) ([]imagedata.Attr, error) {
	kvs, err := parseObject(text, "meta data", nil)
	if err != nil {
		return nil, err
	}
	var out []imagedata.Attr
	for _, e := range kvs {
		v, err := jsonValue(e.Value, e.Key)
		if err != nil {
			return nil, err
		}
		out = append(out, imagedata.Attr{Name: e.Key, Value: v})
	}
	return out, nil
}

func registerQPI(q *qpimage.QPImage, out *C.qpgo_handle) { registerObj(qpiKind, q, out) }

// qpi_new creates a QPImage from data (see input for the layout) and an
// optional background of the same layout (bg_data NULL: none). data NULL
// creates an image without data (upstream QPImage() / QPImage(h5file=…)),
// which_data is then ignored. options is
// a JSON object with the keys proc_phase (default true), h5dtype
// ("float32"), meta_data (object), h5file (path; absent: in memory),
// h5mode ("a"), h5group_id (libhdf5 identifier of an open file or group
// of the same libhdf5, e.g. h5py's obj.id.id; instead of h5file), qpretrieve_kw (object; raw-oah/raw-qlsi options),
// holo_kw (deprecated alias, mapped as upstream). NULL or ""
// means defaults.
// Errors: QPGO_ERR_ARG (NULL/shape/which_data/values), QPGO_ERR_KEY (unknown
// option or meta key), QPGO_ERR_IO (file), QPGO_ERR_UNSUPPORTED.
//
//export qpi_new
func qpi_new(whichData *C.qpgo_cchar, data *C.qpgo_cdouble, ndim C.int, dims *C.qpgo_cint64,
	bgData *C.qpgo_cdouble, options *C.qpgo_cchar, out *C.qpgo_handle) C.int {
	return newImage(qpiKind, data, bgData, out,
		func(d *C.qpgo_cdouble, what string) (*qpimage.Input, error) {
			return input(whichData, d, ndim, dims, what)
		},
		func() (qpimage.Options, string, string, error) { return qpiOptions(optString(options)) },
		qpimage.NewInMemory, imageTarget(qpimage.NewFile, qpimage.NewInGroup))
}

// qpi_open opens the QPImage file at path with an h5py mode ("r", "r+",
// "a"; "w"/"w-"/"x" create an empty image; NULL or "": "r").
// Errors: QPGO_ERR_ARG (path or out NULL, bad mode), QPGO_ERR_IO (missing, not HDF5, corrupt).
//
//export qpi_open
func qpi_open(path *C.qpgo_cchar, mode *C.qpgo_cchar, out *C.qpgo_handle) C.int {
	return openObj(path, mode, out, qpimage.Open, registerQPI)
}

// qpi_close releases a handle and closes its file if the image opened it.
// Errors: QPGO_ERR_HANDLE, QPGO_ERR_IO.
//
//export qpi_close
func qpi_close(h C.qpgo_handle) C.int {
	return guard(func() error { return release(int64(h), famQPImage) })
}

// qpi_copy copies the image: path NULL or "" → in memory, else to a new
// file at path (written, closed and reopened with mode "a").
// Errors: QPGO_ERR_ARG (out NULL), QPGO_ERR_HANDLE, QPGO_ERR_IO (target not writable).
//
//export qpi_copy
func qpi_copy(h C.qpgo_handle, path *C.qpgo_cchar, out *C.qpgo_handle) C.int {
	return copyImage(qpiKind, h, path, out)
}

// qpi_shape stores the image shape (rows, columns) in dims[0..1].
// Errors: QPGO_ERR_ARG (dims NULL), QPGO_ERR_HANDLE, QPGO_ERR_NOT_FOUND (image without data).
//
//export qpi_shape
func qpi_shape(h C.qpgo_handle, dims *C.int64_t) C.int {
	return imageShape(qpiKind, h, dims)
}

// qpi_dtype stores the storage type of phase/raw (QPGO_FLOAT32 or QPGO_FLOAT64).
// Errors: QPGO_ERR_ARG (dtype NULL), QPGO_ERR_HANDLE, QPGO_ERR_NOT_FOUND (image without data).
//
//export qpi_dtype
func qpi_dtype(h C.qpgo_handle, dtype *C.int) C.int {
	return imageDType(qpiKind, h, dtype)
}

// qpi_get_pha copies pha (raw_pha - bg_pha, rows×cols doubles) into out,
// a buffer of n doubles. Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_BUFFER (n too small).
//
//export qpi_get_pha
func qpi_get_pha(h C.qpgo_handle, out *C.double, n C.int64_t) C.int {
	return getArray(qpiKind, h, out, n, "pha", (*qpimage.QPImage).Pha)
}

// qpi_get_amp copies amp (raw_amp / bg_amp).
// Errors: as qpi_get_pha.
//
//export qpi_get_amp
func qpi_get_amp(h C.qpgo_handle, out *C.double, n C.int64_t) C.int {
	return getArray(qpiKind, h, out, n, "amp", (*qpimage.QPImage).Amp)
}

// qpi_get_bg_pha copies the combined phase background.
// Errors: as qpi_get_pha.
//
//export qpi_get_bg_pha
func qpi_get_bg_pha(h C.qpgo_handle, out *C.double, n C.int64_t) C.int {
	return getArray(qpiKind, h, out, n, "bg_pha", (*qpimage.QPImage).BgPha)
}

// qpi_get_bg_amp copies the combined amplitude background.
// Errors: as qpi_get_pha.
//
//export qpi_get_bg_amp
func qpi_get_bg_amp(h C.qpgo_handle, out *C.double, n C.int64_t) C.int {
	return getArray(qpiKind, h, out, n, "bg_amp", (*qpimage.QPImage).BgAmp)
}

// qpi_get_raw_pha copies the stored phase.
// Errors: as qpi_get_pha.
//
//export qpi_get_raw_pha
func qpi_get_raw_pha(h C.qpgo_handle, out *C.double, n C.int64_t) C.int {
	return getArray(qpiKind, h, out, n, "raw_pha", (*qpimage.QPImage).RawPha)
}

// qpi_get_raw_amp copies the stored amplitude.
// Errors: as qpi_get_pha.
//
//export qpi_get_raw_amp
func qpi_get_raw_amp(h C.qpgo_handle, out *C.double, n C.int64_t) C.int {
	return getArray(qpiKind, h, out, n, "raw_amp", (*qpimage.QPImage).RawAmp)
}

// qpi_get_field copies the complex field as interleaved (re, im) pairs:
// out must hold 2·rows·cols doubles.
// Errors: as qpi_get_pha (n counts doubles, 2 per pixel).
//
//export qpi_get_field
func qpi_get_field(h C.qpgo_handle, out *C.double, n C.int64_t) C.int {
	return getArray(qpiKind, h, out, n, "field", (*qpimage.QPImage).Field)
}

// qpi_get_bg copies one stored background dataset: image "phase" or
// "amplitude", key "data" or "fit", expanded to the image shape (rows·cols
// doubles) when it was stored with a broadcastable shape. Errors: QPGO_ERR_NOT_FOUND when absent.
//
//export qpi_get_bg
func qpi_get_bg(h C.qpgo_handle, image *C.qpgo_cchar, key *C.qpgo_cchar, out *C.double, n C.int64_t) C.int {
	return guard(func() error {
		img, err := goString(image, "image")
		if err != nil {
			return err
		}
		k, err := goString(key, "key")
		if err != nil {
			return err
		}
		return with(int64(h), famQPImage, func(q *qpimage.QPImage) error {
			d, err := imageData(q, img)
			if err != nil {
				return err
			}
			v, vshape, err := d.GetBG(k)
			if err != nil {
				return err
			}
			shape, err := q.Shape()
			if err != nil {
				return err
			}
			// A background stored with a broadcastable shape (upstream allows
			// (M, 1)) is returned expanded to the image shape.
			if v, err = imagedata.Broadcast(v, vshape, shape); err != nil {
				return err
			}
			return putDoubles(out, n, v, img+" bg "+k)
		})
	})
}

func imageData(q *qpimage.QPImage, name string) (*imagedata.ImageData, error) {
	switch name {
	case "phase":
		return q.PhaseData(), nil
	case "amplitude":
		return q.AmplitudeData(), nil
	}
	return nil, argErr("image must be 'phase' or 'amplitude', got %q", name)
}

// qpi_set_meta sets meta data from a JSON object ({"wavelength": 5.5e-7,
// "identifier": "a", "angle": 0, "sim center": [8, 9.5]}); integers are
// stored as int64, other numbers as float64, text as UTF-8 strings.
// Errors: QPGO_ERR_KEY (unknown key; nothing written), QPGO_ERR_ARG, QPGO_ERR_IO (read-only).
//
//export qpi_set_meta
func qpi_set_meta(h C.qpgo_handle, metaJSON *C.qpgo_cchar) C.int {
	return setMetaJSON(qpiKind, h, metaJSON, func(k string) error {
		if !isMetaKey(k) {
			return qperr.New(qperr.UnknownKey, "Unknown meta data key: %s", k)
		}
		return nil
	}, false)
}

// qpi_set_meta_double sets one numeric meta value (float64).
// Errors: QPGO_ERR_ARG (key NULL), QPGO_ERR_KEY (unknown key), QPGO_ERR_HANDLE, QPGO_ERR_IO (read-only).
//
//export qpi_set_meta_double
func qpi_set_meta_double(h C.qpgo_handle, key *C.qpgo_cchar, value C.double) C.int {
	return guard(func() error {
		k, err := goString(key, "key")
		if err != nil {
			return err
		}
		return with(int64(h), famQPImage, func(q *qpimage.QPImage) error {
			return q.SetMeta(k, float64(value))
		})
	})
}

// qpi_set_meta_string sets one text meta value.
// Errors: QPGO_ERR_ARG (NULL, NUL in text), QPGO_ERR_KEY (unknown key), QPGO_ERR_HANDLE, QPGO_ERR_IO (read-only).
//
//export qpi_set_meta_string
func qpi_set_meta_string(h C.qpgo_handle, key *C.qpgo_cchar, value *C.qpgo_cchar) C.int {
	return guard(func() error {
		k, err := goString(key, "key")
		if err != nil {
			return err
		}
		v, err := goString(value, "value")
		if err != nil {
			return err
		}
		return with(int64(h), famQPImage, func(q *qpimage.QPImage) error { return q.SetMeta(k, v) })
	})
}

// qpi_get_meta_double reads a numeric meta value.
// Errors: QPGO_ERR_KEY (unknown key), QPGO_ERR_META_MISSING (not set), QPGO_ERR_ARG (not a number).
//
//export qpi_get_meta_double
func qpi_get_meta_double(h C.qpgo_handle, key *C.qpgo_cchar, value *C.double) C.int {
	return getMetaDouble(qpiKind, h, key, value)
}

// qpi_get_meta_string reads a text meta value into buf (buf NULL: size
// query into *needed, which counts the terminating NUL).
// Errors: QPGO_ERR_KEY (unknown key), QPGO_ERR_META_MISSING (not set), QPGO_ERR_ARG (not text, NULLs), QPGO_ERR_BUFFER, QPGO_ERR_HANDLE.
//
//export qpi_get_meta_string
func qpi_get_meta_string(h C.qpgo_handle, key *C.qpgo_cchar, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return getMetaString(qpiKind, h, key, buf, buflen, needed)
}

// qpi_get_meta_json writes the meta data as a JSON object of typed values
// {"key": {"value": v, "type": "float64"|"int64"|"str"|"float64[2]"…}}
// in name order (key NULL) or one typed value (key given; QPGO_ERR_KEY /
// QPGO_ERR_META_MISSING). NaN/inf are the strings "nan"/"inf"/"-inf".
//
//export qpi_get_meta_json
func qpi_get_meta_json(h C.qpgo_handle, key *C.qpgo_cchar, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return getMetaJSON(qpiKind, h, key, buf, buflen, needed)
}

// qpi_has_meta stores 1 in *has if a root attribute key exists (`key in qpi`).
// Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_HANDLE.
//
//export qpi_has_meta
func qpi_has_meta(h C.qpgo_handle, key *C.qpgo_cchar, has *C.int) C.int {
	return hasMeta(qpiKind, h, key, has)
}

// qpi_info writes info as a JSON list of [name, value, type] triples.
// Errors: QPGO_ERR_ARG (both buf and needed NULL), QPGO_ERR_BUFFER, QPGO_ERR_HANDLE, QPGO_ERR_IO.
//
//export qpi_info
func qpi_info(h C.qpgo_handle, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return info(qpiKind, h, buf, buflen, needed)
}

// qpi_repr writes upstream's repr text ("QPImage <id>, MxNpx, λ=550.0nm").
// Errors: QPGO_ERR_ARG (both buf and needed NULL), QPGO_ERR_BUFFER, QPGO_ERR_HANDLE.
//
//export qpi_repr
func qpi_repr(h C.qpgo_handle, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return repr(qpiKind, h, buf, buflen, needed)
}

// qpi_set_bg_data sets the "data" background of both images from arrays
// in the qpi_new layout; data NULL removes it. proc_phase as upstream
// (default 1).
// Errors: QPGO_ERR_ARG (which_data, dims, values), QPGO_ERR_HANDLE, QPGO_ERR_IO (read-only), QPGO_ERR_UNSUPPORTED.
//
//export qpi_set_bg_data
func qpi_set_bg_data(h C.qpgo_handle, whichData *C.qpgo_cchar, data *C.qpgo_cdouble, ndim C.int, dims *C.qpgo_cint64, procPhase C.int) C.int {
	return guard(func() error {
		var bg *qpimage.Input
		if data != nil {
			var err error
			if bg, err = input(whichData, data, ndim, dims, "bg_data"); err != nil {
				return err
			}
		}
		return with(int64(h), famQPImage, func(q *qpimage.QPImage) error {
			return q.SetBGData(bg, procPhase != 0)
		})
	})
}

// qpi_set_bg_data_qpi uses the corrected pha/amp of image other as the
// "data" background of h.
// Errors: QPGO_ERR_HANDLE (either handle), QPGO_ERR_IO (read-only).
//
//export qpi_set_bg_data_qpi
func qpi_set_bg_data_qpi(h C.qpgo_handle, other C.qpgo_handle) C.int {
	return guard(func() error {
		return with2(int64(h), int64(other), famQPImage, func(q, o *qpimage.QPImage) error {
			return q.SetBGDataFromQPImage(o)
		})
	})
}

// qpi_clear_bg deletes backgrounds: which_data like "phase,amplitude",
// keys a comma list of "data"/"fit". Absent keys are not errors; their
// upstream warnings are written to warnings (may be NULL) as lines.
// Errors: QPGO_ERR_ARG (which_data without phase/amplitude, invalid key), QPGO_ERR_BUFFER (warnings buffer), QPGO_ERR_HANDLE, QPGO_ERR_IO (read-only).
//
//export qpi_clear_bg
func qpi_clear_bg(h C.qpgo_handle, whichData *C.qpgo_cchar, keys *C.qpgo_cchar, warnings *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return guard(func() error {
		wd, err := goString(whichData, "which_data")
		if err != nil {
			return err
		}
		var klist []string
		for _, k := range strings.Split(optStringOr(keys, "fit"), ",") {
			klist = append(klist, strings.TrimSpace(k))
		}
		return with(int64(h), famQPImage, func(q *qpimage.QPImage) error {
			w, err := q.ClearBG(whichDataArg(wd), klist)
			if err != nil {
				return err
			}
			if warnings != nil || needed != nil {
				return putString(strings.Join(w, "\n"), warnings, buflen, needed)
			}
			return nil
		})
	})
}

// qpi_slice returns a new in-memory image of a sub-array. ranges holds
// nranges (1 or 2) triples start, stop, step already resolved for the
// axis length (Python slice.indices semantics: stop may be -1 for a
// negative step).
// Errors: QPGO_ERR_ARG (NULL, nranges not 1 or 2, step 0), QPGO_ERR_HANDLE.
//
//export qpi_slice
func qpi_slice(h C.qpgo_handle, ranges *C.qpgo_cint64, nranges C.int, out *C.qpgo_handle) C.int {
	return imageSlice(qpiKind, h, ranges, nranges, out)
}

// qpi_equal stores 1 in *equal if the images are equal as upstream __eq__
// defines it (shape, allclose amp/pha, DATA_KEYS meta).
// Errors: QPGO_ERR_ARG (equal NULL), QPGO_ERR_HANDLE (either handle), QPGO_ERR_IO.
//
//export qpi_equal
func qpi_equal(a, b C.qpgo_handle, equal *C.int) C.int {
	return imageEqual(qpiKind, a, b, equal)
}
