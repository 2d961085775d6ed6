package imageseries

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"qpgo/internal/fixture"
	"qpgo/internal/npy"
)

func readNpyT(t testing.TB, path string) *npy.Array {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, err := npy.Decode(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return a
}

// arrayFrom builds an array series from an npy array in the case folder.
func arrayFrom(t *testing.T, c *isCase, name string, meta Metadata) *ArraySeries {
	t.Helper()
	a := c.Array(t, name)
	s, err := NewArray(a.Data, a.Shape, meta)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// typedMeta decodes the fixtures' {"type": ..., "value": ...} encoding.
func typedMeta(t *testing.T, c *isCase, raw json.RawMessage) any {
	t.Helper()
	var v struct {
		Type  string          `json:"type"`
		Value json.RawMessage `json:"value"`
		Npy   string          `json:"npy"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	switch v.Type {
	case "ndarray":
		return readNpyT(t, c.Path(v.Npy))
	case "str":
		var s string
		json.Unmarshal(v.Value, &s)
		return s
	case "float":
		var f float64
		json.Unmarshal(v.Value, &f)
		return f
	case "int":
		var i int64
		json.Unmarshal(v.Value, &i)
		return i
	case "list":
		var items []json.RawMessage
		json.Unmarshal(v.Value, &items)
		out := make([]any, len(items))
		for k, it := range items {
			out[k] = typedMeta(t, c, it)
		}
		return out
	}
	t.Fatalf("unhandled typed value %s", v.Type)
	return nil
}

func inputMeta(t *testing.T, c *isCase) Metadata {
	t.Helper()
	var m map[string]json.RawMessage
	c.Input(t, "metadata", &m)
	out := Metadata{}
	for k, v := range m {
		out[k] = typedMeta(t, c, v)
	}
	return out
}

func checkMeta(t *testing.T, c *isCase, got Metadata) {
	t.Helper()
	var m map[string]json.RawMessage
	c.Want(t, "metadata", &m)
	if len(m) != len(got) {
		t.Errorf("%s: metadata keys %v, want %d keys", c.Name, keys(got), len(m))
	}
	for k, raw := range m {
		want := typedMeta(t, c, raw)
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: metadata %q missing", c.Name, k)
			continue
		}
		if !sameValue(g, want) {
			t.Errorf("%s: metadata %q = %#v, want %#v", c.Name, k, g, want)
		}
	}
}

func keys(m Metadata) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func sameValue(g, w any) bool {
	switch wv := w.(type) {
	case *npy.Array:
		ga, ok := g.(*npy.Array)
		if !ok || fmt.Sprint(ga.Shape) != fmt.Sprint(wv.Shape) {
			return false
		}
		if ws, ok := wv.Data.([]string); ok {
			gs, ok := ga.Data.([]string)
			return ok && fmt.Sprint(gs) == fmt.Sprint(ws) && ga.DType[:1] == wv.DType[:1]
		}
		if npy.DTypeOf(ga.Data) != npy.DTypeOf(wv.Data) {
			return false
		}
		gf, _ := ga.Float64()
		wf, _ := wv.Float64()
		return fmt.Sprint(gf) == fmt.Sprint(wf)
	case []any:
		gl, ok := g.([]any)
		if !ok || len(gl) != len(wv) {
			return false
		}
		for i := range wv {
			if !sameValue(gl[i], wv[i]) {
				return false
			}
		}
		return true
	}
	return fmt.Sprint(g) == fmt.Sprint(w)
}

// stack concatenates frames for comparison with an expected (n, r, c) array.
func stack(frames []Frame) ([]float64, []int) {
	var out []float64
	for _, f := range frames {
		out = append(out, f.Float64()...)
	}
	if len(frames) == 0 {
		return out, []int{0}
	}
	return out, []int{len(frames), frames[0].Rows, frames[0].Cols}
}

func allFrames(t *testing.T, s ImageSeries) []Frame {
	t.Helper()
	var out []Frame
	for i := 0; i < s.Len(); i++ {
		f, err := s.Frame(i)
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		out = append(out, f)
	}
	return out
}

// npyCode strips the byte order of a numpy dtype string ("<u2" -> "u2").
func npyCode(s string) string { return strings.TrimLeft(s, "<>|=") }

func checkSeries(t *testing.T, c *isCase, s ImageSeries) {
	t.Helper()
	var n int
	var shape []int
	var dt string
	c.Want(t, "len", &n)
	c.Want(t, "shape", &shape)
	c.Want(t, "dtype", &dt)
	if s.Len() != n || fmt.Sprint(s.Shape()) != fmt.Sprint(shape) || s.DType().Code() != npyCode(dt) {
		t.Errorf("%s: len %d shape %v dtype %s, want %d %v %s", c.Name, s.Len(), s.Shape(), s.DType().Code(), n, shape, dt)
	}
	if c.Has("frames") {
		frames := allFrames(t, s)
		got, gs := stack(frames)
		c.CheckFloat64(t, "frames", got, gs)
		want := c.Expect(t, "frames")
		for i, f := range frames {
			if f.DType().Code() != want.DType {
				t.Errorf("%s: frame %d dtype %s, want %s", c.Name, i, f.DType().Code(), want.DType)
			}
		}
	}
}

func checkFrame1(t *testing.T, c *isCase, label string, f Frame, want *npy.Array, tol fixture.Tol) {
	t.Helper()
	wf, err := want.Float64()
	if err != nil {
		t.Fatal(err)
	}
	ws := want.Shape
	gs := []int{f.Rows, f.Cols}
	if len(ws) == 1 {
		gs = []int{f.Rows * f.Cols}
	}
	fixture.CompareFloat64(t, c.Name+"/"+label, tol, f.Float64(), gs, wf, ws)
	if f.DType().Code() != want.DType {
		t.Errorf("%s/%s: dtype %s, want %s", c.Name, label, f.DType().Code(), want.DType)
	}
}

func flatInts(t *testing.T, raw json.RawMessage) []int {
	t.Helper()
	var nested [][]int
	if err := json.Unmarshal(raw, &nested); err == nil {
		var out []int
		for _, r := range nested {
			out = append(out, r...)
		}
		return out
	}
	var flat []int
	if err := json.Unmarshal(raw, &flat); err != nil {
		t.Fatal(err)
	}
	return flat
}

func almost(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }
