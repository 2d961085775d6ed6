package bgfit

import (
	"fmt"
	"math"
	"strings"

	"qpgo/core/qperr"
	"qpgo/internal/numpysum"
)

// ValidFitOffsets are the accepted fit_offset values (upstream
// VALID_FIT_OFFSETS, same order).
var ValidFitOffsets = []string{"fit", "gauss", "mean", "mode"}

// ValidFitProfiles are the accepted fit_profile values (upstream
// VALID_FIT_PROFILES, same order).
var ValidFitProfiles = []string{"offset", "poly2o", "tilt"}

// Parameter names of the profiles in upstream (lmfit Parameters) order.
var (
	TiltParamNames   = []string{"mx", "my", "off"}
	Poly2oParamNames = []string{"mx", "my", "mxy", "ax", "ay", "off"}
)

// Details describes one background estimate beyond the image itself.
type Details struct {
	FitOffset  string
	FitProfile string
	// ParamNames and Params are the fitted profile parameters (nil for the
	// "offset" profile); coordinates are x = row − rows/2, y = col − cols/2.
	ParamNames []string
	Params     []float64
	// Offset is the value added by fit_offset ("mean", "mode", "gauss");
	// 0 for "fit".
	Offset float64
	// NMask is the number of pixels the fit used (masked and finite).
	NMask int
}

// Param returns the fitted parameter name.
func (d Details) Param(name string) (float64, bool) {
	for i, n := range d.ParamNames {
		if n == name {
			return d.Params[i], true
		}
	}
	return 0, false
}

