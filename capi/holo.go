package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"unsafe"

	"qpgo/core/fft"
	"qpgo/core/holo"
	"qpgo/core/qperr"
)

// qpretrieveKW decodes a qpretrieve_kw JSON object (NULL or "" = {}).
func qpretrieveKW(options *C.qpgo_cchar) (map[string]any, error) {
	kw := map[string]any{}
	text := optString(options)
	if text == "" {
		return kw, nil
	}
	kvs, err := parseObject(text, "qpretrieve_kw", nil)
	if err != nil {
		return nil, err
	}
	for _, e := range kvs {
		var v any
		if err := decode(e.Value, e.Key, &v); err != nil {
			return nil, err
		}
		kw[e.Key] = v
	}
	return kw, nil
}

// inShape validates a rows×cols input and returns its element count.
func inShape(rows, cols C.int64_t) (int, error) {
	if rows <= 0 || cols <= 0 || int64(rows)*int64(cols) > maxElems {
		return 0, argErr("invalid shape %dx%d", int64(rows), int64(cols))
	}
	return int(rows) * int(cols), nil
}

// cview is a read-only view of n doubles of C memory, valid for the call
// (the core functions copy what they keep, so no extra copy is made here).
func cview(p *C.qpgo_cdouble, n int, name string) ([]float64, error) {
	if p == nil {
		return nil, argErr("%s is NULL", name)
	}
	return unsafe.Slice((*float64)(unsafe.Pointer(p)), n), nil
}

// realIn is cview of a rows×cols image (shape checked first); n is its
// number of elements.
func realIn(p *C.qpgo_cdouble, rows, cols C.int64_t, name string) ([]float64, int, error) {
	n, err := inShape(rows, cols)
	if err != nil {
		return nil, 0, err
	}
	in, err := cview(p, n, name)
	return in, n, err
}

// famFFTFilter: handles of qpretrieve FFTFilter objects (core/holo
// FFTFilter), used by the qpgo.qpretrieve bindings.
const famFFTFilter family = 64

func init() { familyNames[famFFTFilter] = "FFTFilter" }

// withFFTF runs f with the FFTFilter of handle h locked.
func withFFTF(h C.int64_t, f func(*holo.FFTFilter) error) error {
	return with(int64(h), famFFTFilter, f)
}

// qpgo_fftf_new transforms a rows×cols image like qpretrieve's
// FFTFilter(data, subtract_mean, padding): data holds rows·cols doubles,
// or rows·cols interleaved complex values if is_complex is non-zero.
// padding 0 = none, n > 0 = square grid of the next power of two ≥
// n·max(rows, cols). *handle receives the new object (qpgo_fftf_close).
// Errors: QPGO_ERR_ARG.
//
//export qpgo_fftf_new
func qpgo_fftf_new(data *C.qpgo_cdouble, rows, cols C.int64_t, isComplex, subtractMean, padding C.int, handle *C.int64_t) C.int {
	return guard(func() error {
		if handle == nil {
			return argErr("handle is NULL")
		}
		n, err := inShape(rows, cols)
		if err != nil {
			return err
		}
		var f *holo.FFTFilter
		if isComplex != 0 {
			if data == nil {
				return argErr("data is NULL")
			}
			in := unsafe.Slice((*complex128)(unsafe.Pointer(data)), n)
			f, err = holo.NewFFTFilterComplex(in, int(rows), int(cols), subtractMean != 0, int(padding))
		} else {
			var in []float64
			if in, err = cview(data, n, "data"); err != nil {
				return err
			}
			f, err = holo.NewFFTFilter(in, int(rows), int(cols), subtractMean != 0, int(padding))
		}
		if err != nil {
			return err
		}
		f.CacheResults()
		*handle = C.int64_t(register(famFFTFilter, f, func() error { f.Close(); return nil }))
		return nil
	})
}

// qpgo_fftf_clone makes a new FFTFilter handle on the spectrum of h (no
// new transform: qpretrieve's FFTCache, one transform per input array);
// each handle has its own latest-filter state (fft_filtered, fft_used)
// and must be closed. Errors: QPGO_ERR_HANDLE, QPGO_ERR_ARG.
//
//export qpgo_fftf_clone
func qpgo_fftf_clone(h C.int64_t, handle *C.int64_t) C.int {
	return guard(func() error {
		if handle == nil {
			return argErr("handle is NULL")
		}
		return withFFTF(h, func(f *holo.FFTFilter) error {
			c, err := f.Clone()
			if err != nil {
				return err
			}
			*handle = C.int64_t(register(famFFTFilter, c, func() error { c.Close(); return nil }))
			return nil
		})
	})
}

