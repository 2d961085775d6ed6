package bgfit

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"

	"qpgo/core/qperr"
	"qpgo/internal/minpack"
)

// ProfileTilt is upstream profile_tilt: the least-squares plane
// off + mx·x + my·y through data[mask] (x = row − rows/2, y = col − cols/2),
// evaluated on the whole image. A nil mask means all pixels; non-finite
// pixels are ignored.
func ProfileTilt(data []float64, rows, cols int, mask []bool) ([]float64, error) {
	return profile("tilt", data, rows, cols, mask)
}

// ProfilePoly2o is upstream profile_poly2o: the least-squares second-order
// polynomial off + ax·x² + ay·y² + mx·x + my·y + mxy·x·y through data[mask].
func ProfilePoly2o(data []float64, rows, cols int, mask []bool) ([]float64, error) {
	return profile("poly2o", data, rows, cols, mask)
}

func profile(kind string, data []float64, rows, cols int, mask []bool) ([]float64, error) {
	if err := checkImage(data, rows, cols); err != nil {
		return nil, err
	}
	if err := checkMask(mask, len(data), "mask"); err != nil {
		return nil, err
	}
	if mask == nil {
		mask = make([]bool, len(data))
		for i := range mask {
			mask[i] = true
		}
	}
	idx, err := usable(data, mask)
	if err != nil {
		return nil, err
	}
	p, err := fitProfileParams(data, rows, cols, idx, kind)
	if err != nil {
		return nil, err
	}
	return evalProfile(kind, p, rows, cols), nil
}

// basis fills row with the model's basis functions at (x, y) in parameter
// order (TiltParamNames / Poly2oParamNames).
func basis(kind string, x, y float64, row []float64) {
	if kind == "tilt" {
		row[0], row[1], row[2] = x, y, 1
		return
	}
	row[0], row[1], row[2], row[3], row[4], row[5] = x, y, x*y, x*x, y*y, 1
}

// profileAt is upstream's tilt_model / poly2o_model at one pixel, with
// NumPy's operation order (bg = 0 + off; bg += terms left to right), so
// that residuals are bit-identical to upstream's for the same parameters.
func profileAt(kind string, p []float64, x, y float64) float64 {
	if kind == "tilt" {
		return p[2] + (p[0]*x + p[1]*y)
	}
	t := p[3]*(x*x) + p[4]*(y*y)
	t += p[0] * x
	t += p[1] * y
	t += (p[2] * x) * y
	return p[5] + t
}

// evalProfile evaluates the profile with parameters p on the whole image.
func evalProfile(kind string, p []float64, rows, cols int) []float64 {
	bg := make([]float64, rows*cols)
	cx, cy := rows/2, cols/2
	for i := 0; i < rows; i++ {
		x := float64(i - cx)
		row := bg[i*cols : (i+1)*cols]
		for j := range row {
			row[j] = profileAt(kind, p, x, float64(j-cy))
		}
	}
	return bg
}

// fitProfileParams fits the profile to the pixels idx the way upstream's
// lmfit.minimize does (MINPACK lmdif from mx = … = 0, off = mean), which
// reproduces upstream's parameters to the last bits; the linear
// least-squares solution by QR is the fallback if lmdif fails, and the
// reference the tests compare with.
func fitProfileParams(data []float64, rows, cols int, idx []int, kind string) ([]float64, error) {
	k := 3
	if kind == "poly2o" {
		k = 6
	}
	cx, cy := rows/2, cols/2
	xs := make([]float64, len(idx))
	ys := make([]float64, len(idx))
	vals := make([]float64, len(idx))
	for n, i := range idx {
		xs[n] = float64(i/cols - cx)
		ys[n] = float64(i%cols - cy)
		vals[n] = data[i]
	}
	p := make([]float64, k)
	p[k-1] = Mean(vals)
	fcn := func(q, fvec []float64) error {
		for n := range fvec {
			fvec[n] = vals[n] - profileAt(kind, q, xs[n], ys[n])
		}
		return nil
	}
	if len(idx) >= k {
		cfg := lmConfig
		cfg.Maxfev = 2 * 2000 * (k + 1)
		res, _ := minpack.Lmdif(fcn, len(idx), p, cfg)
		info := res.Info
		ok := info >= 1 && info <= 4 || info >= 6
		for _, v := range p {
			ok = ok && !math.IsNaN(v) && !math.IsInf(v, 0)
		}
		if ok {
			return p, nil
		}
	}
	return fitProfileLSQ(data, rows, cols, idx, kind)
}

