package qpimage

import (
	"math"
	"math/rand"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"qpgo/core/h5"
	"qpgo/core/imagedata"
)

// benchPhase is the "wrapped phase n×n" input of ../shared/bench/reference.md
// before wrapping (the storage benchmarks do not unwrap).
func benchPhase(n int) []float64 {
	r := rand.New(rand.NewSource(47))
	out := make([]float64, n*n)
	s := float64(n) / 6
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			x, y := float64(i-n/2), float64(j-n/2)
			out[i*n+j] = 30*math.Exp(-(x*x+y*y)/(2*s*s)) + 0.01*x - 0.02*y + r.NormFloat64()*0.05
		}
	}
	return out
}

func benchImage(b *testing.B, n int) *QPImage {
	q, err := NewInMemory(&Input{WhichData: ConvWhichData("phase"), Arrays: [][]float64{benchPhase(n)}, Shape: []int{n, n}},
		nil, Options{ProcPhase: false, H5DType: h5.Float32})
	if err != nil {
		b.Fatal(err)
	}
	return q
}

// BenchmarkWriteReadMemory1024: create a 1024² in-memory QPImage and read pha.
func BenchmarkWriteReadMemory1024(b *testing.B) {
	pha := benchPhase(1024)
	for i := 0; i < b.N; i++ {
		q, err := NewInMemory(&Input{WhichData: ConvWhichData("phase"), Arrays: [][]float64{pha}, Shape: []int{1024, 1024}},
			nil, Options{ProcPhase: false, H5DType: h5.Float32})
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := q.Pha(); err != nil {
			b.Fatal(err)
		}
		q.Close()
	}
}

// BenchmarkWriteReadDisk1024: write a 1024² QPImage to disk (deflate 9 +
// Fletcher-32), reopen it read-only and read pha.
func BenchmarkWriteReadDisk1024(b *testing.B) {
	pha := benchPhase(1024)
	path := filepath.Join(b.TempDir(), "w.h5")
	for i := 0; i < b.N; i++ {
		q, err := NewFile(path, "w", &Input{WhichData: ConvWhichData("phase"), Arrays: [][]float64{pha}, Shape: []int{1024, 1024}},
			nil, Options{ProcPhase: false, H5DType: h5.Float32})
		if err != nil {
			b.Fatal(err)
		}
		q.Close()
		r, err := Open(path, "r")
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := r.Pha(); err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}

// BenchmarkCopyToDiskW4 is W4: copy an in-memory image with a poly2o fit to
// a file on disk (gzip 9 + Fletcher-32, float32).
func BenchmarkCopyToDiskW4(b *testing.B) {
	q := benchImage(b, 1024)
	defer q.Close()
	o := DefaultBGOptions()
	o.FitProfile, o.BorderPx = "poly2o", 20
	if _, err := q.ComputeBG(o); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "w4.h5")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := q.CopyToFile(path)
		if err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}

// BenchmarkReopenReadW5 is W5: reopen the W4 file read-only and read pha.
func BenchmarkReopenReadW5(b *testing.B) {
	q := benchImage(b, 1024)
	o := DefaultBGOptions()
	o.FitProfile, o.BorderPx = "poly2o", 20
	if _, err := q.ComputeBG(o); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "w5.h5")
	c, err := q.CopyToFile(path)
	if err != nil {
		b.Fatal(err)
	}
	c.Close()
	q.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := Open(path, "r")
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := r.Pha(); err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}

