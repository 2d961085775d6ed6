package imageseries

import (
	"fmt"
	"math"
	"strings"

	"qpgo/core/qperr"
)

// DType is the element type of a frame. The names follow NumPy.
type DType int

// The element types a series can have.
const (
	Invalid DType = iota
	Uint8
	Int8
	Uint16
	Int16
	Uint32
	Int32
	Uint64
	Int64
	Float32
	Float64
)

var dtypeInfo = [...]struct {
	name, code string
	size       int
}{
	Invalid: {"invalid", "", 0},
	Uint8:   {"uint8", "u1", 1},
	Int8:    {"int8", "i1", 1},
	Uint16:  {"uint16", "u2", 2},
	Int16:   {"int16", "i2", 2},
	Uint32:  {"uint32", "u4", 4},
	Int32:   {"int32", "i4", 4},
	Uint64:  {"uint64", "u8", 8},
	Int64:   {"int64", "i8", 8},
	Float32: {"float32", "f4", 4},
	Float64: {"float64", "f8", 8},
}

// String is the NumPy name, e.g. "uint16".
func (d DType) String() string {
	if d < 0 || int(d) >= len(dtypeInfo) {
		return fmt.Sprintf("dtype(%d)", int(d))
	}
	return dtypeInfo[d].name
}

// Code is the NumPy type code without byte order, e.g. "u2".
func (d DType) Code() string {
	if d <= 0 || int(d) >= len(dtypeInfo) {
		return ""
	}
	return dtypeInfo[d].code
}

// Size is the element size in bytes.
func (d DType) Size() int {
	if d <= 0 || int(d) >= len(dtypeInfo) {
		return 0
	}
	return dtypeInfo[d].size
}

// IsFloat reports a floating-point type.
func (d DType) IsFloat() bool { return d == Float32 || d == Float64 }

// IsUnsigned reports an unsigned integer type.
func (d DType) IsUnsigned() bool { return d == Uint8 || d == Uint16 || d == Uint32 || d == Uint64 }

// Max is the largest value of the type (numpy iinfo/finfo max).
func (d DType) Max() float64 {
	switch d {
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

// ParseDType accepts NumPy dtype spellings: names ("uint16", "float32",
// "float", "double", "int"), type codes with or without byte order ("u2",
// "<u2", ">f4", "|u1") and one-letter codes ("B", "H", "f", "d" ...). big
// reports an explicit big-endian marker; the value type does not depend on it.
func ParseDType(s string) (dt DType, big bool, err error) {
	s = strings.TrimSpace(s)
	if s != "" && strings.ContainsRune("<>|=", rune(s[0])) {
		big = s[0] == '>'
		s = s[1:]
	}
	switch s {
	case "uint8", "u1", "B", "ubyte":
		dt = Uint8
	case "int8", "i1", "b", "byte":
		dt = Int8
	case "uint16", "u2", "H", "ushort":
		dt = Uint16
	case "int16", "i2", "h", "short":
		dt = Int16
	case "uint32", "u4", "I", "uintc":
		dt = Uint32
	case "int32", "i4", "i", "intc":
		dt = Int32
	case "uint64", "u8", "L", "Q", "uint":
		dt = Uint64
	case "int64", "i8", "l", "q", "int", "int_":
		dt = Int64
	case "float32", "f4", "f", "single":
		dt = Float32
	case "float64", "f8", "d", "float", "double", "float_":
		dt = Float64
	default:
		return Invalid, false, qperr.New(qperr.BadArgument, "data type %q not understood", s)
	}
	return dt, big, nil
}

// Promote is NumPy's result type of an array-array operation between a and b
// (numpy 1.24 promotion table restricted to the types above).
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

type number interface {
	~uint8 | ~int8 | ~uint16 | ~int16 | ~uint32 | ~int32 | ~uint64 | ~int64 | ~float32 | ~float64
}

// dataDType reports the element type of a typed slice (Invalid otherwise).
func dataDType(data any) DType {
	switch data.(type) {
	case []uint8:
		return Uint8
	case []int8:
		return Int8
	case []uint16:
		return Uint16
	case []int16:
		return Int16
	case []uint32:
		return Uint32
	case []int32:
		return Int32
	case []uint64:
		return Uint64
	case []int64:
		return Int64
	case []float32:
		return Float32
	case []float64:
		return Float64
	}
	return Invalid
}

// newData allocates a zeroed slice of n elements of type dt.
func newData(dt DType, n int) any {
	if o := opsFor(dt); o != nil {
		return o.make(n)
	}
	return nil
}

func dataLen(data any) int {
	if o := opsOf(data); o != nil {
		return o.len(data)
	}
	return -1
}

// fromFloat converts v to T the way a C cast does (NumPy astype): floats are
// rounded to nearest, integers truncated toward zero and wrapped modulo 2^n.
func fromFloat[T number](v float64) T {
	var z T
	switch any(z).(type) {
	case float32, float64:
		return T(v)
	case uint64:
		if v >= 1<<63 {
			return T(uint64(v))
		}
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return z
	}
	return T(int64(v))
}

// saturate converts v to T clamping to T's range (used where the library
// deliberately avoids wrap-around, see I4).
func saturate[T number](v float64, lo, hi float64) T {
	if v < lo {
		v = lo
	} else if v > hi {
		v = hi
	}
	return fromFloat[T](v)
}

// toFloat64 returns the values of data as float64 (a new slice).
func toFloat64(data any) []float64 {
	if v, ok := data.([]float64); ok {
		return append([]float64(nil), v...)
	}
	if o := opsOf(data); o != nil {
		return o.toFloat64(data)
	}
	return nil
}

func convSlice[S, D number](v []S) []D {
	out := make([]D, len(v))
	for i, x := range v {
		out[i] = D(x)
	}
	return out
}

// castTo converts a typed slice (any type) to a new slice of type dt with
// NumPy astype semantics.
func castTo(data any, dt DType) any {
	if o := opsOf(data); o != nil {
		return o.castTo(data, dt)
	}
	return nil
}

func castFrom[S number](v []S, dt DType) any {
	if p := pairFor[S](dt); p != nil {
		return p.cast(v)
	}
	return nil
}

func castSlice[S, D number](v []S) []D {
	out := make([]D, len(v))
	var s S
	var d D
	switch any(s).(type) {
	case float32, float64:
		switch any(d).(type) {
		case float32, float64:
		default:
			for i, x := range v {
				out[i] = fromFloat[D](float64(x))
			}
			return out
		}
	}
	for i, x := range v {
		out[i] = D(x)
	}
	return out
}

// fromFloat64 converts float64 values to type dt (C-cast semantics).
func fromFloat64(v []float64, dt DType) any { return castFrom(v, dt) }
