package imageseries

import "unsafe"

// elemOps is every operation the package applies to a typed frame slice
// (held as any), written once as a generic elem[T] and dispatched once per
// call through opsOf / opsFor: the hot loops are the typed generic kernels,
// instantiated per element type.
type elemOps interface {
	make(n int) any
	len(data any) int
	slice(data any, lo, hi int) any
	at(data any, i int) float64
	index(data any, i int) any
	toFloat64(data any) []float64
	castTo(data any, dt DType) any
	sub(data any, cols int, c Rect, nr, nc int) any
	gather(data any, idx []int) any
	flip(data any, rows, cols int, code string) Frame
	flipInto(data, dst any, rows, cols int, code string)
	insert(data any, rows, cols, index, axis int) Frame
	scatter(sf *sparseFrame, cr Rect, nc int, out any)
	fill(sf *sparseFrame, nc int, out any)
	ijv(data any, cols int, th float64) ([]uint16, []uint16, any)
	appendTo(dst, src any) any
	copyInto(dst any, off int, src any)
	extreme(acc, x any, isMax bool)
	addF64(acc []float64, data any)
	addF32(acc []float32, data any)
	bandPct(buf any, nf, npix int, q float64, out []float32, workers int) error
	fold(ims ImageSeries, nf int, kind statKind) (Frame, error)
	darkInto(img any, dark []float64, out any)
	rawBytes(data any) (unsafe.Pointer, int, int)
	view(p unsafe.Pointer, n int) any
}

type elem[T number] struct{}

var elemOpsTable = [...]elemOps{
	Uint8: elem[uint8]{}, Int8: elem[int8]{}, Uint16: elem[uint16]{}, Int16: elem[int16]{},
	Uint32: elem[uint32]{}, Int32: elem[int32]{}, Uint64: elem[uint64]{}, Int64: elem[int64]{},
	Float32: elem[float32]{}, Float64: elem[float64]{},
}

// opsFor is the operations of dt (nil for an unknown type).
func opsFor(dt DType) elemOps {
	if dt <= 0 || int(dt) >= len(elemOpsTable) {
		return nil
	}
	return elemOpsTable[dt]
}

// opsOf is the operations of data's element type (nil if data is not a
// typed numeric slice).
func opsOf(data any) elemOps { return opsFor(dataDType(data)) }

func (elem[T]) make(n int) any { return make([]T, n) }

func (elem[T]) len(data any) int { return len(data.([]T)) }

func (elem[T]) slice(data any, lo, hi int) any { return data.([]T)[lo:hi:hi] }

func (elem[T]) at(data any, i int) float64 { return float64(data.([]T)[i]) }

func (elem[T]) index(data any, i int) any { return data.([]T)[i] }

func (elem[T]) toFloat64(data any) []float64 { return convSlice[T, float64](data.([]T)) }

func (elem[T]) castTo(data any, dt DType) any { return castFrom(data.([]T), dt) }

func (elem[T]) sub(data any, cols int, c Rect, nr, nc int) any {
	return subRect(data.([]T), cols, c, nr, nc)
}

func (elem[T]) gather(data any, idx []int) any { return gatherT(data.([]T), idx) }

func (elem[T]) flip(data any, rows, cols int, code string) Frame {
	return flipT(data.([]T), rows, cols, code)
}

func (elem[T]) flipInto(data, dst any, rows, cols int, code string) {
	flipIntoT(data.([]T), dst.([]T), rows, cols, code)
}

func (elem[T]) insert(data any, rows, cols, index, axis int) Frame {
	return insertT(data.([]T), rows, cols, index, axis)
}

func (elem[T]) scatter(sf *sparseFrame, cr Rect, nc int, out any) {
	scatterT(sf, cr, nc, sf.data.([]T), out.([]T))
}

func (elem[T]) fill(sf *sparseFrame, nc int, out any) {
	fillT(sf, nc, sf.data.([]T), out.([]T))
}

