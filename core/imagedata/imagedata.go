package imagedata

import (
	"fmt"
	"math"
	"slices"
	"sync/atomic"

	"qpgo/core/h5"
	"qpgo/core/qperr"
)

// Kind is the image kind; its name is the group name.
type Kind int

const (
	Phase Kind = iota
	Amplitude
	Fluorescence
)

// Name is the HDF5 group name and the label used in info.
func (k Kind) Name() string {
	return [...]string{"phase", "amplitude", "fluorescence"}[k]
}

// Title is the capitalised name used in repr ("Phase image, 20x24px").
func (k Kind) Title() string {
	return [...]string{"Phase", "Amplitude", "Fluorescence"}[k]
}

// multiplicative reports whether backgrounds multiply (amplitude) rather than add.
func (k Kind) multiplicative() bool { return k == Amplitude }

// ValidBGKeys are the background dataset names (VALID_BG_KEYS).
var ValidBGKeys = []string{"data", "fit"}

// MaskName is where compute_bg stores its from_mask (next to raw).
const MaskName = "estimate_bg_from_mask"

// oldMaskName is the pre-0.4 name upstream still reads.
const oldMaskName = "estimate_bg_from_binary"

// Compression is the gzip level of disk datasets (upstream COMPRESSION);
// negative disables compression (upstream's test suite sets it to {}).
var Compression = 9

// ImageData is one image kind in a group. Use it through a pointer.
type ImageData struct {
	G       *h5.Group
	Kind    Kind
	H5DType h5.DType

	ahead atomic.Pointer[aheadRead] // see ReadAhead
	read  atomic.Bool               // Image was called
}

// Open attaches to the group of kind k below parent, creating it and its
// bg_data group when missing (upstream require_group: a read-only file
// must have them already).
func Open(parent *h5.Group, k Kind, h5dtype h5.DType) (*ImageData, error) {
	g, err := parent.RequireGroup(k.Name())
	if err != nil {
		return nil, err
	}
	if _, err := g.RequireGroup("bg_data"); err != nil {
		return nil, err
	}
	if h5dtype == h5.Invalid {
		h5dtype = h5.Float32
	}
	return &ImageData{G: g, Kind: k, H5DType: h5dtype}, nil
}

// Repr is upstream's "Phase image, MxNpx".
func (d *ImageData) Repr() string {
	shape, err := d.Shape()
	if err != nil || len(shape) < 2 {
		return fmt.Sprintf("%s image", d.Kind.Title())
	}
	return fmt.Sprintf("%s image, %dx%dpx", d.Kind.Title(), shape[0], shape[1])
}

// Shape of the raw dataset.
func (d *ImageData) Shape() ([]int, error) {
	info, err := d.G.DatasetInfo("raw")
	if err != nil {
		return nil, err
	}
	return info.Shape, nil
}

// HasRaw reports whether raw data were written.
func (d *ImageData) HasRaw() bool { return d.G.Kind("raw") == h5.DatasetKind }

// Raw returns the raw data as float64 with its shape.
func (d *ImageData) Raw() ([]float64, []int, error) { return d.G.ReadFloat64("raw") }

// RawStored returns the raw data in the stored element type.
func (d *ImageData) RawStored() (any, []int, error) { return d.G.ReadDataset("raw") }

// checkKey validates a background key.
func checkKey(key string) error {
	for _, k := range ValidBGKeys {
		if k == key {
			return nil
		}
	}
	return qperr.New(qperr.BadArgument, "Invalid bg key '%s'! Valid keys are %s.", key, pyList(ValidBGKeys))
}

func pyList(v []string) string {
	s := "["
	for i, x := range v {
		if i > 0 {
			s += ", "
		}
		s += "'" + x + "'"
	}
	return s + "]"
}

// BGKeys lists the present background datasets in name order.
func (d *ImageData) BGKeys() ([]string, error) {
	bg, err := d.G.Group("bg_data")
	if err != nil {
		return nil, err
	}
	return bg.Keys()
}

// HasBG reports whether the background key is stored.
func (d *ImageData) HasBG(key string) bool {
	return d.G.Kind("bg_data/"+key) == h5.DatasetKind
}

// GetBG returns one background dataset as float64 (key "data" or "fit").
// An absent key is NotFound (upstream KeyError).
func (d *ImageData) GetBG(key string) ([]float64, []int, error) {
	if err := checkKey(key); err != nil {
		return nil, nil, err
	}
	if !d.HasBG(key) {
		return nil, nil, qperr.New(qperr.NotFound, "No background data '%s' for %s", key, d.Repr())
	}
	return d.G.ReadFloat64("bg_data/" + key)
}

// BGAttrs returns the attributes of a background dataset without the
// HDFView IMAGE attributes (upstream get_bg(ret_attrs=True)).
func (d *ImageData) BGAttrs(key string) (map[string]any, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if !d.HasBG(key) {
		return nil, qperr.New(qperr.NotFound, "No background data '%s' for %s", key, d.Repr())
	}
	a := d.G.AttrsOf("bg_data/" + key)
	names, err := a.Names()
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	for _, n := range names {
		if n == "CLASS" || n == "IMAGE_VERSION" || n == "IMAGE_SUBCLASS" {
			continue
		}
		v, err := a.Get(n)
		if err != nil {
			return nil, err
		}
		out[n] = v
	}
	return out, nil
}

// BG returns the combined background broadcast to the raw shape: the sum
// (phase, fluorescence) or product (amplitude) of all bg_data datasets,
// starting from float64 zeros or ones.
func (d *ImageData) BG() ([]float64, []int, error) {
	shape, err := d.Shape()
	if err != nil {
		return nil, nil, err
	}
	keys, err := d.BGKeys()
	if err != nil {
		return nil, nil, err
	}
	vals, shapes, err := readFloat64s(d.G, bgNames(keys, ""))
	if err != nil {
		return nil, nil, err
	}
	out, err := d.combineAll(shape, keys, vals, shapes)
	if err != nil {
		return nil, nil, err
	}
	return out, shape, nil
}

// bgNames are the dataset names of the background keys except skip.
func bgNames(keys []string, skip string) []string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if k != skip {
			out = append(out, "bg_data/"+k)
		}
	}
	return out
}

// combineAll folds the backgrounds vals (of keys) into zeros or ones of
// shape. The caller gives up vals: a first background of the full shape
// becomes the result in place instead of being added to a fresh array
// (0 + v, not v: numpy's zeros + v turns -0 into +0).
func (d *ImageData) combineAll(shape []int, keys []string, vals [][]float64, shapes [][]int) ([]float64, error) {
	n, mul := numel(shape), d.Kind.multiplicative()
	if len(vals) > 0 && len(vals[0]) == n && slices.Equal(shapes[0], shape) {
		out := vals[0]
		if !mul {
			for i := range out {
				out[i] = 0 + out[i]
			}
		}
		return out, d.combineRest(out, shape, keys[1:], vals[1:], shapes[1:])
	}
	out := make([]float64, n)
	if mul {
		for i := range out {
			out[i] = 1
		}
	}
	return out, d.combineRest(out, shape, keys, vals, shapes)
}

func (d *ImageData) combineRest(out []float64, shape []int, keys []string, vals [][]float64, shapes [][]int) error {
	for i, v := range vals {
		if err := combine(out, shape, v, shapes[i], d.Kind.multiplicative()); err != nil {
			return qperr.Wrap(qperr.BadArgument, err, "background '%s' of %s", keys[i], d.Repr())
		}
	}
	return nil
}

// combine folds bg (broadcastable to shape, NumPy rules) into acc.
func combine(acc []float64, shape []int, bg []float64, bshape []int, mul bool) error {
	idx, err := broadcastIndex(shape, bshape)
	if err != nil {
		return err
	}
	if len(bg) == len(acc) && numel(bshape) == len(acc) {
		// same number of elements: the broadcast index is the identity
		bg = bg[:len(acc)]
		if mul {
			for i := range acc {
				acc[i] *= bg[i]
			}
		} else {
			for i := range acc {
				acc[i] += bg[i]
			}
		}
		return nil
	}
	for i := range acc {
		j := idx(i)
		if mul {
			acc[i] *= bg[j]
		} else {
			acc[i] += bg[j]
		}
	}
	return nil
}

// broadcastIndex maps a flat index of shape to the flat index of a
// NumPy-broadcastable bshape (upstream stores backgrounds like (M,1) as
// given and lets NumPy broadcast them).
func broadcastIndex(shape, bshape []int) (func(int) int, error) {
	if len(bshape) > len(shape) {
		return nil, fmt.Errorf("shape %v does not broadcast to %v", bshape, shape)
	}
	off := len(shape) - len(bshape)
	same := len(bshape) == len(shape)
	for i, b := range bshape {
		if b != shape[off+i] {
			same = false
			if b != 1 {
				return nil, fmt.Errorf("shape %v does not broadcast to %v", bshape, shape)
			}
		}
	}
	if same {
		return func(i int) int { return i }, nil
	}
	strides := make([]int, len(shape))
	st := 1
	for i := len(bshape) - 1; i >= 0; i-- {
		if bshape[i] != 1 {
			strides[off+i] = st
		}
		st *= bshape[i]
	}
	return func(flat int) int {
		j := 0
		for ax := len(shape) - 1; ax >= 0; ax-- {
			c := flat % shape[ax]
			flat /= shape[ax]
			j += c * strides[ax]
		}
		return j
	}, nil
}

// Correct applies the background: raw - bg or raw / bg.
// correctInPlace is Correct overwriting raw, which the caller owns.
func (d *ImageData) correctInPlace(raw, bg []float64) []float64 {
	bg = bg[:len(raw)]
	if d.Kind.multiplicative() {
		for i := range raw {
			raw[i] /= bg[i]
		}
	} else {
		for i := range raw {
			raw[i] -= bg[i]
		}
	}
	return raw
}

func (d *ImageData) Correct(raw, bg []float64) []float64 {
	out := make([]float64, len(raw))
	bg = bg[:len(raw)]
	if d.Kind.multiplicative() {
		for i := range raw {
			out[i] = raw[i] / bg[i]
		}
	} else {
		for i := range raw {
			out[i] = raw[i] - bg[i]
		}
	}
	return out
}

// Image returns the background-corrected image in float64. raw and every
// background are decompressed concurrently. A read started by ReadAhead
// is used when there is one.
func (d *ImageData) Image() ([]float64, []int, error) {
	d.read.Store(true)
	if v, shape, ok := d.takeAhead(); ok {
		return v, shape, nil
	}
	return d.imageWithout("", false)
}

// WriteRaw writes the raw dataset in the image's storage type.
func (d *ImageData) WriteRaw(data []float64, shape []int) error {
	return WriteImageDataset(d.G, "raw", data, shape, d.H5DType)
}

// SetBG writes the background key from an array (nil removes it).
func (d *ImageData) SetBG(key string, data []float64, shape []int, attrs []Attr) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if data == nil {
		_, err := d.DelBG(key)
		return err
	}
	bg, err := d.G.Group("bg_data")
	if err != nil {
		return err
	}
	if err := WriteImageDataset(bg, key, data, shape, d.H5DType); err != nil {
		return err
	}
	for _, a := range attrs {
		if err := bg.AttrsOf(key).Set(a.Name, a.Value); err != nil {
			return err
		}
	}
	return nil
}

// LinkBG makes the background key a hard link to an existing dataset
// (upstream set_bg with an h5py.Dataset, used by QPSeries bg_from_idx).
func (d *ImageData) LinkBG(key, target string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	bg, err := d.G.Group("bg_data")
	if err != nil {
		return err
	}
	if bg.Has(key) {
		if err := bg.Delete(key); err != nil {
			return err
		}
	}
	return bg.HardLink(target, key)
}

// DelBG removes a background dataset. It reports false (upstream warns
// "No bg data to clear for '<key>' in <repr>.") when there was none.
func (d *ImageData) DelBG(key string) (bool, error) {
	if err := checkKey(key); err != nil {
		return false, err
	}
	if !d.HasBG(key) {
		return false, nil
	}
	return true, d.G.Delete("bg_data/" + key)
}

// Attr is a named attribute value, in creation order.
type Attr struct {
	Name  string
	Value any
}

