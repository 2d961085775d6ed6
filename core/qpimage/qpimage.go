package qpimage

import (
	"fmt"
	"math"
	"math/cmplx"
	"sync/atomic"

	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/meta"
	"qpgo/core/qperr"
)

// Input is image data as a caller hands it over. For "phase" and the raw
// kinds Arrays holds one array, for ("phase","amplitude"|"intensity") two;
// for "field" Field holds the complex field. All arrays have Shape (2-D).
type Input struct {
	WhichData WhichData
	Arrays    [][]float64
	Field     []complex128
	Shape     []int
}

// Options are the QPImage constructor arguments other than data.
type Options struct {
	// ProcPhase unwraps the phase and removes the 2π border offset.
	ProcPhase bool
	// H5DType is the storage type (Float32 default, or Float64). It is not
	// persisted: an image reopened from a file uses Float32 for new writes.
	H5DType h5.DType
	// Meta is written as root attributes in this order.
	Meta []imagedata.Attr
	// QPRetrieveKW are the qpretrieve options for raw-oah / raw-qlsi input.
	QPRetrieveKW map[string]any
}

// DefaultOptions are upstream's defaults (proc_phase=True, float32).
func DefaultOptions() Options { return Options{ProcPhase: true, H5DType: h5.Float32} }

// QPImage is a quantitative phase image in an HDF5 group.
type QPImage struct {
	G            *h5.Group
	H5DType      h5.DType
	QPRetrieveKW map[string]any
	amp, pha     *imagedata.ImageData
	ownsFile     bool // Close closes the file (upstream _do_h5_cleanup)
}

var instances atomic.Int64

// NewInMemory creates a QPImage in a new in-memory file (h5file=None).
func NewInMemory(data, bg *Input, opt Options) (*QPImage, error) {
	n := instances.Load()
	f, err := h5.CreateInMemory(fmt.Sprintf("qpimage%d.h5", n))
	if err != nil {
		return nil, err
	}
	q, err := build(f.Root(), data, bg, opt)
	if err != nil {
		f.Close()
		return nil, err
	}
	q.ownsFile = true
	return q, nil
}

// NewFile creates or opens the file at path with mode and builds a QPImage
// in its root (h5file=path). With data nil it opens an existing image.
func NewFile(path, mode string, data, bg *Input, opt Options) (*QPImage, error) {
	if (data != nil || len(opt.Meta) > 0) && mode == "r" {
		return nil, qperr.New(qperr.IO, "Unable to write data or meta data to %q opened with mode 'r'", path)
	}
	f, err := h5.Open(path, mode)
	if err != nil {
		return nil, err
	}
	q, err := build(f.Root(), data, bg, opt)
	if err != nil {
		f.Close()
		return nil, err
	}
	q.ownsFile = true
	return q, nil
}

// Open opens the QPImage file at path (mode "r", "r+" or "a").
func Open(path, mode string) (*QPImage, error) {
	return NewFile(path, mode, nil, nil, DefaultOptions())
}

// NewInGroup builds a QPImage in an existing group (h5file=<h5py.Group>);
// the group's file is not closed by Close.
func NewInGroup(g *h5.Group, data, bg *Input, opt Options) (*QPImage, error) {
	return build(g, data, bg, opt)
}