// qpgo_fftf_close releases an FFTFilter handle. Errors: QPGO_ERR_HANDLE.
//
//export qpgo_fftf_close
func qpgo_fftf_close(h C.int64_t) C.int {
	return guard(func() error { return release(int64(h), famFFTFilter) })
}

// qpgo_fftf_shape writes the Fourier grid (fft.shape) and the input
// shape to shape[0:4]. Errors: QPGO_ERR_HANDLE, QPGO_ERR_ARG.
//
//export qpgo_fftf_shape
func qpgo_fftf_shape(h C.int64_t, shape *C.int64_t) C.int {
	return guard(func() error {
		if shape == nil {
			return argErr("shape is NULL")
		}
		return withFFTF(h, func(f *holo.FFTFilter) error {
			r, c := f.Shape()
			ir, ic := f.InputShape()
			copy(unsafe.Slice((*int64)(unsafe.Pointer(shape)), 4), []int64{int64(r), int64(c), int64(ir), int64(ic)})
			return nil
		})
	})
}

// qpgo_fftf_spectrum writes one of the FFTFilter's Fourier arrays as
// complex128 (interleaved) to out: which 0 = fft_origin, 1 = fft_filtered
// (both of the fft.shape), 2 = fft_used of the latest filter call
// (side×side; *side = 0 and nothing written before the first call).
// capacity counts complex values. Errors: QPGO_ERR_HANDLE, QPGO_ERR_ARG
// (buffer too small: *side still set for which = 2).
//
//export qpgo_fftf_spectrum
func qpgo_fftf_spectrum(h C.int64_t, which C.int, out *C.double, capacity C.int64_t, side *C.int64_t) C.int {
	return guard(func() error {
		if out == nil {
			return argErr("out is NULL")
		}
		return withFFTF(h, func(f *holo.FFTFilter) error {
			r, c := f.Shape()
			switch which {
			case 0, 1:
				if int64(capacity) < int64(r*c) {
					return argErr("buffer holds %d values, %d needed", int64(capacity), r*c)
				}
				dst := unsafe.Slice((*complex128)(unsafe.Pointer(out)), r*c)
				if which == 0 {
					return f.Origin(dst)
				}
				return f.Filtered(dst)
			case 2:
				u, m, err := f.Used()
				if err != nil {
					return err
				}
				if side != nil {
					*side = C.int64_t(m)
				}
				if int64(capacity) < int64(len(u)) {
					return argErr("buffer holds %d values, %d needed", int64(capacity), len(u))
				}
				copy(unsafe.Slice((*complex128)(unsafe.Pointer(out)), len(u)), u)
				return nil
			}
			return argErr("unknown spectrum %d (0 origin, 1 filtered, 2 used)", int(which))
		})
	})
}

// qpgo_fftf_filter is FFTFilter.filter(filter_name, filter_size
// [cycles/pixel], (fx, fy), scale_to_filter): field receives the complex
// result (capacity complex values), shape[0:2] its shape (also when the
// buffer is too small). scale 0 = False, True = 1.
// Errors: QPGO_ERR_HANDLE, QPGO_ERR_ARG.
//
//export qpgo_fftf_filter
func qpgo_fftf_filter(h C.int64_t, name *C.qpgo_cchar, size, fx, fy, scale C.double, field *C.double, capacity C.int64_t, shape *C.int64_t) C.int {
	return guard(func() error {
		if field == nil || shape == nil {
			return argErr("field or shape is NULL")
		}
		return withFFTF(h, func(f *holo.FFTFilter) error {
			r, fr, fc, err := f.Filter(optString(name), float64(size), [2]float64{float64(fx), float64(fy)}, float64(scale))
			if err != nil {
				return err
			}
			return putField(r, fr, fc, field, capacity, shape)
		})
	})
}

// putField copies a rows×cols complex result to a caller's buffer.
func putField(r []complex128, rows, cols int, field *C.double, capacity C.int64_t, shape *C.int64_t) error {
	copy(unsafe.Slice((*int64)(unsafe.Pointer(shape)), 2), []int64{int64(rows), int64(cols)})
	if int64(len(r)) > int64(capacity) {
		return argErr("field buffer holds %d values, %d needed", int64(capacity), len(r))
	}
	copy(unsafe.Slice((*complex128)(unsafe.Pointer(field)), len(r)), r)
	return nil
}

