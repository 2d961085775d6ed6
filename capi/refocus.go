package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"unsafe"

	"qpgo/core/refocus"
)

// Refocusing (nrefocus 0.5.3): the one-call propagation used by
// QPImage.refocus, nrefocus.pad, and the numerics of the interface objects
// of qpgo.nrefocus (spectrum, kernel, propagation, focus metrics, legacy
// minimizer). Complex arrays are interleaved complex128 (C order).

// qpgo_refocus propagates a rows×cols complex128 field by distance [m]
// (nrefocus 0.5.3 RefocusNumpy(...).propagate(distance)); wavelength and
// pixel_size in m; kernel "helmholtz" or "fresnel"; padding non-zero pads
// with pad.pad_add first. out: rows·cols complex128 (may equal field).
// Errors: QPGO_ERR_ARG.
//
//export qpgo_refocus
func qpgo_refocus(field *C.double, rows, cols C.int64_t, distance, wavelength, pixelSize, mediumIndex C.double, kernel *C.qpgo_cchar, padding C.int, out *C.double) C.int {
	return guard(func() error {
		if field == nil || out == nil {
			return argErr("field or out is NULL")
		}
		n, err := inShape(rows, cols)
		if err != nil {
			return err
		}
		in := unsafe.Slice((*complex128)(unsafe.Pointer(field)), n)
		r, err := refocus.Refocus(in, int(rows), int(cols), float64(distance), float64(wavelength),
			float64(pixelSize), float64(mediumIndex), optStringOr(kernel, "helmholtz"), padding != 0)
		if err != nil {
			return err
		}
		copy(unsafe.Slice((*complex128)(unsafe.Pointer(out)), n), r)
		return nil
	})
}

// qpgo_pad_add is nrefocus.pad.pad_add: out receives the (2·rows)×(2·cols)
// linear-ramp padded complex128 field. Errors: QPGO_ERR_ARG.
//
//export qpgo_pad_add
func qpgo_pad_add(field *C.double, rows, cols C.int64_t, out *C.double) C.int {
	return padCall(field, rows, cols, out, refocus.PadAdd)
}

// qpgo_pad_rem is nrefocus.pad.pad_rem: out receives the top-left
// (rows/2)×(cols/2) complex128 values (rows and cols even).
// Errors: QPGO_ERR_ARG.
//
//export qpgo_pad_rem
func qpgo_pad_rem(field *C.double, rows, cols C.int64_t, out *C.double) C.int {
	return padCall(field, rows, cols, out, refocus.PadRem)
}

// padCall runs one of refocus' padding functions on a caller's
// complex128 buffer and copies the result into out.
func padCall(field *C.double, rows, cols C.int64_t, out *C.double,
	pad func([]complex128, int, int) ([]complex128, int, int, error)) C.int {
	return guard(func() error {
		if field == nil || out == nil {
			return argErr("field or out is NULL")
		}
		n, err := inShape(rows, cols)
		if err != nil {
			return err
		}
		p, _, _, err := pad(unsafe.Slice((*complex128)(unsafe.Pointer(field)), n), int(rows), int(cols))
		if err != nil {
			return err
		}
		copy(unsafe.Slice((*complex128)(unsafe.Pointer(out)), len(p)), p)
		return nil
	})
}

// nrfParams reads the 4 propagation parameters [wavelength, pixel size,
// medium index, initial distance] (m) and the kernel name.
func nrfParams(params *C.double, kernel *C.qpgo_cchar) (refocus.Params, error) {
	if params == nil {
		return refocus.Params{}, argErr("params is NULL")
	}
	v := unsafe.Slice((*float64)(unsafe.Pointer(params)), 4)
	return refocus.Params{Wavelength: v[0], PixelSize: v[1], MediumIndex: v[2], Distance: v[3],
		Kernel: optStringOr(kernel, "helmholtz")}, nil
}

