package h5

/*
#include "qh.h"
*/
import "C"

import (
	"fmt"

	"qpgo/core/qperr"
	"qpgo/internal/limits"
)

// checkAttrSize refuses, before anything is allocated, an attribute whose
// declared element count does not fit what the file stores for it
// (H5Aget_storage_size) or the attribute budget (limits.MaxAttr, settable
// with qpgo_set_limits "max_attr_bytes"): a damaged dataspace can declare
// 2^40 points in a few bytes of file (issue 18). elem is the bytes per
// element read (0: variable-length strings, checked as pointers only);
// widen the bytes per element of a later widening copy (integers become
// int64), 0 if none. Call with mu held.
func checkAttrSize(at C.hid_t, name, path string, count int, elem, widen int) error {
	what := fmt.Sprintf("attribute %q of %q (%d elements)", name, path, count)
	if count < 0 {
		return limits.CheckAttr(what, -1, -1)
	}
	ptr := int64(0)
	if elem == 0 {
		elem, ptr = 16, 0 // a pointer and a Go string header per element
	} else {
		ptr = int64(C.H5Aget_storage_size(at))
		if ptr <= 0 {
			ptr = -1 // unknown: budget only
		}
	}
	need := limits.Mul(int64(count), int64(max(elem, widen)))
	stored := limits.Mul(int64(count), int64(elem))
	if ptr >= 0 && stored > ptr && stored > 1<<16 {
		// (small attributes may be stored in a narrower type than read)
		return limits.CheckAttr(what, stored, ptr)
	}
	return limits.CheckAttr(what, need, -1)
}

// attrElemSize is the bytes per element Attrs.Get reads for type code
// (0 for variable-length strings).
func attrElemSize(code C.int, size C.size_t) int {
	switch {
	case code == 20:
		return 0
	case code == 21:
		return int(size)
	case code >= 1 && code <= 11:
		return DType(code).Size()
	}
	return 1
}

// checkAttrShape is checkAttrSize for an attribute of the given shape
// (read in its native type, no widening).
func checkAttrShape(at C.hid_t, name, path string, shape []int, code C.int, size C.size_t) error {
	n, ok := limits.Elements(shape)
	if !ok {
		n = -1
	}
	return checkAttrSize(at, name, path, int(n), attrElemSize(code, size), 0)
}

// checkChunkShape refuses a chunked dataset whose chunk is larger than a
// fixed maximum dimension: libhdf5 never writes one ("chunk size must be
// <= maximum dimension size for fixed-sized dimensions"), and reading one
// from a damaged header makes libhdf5 1.10 copy a short chunk with the
// declared chunk stride, past the end of its buffer (a SIGSEGV in H5Dread
// of a file that h5py reads with garbage).
func checkChunkShape(p string, info DatasetInfo) error {
	if info.Layout != "chunked" || len(info.Chunks) != len(info.MaxShape) {
		return nil
	}
	for i, c := range info.Chunks {
		if m := info.MaxShape[i]; c <= 0 || (m >= 0 && c > m) {
			return qperr.New(qperr.IO, "dataset %q: chunk shape %v does not fit its maximum shape %v (corrupt file?)", p, info.Chunks, info.MaxShape)
		}
	}
	return nil
}
