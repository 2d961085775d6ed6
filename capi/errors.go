package main

/*
#include <stdlib.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"fmt"
	"runtime/debug"
	"unsafe"

	"qpgo/core/qperr"
)

// codes maps error kinds to the result codes of the header: one table.
var codes = map[qperr.Kind]C.int{
	qperr.Internal:    C.QPGO_ERR_INTERNAL,
	qperr.BadArgument: C.QPGO_ERR_ARG,
	qperr.UnknownKey:  C.QPGO_ERR_KEY,
	qperr.NotFound:    C.QPGO_ERR_NOT_FOUND,
	qperr.MissingMeta: C.QPGO_ERR_META_MISSING,
	qperr.IO:          C.QPGO_ERR_IO,
	qperr.Integrity:   C.QPGO_ERR_INTEGRITY,
	qperr.Cancelled:   C.QPGO_ERR_CANCELLED,
	qperr.BadHandle:   C.QPGO_ERR_HANDLE,
	qperr.Unsupported: C.QPGO_ERR_UNSUPPORTED,
	qperr.Runtime:     C.QPGO_ERR_RUNTIME,
}

// errBuffer marks a caller buffer that is too small.
const errBuffer = qperr.Kind(100)

func init() { codes[errBuffer] = C.QPGO_ERR_BUFFER }

func setMsg(msg string) {
	c := C.CString(msg)
	C.qpgo__set_errmsg(c)
	C.free(unsafe.Pointer(c))
}

// result turns an error into a result code and sets the thread's message.
func result(err error) C.int {
	if err == nil {
		C.qpgo__set_errmsg(nil)
		return C.QPGO_OK
	}
	setMsg(err.Error())
	if c, ok := codes[qperr.KindOf(err)]; ok {
		return c
	}
	return C.QPGO_ERR_INTERNAL
}

// guard runs f and converts its error or a panic into a result code, so
// that no Go panic ever crosses the C boundary.
func guard(f func() error) (rc C.int) {
	defer func() {
		if r := recover(); r != nil {
			setMsg(fmt.Sprintf("internal error: %v\n%s", r, debug.Stack()))
			rc = C.QPGO_ERR_INTERNAL
		}
	}()
	return result(f())
}

func argErr(format string, args ...any) error { return qperr.New(qperr.BadArgument, format, args...) }
