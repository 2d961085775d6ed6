package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"unsafe"

	"qpgo/core/flimage"
	"qpgo/core/qperr"
	"qpgo/series/flseries"
)

func registerFLS(s *flseries.FLSeries, out *C.qpgo_handle) {
	registerSeries(flsKind, famFLImage, s, out)
}

// fls_new creates or opens an FLSeries (upstream FLSeries(h5file=…, …)
// with an empty list; add members with fls_add_flimage). options: JSON
// object with h5file (path; absent: in memory), h5mode ("a"), identifier,
// meta_data (object of FLImage meta keys written into every member the
// file already holds, as upstream). NULL or "": defaults.
// Errors: QPGO_ERR_ARG (NULL out, bad mode), QPGO_ERR_KEY (unknown option
// or meta key), QPGO_ERR_IO.
//
//export fls_new
func fls_new(options *C.qpgo_cchar, out *C.qpgo_handle) C.int {
	return newSeries(options, out, "fls_new option", flseries.NewInMemory, seriesTarget(flseries.NewFile, flseries.NewInGroup), registerFLS)
}

// fls_open opens the FLSeries file at path with an h5py mode (NULL or "":
// "r"). Errors: QPGO_ERR_ARG (NULL, bad mode), QPGO_ERR_IO.
//
//export fls_open
func fls_open(path *C.qpgo_cchar, mode *C.qpgo_cchar, out *C.qpgo_handle) C.int {
	return openObj(path, mode, out, flseries.Open, registerFLS)
}

// fls_close releases the series handle: every member view from
// fls_get_flimage* still open is released first (later calls on it give
// QPGO_ERR_HANDLE), then the file is flushed and closed if the series
// opened it. Errors: QPGO_ERR_HANDLE, QPGO_ERR_IO.
//
//export fls_close
func fls_close(h C.qpgo_handle) C.int {
	return guard(func() error { return release(int64(h), famFLSeries) })
}

// fls_len stores the number of members (root groups "fli_*") in *n.
// Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_HANDLE.
//
//export fls_len
func fls_len(h C.qpgo_handle, n *C.int64_t) C.int {
	return seriesLen(flsKind, h, n)
}

// fls_add_flimage appends a copy of the FLImage fli as member fli_<len>
// (upstream add_flimage). identifier NULL or "": inherit the image's.
// Errors: QPGO_ERR_HANDLE (h or fli), QPGO_ERR_ARG (duplicate
// identifier), QPGO_ERR_IO (read-only file).
//
//export fls_add_flimage
func fls_add_flimage(h C.qpgo_handle, fli C.qpgo_handle, identifier *C.qpgo_cchar) C.int {
	return guard(func() error {
		ident := optString(identifier)
		return with(int64(h), famFLSeries, func(o *flsObj) error {
			return with(int64(fli), famFLImage, func(f *flimage.FLImage) error {
				return o.s.AddFLImage(f, ident)
			})
		})
	})
}

// fls_get_flimage stores in *fli_out an FLImage handle for member index
// (negative counts from the end): a live view into the series file;
// fli_close on it does not close the series file, fls_close invalidates it.
// Errors: QPGO_ERR_HANDLE, QPGO_ERR_ARG (NULL, index < -len),
// QPGO_ERR_NOT_FOUND (no such member).
//
//export fls_get_flimage
func fls_get_flimage(h C.qpgo_handle, index C.int64_t, fliOut *C.qpgo_handle) C.int {
	return seriesAt(flsKind, h, index, fliOut, "fli_out", (*flseries.FLSeries).GetFLImage)
}

// fls_get_flimage_by_id is fls_get_flimage for the first member whose
// identifier is id. Errors: QPGO_ERR_NOT_FOUND, QPGO_ERR_ARG, QPGO_ERR_HANDLE.
//
//export fls_get_flimage_by_id
func fls_get_flimage_by_id(h C.qpgo_handle, id *C.qpgo_cchar, fliOut *C.qpgo_handle) C.int {
	return seriesByID(flsKind, h, id, fliOut, "fli_out", (*flseries.FLSeries).GetFLImageByID)
}

// fls_contains stores 1 in *has if a member has the identifier id.
// Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_HANDLE, QPGO_ERR_IO.
//
//export fls_contains
func fls_contains(h C.qpgo_handle, id *C.qpgo_cchar, has *C.int) C.int {
	return seriesContains(flsKind, h, id, has)
}

// fls_identifier writes the series identifier ("" when there is none)
// with the buf/buflen/needed convention (buf NULL: size query).
// Errors: QPGO_ERR_ARG (both buf and needed NULL), QPGO_ERR_BUFFER, QPGO_ERR_HANDLE.
//
//export fls_identifier
func fls_identifier(h C.qpgo_handle, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return seriesIdentifier(flsKind, h, buf, buflen, needed)
}

