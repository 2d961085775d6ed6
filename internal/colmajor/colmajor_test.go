package colmajor

import (
	"math/rand/v2"
	"testing"
)

func reference[T any](src []T, rows, cols int) []T {
	out := make([]T, len(src))
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			out[i+j*rows] = src[i*cols+j]
		}
	}
	return out
}

func check[T comparable](t *testing.T, name string, src []T, rows, cols int) {
	t.Helper()
	want := reference(src, rows, cols)
	got := make([]T, len(src))
	Into(got, src, rows, cols)
	for k := range want {
		if got[k] != want[k] {
			t.Fatalf("%s %dx%d: element %d is %v, want %v", name, rows, cols, k, got[k], want[k])
		}
	}
}

// Into equals the element-by-element transpose for every element size,
// shapes with and without full 8×8 tiles, and images large enough to be
// split over the cores.
func TestIntoMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, sh := range [][2]int{{1, 1}, {1, 9}, {9, 1}, {7, 7}, {8, 8}, {16, 24}, {13, 29}, {64, 1024}, {257, 300}, {512, 513}, {1024, 1024}} {
		rows, cols := sh[0], sh[1]
		n := rows * cols
		u8, u16, i16, f32, f64 := make([]uint8, n), make([]uint16, n), make([]int16, n), make([]float32, n), make([]float64, n)
		for k := 0; k < n; k++ {
			v := r.Uint64()
			u8[k], u16[k], i16[k], f32[k], f64[k] = uint8(v), uint16(v), int16(v>>16), float32(v>>40), float64(v)
		}
		check(t, "uint8", u8, rows, cols)
		check(t, "uint16", u16, rows, cols)
		check(t, "int16", i16, rows, cols)
		check(t, "float32", f32, rows, cols)
		check(t, "float64", f64, rows, cols)
	}
}

func BenchmarkInto1024(b *testing.B) {
	n := 1024
	u, ud := make([]uint16, n*n), make([]uint16, n*n)
	f, fd := make([]float64, n*n), make([]float64, n*n)
	b.Run("uint16", func(b *testing.B) {
		for b.Loop() {
			Into(ud, u, n, n)
		}
	})
	b.Run("float64", func(b *testing.B) {
		for b.Loop() {
			Into(fd, f, n, n)
		}
	})
}

func TestIntoSplit(t *testing.T) {
	for _, sh := range [][2]int{{1, 1}, {3, 5}, {17, 9}, {300, 257}} {
		rows, cols := sh[0], sh[1]
		src := make([]complex128, rows*cols)
		for k := range src {
			src[k] = complex(float64(k), -float64(k)-0.5)
		}
		re, im := make([]float64, len(src)), make([]float64, len(src))
		IntoSplit(re, im, src, rows, cols)
		for i := 0; i < rows; i++ {
			for j := 0; j < cols; j++ {
				c := src[i*cols+j]
				if re[i+j*rows] != real(c) || im[i+j*rows] != imag(c) {
					t.Fatalf("%dx%d: (%d, %d) = %v%+vi, want %v", rows, cols, i, j, re[i+j*rows], im[i+j*rows], c)
				}
			}
		}
	}
}
