package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"bytes"
	"encoding/json"
	"math"
	"time"

	"qpgo/internal/limits"
)

// limitsJSON is the object of qpgo_set_limits / qpgo_get_limits.
type limitsJSON struct {
	MaxAllocBytes    *int64   `json:"max_alloc_bytes"`
	MaxAttrBytes     *int64   `json:"max_attr_bytes"`
	ValidateTimeoutS *float64 `json:"validate_timeout_s"`
}

// qpgo_set_limits sets process-wide limits on reading files, from a JSON
// object with any of: "max_alloc_bytes" (the budget of one allocation
// whose size comes from a file: an array, a member, a frame; default 4 GiB
// or half the physical memory; 0 restores the default; per open: the
// ims_open option "max_alloc_bytes" of hdf5 and frame-cache series;
// qpimage and flimage files use the process-wide budget),
// "max_attr_bytes" (the budget of one HDF5 attribute read, checked before
// anything is allocated; default 64 MiB; 0 restores it) and
// "validate_timeout_s" (fixed deadline of the HDF5 validation child in
// seconds; 0 restores the default of 1 s + 1 s per 16 MiB of file).
// A file needing more than the budget fails with QPGO_ERR_IO naming the
// object and the sizes.
// Errors: QPGO_ERR_ARG (NULL, bad JSON, unknown key, negative value).
//
//export qpgo_set_limits
func qpgo_set_limits(js *C.qpgo_cchar) C.int {
	return guard(func() error {
		s, err := goString(js, "json")
		if err != nil {
			return err
		}
		var l limitsJSON
		dec := json.NewDecoder(bytes.NewReader([]byte(s)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			return argErr("qpgo_set_limits: %v", err)
		}
		if l.MaxAllocBytes != nil && *l.MaxAllocBytes < 0 {
			return argErr("qpgo_set_limits: max_alloc_bytes must be >= 0, got %d", *l.MaxAllocBytes)
		}
		if l.MaxAttrBytes != nil && *l.MaxAttrBytes < 0 {
			return argErr("qpgo_set_limits: max_attr_bytes must be >= 0, got %d", *l.MaxAttrBytes)
		}
		if t := l.ValidateTimeoutS; t != nil && (*t < 0 || math.IsNaN(*t) || *t > 1e6) {
			return argErr("qpgo_set_limits: validate_timeout_s must be in [0, 1e6], got %g", *t)
		}
		if l.MaxAllocBytes != nil {
			limits.SetMaxAlloc(*l.MaxAllocBytes)
		}
		if l.MaxAttrBytes != nil {
			limits.SetMaxAttr(*l.MaxAttrBytes)
		}
		if t := l.ValidateTimeoutS; t != nil {
			limits.SetValidateTimeout(time.Duration(*t * float64(time.Second)))
		}
		return nil
	})
}

// qpgo_get_limits writes the limits in force as a JSON object
// ({"max_alloc_bytes": ..., "max_attr_bytes": ..., "validate_timeout_s": ...,
// "default_max_alloc_bytes": ...};
// validate_timeout_s 0 means proportional to the file size) into buf.
// buf NULL queries the size (*needed, including the NUL).
// Errors: QPGO_ERR_ARG (buf and needed NULL), QPGO_ERR_BUFFER.
//
//export qpgo_get_limits
func qpgo_get_limits(buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return guard(func() error {
		b, err := json.Marshal(map[string]any{
			"max_alloc_bytes":         limits.MaxAlloc(),
			"max_attr_bytes":          limits.MaxAttr(),
			"validate_timeout_s":      limits.ValidateTimeout().Seconds(),
			"default_max_alloc_bytes": limits.DefaultMaxAlloc,
		})
		if err != nil {
			return err
		}
		return putString(string(b), buf, buflen, needed)
	})
}
