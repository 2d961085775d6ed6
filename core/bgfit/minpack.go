package bgfit

import "math"

// This file is a port of MINPACK's lmdif (with fdjac2, qrfac, lmpar,
// qrsolv, enorm), the Levenberg–Marquardt code behind
// scipy.optimize.leastsq and therefore lmfit's default "leastsq" method.
// Upstream's "gauss" offset stops at lmdif's ftol/xtol = 1.49012e-8, short
// of the optimum, and the fixtures record that stopping point; following
// the same iteration reproduces it. Arrays are column-major as in Fortran:
// fjac[j] is column j.

const (
	epsmch = 2.220446049250313e-16   // dpmpar(1)
	dwarf  = 2.2250738585072014e-308 // dpmpar(2)
)

func enorm(x []float64) float64 {
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

// qrfac: Householder QR with column pivoting of a (m×n, columns a[j]).
func qrfac(m, n int, a [][]float64, ipvt []int, rdiag, acnorm, wa []float64) {
	for j := 0; j < n; j++ {
		acnorm[j] = enorm(a[j][:m])
		rdiag[j] = acnorm[j]
		wa[j] = rdiag[j]
		ipvt[j] = j
	}
	minmn := min(m, n)
	for j := 0; j < minmn; j++ {
		kmax := j
		for k := j; k < n; k++ {
			if rdiag[k] > rdiag[kmax] {
				kmax = k
			}
		}
		if kmax != j {
			a[j], a[kmax] = a[kmax], a[j]
			rdiag[kmax] = rdiag[j]
			wa[kmax] = wa[j]
			ipvt[j], ipvt[kmax] = ipvt[kmax], ipvt[j]
		}
		aj := a[j]
		ajnorm := enorm(aj[j:m])
		if ajnorm != 0 {
			if aj[j] < 0 {
				ajnorm = -ajnorm
			}
			for i := j; i < m; i++ {
				aj[i] /= ajnorm
			}
			aj[j]++
			for k := j + 1; k < n; k++ {
				ak := a[k]
				sum := 0.0
				for i := j; i < m; i++ {
					sum += aj[i] * ak[i]
				}
				temp := sum / aj[j]
				for i := j; i < m; i++ {
					ak[i] -= temp * aj[i]
				}
				if rdiag[k] == 0 {
					continue
				}
				temp = ak[j] / rdiag[k]
				rdiag[k] *= math.Sqrt(math.Max(0, 1-temp*temp))
				if 0.05*(rdiag[k]/wa[k])*(rdiag[k]/wa[k]) <= epsmch {
					rdiag[k] = enorm(ak[j+1 : m])
					wa[k] = rdiag[k]
				}
			}
		}
		rdiag[j] = -ajnorm
	}
}

// qrsolv solves the damped system given the QR factors in r (upper
// triangle; the strict lower triangle is used as scratch).
func qrsolv(n int, r [][]float64, ipvt []int, diag, qtb, x, sdiag, wa []float64) {
	for j := 0; j < n; j++ {
		for i := j; i < n; i++ {
			r[j][i] = r[i][j] // r(i,j) = r(j,i)
		}
		x[j] = r[j][j]
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
				if math.Abs(r[k][k]) < math.Abs(sdiag[k]) {
					cotan := r[k][k] / sdiag[k]
					sin = 0.5 / math.Sqrt(0.25+0.25*cotan*cotan)
					cos = sin * cotan
				} else {
					tan := sdiag[k] / r[k][k]
					cos = 0.5 / math.Sqrt(0.25+0.25*tan*tan)
					sin = cos * tan
				}
				r[k][k] = cos*r[k][k] + sin*sdiag[k]
				temp := cos*wa[k] + sin*qtbpj
				qtbpj = -sin*wa[k] + cos*qtbpj
				wa[k] = temp
				for i := k + 1; i < n; i++ {
					temp = cos*r[k][i] + sin*sdiag[i]
					sdiag[i] = -sin*r[k][i] + cos*sdiag[i]
					r[k][i] = temp
				}
			}
		}
		sdiag[j] = r[j][j]
		r[j][j] = x[j]
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
	for j := nsing - 1; j >= 0; j-- {
		sum := 0.0
		for i := j + 1; i < nsing; i++ {
			sum += r[j][i] * wa[i]
		}
		wa[j] = (wa[j] - sum) / sdiag[j]
	}
	for j := 0; j < n; j++ {
		x[ipvt[j]] = wa[j]
	}
}

