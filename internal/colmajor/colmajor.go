package colmajor

import (
	"runtime"
	"unsafe"

	"qpgo/internal/par"
)

// parallelMin is the image size (elements) from which the columns are
// split over the cores.
const parallelMin = 1 << 18

// Into writes the row-major rows×cols image src into dst in column-major
// order (dst[i + j·rows] = src[i·cols + j]). It works in 8×8 tiles: each
// tile reads 8 source rows and writes 8 contiguous runs of a column.
// Small tiles matter: with power-of-two row lengths (1024 columns) larger
// tiles or strided writes map onto the same cache sets and run >10×
// slower.
func Into[T any](dst, src []T, rows, cols int) {
	n := rows * cols
	dst, src = dst[:n], src[:n]
	var zero T
	fast := unsafe.Sizeof(zero) == 2 && haveTranspose8x8
	byStrips(rows, cols, func(j0, j1 int) {
		if fast {
			d := unsafe.Slice((*uint16)(unsafe.Pointer(unsafe.SliceData(dst))), n)
			s := unsafe.Slice((*uint16)(unsafe.Pointer(unsafe.SliceData(src))), n)
			intoU16(d, s, rows, cols, j0, j1)
			return
		}
		tiles(dst, src, rows, cols, j0, j1, 0)
	})
}

// byStrips calls f for ranges [j0, j1) of 8-column strips, split over the
// cores for large images.
func byStrips(rows, cols int, f func(j0, j1 int)) {
	strips := (cols + 7) / 8
	parts := 1
	if rows*cols >= parallelMin {
		parts = min(runtime.GOMAXPROCS(0), strips)
	}
	_ = par.Do(parts, parts, func(p int) error {
		f(8*(p*strips/parts), min(cols, 8*((p+1)*strips/parts)))
		return nil
	})
}

// tiles transposes columns [j0, j1) from row i0 on in 8×8 tiles.
func tiles[T any](dst, src []T, rows, cols, j0, j1, i0 int) {
	const tile = 8
	for jt := j0; jt < j1; jt += tile {
		je := min(jt+tile, j1)
		for it := i0; it < rows; it += tile {
			ie := min(it+tile, rows)
			for j := jt; j < je; j++ {
				col := dst[j*rows+it : j*rows+ie]
				s := src[it*cols+j:]
				for k := range col {
					col[k] = s[k*cols]
				}
			}
		}
	}
}

// intoU16 is tiles for 2-byte elements: full 8×8 tiles by the register
// transpose, the right and bottom edges by tiles.
func intoU16(dst, src []uint16, rows, cols, j0, j1 int) {
	full := j0 + (j1-j0)&^7
	rfull := rows &^ 7
	for j := j0; j < full; j += 8 {
		for i := 0; i < rfull; i += 8 {
			transpose8x8U16(&dst[j*rows+i], rows, &src[i*cols+j], cols)
		}
	}
	if rfull < rows {
		tiles(dst, src, rows, cols, j0, full, rfull)
	}
	if full < j1 {
		tiles(dst, src, rows, cols, full, j1, 0)
	}
}

// IntoSplit is Into of a complex image into two planes (MATLAB's real and
// imaginary parts).
func IntoSplit(re, im []float64, src []complex128, rows, cols int) {
	n := rows * cols
	re, im, src = re[:n], im[:n], src[:n]
	byStrips(rows, cols, func(j0, j1 int) {
		for jt := j0; jt < j1; jt += 8 {
			je := min(jt+8, j1)
			for it := 0; it < rows; it += 8 {
				ie := min(it+8, rows)
				for j := jt; j < je; j++ {
					r, m := re[j*rows+it:j*rows+ie], im[j*rows+it:j*rows+ie]
					s := src[it*cols+j:]
					for k := range r {
						c := s[k*cols]
						r[k], m[k] = real(c), imag(c)
					}
				}
			}
		}
	})
}
