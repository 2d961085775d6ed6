package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"strings"

	"qpgo/core/qpimage"
)

var computeBGKeys = []string{"which_data", "fit_offset", "fit_profile", "border_m", "border_perc", "border_px"}

// bgOptions parses the compute_bg options object.
func bgOptions(text string) (qpimage.BGOptions, error) {
	o := qpimage.DefaultBGOptions()
	kvs, err := parseObject(text, "compute_bg option", computeBGKeys)
	if err != nil {
		return o, err
	}
	for _, e := range kvs {
		switch e.Key {
		case "which_data":
			var s string
			if decode(e.Value, e.Key, &s) == nil {
				o.WhichData = qpimage.ConvWhichData(s)
				continue
			}
			var l []string
			if err := decode(e.Value, e.Key, &l); err != nil {
				return o, argErr("unknown type for `which_data`: %s", string(e.Value))
			}
			o.WhichData = qpimage.ConvWhichDataList(l)
		case "fit_offset":
			err = decode(e.Value, e.Key, &o.FitOffset)
		case "fit_profile":
			err = decode(e.Value, e.Key, &o.FitProfile)
		case "border_m":
			err = decode(e.Value, e.Key, &o.BorderM)
		case "border_perc":
			err = decode(e.Value, e.Key, &o.BorderPerc)
		case "border_px":
			err = decode(e.Value, e.Key, &o.BorderPx)
		}
		if err != nil {
			return o, err
		}
	}
	return o, nil
}

// qpi_compute_bg estimates the "fit" background (upstream compute_bg).
// options: JSON object with which_data ("phase"), fit_offset ("mean":
// fit|gauss|mean|mode), fit_profile ("tilt": offset|poly2o|tilt),
// border_m, border_perc, border_px (0). from_mask: NULL or rows·cols bytes
// (non-zero = use pixel), row-major. mask_out: NULL, or a buffer of
// mask_len ≥ rows·cols bytes that receives the mask used (0/1).
// Errors: QPGO_ERR_ARG (the validation errors of upstream with its
// messages), QPGO_ERR_KEY (unknown option), QPGO_ERR_META_MISSING
// (border_m without "pixel size"), QPGO_ERR_IO (read-only file).
//
//export qpi_compute_bg
func qpi_compute_bg(h C.qpgo_handle, options *C.qpgo_cchar, fromMask *C.qpgo_cuint8, maskOut *C.uint8_t, maskLen C.int64_t) C.int {
	return guard(func() error {
		o, err := bgOptions(optString(options))
		if err != nil {
			return err
		}
		return with(int64(h), famQPImage, func(q *qpimage.QPImage) error {
			shape, err := q.Shape()
			if err != nil {
				return err
			}
			if fromMask != nil {
				if o.FromMask, err = copyBools(fromMask, numel(shape), "from_mask"); err != nil {
					return err
				}
			}
			if maskOut != nil && int64(maskLen) < int64(numel(shape)) {
				return argErr("mask_out holds %d values, needs %d", int64(maskLen), numel(shape))
			}
			mask, err := q.ComputeBG(o)
			if err != nil {
				return err
			}
			if maskOut != nil {
				return putBools(maskOut, maskLen, mask, "mask")
			}
			return nil
		})
	})
}

func parseChecks(checks *C.qpgo_cchar) []string {
	s := strings.TrimSpace(optString(checks))
	if s == "" {
		return nil
	}
	var out []string
	for _, c := range strings.Split(s, ",") {
		out = append(out, strings.TrimSpace(c))
	}
	return out
}

// qpi_check runs integrity checks: checks is a comma list of "attributes",
// "background" (NULL or "": both). A failed check is QPGO_ERR_INTEGRITY
// with upstream's message; an unknown check is QPGO_ERR_ARG.
//
//export qpi_check
func qpi_check(h C.qpgo_handle, checks *C.qpgo_cchar) C.int {
	return guard(func() error {
		return with(int64(h), famQPImage, func(q *qpimage.QPImage) error { return q.Check(parseChecks(checks)) })
	})
}

// qpi_check_file opens path read-only and runs qpi_check.
// Errors: QPGO_ERR_INTEGRITY (a check failed), QPGO_ERR_ARG (path NULL, unknown check), QPGO_ERR_IO (missing, not HDF5, corrupt).
//
//export qpi_check_file
func qpi_check_file(path *C.qpgo_cchar, checks *C.qpgo_cchar) C.int {
	return guard(func() error {
		p, err := goString(path, "path")
		if err != nil {
			return err
		}
		return qpimage.CheckFile(p, parseChecks(checks))
	})
}

// qpi_set_bg writes one background dataset of one image (upstream
// ImageData.set_bg): image "phase" or "amplitude", key "data" or "fit",
// data row-major with ndim/dims (broadcastable to the image as upstream
// allows; NULL deletes the dataset), attrs_json an optional JSON object of
// dataset attributes written in order.
// Errors: QPGO_ERR_ARG (image or key invalid, dims, NULL), QPGO_ERR_HANDLE, QPGO_ERR_IO (read-only).
//
//export qpi_set_bg
func qpi_set_bg(h C.qpgo_handle, image, key *C.qpgo_cchar, data *C.qpgo_cdouble, ndim C.int, dims *C.qpgo_cint64, attrsJSON *C.qpgo_cchar) C.int {
	return guard(func() error {
		img, err := goString(image, "image")
		if err != nil {
			return err
		}
		k, err := goString(key, "key")
		if err != nil {
			return err
		}
		var v []float64
		var shape []int
		if data != nil {
			if shape, err = readDims(ndim, dims); err != nil {
				return err
			}
			if v, err = copyDoubles(data, numel(shape), "data"); err != nil {
				return err
			}
		}
		attrs, err := metaItems(optString(attrsJSON))
		if err != nil {
			return err
		}
		return with(int64(h), famQPImage, func(q *qpimage.QPImage) error {
			d, err := imageData(q, img)
			if err != nil {
				return err
			}
			return d.SetBG(k, v, shape, attrs)
		})
	})
}