// lmpar determines the Levenberg–Marquardt parameter; returns the new par.
func lmpar(n int, r [][]float64, ipvt []int, diag, qtb []float64, delta, par float64,
	x, sdiag, wa1, wa2 []float64) float64 {
	nsing := n
	for j := 0; j < n; j++ {
		wa1[j] = qtb[j]
		if r[j][j] == 0 && nsing == n {
			nsing = j
		}
		if nsing < n {
			wa1[j] = 0
		}
	}
	for j := nsing - 1; j >= 0; j-- {
		wa1[j] /= r[j][j]
		temp := wa1[j]
		for i := 0; i < j; i++ {
			wa1[i] -= r[j][i] * temp
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
	if fp <= 0.1*delta {
		return 0
	}
	parl := 0.0
	if nsing >= n {
		for j := 0; j < n; j++ {
			l := ipvt[j]
			wa1[j] = diag[l] * (wa2[l] / dxnorm)
		}
		for j := 0; j < n; j++ {
			sum := 0.0
			for i := 0; i < j; i++ {
				sum += r[j][i] * wa1[i]
			}
			wa1[j] = (wa1[j] - sum) / r[j][j]
		}
		temp := enorm(wa1[:n])
		parl = ((fp / delta) / temp) / temp
	}
	for j := 0; j < n; j++ {
		sum := 0.0
		for i := 0; i <= j; i++ {
			sum += r[j][i] * qtb[i]
		}
		wa1[j] = sum / diag[ipvt[j]]
	}
	gnorm := enorm(wa1[:n])
	paru := gnorm / delta
	if paru == 0 {
		paru = dwarf / math.Min(delta, 0.1)
	}
	par = math.Max(par, parl)
	par = math.Min(par, paru)
	if par == 0 {
		par = gnorm / dxnorm
	}
	for {
		iter++
		if par == 0 {
			par = math.Max(dwarf, 0.001*paru)
		}
		temp := math.Sqrt(par)
		for j := 0; j < n; j++ {
			wa1[j] = temp * diag[j]
		}
		qrsolv(n, r, ipvt, wa1, qtb, x, sdiag, wa2)
		for j := 0; j < n; j++ {
			wa2[j] = diag[j] * x[j]
		}
		dxnorm = enorm(wa2[:n])
		temp = fp
		fp = dxnorm - delta
		if math.Abs(fp) <= 0.1*delta || (parl == 0 && fp <= temp && temp < 0) || iter == 10 {
			return par
		}
		for j := 0; j < n; j++ {
			l := ipvt[j]
			wa1[j] = diag[l] * (wa2[l] / dxnorm)
		}
		for j := 0; j < n; j++ {
			wa1[j] /= sdiag[j]
			temp := wa1[j]
			for i := j + 1; i < n; i++ {
				wa1[i] -= r[j][i] * temp
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
}

// lmdif minimises Σ fvec² over x (modified in place) with scipy.leastsq's
// defaults (mode 1, factor 100, epsfcn = machine epsilon). fcn
// fills fvec (length m) for parameters x. It returns MINPACK's info code.
func lmdif(fcn func(x, fvec []float64), m int, x []float64, ftol, xtol, gtol float64, maxfev int) int {
	n := len(x)
	const factor = 100.0
	fvec := make([]float64, m)
	fjac := make([][]float64, n)
	for j := range fjac {
		fjac[j] = make([]float64, m)
	}
	ipvt := make([]int, n)
	diag := make([]float64, n)
	qtf := make([]float64, n)
	wa1, wa2, wa3 := make([]float64, n), make([]float64, n), make([]float64, n)
	wa4 := make([]float64, m)

	fcn(x, fvec)
	nfev := 1
	fnorm := enorm(fvec)
	par := 0.0
	iter := 1
	var xnorm, delta float64
	eps := math.Sqrt(epsmch)
	info := 0
	for {
		// fdjac2: forward differences.
		for j := 0; j < n; j++ {
			temp := x[j]
			h := eps * math.Abs(temp)
			if h == 0 {
				h = eps
			}
			x[j] = temp + h
			fcn(x, wa4)
			x[j] = temp
			for i := 0; i < m; i++ {
				fjac[j][i] = (wa4[i] - fvec[i]) / h
			}
		}
		nfev += n
		qrfac(m, n, fjac, ipvt, wa1, wa2, wa3)
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
			delta = factor * xnorm
			if delta == 0 {
				delta = factor
			}
		}
		copy(wa4, fvec)
		for j := 0; j < n; j++ {
			cj := fjac[j]
			if cj[j] != 0 {
				sum := 0.0
				for i := j; i < m; i++ {
					sum += cj[i] * wa4[i]
				}
				temp := -sum / cj[j]
				for i := j; i < m; i++ {
					wa4[i] += cj[i] * temp
				}
			}
			cj[j] = wa1[j]
			qtf[j] = wa4[j]
		}
		gnorm := 0.0
		if fnorm != 0 {
			for j := 0; j < n; j++ {
				l := ipvt[j]
				if wa2[l] == 0 {
					continue
				}
				sum := 0.0
				for i := 0; i <= j; i++ {
					sum += fjac[j][i] * (qtf[i] / fnorm)
				}
				gnorm = math.Max(gnorm, math.Abs(sum/wa2[l]))
			}
		}
		if gnorm <= gtol {
			return 4
		}
		for j := 0; j < n; j++ {
			diag[j] = math.Max(diag[j], wa2[j])
		}
		for {
			par = lmpar(n, fjac, ipvt, diag, qtf, delta, par, wa1, wa2, wa3, wa4)
			for j := 0; j < n; j++ {
				wa1[j] = -wa1[j]
				wa2[j] = x[j] + wa1[j]
				wa3[j] = diag[j] * wa1[j]
			}
			pnorm := enorm(wa3)
			if iter == 1 {
				delta = math.Min(delta, pnorm)
			}
			fcn(wa2, wa4)
			nfev++
			fnorm1 := enorm(wa4)
			actred := -1.0
			if 0.1*fnorm1 < fnorm {
				actred = 1 - (fnorm1/fnorm)*(fnorm1/fnorm)
			}
			for j := 0; j < n; j++ {
				wa3[j] = 0
				temp := wa1[ipvt[j]]
				for i := 0; i <= j; i++ {
					wa3[i] += fjac[j][i] * temp
				}
			}
			temp1 := enorm(wa3) / fnorm
			temp2 := (math.Sqrt(par) * pnorm) / fnorm
			prered := temp1*temp1 + temp2*temp2/0.5
			dirder := -(temp1*temp1 + temp2*temp2)
			ratio := 0.0
			if prered != 0 {
				ratio = actred / prered
			}
			if ratio <= 0.25 {
				var temp float64
				if actred >= 0 {
					temp = 0.5
				} else {
					temp = 0.5 * dirder / (dirder + 0.5*actred)
				}
				if 0.1*fnorm1 >= fnorm || temp < 0.1 {
					temp = 0.1
				}
				delta = temp * math.Min(delta, pnorm/0.1)
				par /= temp
			} else if par == 0 || ratio >= 0.75 {
				delta = pnorm / 0.5
				par *= 0.5
			}
			if ratio >= 1e-4 {
				for j := 0; j < n; j++ {
					x[j] = wa2[j]
					wa2[j] = diag[j] * x[j]
				}
				copy(fvec, wa4)
				xnorm = enorm(wa2)
				fnorm = fnorm1
				iter++
			}
			if math.Abs(actred) <= ftol && prered <= ftol && 0.5*ratio <= 1 {
				info = 1
			}
			if delta <= xtol*xnorm {
				info = 2
			}
			if math.Abs(actred) <= ftol && prered <= ftol && 0.5*ratio <= 1 && info == 2 {
				info = 3
			}
			if info != 0 {
				return info
			}
			if nfev >= maxfev {
				return 5
			}
			if math.Abs(actred) <= epsmch && prered <= epsmch && 0.5*ratio <= 1 {
				return 6
			}
			if delta <= epsmch*xnorm {
				return 7
			}
			if gnorm <= epsmch {
				return 8
			}
			if math.IsNaN(fnorm) || math.IsNaN(delta) {
				return 0 // not MINPACK: guard against a NaN model
			}
			if ratio >= 1e-4 {
				break
			}
		}
	}
}
