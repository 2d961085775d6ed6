package flimage

import (
	"fmt"
	"sync/atomic"

	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/meta"
	"qpgo/core/qperr"
	"qpgo/core/qpimage"
)

// Array is a row-major float64 image with its shape (2-D for image data).
type Array struct {
	Data  []float64
	Shape []int
}

// Options are the FLImage constructor arguments other than data.
type Options struct {
	// H5DType is the storage type of image datasets (Float32 default, or
	// Float64). It is not persisted: an image reopened from a file writes
	// new datasets as Float32.
	H5DType h5.DType
	// Meta is written as root attributes in this order; keys must be in
	// meta.KeysFL.
	Meta []imagedata.Attr
}

// DefaultOptions are upstream's defaults (h5dtype="float32", no meta data).
func DefaultOptions() Options { return Options{H5DType: h5.Float32} }

// FLImage is a fluorescence image in an HDF5 group.
type FLImage struct {
	G        *h5.Group
	H5DType  h5.DType
	fl       *imagedata.ImageData
	ownsFile bool // Close closes the file (upstream _do_h5_cleanup)
}

var instances atomic.Int64

// NewInMemory creates an FLImage in a new in-memory file (h5file=None).
// data may be nil (an empty image), bg is an optional "data" background.
func NewInMemory(data, bg *Array, opt Options) (*FLImage, error) {
	if err := precheck(data, bg, opt); err != nil {
		return nil, err
	}
	f, err := h5.CreateInMemory(fmt.Sprintf("flimage%d.h5", instances.Load()))
	if err != nil {
		return nil, err
	}
	fli, err := build(f.Root(), data, bg, opt)
	if err != nil {
		f.Close()
		return nil, err
	}
	fli.ownsFile = true
	return fli, nil
}

// NewFile creates or opens the file at path with an h5py mode and builds an
// FLImage in its root (h5file=path). With data nil it opens an existing
// image (and writes opt.Meta, which needs a writable mode).
func NewFile(path, mode string, data, bg *Array, opt Options) (*FLImage, error) {
	if err := precheck(data, bg, opt); err != nil {
		return nil, err
	}
	if (data != nil || bg != nil || len(opt.Meta) > 0) && mode == "r" {
		return nil, qperr.New(qperr.IO, "Unable to write data or meta data to %q opened with mode 'r'", path)
	}
	f, err := h5.Open(path, mode)
	if err != nil {
		return nil, err
	}
	fli, err := build(f.Root(), data, bg, opt)
	if err != nil {
		f.Close()
		return nil, err
	}
	fli.ownsFile = true
	return fli, nil
}

// Open opens the FLImage file at path (mode "r", "r+" or "a").
func Open(path, mode string) (*FLImage, error) {
	return NewFile(path, mode, nil, nil, DefaultOptions())
}

// NewInGroup builds an FLImage in an existing group (h5file=<h5py.Group>);
// the group's file is not closed by Close. With data nil it binds to the
// image already stored in g (writing the version attributes if they are
// missing and the file is writable).
func NewInGroup(g *h5.Group, data, bg *Array, opt Options) (*FLImage, error) {
	if err := precheck(data, bg, opt); err != nil {
		return nil, err
	}
	if (data != nil || bg != nil || len(opt.Meta) > 0) && !g.File().Writable() {
		return nil, qperr.New(qperr.IO, "Unable to write data or meta data to %q opened with mode 'r'", g.File().Name())
	}
	return build(g, data, bg, opt)
}

// precheck validates everything before a file is touched.
func precheck(data, bg *Array, opt Options) error {
	if opt.H5DType != h5.Invalid && opt.H5DType != h5.Float32 && opt.H5DType != h5.Float64 {
		return qperr.New(qperr.BadArgument, "h5dtype must be 'float32' or 'float64', got '%v'", opt.H5DType)
	}
	d := meta.NewDict(meta.KeysFL)
	for _, kv := range opt.Meta {
		if err := d.Set(kv.Name, kv.Value); err != nil {
			return err
		}
	}
	if data != nil {
		if err := checkArray("data", data); err != nil {
			return err
		}
	}
	if bg != nil {
		if data == nil {
			return qperr.New(qperr.BadArgument, "`bg_data` needs `data`")
		}
		if err := checkBG(bg, data.Shape); err != nil {
			return err
		}
	}
	return nil
}

func checkArray(name string, a *Array) error {
	if len(a.Shape) != 2 {
		return qperr.New(qperr.BadArgument, "`%s` must be a 2-D image, got shape %s", name, qpimage.PyShape(a.Shape))
	}
	if a.Shape[0] <= 0 || a.Shape[1] <= 0 {
		return qperr.New(qperr.BadArgument, "`%s` with shape %s has zero size!", name, qpimage.PyShape(a.Shape))
	}
	if len(a.Data) != numel(a.Shape) {
		return qperr.New(qperr.BadArgument, "`%s` has %d elements, shape %s needs %d", name, len(a.Data), qpimage.PyShape(a.Shape), numel(a.Shape))
	}
	return nil
}

