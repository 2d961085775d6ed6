package numpysum

import (
	"math"
	"testing"
)

// TestPairwiseSum: numpy's pairwise order differs from a running sum; check
// it against an exactly representable total and a compensated reference.
func TestPairwiseSum(t *testing.T) {
	for _, n := range []int{0, 1, 7, 8, 9, 127, 128, 129, 1000, 4097} {
		v := make([]float64, n)
		exact := 0.0
		for i := range v {
			v[i] = float64(i%17) * 0.25
			exact += v[i] // exactly representable partial sums
		}
		if got := Sum(v); got != exact {
			t.Errorf("n=%d: %v, want %v", n, got, exact)
		}
	}
	// 0.1 repeated: pairwise summation is far closer than a running sum.
	v := make([]float64, 100000)
	run := 0.0
	for i := range v {
		v[i] = 0.1
		run += 0.1
	}
	if d, r := math.Abs(Sum(v)-1e4), math.Abs(run-1e4); !(d < r/100) {
		t.Errorf("pairwise error %g not much below running-sum error %g", d, r)
	}
}
