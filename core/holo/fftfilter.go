package holo

import (
	"math"

	"qpgo/core/qperr"
)

// FFTFilter is qpretrieve's FFTFilter (fourier.FFTFilterNumpy and
// FFTFilterPyFFTW share it): the Fourier transform of a mean-subtracted,
// zero-padded image, filtered at a sideband and transformed back. The
// pipelines OffAxisOn and QLSIOn run on it, so an interferogram object of
// the Python bindings transforms its data once and can run its pipeline
// again with other keywords. The spectrum is kept unshifted; Origin,
// Filtered and Used materialise upstream's fft_origin, fft_filtered and
// fft_used on request. An FFTFilter is not safe for concurrent use.
type FFTFilter struct {
	sp   *spectrum
	last *lastFilter
}

// lastFilter remembers the arguments of the latest Filter call
// (fft_filtered and fft_used are derived from them).
type lastFilter struct {
	filt  *filterArr
	pos   [2]float64
	lo, m int
}

// NewFFTFilter transforms a rows×cols real image (qpretrieve's
// FFTFilter(data, subtract_mean, padding)); padding 0 = none, n > 0 = the
// next power of two ≥ n·max(rows, cols) (Python True = 1).
func NewFFTFilter(data []float64, rows, cols int, subtractMean bool, padding int) (*FFTFilter, error) {
	sp, err := newSpectrum(data, rows, cols, subtractMean, padding)
	if err != nil {
		return nil, err
	}
	return &FFTFilter{sp: sp}, nil
}

// NewFFTFilterComplex is NewFFTFilter for complex data.
func NewFFTFilterComplex(data []complex128, rows, cols int, subtractMean bool, padding int) (*FFTFilter, error) {
	sp, err := newSpectrumOf(nil, data, rows, cols, subtractMean, padding)
	if err != nil {
		return nil, err
	}
	return &FFTFilter{sp: sp}, nil
}

func (f *FFTFilter) check() error {
	if f == nil || f.sp == nil || f.sp.F == nil {
		return qperr.New(qperr.BadHandle, "the FFTFilter is closed")
	}
	return nil
}

// Shape is the Fourier grid (fft.shape).
func (f *FFTFilter) Shape() (rows, cols int) {
	if f.check() != nil {
		return 0, 0
	}
	return f.sp.ox, f.sp.oy
}

// InputShape is the shape of the image that was transformed.
func (f *FFTFilter) InputShape() (rows, cols int) {
	if f.check() != nil {
		return 0, 0
	}
	return f.sp.m, f.sp.n
}

// Close gives the spectrum's memory back; f must not be used after it.
func (f *FFTFilter) Close() {
	if f != nil && f.sp != nil {
		f.sp.release()
		f.sp = nil
		f.last = nil
	}
}

// Origin writes fft_origin (the fftshift-ed spectrum, rows×cols of Shape)
// to dst.
func (f *FFTFilter) Origin(dst []complex128) error {
	if err := f.check(); err != nil {
		return err
	}
	ox, oy := f.sp.ox, f.sp.oy
	if len(dst) < ox*oy {
		return qperr.New(qperr.BadArgument, "buffer of %d values, %d needed", len(dst), ox*oy)
	}
	for a := 0; a < ox; a++ {
		for b := 0; b < oy; b++ {
			dst[a*oy+b] = f.sp.origin(a, b)
		}
	}
	return nil
}

// Filter is FFTFilter.filter(filter_name, filter_size [cycles/pixel],
// freq_pos, scale_to_filter): the field of the sideband at pos, cropped to
// the input (padding) or to the filter (scale ≠ 0: True = 1).
func (f *FFTFilter) Filter(name string, size float64, pos [2]float64, scale float64) ([]complex128, int, int, error) {
	if err := f.check(); err != nil {
		return nil, 0, 0, err
	}
	field, r, c, err := f.sp.filter(name, size, pos, scale)
	if err != nil {
		return nil, 0, 0, err
	}
	filt, err := filterArray(name, size, pos[0], pos[1], f.sp.ox, f.sp.oy)
	if err != nil {
		return nil, 0, 0, err
	}
	lo, m := f.sp.usedWindow(size, scale)
	f.last = &lastFilter{filt: filt, pos: pos, lo: lo, m: m}
	return field, r, c, nil
}

// usedWindow is the [lo, lo+m) window of fft_used in both axes.
func (sp *spectrum) usedWindow(size, scale float64) (lo, m int) {
	n := sp.ox
	if scale == 0 {
		return 0, n
	}
	crad := int(math.Ceil(size * float64(n) * scale))
	a, b := pyRange(n/2-crad, n/2+crad, n)
	return a, max(b-a, 0)
}

