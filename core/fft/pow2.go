package fft

import (
	"math"
	"sync"
)

// pow2Plan is an iterative radix-2 decimation-in-time FFT for power-of-two
// lengths with precomputed tables. It exists because gonum's FFTPACK port
// (fourier.CmplxFFT) takes ~130 µs for one 2048-point transform on the
// reference machine, which alone would make the 2048² off-axis pipeline as
// slow as upstream's pyFFTW; gonum's CoefficientsRadix2 avoids the tables
// but computes twiddles by repeated multiplication (accumulating error) and
// is still slower than this. Twiddles here are computed directly with
// sincos, so the error is that of a textbook FFT (~log2(n)·eps).
//
// The plan is immutable after construction and therefore shared between
// goroutines without locking.
type pow2Plan struct {
	n   int
	rev []int32 // bit-reversal swap pairs (i, j) with i < j, flattened
	// tw holds, per stage of span m (4 < m ≤ n), the twiddles
	// exp(-2πi·j/m) for j < m/2, stages concatenated in increasing m.
	tw []complex128
}

var pow2Plans sync.Map // int -> *pow2Plan

func isPow2(n int) bool { return n > 0 && n&(n-1) == 0 }

func getPow2(n int) *pow2Plan {
	if p, ok := pow2Plans.Load(n); ok {
		return p.(*pow2Plan)
	}
	p, _ := pow2Plans.LoadOrStore(n, newPow2(n))
	return p.(*pow2Plan)
}

func newPow2(n int) *pow2Plan {
	p := &pow2Plan{n: n}
	bits := 0
	for 1<<bits < n {
		bits++
	}
	for i := 0; i < n; i++ {
		j := 0
		for b := 0; b < bits; b++ {
			if i&(1<<b) != 0 {
				j |= 1 << (bits - 1 - b)
			}
		}
		if i < j {
			p.rev = append(p.rev, int32(i), int32(j))
		}
	}
	for m := 8; m <= n; m <<= 1 {
		for j := 0; j < m/2; j++ {
			s, c := math.Sincos(-2 * math.Pi * float64(j) / float64(m))
			p.tw = append(p.tw, complex(c, s))
		}
	}
	return p
}

// transform computes the unnormalised DFT of x in place (inverse: the
// conjugate transform, i.e. n times numpy's ifft).
func (p *pow2Plan) transform(x []complex128, inverse bool) {
	n := p.n
	x = x[:n]
	if n == 1 {
		return
	}
	rev := p.rev
	for k := 0; k+1 < len(rev); k += 2 {
		i, j := rev[k], rev[k+1]
		x[i], x[j] = x[j], x[i]
	}
	if n == 2 {
		x[0], x[1] = x[0]+x[1], x[0]-x[1]
		return
	}
	// First two stages fused into radix-4 butterflies (twiddles 1 and ∓i).
	for s := 0; s+3 < n; s += 4 {
		a0, a1, a2, a3 := x[s], x[s+1], x[s+2], x[s+3]
		b0, b1 := a0+a1, a0-a1
		b2, b3 := a2+a3, a2-a3
		// b3 · (-i) for the forward transform, · (+i) for the inverse.
		var r3 complex128
		if inverse {
			r3 = complex(-imag(b3), real(b3))
		} else {
			r3 = complex(imag(b3), -real(b3))
		}
		x[s], x[s+2] = b0+b2, b0-b2
		x[s+1], x[s+3] = b1+r3, b1-r3
	}
	off := 0
	for m := 8; m <= n; m <<= 1 {
		half := m / 2
		tw := p.tw[off : off+half]
		off += half
		for s := 0; s < n; s += m {
			lo := x[s : s+half]
			hi := x[s+half : s+m]
			if inverse {
				for j := range lo {
					w := tw[j]
					h := hi[j]
					// conj(w)·h
					t := complex(real(w)*real(h)+imag(w)*imag(h), real(w)*imag(h)-imag(w)*real(h))
					l := lo[j]
					lo[j], hi[j] = l+t, l-t
				}
			} else {
				for j := range lo {
					t := tw[j] * hi[j]
					l := lo[j]
					lo[j], hi[j] = l+t, l-t
				}
			}
		}
	}
}
