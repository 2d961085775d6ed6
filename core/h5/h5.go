package h5

/*
#include <stdlib.h>
#include "qh.h"
*/
import "C"

import (
	"fmt"
	"runtime"
	"sync"
	"unsafe"

	"qpgo/core/qperr"
	"qpgo/internal/dtype"
)

// mu serialises every call into libhdf5. Debian's build is compiled
// thread-safe, but qpgo must also work with serial builds, and several
// libhdf5 calls form one operation; one lock keeps both correct.
var mu sync.Mutex

// lock takes the libhdf5 lock and pins the goroutine to its OS thread for
// the critical section: libhdf5's error-printing switch is per thread in
// thread-safe builds, so the thread is silenced first (qh_quiet does it
// once per thread) and every call of the section runs on that thread.
func lock() {
	mu.Lock()
	runtime.LockOSThread()
	C.qh_quiet()
}

func unlock() {
	runtime.UnlockOSThread()
	mu.Unlock()
}

func init() {
	lock()
	C.qh_init()
	unlock()
}

// lastError turns the libhdf5 error stack into an IO error. Call with mu held.
func lastError(format string, args ...any) error {
	buf := (*C.char)(C.malloc(1024))
	defer C.free(unsafe.Pointer(buf))
	C.qh_errmsg(buf, 1024)
	return ioError(C.GoString(buf), format, args...)
}

// readError is lastError for a failed qh_read (the C read helpers): a
// chunk that did not inflate to its size (deflate.c) is the reason given,
// as the error stack is cleared before Go sees it. Call with mu held.
func readError(format string, args ...any) error {
	if n := C.qh_take_short(); n > 0 {
		return ioError(fmt.Sprintf("a stored chunk does not inflate to its %d bytes: the file is damaged", uint64(n)), format, args...)
	}
	return lastError(format, args...)
}

func ioError(detail, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if detail != "" {
		msg += " (HDF5: " + detail + ")"
	}
	return qperr.New(qperr.IO, "%s", msg)
}

// DType is the element type of a dataset or numeric attribute: the one
// enum of internal/dtype, whose values are the type codes of the C helpers.
type DType = dtype.DType

// The element types (internal/dtype).
const (
	Invalid = dtype.Invalid
	Bool    = dtype.Bool
	Int8    = dtype.Int8
	Uint8   = dtype.Uint8
	Int16   = dtype.Int16
	Uint16  = dtype.Uint16
	Int32   = dtype.Int32
	Uint32  = dtype.Uint32
	Int64   = dtype.Int64
	Uint64  = dtype.Uint64
	Float32 = dtype.Float32
	Float64 = dtype.Float64
)

// ParseDType returns the DType for a NumPy type name.
func ParseDType(name string) (DType, error) { return dtype.ParseName(name) }

// DTypeOf returns the DType of a typed slice, Invalid for anything else.
func DTypeOf(data any) DType { return dtype.Of(data) }

// MakeSlice returns a zeroed slice of n elements of type d.
func MakeSlice(d DType, n int) any { return dtype.Make(d, n) }

// sliceInfo returns a pointer to the first element and the length of a typed
// slice (nil pointer for an empty slice).
func sliceInfo(data any) (unsafe.Pointer, int) {
	switch v := data.(type) {
	case []bool:
		if len(v) == 0 {
			return nil, 0
		}
		return unsafe.Pointer(&v[0]), len(v)
	case []int8:
		return ptrLen(v)
	case []uint8:
		return ptrLen(v)
	case []int16:
		return ptrLen(v)
	case []uint16:
		return ptrLen(v)
	case []int32:
		return ptrLen(v)
	case []uint32:
		return ptrLen(v)
	case []int64:
		return ptrLen(v)
	case []uint64:
		return ptrLen(v)
	case []float32:
		return ptrLen(v)
	case []float64:
		return ptrLen(v)
	}
	return nil, -1
}

func ptrLen[T any](v []T) (unsafe.Pointer, int) {
	if len(v) == 0 {
		return nil, 0
	}
	return unsafe.Pointer(&v[0]), len(v)
}

func cstr(s string) *C.char { return C.CString(s) }

func free(p *C.char) { C.free(unsafe.Pointer(p)) }
