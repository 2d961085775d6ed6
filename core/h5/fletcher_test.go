package h5

import (
	"math/rand"
	"testing"
)

// TestFletcher32MatchesLibhdf5: the vectorised checksum equals libhdf5's
// H5_checksum_fletcher32 on every length around the 360-word blocks and
// on the data that drive the sums to their extremes (all zero, all 0xff,
// one nonzero byte, sums that are multiples of 65535).
func TestFletcher32MatchesLibhdf5(t *testing.T) {
	rng := rand.New(rand.NewSource(32))
	fill := map[string]func([]byte){
		"random": func(b []byte) { rng.Read(b) },
		"zero":   func(b []byte) { clear(b) },
		"ff": func(b []byte) {
			for i := range b {
				b[i] = 0xff
			}
		},
		"last": func(b []byte) {
			clear(b)
			if len(b) > 0 {
				b[len(b)-1] = 1
			}
		},
		"first": func(b []byte) {
			clear(b)
			if len(b) > 0 {
				b[0] = 0x80
			}
		},
		"ffff00": func(b []byte) { // words 0xffff and 0x0000: sums on multiples of 65535
			for i := range b {
				b[i] = byte(0xff * ((i / 2) % 2))
			}
		},
	}
	lengths := []int{0, 1, 2, 3, 4, 5, 718, 719, 720, 721, 722, 1439, 1440, 1441, 4096, 65537, 1 << 20}
	for name, f := range fill {
		for _, n := range lengths {
			b := make([]byte, n)
			f(b)
			if got, want := fletcher32(b, true), fletcher32(b, false); got != want {
				t.Errorf("%s, %d bytes: %#08x, libhdf5 %#08x", name, n, got, want)
			}
		}
	}
	for k := 0; k < 2000; k++ {
		b := make([]byte, rng.Intn(5000))
		rng.Read(b)
		if k%3 == 0 {
			for i := range b {
				b[i] |= 0xf0
			}
		}
		if got, want := fletcher32(b, true), fletcher32(b, false); got != want {
			t.Fatalf("random %d bytes: %#08x, libhdf5 %#08x", len(b), got, want)
		}
	}
}

func BenchmarkFletcher32(b *testing.B) {
	buf := make([]byte, 4<<20)
	rand.New(rand.NewSource(1)).Read(buf)
	for _, fast := range []bool{false, true} {
		name := "libhdf5"
		if fast {
			name = "fast"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(buf)))
			for b.Loop() {
				fletcher32(buf, fast)
			}
		})
	}
}
