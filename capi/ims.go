package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"unsafe"

	"qpgo/core/h5"
	"qpgo/core/qperr"
	ims "qpgo/series/imageseries"
)

// The imageseries functions (ims_*): a handle is an image series (hexrd's
// ImageSeries): a file opened with ims_open, an in-memory array from
// ims_from_array, or a processed series from ims_process. Frames are
// (rows, cols) arrays; element types use the qpgo_dtype codes.

var imsKind = kind[ims.ImageSeries](famImageSeries)

// The option keys of ims_open/ims_write are those the adapters declare when
// they register (ims.ParseOpenOptions, ims.ParseWriteOptions); the ops of
// ims_process and the statistics of ims_stats are parsed by ims.ParseOps
// and ims.Stat.

// nameAndFormat reads the file name and format arguments of ims_open and
// ims_write.
func nameAndFormat(fname, format *C.qpgo_cchar) (name, f string, err error) {
	if name, err = goString(fname, "fname"); err != nil {
		return "", "", err
	}
	if f, err = goString(format, "format"); err != nil {
		return "", "", err
	}
	return name, f, nil
}

// seriesDType reads a qpgo_dtype code as an image-series element type
// (every numeric type; bool frames do not exist in hexrd). h5.DType and
// ims.DType are the same type (internal/dtype); both are returned for the
// callers in ims_source.go.
func seriesDType(code C.int) (h5.DType, ims.DType, error) {
	dt := ims.DType(code)
	if !dt.Valid() || dt == h5.Bool {
		return 0, 0, argErr("unsupported dtype code %d", int(code))
	}
	return dt, dt, nil
}

func closerOf(s ims.ImageSeries) func() error {
	if c, ok := s.(io.Closer); ok {
		return c.Close
	}
	return nil
}

// h5Code is the qpgo_dtype code of a series dtype (the same enum).
func h5Code(dt ims.DType) (C.int, error) {
	if !dt.Valid() {
		return 0, qperr.New(qperr.Unsupported, "dtype %s has no qpgo_dtype code", dt)
	}
	return C.int(dt), nil
}

// ims_open opens an image series (hexrd imageseries.open). format is
// "hdf5" (options: "path" required, "dataname" default "images",
// "max_alloc_bytes": the memory budget of this open, see qpgo_set_limits),
// "frame-cache" (options: "style" "npz" (default) | "fch5" | "yml", "path",
// "max_workers", "max_alloc_bytes": as for "hdf5"), "image-files" or
// "raw-image" (fname is the YAML file; no
// options). options_json may be NULL or "".
// Errors: QPGO_ERR_RUNTIME (zero-length series, a dataset that is not 2-d or
// 3-d), QPGO_ERR_ARG (NULL pointer, bad option value),
// QPGO_ERR_KEY (unknown format or option), QPGO_ERR_NOT_FOUND (missing
// "path", dataset not in the file), QPGO_ERR_IO (unreadable file),
// QPGO_ERR_INTEGRITY (corrupt frame cache), QPGO_ERR_UNSUPPORTED.
//
//export ims_open
func ims_open(fname *C.qpgo_cchar, format *C.qpgo_cchar, options *C.qpgo_cchar, out *C.qpgo_handle) C.int {
	return guard(func() error {
		if out == nil {
			return argErr("out is NULL")
		}
		*out = 0
		name, f, err := nameAndFormat(fname, format)
		if err != nil {
			return err
		}
		opts, err := ims.ParseOpenOptions(f, optString(options), "ims_open option")
		if err != nil {
			return err
		}
		s, err := ims.Open(name, f, opts)
		if err != nil {
			return err
		}
		*out = C.qpgo_handle(register(famImageSeries, s, closerOf(s)))
		return nil
	})
}

// ims_close closes the series and its file. Errors: QPGO_ERR_HANDLE.
//
//export ims_close
func ims_close(h C.qpgo_handle) C.int {
	return guard(func() error { return release(int64(h), famImageSeries) })
}

// ims_len stores the number of frames. Errors: QPGO_ERR_ARG (NULL),
// QPGO_ERR_HANDLE.
//
//export ims_len
func ims_len(h C.qpgo_handle, n *C.int64_t) C.int {
	return imsKind.callOut(h, n == nil, "n", func(s ims.ImageSeries) error {
		*n = C.int64_t(s.Len())
		return nil
	})
}

