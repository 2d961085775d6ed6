package minpack

import "math"

// Dpmpar holds MINPACK's machine constants dpmpar(1) (epsmch, the machine
// precision) and dpmpar(2) (dwarf, the smallest positive magnitude).
type Dpmpar struct {
	Epsmch, Dwarf float64
}

var (
	// DpmparFortran is dpmpar.f as scipy ≤ 1.x ships it for IEEE double:
	// rounded decimal literals, not the exact binary values.
	DpmparFortran = Dpmpar{Epsmch: 2.22044604926e-16, Dwarf: 2.22507385852e-308}
	// DpmparExact is the exact IEEE binary64 epsilon and smallest normal.
	DpmparExact = Dpmpar{Epsmch: 2.220446049250313e-16, Dwarf: 2.2250738585072014e-308}
)

// Config holds the lmdif controls (scipy.optimize.leastsq's arguments) and
// the two deliberate variations the callers need to keep their results.
type Config struct {
	Ftol, Xtol, Gtol float64
	Maxfev           int
	// Epsfcn sets the forward-difference step sqrt(max(Epsfcn, epsmch)).
	Epsfcn float64
	// Factor bounds the initial step (factor·‖diag·x‖); scipy uses 100.
	Factor float64
	// Dpmpar are the machine constants; the zero value means DpmparFortran.
	Dpmpar Dpmpar
	// StopOnNaN (not MINPACK) ends the fit with Info 0 once fnorm or the
	// step bound is NaN, instead of spinning to Maxfev: from there no
	// step is ever accepted, so x is the same either way.
	StopOnNaN bool
	// BgfitCompat reproduces core/bgfit's former port of lmdif bit for
	// bit where it departed from the Fortran: squared ratios multiplied
	// left to right ((s·q)·q and (0.05·q)·q for s·q² and 0.05·q²) in enorm's
	// small/large accumulators and in qrfac's column-norm update, NaN
	// counted as a small value in enorm, and the first of the info codes
	// 5..8 that holds wins. It only matters for residuals or Jacobian
	// entries outside enorm's plain range [3.834e-20, 1.304e19/m] and for
	// simultaneous stopping conditions; bgfit's fixtures match either way.
	BgfitCompat bool
}

// Result reports how lmdif ended.
type Result struct {
	// Info is MINPACK's code: 0 improper input (or StopOnNaN), 1..4
	// converged (ftol, xtol, both, gtol), 5 Maxfev reached, 6..8 tolerances
	// too small. When several of 5..8 hold at once the last wins, as in
	// the Fortran.
	Info int
	Nfev int // function evaluations, Jacobian columns included
}

