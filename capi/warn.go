package main

// The trampoline lives in this file, which exports nothing, so that its
// definition stays out of the generated header.

/*
#include <stdint.h>
#include <stdlib.h>
#include "qpgo_types.h"

// cgo cannot call a C function pointer directly.
static inline void qpgo__call_warn(qpgo_warn_fn f, const char *msg, void *user) {
	f(msg, user);
}
*/
import "C"

import (
	"sync"
	"unsafe"
)

// warnings collects the warnings of a call (from any goroutine) and hands
// them to a C callback on the calling thread when the call is done.
type warnings struct {
	mu   sync.Mutex
	msgs []string
}

func (w *warnings) add(msg string) {
	w.mu.Lock()
	w.msgs = append(w.msgs, msg)
	w.mu.Unlock()
}

// deliver calls f (NULL: none) once per warning, in the order received.
func (w *warnings) deliver(f C.qpgo_warn_fn, user unsafe.Pointer) {
	if f == nil {
		return
	}
	w.mu.Lock()
	msgs := w.msgs
	w.msgs = nil
	w.mu.Unlock()
	for _, m := range msgs {
		cs := C.CString(m)
		C.qpgo__call_warn(f, cs, user)
		C.free(unsafe.Pointer(cs))
	}
}
