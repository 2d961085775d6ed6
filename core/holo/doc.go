// Package holo retrieves complex fields from off-axis holograms (OffAxis)
// and phase/amplitude from quadri-wave lateral shearing interferograms
// (QLSI) with the semantics of qpretrieve 0.3.2 as used by qpimage 0.9.3:
// 2-D in, 2-D out (spec §10 D1), mean subtraction, power-of-two square zero
// padding at the top-left, heuristic sideband search, the six Fourier
// filters with upstream's exact centre offsets (the even-size "same"
// convolution of the smooth filters shifts them by +1 pixel, the tukey
// window sits at int(f·size)), and the three filter-size interpretations.
//
// Hand-written parts and why: the filters and the pipeline are upstream's
// formulas (no library has them); the smooth filters use a separable direct
// convolution truncated where the Gaussian is below 1e-20 of its peak,
// which equals scipy.signal.convolve(mode="same") to ~1e-16 and avoids a
// (2n)² FFT; the nearest-neighbour rotation replicates
// scipy.ndimage.rotate(order=0, mode="mirror", reshape=False), which gonum
// lacks. Transforms come from package fft (plans reused between calls,
// spec §10 D7). The spectrum is never fftshift-ed in memory: shifts, roll
// and filter are folded into index arithmetic.
//
// QLSI unwraps the two gradient phases with skimage.unwrap_phase upstream.
// QLSIOptions.Unwrap lets the caller plug in that unwrapper (package
// core/unwrap); the built-in fallback returns the phase unchanged when no
// neighbouring pixels differ by more than π (then any reliability-sorting
// unwrapper is the identity too) and otherwise unwraps along rows.
package holo