func build(g *h5.Group, data, bg *Input, opt Options) (*QPImage, error) {
	if opt.H5DType == h5.Invalid {
		opt.H5DType = h5.Float32
	}
	if opt.H5DType != h5.Float32 && opt.H5DType != h5.Float64 {
		return nil, qperr.New(qperr.BadArgument, "h5dtype must be 'float32' or 'float64', got '%v'", opt.H5DType)
	}
	instances.Add(1)
	q := &QPImage{G: g, H5DType: opt.H5DType, QPRetrieveKW: opt.QPRetrieveKW}
	// Convert first so that bad input leaves the file untouched.
	var amp, pha, bgAmp, bgPha []float64
	var shape []int
	if data != nil {
		var err error
		amp, pha, bgAmp, bgPha, shape, err = q.getAmpPha(data, bg, opt.ProcPhase)
		if err != nil {
			return nil, err
		}
	}
	writable := g.File().Writable()
	if writable {
		for _, kv := range opt.Meta {
			if err := q.SetMeta(kv.Name, kv.Value); err != nil {
				return nil, err
			}
		}
		if !g.Attrs().Has("qpimage version") {
			if err := g.Attrs().Set("qpimage version", meta.QPImageVersion); err != nil {
				return nil, err
			}
		}
	}
	var err error
	if q.amp, err = imagedata.Open(g, imagedata.Amplitude, opt.H5DType); err != nil {
		return nil, err
	}
	if q.pha, err = imagedata.Open(g, imagedata.Phase, opt.H5DType); err != nil {
		return nil, err
	}
	if data != nil {
		if err := imagedata.WriteAll([]imagedata.Job{
			{G: q.amp.G, Key: "raw", Data: amp, Shape: shape, DType: q.amp.H5DType},
			{G: q.pha.G, Key: "raw", Data: pha, Shape: shape, DType: q.pha.H5DType}}); err != nil {
			return nil, err
		}
		if bgPha != nil {
			// Upstream quirk (§3.4): set_bg_data processes the background
			// phase again, whatever proc_phase the constructor had.
			in := &Input{WhichData: WhichData{Items: []string{"phase", "amplitude"}, Tuple: true},
				Arrays: [][]float64{bgPha, bgAmp}, Shape: shape}
			if err := q.SetBGData(in, true); err != nil {
				return nil, err
			}
		}
	}
	return q, nil
}

// getAmpPha is upstream _get_amp_pha for data and background.
func (q *QPImage) getAmpPha(data, bg *Input, procPhase bool) (amp, pha, bgAmp, bgPha []float64, shape []int, err error) {
	kind, err := data.WhichData.Kind()
	if err != nil {
		return
	}
	if kind == KindRawQLSI {
		amp, pha, shape, err = retrieveQLSI(data, bg, q.QPRetrieveKW)
		if err != nil {
			return
		}
		if procPhase {
			if pha, err = processPhase(pha, shape); err != nil {
				return
			}
		}
		return amp, pha, nil, nil, shape, nil
	}
	var sideband any
	amp, pha, shape, sideband, err = convert(data, kind, q.QPRetrieveKW, nil, procPhase)
	if err != nil {
		return
	}
	if bg != nil {
		var bshape []int
		bgAmp, bgPha, bshape, _, err = convert(bg, kind, q.QPRetrieveKW, sideband, procPhase)
		if err != nil {
			return
		}
		_ = bshape
	}
	return amp, pha, bgAmp, bgPha, shape, nil
}

// convert turns one input into amplitude and phase.
func convert(in *Input, kind string, kw map[string]any, sideband any, procPhase bool) (amp, pha []float64, shape []int, sb any, err error) {
	if err = checkShape(in, kind); err != nil {
		return
	}
	shape = append([]int(nil), in.Shape...)
	n := numel(shape)
	switch kind {
	case KindPhase:
		pha = append([]float64(nil), in.Arrays[0]...)
		amp = ones(n)
	case KindPhaseAmplitude:
		pha = append([]float64(nil), in.Arrays[0]...)
		amp = append([]float64(nil), in.Arrays[1]...)
	case KindPhaseIntensity:
		pha = append([]float64(nil), in.Arrays[0]...)
		amp = make([]float64, n)
		for i, v := range in.Arrays[1] {
			amp[i] = math.Sqrt(v)
		}
	case KindField:
		amp, pha = fieldToAmpPha(in.Field)
	case KindRawOAH, KindHologram:
		var field []complex128
		field, shape, sb, err = retrieveOAH(in, kw, sideband)
		if err != nil {
			return
		}
		amp, pha = fieldToAmpPha(field)
	}
	if procPhase {
		pha, err = processPhase(pha, shape)
	}
	return
}

func fieldToAmpPha(field []complex128) (amp, pha []float64) {
	amp = make([]float64, len(field))
	pha = make([]float64, len(field))
	for i, c := range field {
		amp[i] = cmplx.Abs(c)
		pha[i] = math.Atan2(imag(c), real(c))
	}
	return
}