// qpgo_fftf_filter_size is BaseInterferogram.compute_filter_size: *out
// receives the filter size [cycles/pixel] for filter_size, its
// interpretation ("sideband distance", "frequency index", "frequency")
// and the sideband (fx, fy). Errors: QPGO_ERR_HANDLE, QPGO_ERR_ARG.
//
//export qpgo_fftf_filter_size
func qpgo_fftf_filter_size(h C.int64_t, size C.double, interp *C.qpgo_cchar, fx, fy C.double, out *C.double) C.int {
	return guard(func() error {
		if out == nil {
			return argErr("out is NULL")
		}
		return withFFTF(h, func(f *holo.FFTFilter) error {
			v, err := f.FilterSize(float64(size), optString(interp), [2]float64{float64(fx), float64(fy)})
			*out = C.double(v)
			return err
		})
	})
}

// qpgo_fftf_oah runs OffAxisHologram.run_pipeline on the FFTFilter h.
// options: JSON pipeline keywords (filter_name, filter_size,
// filter_size_interpretation, scale_to_filter, sideband_freq,
// invert_phase). field, capacity and info as qpgo_oah.
// Errors: QPGO_ERR_HANDLE, QPGO_ERR_ARG, QPGO_ERR_KEY.
//
//export qpgo_fftf_oah
func qpgo_fftf_oah(h C.int64_t, options *C.qpgo_cchar, field *C.double, capacity C.int64_t, info *C.double) C.int {
	return guard(func() error {
		if info == nil || field == nil {
			return argErr("field or info is NULL")
		}
		kw, err := qpretrieveKW(options)
		if err != nil {
			return err
		}
		o, err := holo.ParseOAHOptions(kw)
		if err != nil {
			return err
		}
		return withFFTF(h, func(f *holo.FFTFilter) error {
			r, err := holo.OffAxisOn(f, o)
			if err != nil {
				return err
			}
			return putOAH(r, field, capacity, info)
		})
	})
}

// putOAH writes an off-axis result and its info block (see qpgo_oah).
func putOAH(r *holo.OAHResult, field *C.double, capacity C.int64_t, info *C.double) error {
	inf := unsafe.Slice((*float64)(unsafe.Pointer(info)), 8)
	copy(inf, []float64{float64(r.Rows), float64(r.Cols), r.SidebandFreq[0], r.SidebandFreq[1],
		r.FilterSizeFreq, float64(r.PaddedSize[0]), float64(r.PaddedSize[1]), 0})
	if int64(len(r.Field)) > int64(capacity) {
		return argErr("field buffer holds %d values, %d needed", int64(capacity), len(r.Field))
	}
	copy(unsafe.Slice((*complex128)(unsafe.Pointer(field)), len(r.Field)), r.Field)
	return nil
}

// qpgo_fftf_qlsi runs QLSInterferogram.run_pipeline on the FFTFilter h
// of the data and ref (0 = no reference image). options: JSON pipeline
// keywords (as qpgo_fftf_oah plus wavelength, qlsi_pitch_term).
// amplitude, phase, wavefront: capacity doubles each. info (8 doubles):
// phase rows and cols, sideband (2), amplitude rows and cols, qualitative
// flag, filter size [cycles/pixel].
// Errors: QPGO_ERR_HANDLE, QPGO_ERR_ARG, QPGO_ERR_KEY.
//
//export qpgo_fftf_qlsi
func qpgo_fftf_qlsi(h, ref C.int64_t, options *C.qpgo_cchar, amplitude, phase, wavefront *C.double, capacity C.int64_t, info *C.double) C.int {
	return guard(func() error {
		if amplitude == nil || phase == nil || wavefront == nil || info == nil {
			return argErr("amplitude, phase, wavefront or info is NULL")
		}
		kw, err := qpretrieveKW(options)
		if err != nil {
			return err
		}
		o, err := holo.ParseQLSIOptions(kw)
		if err != nil {
			return err
		}
		run := func(f, rf *holo.FFTFilter) error {
			r, err := holo.QLSIOn(f, rf, o)
			if err != nil {
				return err
			}
			q := 0.0
			if r.Qualitative {
				q = 1
			}
			copy(unsafe.Slice((*float64)(unsafe.Pointer(info)), 8), []float64{float64(r.Rows), float64(r.Cols),
				r.SidebandFreq[0], r.SidebandFreq[1], float64(r.AmpRows), float64(r.AmpCols), q, r.FilterSizeFreq})
			if int64(len(r.Amplitude)) > int64(capacity) || int64(len(r.Phase)) > int64(capacity) {
				return argErr("buffers hold %d values, %d needed", int64(capacity), max(len(r.Amplitude), len(r.Phase)))
			}
			copy(unsafe.Slice((*float64)(unsafe.Pointer(amplitude)), len(r.Amplitude)), r.Amplitude)
			copy(unsafe.Slice((*float64)(unsafe.Pointer(phase)), len(r.Phase)), r.Phase)
			copy(unsafe.Slice((*float64)(unsafe.Pointer(wavefront)), len(r.Wavefront)), r.Wavefront)
			return nil
		}
		if ref == 0 {
			return withFFTF(h, func(f *holo.FFTFilter) error { return run(f, nil) })
		}
		return with2(int64(h), int64(ref), famFFTFilter, run)
	})
}