// Lmdif minimises the sum of squares of the m residuals fcn computes into
// fvec for the parameters x, starting from x (updated in place). A non-nil
// error from fcn aborts the minimisation and is returned with the
// evaluations so far; x is then left at the last accepted iterate.
func Lmdif(fcn func(x, fvec []float64) error, m int, x []float64, cfg Config) (Result, error) {
	const (
		p1    = 0.1
		p5    = 0.5
		p25   = 0.25
		p75   = 0.75
		p0001 = 1e-4
	)
	mc := cfg.Dpmpar
	if mc == (Dpmpar{}) {
		mc = DpmparFortran
	}
	epsmch := mc.Epsmch
	enorm := enorm // the Fortran norm, or bgfit's former one (Config.BgfitCompat)
	if cfg.BgfitCompat {
		enorm = enormBgfit
	}
	n := len(x)
	if n <= 0 || m < n || cfg.Ftol < 0 || cfg.Xtol < 0 || cfg.Gtol < 0 || cfg.Maxfev <= 0 || cfg.Factor <= 0 {
		return Result{}, nil
	}
	fvec := make([]float64, m)
	fjac := make([]float64, m*n)
	diag := make([]float64, n)
	qtf := make([]float64, n)
	wa1 := make([]float64, n)
	wa2 := make([]float64, n)
	wa3 := make([]float64, n)
	wa4 := make([]float64, m)
	ipvt := make([]int, n)

	if err := fcn(x, fvec); err != nil {
		return Result{Nfev: 1}, err
	}
	nfev := 1
	fnorm := enorm(fvec)
	par := 0.0
	iter := 1
	var xnorm, delta float64
	eps := math.Sqrt(math.Max(cfg.Epsfcn, epsmch))

	for {
		// Forward-difference Jacobian (fdjac2).
		for j := 0; j < n; j++ {
			temp := x[j]
			h := eps * math.Abs(temp)
			if h == 0 {
				h = eps
			}
			x[j] = temp + h
			if err := fcn(x, wa4); err != nil {
				x[j] = temp
				return Result{Nfev: nfev + j + 1}, err
			}
			x[j] = temp
			col := fjac[j*m : (j+1)*m]
			for i := 0; i < m; i++ {
				col[i] = (wa4[i] - fvec[i]) / h
			}
		}
		nfev += n

		qrfac(m, n, fjac, ipvt, wa1, wa2, wa3, epsmch, cfg.BgfitCompat)

		if iter == 1 {
			for j := 0; j < n; j++ {
				diag[j] = wa2[j]
				if wa2[j] == 0 {
					diag[j] = 1
				}
			}
			for j := 0; j < n; j++ {
				wa3[j] = diag[j] * x[j]
			}
			xnorm = enorm(wa3)
			delta = cfg.Factor * xnorm
			if delta == 0 {
				delta = cfg.Factor
			}
		}

		// (Q transpose)*fvec, first n components into qtf.
		copy(wa4, fvec)
		for j := 0; j < n; j++ {
			if fjac[j+j*m] != 0 {
				sum := 0.0
				for i := j; i < m; i++ {
					sum += fjac[i+j*m] * wa4[i]
				}
				temp := -sum / fjac[j+j*m]
				for i := j; i < m; i++ {
					wa4[i] += fjac[i+j*m] * temp
				}
			}
			fjac[j+j*m] = wa1[j]
			qtf[j] = wa4[j]
		}

		// Norm of the scaled gradient.
		gnorm := 0.0
		if fnorm != 0 {
			for j := 0; j < n; j++ {
				l := ipvt[j]
				if wa2[l] == 0 {
					continue
				}
				sum := 0.0
				for i := 0; i <= j; i++ {
					sum += fjac[i+j*m] * (qtf[i] / fnorm)
				}
				gnorm = math.Max(gnorm, math.Abs(sum/wa2[l]))
			}
		}
		if gnorm <= cfg.Gtol {
			return Result{Info: 4, Nfev: nfev}, nil
		}
		for j := 0; j < n; j++ {
			diag[j] = math.Max(diag[j], wa2[j])
		}

		for {
			par = lmpar(n, fjac, m, ipvt, diag, qtf, delta, par, wa1, wa2, wa3, wa4, mc.Dwarf, enorm)
			for j := 0; j < n; j++ {
				wa1[j] = -wa1[j]
				wa2[j] = x[j] + wa1[j]
				wa3[j] = diag[j] * wa1[j]
			}
			pnorm := enorm(wa3)
			if iter == 1 {
				delta = math.Min(delta, pnorm)
			}
			if err := fcn(wa2, wa4); err != nil {
				return Result{Nfev: nfev + 1}, err
			}
			nfev++
			fnorm1 := enorm(wa4)

			actred := -1.0
			if p1*fnorm1 < fnorm {
				r := fnorm1 / fnorm
				actred = 1 - r*r
			}
			for j := 0; j < n; j++ {
				wa3[j] = 0
				temp := wa1[ipvt[j]]
				for i := 0; i <= j; i++ {
					wa3[i] += fjac[i+j*m] * temp
				}
			}
			temp1 := enorm(wa3) / fnorm
			temp2 := (math.Sqrt(par) * pnorm) / fnorm
			prered := temp1*temp1 + temp2*temp2/p5
			dirder := -(temp1*temp1 + temp2*temp2)
			ratio := 0.0
			if prered != 0 {
				ratio = actred / prered
			}

			// Update the step bound.
			if ratio <= p25 {
				var temp float64
				if actred >= 0 {
					temp = p5
				}
				if actred < 0 {
					temp = p5 * dirder / (dirder + p5*actred)
				}
				if p1*fnorm1 >= fnorm || temp < p1 {
					temp = p1
				}
				delta = temp * math.Min(delta, pnorm/p1)
				par = par / temp
			} else if par == 0 || ratio >= p75 {
				delta = pnorm / p5
				par = p5 * par
			}

			if ratio >= p0001 {
				for j := 0; j < n; j++ {
					x[j] = wa2[j]
					wa2[j] = diag[j] * x[j]
				}
				copy(fvec, wa4)
				xnorm = enorm(wa2)
				fnorm = fnorm1
				iter++
			}

			info := 0
			if math.Abs(actred) <= cfg.Ftol && prered <= cfg.Ftol && p5*ratio <= 1 {
				info = 1
			}
			if delta <= cfg.Xtol*xnorm {
				info = 2
			}
			if math.Abs(actred) <= cfg.Ftol && prered <= cfg.Ftol && p5*ratio <= 1 && info == 2 {
				info = 3
			}
			if info != 0 {
				return Result{Info: info, Nfev: nfev}, nil
			}
			if nfev >= cfg.Maxfev {
				info = 5
			}
			if math.Abs(actred) <= epsmch && prered <= epsmch && p5*ratio <= 1 && (info == 0 || !cfg.BgfitCompat) {
				info = 6
			}
			if delta <= epsmch*xnorm && (info == 0 || !cfg.BgfitCompat) {
				info = 7
			}
			if gnorm <= epsmch && (info == 0 || !cfg.BgfitCompat) {
				info = 8
			}
			if info != 0 {
				return Result{Info: info, Nfev: nfev}, nil
			}
			if cfg.StopOnNaN && (math.IsNaN(fnorm) || math.IsNaN(delta)) {
				return Result{Nfev: nfev}, nil
			}
			if ratio >= p0001 {
				break
			}
		}
	}
}

