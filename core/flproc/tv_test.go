package flproc

import (
	"math"
	"math/rand/v2"
	"testing"

	"qpgo/internal/numpysum"
)

// tvReference is the straightforward two-pass form of skimage's loop (the
// implementation before the row sweep and the SSE2 kernel): run must give
// the same bits.
func tvReference(img []float64, rows, cols int, weight, eps float64, maxIter int) []float64 {
	n := rows * cols
	p0, p1, s := make([]float64, n), make([]float64, n), make([]float64, n)
	out := make([]float64, n)
	const tau = 1.0 / (2.0 * 2)
	tw := tau / weight
	var eInit, ePrev float64
	for i := 0; i < maxIter; i++ {
		if i > 0 {
			for r := 0; r < rows; r++ {
				for c := 0; c < cols; c++ {
					k := r*cols + c
					d := -(p0[k] + p1[k])
					if r > 0 {
						d += p0[k-cols]
					}
					if c > 0 {
						d += p1[k-1]
					}
					s[k], out[k] = d*d, img[k]+d
				}
			}
		} else {
			copy(out, img)
			clear(s)
		}
		e := numpysum.Sum(s)
		for r := 0; r < rows; r++ {
			for c := 0; c < cols; c++ {
				k := r*cols + c
				var g0, g1 float64
				if r < rows-1 {
					g0 = out[k+cols] - out[k]
				}
				if c < cols-1 {
					g1 = out[k+1] - out[k]
				}
				nrm := math.Sqrt(g0*g0 + g1*g1)
				s[k] = nrm
				den := nrm*tw + 1
				p0[k] = (p0[k] - tau*g0) / den
				p1[k] = (p1[k] - tau*g1) / den
			}
		}
		e += weight * numpysum.Sum(s)
		e /= float64(n)
		if i == 0 {
			eInit, ePrev = e, e
		} else {
			if math.Abs(ePrev-e) < eps*eInit {
				break
			}
			ePrev = e
		}
	}
	return out
}

// TestTVSweepMatchesReference checks the row sweep, with and without the
// SSE2 kernel, bit for bit against the two-pass form, on shapes that hit
// the kernel's odd tails, single rows and columns.
func TestTVSweepMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	shapes := [][2]int{{1, 1}, {1, 7}, {7, 1}, {2, 2}, {3, 3}, {5, 8}, {9, 16}, {33, 31}, {64, 65}}
	for _, simd := range []bool{false, true} {
		was := tvSIMD
		tvSIMD = simd && haveTVSIMD
		for _, sh := range shapes {
			rows, cols := sh[0], sh[1]
			img := make([]float64, rows*cols)
			for i := range img {
				img[i] = 10*math.Sin(float64(i)/7) + 3*rng.NormFloat64()
			}
			for _, iters := range []int{1, 2, 5, 200} {
				want := tvReference(img, rows, cols, 2, DefaultTVEps, iters)
				got, err := DenoiseTV(img, rows, cols, 2, DefaultTVEps, iters)
				if err != nil {
					t.Fatal(err)
				}
				for k := range want {
					if math.Float64bits(got[k]) != math.Float64bits(want[k]) {
						t.Fatalf("simd %v shape %v iters %d: pixel %d is %v, want %v", simd, sh, iters, k, got[k], want[k])
					}
				}
			}
		}
		tvSIMD = was
	}
	frames, _ := flStack(2)
	want := tvReference(frames[1], 256, 256, DenoiseWeight, DefaultTVEps, DefaultTVMaxIter)
	got, _ := DenoiseTVChambolle(frames[1], 256, 256, DenoiseWeight)
	for k := range want {
		if got[k] != want[k] {
			t.Fatalf("bench frame: pixel %d is %v, want %v", k, got[k], want[k])
		}
	}
}

// BenchmarkTV256 is one denoise_tv_chambolle of a 256×256 frame.
func BenchmarkTV256(b *testing.B) {
	frames, _ := flStack(1)
	for _, mode := range []struct {
		name string
		simd bool
	}{{"go", false}, {"sse2", true}} {
		b.Run(mode.name, func(b *testing.B) {
			was := tvSIMD
			tvSIMD = mode.simd && haveTVSIMD
			defer func() { tvSIMD = was }()
			for b.Loop() {
				DenoiseTVChambolle(frames[0], 256, 256, DenoiseWeight)
			}
		})
	}
	b.Run("reference", func(b *testing.B) {
		for b.Loop() {
			tvReference(frames[0], 256, 256, DenoiseWeight, DefaultTVEps, DefaultTVMaxIter)
		}
	})
}