// pyList formats a string list the way Python's str(list) does.
func pyList(v []string) string {
	q := make([]string, len(v))
	for i, s := range v {
		q[i] = "'" + s + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func contains(v []string, s string) bool {
	for _, x := range v {
		if x == s {
			return true
		}
	}
	return false
}

// ValidateFit checks fit_offset and fit_profile in upstream order with
// upstream's messages: profile first, then offset, then the "fit" offset
// without a profile.
func ValidateFit(fitOffset, fitProfile string) error {
	if !contains(ValidFitProfiles, fitProfile) {
		return qperr.New(qperr.BadArgument, "%s", fmt.Sprintf(
			"`fit_profile` must be one of %s, got '%s'", pyList(ValidFitProfiles), fitProfile))
	}
	if !contains(ValidFitOffsets, fitOffset) {
		return qperr.New(qperr.BadArgument, "%s", fmt.Sprintf(
			"`fit_offset` must be one of %s, got '%s'", pyList(ValidFitOffsets), fitOffset))
	}
	if fitOffset == "fit" && fitProfile == "offset" {
		return qperr.New(qperr.BadArgument, "%s",
			"`fit_offset=='fit'` only valid when `fit_profile!='offset`")
	}
	return nil
}

func checkImage(data []float64, rows, cols int) error {
	if rows <= 0 || cols <= 0 {
		return qperr.New(qperr.BadArgument, "image shape must be positive, got (%d, %d)", rows, cols)
	}
	if rows > math.MaxInt/cols || len(data) != rows*cols {
		return qperr.New(qperr.BadArgument, "image data has %d values, shape (%d, %d) needs %d",
			len(data), rows, cols, rows*cols)
	}
	return nil
}

func checkMask(mask []bool, n int, name string) error {
	if mask != nil && len(mask) != n {
		return qperr.New(qperr.BadArgument, "`%s` has %d values, image has %d", name, len(mask), n)
	}
	return nil
}

// Mask returns upstream estimate's fit mask: fromMask (nil = all True)
// intersected with a border frame of width round(borderPx) when borderPx > 0.
// As upstream, a borderPx in (0, 0.5] rounds to 0 and then selects the whole
// image (NumPy's a[-0:] is all of a), and a negative borderPx adds no frame.
func Mask(rows, cols int, borderPx float64, fromMask []bool) ([]bool, error) {
	if rows <= 0 || cols <= 0 || rows > math.MaxInt/cols {
		return nil, qperr.New(qperr.BadArgument, "image shape must be positive, got (%d, %d)", rows, cols)
	}
	n := rows * cols
	if err := checkMask(fromMask, n, "from_mask"); err != nil {
		return nil, err
	}
	if math.IsNaN(borderPx) || math.IsInf(borderPx, 0) {
		return nil, qperr.New(qperr.BadArgument, "`border_px` must be finite, got %v", borderPx)
	}
	mask := make([]bool, n)
	if fromMask != nil {
		copy(mask, fromMask)
	} else {
		for i := range mask {
			mask[i] = true
		}
	}
	if borderPx > 0 {
		bf := math.RoundToEven(borderPx)
		b := rows + cols // any b ≥ max(rows, cols) selects everything
		if bf < float64(b) {
			b = int(bf)
		}
		if b == 0 {
			return mask, nil // a[-0:] quirk: frame is the whole image
		}
		for i := 0; i < rows; i++ {
			inRow := i < b || i >= rows-b
			if inRow {
				continue
			}
			row := mask[i*cols : (i+1)*cols]
			for j := b; j < cols-b; j++ {
				row[j] = false
			}
		}
	}
	return mask, nil
}

// Estimate is upstream bg_estimate.estimate(..., ret_mask=True): the
// background image of data (rows×cols, row-major) and the mask it was fitted
// on. fromMask may be nil (all True).
func Estimate(data []float64, rows, cols int, fitOffset, fitProfile string,
	borderPx float64, fromMask []bool) (bg []float64, mask []bool, err error) {
	bg, mask, _, err = EstimateDetails(data, rows, cols, fitOffset, fitProfile, borderPx, fromMask)
	return bg, mask, err
}

// EstimateDetails is Estimate that also returns the fitted profile
// parameters and the added offset.
func EstimateDetails(data []float64, rows, cols int, fitOffset, fitProfile string,
	borderPx float64, fromMask []bool) (bg []float64, mask []bool, det Details, err error) {
	if err = ValidateFit(fitOffset, fitProfile); err != nil {
		return nil, nil, det, err
	}
	if err = checkImage(data, rows, cols); err != nil {
		return nil, nil, det, err
	}
	mask, err = Mask(rows, cols, borderPx, fromMask)
	if err != nil {
		return nil, nil, det, err
	}
	idx, err := usable(data, mask)
	if err != nil {
		return nil, nil, det, err
	}
	det = Details{FitOffset: fitOffset, FitProfile: fitProfile, NMask: len(idx)}

	switch fitProfile {
	case "tilt", "poly2o":
		names := TiltParamNames
		if fitProfile == "poly2o" {
			names = Poly2oParamNames
		}
		p, err := fitProfileParams(data, rows, cols, idx, fitProfile)
		if err != nil {
			return nil, nil, Details{}, err
		}
		det.ParamNames = append([]string(nil), names...)
		det.Params = p
		bg = evalProfile(fitProfile, p, rows, cols)
	default:
		bg = make([]float64, rows*cols)
	}

	if fitOffset != "fit" {
		v := make([]float64, len(idx))
		for k, i := range idx {
			v[k] = data[i] - bg[i]
		}
		var off float64
		switch fitOffset {
		case "mean":
			off = numpysum.Pairwise(v) / float64(len(v))
		case "mode":
			off = OffsetMode(v)
		case "gauss":
			off, err = OffsetGaussian(v)
			if err != nil {
				return nil, nil, Details{}, err
			}
		}
		if math.IsNaN(off) || math.IsInf(off, 0) {
			return nil, nil, Details{}, qperr.New(qperr.BadArgument,
				"background offset %q is not finite", fitOffset)
		}
		det.Offset = off
		for i := range bg {
			bg[i] += off
		}
	}
	return bg, mask, det, nil
}

// usable lists the indices of masked, finite pixels.
func usable(data []float64, mask []bool) ([]int, error) {
	var idx []int
	nmask := 0
	for i, m := range mask {
		if !m {
			continue
		}
		nmask++
		if v := data[i]; !math.IsNaN(v) && !math.IsInf(v, 0) {
			idx = append(idx, i)
		}
	}
	if nmask == 0 {
		return nil, qperr.New(qperr.BadArgument,
			"background mask is empty (`from_mask` and border frame do not intersect)")
	}
	if len(idx) == 0 {
		return nil, qperr.New(qperr.BadArgument,
			"background mask contains no finite pixel")
	}
	return idx, nil
}

// Mean is np.mean of a float64 slice (pairwise summation); NaN for empty.
func Mean(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	return numpysum.Pairwise(v) / float64(len(v))
}
