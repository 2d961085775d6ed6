package imageseries

import (
	"os"
	"path/filepath"
	"testing"
)

// S5/S6 use 100 frames (upstream: 500); scale by 5 for the comparison.
func BenchmarkS5WriteFCH5100(b *testing.B) {
	s := benchStack(100)
	out := filepath.Join(b.TempDir(), "c.fch5")
	b.ResetTimer()
	for range b.N {
		if err := WriteFrameCache(s, out, FrameCacheOptions{Threshold: 200, Style: "fch5"}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	st, _ := os.Stat(out)
	b.ReportMetric(float64(st.Size()), "bytes")
}

func BenchmarkS6ReadFCH5100(b *testing.B) {
	s := benchStack(100)
	out := filepath.Join(b.TempDir(), "c.fch5")
	if err := WriteFrameCache(s, out, FrameCacheOptions{Threshold: 200, Style: "fch5"}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		fc, err := OpenFrameCache(out, "fch5")
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < fc.Len(); i++ {
			if _, err := fc.Frame(i); err != nil {
				b.Fatal(err)
			}
		}
		fc.(*FCH5Cache).Close()
	}
}
