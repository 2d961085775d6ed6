package main

// The trampoline lives in this file, which exports nothing, so that its
// definition stays out of the generated header.

/*
#include <stdint.h>
#include <stdlib.h>
#include "qpgo_types.h"

// cgo cannot call a C function pointer directly.
static inline int qpgo__call_frame(qpgo_frame_fn f, int64_t index, void *out, int64_t nbytes, void *user) {
	return f(index, out, nbytes, user);
}

static inline int qpgo__call_image(qpgo_image_fn f, const char *name, int64_t frame, int64_t *nframes,
		int64_t *dims, int *dtype, char *cls, int64_t clen, void *out, int64_t nbytes, void *user) {
	return f(name, frame, nframes, dims, dtype, cls, clen, out, nbytes, user);
}
*/
import "C"

import (
	"sync"
	"unsafe"

	"qpgo/core/qperr"
	ims "qpgo/series/imageseries"
)

// frameSource wraps a C frame callback as an imageseries.SourceFunc: a
// non-zero return fails the read with QPGO_ERR_CANCELLED. buf is Go memory
// without Go pointers, valid only during the call.
func frameSource(f C.qpgo_frame_fn, user unsafe.Pointer) ims.SourceFunc {
	return func(i int, buf []byte) error {
		var p unsafe.Pointer
		if len(buf) > 0 {
			p = unsafe.Pointer(&buf[0])
		}
		if rc := C.qpgo__call_frame(f, C.int64_t(i), p, C.int64_t(len(buf)), user); rc != 0 {
			return qperr.New(qperr.Cancelled, "frame source callback returned %d for frame %d", int(rc), i)
		}
		return nil
	}
}

// imageReader is a C image file reader callback as an
// imageseries.ExternalImageReader; calls are serialised.
type imageReader struct {
	mu   sync.Mutex
	fn   C.qpgo_image_fn
	user unsafe.Pointer
}

func (r *imageReader) Info(name string, k int) (int, string, int, int, ims.DType, bool, error) {
	var n C.int64_t
	var dims [2]C.int64_t
	var dt C.int
	var cls [256]C.char
	switch rc := r.call(name, k, &n, &dims, &dt, cls[:], nil); rc {
	case 0:
	case 1:
		return 0, "", 0, 0, 0, false, nil
	default:
		return 0, "", 0, 0, 0, false, qperr.New(qperr.Cancelled, "%s: the image reader callback returned %d", name, int(rc))
	}
	cls[len(cls)-1] = 0
	_, dtype, err := seriesDType(dt)
	if err != nil {
		return 0, "", 0, 0, 0, false, qperr.New(qperr.Integrity, "%s: the image reader reported dtype code %d", name, int(dt))
	}
	return int(n), C.GoString(&cls[0]), int(dims[0]), int(dims[1]), dtype, true, nil
}

func (r *imageReader) Read(name string, k int, buf []byte) error {
	var n C.int64_t
	var dims [2]C.int64_t
	var dt C.int
	if rc := r.call(name, k, &n, &dims, &dt, nil, buf); rc != 0 {
		return qperr.New(qperr.Cancelled, "%s: the image reader callback returned %d for frame %d", name, int(rc), k)
	}
	return nil
}

// call runs the callback for frame k of name: an info call (cls, buf nil)
// or a read into buf.
func (r *imageReader) call(name string, k int, n *C.int64_t, dims *[2]C.int64_t, dt *C.int, cls []C.char, buf []byte) C.int {
	r.mu.Lock()
	defer r.mu.Unlock()
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	var pc *C.char
	if len(cls) > 0 {
		pc = &cls[0]
	}
	var p unsafe.Pointer
	if len(buf) > 0 {
		p = unsafe.Pointer(&buf[0])
	}
	return C.qpgo__call_image(r.fn, cname, C.int64_t(k), n, &dims[0], dt, pc, C.int64_t(len(cls)), p, C.int64_t(len(buf)), r.user)
}