// qrfac computes the QR factorization with column pivoting of the m×n
// column-major matrix a by Householder transformations (MINPACK qrfac with
// pivot=.true.): on return the upper triangle of a holds R without its
// diagonal, the lower part the Householder vectors, rdiag the diagonal of R,
// acnorm the column norms of the input and ipvt the permutation.
//
// bgfitCompat selects (0.05·q)·q over 0.05·q² (see Config.BgfitCompat).
func qrfac(m, n int, a []float64, ipvt []int, rdiag, acnorm, wa []float64, epsmch float64, bgfitCompat bool) {
	enorm := enorm // the Fortran norm, or bgfit's former one (Config.BgfitCompat)
	if bgfitCompat {
		enorm = enormBgfit
	}
	const p05 = 0.05
	for j := 0; j < n; j++ {
		acnorm[j] = enorm(a[j*m : (j+1)*m])
		rdiag[j] = acnorm[j]
		wa[j] = rdiag[j]
		ipvt[j] = j
	}
	minmn := min(m, n)
	for j := 0; j < minmn; j++ {
		// Bring the column of largest norm into the pivot position.
		kmax := j
		for k := j; k < n; k++ {
			if rdiag[k] > rdiag[kmax] {
				kmax = k
			}
		}
		if kmax != j {
			for i := 0; i < m; i++ {
				a[i+j*m], a[i+kmax*m] = a[i+kmax*m], a[i+j*m]
			}
			rdiag[kmax] = rdiag[j]
			wa[kmax] = wa[j]
			ipvt[j], ipvt[kmax] = ipvt[kmax], ipvt[j]
		}
		// Householder transformation reducing column j to a multiple of e_j.
		ajnorm := enorm(a[j+j*m : (j+1)*m])
		if ajnorm != 0 {
			if a[j+j*m] < 0 {
				ajnorm = -ajnorm
			}
			for i := j; i < m; i++ {
				a[i+j*m] /= ajnorm
			}
			a[j+j*m] += 1
			for k := j + 1; k < n; k++ {
				sum := 0.0
				for i := j; i < m; i++ {
					sum += a[i+j*m] * a[i+k*m]
				}
				temp := sum / a[j+j*m]
				for i := j; i < m; i++ {
					a[i+k*m] -= temp * a[i+j*m]
				}
				if rdiag[k] != 0 {
					temp = a[j+k*m] / rdiag[k]
					rdiag[k] *= math.Sqrt(math.Max(0, 1-temp*temp))
					q := rdiag[k] / wa[k]
					small := p05*(q*q) <= epsmch
					if bgfitCompat {
						small = p05*q*q <= epsmch
					}
					if small {
						rdiag[k] = enorm(a[j+1+k*m : (k+1)*m])
						wa[k] = rdiag[k]
					}
				}
			}
		}
		rdiag[j] = -ajnorm
	}
}

