package bgfit

import (
	"encoding/json"
	"strings"
	"testing"

	"qpgo/core/qperr"
	"qpgo/internal/fixture"
	"qpgo/internal/npy"
)

// expectedFloat64 reads an expected array even when an input of the same
// name exists (fixture.Case.Array prefers inputs).
func expectedFloat64(t *testing.T, c *fixture.Case, name string) []float64 {
	t.Helper()
	var file string
	c.Want(t, name, &file)
	a, err := npy.ReadFile(c.Path(file))
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.Float64()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func whichData(t *testing.T, c *fixture.Case) []string {
	t.Helper()
	raw := c.Params["which_data"]
	var s string
	if json.Unmarshal(raw, &s) == nil {
		var out []string
		for _, w := range strings.Split(s, ",") {
			out = append(out, strings.ToLower(strings.TrimSpace(w)))
		}
		return out
	}
	var l []string
	if err := json.Unmarshal(raw, &l); err != nil {
		t.Fatalf("which_data: %s", raw)
	}
	return l
}

func toFloat32(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(float32(x))
	}
	return out
}

type detailsTol struct {
	ProfileParams fixture.Tol `json:"profile_params"`
	OffsetValue   fixture.Tol `json:"offset_value"`
}

type detailsWant struct {
	NMask         int                `json:"n_mask"`
	ProfileParams map[string]float64 `json:"profile_params"`
	OffsetValue   *float64           `json:"offset_value"`
}

// TestComputeBgFixtures feeds every compute_bg case the image compute_bg
// saw (stored raw minus / divided by the stored data background) and
// compares border, mask, fit (float64 and float32-stored) and details.
func TestComputeBgFixtures(t *testing.T) {
	for _, name := range fixture.Names(t, "compute_bg") {
		t.Run(name, func(t *testing.T) {
			c := fixture.Load(t, name)
			if _, ok := c.Params["fit_offset"]; !ok {
				// bg_clear: clear_bg bookkeeping is the QPImage layer's.
				t.Skip("no compute_bg parameters (clear_bg case, QPImage layer)")
			}
			var fitOffset, fitProfile string
			var borderM, borderPerc, borderPx float64
			var hasMask bool
			var meta map[string]float64
			c.Param(t, "fit_offset", &fitOffset)
			c.Param(t, "fit_profile", &fitProfile)
			c.Param(t, "border_m", &borderM)
			c.Param(t, "border_perc", &borderPerc)
			c.Param(t, "border_px", &borderPx)
			c.Param(t, "from_mask", &hasMask)
			c.Param(t, "meta_data", &meta)
			var shape []int
			c.Want(t, "shape", &shape)
			rows, cols := shape[0], shape[1]

			var fromMask []bool
			if hasMask {
				a := c.Array(t, "mask")
				fromMask = make([]bool, len(a.Data.([]bool)))
				copy(fromMask, a.Data.([]bool))
			}
			ps, havePS := meta["pixel size"]
			border, err := ComputeBorder(borderM, borderPerc, borderPx, rows, cols, ps, havePS, fromMask)
			if err != nil {
				t.Fatal(err)
			}
			var wantBorder int
			c.Want(t, "border_px_final", &wantBorder)
			if border != wantBorder {
				t.Errorf("border_px %d, want %d", border, wantBorder)
			}

			for _, wd := range whichData(t, c) {
				sfx := map[string]string{"phase": "pha", "amplitude": "amp"}[wd]
				raw, _ := c.Float64(t, "raw_"+sfx)
				img := raw
				if _, ok := c.Inputs["bg_"+sfx]; ok {
					// Stored data background = combined bg ∘ stored fit⁻¹
					// (exact: both factors are float32 values).
					comb := expectedFloat64(t, c, "bg_"+sfx)
					fit, _ := c.Float64(t, "bg_fit_"+sfx)
					img = make([]float64, len(raw))
					for i := range raw {
						if wd == "phase" {
							img[i] = raw[i] - (comb[i] - fit[i])
						} else {
							img[i] = raw[i] / (comb[i] / fit[i])
						}
					}
				}
				bg, mask, det, err := EstimateDetails(img, rows, cols, fitOffset, fitProfile, float64(border), fromMask)
				if err != nil {
					t.Fatalf("%s: %v", wd, err)
				}
				wm := c.Array(t, "returned_mask").Data.([]bool)
				for i := range wm {
					if wm[i] != mask[i] {
						t.Errorf("%s: returned mask differs at %d", wd, i)
						break
					}
				}
				c.CheckFloat64(t, "bg_fit_"+sfx+"_float64", bg, shape)
				if c.Has("bg_fit_" + sfx) {
					c.CheckFloat64(t, "bg_fit_"+sfx, toFloat32(bg), shape)
				}
				var dw detailsWant
				c.Want(t, "bg_fit_"+sfx+"_details", &dw)
				var dt detailsTol
				if err := json.Unmarshal(c.Tolerance["bg_fit_"+sfx+"_details"], &dt); err != nil {
					t.Fatal(err)
				}
				if det.NMask != dw.NMask {
					t.Errorf("%s: n_mask %d, want %d", wd, det.NMask, dw.NMask)
				}
				if len(dw.ProfileParams) != len(det.ParamNames) {
					t.Errorf("%s: %d params, want %d", wd, len(det.ParamNames), len(dw.ProfileParams))
				}
				for k, want := range dw.ProfileParams {
					got, ok := det.Param(k)
					if !ok || !dt.ProfileParams.Close(got, want) {
						t.Errorf("%s: param %s = %v, want %v (tol %+v)", wd, k, got, want, dt.ProfileParams)
					}
				}
				if dw.OffsetValue != nil && !dt.OffsetValue.Close(det.Offset, *dw.OffsetValue) {
					t.Errorf("%s: offset %v, want %v (tol %+v)", wd, det.Offset, *dw.OffsetValue, dt.OffsetValue)
				}
				if dw.OffsetValue == nil && det.Offset != 0 {
					t.Errorf("%s: offset %v for fit_offset 'fit'", wd, det.Offset)
				}
			}
		})
	}
}

