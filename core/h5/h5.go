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
	detail := C.GoString(buf)
	msg := fmt.Sprintf(format, args...)
	if detail != "" {
		msg += " (HDF5: " + detail + ")"
	}
	return qperr.New(qperr.IO, "%s", msg)
}

// DType is the element type of a dataset or numeric attribute.
type DType int

// The values match the type codes of the C helpers.
const (
	Invalid DType = iota
	Bool
	Int8
	Uint8
	Int16
	Uint16
	Int32
	Uint32
	Int64
	Uint64
	Float32
	Float64
)

var dtypeNames = [...]string{"invalid", "bool", "int8", "uint8", "int16", "uint16",
	"int32", "uint32", "int64", "uint64", "float32", "float64"}

// String returns the NumPy name of the type.
func (d DType) String() string {
	if d >= 0 && int(d) < len(dtypeNames) {
		return dtypeNames[d]
	}
	return "invalid"
}

// ParseDType returns the DType for a NumPy type name.
func ParseDType(name string) (DType, error) {
	for i, n := range dtypeNames {
		if i > 0 && n == name {
			return DType(i), nil
		}
	}
	return Invalid, qperr.New(qperr.BadArgument, "unsupported dtype %q", name)
}

// Size is the element size in bytes.
func (d DType) Size() int {
	switch d {
	case Bool, Int8, Uint8:
		return 1
	case Int16, Uint16:
		return 2
	case Int32, Uint32, Float32:
		return 4
	case Int64, Uint64, Float64:
		return 8
	}
	return 0
}

// DTypeOf returns the DType of a typed slice, Invalid for anything else.
func DTypeOf(data any) DType {
	switch data.(type) {
	case []bool:
		return Bool
	case []int8:
		return Int8
	case []uint8:
		return Uint8
	case []int16:
		return Int16
	case []uint16:
		return Uint16
	case []int32:
		return Int32
	case []uint32:
		return Uint32
	case []int64:
		return Int64
	case []uint64:
		return Uint64
	case []float32:
		return Float32
	case []float64:
		return Float64
	}
	return Invalid
}

// MakeSlice returns a zeroed slice of n elements of type d.
func MakeSlice(d DType, n int) any {
	switch d {
	case Bool:
		return make([]bool, n)
	case Int8:
		return make([]int8, n)
	case Uint8:
		return make([]uint8, n)
	case Int16:
		return make([]int16, n)
	case Uint16:
		return make([]uint16, n)
	case Int32:
		return make([]int32, n)
	case Uint32:
		return make([]uint32, n)
	case Int64:
		return make([]int64, n)
	case Uint64:
		return make([]uint64, n)
	case Float32:
		return make([]float32, n)
	case Float64:
		return make([]float64, n)
	}
	return nil
}

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
