package refocus

import (
	"math/cmplx"
	"testing"
)

// TestPadRows: the explicit rows equal PadAdd's exactly and the bands
// reproduce its ramp rows up to rounding, for even and odd shapes.
func TestPadRows(t *testing.T) {
	for _, sh := range [][2]int{{32, 32}, {31, 26}, {25, 40}, {7, 5}, {1, 3}, {2, 1}} {
		rows, cols := sh[0], sh[1]
		field := testField(max(rows, cols))[:rows*cols]
		for i := range field {
			field[i] *= cmplx.Rect(1, float64(i%13)/5)
		}
		P, R, C, err := PadAdd(field, rows, cols)
		if err != nil {
			t.Fatal(err)
		}
		F := make([]complex128, rows*C)
		bands, err := padRows(F, field, rows, cols)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range F {
			if v != P[i] {
				t.Fatalf("%v: explicit element %d = %v, PadAdd %v", sh, i, v, P[i])
			}
		}
		covered := rows
		worst := 0.0
		for _, b := range bands {
			if b.Row0 != covered {
				t.Fatalf("%v: band at row %d, want %d", sh, b.Row0, covered)
			}
			for i, s := range b.Coef {
				for c, v := range b.Vec {
					got := b.Const + complex(s, 0)*v
					worst = max(worst, cmplx.Abs(got-P[(b.Row0+i)*C+c]))
				}
			}
			covered += len(b.Coef)
		}
		if covered != R {
			t.Errorf("%v: bands end at row %d, want %d", sh, covered, R)
		}
		if worst > 1e-14 {
			t.Errorf("%v: band rows differ by %g", sh, worst)
		}
		if _, err := Refocus(field, rows, cols, 1e-6, 550e-9, 1e-7, 1.335, "fresnel", true); err != nil {
			t.Errorf("%v: Refocus: %v", sh, err)
		}
	}
}
