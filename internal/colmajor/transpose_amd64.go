package colmajor

// transpose8x8U16 writes the 8×8 tile of 2-byte elements at src (rows
// srcStride elements apart) transposed at dst (dst[c·dstStride + r] =
// src[r·srcStride + c]).
//
//go:noescape
func transpose8x8U16(dst *uint16, dstStride int, src *uint16, srcStride int)

const haveTranspose8x8 = true
