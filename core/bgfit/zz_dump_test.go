package bgfit

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand"
	"os"
	"testing"

	"qpgo/internal/fixture"
)

func zzHash(v []float64) string {
	h := sha256.New()
	for _, x := range v {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(x))
		h.Write(b[:])
	}
	return fmt.Sprintf("%x", h.Sum(nil)[:12])
}

func TestZZDump(t *testing.T) {
	out := os.Getenv("ZZDUMP")
	if out == "" {
		t.Skip()
	}
	f, _ := os.Create(out)
	defer f.Close()
	rec := func(label string, data []float64, rows, cols int, off, prof string, border float64, mask []bool) {
		bg, _, det, err := EstimateDetails(data, rows, cols, off, prof, border, mask)
		fmt.Fprintf(f, "%s %s %s err=%v bg=%s", label, off, prof, err, zzHash(bg))
		for _, p := range det.Params {
			fmt.Fprintf(f, " %x", math.Float64bits(p))
		}
		fmt.Fprintf(f, " off=%x\n", math.Float64bits(det.Offset))
	}
	for _, name := range fixture.Names(t, "compute_bg") {
		c := fixture.Load(t, name)
		if _, ok := c.Params["fit_offset"]; !ok {
			continue
		}
		var shape []int
		c.Want(t, "shape", &shape)
		for _, sfx := range []string{"pha", "amp"} {
			if _, ok := c.Inputs["raw_"+sfx]; !ok {
				continue
			}
			raw, _ := c.Float64(t, "raw_"+sfx)
			for _, off := range []string{"mean", "mode", "gauss"} {
				for _, prof := range []string{"offset", "tilt", "poly2o"} {
					for _, b := range []float64{0, 2, 5} {
						rec(name+"/"+sfx, raw, shape[0], shape[1], off, prof, b, nil)
					}
				}
			}
		}
	}
	for _, name := range fixture.Names(t, "compute_bg_reference") {
		c := fixture.Load(t, name)
		pha, shape := c.Float64(t, "pha")
		for _, d := range [][]float64{pha, toFloat32(pha)} {
			for _, off := range []string{"mean", "mode", "gauss"} {
				for _, prof := range []string{"offset", "tilt", "poly2o"} {
					rec(name, d, shape[0], shape[1], off, prof, 3, nil)
				}
			}
		}
	}
	rng := rand.New(rand.NewSource(1))
	for k := 0; k < 300; k++ {
		rows, cols := 3+rng.Intn(60), 3+rng.Intn(60)
		img := make([]float64, rows*cols)
		scale := math.Pow(10, float64(rng.Intn(40)-20))
		a, b, c := rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
		for i := range img {
			x, y := float64(i/cols), float64(i%cols)
			img[i] = scale * (a*x + b*y + c*x*y*0.01 + rng.NormFloat64()*math.Pow(10, float64(rng.Intn(6)-5)))
			if k%7 == 0 {
				img[i] = math.Round(img[i])
			}
		}
		var mask []bool
		if k%3 == 0 {
			mask = make([]bool, rows*cols)
			for i := range mask {
				mask[i] = rng.Intn(4) == 0
			}
			if k%9 == 0 { // one column only: rank deficient
				for i := range mask {
					mask[i] = i%cols == 1
				}
			}
		}
		for _, off := range []string{"mean", "mode", "gauss"} {
			for _, prof := range []string{"offset", "tilt", "poly2o"} {
				rec(fmt.Sprint("rand", k), img, rows, cols, off, prof, float64(rng.Intn(3)), mask)
			}
		}
	}
	img := benchImage(256)
	for _, off := range []string{"mean", "mode", "gauss"} {
		for _, prof := range []string{"offset", "tilt", "poly2o"} {
			rec("bench", img, 256, 256, off, prof, 20, nil)
		}
	}
	// gaussian fits directly
	for k := 0; k < 300; k++ {
		n := 5 + rng.Intn(200)
		v := make([]float64, n)
		for i := range v {
			v[i] = rng.NormFloat64()*math.Pow(10, float64(rng.Intn(20)-10)) + float64(rng.Intn(3))
		}
		o, err := OffsetGaussian(v)
		fmt.Fprintf(f, "gauss%d %x %v\n", k, math.Float64bits(o), err)
	}
}