// lmpar determines the Levenberg–Marquardt parameter for the trust region
// radius delta (MINPACK lmpar) and returns it; x receives the step.
func lmpar(n int, r []float64, ldr int, ipvt []int, diag, qtb []float64, delta, par float64, x, sdiag, wa1, wa2 []float64,
	dwarf float64, enorm func([]float64) float64) float64 {
	const (
		p1   = 0.1
		p001 = 1e-3
	)
	// Gauss–Newton direction (least-squares solution if rank deficient).
	nsing := n
	for j := 0; j < n; j++ {
		wa1[j] = qtb[j]
		if r[j+j*ldr] == 0 && nsing == n {
			nsing = j
		}
		if nsing < n {
			wa1[j] = 0
		}
	}
	for k := 1; k <= nsing; k++ {
		j := nsing - k
		wa1[j] /= r[j+j*ldr]
		temp := wa1[j]
		for i := 0; i < j; i++ {
			wa1[i] -= r[i+j*ldr] * temp
		}
	}
	for j := 0; j < n; j++ {
		x[ipvt[j]] = wa1[j]
	}

	iter := 0
	for j := 0; j < n; j++ {
		wa2[j] = diag[j] * x[j]
	}
	dxnorm := enorm(wa2[:n])
	fp := dxnorm - delta
	if fp <= p1*delta {
		return 0
	}

	// Lower bound parl from the Newton step (zero if rank deficient).
	parl := 0.0
	if nsing >= n {
		for j := 0; j < n; j++ {
			l := ipvt[j]
			wa1[j] = diag[l] * (wa2[l] / dxnorm)
		}
		for j := 0; j < n; j++ {
			sum := 0.0
			for i := 0; i < j; i++ {
				sum += r[i+j*ldr] * wa1[i]
			}
			wa1[j] = (wa1[j] - sum) / r[j+j*ldr]
		}
		temp := enorm(wa1[:n])
		parl = ((fp / delta) / temp) / temp
	}

	// Upper bound paru.
	for j := 0; j < n; j++ {
		sum := 0.0
		for i := 0; i <= j; i++ {
			sum += r[i+j*ldr] * qtb[i]
		}
		wa1[j] = sum / diag[ipvt[j]]
	}
	gnorm := enorm(wa1[:n])
	paru := gnorm / delta
	if paru == 0 {
		paru = dwarf / math.Min(delta, p1)
	}

	par = math.Max(par, parl)
	par = math.Min(par, paru)
	if par == 0 {
		par = gnorm / dxnorm
	}

	for {
		iter++
		if par == 0 {
			par = math.Max(dwarf, p001*paru)
		}
		temp := math.Sqrt(par)
		for j := 0; j < n; j++ {
			wa1[j] = temp * diag[j]
		}
		qrsolv(n, r, ldr, ipvt, wa1, qtb, x, sdiag, wa2)
		for j := 0; j < n; j++ {
			wa2[j] = diag[j] * x[j]
		}
		dxnorm = enorm(wa2[:n])
		temp = fp
		fp = dxnorm - delta

		if math.Abs(fp) <= p1*delta || (parl == 0 && fp <= temp && temp < 0) || iter == 10 {
			break
		}

		// Newton correction.
		for j := 0; j < n; j++ {
			l := ipvt[j]
			wa1[j] = diag[l] * (wa2[l] / dxnorm)
		}
		for j := 0; j < n; j++ {
			wa1[j] /= sdiag[j]
			temp := wa1[j]
			for i := j + 1; i < n; i++ {
				wa1[i] -= r[i+j*ldr] * temp
			}
		}
		temp = enorm(wa1[:n])
		parc := ((fp / delta) / temp) / temp

		if fp > 0 {
			parl = math.Max(parl, par)
		}
		if fp < 0 {
			paru = math.Min(paru, par)
		}
		par = math.Max(parl, par+parc)
	}
	return par
}

