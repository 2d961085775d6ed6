// Package dtype is the one element-type enum of qpgo: the NumPy types of
// HDF5 datasets (core/h5), image-series frames (series/imageseries) and
// the qpgo_dtype codes of the C ABI, with their names, sizes, ranges,
// NumPy's promotion rule and the typed Go slices that hold them.
//
// It is a leaf: it imports nothing of qpgo but core/qperr, so every layer
// can use it without import cycles.
package dtype

import (
	"fmt"
	"math"
	"strings"
	"unsafe"

	"qpgo/core/qperr"
)

// DType is an element type. The values are the qpgo_dtype codes of the C
// ABI (include/qpgo_types.h) and the type codes of the libhdf5 helpers.
type DType int

// The element types.
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

var info = [...]struct {
	name, code string
	size       int
}{
	Invalid: {"invalid", "", 0},
	Bool:    {"bool", "b1", 1},
	Int8:    {"int8", "i1", 1},
	Uint8:   {"uint8", "u1", 1},
	Int16:   {"int16", "i2", 2},
	Uint16:  {"uint16", "u2", 2},
	Int32:   {"int32", "i4", 4},
	Uint32:  {"uint32", "u4", 4},
	Int64:   {"int64", "i8", 8},
	Uint64:  {"uint64", "u8", 8},
	Float32: {"float32", "f4", 4},
	Float64: {"float64", "f8", 8},
}

// Valid reports one of the element types (not Invalid, not out of range).
func (d DType) Valid() bool { return d > Invalid && int(d) < len(info) }

// String is the NumPy name, e.g. "uint16" ("invalid" for Invalid).
func (d DType) String() string {
	if d < 0 || int(d) >= len(info) {
		return fmt.Sprintf("dtype(%d)", int(d))
	}
	return info[d].name
}

// Code is the NumPy type code without byte order, e.g. "u2" ("" for
// Invalid).
func (d DType) Code() string {
	if !d.Valid() {
		return ""
	}
	return info[d].code
}

// Size is the element size in bytes (0 for Invalid).
func (d DType) Size() int {
	if !d.Valid() {
		return 0
	}
	return info[d].size
}

// IsFloat reports a floating-point type.
func (d DType) IsFloat() bool { return d == Float32 || d == Float64 }

// IsUnsigned reports an unsigned integer type.
func (d DType) IsUnsigned() bool { return d == Uint8 || d == Uint16 || d == Uint32 || d == Uint64 }

// Max is the largest value of the type (numpy iinfo/finfo max; 1 for bool).
func (d DType) Max() float64 {
	switch d {
	case Bool:
		return 1
	case Uint8:
		return math.MaxUint8
	case Int8:
		return math.MaxInt8
	case Uint16:
		return math.MaxUint16
	case Int16:
		return math.MaxInt16
	case Uint32:
		return math.MaxUint32
	case Int32:
		return math.MaxInt32
	case Uint64:
		return math.MaxUint64
	case Int64:
		return math.MaxInt64
	case Float32:
		return math.MaxFloat32
	case Float64:
		return math.MaxFloat64
	}
	return 0
}

// Min is the smallest value of the type.
func (d DType) Min() float64 {
	switch d {
	case Int8:
		return math.MinInt8
	case Int16:
		return math.MinInt16
	case Int32:
		return math.MinInt32
	case Int64:
		return math.MinInt64
	case Float32:
		return -math.MaxFloat32
	case Float64:
		return -math.MaxFloat64
	}
	return 0
}

// Parse accepts NumPy dtype spellings: names ("uint16", "float32",
// "float", "double", "int", "bool"), type codes with or without byte order
// ("u2", "<u2", ">f4", "|u1", "b1") and one-letter codes ("B", "H", "f",
// "d", "?" ...). big reports an explicit big-endian marker; the type does
// not depend on it.
func Parse(s string) (d DType, big bool, err error) {
	s = strings.TrimSpace(s)
	if s != "" && strings.ContainsRune("<>|=", rune(s[0])) {
		big = s[0] == '>'
		s = s[1:]
	}
	switch s {
	case "bool", "b1", "?", "bool_":
		d = Bool
	case "uint8", "u1", "B", "ubyte":
		d = Uint8
	case "int8", "i1", "b", "byte":
		d = Int8
	case "uint16", "u2", "H", "ushort":
		d = Uint16
	case "int16", "i2", "h", "short":
		d = Int16
	case "uint32", "u4", "I", "uintc":
		d = Uint32
	case "int32", "i4", "i", "intc":
		d = Int32
	case "uint64", "u8", "L", "Q", "uint":
		d = Uint64
	case "int64", "i8", "l", "q", "int", "int_":
		d = Int64
	case "float32", "f4", "f", "single":
		d = Float32
	case "float64", "f8", "d", "float", "double", "float_":
		d = Float64
	default:
		return Invalid, false, qperr.New(qperr.BadArgument, "data type %q not understood", s)
	}
	return d, big, nil
}

