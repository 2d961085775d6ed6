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

// BenchmarkS6ReadFCH5100 reads every frame into one reused buffer
// (ReadFrameInto), as a caller of ims_get_frame does;
// BenchmarkS6ReadFCH5100Alloc calls Frame (a new slice per frame).
func BenchmarkS6ReadFCH5100(b *testing.B)      { benchReadFCH5(b, true) }
func BenchmarkS6ReadFCH5100Alloc(b *testing.B) { benchReadFCH5(b, false) }

func benchReadFCH5(b *testing.B, into bool) {
	s := benchStack(100)
	out := filepath.Join(b.TempDir(), "c.fch5")
	if err := WriteFrameCache(s, out, FrameCacheOptions{Threshold: 200, Style: "fch5"}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		forgetSharedMemos() // time the decoding, not the memo of the last open
		fc, err := OpenFrameCache(out, "fch5")
		if err != nil {
			b.Fatal(err)
		}
		readAll(b, fc, into)
		fc.(*FCH5Cache).Close()
	}
}