// qpgo_holo_find_peak is find_peak_cosine(ft_data) (periodicity 0) or
// find_peaks_qlsi(ft_data, periodicity) for an fftshift-ed rows×cols
// array given by its magnitudes: out[0:2] receives (fx, fy).
// Errors: QPGO_ERR_ARG.
//
//export qpgo_holo_find_peak
func qpgo_holo_find_peak(ftAbs *C.qpgo_cdouble, rows, cols C.int64_t, periodicity C.double, out *C.double) C.int {
	return guard(func() error {
		if out == nil {
			return argErr("out is NULL")
		}
		in, _, err := realIn(ftAbs, rows, cols, "ft_data")
		if err != nil {
			return err
		}
		p, err := holo.FindPeakShifted(in, int(rows), int(cols), float64(periodicity))
		if err != nil {
			return err
		}
		copy(unsafe.Slice((*float64)(unsafe.Pointer(out)), 2), p[:])
		return nil
	})
}

// qpgo_holo_rotate is qpretrieve's rotate_noreshape(arr, angle [rad]):
// scipy.ndimage.rotate(order=0, mode="mirror", reshape=False) of a
// rows×cols image into out (rows·cols doubles). Errors: QPGO_ERR_ARG.
//
//export qpgo_holo_rotate
func qpgo_holo_rotate(data *C.qpgo_cdouble, rows, cols C.int64_t, angle C.double, out *C.double) C.int {
	return guard(func() error {
		if out == nil {
			return argErr("out is NULL")
		}
		in, n, err := realIn(data, rows, cols, "arr")
		if err != nil {
			return err
		}
		r, err := holo.RotateNearest(in, int(rows), int(cols), float64(angle))
		if err != nil {
			return err
		}
		copy(unsafe.Slice((*float64)(unsafe.Pointer(out)), n), r)
		return nil
	})
}

// qpgo_fft2 is numpy.fft.fft2 (inverse 0) or numpy.fft.ifft2 (inverse
// non-zero) of a rows×cols complex128 array (interleaved); out may equal
// data. Errors: QPGO_ERR_ARG.
//
//export qpgo_fft2
func qpgo_fft2(data *C.qpgo_cdouble, rows, cols C.int64_t, inverse C.int, out *C.double) C.int {
	return guard(func() error {
		if data == nil || out == nil {
			return argErr("data or out is NULL")
		}
		n, err := inShape(rows, cols)
		if err != nil {
			return err
		}
		dst := unsafe.Slice((*complex128)(unsafe.Pointer(out)), n)
		src := unsafe.Slice((*complex128)(unsafe.Pointer(data)), n)
		if &dst[0] != &src[0] {
			copy(dst, src)
		}
		if inverse != 0 {
			return fft.IFFT2(dst, int(rows), int(cols))
		}
		return fft.FFT2(dst, int(rows), int(cols))
	})
}

