package flproc

import (
	"math"
	"strconv"
	"testing"
)

// TestFitBleachShortSeriesUpstream: the 6-frame trace of the
// fl_bleach_border4 fixture frames with border_px=7 (a width the fixtures
// do not cover). The fit ends with the offset at its bound 0, where
// 1-ulp differences of sin/exp move the decay curve by 1e-5 relative; the
// expected values are flimage 0.3.3 / lmfit 1.1.0 with numpy's C-library
// sin/asin/exp (NPY_DISABLE_CPU_FEATURES="AVX512F AVX512CD AVX512_SKX
// AVX512_CLX AVX512_CNL AVX512_ICL"). Go's math.Sin/Exp gave 8.9e-6.
func TestFitBleachShortSeriesUpstream(t *testing.T) {
	hex := func(s []string) []float64 {
		out := make([]float64, len(s))
		for i, v := range s {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			out[i] = f
		}
		return out
	}
	times := hex([]string{"0x1.0000000000000p+1", "0x1.a7f799f737db2p+1", "0x1.37d30edaa6521p+2",
		"0x1.6ee62c9db3055p+2", "0x1.c9e0bf27ff24bp+2", "0x1.13db74bb34f7ap+3"})
	flint := hex([]string{"0x1.f62a73fc0563bp+13", "0x1.972022ffe13dcp+13", "0x1.3d86ec778ce54p+13",
		"0x1.13784acbba7f4p+13", "0x1.b6fbc6d0a14c4p+12", "0x1.54d29d5787e6cp+12"})
	want := []float64{16094.13298409084, 13019.651757837379, 10119.228700770973,
		8805.844547753788, 6998.971208184318, 5522.866078552485}
	fit, err := FitBleach(times, flint)
	if err != nil {
		t.Fatal(err)
	}
	got := Decay(times, fit.Fitted)
	for i := range want {
		if d := math.Abs(got[i]-want[i]) / want[0]; d > 1e-12 {
			t.Errorf("decay[%d] = %.17g, upstream %.17g (rel %.2g)", i, got[i], want[i], d)
		}
	}
}