// ims_shape stores the shape of one frame, dims[0] = rows, dims[1] = cols.
// Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_HANDLE.
//
//export ims_shape
func ims_shape(h C.qpgo_handle, dims *C.int64_t) C.int {
	return imsKind.callOut(h, dims == nil, "dims", func(s ims.ImageSeries) error {
		d := unsafe.Slice((*int64)(unsafe.Pointer(dims)), 2)
		sh := s.Shape()
		d[0], d[1] = int64(sh[0]), int64(sh[1])
		return nil
	})
}

// ims_dtype stores the element type (a qpgo_dtype code).
// Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_HANDLE, QPGO_ERR_UNSUPPORTED.
//
//export ims_dtype
func ims_dtype(h C.qpgo_handle, dtype *C.int) C.int {
	return imsKind.callOut(h, dtype == nil, "dtype", func(s ims.ImageSeries) error {
		c, err := h5Code(s.DType())
		*dtype = c
		return err
	})
}

// frame reads frame index (negative counts from the end) under the handle.
func frame(h C.qpgo_handle, index C.int64_t) (ims.Frame, error) {
	var f ims.Frame
	err := withServed(int64(h), func(s ims.ImageSeries) error {
		var err error
		f, err = s.Frame(int(index))
		return err
	})
	return f, err
}

// ims_get_frame copies frame index in its own element type (row-major,
// native byte order) into out, a buffer of nbytes bytes (at least
// rows·cols·element size). A negative index counts from the end. Frame
// caches, HDF5 and in-memory series decode straight into out when it is
// aligned to the element size (no intermediate frame).
// Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_HANDLE, QPGO_ERR_NOT_FOUND (index
// out of range), QPGO_ERR_BUFFER (buffer too small), QPGO_ERR_IO,
// QPGO_ERR_RUNTIME (image-files frame that does not fit the dtype option).
//
//export ims_get_frame
func ims_get_frame(h C.qpgo_handle, index C.int64_t, out unsafe.Pointer, nbytes C.int64_t) C.int {
	return guard(func() error {
		if out == nil {
			return argErr("output buffer for the frame is NULL")
		}
		done := false
		err := withServed(int64(h), func(s ims.ImageSeries) error {
			fi, ok := s.(ims.FrameReaderInto)
			if !ok {
				return nil
			}
			sh, dt := s.Shape(), s.DType()
			n, size := sh[0]*sh[1], dt.Size()
			// a short or misaligned buffer takes the copying path below,
			// which reports a bad index before a short buffer
			if size == 0 || int64(nbytes) < int64(n)*int64(size) || uintptr(out)%uintptr(size) != 0 {
				return nil
			}
			dst := ims.View(dt, out, n)
			if dst == nil {
				return nil
			}
			done = true
			// dst views C memory and is not kept after FrameInto returns
			return fi.FrameInto(int(index), dst)
		})
		if err != nil || done {
			return err
		}
		f, err := frame(h, index)
		if err != nil {
			return err
		}
		b := ims.DataBytes(f.Data)
		if int64(nbytes) < int64(len(b)) {
			return qperr.New(errBuffer, "output buffer for the frame holds %d bytes, needs %d", int64(nbytes), len(b))
		}
		copy(unsafe.Slice((*byte)(out), len(b)), b)
		return nil
	})
}

// ims_get_frame_f64 copies frame index converted to double into out (n
// doubles, at least rows·cols). Errors as ims_get_frame.
//
//export ims_get_frame_f64
func ims_get_frame_f64(h C.qpgo_handle, index C.int64_t, out *C.double, n C.int64_t) C.int {
	return guard(func() error {
		f, err := frame(h, index)
		if err != nil {
			return err
		}
		return putDoubles(out, n, f.Float64(), "the frame")
	})
}

// ims_metadata_json writes the metadata as a JSON object of typed values
// ({"type": "float64"|"int64"|"str"|"bool"|"ndarray"|"dict"|..., "value":
// ..., arrays with "dtype" and "shape"; NaN/inf as "nan"/"inf"/"-inf").
// buf NULL queries the size (*needed, including the NUL).
// Errors: QPGO_ERR_ARG, QPGO_ERR_HANDLE, QPGO_ERR_BUFFER,
// QPGO_ERR_UNSUPPORTED (a value without a JSON form).
//
//export ims_metadata_json
func ims_metadata_json(h C.qpgo_handle, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return guard(func() error {
		return with(int64(h), famImageSeries, func(s ims.ImageSeries) error {
			m := s.Metadata()
			if err := ims.MetadataError(s); err != nil {
				return err // a damaged member read on access
			}
			b, err := ims.MetadataJSON(m)
			if err != nil {
				return err
			}
			return putString(string(b), buf, buflen, needed)
		})
	})
}

