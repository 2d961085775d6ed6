package flproc

import (
	"math"
	"math/rand/v2"
	"testing"
)

// flStack builds the "fluorescence stack" of bench/reference.md: n frames
// of 256×256 float32 values (two Gaussian spots of 150 and 90 counts
// decaying as exp(−0.05 t), offset 17, normal(0, 1) noise), times 0, 1, … s.
func flStack(n int) ([][]float64, []float64) {
	const size = 256
	rng := rand.New(rand.NewPCG(42, 7))
	frames := make([][]float64, n)
	times := make([]float64, n)
	for i := range frames {
		t := float64(i)
		times[i] = t
		b := math.Exp(-0.05 * t)
		f := make([]float64, size*size)
		for r := 0; r < size; r++ {
			for c := 0; c < size; c++ {
				dx1, dy1 := float64(r-100), float64(c-90)
				dx2, dy2 := float64(r-170), float64(c-160)
				v := 17 + b*(150*math.Exp(-(dx1*dx1+dy1*dy1)/(2*20*20))+90*math.Exp(-(dx2*dx2+dy2*dy2)/(2*12*12))) + rng.NormFloat64()
				f[r*size+c] = float64(float32(v))
			}
		}
		frames[i] = f
	}
	return frames, times
}

// BenchmarkBleachCorrection100 is the numerics of W8: background, trace,
// fit and corrected frames of 100 frames 256×256, border_px=20 (upstream's
// 2093 ms also reads and writes the HDF5 files).
func BenchmarkBleachCorrection100(b *testing.B) {
	frames, times := flStack(100)
	b.ResetTimer()
	for b.Loop() {
		res, err := BleachCorrection(frames, 256, 256, times, 20, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ApplyCorrection(frames, 256, 256, res.Bg, res.Corr, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDenoise20 is the numerics of W9: denoise_tv_chambolle(weight=2)
// of 20 frames 256×256 on all cores (run with -cpu 1,2 for the scaling).
func BenchmarkDenoise20(b *testing.B) {
	frames, _ := flStack(20)
	b.ResetTimer()
	for b.Loop() {
		if _, err := DenoiseFrames(frames, 256, 256, DenoiseWeight, nil); err != nil {
			b.Fatal(err)
		}
	}
}
