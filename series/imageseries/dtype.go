package imageseries

import (
	"math"
	"strings"

	"qpgo/core/qperr"
	"qpgo/internal/dtype"
)

// DType is the element type of a frame: the one enum of internal/dtype
// (shared with core/h5 and the qpgo_dtype codes of the C ABI). Frames are
// numeric: Bool is never a frame type here.
type DType = dtype.DType

// The element types a series can have (internal/dtype).
const (
	Invalid = dtype.Invalid
	Uint8   = dtype.Uint8
	Int8    = dtype.Int8
	Uint16  = dtype.Uint16
	Int16   = dtype.Int16
	Uint32  = dtype.Uint32
	Int32   = dtype.Int32
	Uint64  = dtype.Uint64
	Int64   = dtype.Int64
	Float32 = dtype.Float32
	Float64 = dtype.Float64
)

// ParseDType accepts NumPy dtype spellings of the numeric types: names
// ("uint16", "float32", "float", "double", "int"), type codes with or
// without byte order ("u2", "<u2", ">f4", "|u1") and one-letter codes
// ("B", "H", "f", "d" ...). big reports an explicit big-endian marker; the
// value type does not depend on it.
func ParseDType(s string) (dt DType, big bool, err error) {
	dt, big, err = dtype.Parse(s)
	if err == nil && dt == dtype.Bool {
		return Invalid, false, qperr.New(qperr.BadArgument, "data type %q not understood", strings.TrimLeft(strings.TrimSpace(s), "<>|="))
	}
	return dt, big, err
}

// Promote is NumPy's result type of an array-array operation between a and b.
func Promote(a, b DType) DType { return dtype.Promote(a, b) }

type number interface {
	~uint8 | ~int8 | ~uint16 | ~int16 | ~uint32 | ~int32 | ~uint64 | ~int64 | ~float32 | ~float64
}

// dataDType reports the element type of a typed numeric slice (Invalid
// otherwise, []bool included).
func dataDType(data any) DType {
	if d := dtype.Of(data); d != dtype.Bool {
		return d
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