// TestOffsetReference reproduces the seven reference numbers of spec §5.2.
func TestOffsetReference(t *testing.T) {
	for _, name := range fixture.Names(t, "compute_bg_reference") {
		c := fixture.Load(t, name)
		pha, shape := c.Float64(t, "pha")
		rows, cols := shape[0], shape[1]
		var border float64
		c.Param(t, "border_px", &border)
		check := func(key string, got float64) {
			t.Helper()
			var want float64
			c.Want(t, key, &want)
			if tol := c.Tol(t, key); !tol.Close(got, want) {
				t.Errorf("%s: got %.17g want %.17g (diff %.3g, tol %+v)", key, got, want, got-want, tol)
			}
		}
		check("mean_of_input", Mean(pha))
		for _, store := range []string{"float64", "float32"} {
			data := pha
			if store == "float32" {
				data = toFloat32(pha)
			}
			for _, off := range []string{"mean", "mode", "gauss"} {
				bg, _, err := Estimate(data, rows, cols, off, "offset", border, nil)
				if err != nil {
					t.Fatal(err)
				}
				if store == "float32" {
					bg = toFloat32(bg)
				}
				corr := make([]float64, len(data))
				for i := range data {
					corr[i] = data[i] - bg[i]
				}
				check("mean_pha_"+off+"_"+store, Mean(corr))
			}
		}
	}
}

// TestErrorsFixture replays compute_bg's argument validation rows.
func TestErrorsFixture(t *testing.T) {
	c := fixture.Load(t, "bg_errors")
	pha, shape := c.Float64(t, "pha")
	rows, cols := shape[0], shape[1]
	var results []struct {
		Kwargs  map[string]json.RawMessage `json:"kwargs"`
		Error   string                     `json:"error"`
		Message string                     `json:"message"`
	}
	c.Want(t, "results", &results)
	kinds := map[string]qperr.Kind{"ValueError": qperr.BadArgument, "MetaDataMissingError": qperr.MissingMeta}
	tested := 0
	for i, r := range results {
		fitOffset, fitProfile := "mean", "tilt"
		var bm, bp, bpx float64
		var fromMask []bool
		skip := false
		for k, v := range r.Kwargs {
			switch k {
			case "which_data":
				// Only the QPImage layer validates which_data; rows with an
				// invalid which_data ("peter") are its tests.
				var s string
				if json.Unmarshal(v, &s) == nil && s != "phase" && s != "amplitude" {
					skip = true
				}
			case "fit_offset":
				_ = json.Unmarshal(v, &fitOffset)
			case "fit_profile":
				_ = json.Unmarshal(v, &fitProfile)
			case "border_m":
				_ = json.Unmarshal(v, &bm)
			case "border_perc":
				_ = json.Unmarshal(v, &bp)
			case "border_px":
				_ = json.Unmarshal(v, &bpx)
			case "from_mask":
				fromMask = make([]bool, rows*cols) // "zeros"
			default:
				t.Fatalf("row %d: unknown kwarg %s", i, k)
			}
		}
		if skip {
			continue
		}
		tested++
		// No meta data: the QPImage was built without 'pixel size'.
		border, err := ComputeBorder(bm, bp, bpx, rows, cols, 0, false, fromMask)
		if err == nil {
			_, _, err = Estimate(pha, rows, cols, fitOffset, fitProfile, float64(border), fromMask)
		}
		if err == nil {
			t.Errorf("row %d %v: no error, want %s %q", i, r.Kwargs, r.Error, r.Message)
			continue
		}
		if want, ok := kinds[r.Error]; !ok || !qperr.Is(err, want) || err.Error() != r.Message {
			t.Errorf("row %d: got %v (%v), want %s %q", i, err, qperr.KindOf(err), r.Error, r.Message)
		}
	}
	if tested != len(results)-1 {
		t.Errorf("tested %d of %d rows", tested, len(results))
	}
}

// TestConstantsFixture checks the VALID_* lists against the constants case.
func TestConstantsFixture(t *testing.T) {
	c := fixture.Load(t, "meta_keys")
	var offs, profs []string
	for k := range c.Expected {
		lk := strings.ToLower(k)
		if strings.Contains(lk, "fit_offset") {
			c.Want(t, k, &offs)
		}
		if strings.Contains(lk, "fit_profile") {
			c.Want(t, k, &profs)
		}
	}
	if strings.Join(offs, ",") != strings.Join(ValidFitOffsets, ",") {
		t.Errorf("ValidFitOffsets %v, want %v", ValidFitOffsets, offs)
	}
	if strings.Join(profs, ",") != strings.Join(ValidFitProfiles, ",") {
		t.Errorf("ValidFitProfiles %v, want %v", ValidFitProfiles, profs)
	}
}
