package imageseries

import (
	"encoding/json"
	"strings"

	"qpgo/core/qperr"
	"qpgo/internal/npy"
)

// OpKeys are the built-in processing operations (Op.Key), in hexrd's order.
var OpKeys = []string{"dark", "flip", "rectangle", "add", "gauss_laplace", "add-row", "add-column"}

// FrameOf resolves a reference to a frame of another series ({"frame_of":
// handle, "index": i} in ParseOps): the C ABI passes a lookup of its handles.
type FrameOf func(series int64, index int) (Frame, error)

// ParseOps parses a list of processing operations given as text, a JSON
// array of [name, args] pairs, into Ops. Args: "dark": a 2-d nested number
// list or {"frame_of": series, "index": i} (frame i, default 0, of another
// series, looked up through frameOf); "flip": a code string; "rectangle":
// [[r0, r1], [c0, c1]]; "add": a number, a 2-d list or {"frame_of": ...};
// "gauss_laplace": sigma or [s0, s1]; "add-row"/"add-column": an integer
// index. Empty text or "null" is no operation.
func ParseOps(text string, frameOf FrameOf) ([]Op, error) {
	text = strings.TrimSpace(text)
	if text == "" || text == "null" {
		return nil, nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		return nil, qperr.New(qperr.BadArgument, "ops must be a JSON array of [name, args] pairs: %v", err)
	}
	ops := make([]Op, 0, len(raw))
	for k, r := range raw {
		var pair []json.RawMessage
		if err := json.Unmarshal(r, &pair); err != nil || len(pair) != 2 {
			return nil, qperr.New(qperr.BadArgument, "ops[%d] must be a [name, args] pair", k)
		}
		var name string
		if err := json.Unmarshal(pair[0], &name); err != nil {
			return nil, qperr.New(qperr.BadArgument, "ops[%d]: the name must be a string", k)
		}
		data, err := opArg(name, pair[1], k, frameOf)
		if err != nil {
			return nil, err
		}
		ops = append(ops, Op{Key: name, Data: data})
	}
	return ops, nil
}

func opArg(name string, raw json.RawMessage, k int, frameOf FrameOf) (any, error) {
	argErr := func(format string, args ...any) error {
		return qperr.New(qperr.BadArgument, format, args...)
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, argErr("ops[%d] (%s): invalid JSON: %v", k, name, err)
	}
	switch name {
	case "flip":
		s, ok := v.(string)
		if !ok {
			return nil, argErr("ops[%d]: flip needs a code string", k)
		}
		return s, nil
	case "rectangle":
		var r [2][2]int
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, argErr("ops[%d]: rectangle needs [[r0, r1], [c0, c1]]", k)
		}
		return r, nil
	case "add-row", "add-column":
		var i int
		if err := json.Unmarshal(raw, &i); err != nil {
			return nil, argErr("ops[%d]: %s needs an integer index", k, name)
		}
		return i, nil
	case "gauss_laplace":
		if n, ok := v.(json.Number); ok {
			f, _ := n.Float64()
			return f, nil
		}
		var p []float64
		if err := json.Unmarshal(raw, &p); err != nil || len(p) != 2 {
			return nil, argErr("ops[%d]: gauss_laplace needs sigma or [s0, s1]", k)
		}
		return p, nil
	case "dark", "add":
		if n, ok := v.(json.Number); ok && name == "add" {
			f, _ := n.Float64()
			return f, nil
		}
		if m, ok := v.(map[string]any); ok {
			for key := range m {
				if key != "frame_of" && key != "index" {
					return nil, qperr.New(qperr.UnknownKey, "ops[%d] (%s): unknown key %q (valid: frame_of, index)", k, name, key)
				}
			}
			hn, ok := m["frame_of"].(json.Number)
			if !ok {
				return nil, argErr("ops[%d] (%s): frame_of must be a series handle", k, name)
			}
			hv, err := hn.Int64()
			if err != nil {
				return nil, argErr("ops[%d] (%s): frame_of must be a series handle", k, name)
			}
			idx := int64(0)
			if in, ok := m["index"].(json.Number); ok {
				if idx, err = in.Int64(); err != nil {
					return nil, argErr("ops[%d] (%s): index must be an integer", k, name)
				}
			}
			if frameOf == nil {
				return nil, argErr("ops[%d] (%s): frame_of cannot be resolved here", k, name)
			}
			return frameOf(hv, int(idx))
		}
		meta, err := ParseMetadataJSON([]byte(`{"x":` + string(raw) + `}`))
		if err != nil {
			return nil, argErr("ops[%d] (%s): %v", k, name, err)
		}
		a, ok := meta["x"].(*npy.Array)
		if !ok || len(a.Shape) != 2 {
			return nil, argErr("ops[%d] (%s): needs a 2-d number list or {\"frame_of\": handle}", k, name)
		}
		return a, nil
	}
	return nil, qperr.New(qperr.UnknownKey, "ops[%d]: unknown operation %q (valid: %s)", k, name, strings.Join(OpKeys, ", "))
}
