package qpseries

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"qpgo/core/imagedata"
	"qpgo/core/qpimage"
)

// benchImages builds n in-memory QPImages of 256×256 phase + amplitude
// (a wrapped Gaussian phase with noise, noisy amplitude: both compress as
// poorly as the reference inputs, 43 MB for 100 images upstream).
func benchImages(b *testing.B, n int) []*qpimage.QPImage {
	const size = 256
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]*qpimage.QPImage, n)
	for k := range out {
		pha := make([]float64, size*size)
		amp := make([]float64, size*size)
		for i := range pha {
			x, y := float64(i%size-size/2), float64(i/size-size/2)
			p := 30*math.Exp(-(x*x+y*y)/(2*(size/6.)*(size/6.))) + 0.01*x - 0.02*y + rng.NormFloat64()*0.05
			pha[i] = math.Atan2(math.Sin(p), math.Cos(p))
			amp[i] = 1 + 0.05*rng.NormFloat64()
		}
		q, err := qpimage.NewInMemory(&qpimage.Input{WhichData: qpimage.ConvWhichData("phase,amplitude"),
			Arrays: [][]float64{pha, amp}, Shape: []int{size, size}}, nil,
			qpimage.Options{H5DType: 0, Meta: []imagedata.Attr{{Name: "wavelength", Value: 550e-9}}})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { q.Close() })
		out[k] = q
	}
	return out
}

func writeW7a(b *testing.B, path string, qs []*qpimage.QPImage) {
	s, err := NewFile(path, "w", nil, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for i, q := range qs {
		if err := s.AddQPImage(q, fmt.Sprintf("img%03d", i), NoBG); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkW7aAdd100 is W7a: add 100 in-memory QPImages (256×256 phase +
// amplitude) with identifiers to a new series file (upstream 6234 ms).
func BenchmarkW7aAdd100(b *testing.B) {
	qs := benchImages(b, 100)
	path := filepath.Join(b.TempDir(), "w7a.h5")
	stop := cpuClock(b)
	for b.Loop() {
		writeW7a(b, path, qs)
	}
	stop()
	st, _ := os.Stat(path)
	b.ReportMetric(float64(st.Size()), "bytes")
}

// BenchmarkW7bRead100 is W7b: reopen the W7a file, iterate and read pha of
// all 100 images (upstream 264 ms).
func BenchmarkW7bRead100(b *testing.B) {
	qs := benchImages(b, 100)
	path := filepath.Join(b.TempDir(), "w7a.h5")
	writeW7a(b, path, qs)
	stop := cpuClock(b)
	for b.Loop() {
		s, err := Open(path, "r")
		if err != nil {
			b.Fatal(err)
		}
		for q, err := range s.All() {
			if err != nil {
				b.Fatal(err)
			}
			if _, _, err := q.Pha(); err != nil {
				b.Fatal(err)
			}
		}
		s.Close()
	}
	stop()
}
