package imageseries

import (
	"fmt"
	"math"
	"math/rand"
	"testing"
)

// hideView wraps a series so that the fast paths cannot read it in place.
type hideView struct{ ImageSeries }

func randSeries(t *testing.T, dt DType, n, rows, cols int, rng *rand.Rand) *ArraySeries {
	t.Helper()
	f := make([]float64, n*rows*cols)
	for i := range f {
		switch {
		case dt.IsFloat():
			f[i] = rng.NormFloat64() * 100
		case dt.IsUnsigned():
			f[i] = float64(rng.Intn(int(min(dt.Max(), 70000)) + 1))
			if rng.Intn(4) == 0 {
				f[i] = float64(rng.Intn(5)) // ties
			}
		default:
			lo, hi := max(dt.Min(), -40000), min(dt.Max(), 40000)
			f[i] = lo + float64(rng.Int63n(int64(hi-lo)+1))
		}
	}
	if dt.IsFloat() && n > 2 {
		f[3] = math.NaN()
		// signed zeros at the same pixel of different frames
		f[5] = math.Copysign(0, -1)
		f[rows*cols+5] = 0
		f[6] = 0
		f[rows*cols+6] = math.Copysign(0, -1)
	}
	s, err := NewArray(fromFloat64(f, dt), []int{n, rows, cols}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sameFrame(a, b Frame) bool {
	return a.Rows == b.Rows && a.Cols == b.Cols && a.DType() == b.DType() && fmt.Sprint(a.Data) == fmt.Sprint(b.Data)
}

func TestFastStatsMatchReference(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for _, dt := range []DType{Uint8, Int8, Uint16, Int16, Uint32, Int32, Int64, Float32, Float64} {
		for _, n := range []int{1, 2, 7, 40} {
			s := randSeries(t, dt, n, 9, 13, rng)
			for _, src := range []ImageSeries{s, hideView{s}} {
				for name, pair := range map[string][2]func() (Frame, error){
					"max": {func() (Frame, error) { return Max(src, 0) }, func() (Frame, error) { return fold(src, 0, 0, &extremeAcc{isMax: true}, nil) }},
					"min": {func() (Frame, error) { return Min(src, 0) }, func() (Frame, error) { return fold(src, 0, 0, &extremeAcc{}, nil) }},
					"sum": {func() (Frame, error) { return Sum(src, 0) }, func() (Frame, error) { return fold(src, 0, 0, &sumAcc{}, nil) }},
					"avg": {func() (Frame, error) { return Average(src, 0) }, func() (Frame, error) { return fold(src, 0, 0, &avgAcc{}, nil) }},
				} {
					got, err1 := pair[0]()
					want, err2 := pair[1]()
					if err1 != nil || err2 != nil || !sameFrame(got, want) {
						t.Errorf("%s %v n=%d %T: fast %v (%v), reference %v (%v)", name, dt, n, src, got.Data, err1, want.Data, err2)
					}
				}
				for _, q := range []float64{0, 1, 13.7, 50, 99, 100} {
					got, err := Percentile(src, q, 0)
					if err != nil {
						t.Fatal(err)
					}
					// reference: quickselect on a copy of the stack
					buf := newData(dt, n*9*13)
					for i := 0; i < n; i++ {
						f, _ := s.Frame(i)
						copyInto(buf, i*9*13, f.Data)
					}
					want := make([]float32, 9*13)
					bandPctGeneric(buf, n, 9*13, q/100, want)
					if fmt.Sprint(got.Data) != fmt.Sprint(want) {
						t.Errorf("percentile %v %v n=%d: %v, want %v", q, dt, n, got.Data, want)
					}
				}
			}
		}
	}
}

func bandPctGeneric(buf any, nf, npix int, q float64, out []float32) {
	switch v := buf.(type) {
	case []uint8:
		bandPctT(v, nf, npix, q, out, 2)
	case []int8:
		bandPctT(v, nf, npix, q, out, 2)
	case []uint16:
		bandPctT(v, nf, npix, q, out, 2)
	case []int16:
		bandPctT(v, nf, npix, q, out, 2)
	default:
		bandPercentile(buf, nf, npix, q, out, 2)
	}
}

func TestAverageIntFallback(t *testing.T) {
	// 300 frames of 65535: the float32 accumulator rounds, the int path must not be used
	n := 300
	d := make([]uint16, n*2)
	for i := range d {
		d[i] = 65535 - uint16(i%3)
	}
	s, _ := NewArray(d, []int{n, 1, 2}, nil)
	got, _ := Average(s, 0)
	want, _ := fold(s, 0, 0, &avgAcc{}, nil)
	if !sameFrame(got, want) {
		t.Errorf("average %v, want %v", got.Data, want.Data)
	}
}

func TestExtractIJVThresholds(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for _, dt := range []DType{Uint8, Int8, Uint16, Int16, Int32, Uint64, Int64, Float32, Float64} {
		s := randSeries(t, dt, 1, 7, 9, rng)
		f, _ := s.Frame(0)
		vals := f.Float64()
		for _, th := range []float64{-1e30, -40000, -3, -0.5, 0, 0.5, 2, 50, 254.9, 255, 70000, 1e30, math.NaN()} {
			r, c, d := extractIJV(f, th)
			var wr, wc []uint16
			var wd []float64
			for k, v := range vals {
				if v > th {
					wr, wc, wd = append(wr, uint16(k/9)), append(wc, uint16(k%9)), append(wd, v)
				}
			}
			if fmt.Sprint(r, c, toFloat64(d)) != fmt.Sprint(wr, wc, wd) && !(len(r) == 0 && len(wr) == 0) {
				t.Errorf("%v th %v: got %v %v %v, want %v %v %v", dt, th, r, c, d, wr, wc, wd)
			}
			if dataDType(d) != dt {
				t.Errorf("%v: data type %T", dt, d)
			}
		}
	}
}

func TestSIMDKernels(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 100} {
		a := make([]uint16, n)
		x := make([]uint16, n+3)
		for i := range a {
			a[i] = uint16(rng.Intn(65536))
		}
		for i := range x {
			x[i] = uint16(rng.Intn(65536))
			if i%5 == 0 {
				x[i] = 0xFFFF
			}
		}
		mx, mn := append([]uint16(nil), a...), append([]uint16(nil), a...)
		maxU16(mx, x)
		minU16(mn, x)
		acc := make([]int32, n)
		for i := range acc {
			acc[i] = int32(rng.Intn(1 << 20))
		}
		acc0 := append([]int32(nil), acc...)
		addU16I32(acc, x)
		for i := range a {
			if mx[i] != max(a[i], x[i]) || mn[i] != min(a[i], x[i]) || acc[i] != acc0[i]+int32(x[i]) {
				t.Fatalf("n=%d i=%d: max %d min %d add %d (a %d x %d acc0 %d)", n, i, mx[i], mn[i], acc[i], a[i], x[i], acc0[i])
			}
		}
	}
}

// TestFourFrameKernels: uint16 max, min and average folded four frames at
// a time, over several tiles and frame counts that are not multiples of
// four, equal the frame-by-frame reference.
func TestFourFrameKernels(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for _, n := range []int{3, 4, 5, 9, 12} {
		s := randSeries(t, Uint16, n, 130, 131, rng) // two tiles, a 16-pixel tail
		for name, pair := range map[string][2]func() (Frame, error){
			"max": {func() (Frame, error) { return Max(s, 0) }, func() (Frame, error) { return fold(s, 0, 0, &extremeAcc{isMax: true}, nil) }},
			"min": {func() (Frame, error) { return Min(s, 0) }, func() (Frame, error) { return fold(s, 0, 0, &extremeAcc{}, nil) }},
			"avg": {func() (Frame, error) { return Average(s, 0) }, func() (Frame, error) { return fold(s, 0, 0, &avgAcc{}, nil) }},
		} {
			got, err1 := pair[0]()
			want, err2 := pair[1]()
			if err1 != nil || err2 != nil || !sameFrame(got, want) {
				t.Errorf("%s n=%d: fast and reference differ (%v, %v)", name, n, err1, err2)
			}
		}
	}
	for _, n := range []int{0, 1, 15, 16, 17, 33} {
		x := make([][]uint16, 4)
		for k := range x {
			x[k] = make([]uint16, n)
			for i := range x[k] {
				x[k][i] = uint16(rng.Intn(65536))
			}
		}
		a := make([]uint16, n)
		acc := make([]int32, n)
		for i := range a {
			a[i] = uint16(rng.Intn(65536))
			acc[i] = int32(rng.Intn(1 << 20))
		}
		mx, mn, sum := append([]uint16(nil), a...), append([]uint16(nil), a...), append([]int32(nil), acc...)
		if !haveAVX2 {
			t.Skip("no AVX2")
		}
		maxU16x4(mx, x[0], x[1], x[2], x[3])
		minU16x4(mn, x[0], x[1], x[2], x[3])
		addU16I32x4(sum, x[0], x[1], x[2], x[3])
		for i := range a {
			wmx, wmn := max(a[i], x[0][i], x[1][i], x[2][i], x[3][i]), min(a[i], x[0][i], x[1][i], x[2][i], x[3][i])
			wsum := acc[i] + int32(x[0][i]) + int32(x[1][i]) + int32(x[2][i]) + int32(x[3][i])
			if mx[i] != wmx || mn[i] != wmn || sum[i] != wsum {
				t.Fatalf("n=%d i=%d: max %d/%d min %d/%d sum %d/%d", n, i, mx[i], wmx, mn[i], wmn, sum[i], wsum)
			}
		}
	}
}

func TestDark32MatchesFloat64Path(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	n := 600
	d32 := make([]float32, n)
	for i := range d32 {
		d32[i] = float32(rng.NormFloat64() * 3000)
		if i%97 == 0 {
			d32[i] = float32(math.NaN())
		}
	}
	dv := toFloat64(d32)
	for _, dt := range []DType{Uint8, Int8, Uint16, Int16, Float32} {
		s := randSeries(t, dt, 1, 20, 30, rng)
		f, _ := s.Frame(0)
		rdt := Promote(dt, Float32)
		got, ok, err := darkSubtract32(f, d32, rdt)
		if !ok || err != nil {
			t.Fatalf("%v: fast path not taken", dt)
		}
		want := darkSubtract(f, dv, rdt)
		if fmt.Sprint(got.Data) != fmt.Sprint(want.Data) {
			t.Errorf("%v: dark32 differs", dt)
		}
	}
}

func TestProcessedViewNeverLeaks(t *testing.T) {
	d := []uint16{1, 2, 3, 4, 5, 6}
	s, _ := NewArray(d, []int{1, 2, 3}, nil)
	for _, ops := range [][]Op{{{"flip", "unknown"}}, {{"flip", "v"}}, {{"add", 1.0}}} {
		p, err := NewProcessed(s, ops, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := p.Frame(0)
		switch v := f.Data.(type) {
		case []uint16:
			v[0] = 99
		case []float32:
			v[0] = 99
		}
		if d[0] != 1 {
			t.Fatalf("ops %v: processed frame aliases the array", ops)
		}
	}
	empty, _ := NewArray([]uint16{}, []int{1, 0, 0}, nil)
	p, _ := NewProcessed(empty, []Op{{"flip", "x"}}, nil, nil)
	if _, err := p.Frame(0); err != nil {
		t.Fatal(err)
	}
}
