package imageseries

import "os"

//go:noescape
func maxU16AVX2(acc, x *uint16, n int)

//go:noescape
func minU16AVX2(acc, x *uint16, n int)

//go:noescape
func addU16I32AVX2(acc *int32, x *uint16, n int)

func cpuAVX2() bool

// haveAVX2: the uint16 stats kernels run 32 bytes at a time (the SSE2
// ones otherwise); QPGO_NO_AVX2=1 turns them off.
var haveAVX2 = cpuAVX2() && os.Getenv("QPGO_NO_AVX2") == ""

//go:noescape
func addU16I32x4AVX2(acc *int32, x0, x1, x2, x3 *uint16, n int)

//go:noescape
func maxU16x4AVX2(acc, x0, x1, x2, x3 *uint16, n int)

//go:noescape
func minU16x4AVX2(acc, x0, x1, x2, x3 *uint16, n int)
