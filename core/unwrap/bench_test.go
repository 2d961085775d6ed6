package unwrap

import (
	"math"
	"math/rand"
	"testing"
)

// wrappedPhase is the "wrapped phase n×n" input of bench/reference.md.
func wrappedPhase(n int) []float64 {
	rng := rand.New(rand.NewSource(42))
	out := make([]float64, n*n)
	s := float64(n) / 6
	for i := range n {
		for j := range n {
			x, y := float64(i-n/2), float64(j-n/2)
			p := 30*math.Exp(-(x*x+y*y)/(2*s*s)) + 0.01*x - 0.02*y + rng.NormFloat64()*0.05
			out[i*n+j] = math.Atan2(math.Sin(p), math.Cos(p))
		}
	}
	return out
}

// BenchmarkProcessPhase1024 compares with W1 (653 ms upstream, which also
// includes float32 storage).
func BenchmarkProcessPhase1024(b *testing.B) {
	pha := wrappedPhase(1024)
	b.ResetTimer()
	for b.Loop() {
		if _, err := ProcessPhase(pha, 1024, 1024); err != nil {
			b.Fatal(err)
		}
	}
}
