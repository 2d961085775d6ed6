package flproc

import (
	"fmt"
	"math"
	"math/rand"
	"os"
	"testing"

	"qpgo/internal/fixture"
)

func TestZZDump(t *testing.T) {
	out := os.Getenv("ZZDUMP")
	if out == "" {
		t.Skip()
	}
	f, _ := os.Create(out)
	defer f.Close()
	rec := func(label string, times, flint []float64) {
		r, err := FitBleach(times, flint)
		fmt.Fprintf(f, "%s err=%v info=%d nfev=%d %x %x %x %q\n", label, err, r.Info, r.NFev,
			math.Float64bits(r.Fitted.Amplitude), math.Float64bits(r.Fitted.BleachDecay), math.Float64bits(r.Fitted.Offset), r.Message)
	}
	for _, name := range fixture.Names(t, "bleach_correction") {
		c := fixture.Load(t, name)
		frames, rows, cols := loadFrames(t, c, "frames")
		times, _ := c.Float64(t, "times")
		var border int
		c.Param(t, "border_px", &border)
		res, err := BleachCorrection(frames, rows, cols, times, border, nil)
		if err != nil {
			t.Fatal(err)
		}
		rec(name, times, res.Flint)
		fmt.Fprintf(f, "%s corr %v\n", name, res.Corr)
	}
	rec("spec", []float64{0, 2, 4, 6, 8, 10, 12, 14}, []float64{74022.48, 57847.85, 46086.00, 37104.88, 30584.44, 25711.89, 22073.43, 19473.16})
	rng := rand.New(rand.NewSource(2))
	for k := 0; k < 2000; k++ {
		n := 3 + rng.Intn(40)
		times := make([]float64, n)
		flint := make([]float64, n)
		tt := rng.Float64() * 10 * float64(rng.Intn(2)*2-1)
		A := math.Pow(10, float64(rng.Intn(16)-8))
		kk := math.Pow(10, float64(rng.Intn(6)-4)) * float64(rng.Intn(3)-1)
		c := A * rng.Float64() * 2
		for i := range times {
			tt += rng.Float64() * math.Pow(10, float64(rng.Intn(4)-1))
			times[i] = tt
			flint[i] = A*math.Exp(-kk*tt) + c + A*rng.NormFloat64()*math.Pow(10, float64(rng.Intn(5)-5))
		}
		rec(fmt.Sprint("rand", k), times, flint)
	}
}
