package imageseries

import (
	"fmt"
	"maps"

	"qpgo/core/qperr"
	"qpgo/internal/npy"
)

// ImageSeries is a sequence of equally shaped 2-D frames (hexrd's
// ImageSeries). Frame accepts negative indices from -Len() (Python
// sequence rules); any other out-of-range index is an error.
type ImageSeries interface {
	Len() int
	Frame(i int) (Frame, error)
	// Shape is the shape of ONE frame, [rows, cols].
	Shape() []int
	DType() DType
	// Metadata is the series' metadata. Adapters return their own map; it
	// must be treated as read-only (use Clone to modify).
	Metadata() Metadata
}

// RegionReader is implemented by series that can read part of a frame
// cheaper than the whole frame (frame caches, raw files, processed series).
type RegionReader interface {
	Region(i int, r Rect) (Frame, error)
}

// Metadata maps keys to values. Values are float64, int64, bool, string,
// []any, map[string]any (nested), or *npy.Array for NumPy arrays. String
// arrays are *npy.Array with DType "S<n>" (bytes) or "U<n>" (unicode) and
// Data []string.
type Metadata map[string]any

// Clone returns a deep copy (arrays and nested maps are copied).
func (m Metadata) Clone() Metadata {
	if m == nil {
		return Metadata{}
	}
	out := make(Metadata, len(m))
	for k, v := range m {
		out[k] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch x := v.(type) {
	case *npy.Array:
		c := &npy.Array{Shape: append([]int(nil), x.Shape...), DType: x.DType}
		switch d := x.Data.(type) {
		case []string:
			c.Data = append([]string(nil), d...)
		case []bool:
			c.Data = append([]bool(nil), d...)
		default:
			if dt := dataDType(d); dt != Invalid {
				c.Data = castTo(d, dt)
			} else {
				c.Data = d
			}
		}
		return c
	case map[string]any:
		out := maps.Clone(x)
		for k, e := range out {
			out[k] = cloneValue(e)
		}
		return out
	case Metadata:
		return x.Clone()
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cloneValue(e)
		}
		return out
	}
	return v
}

// normIndex applies Python sequence rules to a frame index.
func normIndex(i, n int) (int, error) {
	if i < 0 {
		i += n
	}
	if i < 0 || i >= n {
		return 0, qperr.New(qperr.NotFound, "index %d out of range for image series of length %d", i, n)
	}
	return i, nil
}

// GetRegion returns frame i restricted to r (hexrd get_region), using the
// series' own RegionReader when it has one.
func GetRegion(ims ImageSeries, i int, r Rect) (Frame, error) {
	if rr, ok := ims.(RegionReader); ok {
		return rr.Region(i, r)
	}
	f, err := ims.Frame(i)
	if err != nil {
		return Frame{}, err
	}
	return f.Sub(r), nil
}

// Points returns frame i at the positions (rows[k], cols[k]) — hexrd's fancy
// index ims[i, rows, cols] — as a 1×len(rows) frame.
func Points(ims ImageSeries, i int, rows, cols []int) (Frame, error) {
	f, err := ims.Frame(i)
	if err != nil {
		return Frame{}, err
	}
	return f.Pick(rows, cols)
}

// checkFrame verifies that an adapter produced a frame of the series shape.
func checkFrame(f Frame, rows, cols int, what string) error {
	if f.Rows != rows || f.Cols != cols || dataLen(f.Data) != rows*cols {
		return qperr.New(qperr.Integrity, "%s: frame shape (%d, %d), expected (%d, %d)", what, f.Rows, f.Cols, rows, cols)
	}
	return nil
}

func shapeString(s []int) string { return fmt.Sprint(s) }
