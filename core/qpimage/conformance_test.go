package qpimage

import (
	"encoding/json"
	"reflect"
	"sort"
	"testing"

	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/internal/fixture"
)

// caseWhichData reads params.which_data (a string or a list).
func caseWhichData(t *testing.T, c *fixture.Case, key string) WhichData {
	raw, ok := c.Params[key]
	if !ok {
		// Cases without the parameter pass (pha, amp) or pha alone.
		if _, hasAmp := c.Inputs["amp"]; hasAmp {
			return ConvWhichData("phase,amplitude")
		}
		return ConvWhichData("phase")
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return ConvWhichData(s)
	}
	var l []string
	if err := json.Unmarshal(raw, &l); err != nil {
		t.Fatalf("which_data %s", raw)
	}
	return ConvWhichDataList(l)
}

// caseInput builds data and background inputs from a case's input arrays.
func caseInput(t *testing.T, c *fixture.Case, w WhichData) (data, bg *Input) {
	kind, err := w.Kind()
	if err != nil {
		t.Fatal(err)
	}
	load := func(names ...string) *Input {
		in := &Input{WhichData: w}
		for _, n := range names {
			if _, ok := c.Inputs[n]; !ok {
				return nil
			}
			if kind == KindField {
				a := c.Array(t, n)
				v, err := a.Complex128()
				if err != nil {
					t.Fatal(err)
				}
				in.Field, in.Shape = v, a.Shape
				continue
			}
			v, shape := c.Float64(t, n)
			in.Arrays, in.Shape = append(in.Arrays, v), shape
		}
		return in
	}
	switch kind {
	case KindField:
		return load("field"), load("bg_field")
	case KindPhase:
		return load("pha"), load("bg_pha")
	case KindPhaseAmplitude:
		return load("pha", "amp"), load("bg_pha", "bg_amp")
	case KindPhaseIntensity:
		return load("pha", "inten"), nil
	case KindRawOAH, KindHologram:
		return load("holo"), load("bg_holo")
	case KindRawQLSI:
		return load("qlsi"), load("qlsi_ref")
	}
	t.Fatalf("kind %s", kind)
	return nil, nil
}

func caseOptions(t *testing.T, c *fixture.Case) Options {
	o := DefaultOptions()
	if _, ok := c.Params["proc_phase"]; ok {
		c.Param(t, "proc_phase", &o.ProcPhase)
	}
	if _, ok := c.Params["h5dtype"]; ok {
		var s string
		c.Param(t, "h5dtype", &s)
		dt, err := h5.ParseDType(s)
		if err != nil {
			t.Fatal(err)
		}
		o.H5DType = dt
	}
	if _, ok := c.Params["qpretrieve_kw"]; ok {
		c.Param(t, "qpretrieve_kw", &o.QPRetrieveKW)
	}
	if raw, ok := c.Params["meta_data"]; ok {
		o.Meta = orderedMeta(t, raw)
	}
	return o
}

// orderedMeta decodes a JSON object of plain values in document order.
func orderedMeta(t *testing.T, raw json.RawMessage) []imagedata.Attr {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []imagedata.Attr
	for _, k := range keys {
		if _, typed := m[k].(map[string]any); typed {
			t.Fatalf("typed meta in params: use wantMeta")
		}
		out = append(out, imagedata.Attr{Name: k, Value: m[k]})
	}
	return out
}

func newCaseImage(t *testing.T, c *fixture.Case, wkey string) *QPImage {
	w := caseWhichData(t, c, wkey)
	data, bg := caseInput(t, c, w)
	q, err := NewInMemory(data, bg, caseOptions(t, c))
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	return q
}

func TestWhichDataFixtures(t *testing.T) {
	for _, name := range fixture.Names(t, "which_data") {
		t.Run(name, func(t *testing.T) {
			c := fixture.Load(t, name)
			q := newCaseImage(t, c, "which_data")
			defer q.Close()
			checkImage(t, c, q, "")
		})
	}
}

