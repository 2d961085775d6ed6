// Package numpysum adds float64 values in the order NumPy does, so that
// sums and means match upstream to the last bit rather than only to
// rounding noise.
package numpysum

// blockSize is numpy's PW_BLOCKSIZE: below it numpy sums with eight
// interleaved accumulators, above it it splits the range in two.
const blockSize = 128

// Pairwise adds v in the order numpy's add.reduce does for a contiguous
// float64 array (pairwise_sum_DOUBLE, numpy 1.24).
func Pairwise(v []float64) float64 {
	n := len(v)
	switch {
	case n < 8:
		res := 0.0
		for _, x := range v {
			res += x
		}
		return res
	case n <= blockSize:
		var r [8]float64
		copy(r[:], v[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			r[0] += v[i]
			r[1] += v[i+1]
			r[2] += v[i+2]
			r[3] += v[i+3]
			r[4] += v[i+4]
			r[5] += v[i+5]
			r[6] += v[i+6]
			r[7] += v[i+7]
		}
		res := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			res += v[i]
		}
		return res
	default:
		n2 := n / 2
		n2 -= n2 % 8
		return Pairwise(v[:n2]) + Pairwise(v[n2:])
	}
}

// Sum is np.sum of a 1-D float64 array: the reduction starts from the
// identity 0 and adds the pairwise sum of all elements.
func Sum(v []float64) float64 { return 0 + Pairwise(v) }

// Mean is np.mean: the numpy sum divided by the element count (NaN for
// an empty v).
func Mean(v []float64) float64 { return Sum(v) / float64(len(v)) }
