package main

/*
#include <stdint.h>
#include <string.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"math"
	"unsafe"

	"qpgo/core/qperr"
	"qpgo/internal/dtype"
)

// maxElems bounds array sizes taken from callers (2^34 elements), so that
// an uninitialised dims value is an error instead of a huge allocation.
const maxElems = 1 << 34

// readDims validates ndim/dims and returns the shape.
func readDims(ndim C.int, dims *C.qpgo_cint64) ([]int, error) {
	if ndim < 0 || ndim > 8 {
		return nil, argErr("ndim must be 0..8, got %d", int(ndim))
	}
	if ndim > 0 && dims == nil {
		return nil, argErr("dims is NULL")
	}
	shape := make([]int, int(ndim))
	n := int64(1)
	ds := unsafe.Slice((*int64)(unsafe.Pointer(dims)), int(ndim))
	for i, d := range ds {
		if d < 0 {
			return nil, argErr("dims[%d] = %d is negative", i, d)
		}
		n *= max(d, 1)
		if n > maxElems {
			return nil, argErr("array of shape %v is too large", ds)
		}
		shape[i] = int(d)
	}
	return shape, nil
}

func numel(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}

// copyDoubles copies n float64 values from C memory.
func copyDoubles(p *C.qpgo_cdouble, n int, name string) ([]float64, error) {
	if p == nil {
		return nil, argErr("%s is NULL", name)
	}
	out := make([]float64, n)
	copy(out, unsafe.Slice((*float64)(unsafe.Pointer(p)), n))
	return out, nil
}

// copyBools copies n bytes (0 = false) from C memory.
func copyBools(p *C.qpgo_cuint8, n int, name string) ([]bool, error) {
	if p == nil {
		return nil, argErr("%s is NULL", name)
	}
	src := unsafe.Slice((*uint8)(unsafe.Pointer(p)), n)
	out := make([]bool, n)
	for i, v := range src {
		out[i] = v != 0
	}
	return out, nil
}

// putDoubles writes values into a caller buffer of length n (in doubles).
func putDoubles(out *C.double, n C.int64_t, v []float64, what string) error {
	if out == nil {
		return argErr("output buffer for %s is NULL", what)
	}
	if int64(n) < int64(len(v)) {
		return qperr.New(errBuffer, "output buffer for %s holds %d values, needs %d", what, int64(n), len(v))
	}
	copy(unsafe.Slice((*float64)(unsafe.Pointer(out)), len(v)), v)
	return nil
}

// putComplex writes interleaved real/imaginary pairs.
func putComplex(out *C.double, n C.int64_t, v []complex128, what string) error {
	flat := make([]float64, 2*len(v))
	for i, c := range v {
		flat[2*i], flat[2*i+1] = real(c), imag(c)
	}
	return putDoubles(out, n, flat, what)
}

// putBools writes 0/1 bytes.
func putBools(out *C.uint8_t, n C.int64_t, v []bool, what string) error {
	if out == nil {
		return argErr("output buffer for %s is NULL", what)
	}
	if int64(n) < int64(len(v)) {
		return qperr.New(errBuffer, "output buffer for %s holds %d values, needs %d", what, int64(n), len(v))
	}
	dst := unsafe.Slice((*uint8)(unsafe.Pointer(out)), len(v))
	for i, b := range v {
		dst[i] = 0
		if b {
			dst[i] = 1
		}
	}
	return nil
}

// putString copies s with a terminating NUL into buf of buflen bytes and
// stores the needed size in *needed. buf NULL is a size query.
func putString(s string, buf *C.char, buflen C.int64_t, needed *C.int64_t) error {
	need := int64(len(s)) + 1
	if needed != nil {
		*needed = C.int64_t(need)
	}
	if buf == nil {
		if needed == nil {
			return argErr("both buf and needed are NULL")
		}
		return nil
	}
	if int64(buflen) < need {
		return qperr.New(errBuffer, "string buffer of %d bytes is too small, need %d", int64(buflen), need)
	}
	dst := unsafe.Slice((*byte)(unsafe.Pointer(buf)), need)
	copy(dst, s)
	dst[len(s)] = 0
	return nil
}

// goString converts a required C string argument.
func goString(s *C.qpgo_cchar, name string) (string, error) {
	if s == nil {
		return "", argErr("%s is NULL", name)
	}
	return C.GoString((*C.char)(unsafe.Pointer(s))), nil
}

// optString converts an optional C string (NULL → "").
func optString(s *C.qpgo_cchar) string {
	if s == nil {
		return ""
	}
	return C.GoString((*C.char)(unsafe.Pointer(s)))
}

// optStringOr converts an optional C string, NULL or "" giving def.
func optStringOr(s *C.qpgo_cchar, def string) string {
	if v := optString(s); v != "" {
		return v
	}
	return def
}

func anyNaN(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) {
			return true
		}
	}
	return false
}

// typedIn is the caller's n elements of dt at data as a typed slice: a view
// of the C memory (valid for the call; it must be aligned to the elements)
// or, with copyData or unaligned memory when copyUnaligned, a Go copy.
func typedIn(data unsafe.Pointer, dt dtype.DType, n int, copyData, copyUnaligned bool) (any, error) {
	if !dt.Valid() || dt == dtype.Bool {
		return nil, argErr("unsupported dtype code %d", int(dt))
	}
	if n == 0 {
		return dtype.Make(dt, 0), nil
	}
	if data == nil {
		return nil, argErr("data is NULL")
	}
	unaligned := uintptr(data)%uintptr(dt.Size()) != 0
	if unaligned && !copyData && !copyUnaligned {
		return nil, argErr("data is not aligned to its %d-byte elements", dt.Size())
	}
	if copyData || unaligned {
		buf := dtype.Make(dt, n)
		b := dtype.Bytes(buf)
		copy(b, unsafe.Slice((*byte)(data), len(b)))
		return buf, nil
	}
	return dtype.View(dt, data, n), nil
}
