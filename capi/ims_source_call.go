package main

// The trampoline lives in this file, which exports nothing, so that its
// definition stays out of the generated header.

/*
#include <stdint.h>
#include "qpgo_types.h"

// cgo cannot call a C function pointer directly.
static inline int qpgo__call_frame(qpgo_frame_fn f, int64_t index, void *out, int64_t nbytes, void *user) {
	return f(index, out, nbytes, user);
}
*/
import "C"

import (
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