func TestWhichDataNormalisation(t *testing.T) {
	c := fixture.Load(t, "which_data_normalisation")
	var rows []struct {
		Input  json.RawMessage `json:"input"`
		Result json.RawMessage `json:"result"`
		Error  string          `json:"error"`
	}
	c.Want(t, "results", &rows)
	for _, r := range rows {
		var s string
		var l []string
		var got WhichData
		switch {
		case json.Unmarshal(r.Input, &s) == nil:
			got = ConvWhichData(s)
		case json.Unmarshal(r.Input, &l) == nil && l != nil:
			got = ConvWhichDataList(l)
		default:
			continue // None and numbers are the bindings' type checks
		}
		var ws string
		var wl []string
		if json.Unmarshal(r.Result, &ws) == nil {
			if got.Tuple || len(got.Items) != 1 || got.Items[0] != ws {
				t.Errorf("%s -> %+v, want %q", r.Input, got, ws)
			}
		} else if json.Unmarshal(r.Result, &wl) == nil {
			if !got.Tuple || !reflect.DeepEqual(got.Items, wl) {
				t.Errorf("%s -> %+v, want tuple %v", r.Input, got, wl)
			}
		}
	}
}

func TestUnwrapThroughQPImage(t *testing.T) {
	for _, name := range fixture.Names(t, "unwrap") {
		t.Run(name, func(t *testing.T) {
			c := fixture.Load(t, name)
			var indep bool
			c.Want(t, "seed_independent", &indep)
			wrapped, shape := c.Float64(t, "wrapped")
			q, err := NewInMemory(&Input{WhichData: ConvWhichData("phase"), Arrays: [][]float64{wrapped}, Shape: shape}, nil, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			defer q.Close()
			raw, rshape, _ := q.RawPha()
			if indep {
				c.CheckFloat64(t, "raw_pha", raw, rshape)
				return
			}
			// Seed-dependent case: compare where every seed agrees.
			agree := c.ExpectedArray(t, "seed_agree_mask").Data.([]bool)
			want, _ := c.Float64(t, "raw_pha")
			tol := c.Tol(t, "raw_pha")
			for i, ok := range agree {
				if ok && !tol.Close(raw[i], want[i]) {
					t.Fatalf("pixel %d: %v want %v", i, raw[i], want[i])
				}
			}
		})
	}
}

func TestComputeBGFixtures(t *testing.T) {
	for _, name := range fixture.Names(t, "compute_bg") {
		t.Run(name, func(t *testing.T) {
			c := fixture.Load(t, name)
			q := newCaseImage(t, c, "ctor_which_data")
			defer q.Close()
			if name == "bg_clear" {
				runBGClear(t, c, q)
				return
			}
			o := DefaultBGOptions()
			o.WhichData = caseWhichData(t, c, "which_data")
			c.Param(t, "fit_offset", &o.FitOffset)
			c.Param(t, "fit_profile", &o.FitProfile)
			c.Param(t, "border_m", &o.BorderM)
			c.Param(t, "border_perc", &o.BorderPerc)
			c.Param(t, "border_px", &o.BorderPx)
			var fromMask bool
			c.Param(t, "from_mask", &fromMask)
			if fromMask {
				o.FromMask = c.Array(t, "mask").Data.([]bool)
			}
			times := 1
			if name == "bg_compute_twice" {
				times = 2
			}
			var mask []bool
			var err error
			for i := 0; i < times; i++ {
				if mask, err = q.ComputeBG(o); err != nil {
					t.Fatal(err)
				}
			}
			checkImage(t, c, q, "")
			if want := c.ExpectedArray(t, "returned_mask").Data.([]bool); !reflect.DeepEqual(mask, want) {
				t.Errorf("returned mask differs")
			}
			for _, img := range []struct {
				suffix string
				d      *imagedata.ImageData
			}{{"amp", q.amp}, {"pha", q.pha}} {
				if c.Has("bg_fit_" + img.suffix) {
					got, shape, err := img.d.GetBG("fit")
					if err != nil {
						t.Fatal(err)
					}
					c.CheckFloat64(t, "bg_fit_"+img.suffix, got, shape)
				}
				var has bool
				c.Want(t, "has_estimate_bg_from_mask_"+img.suffix, &has)
				if img.d.HasMask() != has {
					t.Errorf("%s: has mask %v, want %v", img.suffix, img.d.HasMask(), has)
				}
			}
		})
	}
}

func runBGClear(t *testing.T, c *fixture.Case, q *QPImage) {
	o := DefaultBGOptions()
	o.WhichData = ConvWhichDataList([]string{"phase", "amplitude"})
	o.BorderPx = 4
	if _, err := q.ComputeBG(o); err != nil {
		t.Fatal(err)
	}
	if _, err := q.ClearBG(ConvWhichData("phase"), []string{"fit"}); err != nil {
		t.Fatal(err)
	}
	if _, err := q.ClearBG(ConvWhichData("amplitude"), []string{"data"}); err != nil {
		t.Fatal(err)
	}
	checkImage(t, c, q, "")
	for _, img := range []struct {
		name string
		d    *imagedata.ImageData
	}{{"phase", q.pha}, {"amplitude", q.amp}} {
		var want []string
		c.Want(t, img.name+"_bg_keys", &want)
		got, _ := img.d.BGKeys()
		if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("%s bg keys %v want %v", img.name, got, want)
		}
	}
}

