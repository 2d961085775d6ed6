package qpimage

import (
	"fmt"
	"math"

	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/meta"
	"qpgo/core/qperr"
)

// This file holds the pieces QPImage shares with flimage.FLImage (and the
// series packages): meta attribute access, repr, info, equality, slicing
// and closing an owned file.

// AttrString returns a string (or bytes) attribute as a string, "" when
// it is absent or of another type.
func AttrString(a h5.Attrs, name string) string {
	v, err := a.Get(name)
	if err != nil {
		return ""
	}
	switch s := v.(type) {
	case string:
		return s
	case h5.Bytes:
		return string(s)
	}
	return ""
}

// SetMetaAttr is img[key] = value for an image whose meta data keys are
// valid: an unknown key is UnknownKey, the value is checked.
func SetMetaAttr(a h5.Attrs, valid []string, key string, value any) error {
	if !meta.NewDict(valid).Valid(key) {
		return qperr.New(qperr.UnknownKey, "Unknown meta data key: %s", key)
	}
	if err := meta.CheckValue(key, value); err != nil {
		return err
	}
	return a.Set(key, value)
}

// MetaAttrs returns the items of d as ordered attributes (d's key order).
func MetaAttrs(d *meta.Dict) []imagedata.Attr {
	out := make([]imagedata.Attr, 0, d.Len())
	for _, k := range d.Keys() {
		v, _ := d.Get(k)
		out = append(out, imagedata.Attr{Name: k, Value: v})
	}
	return out
}

// FormatRepr is upstream's image repr "<kind> <id>, HxWpx, λ=550.0nm":
// addr in hex when id is "", the size when shape has two or more axes,
// and the wavelength when a (numeric) "wavelength" attribute exists.
func FormatRepr(kind, id string, addr uintptr, shape []int, a h5.Attrs) string {
	if id == "" {
		id = fmt.Sprintf("0x%x", addr)
	}
	s := fmt.Sprintf("%s <%s>", kind, id)
	if len(shape) >= 2 {
		s += fmt.Sprintf(", %dx%dpx", shape[0], shape[1])
	}
	if v, err := a.Get("wavelength"); err == nil {
		if wl, err := meta.AsFloat("wavelength", v); err == nil {
			if wl > 10e-9 && wl < 2000e-9 {
				s += fmt.Sprintf(", λ=%.1fnm", wl*1e9)
			} else {
				s += ", λ=" + pyExp(wl, 2) + "m"
			}
		}
	}
	return s
}

// InfoOf is upstream's image info: every root attribute of g in name
// order, then the background entries of each image kind.
func InfoOf(g *h5.Group, kinds ...*imagedata.ImageData) ([]InfoItem, error) {
	a := g.Attrs()
	names, err := a.Names()
	if err != nil {
		return nil, err
	}
	var out []InfoItem
	for _, n := range names {
		v, err := a.Get(n)
		if err != nil {
			return nil, err
		}
		out = append(out, InfoItem{Name: n, Value: v})
	}
	for _, d := range kinds {
		items, err := d.Info()
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	return out, nil
}

// EqualData is the data part of upstream's image __eq__: same shape and
// AllClose for every image getter. A nil other is not equal.
func EqualData[T comparable](img, other T, shape func(T) ([]int, error), data ...func(T) ([]float64, []int, error)) (bool, error) {
	var zero T
	if other == zero {
		return false, nil
	}
	s1, err := shape(img)
	if err != nil {
		return false, err
	}
	s2, err := shape(other)
	if err != nil {
		return false, err
	}
	if fmt.Sprint(s1) != fmt.Sprint(s2) {
		return false, nil
	}
	for _, get := range data {
		a, _, err := get(img)
		if err != nil {
			return false, err
		}
		b, _, err := get(other)
		if err != nil {
			return false, err
		}
		if !AllClose(a, b) {
			return false, nil
		}
	}
	return true, nil
}

// AllClose is numpy.allclose(a, b) with rtol 1e-5, atol 1e-8 (NaN is never
// close).
func AllClose(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.IsNaN(a[i]) || math.IsNaN(b[i]) {
			return false
		}
		if math.IsInf(a[i], 0) || math.IsInf(b[i], 0) {
			if a[i] != b[i] {
				return false
			}
			continue
		}
		if math.Abs(a[i]-b[i]) > 1e-8+1e-5*math.Abs(b[i]) {
			return false
		}
	}
	return true
}

// Slicer selects rows and columns of a row-major 2-D image (upstream
// __getitem__ with a slice or a tuple of two slices).
type Slicer struct {
	Rows, Cols []int
	width      int
}

// NewSlicer resolves ranges against a 2-D shape; one range slices the
// rows only.
func NewSlicer(shape []int, ranges ...Range) (*Slicer, error) {
	rows, err := ranges[0].Indices(shape[0])
	if err != nil {
		return nil, err
	}
	cols, err := Full.Indices(shape[1])
	if err != nil {
		return nil, err
	}
	if len(ranges) == 2 {
		if cols, err = ranges[1].Indices(shape[1]); err != nil {
			return nil, err
		}
	}
	return &Slicer{Rows: rows, Cols: cols, width: shape[1]}, nil
}

// CheckSliceRanges fails unless there are one or two ranges.
func CheckSliceRanges(ranges []Range) error {
	if len(ranges) == 0 || len(ranges) > 2 {
		return qperr.New(qperr.BadArgument, "Only slicing and meta data keys allowed for `__getitem__`")
	}
	return nil
}

// Shape is the shape of the selection.
func (s *Slicer) Shape() []int { return []int{len(s.Rows), len(s.Cols)} }

// Take returns the selected elements of v.
func (s *Slicer) Take(v []float64) []float64 {
	out := make([]float64, 0, len(s.Rows)*len(s.Cols))
	for _, r := range s.Rows {
		for _, c := range s.Cols {
			out = append(out, v[r*s.width+c])
		}
	}
	return out
}

// CloseOwned is Close of an image or series in group g: when owns, the
// file is flushed (if written to disk) and closed; a closed file is left
// alone.
func CloseOwned(g *h5.Group, owns bool) error {
	if !owns {
		return nil
	}
	f := g.File()
	if f.Closed() {
		return nil
	}
	if f.Writable() && !f.InMemory() {
		if err := f.Flush(); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}
