package qpimage

import (
	"encoding/json"
	"reflect"
	"testing"

	"qpgo/internal/fixture"
	"qpgo/internal/fixture/qptest"
)

// checkImage compares every property of q with the expected arrays of a
// case; prefix selects member entries of series cases ("member0_").
func checkImage(t *testing.T, c *fixture.Case, q *QPImage, prefix string) {
	t.Helper()
	c.CheckGetters(t, prefix, map[string]func() ([]float64, []int, error){
		"raw_pha": q.RawPha, "raw_amp": q.RawAmp, "bg_pha": q.BgPha, "bg_amp": q.BgAmp,
		"pha": q.Pha, "amp": q.Amp,
	}, true)
	if c.Has(prefix + "storage_dtype") {
		var want string
		c.Want(t, prefix+"storage_dtype", &want)
		if dt, err := q.DType(); err != nil || dt.String() != want {
			t.Errorf("dtype %v (%v), want %s", dt, err, want)
		}
	}
	if c.Has(prefix + "shape") {
		var want []int
		c.Want(t, prefix+"shape", &want)
		if s, _ := q.Shape(); !reflect.DeepEqual(s, want) {
			t.Errorf("shape %v want %v", s, want)
		}
	}
	if c.Has(prefix + "meta") {
		qptest.CheckMeta(t, c.Name, q, c.Expected[prefix+"meta"])
	}
	if c.Has(prefix + "info") {
		info, err := q.Info()
		if err != nil {
			t.Fatal(err)
		}
		qptest.CheckInfo(t, c.Name, info, qptest.WantInfo(t, c.Expected[prefix+"info"]))
	}
	if c.Has(prefix + "repr") {
		var want string
		c.Want(t, prefix+"repr", &want)
		if got := q.Repr(); got != want {
			t.Errorf("repr %q want %q", got, want)
		}
	}
	for _, img := range []struct {
		name string
		get  func(string) ([]float64, []int, error)
	}{{"amplitude", q.amp.GetBG}, {"phase", q.pha.GetBG}} {
		for _, key := range []string{"data", "fit"} {
			name := prefix + img.name + "_bg_" + key
			if !c.Has(name) {
				continue
			}
			got, shape, err := img.get(key)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			c.CheckFloat64(t, name, got, shape)
		}
	}
	if c.Has(prefix + "phase_estimate_bg_from_mask") {
		m, shape, err := q.pha.Mask()
		if err != nil || m == nil {
			t.Fatalf("mask: %v", err)
		}
		want := c.ExpectedArray(t, prefix+"phase_estimate_bg_from_mask")
		if !reflect.DeepEqual(m, want.Data) || !reflect.DeepEqual(shape, want.Shape) {
			t.Errorf("mask differs")
		}
	}
}

// TestReadUpstreamFiles opens every QPImage file written by upstream
// qpimage and compares all properties with the expected values.
func TestReadUpstreamFiles(t *testing.T) {
	for _, name := range fixture.Names(t, "hdf5_qpimage") {
		t.Run(name, func(t *testing.T) {
			c := fixture.Load(t, name)
			var file string
			c.Want(t, "file", &file)
			q, err := Open(c.Path(file), "r")
			if err != nil {
				t.Fatal(err)
			}
			defer q.Close()
			checkImage(t, c, q, "")
		})
	}
}

// TestReadUpstreamSeriesMembers reads the members of the upstream series
// file as QPImages in their groups (QPSeries itself is another issue).
func TestReadUpstreamSeriesMembers(t *testing.T) {
	c := fixture.Load(t, "h5_qpseries")
	var file string
	c.Want(t, "file", &file)
	q, err := Open(c.Path(file), "r")
	if err == nil {
		q.Close()
	}
	for i, prefix := range []string{"member0_", "member1_", "member2_"} {
		f, err := openGroupImage(c.Path(file), "qpi_"+string(rune('0'+i)))
		if err != nil {
			t.Fatal(err)
		}
		checkImage(t, c, f, prefix)
		f.G.File().Close()
	}
	var ids []string
	c.Want(t, "member_identifiers", &ids)
	_ = json.RawMessage{}
}
