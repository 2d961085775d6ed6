package holo

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	"qpgo/core/qperr"
)

// AvailableFilters is qpretrieve.filter.available_filters.
var AvailableFilters = []string{"disk", "smooth disk", "gauss", "square", "smooth square", "tukey"}

type filterKey struct {
	name   string
	size   float64
	fx, fy float64
	n      int
}

// filterCache mirrors qpretrieve's lru_cache on get_filter_array: repeated
// retrievals with the same settings (series, background holograms, the two
// QLSI references) reuse the array. Entries are read-only.
var filterCache = struct {
	sync.Mutex
	m     map[filterKey]*filterArr
	order []filterKey
}{m: map[filterKey]*filterArr{}}

// filterArr is a filter on the fftshift-ed n×n grid and, per row, whether
// the row has a non-zero value (the pipelines only transform those rows).
type filterArr struct {
	f     []float64
	rowNZ []bool
}

const filterCacheSize = 16

func pyFloat(v float64) string { return fmt.Sprint(v) }

// pyFloatRepr is Python's repr of a float (integral values keep ".0":
// upstream formats shape[0] / 2 this way).
func pyFloatRepr(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eIN") {
		s += ".0"
	}
	return s
}

// filterArray returns qpretrieve.filter.get_filter_array(name, size,
// (fx, fy), (rows, cols)) on the fftshift-ed grid, as float64.
func filterArray(name string, size, fx, fy float64, rows, cols int) (*filterArr, error) {
	if rows != cols {
		return nil, qperr.New(qperr.BadArgument, "The Fourier transformed data must have a squared shape, but the input shape is '(%d, %d)'! Please pad your data properly before FFT.", rows, cols)
	}
	n := rows
	if !(0 < size && size < float64(n)/2) {
		return nil, qperr.New(qperr.BadArgument, "The filter size cannot exceed more than half of the Fourier space or be negative. Got a filter size of '%s' and a shape of '(%d, %d)'!", pyFloat(size), n, n)
	}
	if !(math.Max(math.Abs(fx), math.Abs(fy)) < float64(n)/2) {
		return nil, qperr.New(qperr.BadArgument, "The frequency position must be within the Fourier domain. Got '[%s %s]' and shape '(%d, %d)'!", pyFloat(fx), pyFloat(fy), n, n)
	}
	key := filterKey{name, size, fx, fy, n}
	filterCache.Lock()
	if f, ok := filterCache.m[key]; ok {
		filterCache.Unlock()
		return f, nil
	}
	filterCache.Unlock()

	ff, err := makeFilter(name, size, fx, fy, n)
	if err != nil {
		return nil, err
	}
	f := &filterArr{f: ff, rowNZ: make([]bool, n)}
	for i := range n {
		for _, v := range ff[i*n : (i+1)*n] {
			if v != 0 {
				f.rowNZ[i] = true
				break
			}
		}
	}
	filterCache.Lock()
	if _, ok := filterCache.m[key]; !ok {
		if len(filterCache.order) >= filterCacheSize {
			delete(filterCache.m, filterCache.order[0])
			filterCache.order = filterCache.order[1:]
		}
		filterCache.m[key] = f
		filterCache.order = append(filterCache.order, key)
	}
	filterCache.Unlock()
	return f, nil
}