// complexIn is a read-only view of rows·cols complex128 values.
func complexIn(p *C.double, rows, cols C.int64_t, name string) ([]complex128, error) {
	if p == nil {
		return nil, argErr("%s is NULL", name)
	}
	n, err := inShape(rows, cols)
	if err != nil {
		return nil, err
	}
	return unsafe.Slice((*complex128)(unsafe.Pointer(p)), n), nil
}

func complexOut(out *C.double, v []complex128) error {
	if out == nil {
		return argErr("out is NULL")
	}
	copy(unsafe.Slice((*complex128)(unsafe.Pointer(out)), len(v)), v)
	return nil
}

// qpgo_nrf_pad_add is nrefocus.pad.pad_add(av, size, stlen) for a
// rows×cols array (ndim 1: a 1-D array, rows = 1) given as complex128;
// mode 0: complex array, 1: real (imaginary parts 0), 2: integer (ramps
// rounded down as numpy.linspace with an integer dtype). out:
// out_rows·out_cols complex128 (out_rows = 1 for ndim 1).
// Errors: QPGO_ERR_ARG.
//
//export qpgo_nrf_pad_add
func qpgo_nrf_pad_add(field *C.double, rows, cols C.int64_t, ndim C.int, outRows, outCols, stlen C.int64_t, mode C.int, out *C.double) C.int {
	return guard(func() error {
		in, err := complexIn(field, rows, cols, "field")
		if err != nil {
			return err
		}
		if mode < 0 || mode > 2 {
			return argErr("pad mode must be 0, 1 or 2, got %d", int(mode))
		}
		if _, err := inShape(outRows, outCols); err != nil {
			return err
		}
		p, err := refocus.PadAddGeneral(in, int(rows), int(cols), int(outRows), int(outCols), int(stlen), refocus.PadMode(mode), ndim == 1)
		if err != nil {
			return err
		}
		return complexOut(out, p)
	})
}

// qpgo_nrf_spectrum is the fft_origin of an nrefocus interface object:
// FFT (1-D for ndim 1, rows = 1) of the field, padded to twice its size
// first when padding is non-zero (mode as qpgo_nrf_pad_add). out:
// (2·rows)·(2·cols) complex128 when padding (ndim 1: 2·cols), else
// rows·cols. Errors: QPGO_ERR_ARG.
//
//export qpgo_nrf_spectrum
func qpgo_nrf_spectrum(field *C.double, rows, cols C.int64_t, ndim, mode, padding C.int, out *C.double) C.int {
	return guard(func() error {
		in, err := complexIn(field, rows, cols, "field")
		if err != nil {
			return err
		}
		if mode < 0 || mode > 2 {
			return argErr("pad mode must be 0, 1 or 2, got %d", int(mode))
		}
		s, _, _, err := refocus.Spectrum(in, int(rows), int(cols), refocus.PadMode(mode), padding != 0, ndim == 1)
		if err != nil {
			return err
		}
		return complexOut(out, s)
	})
}

// qpgo_nrf_kernel is Refocus.get_kernel(distance) for an R×C spectrum;
// params: [wavelength, pixel size, medium index, initial distance] (m).
// out: R·C complex128. Errors: QPGO_ERR_ARG, QPGO_ERR_KEY (kernel name).
//
//export qpgo_nrf_kernel
func qpgo_nrf_kernel(R, Cc C.int64_t, params *C.double, kernel *C.qpgo_cchar, distance C.double, out *C.double) C.int {
	return guard(func() error {
		p, err := nrfParams(params, kernel)
		if err != nil {
			return err
		}
		if _, err := inShape(R, Cc); err != nil {
			return err
		}
		k, err := refocus.Kernel(int(R), int(Cc), p, float64(distance))
		if err != nil {
			return err
		}
		return complexOut(out, k)
	})
}

