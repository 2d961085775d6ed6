package holo

import (
	"fmt"
	"math"
	"testing"
	"qpgo/core/unwrap"
	"qpgo/internal/fixture"
)

func TestTmpQLSI(t *testing.T) {
	for _, name := range fixture.Names(t, "qlsi") {
		for vi := 0; vi < 8; vi++ {
		for _, seed := range []uint32{0, 47} {
			c := fixture.Load(t, name)
			data, shape := c.Float64(t, "qlsi")
			var ref []float64
			if _, ok := c.Inputs["qlsi_ref"]; ok {
				ref, _ = c.Float64(t, "qlsi_ref")
			}
			opts, _ := ParseQLSIOptions(kwFromCase(t, c))
			opts.Unwrap = func(p []float64, r, cc int) ([]float64, error) { return unwrap.Unwrap2DSeed(p, r, cc, nil, seed) }
			qv = qlsiVariant{zeroPad: vi&1 != 0, padByData: vi&2 != 0, scale: vi&4 != 0}
			r, err := QLSIDetail(data, ref, shape[0], shape[1], opts)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := c.Float64(t, "wavefront")
			mx, mw := 0.0, 0.0
			for i := range want {
				mx = math.Max(mx, math.Abs(r.Wavefront[i]-want[i]))
				mw = math.Max(mw, math.Abs(want[i]))
			}
			fmt.Printf("%s %+v seed %d: rel maxdiff %g\n", name, qv, seed, mx/mw)
		}
		}
	}
}