func TestSliceFixture(t *testing.T) {
	c := fixture.Load(t, "qpimage_slice")
	q := newCaseImage(t, c, "")
	defer q.Close()
	if err := q.SetMeta("wavelength", 550e-9); err != nil {
		t.Fatal(err)
	}
	if err := q.SetMeta("identifier", "sl"); err != nil {
		t.Fatal(err)
	}
	o := DefaultBGOptions()
	o.WhichData, o.BorderPx = ConvWhichDataList([]string{"phase", "amplitude"}), 3
	if _, err := q.ComputeBG(o); err != nil {
		t.Fatal(err)
	}
	s, err := q.Slice(Range{Start: 3, Stop: -4, Step: 1, HasStart: true, HasStop: true},
		Range{Start: 5, Stop: 17, Step: 1, HasStart: true, HasStop: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkImage(t, c, s, "")
	var keys []string
	c.Want(t, "bg_keys", &keys)
	if got, _ := s.pha.BGKeys(); !reflect.DeepEqual(got, keys) {
		t.Errorf("bg keys %v want %v", got, keys)
	}
}

func TestOAHFixtures(t *testing.T) {
	for _, name := range fixture.Names(t, "oah") {
		t.Run(name, func(t *testing.T) {
			c := fixture.Load(t, name)
			q := newCaseImage(t, c, "which_data")
			defer q.Close()
			checkImage(t, c, q, "")
		})
	}
}

func TestRefocusFixtures(t *testing.T) {
	for _, name := range fixture.Names(t, "refocus") {
		t.Run(name, func(t *testing.T) {
			c := fixture.Load(t, name)
			a := c.Array(t, "field")
			f, _ := a.Complex128()
			opt := DefaultOptions()
			var meta map[string]any
			c.Param(t, "meta_data", &meta)
			for _, k := range []string{"wavelength", "pixel size", "medium index", "time", "identifier"} {
				opt.Meta = append(opt.Meta, imagedata.Attr{Name: k, Value: meta[k]})
			}
			q, err := NewInMemory(&Input{WhichData: ConvWhichData("field"), Field: f, Shape: a.Shape}, nil, opt)
			if err != nil {
				t.Fatal(err)
			}
			defer q.Close()
			ro := DefaultRefocusOptions()
			var d float64
			c.Param(t, "distance", &d)
			c.Param(t, "kernel", &ro.Kernel)
			c.Param(t, "padding", &ro.Padding)
			r, err := q.Refocus(d, ro)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			checkImage(t, c, r, "")
			var id string
			c.Want(t, "identifier", &id)
			if r.Identifier() != id {
				t.Errorf("identifier %q want %q", r.Identifier(), id)
			}
		})
	}
}

func TestQLSIFixtures(t *testing.T) {
	for _, name := range fixture.Names(t, "qlsi") {
		t.Run(name, func(t *testing.T) {
			c := fixture.Load(t, name)
			q := newCaseImage(t, c, "which_data")
			defer q.Close()
			checkImage(t, c, q, "")
			var keys []string
			c.Want(t, "bg_keys", &keys)
			if got, _ := q.pha.BGKeys(); len(got) != len(keys) {
				t.Errorf("bg keys %v want %v (the reference is consumed)", got, keys)
			}
		})
	}
}
