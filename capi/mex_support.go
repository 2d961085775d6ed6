package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"qpgo/internal/colmajor"
	"sort"
	"unsafe"

	"qpgo/core/flimage"
	"qpgo/core/qperr"
	"qpgo/core/qpimage"
	ims "qpgo/series/imageseries"
)

// What the MATLAB/Octave gateway (bindings/matlab/qpgo_mex.c) needs beyond
// the row-major API: reads that write column-major (Fortran order, MATLAB's
// layout) straight into the caller's array, so that an image crosses once
// and is copied once, and closing every handle when the gateway is
// unloaded (Octave/MATLAB exit or `clear mex`).

// qpgo_close_all closes every open handle, newest first (a member view, a
// processed series or a copy before what it was made from), and stores
// how many were closed in *nclosed (may be NULL). For a binding whose
// host is about to unload the library or exit, e.g. a MEX file's
// mexAtExit: files are flushed and closed. Errors of single closes are
// not reported (every handle is closed anyway); the call itself fails
// only on a panic (QPGO_ERR_INTERNAL).
//
//export qpgo_close_all
func qpgo_close_all(nclosed *C.int64_t) C.int {
	return guard(func() error {
		registry.RLock()
		hs := make([]int64, 0, len(registry.m))
		for h := range registry.m {
			hs = append(hs, h)
		}
		registry.RUnlock()
		sort.Slice(hs, func(i, j int) bool { return hs[i] > hs[j] })
		n := int64(0)
		for _, h := range hs {
			registry.RLock()
			e, ok := registry.m[h]
			registry.RUnlock()
			if !ok {
				continue
			}
			if release(h, e.fam) == nil {
				n++
			}
		}
		if nclosed != nil {
			*nclosed = C.int64_t(n)
		}
		return nil
	})
}

// putColMajor checks the caller's buffer (n doubles) and writes v (shape
// rows×cols) column-major into it; complex values go to re and im (two
// planes, im non-NULL) or interleaved into re (im NULL, 2·rows·cols
// doubles).
func putColMajor[V float64 | complex128](re, im *C.double, n C.int64_t, v []V, shape []int, what string) error {
	if re == nil {
		return argErr("output buffer for %s is NULL", what)
	}
	if len(shape) != 2 || shape[0]*shape[1] != len(v) {
		return qperr.New(qperr.Internal, "%s has shape %v for %d values", what, shape, len(v))
	}
	rows, cols := shape[0], shape[1]
	need := int64(len(v))
	switch v := any(v).(type) {
	case []float64:
		if int64(n) < need {
			return qperr.New(errBuffer, "output buffer for %s holds %d values, needs %d", what, int64(n), need)
		}
		colmajor.Into(unsafe.Slice((*float64)(unsafe.Pointer(re)), len(v)), v, rows, cols)
	case []complex128:
		if im == nil {
			need *= 2
		}
		if int64(n) < need {
			return qperr.New(errBuffer, "output buffer for %s holds %d values, needs %d", what, int64(n), need)
		}
		if im == nil {
			colmajor.Into(unsafe.Slice((*complex128)(unsafe.Pointer(re)), len(v)), v, rows, cols)
			return nil
		}
		colmajor.IntoSplit(unsafe.Slice((*float64)(unsafe.Pointer(re)), len(v)),
			unsafe.Slice((*float64)(unsafe.Pointer(im)), len(v)), v, rows, cols)
	}
	return nil
}

// qpiColMajorInto are the images read fused into a buffer (ImageInto).
var qpiColMajorInto = map[string]func(*qpimage.QPImage, []float64) ([]int, bool, error){
	"pha": (*qpimage.QPImage).PhaInto, "amp": (*qpimage.QPImage).AmpInto,
}

var qpiColMajor = map[string]func(*qpimage.QPImage) ([]float64, []int, error){
	"pha": (*qpimage.QPImage).Pha, "amp": (*qpimage.QPImage).Amp,
	"bg_pha": (*qpimage.QPImage).BgPha, "bg_amp": (*qpimage.QPImage).BgAmp,
	"raw_pha": (*qpimage.QPImage).RawPha, "raw_amp": (*qpimage.QPImage).RawAmp,
}

