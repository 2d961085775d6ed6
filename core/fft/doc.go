// Package fft provides the 2-D discrete Fourier transforms used by the field
// retrieval (package holo) and refocusing (package refocus) code, with NumPy's
// conventions: the forward transform is unnormalised, the inverse is scaled
// by 1/N, and FFTShift/IFFTShift roll by n/2 and -(n/2) (integer division),
// which differ for odd sizes.
//
// The 1-D transforms come from FFTW when libfftw3.so.3 (Debian
// libfftw3-double3) can be dlopened at first use and QPGO_NO_FFTW is unset
// (fftw.go: ESTIMATE plans cached per layout, new-array execution, Go
// fallback on any failure; about twice as fast per transform). Otherwise
// power-of-two lengths use a radix-4 transform with precomputed twiddles
// (pow2.go) and other lengths gonum's FFTPACK port (dsp/fourier). What this
// package adds is what the transform libraries leave to the caller:
//
//   - plans (twiddle tables) are cached per length and reused between calls;
//     gonum's CmplxFFT is not safe for concurrent use, so each length keeps a
//     free list of plans and every worker takes its own;
//   - rows and column blocks are transformed on runtime.GOMAXPROCS(0)
//     goroutines; columns are gathered 16 at a time into a contiguous block
//     and transformed together with unit-stride inner loops (no full-size
//     transposes); with FFTW the block is gathered transposed, so each
//     column is a contiguous line;
//   - rows or columns that are entirely zero are skipped (their transform is
//     zero). The retrieval pipelines zero-pad to a power of two and filter
//     most of the spectrum away, so this prunes about half of the work;
//   - FFT2Real uses the real transform for the rows and the Hermitian
//     symmetry of a real input to transform only cols/2+1 columns;
//   - IFFT2Crop only computes the top-left block of an inverse transform,
//     which is all that the zero-padded pipelines keep; IFFT2CropRows does
//     the same for an array given by its non-zero rows only (the filtered
//     spectrum of holo), and Convolve2Crop runs forward column transform,
//     kernel product and inverse column transform on one gathered block
//     (refocus; convolve.go). A Kernel holds the product's factor in the
//     blocks' layout with zero blocks dropped, and Convolve2CropBands takes
//     rows that are affine in one vector (ramp padding) without
//     materialising them.
package fft
