package minpack

import "math"

// Bound is one lmfit (1.x) parameter bound [Lo, Hi], Hi = +Inf for a
// lower bound only (Lo must be finite; lmfit's upper-only and unbounded
// cases are not needed here). lmfit hands lmdif the MINUIT-style internal
// value of a bounded parameter and maps it back for the model.
type Bound struct{ Lo, Hi float64 }

// Clamp is lmfit's value setter: out-of-bounds values take the bound.
func (b Bound) Clamp(v float64) float64 {
	if v > b.Hi {
		return b.Hi
	}
	if v < b.Lo {
		return b.Lo
	}
	return v
}

// tiny is lmfit's threshold below which an internal value is set to 0.
const tiny = 1e-15

// Internal is lmfit's Parameter.setup_bounds: sqrt((v−lo+1)²−1) for a
// lower bound, asin(2(v−lo)/(hi−lo)−1) for two bounds. It does not clamp.
func (b Bound) Internal(v float64) float64 {
	var x float64
	if math.IsInf(b.Hi, 1) {
		s := v - b.Lo + 1.0
		x = math.Sqrt(s*s - 1)
	} else {
		x = math.Asin(2*(v-b.Lo)/(b.Hi-b.Lo) - 1)
	}
	if math.Abs(x) < tiny {
		x = 0
	}
	return x
}

// External is lmfit's from_internal followed by the clamping value setter:
// lo−1+sqrt(x²+1) for a lower bound, lo+(sin x+1)(hi−lo)/2 for two.
func (b Bound) External(x float64) float64 {
	var v float64
	if math.IsInf(b.Hi, 1) {
		v = b.Lo - 1.0 + math.Sqrt(x*x+1)
	} else {
		v = b.Lo + (math.Sin(x)+1)*(b.Hi-b.Lo)/2.0
	}
	return b.Clamp(v)
}
