package refocus

import (
	"fmt"
	"math"
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
		// x−x is 0 for finite x and NaN for NaN and ±Inf.
		if re, im := real(v), imag(v); re-re != 0 || im-im != 0 {
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
	K, err := getKernel(kernelKey{R, C, distance, wavelength, pixelSize, mediumIndex, kernel})
	if err != nil {
		return nil, err
	}
	// Only the field's rows are materialised (with their side ramps); the
	// top and bottom ramps are bands, affine in one row vector each.
	bp := getBuf(rows * C)
	defer bufPool.Put(bp)
	F := *bp
	if !padding {
		copy(F, field)
		return K.Convolve2Crop(F, rows, cols)
	}
	bands, err := padRows(F, field, rows, cols)
	if err != nil {
		return nil, err
	}
	return K.Convolve2CropBands(F, rows, bands, rows, cols)
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

// kernelCache keeps the most recently used kernels, prepared for the
// column pass (a refocus series or a repeated refocus reuses them; one 1024²
// kernel is up to 16 MiB). Entries are read-only.
var kernelCache = struct {
	sync.Mutex
	keys []kernelKey
	vals []*fft.Kernel
}{}

const kernelCacheSize = 2

func getKernel(key kernelKey) (*fft.Kernel, error) {
	kernelCache.Lock()
	for i, k := range kernelCache.keys {
		if k == key {
			v := kernelCache.vals[i]
			kernelCache.Unlock()
			return v, nil
		}
	}
	kernelCache.Unlock()
	bp := getBuf(key.R * key.C)
	defer bufPool.Put(bp)
	if err := makeKernel(*bp, key.R, key.C, key.distance, key.wavelength, key.pixelSize, key.mediumIndex, key.kernel); err != nil {
		return nil, err // not cached
	}
	K, err := fft.NewKernel(*bp, key.R, key.C)
	if err != nil {
		return nil, err
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
	kx := pyFreq(R)
	ky := pyFreq(C)
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
