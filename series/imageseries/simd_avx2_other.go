//go:build !amd64

package imageseries

func maxU16AVX2(acc, x *uint16, n int)           {}
func minU16AVX2(acc, x *uint16, n int)           {}
func addU16I32AVX2(acc *int32, x *uint16, n int) {}

func addU16I32x4AVX2(acc *int32, x0, x1, x2, x3 *uint16, n int) {}
func maxU16x4AVX2(acc, x0, x1, x2, x3 *uint16, n int)           {}
func minU16x4AVX2(acc, x0, x1, x2, x3 *uint16, n int)           {}

var haveAVX2 = false
