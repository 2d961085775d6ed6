package refocus

import (
	"math/cmplx"

	"qpgo/core/fft"
)

// nrefocus pads on the centred layout (numpy.pad: axis 0 on the original
// columns, then axis 1 over all rows) and rolls the result by (-lx, -ly).
// Every padded row is therefore a centred row "mid" of cols values with a
// left ramp from pv to mid[0] and a right ramp from mid[cols-1] to pv. The
// top and bottom ramp rows are pv + k·E for one vector E each (E = the
// padded row of the ramp steps with pv = 0), which Refocus hands to
// package fft as bands instead of materialising them.

// padValue is mean(|b|)·exp(i·mean(angle(b))) of the border band b (pixels
// outside [10:-10, 10:-10]; the mask is empty when the image is smaller than
// 2·stlen). Rows are summed in parallel (atan2 and hypot dominate) and the
// row sums added in order, so the result does not depend on the worker
// count.
func padValue(field []complex128, rows, cols int) (complex128, error) {
	sa, sp, cnt := make([]float64, rows), make([]float64, rows), make([]int, rows)
	err := parallelRows(rows, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			row := field[i*cols : (i+1)*cols]
			inner := i >= stlen && i < rows-stlen
			for j, v := range row {
				if inner && j >= stlen && j < cols-stlen {
					continue
				}
				sa[i] += cmplx.Abs(v)
				sp[i] += cmplx.Phase(v)
				cnt[i]++
			}
		}
	})
	if err != nil {
		return 0, err
	}
	var ta, tp float64
	nb := 0
	for i := range sa {
		ta += sa[i]
		tp += sp[i]
		nb += cnt[i]
	}
	return complex(ta/float64(nb), 0) * cmplx.Exp(complex(0, tp/float64(nb))), nil
}

// padRow writes the padded, rolled row of mid (centred values) into dst
// (2·cols wide): centred column j goes to (j-ly) mod 2·cols, so mid starts
// at 0, the right ramp follows it and the left ramp ends the row.
func padRow(dst, mid []complex128, pv complex128, ly, ry int) {
	cols := len(mid)
	C := len(dst)
	copy(dst[:cols], mid)
	left, right := rampStep(pv, mid[0], ly), rampStep(pv, mid[cols-1], ry)
	for r := 0; r < ry; r++ {
		dst[cols+r] = rampAt(pv, right, ry-1-r)
	}
	for k := 0; k < ly; k++ {
		dst[C-ly+k] = rampAt(pv, left, k)
	}
}

// padAddInto writes PadAdd(field) into P (2rows×2cols, fully overwritten).
func padAddInto(P, field []complex128, rows, cols int) error {
	R, C := 2*rows, 2*cols
	lx, rx := padLR(rows, R)
	ly, ry := padLR(cols, C)
	pv, err := padValue(field, rows, cols)
	if err != nil {
		return err
	}
	top, bot := rampSteps(field, rows, cols, pv, lx, rx)
	return parallelRows(R, func(lo, hi int) {
		mid := make([]complex128, cols)
		for i := lo; i < hi; i++ {
			switch {
			case i < lx:
				for j, st := range top {
					mid[j] = rampAt(pv, st, i)
				}
			case i >= lx+rows:
				k := rx - 1 - (i - lx - rows)
				for j, st := range bot {
					mid[j] = rampAt(pv, st, k)
				}
			default:
				copy(mid, field[(i-lx)*cols:(i-lx+1)*cols])
			}
			// Roll by -lx: centred row i → (i-lx) mod R.
			r := (i - lx + R) % R
			padRow(P[r*C:(r+1)*C], mid, pv, ly, ry)
		}
	})
}

// rampSteps returns the per-column ramp steps of the top band (from pv to
// the first row, lx rows) and the bottom band (rx rows).
func rampSteps(field []complex128, rows, cols int, pv complex128, lx, rx int) (top, bot []complex128) {
	top, bot = make([]complex128, cols), make([]complex128, cols)
	for j := range top {
		top[j] = rampStep(pv, field[j], lx)
		bot[j] = rampStep(pv, field[(rows-1)*cols+j], rx)
	}
	return top, bot
}

// padRows writes rows [0, rows) of PadAdd(field) (the field rows with their
// side ramps) into F (rows×2cols) and returns the other rows as bands:
// rows [rows, rows+rx) are the bottom ramp pv + k·Ebot with k = rx-1 … 0,
// rows [2rows-lx, 2rows) the top ramp pv + k·Etop with k = 0 … lx-1.
// Equal to PadAdd up to rounding (k·(step/ly) instead of (k·step)/ly in the
// corners).
func padRows(F, field []complex128, rows, cols int) ([]fft.Band, error) {
	R, C := 2*rows, 2*cols
	lx, rx := padLR(rows, R)
	ly, ry := padLR(cols, C)
	pv, err := padValue(field, rows, cols)
	if err != nil {
		return nil, err
	}
	top, bot := rampSteps(field, rows, cols, pv, lx, rx)
	err = parallelRows(rows, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			padRow(F[i*C:(i+1)*C], field[i*cols:(i+1)*cols], pv, ly, ry)
		}
	})
	if err != nil {
		return nil, err
	}
	eTop, eBot := make([]complex128, C), make([]complex128, C)
	padRow(eTop, top, 0, ly, ry)
	padRow(eBot, bot, 0, ly, ry)
	kBot, kTop := make([]float64, rx), make([]float64, lx)
	for r := range kBot {
		kBot[r] = float64(rx - 1 - r)
	}
	for i := range kTop {
		kTop[i] = float64(i)
	}
	return []fft.Band{
		{Row0: rows, Coef: kBot, Vec: eBot, Const: pv},
		{Row0: R - lx, Coef: kTop, Vec: eTop, Const: pv},
	}, nil
}

// rampStep and rampAt give numpy.linspace(end, edge, n, endpoint=False)[k]
// evaluated as numpy does: k·step + start with step = (edge − end)/n.
func rampStep(end, edge complex128, n int) complex128 {
	d := edge - end
	return complex(real(d)/float64(n), imag(d)/float64(n))
}

func rampAt(end, step complex128, k int) complex128 {
	return complex(float64(k)*real(step)+real(end), float64(k)*imag(step)+imag(end))
}
