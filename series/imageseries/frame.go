package imageseries

import (
	"qpgo/core/qperr"
)

// Frame is one 2-D image in row-major order. Data is a typed slice
// ([]uint8, []int8, []uint16, []int16, []uint32, []int32, []uint64, []int64,
// []float32 or []float64) of Rows*Cols elements, so integer detector frames
// stay in their own type instead of being widened to float64.
type Frame struct {
	Rows, Cols int
	Data       any
}

// NewFrame checks that data is a supported typed slice of rows*cols elements.
func NewFrame(rows, cols int, data any) (Frame, error) {
	if rows < 0 || cols < 0 {
		return Frame{}, qperr.New(qperr.BadArgument, "negative frame shape (%d, %d)", rows, cols)
	}
	n := dataLen(data)
	if n < 0 {
		return Frame{}, qperr.New(qperr.BadArgument, "unsupported frame data type %T", data)
	}
	if n != rows*cols {
		return Frame{}, qperr.New(qperr.BadArgument, "frame data has %d elements, shape (%d, %d) needs %d", n, rows, cols, rows*cols)
	}
	return Frame{Rows: rows, Cols: cols, Data: data}, nil
}

// ZeroFrame returns a frame of zeros.
func ZeroFrame(rows, cols int, dt DType) Frame {
	return Frame{Rows: rows, Cols: cols, Data: newData(dt, rows*cols)}
}

// DType is the element type.
func (f Frame) DType() DType { return dataDType(f.Data) }

// Shape is [Rows, Cols].
func (f Frame) Shape() []int { return []int{f.Rows, f.Cols} }

// Float64 returns the values widened to float64 (a new slice).
func (f Frame) Float64() []float64 { return toFloat64(f.Data) }

// At returns element (r, c) as float64.
func (f Frame) At(r, c int) float64 {
	if o := opsOf(f.Data); o != nil {
		return o.at(f.Data, r*f.Cols+c)
	}
	return 0
}

// Clone returns a deep copy.
func (f Frame) Clone() Frame {
	return Frame{Rows: f.Rows, Cols: f.Cols, Data: castTo(f.Data, f.DType())}
}

// AsType returns the frame converted to dt (NumPy astype; a copy even if the
// type is unchanged).
func (f Frame) AsType(dt DType) Frame {
	return Frame{Rows: f.Rows, Cols: f.Cols, Data: castTo(f.Data, dt)}
}

// Rect is a region ((R0, R1), (C0, C1)) with half-open bounds, as in
// hexrd's get_region.
type Rect struct{ R0, R1, C0, C1 int }

// clip maps the rectangle onto a rows×cols frame with Python slice rules
// (negative bounds count from the end, out-of-range bounds are clipped,
// empty when stop <= start).
func (r Rect) clip(rows, cols int) Rect {
	return Rect{clipIdx(r.R0, rows), clipIdx(r.R1, rows), clipIdx(r.C0, cols), clipIdx(r.C1, cols)}
}

func clipIdx(i, n int) int {
	if i < 0 {
		i += n
		if i < 0 {
			i = 0
		}
	}
	if i > n {
		i = n
	}
	return i
}

// Sub returns the rectangle r of the frame (a copy), with Python slice rules.
func (f Frame) Sub(r Rect) Frame {
	c := r.clip(f.Rows, f.Cols)
	nr, nc := max(c.R1-c.R0, 0), max(c.C1-c.C0, 0)
	if o := opsOf(f.Data); o != nil {
		return Frame{nr, nc, o.sub(f.Data, f.Cols, c, nr, nc)}
	}
	return Frame{}
}

func subRect[T any](v []T, cols int, c Rect, nr, nc int) []T {
	out := make([]T, nr*nc)
	for r := 0; r < nr; r++ {
		copy(out[r*nc:(r+1)*nc], v[(c.R0+r)*cols+c.C0:])
	}
	return out
}

// Pick returns the elements at (rows[k], cols[k]) as a 1×len(rows) frame
// (NumPy fancy indexing frame[rows, cols]); negative indices count from the
// end, out-of-range ones are an error.
func (f Frame) Pick(rows, cols []int) (Frame, error) {
	if len(rows) != len(cols) {
		return Frame{}, qperr.New(qperr.BadArgument, "shape mismatch: indexing arrays could not be broadcast together with shapes (%d,) (%d,)", len(rows), len(cols))
	}
	idx := make([]int, len(rows))
	for k := range rows {
		r, c := rows[k], cols[k]
		if r < 0 {
			r += f.Rows
		}
		if c < 0 {
			c += f.Cols
		}
		if r < 0 || r >= f.Rows || c < 0 || c >= f.Cols {
			return Frame{}, qperr.New(qperr.NotFound, "index (%d, %d) is out of bounds for frame of shape (%d, %d)", rows[k], cols[k], f.Rows, f.Cols)
		}
		idx[k] = r*f.Cols + c
	}
	return Frame{1, len(idx), gather(f.Data, idx)}, nil
}

func gather(data any, idx []int) any {
	if o := opsOf(data); o != nil {
		return o.gather(data, idx)
	}
	return nil
}

func gatherT[T any](v []T, idx []int) []T {
	out := make([]T, len(idx))
	for k, i := range idx {
		out[k] = v[i]
	}
	return out
}