// qpgo_oah retrieves the complex field of a rows×cols off-axis hologram
// (qpretrieve.OffAxisHologram(data, **options).run_pipeline()). options:
// JSON qpretrieve_kw (subtract_mean, padding, filter_name, filter_size,
// filter_size_interpretation, scale_to_filter, sideband_freq,
// invert_phase). field: capacity complex128 values (interleaved re, im);
// info (8 doubles) receives field rows, field cols, sideband frequency
// (2), filter size [cycles/pixel], padded shape (2) and 0. If capacity is
// too small, info[0:2] still receive the shape and QPGO_ERR_ARG is
// returned. Errors: QPGO_ERR_ARG, QPGO_ERR_KEY.
//
//export qpgo_oah
func qpgo_oah(data *C.qpgo_cdouble, rows, cols C.int64_t, options *C.qpgo_cchar, field *C.double, capacity C.int64_t, info *C.double) C.int {
	return guard(func() error {
		if info == nil || field == nil {
			return argErr("field or info is NULL")
		}
		in, _, err := realIn(data, rows, cols, "data")
		if err != nil {
			return err
		}
		kw, err := qpretrieveKW(options)
		if err != nil {
			return err
		}
		o, err := holo.ParseOAHOptions(kw)
		if err != nil {
			return err
		}
		r, err := holo.OffAxisDetail(in, int(rows), int(cols), o)
		if err != nil {
			return err
		}
		return putOAH(r, field, capacity, info)
	})
}

// qpgo_qlsi retrieves amplitude, phase [rad] and wavefront of a rows×cols
// QLSI interferogram (qpretrieve.QLSInterferogram(data, reference,
// **options).run_pipeline()). reference may be NULL. options: JSON
// qpretrieve_kw (as qpgo_oah plus wavelength, qlsi_pitch_term). amplitude,
// phase, wavefront: room for rows·cols doubles each (the results are
// never larger). info (8 doubles): phase/wavefront rows and cols (one less
// than the input along odd axes, as upstream's crop), sideband frequency
// (2), number of amplitude values (the filtered field's, the input's shape
// unless scale_to_filter), padded shape (2), qualitative flag (1 when
// wavelength or pitch term were missing). Errors: QPGO_ERR_ARG, QPGO_ERR_KEY.
//
//export qpgo_qlsi
func qpgo_qlsi(data, reference *C.qpgo_cdouble, rows, cols C.int64_t, options *C.qpgo_cchar, amplitude, phase, wavefront, info *C.double) C.int {
	return guard(func() error {
		if amplitude == nil || phase == nil || wavefront == nil || info == nil {
			return argErr("amplitude, phase, wavefront or info is NULL")
		}
		in, n, err := realIn(data, rows, cols, "data")
		if err != nil {
			return err
		}
		var ref []float64
		if reference != nil {
			ref, _ = cview(reference, n, "reference")
		}
		kw, err := qpretrieveKW(options)
		if err != nil {
			return err
		}
		o, err := holo.ParseQLSIOptions(kw)
		if err != nil {
			return err
		}
		r, err := holo.QLSIDetail(in, ref, int(rows), int(cols), o)
		if err != nil {
			return err
		}
		if len(r.Amplitude) > n || len(r.Phase) > n {
			return qperr.New(qperr.Internal, "QLSI result larger than its input")
		}
		copy(unsafe.Slice((*float64)(unsafe.Pointer(amplitude)), n), r.Amplitude)
		copy(unsafe.Slice((*float64)(unsafe.Pointer(phase)), n), r.Phase)
		copy(unsafe.Slice((*float64)(unsafe.Pointer(wavefront)), n), r.Wavefront)
		q := 0.0
		if r.Qualitative {
			q = 1
		}
		copy(unsafe.Slice((*float64)(unsafe.Pointer(info)), 8), []float64{float64(r.Rows), float64(r.Cols),
			r.SidebandFreq[0], r.SidebandFreq[1], float64(len(r.Amplitude)), float64(r.PaddedSize[0]), float64(r.PaddedSize[1]), q})
		return nil
	})
}

// qpgo_filter_array writes qpretrieve.filter.get_filter_array(name, size,
// (fx, fy), (rows, cols)) (rows·cols doubles, fftshift-ed grid) to out.
// Errors: QPGO_ERR_ARG (unknown filter, size or position out of range,
// non-square shape).
//
//export qpgo_filter_array
func qpgo_filter_array(name *C.qpgo_cchar, size, fx, fy C.double, rows, cols C.int64_t, out *C.double) C.int {
	return guard(func() error {
		if out == nil {
			return argErr("out is NULL")
		}
		n, err := inShape(rows, cols)
		if err != nil {
			return err
		}
		f, err := holo.FilterArray(optString(name), float64(size), float64(fx), float64(fy), int(rows), int(cols))
		if err != nil {
			return err
		}
		copy(unsafe.Slice((*float64)(unsafe.Pointer(out)), n), f)
		return nil
	})
}
