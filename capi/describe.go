package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"encoding/json"
	"sort"
	"strings"
	"sync"

	"qpgo/core/bgfit"
	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/meta"
	"qpgo/core/qpimage"
	ims "qpgo/series/imageseries"
)

// The library describes its own rules so that no binding keeps a copy:
// meta data keys, which_data values, background keys, fit choices, file
// modes and the image-series formats with their option names, all read
// from the Go tables that validate them.

// metaDescriptions are upstream's texts of qpimage.meta DATA_DEF/OTHER_DEF
// (and flimage's extra key).
var metaDescriptions = map[string]string{
	"medium index":       "refractive index of the medium",
	"pixel size":         "detector pixel size [m]",
	"time":               "acquisition time of the image [s]",
	"wavelength":         "imaging wavelength [m]",
	"angle":              "rotational angle (e.g. for tomography) [rad]",
	"date":               "acquisition date ('YYYY-MM-DD')",
	"device":             "imaging device",
	"focus":              "focus position [m]",
	"identifier":         "image identifier",
	"numerical aperture": "numerical aperture of the imaging system",
	"pos x":              "x position of the image [m]",
	"pos y":              "y position of the image [m]",
	"qpimage version":    "qpimage software version used",
	"sim center":         "simulation: center of object [px]",
	"sim index":          "simulation: refractive index of object",
	"sim model":          "simulation: model used",
	"sim radius":         "simulation: object radius [m]",
	"software":           "acquisition software and version",
	"flimage version":    "flimage software version used",
}

// validInputData is qpimage's VALID_INPUT_DATA: names, and [a, b] pairs
// for tuples; qpimage.WhichData.Kind accepts exactly these.
func validInputData() []any {
	out := []any{}
	for _, k := range qpimage.ValidInputData {
		w := qpimage.ConvWhichData(k)
		if w.Tuple {
			out = append(out, w.Items)
		} else {
			out = append(out, w.Items[0])
		}
	}
	return out
}

func sortedKeys(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func describeDefs(keys []string) map[string]string {
	out := map[string]string{}
	for _, k := range keys {
		out[k] = metaDescriptions[k]
	}
	return out
}

// statsDTypes is the result dtype of each statistic: a dtype name, or
// "series" for the series' own dtype.
func statsDTypes() map[string]string {
	out := map[string]string{}
	for _, w := range ims.StatKeys {
		dt, err := ims.StatDType(w, ims.Invalid)
		switch {
		case err != nil:
			continue
		case dt == ims.Invalid:
			out[w] = "series"
		default:
			out[w] = dt.String()
		}
	}
	return out
}

var describeOnce = sync.OnceValues(func() (string, error) {
	openKeys, writeKeys := ims.DeclaredKeys()
	d := map[string]any{
		"version": C.GoString(C.qpgo_version()),
		"qpimage": map[string]any{
			"version":            meta.QPImageVersion,
			"data_keys":          meta.DataKeys,
			"other_keys":         meta.OtherKeys,
			"meta_keys":          meta.Keys,
			"data_def":           describeDefs(meta.DataKeys),
			"other_def":          describeDefs(meta.OtherKeys),
			"valid_input_data":   validInputData(),
			"deprecated_input":   map[string]string{qpimage.KindHologram: qpimage.KindRawOAH},
			"valid_bg_keys":      imagedata.ValidBGKeys,
			"valid_fit_offsets":  bgfit.ValidFitOffsets,
			"valid_fit_profiles": bgfit.ValidFitProfiles,
			"compression_level":  imagedata.Compression,
		},
		"flimage": map[string]any{
			"version":    meta.FLImageVersion,
			"data_keys":  meta.DataKeysFL,
			"other_keys": meta.OtherKeysFL,
			"meta_keys":  meta.KeysFL,
			"data_def":   describeDefs(meta.DataKeysFL),
			"other_def":  describeDefs(meta.OtherKeysFL),
		},
		"meta_string_keys": meta.StringKeys,
		"h5modes":          h5.ValidModes,
		"imageseries": map[string]any{
			"open_formats":  sortedKeys(openKeys),
			"open_options":  openKeys,
			"write_formats": sortedKeys(writeKeys),
			"write_options": writeKeys,
			"stats":         ims.StatKeys,
			"stats_dtype":   statsDTypes(),
		},
	}
	b, err := json.Marshal(d)
	return string(b), err
})

// qpgo_describe_json writes a JSON object describing the library's rules
// (what bindings need instead of copies of them): "qpimage" and "flimage"
// (meta data keys in upstream order, their descriptions, valid which_data
// values with tuples as [a, b] lists, background keys, fit choices, stored
// versions), "meta_string_keys", "h5modes", and "imageseries" (formats of
// ims_open/ims_write with their option names, statistics of ims_stats).
// buf NULL queries the size (*needed, including the NUL).
// Errors: QPGO_ERR_ARG (NULL needed), QPGO_ERR_BUFFER.
//
//export qpgo_describe_json
func qpgo_describe_json(buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return guard(func() error {
		s, err := describeOnce()
		if err != nil {
			return err
		}
		return putString(s, buf, buflen, needed)
	})
}

// whichDataArg reads a which_data argument: a string as upstream's
// _conv_which_data normalises it, or a JSON array of strings (a Python
// list/tuple, which stays a tuple even with one element).
func whichDataArg(s string) qpimage.WhichData {
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "[") {
		var items []string
		if err := json.Unmarshal([]byte(t), &items); err == nil {
			return qpimage.ConvWhichDataList(items)
		}
	}
	return qpimage.ConvWhichData(s)
}

// qpgo_which_data normalises and validates a which_data value (a string,
// or a JSON array of strings for a tuple) and writes its kind: one of
// "field", "hologram", "raw-oah", "raw-qlsi", "phase", "phase,amplitude",
// "phase,intensity". buf NULL queries the size (*needed, with the NUL).
// Errors: QPGO_ERR_ARG (NULL, invalid which_data with upstream's
// message), QPGO_ERR_BUFFER.
//
//export qpgo_which_data
func qpgo_which_data(which *C.qpgo_cchar, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return guard(func() error {
		wd, err := goString(which, "which_data")
		if err != nil {
			return err
		}
		kind, err := whichDataArg(wd).Kind()
		if err != nil {
			return err
		}
		return putString(kind, buf, buflen, needed)
	})
}
