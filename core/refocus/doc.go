// Package refocus propagates complex fields numerically with the kernels of
// nrefocus 0.5.3 (used by QPImage.refocus): Helmholtz (angular spectrum
// with evanescent waves removed) and Fresnel (paraxial), optionally with
// nrefocus.pad's linear-ramp padding to twice the size.
//
// The padding is numpy.pad(mode="linear_ramp") written out (no Go library
// has it), including numpy's iteration order (axis 0 on the original
// columns, then axis 1 over all rows) and linspace's k·step + start
// evaluation. Transforms come from package fft (Convolve2Crop: the inverse
// only computes the rows that survive the crop, and column blocks where the
// kernel is zero, the evanescent band, are not transformed). Kernels are
// cached per (shape, distance, wavelength, pixel size, medium index,
// kernel); the padded buffer is recycled.
package refocus
