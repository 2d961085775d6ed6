package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"math"

	"qpgo/core/bgfit"
)

// The module functions of upstream qpimage.bg_estimate on plain arrays
// (no QPImage): row-major float64 images of rows×cols, masks as bytes
// (non-zero = use the pixel).

var bgEstimateKeys = []string{"fit_offset", "fit_profile", "border_px"}

// imageArgs validates rows/cols and copies the image and optional mask.
func imageArgs(data *C.qpgo_cdouble, rows, cols C.int64_t, mask *C.qpgo_cuint8, maskName string) ([]float64, []bool, int, error) {
	if rows <= 0 || cols <= 0 || int64(rows)*int64(cols) > maxElems {
		return nil, nil, 0, argErr("invalid shape %dx%d", int64(rows), int64(cols))
	}
	n := int(rows) * int(cols)
	v, err := copyDoubles(data, n, "data")
	if err != nil {
		return nil, nil, 0, err
	}
	var m []bool
	if mask != nil {
		if m, err = copyBools(mask, n, maskName); err != nil {
			return nil, nil, 0, err
		}
	}
	return v, m, n, nil
}

// qpgo_bg_estimate is upstream bg_estimate.estimate(data, fit_offset,
// fit_profile, border_px, from_mask, ret_mask=True). data: rows×cols
// doubles, row-major. options: JSON object with fit_offset ("mean":
// fit|gauss|mean|mode), fit_profile ("tilt": offset|poly2o|tilt),
// border_px (number, 0: no border frame). from_mask: NULL (all pixels) or
// rows·cols bytes. bg_out: rows·cols doubles receiving the background;
// mask_out: NULL or rows·cols bytes receiving the fit mask (0/1).
// Non-finite pixels inside the mask are left out of the fit.
// Errors: QPGO_ERR_ARG (NULL data/bg_out, shape, invalid fit_offset /
// fit_profile with upstream's messages, empty mask), QPGO_ERR_KEY
// (unknown option).
//
//export qpgo_bg_estimate
func qpgo_bg_estimate(data *C.qpgo_cdouble, rows, cols C.int64_t, options *C.qpgo_cchar,
	fromMask *C.qpgo_cuint8, bgOut *C.double, maskOut *C.uint8_t) C.int {
	return guard(func() error {
		fitOffset, fitProfile, borderPx := "mean", "tilt", 0.0
		kvs, err := parseObject(optString(options), "bg_estimate option", bgEstimateKeys)
		if err != nil {
			return err
		}
		for _, e := range kvs {
			switch e.Key {
			case "fit_offset":
				err = decode(e.Value, e.Key, &fitOffset)
			case "fit_profile":
				err = decode(e.Value, e.Key, &fitProfile)
			case "border_px":
				err = decode(e.Value, e.Key, &borderPx)
			}
			if err != nil {
				return err
			}
		}
		if bgOut == nil {
			return argErr("bg_out is NULL")
		}
		v, m, n, err := imageArgs(data, rows, cols, fromMask, "from_mask")
		if err != nil {
			return err
		}
		bg, mask, err := bgfit.Estimate(v, int(rows), int(cols), fitOffset, fitProfile, borderPx, m)
		if err != nil {
			return err
		}
		if err := putDoubles(bgOut, C.int64_t(n), bg, "bg"); err != nil {
			return err
		}
		if maskOut != nil {
			return putBools(maskOut, C.int64_t(n), mask, "mask")
		}
		return nil
	})
}

// offsetArgs copies n finite values.
func offsetArgs(v *C.qpgo_cdouble, n C.int64_t, out *C.double) ([]float64, error) {
	if out == nil {
		return nil, argErr("out is NULL")
	}
	if n < 1 || int64(n) > maxElems {
		return nil, argErr("n must be positive, got %d", int64(n))
	}
	vals, err := copyDoubles(v, int(n), "values")
	if err != nil {
		return nil, err
	}
	for i, x := range vals {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, argErr("values[%d] = %v is not finite", i, x)
		}
	}
	return vals, nil
}

// qpgo_bg_offset_mode is upstream bg_estimate.offset_mode: the centre of
// the most populated bin of a ceil(sqrt(n))-bin histogram of the n values
// (first maximum wins). Stores the result in *out.
// Errors: QPGO_ERR_ARG (NULL, n < 1, non-finite values: upstream raises).
//
//export qpgo_bg_offset_mode
func qpgo_bg_offset_mode(v *C.qpgo_cdouble, n C.int64_t, out *C.double) C.int {
	return guard(func() error {
		vals, err := offsetArgs(v, n, out)
		if err != nil {
			return err
		}
		*out = C.double(bgfit.OffsetMode(vals))
		return nil
	})
}

// qpgo_bg_offset_gaussian is upstream bg_estimate.offset_gaussian: the
// centre of a Gaussian fitted (lmfit GaussianModel, Levenberg-Marquardt)
// to the density histogram of the n values (2·ceil(sqrt(n)) bins).
// Errors: QPGO_ERR_ARG (NULL, n < 1, non-finite values, failed fit).
//
//export qpgo_bg_offset_gaussian
func qpgo_bg_offset_gaussian(v *C.qpgo_cdouble, n C.int64_t, out *C.double) C.int {
	return guard(func() error {
		vals, err := offsetArgs(v, n, out)
		if err != nil {
			return err
		}
		c, err := bgfit.OffsetGaussian(vals)
		if err != nil {
			return err
		}
		*out = C.double(c)
		return nil
	})
}

// qpgo_bg_profile is upstream bg_estimate.profile_tilt / profile_poly2o:
// the least-squares plane ("tilt") or second-order polynomial ("poly2o")
// through data[mask], evaluated on the whole image. data: rows×cols
// doubles, row-major; mask: NULL (all pixels) or rows·cols bytes
// (non-zero = use); bg_out: rows·cols doubles.
// Errors: QPGO_ERR_ARG (NULL data/profile/bg_out, shape, unknown profile,
// empty mask).
//
//export qpgo_bg_profile
func qpgo_bg_profile(data *C.qpgo_cdouble, rows, cols C.int64_t, profile *C.qpgo_cchar,
	mask *C.qpgo_cuint8, bgOut *C.double) C.int {
	return guard(func() error {
		p, err := goString(profile, "profile")
		if err != nil {
			return err
		}
		var fit func([]float64, int, int, []bool) ([]float64, error)
		switch p {
		case "tilt":
			fit = bgfit.ProfileTilt
		case "poly2o":
			fit = bgfit.ProfilePoly2o
		default:
			return argErr("profile must be 'tilt' or 'poly2o', got '%s'", p)
		}
		if bgOut == nil {
			return argErr("bg_out is NULL")
		}
		v, m, n, err := imageArgs(data, rows, cols, mask, "mask")
		if err != nil {
			return err
		}
		bg, err := fit(v, int(rows), int(cols), m)
		if err != nil {
			return err
		}
		return putDoubles(bgOut, C.int64_t(n), bg, "bg")
	})
}
