package imageseries

import (
	"encoding/binary"
	"testing"
)

// A median over a frame source holds a band of DefaultSourceStatsBuffer
// bytes, not the stack: with the stack twice that size every frame is
// read once per band, and the result equals the in-memory series'.
func TestPercentileOverSourceIsBanded(t *testing.T) {
	const n, rows, cols = 200, 256, 256 // 26 MB of uint16: two bands
	val := func(i, k int) uint16 { return uint16((i*7 + k*13) % 1009) }
	reads := 0
	src, err := NewSource(n, rows, cols, Uint16, func(i int, buf []byte) error {
		reads++
		for k := 0; k < rows*cols; k++ {
			binary.NativeEndian.PutUint16(buf[2*k:], val(i, k))
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	data := make([]uint16, n*rows*cols)
	for i := 0; i < n; i++ {
		for k := 0; k < rows*cols; k++ {
			data[i*rows*cols+k] = val(i, k)
		}
	}
	arr, err := NewArray(data, []int{n, rows, cols}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Median(src, 0)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Median(arr, 0)
	if err != nil {
		t.Fatal(err)
	}
	stack := int64(n * rows * cols * 2)
	bands := int((stack + DefaultSourceStatsBuffer - 1) / DefaultSourceStatsBuffer)
	if bands < 2 {
		t.Fatalf("test stack of %d bytes fits one band", stack)
	}
	if reads < bands*n || reads > (bands+1)*n {
		t.Fatalf("%d frame reads, want about %d (%d bands)", reads, bands*n, bands)
	}
	g, w := got.Data.([]float32), want.Data.([]float32)
	for k := range w {
		if g[k] != w[k] {
			t.Fatalf("pixel %d: %v, want %v", k, g[k], w[k])
		}
	}
	if statsBufferFor(arr) != DefaultStatsBuffer || statsBufferFor(src) != DefaultSourceStatsBuffer {
		t.Fatal("default band buffers")
	}
}
