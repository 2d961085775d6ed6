// Command capi is the C ABI of qpgo, built with -buildmode=c-shared into
// libqpgo.so; cgo writes the header include/qpgo.h from the exported
// functions, and that header includes the hand-written include/qpgo_types.h.
//
// The layer does argument checks, handles, error codes and array copies
// only; all logic lives in core/ and series/. Conventions (one of each,
// everywhere): every function returns an int result code (0 OK, negative
// errors), outputs go through pointers, arrays are row-major float64 with
// explicit dims (complex as interleaved pairs) copied into caller buffers
// whose size is queried first, options are one JSON object whose unknown
// keys are an error, and qpgo_errmsg() gives the calling thread's last
// message. Every exported function recovers panics.
package main

// #cgo CFLAGS: -I${SRCDIR}/../include
import "C"

func main() {}
