package qpimage

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"qpgo/core/h5"
	"qpgo/core/qperr"
	"qpgo/internal/fixture"
)

// TestIntegrityFixtures runs the integrity checks on the upstream files:
// the intact file passes, the tampered fit and the missing attributes fail
// with upstream's messages.
func TestIntegrityFixtures(t *testing.T) {
	for _, name := range fixture.Names(t, "integrity_check") {
		t.Run(name, func(t *testing.T) {
			c := fixture.Load(t, name)
			var files []string
			for _, e := range mustDir(t, c.Dir) {
				if filepath.Ext(e) == ".h5" {
					files = append(files, e)
				}
			}
			if len(files) != 1 {
				t.Fatalf("expected one .h5 file, got %v", files)
			}
			var want map[string]struct {
				Passed  bool   `json:"passed"`
				Error   string `json:"error"`
				Message string `json:"message"`
			}
			c.Want(t, "checks", &want)
			for check, w := range want {
				err := CheckFile(c.Path(files[0]), []string{check})
				if w.Passed {
					if err != nil {
						t.Errorf("%s: %v", check, err)
					}
					continue
				}
				if !qperr.Is(err, qperr.Integrity) || err.Error() != w.Message {
					t.Errorf("%s: got %v, want IntegrityCheckError %q", check, err, w.Message)
				}
			}
		})
	}
	if err := CheckFile(filepath.Join(fixture.Dir(t), "integrity_intact", "qpimage.h5"), []string{"peter"}); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("unknown check: %v", err)
	}
}

func mustDir(t *testing.T, dir string) []string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

// TestOffsetReference200 reproduces the §5.2 reference numbers through
// QPImage (proc_phase=False, float64 and float32 storage).
func TestOffsetReference200(t *testing.T) {
	c := fixture.Load(t, "bg_offset_reference_200")
	pha, shape := c.Float64(t, "pha")
	for _, dt := range []h5.DType{h5.Float64, h5.Float32} {
		for _, off := range []string{"mean", "mode", "gauss"} {
			q, err := NewInMemory(&Input{WhichData: ConvWhichData("phase"), Arrays: [][]float64{pha}, Shape: shape},
				nil, Options{ProcPhase: false, H5DType: dt})
			if err != nil {
				t.Fatal(err)
			}
			o := DefaultBGOptions()
			o.FitOffset, o.FitProfile, o.BorderPx = off, "offset", 5
			if _, err := q.ComputeBG(o); err != nil {
				t.Fatal(err)
			}
			p, _, _ := q.Pha()
			sum := 0.0
			for _, v := range p {
				sum += v
			}
			name := "mean_pha_" + off + "_" + dt.String()
			var want float64
			c.Want(t, name, &want)
			if tol := c.Tol(t, name); !tol.Close(sum/float64(len(p)), want) {
				t.Errorf("%s = %.17g, want %.17g (tol %+v)", name, sum/float64(len(p)), want, tol)
			}
			q.Close()
		}
	}
}

// TestComputeBGErrors checks every validation row of bg_errors.
func TestComputeBGErrors(t *testing.T) {
	c := fixture.Load(t, "bg_errors")
	pha, shape := c.Float64(t, "pha")
	var rows []struct {
		Kwargs  map[string]json.RawMessage `json:"kwargs"`
		Error   string                     `json:"error"`
		Message string                     `json:"message"`
	}
	c.Want(t, "results", &rows)
	for _, r := range rows {
		q, err := NewInMemory(&Input{WhichData: ConvWhichData("phase"), Arrays: [][]float64{pha}, Shape: shape},
			nil, Options{ProcPhase: false, H5DType: h5.Float32})
		if err != nil {
			t.Fatal(err)
		}
		o := DefaultBGOptions()
		for k, v := range r.Kwargs {
			switch k {
			case "which_data":
				var s string
				if json.Unmarshal(v, &s) == nil {
					o.WhichData = ConvWhichData(s)
				} else {
					var l []string
					json.Unmarshal(v, &l)
					o.WhichData = ConvWhichDataList(l)
				}
			case "fit_offset":
				json.Unmarshal(v, &o.FitOffset)
			case "fit_profile":
				json.Unmarshal(v, &o.FitProfile)
			case "border_px":
				json.Unmarshal(v, &o.BorderPx)
			case "border_m":
				json.Unmarshal(v, &o.BorderM)
			case "border_perc":
				json.Unmarshal(v, &o.BorderPerc)
			case "from_mask":
				o.FromMask = make([]bool, len(pha)) // "zeros"
			default:
				t.Fatalf("unhandled kwarg %s", k)
			}
		}
		_, err = q.ComputeBG(o)
		wantKind := map[string]qperr.Kind{"ValueError": qperr.BadArgument, "MetaDataMissingError": qperr.MissingMeta}[r.Error]
		if !qperr.Is(err, wantKind) || err.Error() != r.Message {
			t.Errorf("%v: got %v, want %s %q", r.Kwargs, err, r.Error, r.Message)
		}
		q.Close()
	}
}
