package imagedata

import (
	"math"
	"path/filepath"
	"slices"
	"testing"

	"qpgo/core/h5"
)

// ImageInto writes exactly what Image returns (bit for bit, incl. signed
// zeros) for every layout: no background, one or two, additive and
// multiplicative, float32 and float64 storage, a broadcast background (the
// general path), and reports a short buffer without writing.
func TestImageIntoEqualsImage(t *testing.T) {
	s := makeSet(20)
	bg2 := make([]float64, len(s.bg))
	for i := range bg2 {
		bg2[i] = 0.5 + 0.01*float64(i%7)
	}
	s.raw[3], s.bg[3] = 0, 0 // 0 - (0 + 0): +0
	s.raw[4] = math.Copysign(0, -1)
	cases := []struct {
		name string
		kind Kind
		dt   h5.DType
		bgs  [][]float64
		bcol bool // second background as one row (broadcast)
	}{
		{"none", Phase, h5.Float32, nil, false},
		{"one", Phase, h5.Float32, [][]float64{s.bg}, false},
		{"two", Phase, h5.Float32, [][]float64{s.bg, bg2}, false},
		{"two f64", Phase, h5.Float64, [][]float64{s.bg, bg2}, false},
		{"amp one", Amplitude, h5.Float32, [][]float64{bg2}, false},
		{"amp two", Amplitude, h5.Float64, [][]float64{bg2, bg2}, false},
		{"broadcast", Phase, h5.Float32, [][]float64{s.bg, bg2[:20]}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "i.h5")
			f, err := h5.Open(p, "w")
			if err != nil {
				t.Fatal(err)
			}
			d, err := Open(f.Root(), c.kind, c.dt)
			if err != nil {
				t.Fatal(err)
			}
			if err := d.WriteRaw(s.raw, s.shape); err != nil {
				t.Fatal(err)
			}
			for i, b := range c.bgs {
				key, shape := ValidBGKeys[i], s.shape
				if c.bcol && i == 1 {
					shape = []int{1, 20}
				}
				if err := d.SetBG(key, b, shape, nil); err != nil {
					t.Fatal(err)
				}
			}
			f.Close()
			f, err = h5.Open(p, "r")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			d, _ = Open(f.Root(), c.kind, c.dt)
			want, wshape, err := d.Image()
			if err != nil {
				t.Fatal(err)
			}
			got := make([]float64, len(want)+3)
			shape, ok, err := d.ImageInto(got)
			if err != nil || !ok || !slices.Equal(shape, wshape) {
				t.Fatalf("ImageInto: %v %v %v", shape, ok, err)
			}
			for i := range want {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
					t.Fatalf("[%d] = %v, Image %v", i, got[i], want[i])
				}
			}
			short := make([]float64, len(want)-1)
			if _, ok, err := d.ImageInto(short); ok || err != nil {
				t.Fatalf("short buffer: ok %v err %v", ok, err)
			}
			// a read-ahead result is what ImageInto returns next
			d.ReadAhead()
			got2 := make([]float64, len(want))
			if _, ok, err := d.ImageInto(got2); !ok || err != nil || !slices.Equal(got2, want) {
				t.Fatalf("after read-ahead: ok %v err %v", ok, err)
			}
		})
	}
}
