// Package flproc owns the numerics of flimage's series tools, independent
// of HDF5 storage: bleach correction (FLSeries.bleach_correction) and
// total-variation denoising (FLSeries.denoise). The series type that reads
// and writes files calls these functions with background-corrected frames
// (row-major float64, rows×cols) and the frames' "time" metadata.
//
// Bleach correction follows flimage 0.3.3 step by step: one background for
// the series (mean over frames of each frame's border mean, BorderMask),
// the intensity trace (sum of the positive pixels of fl − bg), a fit of
// A·exp(−k·t) + c with lmfit 1.1.0's bounds and starting values, the model
// at the frame times (decay) and the factors decay[0]/decay. Sums and
// means add in numpy's pairwise order so bg and the trace agree with
// upstream to the last bits.
//
// The fit is the port of MINPACK lmdif as scipy 1.10 ships it
// (internal/minpack), driven through lmfit's MINUIT-style bound transforms
// (minpack.Bound: asin/sin for two bounds, sqrt for one). It is written by
// hand because gonum's optimize has
// no bounded Levenberg–Marquardt, and because reproducing lmfit's stopping
// point needs MINPACK's exact step control (trust region, lmpar, forward
// differences with epsfcn = machine epsilon, ftol = xtol = 1.49012e-8,
// gtol = 0, factor 100); an algorithm that merely converges stops
// elsewhere on these shallow, bound-limited problems. On the spec's
// reference run it takes the same 35 evaluations as upstream.
//
// DenoiseTV is skimage 0.19.3's _denoise_tv_chambolle_nd for 2-D float64
// images (tau = 1/4, eps = 2e-4, at most 200 iterations, weight absolute;
// flimage uses weight 2). It is hand-written because no Go library has
// Chambolle's algorithm; the per-pixel operations keep numpy's order and
// the result matches skimage bit for bit on the fixture. An iteration is
// one sweep over the rows (primal row r+1, then dual row r, so the rows
// in use stay in cache), and on amd64 the dual update, which is bound by
// the divider (two divisions and a square root per pixel), runs two
// pixels per instruction in SSE2 (tv_amd64.s) with the same IEEE
// operations in the same order. DenoiseFrames runs frames in parallel
// with results identical to the serial path; Background, the trace of
// BleachCorrection and ApplyCorrection compute frames on all cores the
// same way (forFrames).
//
// Long functions take a Progress hook (nil allowed; false cancels with
// qperr.Cancelled). Bad input returns qperr.BadArgument, never a panic.
//
// Deliberate differences from upstream (documented, not defects F1–F3 of
// the spec, which concern the FLImage/storage layer and are handled there;
// MissingTime returns F3's MetaDataMissingError as qperr.MissingMeta):
//   - NaN pixels are an error; upstream drops them from the trace silently
//     (NaN > 0 is false) or produces a NaN background.
//   - A constant trace, equal first and last trace values (upstream divides
//     by zero for the initial decay), fewer than three frames, and times
//     that are not finite and strictly increasing are errors.
//   - Flint takes the series background, not border_px: upstream's trace
//     depends on one background for the whole series.
package flproc
