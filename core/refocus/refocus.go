package refocus

import (
	"fmt"
	"math"
	"math/cmplx"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"qpgo/core/fft"
	"qpgo/core/qperr"
	"qpgo/internal/par"
)

// stlen is the width of the border band averaged for the pad value.
const stlen = 10

// PadAdd is nrefocus.pad.pad_add(field) for a rows×cols complex field: the
// result is 2rows×2cols with the field at the top-left, the pad a linear
// ramp from the field's edges to padval = mean(|b|)·exp(i·mean(angle(b)))
// of the border band b (pixels outside [10:-10, 10:-10]).
func PadAdd(field []complex128, rows, cols int) ([]complex128, int, int, error) {
	if err := checkField(field, rows, cols); err != nil {
		return nil, 0, 0, err
	}
	P := make([]complex128, 4*rows*cols)
	if err := padAddInto(P, field, rows, cols); err != nil {
		return nil, 0, 0, err
	}
	return P, 2 * rows, 2 * cols, nil
}

// padAddInto writes PadAdd(field) into P (2rows×2cols, fully overwritten).
// numpy.pad works on the centred layout (axis 0 on the original columns,
// then axis 1 over all rows) and the result is rolled by (-lx, -ly); each
// centred row is built in a small buffer and copied to its rolled place.
func padAddInto(P, field []complex128, rows, cols int) error {
	R, C := 2*rows, 2*cols
	lx, rx := padLR(rows, R)
	ly, ry := padLR(cols, C)
	// Border mean (the mask is empty when the image is smaller than 2·stlen).
	var sa, sp float64
	nb := 0
	for i := 0; i < rows; i++ {
		row := field[i*cols : (i+1)*cols]
		inner := i >= stlen && i < rows-stlen
		for j, v := range row {
			if inner && j >= stlen && j < cols-stlen {
				continue
			}
			sa += cmplx.Abs(v)
			sp += cmplx.Phase(v)
			nb++
		}
	}
	pv := complex(sa/float64(nb), 0) * cmplx.Exp(complex(0, sp/float64(nb)))
	top, bot := field[:cols], field[(rows-1)*cols:]
	return parallelRows(R, func(lo, hi int) {
		buf := make([]complex128, C)
		for i := lo; i < hi; i++ {
			mid := buf[ly : ly+cols]
			switch {
			case i < lx:
				for j := range mid {
					mid[j] = ramp(pv, top[j], lx, i)
				}
			case i >= lx+rows:
				r := i - lx - rows
				for j := range mid {
					mid[j] = ramp(pv, bot[j], rx, rx-1-r)
				}
			default:
				copy(mid, field[(i-lx)*cols:(i-lx+1)*cols])
			}
			left, right := mid[0], mid[cols-1]
			for k := 0; k < ly; k++ {
				buf[k] = ramp(pv, left, ly, k)
			}
			for r := 0; r < ry; r++ {
				buf[ly+cols+r] = ramp(pv, right, ry, ry-1-r)
			}
			// Roll by (-lx, -ly): centred (i, j) → ((i-lx) mod R, (j-ly) mod C).
			dst := P[((i-lx+R)%R)*C : ((i-lx+R)%R+1)*C]
			copy(dst[:C-ly], buf[ly:])
			copy(dst[C-ly:], buf[:ly])
		}
	})
}

// ramp is numpy.linspace(end, edge, n, endpoint=False)[k] evaluated as
// numpy does: k·step + start with step = (edge − end)/n.
func ramp(end, edge complex128, n, k int) complex128 {
	d := edge - end
	step := complex(real(d)/float64(n), imag(d)/float64(n))
	return complex(float64(k)*real(step)+real(end), float64(k)*imag(step)+imag(end))
}

// padLR is nrefocus.pad._get_pad_left_right: the odd part goes right.
func padLR(small, large int) (int, int) {
	p := large - small
	l := p / 2
	return l, p - l
}

// PadRem is nrefocus.pad.pad_rem: the top-left half (rows and cols must be
// even).
func PadRem(padded []complex128, rows, cols int) ([]complex128, int, int, error) {
	if err := checkField(padded, rows, cols); err != nil {
		return nil, 0, 0, err
	}
	if rows%2 != 0 || cols%2 != 0 {
		return nil, 0, 0, qperr.New(qperr.BadArgument, "Uneven size; specify correct size of output!")
	}
	r, c := rows/2, cols/2
	out := make([]complex128, r*c)
	for i := 0; i < r; i++ {
		copy(out[i*c:(i+1)*c], padded[i*cols:i*cols+c])
	}
	return out, r, c, nil
}

func checkField(field []complex128, rows, cols int) error {
	if rows <= 0 || cols <= 0 {
		return qperr.New(qperr.BadArgument, "field with shape (%d, %d) has zero size", rows, cols)
	}
	if len(field) != rows*cols {
		return qperr.New(qperr.BadArgument, "%d values do not match shape (%d, %d)", len(field), rows, cols)
	}
	for _, v := range field {
		if cmplx.IsNaN(v) || cmplx.IsInf(v) {
			return qperr.New(qperr.BadArgument, "field contains NaN or infinite values")
		}
	}
	return nil
}

