package eiger

import "qpgo/core/qperr"

// bitUnshuffle undoes the bitshuffle transposition of one block of n
// elements of elemSize bytes (n a multiple of 8): in holds elemSize*8 bit
// rows of n bits (n/8 bytes each), row b*8+k holding bit k of byte b of
// every element, element j at bit j%8 of byte j/8. out (n*elemSize bytes)
// gets the elements back.
func bitUnshuffle(out, in []byte, n, elemSize int) error {
	if n%8 != 0 {
		return qperr.New(qperr.BadArgument, "bitshuffle block of %d elements is not a multiple of 8", n)
	}
	if len(in) < n*elemSize || len(out) < n*elemSize {
		return qperr.New(qperr.BadArgument, "bitshuffle block: %d/%d bytes for %d elements of %d bytes", len(in), len(out), n, elemSize)
	}
	nb := n / 8 // bytes per bit row
	for b := 0; b < elemSize; b++ {
		rows := in[b*8*nb : (b+1)*8*nb]
		for j := 0; j < nb; j++ {
			// the 8x8 bit matrix: byte k = bit row k at column byte j
			var x uint64
			for k := 0; k < 8; k++ {
				x |= uint64(rows[k*nb+j]) << (8 * k)
			}
			x = transpose8(x)
			// byte t of the transposed matrix is byte b of element 8j+t
			base := 8 * j * elemSize
			for t := 0; t < 8; t++ {
				out[base+t*elemSize+b] = byte(x >> (8 * t))
			}
		}
	}
	return nil
}

// transpose8 transposes the 8x8 bit matrix x (bit 8r+c is row r, column
// c).
func transpose8(x uint64) uint64 {
	t := (x ^ (x >> 7)) & 0x00AA00AA00AA00AA
	x ^= t ^ (t << 7)
	t = (x ^ (x >> 14)) & 0x0000CCCC0000CCCC
	x ^= t ^ (t << 14)
	t = (x ^ (x >> 28)) & 0x00000000F0F0F0F0
	x ^= t ^ (t << 28)
	return x
}

// bitShuffle is the forward transposition (the inverse of bitUnshuffle),
// used by the tests to build payloads.
func bitShuffle(out, in []byte, n, elemSize int) {
	nb := n / 8
	for b := 0; b < elemSize; b++ {
		for j := 0; j < nb; j++ {
			var x uint64
			base := 8 * j * elemSize
			for t := 0; t < 8; t++ {
				x |= uint64(in[base+t*elemSize+b]) << (8 * t)
			}
			x = transpose8(x)
			for k := 0; k < 8; k++ {
				out[(b*8+k)*nb+j] = byte(x >> (8 * k))
			}
		}
	}
}
