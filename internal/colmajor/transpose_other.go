//go:build !amd64

package colmajor

func transpose8x8U16(dst *uint16, dstStride int, src *uint16, srcStride int) {}

const haveTranspose8x8 = false
