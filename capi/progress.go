package main

// The trampoline lives in this file, which exports nothing, so that its
// definition stays out of the generated header (cgo copies the preambles
// of files with //export into qpgo.h).

/*
#include <stdint.h>
#include "qpgo_types.h"

// cgo cannot call a C function pointer directly.
static inline int qpgo__call_progress(qpgo_progress_fn f, int64_t done, int64_t total, void *user) {
	return f(done, total, user);
}
*/
import "C"

import (
	"unsafe"

	"qpgo/core/flproc"
)

// progressFn wraps a C progress callback (NULL: none) as a flproc.Progress:
// a non-zero return of the callback cancels (QPGO_ERR_CANCELLED). The
// series functions call it on the calling goroutine, which cgo keeps on
// the caller's thread.
func progressFn(f C.qpgo_progress_fn, user unsafe.Pointer) flproc.Progress {
	if f == nil {
		return nil
	}
	return func(done, total int) bool {
		return C.qpgo__call_progress(f, C.int64_t(done), C.int64_t(total), user) == 0
	}
}
