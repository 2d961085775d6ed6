// Package libm evaluates sin, asin and exp through the C library.
//
// The bleach fit of package flproc uses them as numpy (without its
// AVX-512 code paths) and hence lmfit do. Go's math package differs from
// the C library in the last bit for about half of all arguments, and the
// fit amplifies such differences: a parameter that starts at or runs into
// a bound (amplitude clamped to min(flint), offset converging to 0) makes
// a Jacobian column the difference of nearly equal values, and the
// Levenberg–Marquardt path, hence the decay curve, moved by up to 1e-3
// relative on short series (3–7 frames) at some border widths.
package libm

/*
#cgo LDFLAGS: -lm
#include <math.h>
*/
import "C"

// Sin is the C library's sin.
func Sin(x float64) float64 { return float64(C.sin(C.double(x))) }

// Asin is the C library's asin.
func Asin(x float64) float64 { return float64(C.asin(C.double(x))) }

// Exp is the C library's exp.
func Exp(x float64) float64 { return float64(C.exp(C.double(x))) }
