package bgfit

import (
	"math"
	"math/rand"
	"testing"
)

// benchImage is the W1 input of bench/reference.md (1024², unwrapped: the
// true phase 30·exp(−r²/(2(n/6)²)) + 0.01x − 0.02y + N(0, 0.05)).
func benchImage(n int) []float64 {
	rng := rand.New(rand.NewSource(47))
	img := make([]float64, n*n)
	s := float64(n) / 6
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			x, y := float64(i-n/2), float64(j-n/2)
			img[i*n+j] = 30*math.Exp(-(x*x+y*y)/(2*s*s)) + 0.01*x - 0.02*y + rng.NormFloat64()*0.05
		}
	}
	return img
}

func benchComputeBg(b *testing.B, off, prof string) {
	const n = 1024
	img := benchImage(n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		border, err := ComputeBorder(0, 0, 20, n, n, 0, false, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := Estimate(img, n, n, off, prof, float64(border), nil); err != nil {
			b.Fatal(err)
		}
	}
}

// W2: compute_bg(tilt, mean, border_px=20), upstream 66 ms.
func BenchmarkComputeBgTiltMean(b *testing.B) { benchComputeBg(b, "mean", "tilt") }

// W3: compute_bg(poly2o, gauss, border_px=20), upstream 200 ms.
func BenchmarkComputeBgPoly2oGauss(b *testing.B) { benchComputeBg(b, "gauss", "poly2o") }
