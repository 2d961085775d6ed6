package main

import (
	"errors"
	"testing"
)

// colMajor/colMajorSplit against the definition dst[i + j·rows] =
// src[i·cols + j], on shapes with and without tile remainders.
func TestColMajor(t *testing.T) {
	for _, sh := range [][2]int{{1, 1}, {1, 9}, {9, 1}, {3, 5}, {8, 8}, {17, 9}, {16, 1024}, {1024, 3}} {
		rows, cols := sh[0], sh[1]
		src := make([]uint16, rows*cols)
		csrc := make([]complex128, rows*cols)
		for k := range src {
			src[k] = uint16(k*7 + 1)
			csrc[k] = complex(float64(k), -float64(k)-0.5)
		}
		dst := make([]uint16, rows*cols)
		re, im := make([]float64, rows*cols), make([]float64, rows*cols)
		colMajor(dst, src, rows, cols)
		colMajorSplit(re, im, csrc, rows, cols)
		for i := 0; i < rows; i++ {
			for j := 0; j < cols; j++ {
				if dst[i+j*rows] != src[i*cols+j] {
					t.Fatalf("%dx%d: (%d, %d) = %d, want %d", rows, cols, i, j, dst[i+j*rows], src[i*cols+j])
				}
				c := csrc[i*cols+j]
				if re[i+j*rows] != real(c) || im[i+j*rows] != imag(c) {
					t.Fatalf("%dx%d complex: (%d, %d) = %v%+vi, want %v", rows, cols, i, j, re[i+j*rows], im[i+j*rows], c)
				}
			}
		}
	}
}

// qpgo_close_all closes every handle newest first, also when a close
// fails, and leaves none behind.
func TestCloseAll(t *testing.T) {
	var order []int64
	var hs []int64
	for k := 0; k < 4; k++ {
		var h int64
		fail := k == 1
		h = register(famImageSeries, struct{}{}, func() error {
			order = append(order, h)
			if fail {
				return errors.New("close failed")
			}
			return nil
		})
		hs = append(hs, h)
	}
	if rc := qpgo_close_all(nil); rc != 0 {
		t.Fatalf("qpgo_close_all: %d", rc)
	}
	if len(order) != 4 || order[0] != hs[3] || order[3] != hs[0] {
		t.Fatalf("close order %v, want newest first of %v", order, hs)
	}
	for _, h := range hs {
		if _, err := lookup(h, famImageSeries); err == nil {
			t.Fatalf("handle %d still open", h)
		}
	}
}
