package stream

import (
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// BenchmarkAppend1024 measures the sustained append rate of 1024×1024
// frames (phase and amplitude, stored float32) to a SWMR file, with the
// default compression (shuffle + gzip level 1) and without.
func BenchmarkAppend1024(b *testing.B) {
	const n = 1024
	rng := rand.New(rand.NewPCG(3, 4))
	pha, amp := testFrame(0, n, n)
	for i := range pha { // camera-like noise, so compression has work to do
		pha[i] += rng.NormFloat64() * 0.01
		amp[i] += rng.NormFloat64() * 0.01
	}
	for _, c := range []struct {
		name     string
		compress bool
	}{{"compress=default", true}, {"compress=off", false}} {
		b.Run(c.name, func(b *testing.B) {
			w, err := Create(filepath.Join(b.TempDir(), "bench.h5"), n, n, Options{SWMR: true, Compress: c.compress})
			if err != nil {
				b.Fatal(err)
			}
			defer w.Close()
			b.SetBytes(2 * 4 * n * n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := w.Append(pha, amp, float64(i)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
		})
	}
}
