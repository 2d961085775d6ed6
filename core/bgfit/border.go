package bgfit

import (
	"math"

	"qpgo/core/qperr"
)

// MissingPixelSizeMsg is upstream's MetaDataMissingError text for the meta
// key "pixel size" (spec §2.5).
const MissingPixelSizeMsg = "No meta data was defined for 'pixel size'! Please make sure " +
	"you passed the dictionary `meta_data` when you loaded your data."

// BorderPixels is compute_bg's border conversion: every non-zero border_*
// argument is converted to pixels (border_m / pixel size, mean(shape) ·
// border_perc / 100, border_px) and the largest, rounded half to even as
// np.round does, is the frame width. It returns 0 when all three are zero
// (see ValidateMask for that case). A negative border_px is accepted as
// upstream accepts it. Non-finite arguments are rejected (upstream fails on
// int(nan) with a ValueError as well).
func BorderPixels(borderM, borderPerc, borderPx float64, rows, cols int,
	pixelSize float64, havePixelSize bool) (int, error) {
	for _, v := range []float64{borderM, borderPerc, borderPx} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, qperr.New(qperr.BadArgument, "border_* values must be finite, got %v", v)
		}
	}
	var list []float64
	if borderM != 0 {
		if borderM < 0 {
			return 0, qperr.New(qperr.BadArgument, "%s", "`border_m` must be greater than zero!")
		}
		if !havePixelSize {
			return 0, qperr.New(qperr.MissingMeta, "%s", MissingPixelSizeMsg)
		}
		if pixelSize == 0 || math.IsNaN(pixelSize) || math.IsInf(pixelSize, 0) {
			return 0, qperr.New(qperr.BadArgument, "meta data 'pixel size' must be finite and non-zero, got %v", pixelSize)
		}
		list = append(list, borderM/pixelSize)
	}
	if borderPerc != 0 {
		if borderPerc < 0 || borderPerc > 50 {
			return 0, qperr.New(qperr.BadArgument, "%s", "`border_perc` must be in interval [0, 50]!")
		}
		size := (float64(rows) + float64(cols)) / 2
		list = append(list, size*borderPerc/100)
	}
	if borderPx != 0 {
		list = append(list, borderPx)
	}
	if len(list) == 0 {
		return 0, nil
	}
	m := list[0]
	for _, v := range list[1:] {
		m = math.Max(m, v)
	}
	r := math.RoundToEven(m)
	if math.Abs(r) > 1<<53 {
		return 0, qperr.New(qperr.BadArgument, "border of %v px is out of range", m)
	}
	return int(r), nil
}

// ValidateMask is compute_bg's check for a usable region when no border is
// given: without any non-zero border_* argument, fromMask (nil = not given)
// must be given and not all False. Upstream messages.
func ValidateMask(borderM, borderPerc, borderPx float64, fromMask []bool) error {
	if borderM != 0 || borderPerc != 0 || borderPx != 0 {
		return nil
	}
	if fromMask == nil {
		return qperr.New(qperr.BadArgument, "%s", "Neither `from_mask` nor `border_*` given!")
	}
	for _, m := range fromMask {
		if m {
			return nil
		}
	}
	return qperr.New(qperr.BadArgument, "%s", "`from_mask` must not be all-zero!")
}

// ComputeBorder runs compute_bg's checks in upstream order (border
// conversion, then the mask check) and returns the final border_px.
func ComputeBorder(borderM, borderPerc, borderPx float64, rows, cols int,
	pixelSize float64, havePixelSize bool, fromMask []bool) (int, error) {
	b, err := BorderPixels(borderM, borderPerc, borderPx, rows, cols, pixelSize, havePixelSize)
	if err != nil {
		return 0, err
	}
	if err := ValidateMask(borderM, borderPerc, borderPx, fromMask); err != nil {
		return 0, err
	}
	return b, nil
}
