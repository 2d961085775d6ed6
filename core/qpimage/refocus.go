package qpimage

import (
	"qpgo/core/imagedata"
	"qpgo/core/qperr"
	"qpgo/core/refocus"
)

// RefocusOptions are the arguments of QPImage.refocus besides the distance.
type RefocusOptions struct {
	Kernel  string // "helmholtz" (default) or "fresnel"
	Padding bool   // default true
	H5File  string // "" → in memory
	H5Mode  string // default "a"
}

// DefaultRefocusOptions are upstream's defaults.
func DefaultRefocusOptions() RefocusOptions {
	return RefocusOptions{Kernel: "helmholtz", Padding: true, H5Mode: "a"}
}

// Refocus propagates the background-corrected field by distance [m] and
// returns a new QPImage built from it (which_data "field", proc_phase
// true, no background), with the meta data of q and the identifier
// "<identifier>@<h|f><distance:.5e>m". It needs the meta keys wavelength,
// pixel size and medium index (MissingMeta otherwise).
func (q *QPImage) Refocus(distance float64, o RefocusOptions) (*QPImage, error) {
	if o.Kernel == "" {
		o.Kernel = "helmholtz"
	}
	if o.Kernel != "helmholtz" && o.Kernel != "fresnel" {
		return nil, qperr.New(qperr.BadArgument, "Unknown refocus kernel '%s'; valid are 'helmholtz', 'fresnel'", o.Kernel)
	}
	m, err := q.Meta()
	if err != nil {
		return nil, err
	}
	var vals [3]float64
	for i, k := range []string{"wavelength", "pixel size", "medium index"} {
		if vals[i], err = m.Float(k); err != nil {
			return nil, err
		}
	}
	field, shape, err := q.Field()
	if err != nil {
		return nil, err
	}
	if len(shape) != 2 {
		return nil, qperr.New(qperr.BadArgument, "refocus needs a 2-D image, got shape %v", shape)
	}
	out, err := refocus.Refocus(field, shape[0], shape[1], distance, vals[0], vals[1], vals[2], o.Kernel, o.Padding)
	if err != nil {
		return nil, err
	}
	opt := Options{ProcPhase: true, H5DType: q.H5DType, QPRetrieveKW: q.QPRetrieveKW}
	for _, k := range m.Keys() {
		if k == "identifier" {
			continue
		}
		v, _ := m.Get(k)
		opt.Meta = append(opt.Meta, imagedata.Attr{Name: k, Value: v})
	}
	opt.Meta = append(opt.Meta, imagedata.Attr{Name: "identifier", Value: refocus.Identifier(q.Identifier(), o.Kernel, distance)})
	in := &Input{WhichData: ConvWhichData("field"), Field: out, Shape: shape}
	if o.H5File == "" {
		return NewInMemory(in, nil, opt)
	}
	mode := o.H5Mode
	if mode == "" {
		mode = "a"
	}
	return NewFile(o.H5File, mode, in, nil, opt)
}
