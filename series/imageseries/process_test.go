package imageseries

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"qpgo/core/qperr"
	"qpgo/internal/fixture"
	"qpgo/internal/npy"
)

type procCall struct {
	Process struct {
		Base      string              `json:"base"`
		OpList    [][]json.RawMessage `json:"oplist"`
		FrameList []int               `json:"frame_list"`
	} `json:"process"`
}

func parseOps(t *testing.T, c *isCase, raw [][]json.RawMessage) []Op {
	t.Helper()
	var ops []Op
	for _, o := range raw {
		var key string
		json.Unmarshal(o[0], &key)
		var ref struct{ Npy string }
		var data any
		switch key {
		case "flip":
			var s string
			json.Unmarshal(o[1], &s)
			data = s
		case "rectangle":
			var r [2][2]int
			json.Unmarshal(o[1], &r)
			data = r
		case "add-row", "add-column":
			var i int
			json.Unmarshal(o[1], &i)
			data = i
		default:
			var f float64
			var pair []float64
			switch {
			case json.Unmarshal(o[1], &f) == nil:
				data = f
			case json.Unmarshal(o[1], &pair) == nil:
				data = pair
			case json.Unmarshal(o[1], &ref) == nil && ref.Npy != "":
				data = readNpyT(t, c.Path(ref.Npy))
			default:
				t.Fatalf("op data %s", o[1])
			}
		}
		ops = append(ops, Op{key, data})
	}
	return ops
}

