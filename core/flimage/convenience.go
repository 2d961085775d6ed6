package flimage

import (
	"fmt"
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
	return qpimage.MetaAttrs(m), nil
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
	return qpimage.SetMetaAttr(f.G.Attrs(), meta.KeysFL, key, value)
}

// Identifier returns the "identifier" meta value or "".
func (f *FLImage) Identifier() string { return qpimage.AttrString(f.G.Attrs(), "identifier") }

// Repr is upstream's "FLImage <identifier or hex id>, HxWpx" (plus the
// wavelength as QPImage writes it if a "wavelength" attribute exists).
func (f *FLImage) Repr() string {
	shape, err := f.Shape()
	if err != nil {
		shape = nil
	}
	return qpimage.FormatRepr("FLImage", f.Identifier(), uintptr(unsafe.Pointer(f)), shape, f.G.Attrs())
}

// InfoItem is one (name, value) of info.
type InfoItem = imagedata.InfoItem

// Info is upstream FLImage.info: every root attribute in name order, then
// the background entries of the fluorescence image ("fluorescence
// background <attr>", including the IMAGE attributes of disk files).
func (f *FLImage) Info() ([]InfoItem, error) { return qpimage.InfoOf(f.G, f.fl) }

// Equal is upstream __eq__: same shape, numpy.allclose of fl (NaN is never
// close) and equal values of the DATA keys ("pixel size", "time") present,
// compared as the ordered list upstream builds (numbers by value, so 1 and
// 1.0 are equal as in Python). A nil other is not equal.
func (f *FLImage) Equal(other *FLImage) (bool, error) {
	if eq, err := qpimage.EqualData(f, other, (*FLImage).Shape, (*FLImage).Fl); !eq || err != nil {
		return false, err
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

// Range is a Python slice of one axis (see qpimage.Range).
type Range = qpimage.Range

// Slice is fli[rows, cols] with Python slice semantics: a new in-memory
// FLImage of raw_fl[given] with the same meta data. Unlike upstream
// (defect F2) the background is carried over: when the image has any
// background, bg_fl[given] becomes the slice's "data" background, so
// Slice(...).Fl() equals Fl()[given]. The slice is stored as float64 if
// raw is float64, else float32. One range slices the rows only.
func (f *FLImage) Slice(ranges ...Range) (*FLImage, error) {
	if err := qpimage.CheckSliceRanges(ranges); err != nil {
		return nil, err
	}
	shape, err := f.Shape()
	if err != nil {
		return nil, err
	}
	if len(shape) != 2 {
		return nil, qperr.New(qperr.BadArgument, "slicing needs a 2-D image, got shape %s", qpimage.PyShape(shape))
	}
	sl, err := qpimage.NewSlicer(shape, ranges...)
	if err != nil {
		return nil, err
	}
	if len(sl.Rows) == 0 || len(sl.Cols) == 0 {
		return nil, qperr.New(qperr.BadArgument, "`data` with shape (%d, %d) has zero size!", len(sl.Rows), len(sl.Cols))
	}
	raw, _, err := f.RawFl()
	if err != nil {
		return nil, err
	}
	nshape := sl.Shape()
	data := &Array{Data: sl.Take(raw), Shape: nshape}
	var bg *Array
	if keys, err := f.fl.BGKeys(); err != nil {
		return nil, err
	} else if len(keys) > 0 {
		b, _, err := f.BgFl()
		if err != nil {
			return nil, err
		}
		bg = &Array{Data: sl.Take(b), Shape: nshape}
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
