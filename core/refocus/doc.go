// Package refocus propagates complex fields numerically with the kernels of
// nrefocus 0.5.3 (used by QPImage.refocus): Helmholtz (angular spectrum
// with evanescent waves removed) and Fresnel (paraxial), optionally with
// nrefocus.pad's linear-ramp padding to twice the size.
//
// The padding is numpy.pad(mode="linear_ramp") written out (no Go library
// has it; pad.go), including numpy's iteration order (axis 0 on the
// original columns, then axis 1 over all rows) and linspace's k·step +
// start evaluation. Refocus materialises only the field's rows of the
// padded array: the top and bottom ramp rows are pv + k·E for one row
// vector E each, handed to package fft as bands (Kernel.Convolve2CropBands)
// that are transformed once and synthesised in the column pass, which
// halves the padded array's memory traffic. The inverse only computes the
// rows that survive the crop, and column blocks where the kernel is zero
// (the evanescent band) are not transformed. Kernels are cached, prepared
// as fft.Kernel, per (shape, distance, wavelength, pixel size, medium
// index, kernel); the row buffer is recycled.
package refocus