func (elem[T]) ijv(data any, cols int, th float64) ([]uint16, []uint16, any) {
	return ijv(data.([]T), cols, th)
}

func (elem[T]) appendTo(dst, src any) any { return append(dst.([]T), src.([]T)...) }

func (elem[T]) copyInto(dst any, off int, src any) { copy(dst.([]T)[off:], src.([]T)) }

func (elem[T]) extreme(acc, x any, isMax bool) { extremeT(acc.([]T), x.([]T), isMax) }

func (elem[T]) addF64(acc []float64, data any) { addT(acc, data.([]T)) }

func (elem[T]) addF32(acc []float32, data any) { addF32(acc, data.([]T)) }

func (elem[T]) bandPct(buf any, nf, npix int, q float64, out []float32, workers int) error {
	return bandPctT(buf.([]T), nf, npix, q, out, workers)
}

// fold: small integer types (at most 16 bits) pass their largest magnitude,
// which enables foldT's exact int32 average.
func (elem[T]) fold(ims ImageSeries, nf int, kind statKind) (Frame, error) {
	dt, maxAbs := ims.DType(), 0.0
	if !dt.IsFloat() && dt.Size() <= 2 {
		maxAbs = max(dt.Max(), -dt.Min())
	}
	return foldT[T](ims, nf, kind, maxAbs)
}

func (elem[T]) darkInto(img any, dark []float64, out any) { darkInto(img.([]T), dark, out) }

func (elem[T]) view(p unsafe.Pointer, n int) any { return unsafe.Slice((*T)(p), n) }

func (elem[T]) rawBytes(data any) (unsafe.Pointer, int, int) {
	v := data.([]T)
	var z T
	return firstPtr(v), len(v), int(unsafe.Sizeof(z))
}

// pairOps is the operations from source element type S to a destination
// type chosen at run time (pairFor), written once as pair[S, D].
type pairOps[S number] interface {
	cast(v []S) any
	dark(img []S, dark []float64, out any)
}

type pair[S, D number] struct{}

func (pair[S, D]) cast(v []S) any { return castSlice[S, D](v) }

func (pair[S, D]) dark(img []S, dark []float64, out any) { darkLoop(img, dark, out.([]D)) }

// pairFor is the pair from S to dt (nil if dt is unknown).
func pairFor[S number](dt DType) pairOps[S] {
	ps := [...]pairOps[S]{
		Uint8: pair[S, uint8]{}, Int8: pair[S, int8]{}, Uint16: pair[S, uint16]{}, Int16: pair[S, int16]{},
		Uint32: pair[S, uint32]{}, Int32: pair[S, int32]{}, Uint64: pair[S, uint64]{}, Int64: pair[S, int64]{},
		Float32: pair[S, float32]{}, Float64: pair[S, float64]{},
	}
	if dt <= 0 || int(dt) >= len(ps) {
		return nil
	}
	return ps[dt]
}

// DataBytes views the memory of a typed numeric slice as bytes (nil for
// an empty or non-numeric slice).
func DataBytes(data any) []byte {
	ptr, n, size := rawBytes(data)
	if ptr == nil || n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(ptr), n*size)
}

// View is a typed slice of n elements of dt over the memory at p, e.g. a
// C caller's buffer (nil for an unknown dtype). The caller keeps p alive
// and aligned for dt while the slice is used.
func View(dt DType, p unsafe.Pointer, n int) any {
	if o := opsFor(dt); o != nil {
		return o.view(p, n)
	}
	return nil
}

func rawBytes(data any) (unsafe.Pointer, int, int) {
	if o := opsOf(data); o != nil {
		return o.rawBytes(data)
	}
	return nil, 0, 0
}

func firstPtr[T any](v []T) unsafe.Pointer {
	if len(v) == 0 {
		return nil
	}
	return unsafe.Pointer(&v[0])
}