// fitProfileLSQ solves the linear least-squares problem of the profile on
// the pixels idx directly (QR with one refinement step).
func fitProfileLSQ(data []float64, rows, cols int, idx []int, kind string) ([]float64, error) {
	k := 3
	if kind == "poly2o" {
		k = 6
	}
	m := len(idx)
	cx, cy := rows/2, cols/2
	a := mat.NewDense(m, k, nil)
	b := mat.NewVecDense(m, nil)
	raw := a.RawMatrix()
	scale := make([]float64, k)
	for r, i := range idx {
		x := float64(i/cols - cx)
		y := float64(i%cols - cy)
		row := raw.Data[r*raw.Stride : r*raw.Stride+k]
		basis(kind, x, y, row)
		for c, v := range row {
			scale[c] = math.Max(scale[c], math.Abs(v))
		}
		b.SetVec(r, data[i])
	}
	// Column scaling equilibrates x² (up to rows²/4) against 1 so the QR's
	// condition number reflects the geometry, not the units.
	for c := range scale {
		if scale[c] == 0 {
			scale[c] = 1
		}
	}
	for r := 0; r < m; r++ {
		row := raw.Data[r*raw.Stride : r*raw.Stride+k]
		for c := range row {
			row[c] /= scale[c]
		}
	}

	q, err := solveLSQ(a, b, k, idx, data)
	if err != nil {
		return nil, err
	}
	p := make([]float64, k)
	for c := range p {
		p[c] = q[c] / scale[c]
	}
	return p, nil
}

// condLimit is the condition number (of the column-scaled design matrix)
// above which the mask is treated as not determining all parameters.
const condLimit = 1e12

// solveLSQ returns argmin |a q − b| by QR plus one refinement step, or, when
// a is (numerically) rank deficient, the SVD minimum-norm correction from
// upstream's start values (all 0 except off = mean of the data).
func solveLSQ(a *mat.Dense, b *mat.VecDense, k int, idx []int, data []float64) ([]float64, error) {
	m, _ := a.Dims()
	if m >= k {
		var qr mat.QR
		qr.Factorize(a)
		if c := qr.Cond(); c < condLimit && !math.IsNaN(c) {
			var q, dq mat.VecDense
			err := qr.SolveVecTo(&q, false, b)
			var cerr mat.Condition
			if err == nil || errors.As(err, &cerr) {
				// One step of iterative refinement: the residual of the
				// rounded solution solved again recovers the last bits.
				var r mat.VecDense
				r.MulVec(a, &q)
				r.SubVec(b, &r)
				if qr.SolveVecTo(&dq, false, &r) == nil {
					q.AddVec(&q, &dq)
				}
				return q.RawVector().Data, nil
			}
		}
	}
	// Rank deficient (or fewer pixels than parameters): LM from upstream's
	// start values moves only within the row space of the Jacobian, so the
	// result is p0 + pinv(A)·(b − A·p0).
	p0 := make([]float64, k)
	vals := make([]float64, len(idx))
	for n, i := range idx {
		vals[n] = data[i]
	}
	p0[k-1] = Mean(vals) // off is the last column, scaled by 1 (basis value 1)
	var svd mat.SVD
	if !svd.Factorize(a, mat.SVDThin) {
		return nil, qperr.New(qperr.BadArgument, "background fit: SVD did not converge")
	}
	rank := svd.Rank(1e-12)
	if rank < 1 {
		return nil, qperr.New(qperr.BadArgument, "background fit: mask does not determine the profile")
	}
	var r, dq mat.VecDense
	r.MulVec(a, mat.NewVecDense(k, append([]float64(nil), p0...)))
	r.SubVec(b, &r)
	svd.SolveVecTo(&dq, &r, rank)
	for c := range p0 {
		p0[c] += dq.AtVec(c)
	}
	return p0, nil
}