// Filtered writes fft_filtered (fft_origin × the filter of the latest
// Filter call; zeros before the first) to dst (Shape values).
func (f *FFTFilter) Filtered(dst []complex128) error {
	if err := f.check(); err != nil {
		return err
	}
	ox, oy := f.sp.ox, f.sp.oy
	if len(dst) < ox*oy {
		return qperr.New(qperr.BadArgument, "buffer of %d values, %d needed", len(dst), ox*oy)
	}
	dst = dst[:ox*oy]
	if f.last == nil {
		clear(dst)
		return nil
	}
	w := f.last.filt.f
	for a := 0; a < ox; a++ {
		for b := 0; b < oy; b++ {
			z := f.sp.origin(a, b)
			v := w[a*oy+b]
			dst[a*oy+b] = complex(real(z)*v, imag(z)*v)
		}
	}
	return nil
}

// Used returns fft_used of the latest Filter call (the filtered spectrum
// rolled by the sideband, cropped when scale_to_filter was set) and its
// side length; nil before the first Filter call.
func (f *FFTFilter) Used() ([]complex128, int, error) {
	if err := f.check(); err != nil {
		return nil, 0, err
	}
	if f.last == nil {
		return nil, 0, nil
	}
	n := f.sp.ox
	px := int(f.last.pos[0] * float64(n))
	py := int(f.last.pos[1] * float64(n))
	lo, m := f.last.lo, f.last.m
	w := f.last.filt.f
	out := make([]complex128, m*m)
	for i := 0; i < m; i++ {
		a := ((lo+i+px)%n + n) % n
		for j := 0; j < m; j++ {
			b := ((lo+j+py)%n + n) % n
			z := f.sp.origin(a, b)
			v := w[a*n+b]
			out[i*m+j] = complex(real(z)*v, imag(z)*v)
		}
	}
	return out, m, nil
}

// FilterSize is BaseInterferogram.compute_filter_size for this spectrum.
func (f *FFTFilter) FilterSize(size float64, interp string, sideband [2]float64) (float64, error) {
	if err := f.check(); err != nil {
		return 0, err
	}
	return f.sp.filterSize(size, interp, sideband)
}

// FindPeak is find_peak_cosine (periodicity 0) or find_peaks_qlsi
// (periodicity > 0) on fft_origin.
func (f *FFTFilter) FindPeak(periodicity float64) ([2]float64, error) {
	if err := f.check(); err != nil {
		return [2]float64{}, err
	}
	return f.sp.findPeak(periodicity), nil
}

// FindPeakShifted runs find_peak_cosine (periodicity 0) or
// find_peaks_qlsi on an fftshift-ed rows×cols magnitude array (the
// functions' ft_data; complex magnitudes or real values).
func FindPeakShifted(ftAbs []float64, rows, cols int, periodicity float64) ([2]float64, error) {
	if rows <= 0 || cols <= 0 || len(ftAbs) != rows*cols {
		return [2]float64{}, qperr.New(qperr.BadArgument, "ft_data of %d values does not have shape (%d, %d)", len(ftAbs), rows, cols)
	}
	if math.IsNaN(periodicity) || periodicity < 0 {
		return [2]float64{}, qperr.New(qperr.BadArgument, "`periodicity` must be positive")
	}
	sp := &spectrum{ox: rows, oy: cols, m: rows, n: cols, F: make([]complex128, rows*cols)}
	for a := 0; a < rows; a++ {
		for b := 0; b < cols; b++ {
			i := (a - rows/2 + rows) % rows
			j := (b - cols/2 + cols) % cols
			sp.F[i*cols+j] = complex(ftAbs[a*cols+b], 0)
		}
	}
	return sp.findPeak(periodicity), nil
}

// OffAxisOn runs OffAxisHologram.run_pipeline on an FFTFilter (only the
// pipeline keywords of opts are used: SubtractMean and Padding were
// applied when f was made).
func OffAxisOn(f *FFTFilter, opts OAHOptions) (*OAHResult, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	var sb [2]float64
	if opts.SidebandFreq != nil {
		sb = *opts.SidebandFreq
		if math.IsNaN(sb[0]) || math.IsNaN(sb[1]) || math.IsInf(sb[0], 0) || math.IsInf(sb[1], 0) {
			return nil, qperr.New(qperr.BadArgument, "`sideband_freq` must be finite, got %v", sb)
		}
	} else {
		sb = f.sp.findPeak(0)
	}
	fsize, err := f.sp.filterSize(opts.FilterSize, opts.FilterSizeInterpretation, sb)
	if err != nil {
		return nil, err
	}
	fl, fr, fc, err := f.Filter(opts.FilterName, fsize, sb, opts.ScaleToFilter)
	if err != nil {
		return nil, err
	}
	if opts.InvertPhase {
		for i, v := range fl {
			fl[i] = complex(real(v), -imag(v))
		}
	}
	return &OAHResult{Field: fl, Rows: fr, Cols: fc, SidebandFreq: sb, FilterSizeFreq: fsize,
		PaddedSize: [2]int{f.sp.ox, f.sp.oy}}, nil
}