// ParseName accepts only the NumPy names ("uint16", "bool", ...).
func ParseName(name string) (DType, error) {
	for i := Bool; int(i) < len(info); i++ {
		if info[i].name == name {
			return i, nil
		}
	}
	return Invalid, qperr.New(qperr.BadArgument, "unsupported dtype %q", name)
}

// Promote is NumPy's result type of an array-array operation between two
// numeric types a and b (numpy 1.24 promotion table; bool is not handled).
func Promote(a, b DType) DType {
	if a == b {
		return a
	}
	if a.IsFloat() || b.IsFloat() {
		if a == Float64 || b == Float64 {
			return Float64
		}
		other := a
		if a == Float32 {
			other = b
		}
		if other.Size() <= 2 {
			return Float32
		}
		return Float64
	}
	ua, ub := a.IsUnsigned(), b.IsUnsigned()
	if ua == ub {
		if a.Size() >= b.Size() {
			return a
		}
		return b
	}
	u, s := a, b
	if ub {
		u, s = b, a
	}
	if s.Size() > u.Size() {
		return s
	}
	switch u.Size() {
	case 1:
		return Int16
	case 2:
		return Int32
	case 4:
		return Int64
	}
	return Float64
}

// Of returns the type of a typed slice ([]uint16 → Uint16), Invalid for
// anything else.
func Of(data any) DType {
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

// Make returns a zeroed slice of n elements of type d (nil for Invalid).
func Make(d DType, n int) any {
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

// Len is the length of a typed slice (-1 for anything else).
func Len(data any) int {
	switch v := data.(type) {
	case []bool:
		return len(v)
	case []int8:
		return len(v)
	case []uint8:
		return len(v)
	case []int16:
		return len(v)
	case []uint16:
		return len(v)
	case []int32:
		return len(v)
	case []uint32:
		return len(v)
	case []int64:
		return len(v)
	case []uint64:
		return len(v)
	case []float32:
		return len(v)
	case []float64:
		return len(v)
	}
	return -1
}

// Bytes views the memory of a typed slice as bytes, in the host's byte
// order (nil for an empty slice or anything else). The view aliases data.
func Bytes(data any) []byte {
	n, d := Len(data), Of(data)
	if n <= 0 {
		return nil
	}
	var p unsafe.Pointer
	switch v := data.(type) {
	case []bool:
		p = unsafe.Pointer(&v[0])
	case []int8:
		p = unsafe.Pointer(&v[0])
	case []uint8:
		p = unsafe.Pointer(&v[0])
	case []int16:
		p = unsafe.Pointer(&v[0])
	case []uint16:
		p = unsafe.Pointer(&v[0])
	case []int32:
		p = unsafe.Pointer(&v[0])
	case []uint32:
		p = unsafe.Pointer(&v[0])
	case []int64:
		p = unsafe.Pointer(&v[0])
	case []uint64:
		p = unsafe.Pointer(&v[0])
	case []float32:
		p = unsafe.Pointer(&v[0])
	case []float64:
		p = unsafe.Pointer(&v[0])
	}
	return unsafe.Slice((*byte)(p), n*d.Size())
}

// View is a typed slice of n elements of d over the memory at p (nil for
// Invalid). The caller keeps p alive and aligned for d while it is used.
func View(d DType, p unsafe.Pointer, n int) any {
	switch d {
	case Bool:
		return unsafe.Slice((*bool)(p), n)
	case Int8:
		return unsafe.Slice((*int8)(p), n)
	case Uint8:
		return unsafe.Slice((*uint8)(p), n)
	case Int16:
		return unsafe.Slice((*int16)(p), n)
	case Uint16:
		return unsafe.Slice((*uint16)(p), n)
	case Int32:
		return unsafe.Slice((*int32)(p), n)
	case Uint32:
		return unsafe.Slice((*uint32)(p), n)
	case Int64:
		return unsafe.Slice((*int64)(p), n)
	case Uint64:
		return unsafe.Slice((*uint64)(p), n)
	case Float32:
		return unsafe.Slice((*float32)(p), n)
	case Float64:
		return unsafe.Slice((*float64)(p), n)
	}
	return nil
}

// LittleEndianHost reports a little-endian machine (typed slices can then
// be written as NumPy's '<' types by copying their memory).
var LittleEndianHost = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()