// ims_from_array makes an in-memory series (hexrd's "array" adapter) from
// data: ndim 2 (one frame, dims [rows, cols]) or 3 (dims [n, rows, cols]),
// row-major elements of type dtype (a qpgo_dtype code except QPGO_BOOL) in
// native byte order; the data are copied. meta_json (NULL or "" for none)
// is an object of typed values as ims_metadata_json writes them, or plain
// JSON (integers → int64, numbers → float64, strings, booleans, nested
// number lists → arrays, objects → nested dicts).
// Errors: QPGO_ERR_ARG (NULL, bad ndim/dims/dtype, bad metadata JSON).
//
//export ims_from_array
func ims_from_array(data *C.qpgo_cuint8, dtype C.int, ndim C.int, dims *C.qpgo_cint64, metaJSON *C.qpgo_cchar, out *C.qpgo_handle) C.int {
	return seriesFromArray(unsafe.Pointer(data), dtype, ndim, dims, metaJSON, out, true)
}

// seriesFromArray is ims_from_array (copy) and ims_wrap_array (the series
// reads data in place, which must then be aligned to its elements).
func seriesFromArray(data unsafe.Pointer, dtype C.int, ndim C.int, dims *C.qpgo_cint64, metaJSON *C.qpgo_cchar, out *C.qpgo_handle, copyData bool) C.int {
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
		buf, err := typedIn(data, ims.DType(dtype), numel(shape), copyData, false)
		if err != nil {
			return err
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

// frameOf is the frame lookup of ims.ParseOps: {"frame_of": handle,
// "index": i} names frame i of another series handle.
func frameOf(h int64, index int) (ims.Frame, error) {
	return frame(C.qpgo_handle(h), C.int64_t(index))
}

// ims_process makes a processed series (hexrd ProcessedImageSeries): the
// ops of ops_json (a JSON array of [name, args] pairs, see the binding
// documentation: dark, flip, rectangle, add, gauss_laplace, add-row,
// add-column; NULL or "": no operations) applied lazily to the frames of
// h, over frame_list (nframes indices into h; NULL for all frames). The new
// handle reads its frames from h's series: close it before (or instead of)
// h, since closing a file-backed h closes the file.
// Errors: QPGO_ERR_ARG (out NULL, bad ops JSON or args), QPGO_ERR_KEY (unknown
// op), QPGO_ERR_NOT_FOUND (frame index out of range), QPGO_ERR_HANDLE.
//
//export ims_process
func ims_process(h C.qpgo_handle, opsJSON *C.qpgo_cchar, frameList *C.qpgo_cint64, nframes C.int64_t, out *C.qpgo_handle) C.int {
	return guard(func() error {
		if out == nil {
			return argErr("out is NULL")
		}
		*out = 0
		ops, err := ims.ParseOps(optString(opsJSON), frameOf)
		if err != nil {
			return err
		}
		var fl []int
		if frameList != nil {
			if nframes < 0 || nframes > maxElems {
				return argErr("nframes = %d is invalid", int64(nframes))
			}
			fl = make([]int, int(nframes))
			for i, v := range unsafe.Slice((*int64)(unsafe.Pointer(frameList)), int(nframes)) {
				fl[i] = int(v)
			}
		}
		var p *ims.Processed
		if err := with(int64(h), famImageSeries, func(s ims.ImageSeries) error {
			p, err = ims.NewProcessed(s, ops, fl, nil)
			return err
		}); err != nil {
			return err
		}
		*out = C.qpgo_handle(register(famImageSeries, ims.ImageSeries(p), nil))
		return nil
	})
}

// ims_stats computes a statistic over the first nframes frames (0: all)
// into out (n doubles, at least rows·cols): which is "max", "min" (series
// dtype, converted), "sum" (float64), "average" (float32),
// "median" or "percentile" (pctl in [0, 100]; NumPy linear interpolation,
// float32).
// Errors: QPGO_ERR_ARG (NULL, pctl out of range), QPGO_ERR_KEY (unknown
// which), QPGO_ERR_HANDLE, QPGO_ERR_BUFFER, QPGO_ERR_IO.
//
//export ims_stats
func ims_stats(h C.qpgo_handle, which *C.qpgo_cchar, pctl C.double, nframes C.int64_t, out *C.double, n C.int64_t) C.int {
	return guard(func() error {
		w, err := goString(which, "which")
		if err != nil {
			return err
		}
		if nframes < 0 {
			return argErr("nframes must be >= 0, got %d", int64(nframes))
		}
		nf := int(nframes)
		var r ims.Frame
		err = withServed(int64(h), func(s ims.ImageSeries) error {
			var err error
			r, err = ims.Stat(s, w, float64(pctl), nf)
			return err
		})
		if err != nil {
			return err
		}
		return putDoubles(out, n, r.Float64(), "the statistic")
	})
}

// ims_write writes the series (hexrd imageseries.write). format "hdf5":
// options "path" (required), "gzip" (0..9, default 1), "shuffle" (default
// true), "chunk_rows" (default 0: whole frame), "compression"
// ({"blosc": {"cname", "clevel", "shuffle"}} replaces shuffle+gzip);
// format "frame-cache": "threshold" (required), "style" ("npz" default or
// "fch5"), "cache_file", "max_workers", "path" (fch5 group); both: "h5group_id"
// (an open h5py File/Group to write into, see withH5Ref).
// Errors: QPGO_ERR_ARG (NULL, bad option value, metadata without a NumPy
// type for hdf5), QPGO_ERR_KEY (unknown format or option), QPGO_ERR_NOT_FOUND
// (required option missing), QPGO_ERR_HANDLE, QPGO_ERR_IO,
// QPGO_ERR_UNSUPPORTED.
//
//export ims_write
func ims_write(h C.qpgo_handle, fname *C.qpgo_cchar, format *C.qpgo_cchar, options *C.qpgo_cchar) C.int {
	return guard(func() error { return imsWrite(h, fname, format, options, nil) })
}

// ims_write_warn is ims_write that reports the writer's warnings (hexrd's
// UserWarnings: a frame-cache frame more than 10 % full, metadata that
// cannot be stored) to warn (NULL: dropped), once per warning, on the
// calling thread after writing, also when writing fails. Errors as
// ims_write.
//
//export ims_write_warn
func ims_write_warn(h C.qpgo_handle, fname *C.qpgo_cchar, format *C.qpgo_cchar, options *C.qpgo_cchar, warn C.qpgo_warn_fn, user unsafe.Pointer) C.int {
	var w warnings
	rc := guard(func() error { return imsWrite(h, fname, format, options, &w) })
	w.deliver(warn, user)
	return rc
}

func imsWrite(h C.qpgo_handle, fname, format, options *C.qpgo_cchar, w *warnings) error {
	name, f, err := nameAndFormat(fname, format)
	if err != nil {
		return err
	}
	opts, err := ims.ParseWriteOptions(f, optString(options), "ims_write option")
	if err != nil {
		return err
	}
	if w != nil {
		opts["warn"] = w.add
	}
	return withH5Ref(opts, func() error {
		return withServed(int64(h), func(s ims.ImageSeries) error {
			return ims.Write(s, name, f, opts)
		})
	})
}

// ims_info_json writes what the adapter of the series tells about itself
// as a JSON object: "summary" (hexrd's str(adapter), "" if none), and for
// image-files "fabio_class", "single_frames", "files", "file_frames" (the
// frames each file gives) and "empty_frames"; for raw-image
// "byte_order" ("little" or "big"); for hdf5 "ndim" (2 or 3, the rank of
// the dataset). buf NULL queries the size.
// Errors: QPGO_ERR_ARG (buf and needed both NULL), QPGO_ERR_HANDLE,
// QPGO_ERR_BUFFER.
//
//export ims_info_json
func ims_info_json(h C.qpgo_handle, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return guard(func() error {
		return with(int64(h), famImageSeries, func(s ims.ImageSeries) error {
			info := map[string]any{"summary": ""}
			if v, ok := s.(fmt.Stringer); ok {
				info["summary"] = v.String()
			}
			if v, ok := s.(interface {
				FabioClass() string
				SingleFrames() bool
				Files() []string
			}); ok {
				info["fabio_class"] = v.FabioClass()
				info["single_frames"] = v.SingleFrames()
				info["files"] = v.Files()
			}
			if v, ok := s.(interface{ FileFrames() ([]int, int) }); ok {
				info["file_frames"], info["empty_frames"] = v.FileFrames()
			}
			if v, ok := s.(interface{ NDim() int }); ok {
				info["ndim"] = v.NDim() // hdf5: rank of the dataset
			}
			if v, ok := s.(interface{ ByteOrder() binary.ByteOrder }); ok {
				info["byte_order"] = "little"
				if v.ByteOrder() == binary.BigEndian {
					info["byte_order"] = "big"
				}
			}
			b, err := json.Marshal(info)
			if err != nil {
				return err
			}
			return putString(string(b), buf, buflen, needed)
		})
	})
}

// ims_omega_to_frame maps a rotation angle (degrees) to (frame, wedge) with
// the omega metadata of the series (hexrd OmegaImageSeries.omega_to_frame);
// (-1, -1) if no frame covers it.
// Errors: QPGO_ERR_ARG (NULL, omega metadata not increasing),
// QPGO_ERR_META_MISSING (no omega metadata), QPGO_ERR_HANDLE.
//
//export ims_omega_to_frame
func ims_omega_to_frame(h C.qpgo_handle, omega C.double, frameOut *C.int64_t, wedgeOut *C.int64_t) C.int {
	return guard(func() error {
		if frameOut == nil || wedgeOut == nil {
			return argErr("frame or wedge is NULL")
		}
		return with(int64(h), famImageSeries, func(s ims.ImageSeries) error {
			os, err := ims.NewOmegaSeries(s)
			if err != nil {
				return err
			}
			fr, w := os.OmegaToFrame(float64(omega))
			*frameOut, *wedgeOut = C.int64_t(fr), C.int64_t(w)
			return nil
		})
	})
}

// ims_omega_wedges_json writes the wedges found in the omega metadata of
// the series (hexrd OmegaImageSeries.wedge(i) for every i) as a JSON list
// [{"ostart": a, "ostop": b, "nsteps": n, "delta": d, "first_frame": f},
// ...] in frame order (delta = (ostop - ostart) / nsteps; non-finite
// numbers as "nan"/"inf"/"-inf"; "[]" for a series of no frames). buf
// NULL queries the size (*needed, including the NUL).
// Errors: QPGO_ERR_ARG (buf and needed both NULL, omega metadata not an
// (nframes, 2) numeric array or not increasing), QPGO_ERR_META_MISSING (no omega
// metadata), QPGO_ERR_HANDLE, QPGO_ERR_BUFFER (buflen too small: *needed
// says how much).
//
//export ims_omega_wedges_json
func ims_omega_wedges_json(h C.qpgo_handle, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return guard(func() error {
		return with(int64(h), famImageSeries, func(s ims.ImageSeries) error {
			os, err := ims.NewOmegaSeries(s)
			if err != nil {
				return err
			}
			type wedge struct {
				OStart     any `json:"ostart"`
				OStop      any `json:"ostop"`
				NSteps     int `json:"nsteps"`
				Delta      any `json:"delta"`
				FirstFrame int `json:"first_frame"`
			}
			out := make([]wedge, 0, os.NWedges())
			for i := 0; i < os.NWedges(); i++ {
				w, err := os.Wedge(i)
				if err != nil {
					return err
				}
				out = append(out, wedge{jsonFloat(w.OStart), jsonFloat(w.OStop), w.NSteps, jsonFloat(w.Delta), w.FirstFrame})
			}
			b, err := json.Marshal(out)
			if err != nil {
				return err
			}
			return putString(string(b), buf, buflen, needed)
		})
	})
}

// ims_omega_range_to_frames writes the frames covering [omin, omax]
// (hexrd omegarange_to_frames) into frames (n entries) and their count into
// *count; frames NULL queries the count.
// Errors: QPGO_ERR_ARG, QPGO_ERR_META_MISSING, QPGO_ERR_HANDLE,
// QPGO_ERR_BUFFER.
//
//export ims_omega_range_to_frames
func ims_omega_range_to_frames(h C.qpgo_handle, omin, omax C.double, frames *C.int64_t, n C.int64_t, count *C.int64_t) C.int {
	return imsKind.callOut(h, count == nil, "count", func(s ims.ImageSeries) error {
		os, err := ims.NewOmegaSeries(s)
		if err != nil {
			return err
		}
		fr := os.OmegaRangeToFrames(float64(omin), float64(omax))
		*count = C.int64_t(len(fr))
		if frames == nil {
			return nil
		}
		if int64(n) < int64(len(fr)) {
			return qperr.New(errBuffer, "frames buffer holds %d values, needs %d", int64(n), len(fr))
		}
		dst := unsafe.Slice((*int64)(unsafe.Pointer(frames)), len(fr))
		for i, v := range fr {
			dst[i] = int64(v)
		}
		return nil
	})
}