func TestProcessed(t *testing.T) {
	for _, name := range caseNames(t, "process") {
		t.Run(name, func(t *testing.T) {
			c := load(t, name)
			var call procCall
			json.Unmarshal(c.Call, &call)
			meta := inputMeta(t, c)
			var base ImageSeries = arrayFrom(t, c, "frames", meta)
			if call.Process.Base == "frame-cache" {
				fc, err := OpenFrameCache(c.Path("base.npz"), "npz")
				if err != nil {
					t.Fatal(err)
				}
				base = fc
				// our writer gives the same base
				var th float64
				c.Input(t, "threshold", &th)
				out := filepath.Join(t.TempDir(), "base.npz")
				if err := WriteFrameCache(arrayFrom(t, c, "frames", meta), out, FrameCacheOptions{Threshold: th, Warn: func(string) {}}); err != nil {
					t.Fatal(err)
				}
				ours, _ := OpenFrameCache(out, "npz")
				for i := 0; i < fc.Len(); i++ {
					a, _ := fc.Frame(i)
					b, _ := ours.Frame(i)
					if fmt.Sprint(a.Data) != fmt.Sprint(b.Data) {
						t.Errorf("written base frame %d differs", i)
					}
				}
			}
			ops := parseOps(t, c, call.Process.OpList)
			ps, err := NewProcessed(base, ops, call.Process.FrameList, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkMeta(t, c, ps.Metadata())
			if name == "process_dark_int_wraparound" {
				checkDarkNoWrap(t, c, base, ops[0].Data.(*npy.Array), ps)
				return
			}
			checkSeries(t, c, ps)
			if c.Has("fancy_index") {
				var fi struct {
					Index      int
					Rows, Cols json.RawMessage
				}
				c.Want(t, "fancy_index", &fi)
				p, err := Points(ps, fi.Index, flatInts(t, fi.Rows), flatInts(t, fi.Cols))
				if err != nil {
					t.Fatal(err)
				}
				want := readNpyT(t, c.Path("expected_fancy.npy"))
				want.Shape = []int{want.Len()}
				checkFrame1(t, c, "fancy_index", p, want, fixture.Tol{Exact: true})
			}
			// I6: Region works on processed series and they nest.
			f0, _ := ps.Frame(0)
			r, err := GetRegion(ps, 0, Rect{1, 3, 0, 2})
			if err != nil || fmt.Sprint(r.Data) != fmt.Sprint(f0.Sub(Rect{1, 3, 0, 2}).Data) {
				t.Errorf("Region on processed series: %v", err)
			}
			nested, err := NewProcessed(ps, []Op{{"rectangle", Rect{0, 2, 0, 2}}}, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			n0, err := nested.Frame(0)
			if err != nil || fmt.Sprint(n0.Data) != fmt.Sprint(f0.Sub(Rect{0, 2, 0, 2}).Data) {
				t.Errorf("nested processed series: %v", err)
			}
		})
	}
}

// checkDarkNoWrap: I4 — our result is max(img - dark, 0) without wrap-around;
// it equals upstream wherever upstream did not wrap.
func checkDarkNoWrap(t *testing.T, c *isCase, base ImageSeries, dark *npy.Array, ps *Processed) {
	want := c.Expect(t, "frames").Data.([]uint16)
	dv := dark.Data.([]uint16)
	np := len(dv)
	wrapped := 0
	for i := 0; i < ps.Len(); i++ {
		f, err := ps.Frame(i)
		if err != nil {
			t.Fatal(err)
		}
		if f.DType() != Uint16 {
			t.Fatalf("dtype %v", f.DType())
		}
		img, _ := base.Frame(i)
		for k, v := range f.Data.([]uint16) {
			x := img.Data.([]uint16)[k]
			if x >= dv[k] {
				if v != want[i*np+k] {
					t.Fatalf("frame %d px %d: %d, upstream %d", i, k, v, want[i*np+k])
				}
			} else {
				wrapped++
				if v != 0 {
					t.Fatalf("frame %d px %d: %d, want 0 (no wrap-around)", i, k, v)
				}
			}
		}
	}
	if wrapped == 0 {
		t.Error("fixture has no wrapped pixel; the I4 check is vacuous")
	}
}

func TestProcessedErrors(t *testing.T) {
	base, _ := NewArray([]uint16{1, 2, 3, 4, 5, 6, 7, 8}, []int{2, 2, 2}, Metadata{"omega": &npy.Array{Shape: []int{2, 2}, Data: []float64{0, 1, 1, 2}}})
	if _, err := NewProcessed(base, []Op{{"nope", 1}}, nil, nil); !qperr.Is(err, qperr.UnknownKey) {
		t.Errorf("unknown op: %v", err)
	}
	if _, err := NewProcessed(base, nil, []int{0, 5}, nil); err == nil {
		t.Error("frame list out of range accepted")
	}
	if _, err := NewProcessed(base, []Op{{"dark", Frame{1, 1, []uint16{1}}}}, nil, nil); err == nil {
		t.Error("dark of wrong shape accepted")
	}
	if _, err := NewProcessed(base, []Op{{"flip", 3}}, nil, nil); err == nil {
		t.Error("non-string flip accepted")
	}
	if _, err := NewProcessed(base, []Op{{"add-row", 5}}, nil, nil); err == nil {
		t.Error("add-row out of range accepted")
	}
	// custom op (addop), dark on uint8 with uint8 dark clamps (I4), add on uint8 gives float32
	double := func(f Frame, _ any) (Frame, error) {
		g := f.AsType(Float64)
		for i := range g.Data.([]float64) {
			g.Data.([]float64)[i] *= 2
		}
		return g, nil
	}
	ps, err := NewProcessed(base, []Op{{"twice", nil}}, []int{-1}, map[string]OpFunc{"twice": double})
	if err != nil {
		t.Fatal(err)
	}
	f, _ := ps.Frame(0)
	if fmt.Sprint(f.Data) != "[10 12 14 16]" || ps.Len() != 1 {
		t.Errorf("custom op: %v", f.Data)
	}
	if om := ps.Metadata()["omega"].(*npy.Array); fmt.Sprint(om.Data) != "[1 2]" {
		t.Errorf("omega subset %v", om.Data)
	}
	if om := base.Metadata()["omega"].(*npy.Array); fmt.Sprint(om.Data) != "[0 1 1 2]" {
		t.Errorf("base metadata modified: %v", om.Data)
	}
	u8, _ := NewArray([]uint8{10, 0}, []int{1, 2}, nil)
	p2, _ := NewProcessed(u8, []Op{{"dark", Frame{1, 2, []uint8{4, 4}}}, {"add", 5.5}}, nil, nil)
	g, _ := p2.Frame(0)
	if fmt.Sprint(g.Data) != "[11.5 5.5]" || g.DType() != Float32 {
		t.Errorf("uint8 dark+add: %v %v", g.Data, g.DType())
	}
}