// Refocus propagates field (rows×cols) by distance [m] with nrefocus
// 0.5.3's "helmholtz" or "fresnel" kernel; wavelength and pixelSize in m.
// With padding the field is linear-ramp padded to twice its size first
// (PadAdd) and cropped back afterwards.
func Refocus(field []complex128, rows, cols int, distance, wavelength, pixelSize, mediumIndex float64, kernel string, padding bool) ([]complex128, error) {
	if err := checkField(field, rows, cols); err != nil {
		return nil, err
	}
	for _, p := range []struct {
		name string
		v    float64
	}{{"distance", distance}, {"wavelength", wavelength}, {"pixel size", pixelSize}, {"medium index", mediumIndex}} {
		if math.IsNaN(p.v) || math.IsInf(p.v, 0) {
			return nil, qperr.New(qperr.BadArgument, "%s must be finite, got %v", p.name, p.v)
		}
		if p.name != "distance" && p.v <= 0 {
			return nil, qperr.New(qperr.BadArgument, "%s must be positive, got %v", p.name, p.v)
		}
	}
	if kernel != "helmholtz" && kernel != "fresnel" {
		return nil, qperr.New(qperr.BadArgument, "Unknown propagation kernel: '%s'", kernel)
	}
	R, C := rows, cols
	if padding {
		R, C = 2*rows, 2*cols
	}
	bp := getBuf(R * C)
	defer bufPool.Put(bp)
	F := *bp
	if padding {
		if err := padAddInto(F, field, rows, cols); err != nil {
			return nil, err
		}
	} else {
		copy(F, field)
	}
	K, err := getKernel(kernelKey{R, C, distance, wavelength, pixelSize, mediumIndex, kernel})
	if err != nil {
		return nil, err
	}
	return fft.Convolve2Crop(F, K, R, C, rows, cols)
}

var bufPool sync.Pool // *[]complex128 padded fields

func getBuf(n int) *[]complex128 {
	if p, ok := bufPool.Get().(*[]complex128); ok && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	b := make([]complex128, n)
	return &b
}

// kernelKey identifies a propagation kernel: grid shape and parameters.
type kernelKey struct {
	R, C                                         int
	distance, wavelength, pixelSize, mediumIndex float64
	kernel                                       string
}

// kernelCache keeps the most recently used kernels (a refocus series or a
// repeated refocus reuses them; one 1024² kernel is 16 MiB). Entries are
// read-only.
var kernelCache = struct {
	sync.Mutex
	keys []kernelKey
	vals [][]complex128
}{}

const kernelCacheSize = 2

func getKernel(key kernelKey) ([]complex128, error) {
	kernelCache.Lock()
	for i, k := range kernelCache.keys {
		if k == key {
			v := kernelCache.vals[i]
			kernelCache.Unlock()
			return v, nil
		}
	}
	kernelCache.Unlock()
	K := make([]complex128, key.R*key.C)
	if err := makeKernel(K, key.R, key.C, key.distance, key.wavelength, key.pixelSize, key.mediumIndex, key.kernel); err != nil {
		return nil, err // not cached
	}
	kernelCache.Lock()
	if len(kernelCache.keys) >= kernelCacheSize {
		kernelCache.keys = kernelCache.keys[1:]
		kernelCache.vals = kernelCache.vals[1:]
	}
	kernelCache.keys = append(kernelCache.keys, key)
	kernelCache.vals = append(kernelCache.vals, K)
	kernelCache.Unlock()
	return K, nil
}

// makeKernel writes the propagation kernel for the unshifted spectrum into
// K (nrefocus iface.base.Refocus.get_kernel; 0 for evanescent waves).
func makeKernel(K []complex128, R, C int, distance, wavelength, pixelSize, mediumIndex float64, kernel string) error {
	res := wavelength / pixelSize
	km := 2 * math.Pi * mediumIndex / res
	d := (distance - 0) / pixelSize
	kx := fft.Freq(R)
	ky := fft.Freq(C)
	for i := range kx {
		kx[i] *= 2 * math.Pi
	}
	for j := range ky {
		ky[j] *= 2 * math.Pi
	}
	helm := kernel == "helmholtz"
	return parallelRows(R, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			row := K[i*C : (i+1)*C]
			kx2 := kx[i] * kx[i]
			for j := range row {
				var ph float64
				if helm {
					root := km*km - kx2 - ky[j]*ky[j]
					if !(root > 0) {
						row[j] = 0 // evanescent
						continue
					}
					ph = d * (math.Sqrt(root) - km)
				} else {
					ph = -d * (kx2 + ky[j]*ky[j]) / (2 * km)
				}
				s, c := math.Sincos(ph)
				row[j] = complex(c, s)
			}
		}
	})
}

// parallelRows splits [0, n) over GOMAXPROCS goroutines. A panic in fn is
// returned as a qperr.Internal error.
func parallelRows(n int, fn func(lo, hi int)) error {
	w := min(runtime.GOMAXPROCS(0), n)
	if w <= 1 || n < 64 {
		return par.Safe(func() error {
			panicHook()
			fn(0, n)
			return nil
		})
	}
	return par.Do(w, w, func(k int) error {
		panicHook()
		fn(k*n/w, (k+1)*n/w)
		return nil
	})
}

// testPanic, when set by a test, makes every worker of parallelRows panic.
var testPanic bool

func panicHook() {
	if testPanic {
		panic("refocus: test panic")
	}
}

// Identifier returns qpimage's identifier of a refocused image,
// f"{base}@{kernel[0]}{distance:.5e}m", e.g. "abc@h-2.50000e-06m".
func Identifier(base, kernel string, distance float64) string {
	k := ""
	if kernel != "" {
		k = kernel[:1]
	}
	return base + "@" + k + pyExp(distance) + "m"
}

// pyExp formats like Python's "%.5e": at least two exponent digits, and
// "inf"/"nan" spelled as Python does.
func pyExp(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	// Go's %e already uses at least two exponent digits; keep the check
	// explicit so a change in fmt would be caught by the tests.
	s := strconv.FormatFloat(v, 'e', 5, 64)
	if i := strings.LastIndexAny(s, "+-"); i > 0 && len(s)-i-1 < 2 {
		s = s[:i+1] + fmt.Sprintf("%02s", s[i+1:])
	}
	return s
}
