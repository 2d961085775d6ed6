package flseries

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"qpgo/core/flimage"
	"qpgo/core/imagedata"
)

// writeStack writes the "fluorescence stack" of bench/reference.md (n
// frames 256×256 float32: two Gaussian spots of 150 and 90 counts decaying
// as exp(−0.05 t), offset 17, normal(0, 1) noise; times 0, 1, … s) as an
// FLSeries file.
func writeStack(b *testing.B, path string, n int) {
	const size = 256
	rng := rand.New(rand.NewPCG(42, 7))
	s, err := NewFile(path, "w", nil, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i++ {
		t := float64(i)
		dec := math.Exp(-0.05 * t)
		f := make([]float64, size*size)
		for r := 0; r < size; r++ {
			for c := 0; c < size; c++ {
				dx1, dy1 := float64(r-100), float64(c-90)
				dx2, dy2 := float64(r-170), float64(c-160)
				f[r*size+c] = 17 + dec*(150*math.Exp(-(dx1*dx1+dy1*dy1)/(2*20*20))+90*math.Exp(-(dx2*dx2+dy2*dy2)/(2*12*12))) + rng.NormFloat64()
			}
		}
		fli, err := flimage.NewInMemory(&flimage.Array{Data: f, Shape: []int{size, size}}, nil,
			flimage.Options{Meta: []imagedata.Attr{{Name: "time", Value: t}, {Name: "identifier", Value: fmt.Sprintf("frame%d", i)}}})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.AddFLImage(fli, ""); err != nil {
			b.Fatal(err)
		}
		fli.Close()
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkW8Bleach100 is W8: an FLSeries of 100 frames 256×256 on disk,
// bleach_correction(h5out=new file, border_px=20) (upstream 2093 ms).
func BenchmarkW8Bleach100(b *testing.B) {
	dir := b.TempDir()
	in := filepath.Join(dir, "in.h5")
	writeStack(b, in, 100)
	out := filepath.Join(dir, "out.h5")
	stop := cpuClock(b)
	for b.Loop() {
		os.Remove(out)
		s, err := Open(in, "r")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.BleachCorrection(ToFile(out), 20, nil, nil); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
	stop()
	st, _ := os.Stat(out)
	b.ReportMetric(float64(st.Size()), "bytes")
}

// BenchmarkW9Denoise20 is W9: an FLSeries of 20 frames 256×256,
// denoise(h5file=new file) (upstream 942 ms).
func BenchmarkW9Denoise20(b *testing.B) {
	dir := b.TempDir()
	in := filepath.Join(dir, "in.h5")
	writeStack(b, in, 20)
	out := filepath.Join(dir, "out.h5")
	stop := cpuClock(b)
	for b.Loop() {
		os.Remove(out)
		s, err := Open(in, "r")
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Denoise(ToFile(out), nil); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
	stop()
	st, _ := os.Stat(out)
	b.ReportMetric(float64(st.Size()), "bytes")
}
