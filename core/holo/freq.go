package holo

// npFreq is numpy.fft.fftfreq(n) bit for bit: the integer index times
// 1.0/n (numpy multiplies by the reciprocal; k/n differs from it in the
// last bit for sizes that are not powers of two, which moves int(f·n) by
// one pixel for a detected sideband).
func npFreq(n int) []float64 {
	f := make([]float64, n)
	val := 1.0 / float64(n)
	for i := range f {
		k := i
		if i >= (n+1)/2 {
			k = i - n
		}
		f[i] = float64(k) * val
	}
	return f
}

// npShiftedFreq is numpy.fft.fftshift(numpy.fft.fftfreq(n)) bit for bit.
func npShiftedFreq(n int) []float64 {
	f := npFreq(n)
	out := make([]float64, n)
	for i := range out {
		out[i] = f[(i+(n+1)/2)%n]
	}
	return out
}
