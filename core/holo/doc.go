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
// QLSI follows qpretrieve 0.3.2's run_pipeline: the two gradient phases
// are unwrapped with skimage.unwrap_phase without a seed (package
// core/unwrap with seed 0, scikit-image 0.19.3's srand(0)), zero-padded by
// half the gradient shape on each side, rotated, integrated in Fourier
// space, rotated back, cropped and scaled by pitch term ×
// fft_origin.shape[0] / padded shape[0]. QLSIOptions.Unwrap only exists
// to override that unwrapper in tests.
//
// FFTFilter is qpretrieve's FFTFilter object (one transform, many filter
// calls); OffAxisOn and QLSIOn run the pipelines on it, OffAxis and QLSI
// are the one-shot forms. Bit-level details that decide whole pixels
// follow numpy/scipy exactly: fftfreq is k·(1/n) (freq.go), the rotation
// matrix uses Cephes' cosdg/sindg of numpy.rad2deg(angle) (degtrig.go)
// and its offset numpy's matmul rounding, because int(f·n) and the
// nearest-neighbour rotation land on exact integer/half-integer ties.
//
// Only the rows of the filtered spectrum where the filter is non-zero are
// inverse transformed (fft.IFFT2CropRows); the padded spectrum buffers are
// recycled between calls.
package holo
