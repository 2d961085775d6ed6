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
