//go:build !amd64

package imageseries

func maxU16SSE2(acc, x *uint16, n int)           {}
func minU16SSE2(acc, x *uint16, n int)           {}
func addU16I32SSE2(acc *int32, x *uint16, n int) {}

const haveSIMD = false

func firstGTU16SSE2(x *uint16, n int, t uint16) int { return 0 }
