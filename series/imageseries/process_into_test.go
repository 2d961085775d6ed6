package imageseries

import (
	"math"
	"testing"
)

// flipRef is hexrd's flip of one rows×cols frame, index by index: "v"/"y"
// img[:, ::-1], "h"/"x" img[::-1, :], "vh"/"hv"/"r180" img[::-1, ::-1].
func flipRef(v []float64, rows, cols int, code string) []float64 {
	out := make([]float64, len(v))
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			sr, sc := r, c
			if code == "v" || code == "y" || code == "vh" || code == "hv" || code == "r180" {
				sc = cols - 1 - c
			}
			if code == "h" || code == "x" || code == "vh" || code == "hv" || code == "r180" {
				sr = rows - 1 - r
			}
			out[r*cols+c] = v[sr*cols+sc]
		}
	}
	return out
}

// FrameInto with a shape-keeping flip last writes the flip straight into
// the caller's buffer, and Frame returns it: both equal hexrd's, computed
// here index by index (ret = img - dark; ret[ret < 0] = 0; flip), for every
// such code, alone and after a dark subtraction (float32 dark, values on
// both sides of zero, a NaN), over frame lists and negative indices.
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
			for k, orig := range map[int]int{0: 2, 1: 0, -1: 0} {
				in := make([]float64, rows*cols)
				for i := range in {
					x := float64(data[orig*rows*cols+i])
					if len(ops) == 2 {
						d := float32(x) - dark[i]
						if d < 0 {
							d = 0
						}
						x = float64(d)
					}
					in[i] = x
				}
				want := flipRef(in, rows, cols, code)
				got := opsFor(p.DType()).make(rows * cols)
				if err := p.FrameInto(k, got); err != nil {
					t.Fatal(err)
				}
				fr, err := p.Frame(k)
				if err != nil {
					t.Fatal(err)
				}
				for name, v := range map[string][]float64{"FrameInto": toFloat64(got), "Frame": toFloat64(fr.Data)} {
					for i := range want {
						if v[i] != want[i] && !(math.IsNaN(v[i]) && math.IsNaN(want[i])) {
							t.Fatalf("%s %v frame %d: %s[%d] = %v, want %v", code, ops[0].Key, k, name, i, v[i], want[i])
						}
					}
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
