package fft

// #cgo LDFLAGS: -ldl
// #include <stdlib.h>
// #include "fftw.h"
import "C"

import (
	"os"
	"sync"
	"unsafe"

	"qpgo/core/qperr"
)

// The optional FFTW backend. When libfftw3.so.3 (Debian libfftw3-double3)
// can be dlopened and QPGO_NO_FFTW is unset, the 1-D transforms of every
// pass (rows, and gathered column blocks) run through FFTW's SIMD codelets,
// about twice as fast as pow2.go per transform; the passes themselves
// (parallelism, pruning, gathers, fused products) stay in Go. Any failure
// (library missing, symbol missing, NULL plan, misaligned array) falls back
// to the Go kernels, so results never depend on the library being present
// beyond rounding.
//
// Plans are made with FFTW_ESTIMATE: for the layouts used here (batches of
// contiguous lines: rows, and column blocks gathered transposed) it is as
// fast as FFTW_MEASURE (measured 3.0 µs per 1024-point line either way),
// while MEASURE costs 0.3–1 s per plan on the first call and chooses by
// timing, so results could differ in the last bits between runs. (ESTIMATE
// is only poor for strided 2-D plans, which are not used.) Plans are cached per (length, batch layout, direction)
// for the life of the process and executed with the thread-safe new-array
// interface from many goroutines; two goroutines over independent
// transforms use both cores without FFTW's own threads.

const fftwLib = "libfftw3.so.3"

type planKey struct {
	n, howmany, stride, dist int
	inverse                  bool
}

// maxPlans bounds the plan cache (a plan is a few KiB; shapes in use are a
// handful). Past it, new shapes use the Go kernels.
const maxPlans = 256

var fftw struct {
	once  sync.Once
	ok    bool
	mu    sync.Mutex
	plans map[planKey]unsafe.Pointer // nil value: planning failed
}

// noFFTW forces the Go kernels (tests switch it to cover both backends).
var noFFTW bool

// testPlanFail, when set by a test, makes every new plan fail.
var testPlanFail bool

// loadFFTW dlopens the library name and resolves the functions used.
func loadFFTW(name string) error {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	switch C.qf_load(cs) {
	case 0:
		return nil
	case 1:
		return qperr.New(qperr.Unsupported, "fft: cannot dlopen %s", name)
	default:
		return qperr.New(qperr.Unsupported, "fft: %s lacks the FFTW 3.3 functions", name)
	}
}

// fftwOn reports whether the FFTW backend is in use.
func fftwOn() bool {
	if noFFTW {
		return false
	}
	fftw.once.Do(func() {
		if os.Getenv("QPGO_NO_FFTW") != "" {
			return
		}
		fftw.ok = loadFFTW(fftwLib) == nil
		fftw.plans = map[planKey]unsafe.Pointer{}
	})
	return fftw.ok
}

// fftwPlan returns the cached in-place plan for k, making it on first use,
// or nil when FFTW is off or cannot plan it.
func fftwPlan(k planKey) unsafe.Pointer {
	if !fftwOn() {
		return nil
	}
	fftw.mu.Lock()
	defer fftw.mu.Unlock()
	if p, ok := fftw.plans[k]; ok {
		return p
	}
	if len(fftw.plans) >= maxPlans {
		return nil
	}
	var p unsafe.Pointer
	if !testPlanFail {
		inv := C.int(0)
		if k.inverse {
			inv = 1
		}
		p = C.qf_plan(C.int(k.n), C.int(k.howmany), C.int(k.stride), C.int(k.dist), inv)
	}
	fftw.plans[k] = p
	return p
}

// fftwExec runs plan p in place on x, which must span the plan's extent.
// It reports false (x untouched) when x is not aligned as FFTW assumes.
func fftwExec(p unsafe.Pointer, x []complex128) bool {
	return C.qf_exec(p, unsafe.Pointer(&x[0])) == 0
}

// fftwPair returns the forward and inverse plans of layout (n, howmany,
// stride, dist), or nils.
func fftwPair(n, howmany, stride, dist int) (fw, bw unsafe.Pointer) {
	fw = fftwPlan(planKey{n, howmany, stride, dist, false})
	if fw == nil {
		return nil, nil
	}
	bw = fftwPlan(planKey{n, howmany, stride, dist, true})
	if bw == nil {
		return nil, nil
	}
	return fw, bw
}
