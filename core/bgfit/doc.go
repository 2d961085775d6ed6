// Package bgfit owns qpimage's background estimation (qpimage.bg_estimate
// and the border/mask rules of QPImage.compute_bg, spec qpimage.md §2.4,
// §3.5, §5.2) as pure numerics on float64 row-major images. The QPImage/HDF5
// layer calls it and stores the result.
//
// Profiles ("tilt", "poly2o") are fitted as upstream fits them: the Go port
// of MINPACK lmdif in internal/minpack (what scipy.optimize.leastsq and so
// lmfit run) from upstream's start values, with the residual evaluated in NumPy's
// operation order. That reproduces lmfit's parameters to the last bits,
// which matters: the "gauss" histogram range puts the extreme residuals
// exactly on bin edges, so a last-ulp difference in the profile moves a
// count between bins and the Gaussian centre by ~5e-7 (fixture
// bg_from_mask_and_border). The models are linear, so the linear
// least-squares solution by gonum's Householder QR (column-scaled, one step
// of iterative refinement) is kept as the fallback when lmdif fails and as
// the reference in the tests; both reach the exact second-order polynomial
// of upstream's test_poly2o to within 1e-14. Rank-deficient masks are
// handled by lmdif's pivoted QR (and in the QR fallback by an SVD
// minimum-norm correction from the start values).
//
// Offsets: "mode" and "gauss" histogram the residuals with a re-implementation
// of NumPy's uniform-bin np.histogram (linspace edges, last bin closed, ±1
// index correction against the edges, density = count/width/total) because
// the mode is an argmax over bins and ties must break as in NumPy; gonum's
// stat.Histogram uses different binning. Means use NumPy's pairwise
// summation so "mean" offsets round like np.mean. "gauss" fits lmfit's
// GaussianModel to the density histogram from lmfit's guess_from_peak start
// values, with the same lmdif and lmfit's bound transform σ = sqrt(u²+1) − 1
// for σ ≥ 0. gonum has no nonlinear least-squares solver, and upstream stops
// at lmdif's ftol/xtol = 1.49012e-8, up to ~1e-5 short of the optimum on
// flat histograms: only the same iteration reproduces its centre (the port
// matches the fixtures to ≤ 2e-9).
//
// Deviations from upstream, by design:
//   - Non-finite pixels (NaN, ±Inf) inside the mask are left out of the fit
//     and of the offset (upstream: lmfit and np.histogram raise, "mean"
//     propagates NaN to the whole background). The returned mask is still
//     the geometric mask (from_mask ∧ border frame), as upstream returns it;
//     Details.NMask counts the pixels actually used. No usable pixel →
//     BadArgument error.
//   - An empty mask is a BadArgument error (upstream fails inside lmfit or
//     returns a NaN background).
//   - Masks are []bool only (spec §10 D4).
package bgfit
