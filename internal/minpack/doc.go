// Package minpack owns qpgo's one port of MINPACK-1 lmdif, the
// forward-difference Levenberg–Marquardt least-squares solver behind
// scipy.optimize.leastsq and so behind lmfit's default "leastsq" method,
// together with its helpers (qrfac, qrsolv, lmpar, enorm) and lmfit's
// parameter bound transforms (Bound) used to drive it with bounds.
//
// Users: core/bgfit (tilt/poly2o profile fits and the Gaussian "gauss"
// offset fit) and core/flproc (the bounded exponential bleach fit).
//
// It is written by hand because gonum has no MINPACK-equivalent nonlinear
// least-squares solver (gonum/optimize minimises scalar functions; it has
// no Levenberg–Marquardt with MINPACK's trust region), and because the
// callers reproduce lmfit's results, which stop at lmdif's ftol/xtol
// short of the optimum: only MINPACK's exact step control (the trust
// region update, lmpar, forward differences with epsfcn, the pivoted QR
// and enorm's three-accumulator rounding) stops at the same point. The
// port therefore keeps the Fortran operations and their order; matrices
// are column-major (a(i,j) = a[i+j*m]) and indices 0-based.
package minpack