// qrsolv solves a*x = b, d*x = 0 in the least-squares sense given the QR
// factorization of a (MINPACK qrsolv), using Givens rotations to eliminate
// the diagonal matrix d.
func qrsolv(n int, r []float64, ldr int, ipvt []int, diag, qtb, x, sdiag, wa []float64) {
	const (
		p5  = 0.5
		p25 = 0.25
	)
	for j := 0; j < n; j++ {
		for i := j; i < n; i++ {
			r[i+j*ldr] = r[j+i*ldr]
		}
		x[j] = r[j+j*ldr]
		wa[j] = qtb[j]
	}
	for j := 0; j < n; j++ {
		l := ipvt[j]
		if diag[l] != 0 {
			for k := j; k < n; k++ {
				sdiag[k] = 0
			}
			sdiag[j] = diag[l]
			qtbpj := 0.0
			for k := j; k < n; k++ {
				if sdiag[k] == 0 {
					continue
				}
				var sin, cos float64
				rkk := r[k+k*ldr]
				if math.Abs(rkk) < math.Abs(sdiag[k]) {
					cotan := rkk / sdiag[k]
					sin = p5 / math.Sqrt(p25+p25*cotan*cotan)
					cos = sin * cotan
				} else {
					tan := sdiag[k] / rkk
					cos = p5 / math.Sqrt(p25+p25*tan*tan)
					sin = cos * tan
				}
				r[k+k*ldr] = cos*rkk + sin*sdiag[k]
				temp := cos*wa[k] + sin*qtbpj
				qtbpj = -sin*wa[k] + cos*qtbpj
				wa[k] = temp
				for i := k + 1; i < n; i++ {
					temp := cos*r[i+k*ldr] + sin*sdiag[i]
					sdiag[i] = -sin*r[i+k*ldr] + cos*sdiag[i]
					r[i+k*ldr] = temp
				}
			}
		}
		sdiag[j] = r[j+j*ldr]
		r[j+j*ldr] = x[j]
	}
	nsing := n
	for j := 0; j < n; j++ {
		if sdiag[j] == 0 && nsing == n {
			nsing = j
		}
		if nsing < n {
			wa[j] = 0
		}
	}
	for k := 1; k <= nsing; k++ {
		j := nsing - k
		sum := 0.0
		for i := j + 1; i < nsing; i++ {
			sum += r[i+j*ldr] * wa[i]
		}
		wa[j] = (wa[j] - sum) / sdiag[j]
	}
	for j := 0; j < n; j++ {
		x[ipvt[j]] = wa[j]
	}
}

// enorm is MINPACK's overflow- and underflow-safe Euclidean norm; the
// three-accumulator scheme is kept because it rounds differently from a
// plain sum of squares.
func enorm(x []float64) float64 {
	const (
		rdwarf = 3.834e-20
		rgiant = 1.304e19
	)
	var s1, s2, s3, x1max, x3max float64
	agiant := rgiant / float64(len(x))
	for _, v := range x {
		xabs := math.Abs(v)
		switch {
		case xabs > rdwarf && xabs < agiant:
			s2 += xabs * xabs
		case xabs <= rdwarf:
			if xabs > x3max {
				q := x3max / xabs
				s3 = 1 + s3*(q*q)
				x3max = xabs
			} else if xabs != 0 {
				q := xabs / x3max
				s3 += q * q
			}
		default:
			if xabs > x1max {
				q := x1max / xabs
				s1 = 1 + s1*(q*q)
				x1max = xabs
			} else {
				q := xabs / x1max
				s1 += q * q
			}
		}
	}
	switch {
	case s1 != 0:
		return x1max * math.Sqrt(s1+(s2/x1max)/x1max)
	case s2 != 0:
		if s2 >= x3max {
			return math.Sqrt(s2 * (1 + (x3max/s2)*(x3max*s3)))
		}
		return math.Sqrt(x3max * ((s2 / x3max) + (x3max * s3)))
	default:
		return x3max * math.Sqrt(s3)
	}
}

// enormBgfit is enorm as core/bgfit's former port computed it (see
// Config.BgfitCompat): the same three accumulators, but s·(r)·(r) for
// s·r², and a NaN entry counted as small rather than large.
func enormBgfit(x []float64) float64 {
	const rdwarf, rgiant = 3.834e-20, 1.304e19
	var s1, s2, s3, x1max, x3max float64
	agiant := rgiant / float64(len(x))
	for _, v := range x {
		xabs := math.Abs(v)
		switch {
		case xabs > rdwarf && xabs < agiant:
			s2 += xabs * xabs
		case xabs > rdwarf:
			if xabs > x1max {
				s1 = 1 + s1*(x1max/xabs)*(x1max/xabs)
				x1max = xabs
			} else {
				s1 += (xabs / x1max) * (xabs / x1max)
			}
		default:
			if xabs > x3max {
				s3 = 1 + s3*(x3max/xabs)*(x3max/xabs)
				x3max = xabs
			} else if xabs != 0 {
				s3 += (xabs / x3max) * (xabs / x3max)
			}
		}
	}
	if s1 != 0 {
		return x1max * math.Sqrt(s1+(s2/x1max)/x1max)
	}
	if s2 != 0 {
		if s2 >= x3max {
			return math.Sqrt(s2 * (1 + (x3max/s2)*(x3max*s3)))
		}
		return math.Sqrt(x3max * ((s2 / x3max) + (x3max * s3)))
	}
	return x3max * math.Sqrt(s3)
}