// checkBG accepts a background whose shape broadcasts to the image shape
// (upstream stores it as given and lets NumPy broadcast).
func checkBG(bg *Array, shape []int) error {
	if len(bg.Shape) == 0 || len(bg.Shape) > len(shape) || numel(bg.Shape) == 0 {
		return qperr.New(qperr.BadArgument, "background shape %s does not match image shape %s", qpimage.PyShape(bg.Shape), qpimage.PyShape(shape))
	}
	off := len(shape) - len(bg.Shape)
	for i, s := range bg.Shape {
		if s != 1 && s != shape[off+i] {
			return qperr.New(qperr.BadArgument, "background shape %s does not match image shape %s", qpimage.PyShape(bg.Shape), qpimage.PyShape(shape))
		}
	}
	if len(bg.Data) != numel(bg.Shape) {
		return qperr.New(qperr.BadArgument, "background has %d elements, shape %s needs %d", len(bg.Data), qpimage.PyShape(bg.Shape), numel(bg.Shape))
	}
	return nil
}

// build is FLImage.__init__ after the file is open: meta items, the version
// attributes when absent, the fluorescence group (with bg_data), raw data.
func build(g *h5.Group, data, bg *Array, opt Options) (*FLImage, error) {
	if opt.H5DType == h5.Invalid {
		opt.H5DType = h5.Float32
	}
	instances.Add(1)
	fli := &FLImage{G: g, H5DType: opt.H5DType}
	if g.File().Writable() {
		a := g.Attrs()
		for _, kv := range opt.Meta {
			if err := a.Set(kv.Name, kv.Value); err != nil {
				return nil, err
			}
		}
		if !a.Has("qpimage version") {
			if err := a.Set("qpimage version", meta.QPImageVersion); err != nil {
				return nil, err
			}
		}
		if !a.Has("flimage version") {
			if err := a.Set("flimage version", meta.FLImageVersion); err != nil {
				return nil, err
			}
		}
	}
	var err error
	if fli.fl, err = imagedata.Open(g, imagedata.Fluorescence, opt.H5DType); err != nil {
		return nil, err
	}
	if data != nil {
		if err := fli.fl.WriteRaw(data.Data, data.Shape); err != nil {
			return nil, err
		}
		if bg != nil {
			if err := fli.fl.SetBG("data", bg.Data, bg.Shape, nil); err != nil {
				return nil, err
			}
		}
	}
	return fli, nil
}

// Close flushes and closes the file if the FLImage opened it.
func (f *FLImage) Close() error { return qpimage.CloseOwned(f.G, f.ownsFile) }

// OwnsFile reports whether Close closes the file.
func (f *FLImage) OwnsFile() bool { return f.ownsFile }

// FluorescenceData gives access to the image data (upstream fli._fl), e.g.
// for EstimateBG.
func (f *FLImage) FluorescenceData() *imagedata.ImageData { return f.fl }

// Shape is the shape of fluorescence/raw.
func (f *FLImage) Shape() ([]int, error) { return f.fl.Shape() }

// DType is the stored element type of fluorescence/raw.
func (f *FLImage) DType() (h5.DType, error) {
	info, err := f.fl.G.DatasetInfo("raw")
	if err != nil {
		return h5.Invalid, err
	}
	return info.DType, nil
}

// RawFl is the stored image (raw_fl) converted to float64.
func (f *FLImage) RawFl() ([]float64, []int, error) { return f.fl.Raw() }

// RawFlStored is raw_fl in its stored element type.
func (f *FLImage) RawFlStored() (any, []int, error) { return f.fl.RawStored() }

// BgFl is the combined background (sum of all bg_data datasets, float64).
func (f *FLImage) BgFl() ([]float64, []int, error) { return f.fl.BG() }

// Fl is the background-corrected image raw - bg (float64).
func (f *FLImage) Fl() ([]float64, []int, error) { return f.fl.Image() }

// SetBGData sets the "data" background from an array (set_bg_data); nil
// removes it.
func (f *FLImage) SetBGData(bg *Array) error {
	if bg == nil {
		_, err := f.fl.DelBG("data")
		return err
	}
	shape, err := f.Shape()
	if err != nil {
		return err
	}
	if err := checkBG(bg, shape); err != nil {
		return err
	}
	return f.fl.SetBG("data", bg.Data, bg.Shape, nil)
}

// SetBGDataFromFLImage uses another image's corrected fl as the "data"
// background (set_bg_data(<FLImage>)).
func (f *FLImage) SetBGDataFromFLImage(other *FLImage) error {
	if other == nil {
		return f.SetBGData(nil)
	}
	v, shape, err := other.Fl()
	if err != nil {
		return err
	}
	return f.SetBGData(&Array{Data: v, Shape: shape})
}

func numel(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}
