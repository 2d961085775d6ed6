package flimage

import (
	"fmt"
	"math"
	"unsafe"

	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/meta"
	"qpgo/core/qperr"
	"qpgo/core/qpimage"
)

// Meta reads all root attributes into an FLMetaDict (keys meta.KeysFL). A
// foreign attribute makes it fail with UnknownKey, as upstream does.
func (f *FLImage) Meta() (*meta.Dict, error) { return qpimage.ReadMeta(f.G, meta.KeysFL) }

// MetaAttrs returns the meta data as ordered attributes (name order), ready
// to pass as Options.Meta (upstream meta_data=fli.meta).
func (f *FLImage) MetaAttrs() ([]imagedata.Attr, error) {
	m, err := f.Meta()
	if err != nil {
		return nil, err
	}
	out := make([]imagedata.Attr, 0, m.Len())
	for _, k := range m.Keys() {
		v, _ := m.Get(k)
		out = append(out, imagedata.Attr{Name: k, Value: v})
	}
	return out, nil
}

// GetMeta is fli[key] for a string key: UnknownKey for a key outside
// meta.KeysFL, MissingMeta (MetaDataMissingError text) for a valid key that
// is not set.
func (f *FLImage) GetMeta(key string) (any, error) {
	d, err := f.Meta()
	if err != nil {
		return nil, err
	}
	return d.Get(key)
}

// HasMeta is `key in fli`: any root attribute of that name.
func (f *FLImage) HasMeta(key string) bool { return f.G.Attrs().Has(key) }

// SetMeta is fli[key] = value: the key must be in meta.KeysFL.
func (f *FLImage) SetMeta(key string, value any) error {
	if !meta.NewDict(meta.KeysFL).Valid(key) {
		return qperr.New(qperr.UnknownKey, "Unknown meta data key: %s", key)
	}
	if err := meta.CheckValue(key, value); err != nil {
		return err
	}
	return f.G.Attrs().Set(key, value)
}

// Identifier returns the "identifier" meta value or "".
func (f *FLImage) Identifier() string { return attrString(f.G.Attrs(), "identifier") }

