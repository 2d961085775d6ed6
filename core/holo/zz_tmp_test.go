package holo

import (
	"testing"
	"qpgo/core/unwrap"
	"qpgo/internal/fixture"
)

func TestTmpQLSI(t *testing.T) {
	for _, name := range fixture.Names(t, "qlsi") {
		t.Run(name, func(t *testing.T) {
			c := fixture.Load(t, name)
			data, shape := c.Float64(t, "qlsi")
			var ref []float64
			if _, ok := c.Inputs["qlsi_ref"]; ok {
				ref, _ = c.Float64(t, "qlsi_ref")
			}
			opts, _ := ParseQLSIOptions(kwFromCase(t, c))
			opts.Unwrap = func(p []float64, r, cc int) ([]float64, error) { return unwrap.Unwrap2DSeed(p, r, cc, nil, 0) }
			r, err := QLSIDetail(data, ref, shape[0], shape[1], opts)
			if err != nil {
				t.Fatal(err)
			}
			sh := []int{r.Rows, r.Cols}
			want, _ := c.Float64(t, "wavefront")
			mx := 0.0
			for i := range want {
				d := r.Wavefront[i] - want[i]
				if d < 0 { d = -d }
				if d > mx { mx = d }
			}
			t.Logf("wf maxdiff %g  w0 %g g0 %g ratio %g", mx, want[0], r.Wavefront[0], want[0]/r.Wavefront[0])
			c.CheckFloat64(t, "qlsi_phase", r.Phase, sh)
			c.CheckFloat64(t, "wavefront", r.Wavefront, sh)
		})
	}
}
