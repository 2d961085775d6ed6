package holo

import (
	"math"
	"math/cmplx"
	"testing"

	"qpgo/internal/fixture"
)

// kwFromCase returns qpretrieve_kw of an oah/qlsi case (holo_kw mapped).
func kwFromCase(t *testing.T, c *fixture.Case) map[string]any {
	t.Helper()
	var kw map[string]any
	if _, ok := c.Params["holo_kw"]; ok {
		var hk map[string]any
		c.Param(t, "holo_kw", &hk)
		m, err := MapHoloKW(hk)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	c.Param(t, "qpretrieve_kw", &kw)
	return kw
}

func checkPair(t *testing.T, c *fixture.Case, name string, got [2]float64) {
	t.Helper()
	var want [2]float64
	c.Want(t, name, &want)
	tol := c.Tol(t, name)
	if !tol.Close(got[0], want[0]) || !tol.Close(got[1], want[1]) {
		t.Errorf("%s/%s: got %v want %v", c.Name, name, got, want)
	}
}

// wrappedPhaseCheck compares angle(field) with the processed phase modulo
// 2π: unwrapping and the border offset (package unwrap, QPImage layer) only
// add multiples of 2π per pixel.
func wrappedPhaseCheck(t *testing.T, c *fixture.Case, name string, pha []float64, shape []int) {
	t.Helper()
	want, wshape := c.Float64(t, name)
	if len(want) != len(pha) {
		t.Errorf("%s/%s: %d values, want %d (%v)", c.Name, name, len(pha), len(want), wshape)
		return
	}
	worst := 0.0
	for i := range want {
		d := math.Remainder(pha[i]-want[i], 2*math.Pi)
		// float32 storage: 2e-6 for values up to ~10 rad, one float32
		// rounding step (2^-23 relative) beyond.
		worst = math.Max(worst, math.Abs(d)/math.Max(2e-6, math.Abs(want[i])*0x1p-23))
	}
	if worst > 1 {
		t.Errorf("%s/%s: max |Δphase mod 2π| / allowed = %g", c.Name, name, worst)
	}
}

func TestOffAxisFixtures(t *testing.T) {
	for _, name := range fixture.Names(t, "oah") {
		t.Run(name, func(t *testing.T) {
			c := fixture.Load(t, name)
			holo, shape := c.Float64(t, "holo")
			kw := kwFromCase(t, c)
			opts, err := ParseOAHOptions(kw)
			if err != nil {
				t.Fatal(err)
			}
			r, err := OffAxisDetail(holo, shape[0], shape[1], opts)
			if err != nil {
				t.Fatal(err)
			}
			c.CheckComplex(t, "field", r.Field, []int{r.Rows, r.Cols})
			checkPair(t, c, "sideband_freq", r.SidebandFreq)
			var fs float64
			c.Want(t, "filter_size_freq", &fs)
			if tol := c.Tol(t, "filter_size_freq"); !tol.Close(r.FilterSizeFreq, fs) {
				t.Errorf("filter_size_freq %v want %v", r.FilterSizeFreq, fs)
			}
			var ps [2]int
			c.Want(t, "padded_size", &ps)
			if ps != r.PaddedSize {
				t.Errorf("padded_size %v want %v", r.PaddedSize, ps)
			}
			amp := make([]float64, len(r.Field))
			pha := make([]float64, len(r.Field))
			for i, v := range r.Field {
				amp[i] = cmplx.Abs(v)
				pha[i] = cmplx.Phase(v)
			}
			c.CheckFloat64(t, "raw_amp", amp, []int{r.Rows, r.Cols})
			wrappedPhaseCheck(t, c, "raw_pha", pha, nil)
			if _, ok := c.Inputs["bg_holo"]; ok {
				// The background hologram is retrieved independently (own
				// sideband search).
				bg, bshape := c.Float64(t, "bg_holo")
				br, err := OffAxisDetail(bg, bshape[0], bshape[1], opts)
				if err != nil {
					t.Fatal(err)
				}
				checkPair(t, c, "bg_sideband_freq", br.SidebandFreq)
				bamp := make([]float64, len(br.Field))
				bpha := make([]float64, len(br.Field))
				for i, v := range br.Field {
					bamp[i] = cmplx.Abs(v)
					bpha[i] = cmplx.Phase(v)
				}
				c.CheckFloat64(t, "bg_amp", bamp, []int{br.Rows, br.Cols})
				wrappedPhaseCheck(t, c, "bg_pha", bpha, nil)
			}
		})
	}
}

func TestQLSIFixtures(t *testing.T) {
	for _, name := range fixture.Names(t, "qlsi") {
		t.Run(name, func(t *testing.T) {
			c := fixture.Load(t, name)
			data, shape := c.Float64(t, "qlsi")
			var ref []float64
			if _, ok := c.Inputs["qlsi_ref"]; ok {
				ref, _ = c.Float64(t, "qlsi_ref")
			}
			opts, err := ParseQLSIOptions(kwFromCase(t, c))
			if err != nil {
				t.Fatal(err)
			}
			r, err := QLSIDetail(data, ref, shape[0], shape[1], opts)
			if err != nil {
				t.Fatal(err)
			}
			checkPair(t, c, "sideband_freq", r.SidebandFreq)
			sh := []int{r.Rows, r.Cols}
			c.CheckFloat64(t, "qlsi_amplitude", r.Amplitude, sh)
			c.CheckFloat64(t, "raw_amp", r.Amplitude, sh)
			c.CheckFloat64(t, "qlsi_phase", r.Phase, sh)
			c.CheckFloat64(t, "wavefront", r.Wavefront, sh)
			wrappedPhaseCheck(t, c, "raw_pha", r.Phase, sh)
			var ps [2]int
			c.Want(t, "padded_size", &ps)
			if ps != r.PaddedSize {
				t.Errorf("padded_size %v want %v", r.PaddedSize, ps)
			}
		})
	}
}
