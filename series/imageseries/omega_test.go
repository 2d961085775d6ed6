package imageseries

import (
	"encoding/json"
	"fmt"
	"testing"

	"qpgo/core/qperr"
	"qpgo/internal/fixture"
	"qpgo/internal/npy"
)

func omegaSeries(t *testing.T, om *npy.Array) (*OmegaSeries, error) {
	t.Helper()
	n := om.Shape[0]
	ims, err := NewArray(make([]uint8, n*6), []int{n, 2, 3}, Metadata{"omega": om})
	if err != nil {
		t.Fatal(err)
	}
	return NewOmegaSeries(ims)
}

type wantWedge struct {
	OStart, OStop float64
	NSteps        int
	Delta         float64
	FirstFrame    int `json:"first_frame"`
}

func checkWedges(t *testing.T, s *OmegaSeries, want []wantWedge) {
	t.Helper()
	if s.NWedges() != len(want) {
		t.Fatalf("%d wedges, want %d", s.NWedges(), len(want))
	}
	for i, w := range want {
		g, err := s.Wedge(i)
		if err != nil || !almost(g.OStart, w.OStart) || !almost(g.OStop, w.OStop) || g.NSteps != w.NSteps || !almost(g.Delta, w.Delta) || g.FirstFrame != w.FirstFrame {
			t.Errorf("wedge %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestOmegaSeries(t *testing.T) {
	for _, name := range caseNames(t, "omega-series") {
		t.Run(name, func(t *testing.T) {
			c := load(t, name)
			s, err := omegaSeries(t, c.Array(t, "omega"))
			if err != nil {
				t.Fatal(err)
			}
			var wedges []wantWedge
			c.Want(t, "wedges", &wedges)
			checkWedges(t, s, wedges)
			om, err := s.OmegaWedges().Omegas()
			if err != nil {
				t.Fatal(err)
			}
			c.CheckFloat64(t, "omegawedges_omegas", om, []int{len(om) / 2, 2})
			c.CheckFloat64(t, "omega", s.Omega(), []int{s.Len(), 2})
			var q []struct {
				Omega        float64
				Frame, Wedge int
			}
			c.Want(t, "omega_to_frame", &q)
			for _, x := range q {
				f, w := s.OmegaToFrame(x.Omega)
				if f != x.Frame || w != x.Wedge {
					t.Errorf("omega_to_frame(%v) = (%d, %d), want (%d, %d)", x.Omega, f, w, x.Frame, x.Wedge)
				}
			}
			var r []struct {
				OMin, OMax float64
				Frames     []int
			}
			c.Want(t, "omegarange_to_frames", &r)
			for _, x := range r {
				got := s.OmegaRangeToFrames(x.OMin, x.OMax)
				if fmt.Sprint(got) != fmt.Sprint(x.Frames) {
					t.Errorf("omegarange_to_frames(%v, %v) = %v, want %v", x.OMin, x.OMax, got, x.Frames)
				}
			}
		})
	}
}

func TestOmegaErrors(t *testing.T) {
	c := load(t, "omega_errors")
	ims, _ := NewArray(make([]uint8, 4*6), []int{4, 2, 3}, nil)
	var e struct{ Message string }
	c.Want(t, "no_omega", &e)
	if _, err := NewOmegaSeries(ims); !qperr.Is(err, qperr.MissingMeta) || "'"+err.Error()+"'" != e.Message {
		t.Errorf("no omega: %v, want %s", err, e.Message)
	}
	check := func(input, key string) {
		var raw map[string]string
		c.Input(t, input, &raw)
		om := readNpyT(t, c.Path(raw["omega"]))
		ims, _ := NewArray(make([]uint8, 4*6), []int{4, 2, 3}, Metadata{"omega": om})
		if om.Shape[0] == 1 {
			ims, _ = NewArray(make([]uint8, 6), []int{1, 2, 3}, Metadata{"omega": om})
		}
		s, err := NewOmegaSeries(ims)
		var want struct {
			Type, Message string
			Error         *string
			Wedges        []wantWedge
		}
		json.Unmarshal(c.Expected[key], &want)
		if want.Message != "" {
			if !qperr.Is(err, qperr.BadArgument) || "'"+err.Error()+"'" != want.Message {
				t.Errorf("%s: %v, want %s", key, err, want.Message)
			}
			return
		}
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		checkWedges(t, s, want.Wedges)
	}
	check("length_mismatch", "length_mismatch")
	check("decreasing", "decreasing")
	check("negative_last_frame", "negative_last_frame")
	check("single_frame_negative", "single_frame_negative")
}

func TestOmegaWedgesBuilder(t *testing.T) {
	c := load(t, "omega_wedges_builder")
	var nf int
	c.Input(t, "nframes", &nf)
	var adds [][4]*float64
	c.Input(t, "add", &adds)
	ow := NewOmegaWedges(nf)
	for i, a := range adds {
		loc := -1
		if a[3] != nil {
			loc = int(*a[3])
		}
		if err := ow.AddWedge(*a[0], *a[1], int(*a[2]), loc); err != nil {
			t.Fatal(err)
		}
		if i == 2 && ow.WFrames() != 35 {
			t.Errorf("wframes %d", ow.WFrames())
		}
	}
	var e struct{ Message string }
	c.Want(t, "omegas_error_before_delete", &e)
	if _, err := ow.Omegas(); err == nil || "'"+err.Error()+"'" != e.Message {
		t.Errorf("mismatch: %v, want %s", err, e.Message)
	}
	var del int
	c.Input(t, "delete", &del)
	ow.DelWedge(del)
	var wedges []wantWedge
	c.Want(t, "wedges", &wedges)
	for i, w := range ow.Wedges() {
		if w.OStart != wedges[i].OStart || w.OStop != wedges[i].OStop || w.NSteps != wedges[i].NSteps {
			t.Errorf("wedge %d = %+v, want %+v", i, w, wedges[i])
		}
	}
	om, err := ow.Omegas()
	if err != nil {
		t.Fatal(err)
	}
	c.CheckFloat64(t, "omegas", om, []int{nf, 2})
	ow36 := NewOmegaWedges(36)
	for _, w := range ow.Wedges() {
		ow36.AddWedge(w.OStart, w.OStop, w.NSteps, -1)
	}
	c.Want(t, "mismatch_error", &e)
	if _, err := ow36.Omegas(); err == nil || "'"+err.Error()+"'" != e.Message {
		t.Errorf("mismatch: %v, want %s", err, e.Message)
	}
	if err := ow.DelWedge(7); err == nil {
		t.Error("delwedge out of range accepted")
	}
	_ = fixture.Tol{}
}