// fls_identifiers_json writes the member identifiers in index order as a
// JSON array (null for a member without identifier).
// Errors: QPGO_ERR_ARG (both buf and needed NULL), QPGO_ERR_BUFFER, QPGO_ERR_HANDLE, QPGO_ERR_IO.
//
//export fls_identifiers_json
func fls_identifiers_json(h C.qpgo_handle, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return seriesIdentifiersJSON(flsKind, h, buf, buflen, needed)
}

var bleachKeys = []string{"h5out", "border_px"}

// fls_bleach_correction is FLSeries.bleach_correction (flimage.md §1.5).
// options: JSON object with h5out (path of the output series, opened with
// mode "a": an existing series gets the corrected images appended;
// absent: nothing written) and border_px (integer, 0 = whole image).
// flscorr: 0, or an FLSeries handle whose images are corrected and written
// instead of this series' (may equal h). Outputs, each NULL to skip:
// *bg_out the series background; flint_out, decay_out, times_out buffers
// of n doubles receiving the intensity trace, the fitted decay and the
// frame times (len entries; n is checked before anything is computed).
// progress (NULL: none) is called with done/total work items (2·len plus
// the written images); a non-zero return cancels: QPGO_ERR_CANCELLED, and
// the output file holds a valid series of the images written so far.
// Errors: QPGO_ERR_HANDLE, QPGO_ERR_KEY (unknown option),
// QPGO_ERR_BUFFER (n < len), QPGO_ERR_META_MISSING ("time" not set),
// QPGO_ERR_ARG (shapes, flscorr too long, constant trace, identifier
// clash in the output), QPGO_ERR_IO, QPGO_ERR_CANCELLED.
//
//export fls_bleach_correction
func fls_bleach_correction(h C.qpgo_handle, options *C.qpgo_cchar, flscorr C.qpgo_handle,
	bgOut *C.double, flintOut *C.double, decayOut *C.double, timesOut *C.double, n C.int64_t,
	progress C.qpgo_progress_fn, user unsafe.Pointer) C.int {
	return guard(func() error {
		var h5out string
		borderPx := 0
		kvs, err := parseObject(optString(options), "bleach_correction option", bleachKeys)
		if err != nil {
			return err
		}
		for _, e := range kvs {
			switch e.Key {
			case "h5out":
				err = decode(e.Value, e.Key, &h5out)
			case "border_px":
				err = decode(e.Value, e.Key, &borderPx)
			}
			if err != nil {
				return err
			}
		}
		var out *flseries.Output
		if h5out != "" {
			out = flseries.ToFile(h5out)
		}
		run := func(o, corr *flsObj) error {
			if l := o.s.Len(); (flintOut != nil || decayOut != nil || timesOut != nil) && int64(n) < int64(l) {
				return qperr.New(errBuffer, "output buffers hold %d values, the series has %d images", int64(n), l)
			}
			var cs *flseries.FLSeries
			if corr != nil {
				cs = corr.s
			}
			res, err := o.s.BleachCorrection(out, borderPx, cs, progressFn(progress, user))
			if err != nil {
				return err
			}
			if bgOut != nil {
				*bgOut = C.double(res.Bg)
			}
			for _, a := range []struct {
				p    *C.double
				v    []float64
				what string
			}{{flintOut, res.Flint, "flint"}, {decayOut, res.Decay, "decay"}, {timesOut, res.Times, "times"}} {
				if a.p != nil {
					if err := putDoubles(a.p, n, a.v, a.what); err != nil {
						return err
					}
				}
			}
			return nil
		}
		if flscorr == 0 {
			return with(int64(h), famFLSeries, func(o *flsObj) error { return run(o, nil) })
		}
		return with2(int64(h), int64(flscorr), famFLSeries, run)
	})
}

var denoiseKeys = []string{"h5file"}

// fls_denoise is FLSeries.denoise (flimage.md §1.6): total-variation
// denoising (Chambolle, weight 2) of every image, appended as float32 to
// the output series. options: JSON object with h5file (required: path of
// the output series, opened with mode "a"). progress (NULL: none) counts
// written images; a non-zero return cancels with QPGO_ERR_CANCELLED and
// leaves a valid output holding the images written so far.
// Errors: QPGO_ERR_HANDLE, QPGO_ERR_KEY (unknown option), QPGO_ERR_ARG
// (no h5file, shapes, NaN/Inf pixels, identifier clash in the output),
// QPGO_ERR_IO, QPGO_ERR_CANCELLED.
//
//export fls_denoise
func fls_denoise(h C.qpgo_handle, options *C.qpgo_cchar, progress C.qpgo_progress_fn, user unsafe.Pointer) C.int {
	return guard(func() error {
		var h5file string
		kvs, err := parseObject(optString(options), "denoise option", denoiseKeys)
		if err != nil {
			return err
		}
		for _, e := range kvs {
			if err := decode(e.Value, e.Key, &h5file); err != nil {
				return err
			}
		}
		if h5file == "" {
			return argErr("denoise needs an output (`h5file`)")
		}
		return with(int64(h), famFLSeries, func(o *flsObj) error {
			return o.s.Denoise(flseries.ToFile(h5file), progressFn(progress, user))
		})
	})
}
