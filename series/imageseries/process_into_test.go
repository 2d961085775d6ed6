package imageseries

import (
	"math"
	"slices"
	"testing"
)

// FrameInto with a shape-keeping flip last writes the flip straight into
// the caller's buffer: the same values, bit for bit, as Frame, for every
// such code, alone and after a dark subtraction (float32 dark, values on
// both sides of zero), over frame lists and negative indices.
func TestProcessedFlipInto(t *testing.T) {
	const n, rows, cols = 3, 5, 7
	data := make([]uint16, n*rows*cols)
	for i := range data {
		data[i] = uint16(i * 37 % 101)
	}
	src, _ := NewArray(data, []int{n, rows, cols}, nil)
	dark := make([]float32, rows*cols)
	for i := range dark {
		dark[i] = float32(i%9) * 11.5
	}
	dark[3] = float32(math.NaN())
	df := Frame{rows, cols, dark}
	for _, code := range []string{"v", "y", "h", "x", "vh", "hv", "r180"} {
		for _, ops := range [][]Op{{{"flip", code}}, {{"dark", df}, {"flip", code}}} {
			p, err := NewProcessed(src, ops, []int{2, 0}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if p.lastFlip != code {
				t.Fatalf("%v: lastFlip %q", ops, p.lastFlip)
			}
			for _, k := range []int{0, 1, -1} {
				want, err := p.Frame(k)
				if err != nil {
					t.Fatal(err)
				}
				got := opsFor(p.DType()).make(rows * cols)
				if err := p.FrameInto(k, got); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(DataBytes(got), DataBytes(want.Data)) {
					t.Errorf("%s %v frame %d: FrameInto %v, Frame %v", code, ops[0].Key, k, got, want.Data)
				}
			}
		}
	}
	// upstream's dark subtraction keeps NaN and clamps below zero only
	p, _ := NewProcessed(src, []Op{{"dark", df}}, nil, nil)
	f, _ := p.Frame(0)
	v := f.Data.([]float32)
	if !math.IsNaN(float64(v[3])) || v[1] != max(float32(data[1])-dark[1], 0) || v[6] != 0 || v[8] != 2 {
		t.Errorf("dark: %v", v[:9])
	}
	// a 90° flip changes the shape: not written in place
	if p, _ := NewProcessed(src, []Op{{"flip", "r90"}}, nil, nil); p.lastFlip != "" {
		t.Error("r90 taken for a shape-keeping flip")
	}
}

// BenchmarkS11FrameInto is S11 as the bindings run it: an in-memory
// uint16 array, dark (float32) + flip v, every frame into one buffer.
func BenchmarkS11FrameInto(b *testing.B) {
	const n, rows, cols = 200, 1024, 1024
	data := make([]uint16, n*rows*cols)
	for i := range data {
		data[i] = uint16(100 + i*7919%32)
	}
	src, _ := NewArray(data, []int{n, rows, cols}, nil)
	dark := make([]float32, rows*cols)
	for i := range dark {
		dark[i] = 116
	}
	p, err := NewProcessed(src, []Op{{"dark", Frame{rows, cols, dark}}, {"flip", "v"}}, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	dst := make([]float32, rows*cols)
	b.ResetTimer()
	for range b.N {
		for i := 0; i < n; i++ {
			if err := p.FrameInto(i, dst); err != nil {
				b.Fatal(err)
			}
		}
	}
}
