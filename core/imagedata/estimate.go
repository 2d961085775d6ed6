package imagedata

import (
	"qpgo/core/bgfit"
	"qpgo/core/h5"
)

// EstimateBG is upstream ImageData.estimate_bg: fit a background to the
// image corrected by every background except "fit", store it as "fit" with
// the attributes fit_offset, fit_profile, border_px (int64, this order),
// store fromMask as estimate_bg_from_mask (nil deletes it) and return the
// mask used.
//
// Unlike upstream, which deletes the old fit before validating the fit
// arguments, nothing is changed in the file when the estimation fails.
func (d *ImageData) EstimateBG(fitOffset, fitProfile string, borderPx int, fromMask []bool) ([]bool, error) {
	if err := bgfit.ValidateFit(fitOffset, fitProfile); err != nil {
		return nil, err
	}
	img, shape, err := d.imageWithout("fit", true)
	if err != nil {
		return nil, err
	}
	bg, mask, err := bgfit.Estimate(img, shape[0], shape[1], fitOffset, fitProfile, float64(borderPx), fromMask)
	if err != nil {
		return nil, err
	}
	if _, err := d.DelBG("fit"); err != nil {
		return nil, err
	}
	attrs := []Attr{{"fit_offset", fitOffset}, {"fit_profile", fitProfile}, {"border_px", int64(borderPx)}}
	if err := d.SetBG("fit", bg, shape, attrs); err != nil {
		return nil, err
	}
	if err := d.SetMask(fromMask, shape); err != nil {
		return nil, err
	}
	// both are stored now: their memory serves the next read
	h5.RecycleFloat64(img)
	if len(bg) > 0 && len(img) > 0 && &bg[0] != &img[0] {
		h5.RecycleFloat64(bg)
	}
	return mask, nil
}

// imageWithout is the corrected image using every background but skip
// ("" skips none); raw and the backgrounds are read concurrently. need2D
// rejects raw data that are not 2-D.
func (d *ImageData) imageWithout(skip string, need2D bool) ([]float64, []int, error) {
	keys, err := d.BGKeys()
	if err != nil {
		// report a missing raw dataset first, as reading raw first did
		if _, _, rerr := d.Raw(); rerr != nil {
			return nil, nil, rerr
		}
		return nil, nil, err
	}
	var used []string
	for _, k := range keys {
		if k != skip {
			used = append(used, k)
		}
	}
	vals, shapes, err := readFloat64s(d.G, append([]string{"raw"}, bgNames(used, "")...))
	if err != nil {
		return nil, nil, err
	}
	raw, shape := vals[0], shapes[0]
	if need2D && len(shape) != 2 {
		return nil, nil, errNot2D(shape)
	}
	if len(used) == 0 {
		// raw - 0 and raw / 1 are raw exactly: skip the neutral background.
		return raw, shape, nil
	}
	bg, err := d.combineAll(shape, used, vals[1:], shapes[1:])
	if err != nil {
		return nil, nil, err
	}
	return d.correctInPlace(raw, bg), shape, nil
}

// FitSettings are the stored attributes of a "fit" background.
type FitSettings struct {
	FitOffset, FitProfile string
	BorderPx              int
}

// FitSettings reads the attributes of the stored fit.
func (d *ImageData) FitSettings() (FitSettings, error) {
	attrs, err := d.BGAttrs("fit")
	if err != nil {
		return FitSettings{}, err
	}
	var fs FitSettings
	fs.FitOffset, _ = asString(attrs["fit_offset"])
	fs.FitProfile, _ = asString(attrs["fit_profile"])
	switch v := attrs["border_px"].(type) {
	case int64:
		fs.BorderPx = int(v)
	case float64:
		fs.BorderPx = int(v)
	}
	return fs, nil
}

func asString(v any) (string, bool) {
	switch s := v.(type) {
	case string:
		return s, true
	case h5.Bytes:
		return string(s), true
	}
	return "", false
}
