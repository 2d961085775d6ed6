package holo

import "math"

// Degree-argument sine and cosine with the results of scipy.special's
// sindg/cosdg (Cephes), which scipy.ndimage.rotate uses for its rotation
// matrix. math.Sin(deg·π/180) differs from them in the last bit for many
// angles, and upstream's QLSI gradients are rotated with nearest-neighbour
// sampling whose coordinates often land exactly on a half pixel: one bit
// moves a sample by a pixel. The method is Cephes': reduce to an octant
// of 45°, convert that remainder to radians and evaluate the published
// minimax polynomials for sin and cos on [0, π/4].

var (
	dgSinCoef = [...]float64{
		1.58962301572218447952e-10,
		-2.50507477628503540135e-8,
		2.75573136213856773549e-6,
		-1.98412698295895384658e-4,
		8.33333333332211858862e-3,
		-1.66666666666666307295e-1,
	}
	dgCosCoef = [...]float64{
		1.13678171382044553091e-11,
		-2.08758833757683644217e-9,
		2.75573155429816611547e-7,
		-2.48015872936186303776e-5,
		1.38888888888806666760e-3,
		-4.16666666666666348141e-2,
		4.99999999999999999798e-1,
	}
)

const dgPi180 = 1.74532925199432957692e-2 // π/180 as Cephes rounds it

// horner evaluates c[0]·x^(n-1) + … + c[n-1] in Horner order.
func horner(x float64, c []float64) float64 {
	r := c[0]
	for _, v := range c[1:] {
		r = float64(r*x) + v
	}
	return r
}

// octant reduces |x| degrees: it returns the remainder in radians (within
// ±π/4 of the octant centre chosen) and the octant index j in 0..7.
func octant(ax float64) (z float64, j int) {
	y := math.Floor(ax / 45)
	// y mod 16 without integer overflow
	m := y - math.Ldexp(math.Floor(math.Ldexp(y, -4)), 4)
	j = int(m)
	if j&1 == 1 {
		j++
		y++
	}
	j &= 7
	z = float64(ax-float64(y*45)) * dgPi180
	return z, j
}

func dgSinPoly(z float64) float64 {
	zz := z * z
	return z + z*float64(zz*horner(zz, dgSinCoef[:]))
}

func dgCosPoly(z float64) float64 {
	zz := z * z
	return 1 - float64(zz*horner(zz, dgCosCoef[:]))
}

// sinDeg is scipy.special.sindg(x) for |x| ≤ 1e14 (0 beyond, as Cephes).
func sinDeg(x float64) float64 {
	sign := 1.0
	if x < 0 {
		x, sign = -x, -1
	}
	if x > 1e14 {
		return 0
	}
	z, j := octant(x)
	if j > 3 {
		sign, j = -sign, j-4
	}
	var y float64
	if j == 1 || j == 2 {
		y = dgCosPoly(z)
	} else {
		y = dgSinPoly(z)
	}
	return sign * y
}

// cosDeg is scipy.special.cosdg(x) for |x| ≤ 1e14 (0 beyond, as Cephes).
func cosDeg(x float64) float64 {
	x = math.Abs(x)
	if x > 1e14 {
		return 0
	}
	sign := 1.0
	z, j := octant(x)
	if j > 3 {
		sign, j = -sign, j-4
	}
	if j > 1 {
		sign = -sign
	}
	var y float64
	if j == 1 || j == 2 {
		y = dgSinPoly(z)
	} else {
		y = dgCosPoly(z)
	}
	return sign * y
}

// rad2deg is numpy.rad2deg: x·(180/π) with 180/π rounded to a double
// first (computed at run time so Go's exact constant arithmetic does not
// round it differently).
func rad2deg(x float64) float64 { return x * rad2degFactor }

var piVar = math.Pi

var rad2degFactor = 180.0 / piVar
