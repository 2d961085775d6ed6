package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"unsafe"

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
		n, err := inShape(rows, cols)
		if err != nil {
			return err
		}
		in, err := cview(data, n, "data")
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
		inf := unsafe.Slice((*float64)(unsafe.Pointer(info)), 8)
		copy(inf, []float64{float64(r.Rows), float64(r.Cols), r.SidebandFreq[0], r.SidebandFreq[1],
			r.FilterSizeFreq, float64(r.PaddedSize[0]), float64(r.PaddedSize[1]), 0})
		if int64(len(r.Field)) > int64(capacity) {
			return argErr("field buffer holds %d values, %d needed", int64(capacity), len(r.Field))
		}
		copy(unsafe.Slice((*complex128)(unsafe.Pointer(field)), len(r.Field)), r.Field)
		return nil
	})
}

// qpgo_qlsi retrieves amplitude, phase [rad] and wavefront of a rows×cols
// QLSI interferogram (qpretrieve.QLSInterferogram(data, reference,
// **options).run_pipeline()). reference may be NULL. options: JSON
// qpretrieve_kw (as qpgo_oah plus wavelength, qlsi_pitch_term). amplitude,
// phase, wavefront: rows·cols doubles each. info (8 doubles): rows, cols,
// sideband frequency (2), 0, padded shape (2), qualitative flag (1 when
// wavelength or pitch term were missing). Errors: QPGO_ERR_ARG, QPGO_ERR_KEY.
//
//export qpgo_qlsi
func qpgo_qlsi(data, reference *C.qpgo_cdouble, rows, cols C.int64_t, options *C.qpgo_cchar, amplitude, phase, wavefront, info *C.double) C.int {
	return guard(func() error {
		if amplitude == nil || phase == nil || wavefront == nil || info == nil {
			return argErr("amplitude, phase, wavefront or info is NULL")
		}
		n, err := inShape(rows, cols)
		if err != nil {
			return err
		}
		in, err := cview(data, n, "data")
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
		if r.Rows*r.Cols != n {
			return qperr.New(qperr.Internal, "QLSI result shape %dx%d differs from input", r.Rows, r.Cols)
		}
		copy(unsafe.Slice((*float64)(unsafe.Pointer(amplitude)), n), r.Amplitude)
		copy(unsafe.Slice((*float64)(unsafe.Pointer(phase)), n), r.Phase)
		copy(unsafe.Slice((*float64)(unsafe.Pointer(wavefront)), n), r.Wavefront)
		q := 0.0
		if r.Qualitative {
			q = 1
		}
		copy(unsafe.Slice((*float64)(unsafe.Pointer(info)), 8), []float64{float64(r.Rows), float64(r.Cols),
			r.SidebandFreq[0], r.SidebandFreq[1], 0, float64(r.PaddedSize[0]), float64(r.PaddedSize[1]), q})
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
