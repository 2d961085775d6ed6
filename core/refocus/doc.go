// Package refocus propagates complex fields numerically with the kernels of
// nrefocus 0.5.3 (used by QPImage.refocus): Helmholtz (angular spectrum
// with evanescent waves removed) and Fresnel (paraxial), optionally with
// nrefocus.pad's linear-ramp padding to twice the size.
//
// The padding is numpy.pad(mode="linear_ramp") written out (no Go library
// has it), including numpy's iteration order (axis 0 on the original
// columns, then axis 1 over all rows) and linspace's k·step + start
// evaluation. Transforms come from package fft; the inverse only computes
// the rows that survive the crop.
package refocus