// Mask returns the stored estimate_bg_from_mask (or the old name), or nil.
func (d *ImageData) Mask() ([]bool, []int, error) {
	for _, n := range []string{MaskName, oldMaskName} {
		if d.G.Kind(n) == h5.DatasetKind {
			v, shape, err := d.G.ReadDataset(n)
			if err != nil {
				return nil, nil, err
			}
			return toBool(v), shape, nil
		}
	}
	return nil, nil, nil
}

// HasMask reports whether a from_mask is stored (either name).
func (d *ImageData) HasMask() bool {
	return d.G.Kind(MaskName) == h5.DatasetKind || d.G.Kind(oldMaskName) == h5.DatasetKind
}

// SetMask writes the mask (nil deletes it), as ImageData["estimate_bg_from_mask"].
func (d *ImageData) SetMask(mask []bool, shape []int) error {
	if d.G.Has(MaskName) {
		if err := d.G.Delete(MaskName); err != nil {
			return err
		}
	}
	if mask == nil {
		return nil
	}
	return WriteBoolDataset(d.G, MaskName, mask, shape)
}

func toBool(v any) []bool {
	switch x := v.(type) {
	case []bool:
		return x
	case []int8:
		out := make([]bool, len(x))
		for i, b := range x {
			out[i] = b != 0
		}
		return out
	case []uint8:
		out := make([]bool, len(x))
		for i, b := range x {
			out[i] = b != 0
		}
		return out
	}
	return nil
}

// InfoItem is one (name, value) entry of info.
type InfoItem struct {
	Name  string
	Value any
}

// Info is upstream ImageData.info: for "data" and "fit", every dataset
// attribute as "<kind> background <attr>" (IMAGE attributes included), then
// "<kind> background from mask" when a fit exists.
func (d *ImageData) Info() ([]InfoItem, error) {
	var out []InfoItem
	for _, key := range ValidBGKeys {
		if !d.HasBG(key) {
			continue
		}
		a := d.G.AttrsOf("bg_data/" + key)
		names, err := a.Names()
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			v, err := a.Get(n)
			if err != nil {
				return nil, err
			}
			out = append(out, InfoItem{fmt.Sprintf("%s background %s", d.Kind.Name(), n), v})
		}
	}
	if d.HasBG("fit") {
		out = append(out, InfoItem{d.Kind.Name() + " background from mask", d.HasMask()})
	}
	return out, nil
}

// WriteImageDataset is upstream write_image_dataset: delete group[key] if
// present, then write data in the storage type, contiguous and bare on the
// core driver, else chunked as one chunk with deflate + Fletcher-32 and the
// IMAGE attributes. The chunk is compressed before the libhdf5 lock is
// taken (see EncodeImage), so other goroutines can use libhdf5 meanwhile;
// to compress several images at once use WriteAll or EncodeAsync.
func WriteImageDataset(g *h5.Group, key string, data []float64, shape []int, dtype h5.DType) error {
	e, err := EncodeImage(g.File(), data, shape, dtype)
	if err != nil {
		return err
	}
	return WriteEncoded(g, key, e)
}

// WriteBoolDataset writes a bool array (h5py's int8 enum).
func WriteBoolDataset(g *h5.Group, key string, data []bool, shape []int) error {
	if numel(shape) != len(data) {
		return qperr.New(qperr.BadArgument, "mask of %d elements does not match shape %v", len(data), shape)
	}
	return WriteTyped(g, key, data, shape)
}

// WriteTyped writes any typed slice with the image-dataset rules (used by copy).
func WriteTyped(g *h5.Group, key string, data any, shape []int) error {
	e, err := EncodeTyped(g.File(), data, shape)
	if err != nil {
		return err
	}
	return WriteEncoded(g, key, e)
}

// ImageAttrs are the HDFView attributes of disk datasets, in creation order.
var ImageAttrs = []Attr{
	{"CLASS", h5.Bytes("IMAGE")},
	{"IMAGE_VERSION", h5.Bytes("1.2")},
	{"IMAGE_SUBCLASS", h5.Bytes("IMAGE_GRAYSCALE")},
}

func numel(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}

// AllFinite reports whether no element is NaN or infinite.
func AllFinite(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

func errNot2D(shape []int) error {
	return qperr.New(qperr.BadArgument, "background estimation needs a 2-D image, got shape %v", shape)
}