func checkShape(in *Input, kind string) error {
	if len(in.Shape) == 0 || numel(in.Shape) == 0 {
		return qperr.New(qperr.BadArgument, "`data` with shape %s has zero size!", PyShape(in.Shape))
	}
	for _, s := range in.Shape {
		if s < 0 {
			return qperr.New(qperr.BadArgument, "invalid shape %v", in.Shape)
		}
	}
	rawKind := kind == KindRawOAH || kind == KindHologram || kind == KindRawQLSI
	if len(in.Shape) != 2 && !(rawKind && len(in.Shape) == 3) {
		return qperr.New(qperr.BadArgument, "`data` must be a 2-D image, got shape %s", PyShape(in.Shape))
	}
	n := numel(in.Shape)
	if kind == KindField {
		if len(in.Field) != n {
			return qperr.New(qperr.BadArgument, "field has %d elements, shape %v needs %d", len(in.Field), in.Shape, n)
		}
		return nil
	}
	want := ArrayCount(kind)
	if len(in.Arrays) != want {
		return qperr.New(qperr.BadArgument, "which_data '%s' needs %d arrays, got %d", kind, want, len(in.Arrays))
	}
	for i, a := range in.Arrays {
		if len(a) != n {
			return qperr.New(qperr.BadArgument, "array %d has %d elements, shape %v needs %d", i, len(a), in.Shape, n)
		}
	}
	return nil
}

// PyShape formats a shape like a Python tuple: (), (3,), (2, 3).
func PyShape(s []int) string {
	switch len(s) {
	case 0:
		return "()"
	case 1:
		return fmt.Sprintf("(%d,)", s[0])
	}
	out := "("
	for i, v := range s {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprint(v)
	}
	return out + ")"
}

func ones(n int) []float64 {
	o := make([]float64, n)
	for i := range o {
		o[i] = 1
	}
	return o
}

func numel(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}

// Close flushes and closes the file if the QPImage opened it.
func (q *QPImage) Close() error { return CloseOwned(q.G, q.ownsFile) }

// OwnsFile reports whether Close closes the file.
func (q *QPImage) OwnsFile() bool { return q.ownsFile }

// PhaseData and AmplitudeData give access to the image kinds.
func (q *QPImage) PhaseData() *imagedata.ImageData     { return q.pha }
func (q *QPImage) AmplitudeData() *imagedata.ImageData { return q.amp }

// Shape is the shape of phase/raw.
func (q *QPImage) Shape() ([]int, error) { return q.pha.Shape() }

// DType is the stored element type of phase/raw.
func (q *QPImage) DType() (h5.DType, error) {
	info, err := q.pha.G.DatasetInfo("raw")
	if err != nil {
		return h5.Invalid, err
	}
	return info.DType, nil
}

// Pha is raw_pha - bg_pha in float64.
func (q *QPImage) Pha() ([]float64, []int, error) { return q.pha.Image() }

// Amp is raw_amp / bg_amp in float64.
func (q *QPImage) Amp() ([]float64, []int, error) { return q.amp.Image() }

// BgPha is the combined phase background.
func (q *QPImage) BgPha() ([]float64, []int, error) { return q.pha.BG() }

// BgAmp is the combined amplitude background.
func (q *QPImage) BgAmp() ([]float64, []int, error) { return q.amp.BG() }

// RawPha is the stored phase.
func (q *QPImage) RawPha() ([]float64, []int, error) { return q.pha.Raw() }

// RawAmp is the stored amplitude.
func (q *QPImage) RawAmp() ([]float64, []int, error) { return q.amp.Raw() }

// Field is amp·exp(i·pha).
func (q *QPImage) Field() ([]complex128, []int, error) {
	amp, shape, err := q.Amp()
	if err != nil {
		return nil, nil, err
	}
	pha, _, err := q.Pha()
	if err != nil {
		return nil, nil, err
	}
	out := make([]complex128, len(amp))
	for i := range amp {
		s, c := math.Sincos(pha[i])
		out[i] = complex(amp[i]*c, amp[i]*s)
	}
	return out, shape, nil
}