func attrString(a h5.Attrs, name string) string {
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

// Repr is upstream's "FLImage <identifier or hex id>, HxWpx" (plus the
// wavelength as QPImage writes it if a "wavelength" attribute exists).
func (f *FLImage) Repr() string {
	id := f.Identifier()
	if id == "" {
		id = fmt.Sprintf("0x%x", uintptr(unsafe.Pointer(f)))
	}
	s := fmt.Sprintf("FLImage <%s>", id)
	if shape, err := f.Shape(); err == nil && len(shape) >= 2 {
		s += fmt.Sprintf(", %dx%dpx", shape[0], shape[1])
	}
	if v, err := f.G.Attrs().Get("wavelength"); err == nil {
		if wl, err := meta.AsFloat("wavelength", v); err == nil {
			if wl > 10e-9 && wl < 2000e-9 {
				s += fmt.Sprintf(", λ=%.1fnm", wl*1e9)
			} else {
				s += fmt.Sprintf(", λ=%.2em", wl)
			}
		}
	}
	return s
}

// InfoItem is one (name, value) of info.
type InfoItem = imagedata.InfoItem

// Info is upstream FLImage.info: every root attribute in name order, then
// the background entries of the fluorescence image ("fluorescence
// background <attr>", including the IMAGE attributes of disk files).
func (f *FLImage) Info() ([]InfoItem, error) {
	a := f.G.Attrs()
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
	items, err := f.fl.Info()
	if err != nil {
		return nil, err
	}
	return append(out, items...), nil
}

// Equal is upstream __eq__: same shape, numpy.allclose of fl (NaN is never
// close) and equal values of the DATA keys ("pixel size", "time") present,
// compared as the ordered list upstream builds (numbers by value, so 1 and
// 1.0 are equal as in Python). A nil other is not equal.
func (f *FLImage) Equal(other *FLImage) (bool, error) {
	if other == nil {
		return false, nil
	}
	s1, err := f.Shape()
	if err != nil {
		return false, err
	}
	s2, err := other.Shape()
	if err != nil {
		return false, err
	}
	if fmt.Sprint(s1) != fmt.Sprint(s2) {
		return false, nil
	}
	a, _, err := f.Fl()
	if err != nil {
		return false, err
	}
	b, _, err := other.Fl()
	if err != nil {
		return false, err
	}
	if !allClose(a, b) {
		return false, nil
	}
	m1, err := f.Meta()
	if err != nil {
		return false, err
	}
	m2, err := other.Meta()
	if err != nil {
		return false, err
	}
	var v1, v2 []any
	for _, k := range meta.DataKeysFL {
		if v, err := m1.Get(k); err == nil {
			v1 = append(v1, v)
		}
		if v, err := m2.Get(k); err == nil {
			v2 = append(v2, v)
		}
	}
	if len(v1) != len(v2) {
		return false, nil
	}
	for i := range v1 {
		if !pyEqual(v1[i], v2[i]) {
			return false, nil
		}
	}
	return true, nil
}

// pyEqual compares two meta values like Python ==: numbers by value.
func pyEqual(a, b any) bool {
	x, errA := meta.AsFloat("", a)
	y, errB := meta.AsFloat("", b)
	if errA == nil && errB == nil {
		return x == y
	}
	return fmt.Sprintf("%T:%v", a, a) == fmt.Sprintf("%T:%v", b, b)
}

// allClose is numpy.allclose(a, b) with rtol 1e-5, atol 1e-8.
func allClose(a, b []float64) bool {
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

// Range is a Python slice of one axis (see qpimage.Range).
type Range = qpimage.Range

// Slice is fli[rows, cols] with Python slice semantics: a new in-memory
// FLImage of raw_fl[given] with the same meta data. Unlike upstream
// (defect F2) the background is carried over: when the image has any
// background, bg_fl[given] becomes the slice's "data" background, so
// Slice(...).Fl() equals Fl()[given]. The slice is stored as float64 if
// raw is float64, else float32. One range slices the rows only.
func (f *FLImage) Slice(ranges ...Range) (*FLImage, error) {
	if len(ranges) == 0 || len(ranges) > 2 {
		return nil, qperr.New(qperr.BadArgument, "Only slicing and meta data keys allowed for `__getitem__`")
	}
	shape, err := f.Shape()
	if err != nil {
		return nil, err
	}
	if len(shape) != 2 {
		return nil, qperr.New(qperr.BadArgument, "slicing needs a 2-D image, got shape %s", pyShape(shape))
	}
	rows, err := indices(ranges[0], shape[0])
	if err != nil {
		return nil, err
	}
	cols, err := indices(Range{Step: 1}, shape[1])
	if err != nil {
		return nil, err
	}
	if len(ranges) == 2 {
		if cols, err = indices(ranges[1], shape[1]); err != nil {
			return nil, err
		}
	}
	if len(rows) == 0 || len(cols) == 0 {
		return nil, qperr.New(qperr.BadArgument, "`data` with shape (%d, %d) has zero size!", len(rows), len(cols))
	}
	take := func(v []float64) []float64 {
		out := make([]float64, 0, len(rows)*len(cols))
		for _, r := range rows {
			for _, c := range cols {
				out = append(out, v[r*shape[1]+c])
			}
		}
		return out
	}
	raw, _, err := f.RawFl()
	if err != nil {
		return nil, err
	}
	nshape := []int{len(rows), len(cols)}
	data := &Array{Data: take(raw), Shape: nshape}
	var bg *Array
	if keys, err := f.fl.BGKeys(); err != nil {
		return nil, err
	} else if len(keys) > 0 {
		b, _, err := f.BgFl()
		if err != nil {
			return nil, err
		}
		bg = &Array{Data: take(b), Shape: nshape}
	}
	opt := DefaultOptions()
	if dt, err := f.DType(); err == nil && dt == h5.Float64 {
		opt.H5DType = h5.Float64
	}
	if opt.Meta, err = f.MetaAttrs(); err != nil {
		return nil, err
	}
	return NewInMemory(data, bg, opt)
}

// indices resolves a slice like Python's slice.indices(n) and lists the
// selected indices.
func indices(r Range, n int) ([]int, error) {
	step := r.Step
	if step == 0 {
		if r == (Range{}) {
			step = 1
		} else {
			return nil, qperr.New(qperr.BadArgument, "slice step cannot be zero")
		}
	}
	clamp := func(v, lo, hi int) int { return max(lo, min(hi, v)) }
	resolve := func(v int) int {
		if !r.Resolved && v < 0 {
			v += n
		}
		if step > 0 {
			return clamp(v, 0, n)
		}
		return clamp(v, -1, n-1)
	}
	var start, stop int
	if step > 0 {
		start, stop = 0, n
	} else {
		start, stop = n-1, -1
	}
	if r.HasStart || r.Resolved {
		start = resolve(r.Start)
	}
	if r.HasStop || r.Resolved {
		stop = resolve(r.Stop)
	}
	var out []int
	for i := start; (step > 0 && i < stop) || (step < 0 && i > stop); i += step {
		out = append(out, i)
	}
	return out, nil
}

// CopyToMemory is copy() with h5file=None: a new in-memory FLImage.
func (f *FLImage) CopyToMemory() (*FLImage, error) {
	mf, err := h5.CreateInMemory(fmt.Sprintf("flimage%d.h5", instances.Load()))
	if err != nil {
		return nil, err
	}
	if err := qpimage.CopyH5(f.G, mf.Root()); err != nil {
		mf.Close()
		return nil, err
	}
	c, err := build(mf.Root(), nil, nil, Options{H5DType: f.H5DType})
	if err != nil {
		mf.Close()
		return nil, err
	}
	c.ownsFile = true
	return c, nil
}

// CopyToFile is copy(h5file=path): the tree is written to a new file (mode
// "w"; through a temporary file renamed into place), which is then reopened
// with mode "a".
func (f *FLImage) CopyToFile(path string) (*FLImage, error) {
	if err := qpimage.WriteCopy(f.G, path); err != nil {
		return nil, err
	}
	return NewFile(path, "a", nil, nil, Options{H5DType: f.H5DType})
}

// CopyToGroup is copy(h5file=<group>): the group's content is replaced by
// a copy of this image (qpimage copyh5 rules: datasets rewritten for the
// target driver, attributes copied, hard links not preserved).
func (f *FLImage) CopyToGroup(g *h5.Group) (*FLImage, error) {
	if err := qpimage.CopyH5(f.G, g); err != nil {
		return nil, err
	}
	return build(g, nil, nil, Options{H5DType: f.H5DType})
}
