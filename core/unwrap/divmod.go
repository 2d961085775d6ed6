package unwrap

import "math"

// pyDivmod is Python's float divmod (CPython float_divmod): floor division
// with the remainder carrying the sign of b, computed from fmod so that the
// results match bit for bit.
func pyDivmod(a, b float64) (q, r float64) {
	mod := math.Mod(a, b)
	div := (a - mod) / b
	if mod != 0 {
		if (b < 0) != (mod < 0) {
			mod += b
			div -= 1
		}
	} else {
		mod = math.Copysign(0, b)
	}
	var floordiv float64
	if div != 0 {
		floordiv = math.Floor(div)
		if div-floordiv > 0.5 {
			floordiv += 1
		}
	} else {
		floordiv = math.Copysign(0, a/b)
	}
	return floordiv, mod
}

// DivmodNeg is qpimage.core.divmod_neg: Python divmod(a, b), then, if
// |r| > b/2, q += sign(r) and r -= b·sign(r), so that r lies in
// [-b/2, b/2]. NaN input gives NaN, NaN.
func DivmodNeg(a, b float64) (q, r float64) {
	q, r = pyDivmod(a, b)
	if math.Abs(r) > b/2 {
		sr := sign(r)
		q += sr
		r -= b * sr
	}
	return q, r
}

// sign is numpy.sign for a finite or infinite float.
func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return x // ±0 and NaN
}

// RemoveBorderOffset subtracts q·2π in place from the row-major rows×cols
// image, where q = DivmodNeg(nanmin(border), 2π).q and the border is the
// first and last row and column. The border minimum thus ends up in
// (-π, π]. With an all-NaN border (or a size mismatch) pha is left as is;
// upstream would turn the whole image into NaN there.
func RemoveBorderOffset(pha []float64, rows, cols int) {
	if checkShape(len(pha), rows, cols) != nil {
		return
	}
	q := borderPeriods(pha, rows, cols)
	if math.IsNaN(q) || q == 0 {
		return
	}
	off := q * twoPi
	for i := range pha {
		pha[i] -= off
	}
}

// borderPeriods is q of RemoveBorderOffset (NaN for an all-NaN border).
func borderPeriods(pha []float64, rows, cols int) float64 {
	min := math.NaN()
	see := func(v float64) {
		if v < min || (math.IsNaN(min) && !math.IsNaN(v)) {
			min = v
		}
	}
	for j := 0; j < cols; j++ {
		see(pha[j])
		see(pha[(rows-1)*cols+j])
	}
	for i := 0; i < rows; i++ {
		see(pha[i*cols])
		see(pha[i*cols+cols-1])
	}
	if math.IsNaN(min) {
		return min
	}
	q, _ := DivmodNeg(min, twoPi)
	return q
}