func makeFilter(name string, s, px, py float64, n int) ([]float64, error) {
	f := npShiftedFreq(n)
	out := make([]float64, n*n)
	fxc := make([]float64, n)
	fyc := make([]float64, n)
	for i := range f {
		fxc[i] = px - f[i]
		fyc[i] = py - f[i]
	}
	switch name {
	case "disk":
		s2 := s * s
		for i := 0; i < n; i++ {
			a := fxc[i] * fxc[i]
			if a > s2 {
				continue
			}
			row := out[i*n : (i+1)*n]
			for j := range row {
				if a+fyc[j]*fyc[j] <= s2 {
					row[j] = 1
				}
			}
		}
	case "gauss":
		sigma := s * .6
		tau := 2 * sigma * sigma
		mx := 0.0
		for i := 0; i < n; i++ {
			a := fxc[i] * fxc[i]
			for j := 0; j < n; j++ {
				v := math.Exp(-(a + fyc[j]*fyc[j]) / tau)
				out[i*n+j] = v
				mx = math.Max(mx, v)
			}
		}
		for i := range out {
			out[i] /= mx
		}
	case "square":
		for i := 0; i < n; i++ {
			if math.Abs(fxc[i]) > s {
				continue
			}
			for j := 0; j < n; j++ {
				if math.Abs(fyc[j]) <= s {
					out[i*n+j] = 1
				}
			}
		}
	case "smooth disk", "smooth square":
		sigma := s / 5
		tau := 2 * sigma * sigma
		mask := make([]float64, n*n)
		if name == "smooth disk" {
			s2 := s * s
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					if fxc[i]*fxc[i]+fyc[j]*fyc[j] <= s2 {
						mask[i*n+j] = 1
					}
				}
			}
		} else {
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					if math.Abs(fxc[i]) <= s && math.Abs(fyc[j]) <= s {
						mask[i*n+j] = 1
					}
				}
			}
		}
		g := make([]float64, n)
		for i := range g {
			g[i] = math.Exp(-(f[i] * f[i]) / tau)
		}
		convSameSeparable(mask, g, n, out)
		mx := 0.0
		for _, v := range out {
			mx = math.Max(mx, v)
		}
		if mx > 0 {
			for i := range out {
				out[i] /= mx
			}
		}
	case "tukey":
		rsize := int(float64(n)*s) * 2
		if rsize > n {
			// numpy cannot place a window larger than the grid.
			return nil, qperr.New(qperr.BadArgument, "tukey window of %d pixels does not fit the Fourier grid of %d pixels", rsize, n)
		}
		w := tukey(rsize, 0.1)
		s1 := (n - rsize) / 2
		sx := int(px * float64(n))
		sy := int(py * float64(n))
		for a := 0; a < rsize; a++ {
			i := ((s1+a+sx)%n + n) % n
			for b := 0; b < rsize; b++ {
				j := ((s1+b+sy)%n + n) % n
				out[i*n+j] = w[a] * w[b]
			}
		}
	default:
		return nil, qperr.New(qperr.BadArgument, "Unknown filter: %s", name)
	}
	return out, nil
}

// tukey is scipy.signal.windows.tukey(m, alpha) (sym=True).
func tukey(m int, alpha float64) []float64 {
	w := make([]float64, m)
	if m <= 1 || alpha <= 0 {
		for i := range w {
			w[i] = 1
		}
		return w
	}
	width := int(math.Floor(alpha * float64(m-1) / 2.0))
	for i := 0; i < m; i++ {
		n := float64(i)
		switch {
		case i < width+1:
			w[i] = 0.5 * (1 + math.Cos(math.Pi*(-1+2.0*n/alpha/float64(m-1))))
		case i >= m-width-1:
			w[i] = 0.5 * (1 + math.Cos(math.Pi*(-2.0/alpha+1+2.0*n/alpha/float64(m-1))))
		default:
			w[i] = 1
		}
	}
	return w
}

// convSameSeparable computes scipy.signal.convolve(mask, g⊗g, mode="same")
// for n×n arrays: out[i,j] = Σ mask[p,q]·g[i+c-p]·g[j+c-q] with
// c = (n-1)//2 and g indices outside [0, n) dropped. The Gaussian is cut
// where it is below 1e-20 of its maximum (relative error < n·1e-20).
func convSameSeparable(mask, g []float64, n int, out []float64) {
	c := (n - 1) / 2
	gmax := 0.0
	for _, v := range g {
		gmax = math.Max(gmax, v)
	}
	mlo, mhi := n, -1
	for m, v := range g {
		if v >= 1e-20*gmax {
			mlo = min(mlo, m)
			mhi = max(mhi, m)
		}
	}
	if mhi < 0 {
		return
	}
	// Along axis 0: tmp[i,q] = Σ_p mask[p,q]·g[i+c-p].
	tmp := make([]float64, n*n)
	for p := 0; p < n; p++ {
		row := mask[p*n : (p+1)*n]
		any := false
		for _, v := range row {
			if v != 0 {
				any = true
				break
			}
		}
		if !any {
			continue
		}
		ilo, ihi := max(0, p-c+mlo), min(n-1, p-c+mhi)
		for i := ilo; i <= ihi; i++ {
			gv := g[i+c-p]
			t := tmp[i*n : (i+1)*n]
			for q, v := range row {
				if v != 0 {
					t[q] += v * gv
				}
			}
		}
	}
	// Along axis 1: out[i,j] = Σ_q tmp[i,q]·g[j+c-q].
	for i := 0; i < n; i++ {
		t := tmp[i*n : (i+1)*n]
		o := out[i*n : (i+1)*n]
		for q, v := range t {
			if v == 0 {
				continue
			}
			jlo, jhi := max(0, q-c+mlo), min(n-1, q-c+mhi)
			for j := jlo; j <= jhi; j++ {
				o[j] += v * g[j+c-q]
			}
		}
	}
}

// FilterArray is qpretrieve.filter.get_filter_array(name, size, (fx, fy),
// (rows, cols)): the filter on the fftshift-ed grid, a new rows·cols slice.
func FilterArray(name string, size, fx, fy float64, rows, cols int) ([]float64, error) {
	f, err := filterArray(name, size, fx, fy, rows, cols)
	if err != nil {
		return nil, err
	}
	return append([]float64(nil), f.f...), nil
}
