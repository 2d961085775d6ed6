package imageseries

import (
	"math/rand"
	"testing"
)

// The uint16 kernels (AVX2 where the CPU has it, else SSE2) equal the
// scalar definition for every length and offset, extreme values included.
func TestU16KernelsScalar(t *testing.T) {
	t.Logf("AVX2 kernels: %v", haveAVX2)
	r := rand.New(rand.NewSource(5))
	for _, n := range []int{0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 100, 1000} {
		for off := 0; off < 3; off++ {
			x := make([]uint16, n+off)
			a := make([]uint16, n)
			for i := range x {
				x[i] = uint16(r.Intn(65536))
				if i%5 == 0 {
					x[i] = 65535
				}
			}
			for i := range a {
				a[i] = uint16(r.Intn(65536))
			}
			xs := x[off:]
			mx, mn := append([]uint16(nil), a...), append([]uint16(nil), a...)
			maxU16(mx, xs)
			minU16(mn, xs)
			acc := make([]int32, n)
			for i := range acc {
				acc[i] = int32(r.Intn(1 << 20))
			}
			sum := append([]int32(nil), acc...)
			addU16I32(sum, xs)
			for i := 0; i < n; i++ {
				if mx[i] != max(a[i], xs[i]) || mn[i] != min(a[i], xs[i]) || sum[i] != acc[i]+int32(xs[i]) {
					t.Fatalf("n=%d off=%d [%d]: max %d min %d sum %d", n, off, i, mx[i], mn[i], sum[i])
				}
			}
		}
	}
}
