// Package ldeflate compresses and inflates raw deflate streams (RFC 1951,
// the zip member format) with libdeflate, loaded at run time from
// libdeflate.so.0 (Debian package libdeflate0): several times faster than
// compress/flate at the same level. Available reports whether it loaded;
// callers keep a compress/flate fallback. The environment variable
// QPGO_NO_LIBDEFLATE makes Available false. All functions are safe for
// concurrent use.
package ldeflate

/*
#cgo LDFLAGS: -ldl
#include "ldeflate.h"
*/
import "C"

import (
	"os"
	"sync"
	"unsafe"
)

var available = sync.OnceValue(func() bool {
	return os.Getenv("QPGO_NO_LIBDEFLATE") == "" && C.qld_available() == 1
})

// Available reports whether libdeflate is loaded and not disabled.
func Available() bool { return available() }

// Compress deflates src at level (0..12; 6 is zlib's default) into a new
// buffer; ok is false when libdeflate is not available.
func Compress(src []byte, level int) (out []byte, ok bool) {
	if !Available() {
		return nil, false
	}
	bound := int(C.qld_bound(C.int(level), C.size_t(len(src))))
	if bound <= 0 {
		return nil, false
	}
	out = make([]byte, bound)
	var sp unsafe.Pointer
	if len(src) > 0 {
		sp = unsafe.Pointer(&src[0])
	}
	n := int(C.qld_compress(C.int(level), sp, C.size_t(len(src)), unsafe.Pointer(&out[0]), C.size_t(bound)))
	if n <= 0 {
		return nil, false
	}
	return out[:n:n], true
}

// Inflate inflates the raw deflate stream src into dst and reports whether
// it succeeded with dst exactly filled. false covers a corrupt stream, a
// stream of another length and libdeflate being unavailable: the caller
// then lets compress/flate decide.
func Inflate(src, dst []byte) bool {
	if !Available() || len(src) == 0 || len(dst) == 0 {
		return false
	}
	var got C.size_t
	r := C.qld_decompress(unsafe.Pointer(&src[0]), C.size_t(len(src)), unsafe.Pointer(&dst[0]), C.size_t(len(dst)), &got)
	return r == 0 && int(got) == len(dst)
}
