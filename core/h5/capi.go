package h5

// The C helpers in qh.c keep each libhdf5 sequence (create a property list,
// use it, close it) in one place so that the Go side never leaks an
// identifier on an error path. The build flags for Debian's serial libhdf5
// live here once for the whole package.

// #cgo CFLAGS: -I/usr/include/hdf5/serial
// #cgo LDFLAGS: -L/usr/lib/x86_64-linux-gnu/hdf5/serial -lhdf5 -lz -lm -ldl
import "C"
