package imageseries

import (
	"os"
	"path/filepath"
	"testing"
)

// S1/S2 use 100 frames (upstream: 500); scripts/bench-map.txt scales by 5.
func BenchmarkS1WriteHDF5100(b *testing.B) {
	s := benchStack(100)
	out := filepath.Join(b.TempDir(), "s.h5")
	b.ResetTimer()
	for range b.N {
		if err := WriteHDF5(s, out, HDF5WriteOptions{Path: "imageseries", Gzip: 1, Shuffle: true}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	st, _ := os.Stat(out)
	b.ReportMetric(float64(st.Size()), "bytes")
}

// BenchmarkS2ReadHDF5100 reads every frame into one reused buffer
// (ReadFrameInto), as a C, Python or MATLAB caller of ims_get_frame does;
// BenchmarkS2ReadHDF5100Alloc calls Frame (a new slice per frame).
func BenchmarkS2ReadHDF5100(b *testing.B)      { benchReadHDF5(b, true) }
func BenchmarkS2ReadHDF5100Alloc(b *testing.B) { benchReadHDF5(b, false) }

func benchReadHDF5(b *testing.B, into bool) {
	s := benchStack(100)
	out := filepath.Join(b.TempDir(), "s.h5")
	if err := WriteHDF5(s, out, HDF5WriteOptions{Path: "imageseries", Gzip: 1, Shuffle: true}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		h, err := OpenHDF5(out, "imageseries", "images")
		if err != nil {
			b.Fatal(err)
		}
		readAll(b, h, into)
		h.Close()
	}
}