// BenchmarkComputeBgTiltMeanW2 is W2 through QPImage (including HDF5 I/O).
func BenchmarkComputeBgTiltMeanW2(b *testing.B) {
	q := benchImage(b, 1024)
	defer q.Close()
	o := DefaultBGOptions()
	o.BorderPx = 20
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := q.ComputeBG(o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkComputeBgPoly2oGaussW3 is W3 through QPImage.
func BenchmarkComputeBgPoly2oGaussW3(b *testing.B) {
	q := benchImage(b, 1024)
	defer q.Close()
	o := DefaultBGOptions()
	o.FitProfile, o.FitOffset, o.BorderPx = "poly2o", "gauss", 20
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := q.ComputeBG(o); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuTime is the process CPU time (user + system, all threads).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkDiskCPU repeats W4, W5 and WriteReadDisk1024 reporting the CPU
// time per operation ("cpu-ms/op", all threads) next to the wall time: on
// a loaded machine it shows what the work costs and how much of it ran in
// parallel.
func BenchmarkDiskCPU(b *testing.B) {
	q := benchImage(b, 1024)
	defer q.Close()
	o := DefaultBGOptions()
	o.FitProfile, o.BorderPx = "poly2o", 20
	if _, err := q.ComputeBG(o); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	w4 := filepath.Join(dir, "w4.h5")
	if c, err := q.CopyToFile(w4); err != nil {
		b.Fatal(err)
	} else {
		c.Close()
	}
	run := func(b *testing.B, op func() error) {
		start := cpuTime()
		for b.Loop() {
			if err := op(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
	b.Run("W4", func(b *testing.B) {
		run(b, func() error {
			c, err := q.CopyToFile(w4)
			if err == nil {
				err = c.Close()
			}
			return err
		})
	})
	b.Run("W5", func(b *testing.B) {
		run(b, func() error {
			r, err := Open(w4, "r")
			if err != nil {
				return err
			}
			defer r.Close()
			_, _, err = r.Pha()
			return err
		})
	})
	pha := benchPhase(1024)
	wr := filepath.Join(dir, "wr.h5")
	b.Run("WriteRead1024", func(b *testing.B) {
		run(b, func() error {
			w, err := NewFile(wr, "w", &Input{WhichData: ConvWhichData("phase"), Arrays: [][]float64{pha}, Shape: []int{1024, 1024}},
				nil, Options{ProcPhase: false, H5DType: h5.Float32})
			if err != nil {
				return err
			}
			w.Close()
			r, err := Open(wr, "r")
			if err != nil {
				return err
			}
			defer r.Close()
			_, _, err = r.Pha()
			return err
		})
	})
}

// wrapped is the "wrapped phase n×n" input of reference.md.
func wrapped(n int) []float64 {
	p := benchPhase(n)
	for i, v := range p {
		p[i] = math.Atan2(math.Sin(v), math.Cos(v))
	}
	return p
}

// BenchmarkQPImageW1 is W1: a QPImage from a 1024² wrapped phase in memory
// (unwrapping, 2π offset, float32 storage).
func BenchmarkQPImageW1(b *testing.B) {
	pha := wrapped(1024)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q, err := NewInMemory(&Input{WhichData: ConvWhichData("phase"), Arrays: [][]float64{pha}, Shape: []int{1024, 1024}}, nil, DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		q.Close()
	}
}

// benchHologram is the "hologram n×n uint8" input of reference.md.
func benchHologram(n int) []float64 {
	r := rand.New(rand.NewSource(47))
	out := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			x, y := float64(i-n/2), float64(j-n/2)
			d := 0.5 * (1 - math.Tanh((math.Hypot(x, y)-float64(n)/5)/3))
			pha, amp := 2*d, 1-0.2*d
			h := 1 + amp*amp + 2*amp*math.Cos(2*math.Pi*(-0.23*x-0.14*y)+pha) + r.NormFloat64()*0.02
			out[i*n+j] = math.Max(0, math.Min(255, math.Round(60*h)))
		}
	}
	return out
}

// BenchmarkQPImageRawOAHW6c is W6c: QPImage(hologram, which_data="raw-oah")
// of a 1024² hologram including unwrapping.
func BenchmarkQPImageRawOAHW6c(b *testing.B) {
	holo := benchHologram(1024)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q, err := NewInMemory(&Input{WhichData: ConvWhichData("raw-oah"), Arrays: [][]float64{holo}, Shape: []int{1024, 1024}}, nil, DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		q.Close()
	}
}

// BenchmarkRefocusW10a is W10a: refocus(2e-6, "helmholtz", padding=True) of
// a 512² field into a new QPImage including unwrapping.
func BenchmarkRefocusW10a(b *testing.B) {
	n := 512
	pha := benchPhase(n)
	for i := range pha {
		pha[i] *= 0.1
	}
	opt := DefaultOptions()
	opt.ProcPhase = false
	opt.Meta = []imagedata.Attr{{Name: "wavelength", Value: 550e-9}, {Name: "pixel size", Value: 1e-7}, {Name: "medium index", Value: 1.335}}
	q, err := NewInMemory(&Input{WhichData: ConvWhichData("phase"), Arrays: [][]float64{pha}, Shape: []int{n, n}}, nil, opt)
	if err != nil {
		b.Fatal(err)
	}
	defer q.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := q.Refocus(2e-6, DefaultRefocusOptions())
		if err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}
