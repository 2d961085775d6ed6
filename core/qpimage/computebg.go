package qpimage

import (
	"qpgo/core/bgfit"
	"qpgo/core/imagedata"
	"qpgo/core/meta"
	"qpgo/core/qperr"
)

// BGOptions are the arguments of compute_bg.
type BGOptions struct {
	WhichData  WhichData // default "phase"
	FitOffset  string    // default "mean"
	FitProfile string    // default "tilt"
	BorderM    float64
	BorderPerc float64
	BorderPx   float64
	FromMask   []bool // nil: none; row-major, image shape
}

// DefaultBGOptions are upstream's defaults.
func DefaultBGOptions() BGOptions {
	return BGOptions{WhichData: ConvWhichData("phase"), FitOffset: "mean", FitProfile: "tilt"}
}

// ComputeBG is upstream compute_bg: convert the border arguments to pixels
// (largest wins, half-to-even), then estimate the "fit" background of the
// selected images (amplitude first, then phase). It returns the mask of
// the last processed image.
func (q *QPImage) ComputeBG(o BGOptions) ([]bool, error) {
	hasAmp, hasPha := o.WhichData.Contains("amplitude"), o.WhichData.Contains("phase")
	if !hasAmp && !hasPha {
		return nil, qperr.New(qperr.BadArgument, "`which_data` must contain 'phase' or 'amplitude'!")
	}
	shape, err := q.Shape()
	if err != nil {
		return nil, err
	}
	if len(shape) != 2 {
		return nil, qperr.New(qperr.BadArgument, "compute_bg needs a 2-D image, got shape %v", shape)
	}
	if o.FromMask != nil && len(o.FromMask) != shape[0]*shape[1] {
		return nil, qperr.New(qperr.BadArgument, "`from_mask` has %d elements, the image %dx%d", len(o.FromMask), shape[0], shape[1])
	}
	var pixelSize float64
	havePS := false
	if o.BorderM != 0 {
		if v, err := q.G.Attrs().Get("pixel size"); err == nil {
			if pixelSize, err = meta.AsFloat("pixel size", v); err != nil {
				return nil, err
			}
			havePS = true
		}
	}
	border, err := bgfit.ComputeBorder(o.BorderM, o.BorderPerc, o.BorderPx, shape[0], shape[1], pixelSize, havePS, o.FromMask)
	if err != nil {
		return nil, err
	}
	if err := bgfit.ValidateFit(o.FitOffset, o.FitProfile); err != nil {
		return nil, err
	}
	var list []*imagedata.ImageData
	if hasAmp {
		list = append(list, q.amp)
	}
	if hasPha {
		list = append(list, q.pha)
	}
	var mask []bool
	for _, d := range list {
		if mask, err = d.EstimateBG(o.FitOffset, o.FitProfile, border, o.FromMask); err != nil {
			return nil, err
		}
	}
	return mask, nil
}