// qpi_get_colmajor writes one image of the QPImage column-major (MATLAB
// order: element (i, j) at i + j·rows) into re, a buffer of n doubles.
// prop: "pha", "amp", "bg_pha", "bg_amp", "raw_pha", "raw_amp" or "field";
// for "field", im non-NULL receives the imaginary plane (re the real one,
// n doubles each), im NULL means interleaved (re, im) pairs in re (n ≥
// 2·rows·cols). Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_KEY (unknown prop),
// QPGO_ERR_BUFFER (n too small), QPGO_ERR_HANDLE, QPGO_ERR_NOT_FOUND.
//
//export qpi_get_colmajor
func qpi_get_colmajor(h C.qpgo_handle, prop *C.qpgo_cchar, re *C.double, im *C.double, n C.int64_t) C.int {
	return guard(func() error {
		p, err := goString(prop, "prop")
		if err != nil {
			return err
		}
		get, ok := qpiColMajor[p]
		if !ok && p != "field" {
			return qperr.New(qperr.UnknownKey, "unknown image %q (pha amp bg_pha bg_amp raw_pha raw_amp field)", p)
		}
		return with(int64(h), famQPImage, func(q *qpimage.QPImage) error {
			if p == "field" {
				v, shape, err := q.Field()
				if err != nil {
					return err
				}
				return putColMajor(re, im, n, v, shape, p)
			}
			if into, ok := qpiColMajorInto[p]; ok && re != nil {
				// read fused into a reused buffer of the image's size, then
				// transpose: no image-sized allocation per read
				shape, err := q.Shape()
				if err != nil {
					return err
				}
				need := numel(shape)
				if len(shape) != 2 || int64(n) < int64(need) {
					return qperr.New(errBuffer, "output buffer for %s holds %d values, needs %d", p, int64(n), need)
				}
				buf := getScratch(need)
				defer putScratch(buf)
				tmp := unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(buf))), need)
				if _, ok, err := into(q, tmp); err != nil || !ok {
					if err == nil {
						err = qperr.New(qperr.Internal, "%s: image larger than its shape %v", p, shape)
					}
					return err
				}
				colmajor.Into(unsafe.Slice((*float64)(unsafe.Pointer(re)), need), tmp, shape[0], shape[1])
				return nil
			}
			v, shape, err := get(q)
			if err != nil {
				return err
			}
			return putColMajor(re, nil, n, v, shape, p)
		})
	})
}

var fliColMajor = map[string]func(*flimage.FLImage) ([]float64, []int, error){
	"fl": (*flimage.FLImage).Fl, "raw_fl": (*flimage.FLImage).RawFl, "bg_fl": (*flimage.FLImage).BgFl,
}

// fli_get_colmajor writes "fl", "raw_fl" or "bg_fl" of the FLImage
// column-major into out (n doubles). Errors as qpi_get_colmajor.
//
//export fli_get_colmajor
func fli_get_colmajor(h C.qpgo_handle, prop *C.qpgo_cchar, out *C.double, n C.int64_t) C.int {
	return guard(func() error {
		p, err := goString(prop, "prop")
		if err != nil {
			return err
		}
		get, ok := fliColMajor[p]
		if !ok {
			return qperr.New(qperr.UnknownKey, "unknown image %q (fl raw_fl bg_fl)", p)
		}
		return with(int64(h), famFLImage, func(f *flimage.FLImage) error {
			v, shape, err := get(f)
			if err != nil {
				return err
			}
			return putColMajor(out, nil, n, v, shape, p)
		})
	})
}

// frameScratch keeps a few buffers for row-major frames on their way to a
// column-major caller buffer ([]uint64: aligned for every element type).
// Not a sync.Pool: that is emptied at every garbage collection, and a
// fresh 2 MB buffer per frame (zeroing, page faults) costs more than the
// transposition.
var frameScratch = make(chan []uint64, 4)

func getScratch(words int) []uint64 {
	select {
	case b := <-frameScratch:
		if cap(b) >= words {
			return b[:words]
		}
	default:
	}
	return make([]uint64, words)
}

func putScratch(b []uint64) {
	select {
	case frameScratch <- b:
	default:
	}
}

// ims_get_frame_colmajor writes frame index (negative counts from the end)
// in its own element type, column-major (element (i, j) at i + j·rows),
// into out, a buffer of nbytes bytes aligned to the element size. Errors
// as ims_get_frame.
//
//export ims_get_frame_colmajor
func ims_get_frame_colmajor(h C.qpgo_handle, index C.int64_t, out unsafe.Pointer, nbytes C.int64_t) C.int {
	return guard(func() error {
		if out == nil {
			return argErr("output buffer for the frame is NULL")
		}
		return with(int64(h), famImageSeries, func(s ims.ImageSeries) error {
			sh, dt := s.Shape(), s.DType()
			rows, cols, size := sh[0], sh[1], dt.Size()
			n := rows * cols
			if size == 0 {
				return qperr.New(qperr.Unsupported, "frames of dtype %v cannot be copied", dt)
			}
			if int64(nbytes) < int64(n)*int64(size) {
				return qperr.New(errBuffer, "output buffer for the frame holds %d bytes, needs %d", int64(nbytes), n*size)
			}
			if uintptr(out)%uintptr(size) != 0 {
				return argErr("output buffer for the frame is not aligned to %d bytes", size)
			}
			words := (n*size + 7) / 8
			buf := getScratch(words)
			defer putScratch(buf)
			src := unsafe.Pointer(unsafe.SliceData(buf))
			if err := ims.ReadFrameInto(s, int(index), ims.View(dt, src, n)); err != nil {
				return err
			}
			switch size {
			case 1:
				colmajor.Into(unsafe.Slice((*uint8)(out), n), unsafe.Slice((*uint8)(src), n), rows, cols)
			case 2:
				colmajor.Into(unsafe.Slice((*uint16)(out), n), unsafe.Slice((*uint16)(src), n), rows, cols)
			case 4:
				colmajor.Into(unsafe.Slice((*uint32)(out), n), unsafe.Slice((*uint32)(src), n), rows, cols)
			case 8:
				colmajor.Into(unsafe.Slice((*uint64)(out), n), unsafe.Slice((*uint64)(src), n), rows, cols)
			default:
				return qperr.New(qperr.Unsupported, "element size %d", size)
			}
			return nil
		})
	})
}