// qpgo_nrf_propagate is the interface object's propagate(distance): the
// inverse FFT of spectrum (R×C) times the kernel, cropped to
// out_rows×out_cols. Errors: QPGO_ERR_ARG, QPGO_ERR_KEY.
//
//export qpgo_nrf_propagate
func qpgo_nrf_propagate(spec *C.double, R, Cc C.int64_t, params *C.double, kernel *C.qpgo_cchar, distance C.double, outRows, outCols C.int64_t, out *C.double) C.int {
	return guard(func() error {
		s, err := complexIn(spec, R, Cc, "spectrum")
		if err != nil {
			return err
		}
		p, err := nrfParams(params, kernel)
		if err != nil {
			return err
		}
		f, err := refocus.Propagate(s, int(R), int(Cc), p, float64(distance), int(outRows), int(outCols))
		if err != nil {
			return err
		}
		return complexOut(out, f)
	})
}

// nrfROI reads an optional region of interest: 6 values [row start, row
// count, row step, col start, col count, col step].
func nrfROI(roi *C.qpgo_cint64) *refocus.ROI {
	if roi == nil {
		return nil
	}
	v := unsafe.Slice((*int64)(unsafe.Pointer(roi)), 6)
	return &refocus.ROI{R0: int(v[0]), RN: int(v[1]), RS: int(v[2]), C0: int(v[3]), CN: int(v[4]), CS: int(v[5])}
}

// qpgo_nrf_metric evaluates the focus metric ("average gradient", "rms
// contrast", "spectrum", "std gradient", "med gradient") of the spectrum
// propagated to distance; roi NULL or 6 int64 (see nrfROI); ndim 1 for a
// 1-D field. Errors: QPGO_ERR_ARG, QPGO_ERR_KEY.
//
//export qpgo_nrf_metric
func qpgo_nrf_metric(spec *C.double, R, Cc C.int64_t, params *C.double, kernel *C.qpgo_cchar, distance C.double, outRows, outCols C.int64_t, ndim C.int, metric *C.qpgo_cchar, roi *C.qpgo_cint64, result *C.double) C.int {
	return guard(func() error {
		s, err := complexIn(spec, R, Cc, "spectrum")
		if err != nil {
			return err
		}
		p, err := nrfParams(params, kernel)
		if err != nil {
			return err
		}
		if result == nil {
			return argErr("result is NULL")
		}
		v, err := refocus.Metric(s, int(R), int(Cc), p, float64(distance), int(outRows), int(outCols), optString(metric), nrfROI(roi), ndim == 1)
		if err != nil {
			return err
		}
		*result = C.double(v)
		return nil
	})
}

// qpgo_nrf_autofocus_legacy is nrefocus' "legacy" minimizer with a
// built-in metric over interval [lo, hi] (m). dist receives the focus
// distance; grid and values (int(100/coarse_acc) doubles each, or NULL)
// the coarse grid search. Errors: QPGO_ERR_ARG, QPGO_ERR_KEY,
// QPGO_ERR_RUNTIME (no convergence).
//
//export qpgo_nrf_autofocus_legacy
func qpgo_nrf_autofocus_legacy(spec *C.double, R, Cc C.int64_t, params *C.double, kernel *C.qpgo_cchar, outRows, outCols C.int64_t, ndim C.int, metric *C.qpgo_cchar, roi *C.qpgo_cint64, lo, hi, coarseAcc, fineAcc C.double, dist, grid, values *C.double) C.int {
	return guard(func() error {
		s, err := complexIn(spec, R, Cc, "spectrum")
		if err != nil {
			return err
		}
		p, err := nrfParams(params, kernel)
		if err != nil {
			return err
		}
		if dist == nil {
			return argErr("dist is NULL")
		}
		r, err := refocus.AutofocusLegacy(s, int(R), int(Cc), p, int(outRows), int(outCols), optString(metric), nrfROI(roi), ndim == 1,
			float64(lo), float64(hi), float64(coarseAcc), float64(fineAcc))
		if err != nil {
			return err
		}
		*dist = C.double(r.Distance)
		if grid != nil {
			copy(unsafe.Slice((*float64)(unsafe.Pointer(grid)), len(r.Grid)), r.Grid)
		}
		if values != nil {
			copy(unsafe.Slice((*float64)(unsafe.Pointer(values)), len(r.Values)), r.Values)
		}
		return nil
	})
}
