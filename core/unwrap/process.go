package unwrap

import (
	"math"

	"qpgo/core/qperr"
)

// ProcessPhase is qpimage's proc_phase=True step for a row-major rows×cols
// phase image: unwrap (seed 47), with NaN pixels set to 0 and masked during
// unwrapping and NaN again afterwards, then RemoveBorderOffset. The input
// is not modified.
//
// Degenerate inputs follow upstream: 1×N and N×1 images are unwrapped along
// their one axis; an all-NaN image comes back all NaN (no error). ±Inf is
// rejected with a BadArgument error (upstream would produce NaN garbage),
// as are a non-positive shape and a size mismatch.
func ProcessPhase(pha []float64, rows, cols int) ([]float64, error) {
	return ProcessPhaseSeed(pha, rows, cols, QPImageSeed)
}

// ProcessPhaseSeed is ProcessPhase with another unwrapping seed.
func ProcessPhaseSeed(pha []float64, rows, cols int, seed uint32) ([]float64, error) {
	if err := checkShape(len(pha), rows, cols); err != nil {
		return nil, err
	}
	var mask []bool
	for i, v := range pha {
		if math.IsInf(v, 0) {
			return nil, qperr.New(qperr.BadArgument, "phase contains infinite values")
		}
		if math.IsNaN(v) {
			if mask == nil {
				mask = make([]bool, len(pha))
			}
			mask[i] = true
		}
	}
	out, err := Unwrap2DSeed(pha, rows, cols, mask, seed)
	if err != nil {
		return nil, err
	}
	for i, m := range mask {
		if m {
			out[i] = math.NaN()
		}
	}
	RemoveBorderOffset(out, rows, cols)
	return out, nil
}
