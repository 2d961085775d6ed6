package imageseries

import "testing"

func BenchmarkIJV(b *testing.B) {
	f, _ := genSeries{1, 1024, 1024}.Frame(0)
	b.ResetTimer()
	for range b.N {
		extractIJV(f, 200)
	}
}

func BenchmarkEncodeFrame(b *testing.B) {
	s := benchStack(4)
	b.ResetTimer()
	for i := range b.N {
		encodeFrame(s, i%4, 1024, 1024, Uint16, 200)
	}
}
