package holo

import (
	"math"
	"testing"
)

// Expected values: scipy 1.10.1 scipy.special.sindg / cosdg and
// numpy.rad2deg, printed with float.hex.
func TestDegTrigMatchesScipy(t *testing.T) {
	cases := []struct{ x, sin, cos float64 }{
		{0.1, 0x1.c98701025eb1fp-10, 0x1.ffffcce4c8e64p-1},
		{174.16, 0x1.a0c57a84fe789p-4, -0x1.fd57b9ac0da74p-1},
		{-174.16, -0x1.a0c57a84fe789p-4, -0x1.fd57b9ac0da74p-1},
		{45, 0x1.6a09e667f3bcdp-1, 0x1.6a09e667f3bccp-1},
		{90, 0x1.0000000000000p+0, 0},
		{135, 0x1.6a09e667f3bccp-1, -0x1.6a09e667f3bcdp-1},
		{180, 0, -0x1.0000000000000p+0},
		{225, -0x1.6a09e667f3bcdp-1, -0x1.6a09e667f3bccp-1},
		{359.9, -0x1.c98701025f245p-10, 0x1.ffffcce4c8e64p-1},
		{100000.3, -0x1.f7bfc799e57ffp-1, 0x1.6e2fdb1304b23p-3},
		{30, 0x1.fffffffffffffp-2, 0x1.bb67ae8584cabp-1},
		{60, 0x1.bb67ae8584cabp-1, 0x1.fffffffffffffp-2},
		{-22.5, -0x1.87de2a6aea963p-2, 0x1.d906bcf328d46p-1},
		{5.8, 0x1.9ded35374a2f4p-4, 0x1.fd610117ae903p-1},
		{10000000000000.7, -0x1.f7195b355f654p-1, 0x1.7c37c0fd85adbp-3},
	}
	for _, c := range cases {
		if s := sinDeg(c.x); s != c.sin {
			t.Errorf("sinDeg(%v) = %x, scipy %x", c.x, s, c.sin)
		}
		if v := cosDeg(c.x); v != c.cos {
			t.Errorf("cosDeg(%v) = %x, scipy %x", c.x, v, c.cos)
		}
	}
	if d := rad2deg(3.039585735679681); d != 0x1.5c4f950fb29c9p+7 {
		t.Errorf("rad2deg = %x", d)
	}
	if d := rad2deg(0.1); d != 0x1.6eb167b830194p+2 {
		t.Errorf("rad2deg(0.1) = %x", d)
	}
	if math.Signbit(cosDeg(90)) != true {
		t.Logf("cosDeg(90) sign differs from scipy's -0 (value compares equal)")
	}
}
