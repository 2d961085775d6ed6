package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"qpgo/core/qperr"
)

// kv is one key of a JSON object, in document order (meta data keep the
// caller's order, which is the HDF5 attribute creation order).
type kv struct {
	Key   string
	Value json.RawMessage
}

// parseObject parses a JSON object keeping key order. Empty or NULL text is
// an empty object. Keys not in allowed (if non-nil) are UnknownKey errors.
func parseObject(text string, what string, allowed []string) ([]kv, error) {
	text = strings.TrimSpace(text)
	if text == "" || text == "null" {
		return nil, nil
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, argErr("%s must be a JSON object, got %q", what, abbreviate(text))
	}
	var out []kv
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, argErr("%s: invalid JSON: %v", what, err)
		}
		key := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, argErr("%s: invalid JSON value for %q: %v", what, key, err)
		}
		if allowed != nil && !contains(allowed, key) {
			return nil, qperr.New(qperr.UnknownKey, "unknown %s key %q (valid: %s)", what, key, strings.Join(allowed, ", "))
		}
		if seen[key] {
			return nil, argErr("%s: duplicate key %q", what, key)
		}
		seen[key] = true
		out = append(out, kv{key, raw})
	}
	if _, err := dec.Token(); err != nil {
		return nil, argErr("%s: invalid JSON: %v", what, err)
	}
	if dec.More() {
		return nil, argErr("%s: trailing data after the JSON object", what)
	}
	return out, nil
}

func contains(v []string, s string) bool {
	for _, x := range v {
		if x == s {
			return true
		}
	}
	return false
}

func abbreviate(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

// jsonValue converts a JSON value to the Go value stored as an attribute:
// integers (no fraction or exponent) → int64, other numbers → float64,
// strings, booleans, and arrays of numbers → []float64 (or []int64).
func jsonValue(raw json.RawMessage, key string) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, argErr("value of %q: %v", key, err)
	}
	switch x := v.(type) {
	case json.Number:
		return number(x, key)
	case string, bool:
		return x, nil
	case []any:
		if len(x) == 0 {
			return nil, argErr("value of %q: empty array", key)
		}
		ints := true
		for _, e := range x {
			n, ok := e.(json.Number)
			if !ok {
				return nil, argErr("value of %q: arrays must hold numbers", key)
			}
			if strings.ContainsAny(n.String(), ".eE") {
				ints = false
			}
		}
		if ints {
			out := make([]int64, len(x))
			for i, e := range x {
				v, err := e.(json.Number).Int64()
				if err != nil {
					return nil, argErr("value of %q: %v", key, err)
				}
				out[i] = v
			}
			return out, nil
		}
		out := make([]float64, len(x))
		for i, e := range x {
			v, err := e.(json.Number).Float64()
			if err != nil {
				return nil, argErr("value of %q: %v", key, err)
			}
			out[i] = v
		}
		return out, nil
	case nil:
		return nil, argErr("value of %q is null", key)
	}
	return nil, argErr("value of %q: unsupported JSON type", key)
}

func number(n json.Number, key string) (any, error) {
	s := n.String()
	if !strings.ContainsAny(s, ".eE") {
		if v, err := n.Int64(); err == nil {
			return v, nil
		}
	}
	v, err := n.Float64()
	if err != nil {
		return nil, argErr("value of %q: %v", key, err)
	}
	return v, nil
}

// decode unmarshals a JSON option value into v with a clear error.
func decode(raw json.RawMessage, key string, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return argErr("option %q: %v", key, err)
	}
	return nil
}

// typedJSON renders a Go attribute value as {"value": v, "type": t}, the
// typed form the bindings read (types as in the fixtures).
func typedJSON(v any) (map[string]any, error) {
	switch x := v.(type) {
	case float64:
		return map[string]any{"value": jsonFloat(x), "type": "float64"}, nil
	case float32:
		return map[string]any{"value": jsonFloat(float64(x)), "type": "float32"}, nil
	case int64:
		return map[string]any{"value": x, "type": "int64"}, nil
	case uint64:
		return map[string]any{"value": x, "type": "uint64"}, nil
	case bool:
		return map[string]any{"value": x, "type": "bool"}, nil
	case string:
		return map[string]any{"value": x, "type": "str"}, nil
	case []float64:
		out := make([]any, len(x))
		for i, f := range x {
			out[i] = jsonFloat(f)
		}
		return map[string]any{"value": out, "type": fmt.Sprintf("float64[%d]", len(x))}, nil
	case []float32:
		out := make([]any, len(x))
		for i, f := range x {
			out[i] = jsonFloat(float64(f))
		}
		return map[string]any{"value": out, "type": fmt.Sprintf("float32[%d]", len(x))}, nil
	case []int64:
		return map[string]any{"value": x, "type": fmt.Sprintf("int64[%d]", len(x))}, nil
	case []string:
		return map[string]any{"value": x, "type": fmt.Sprintf("str[%d]", len(x))}, nil
	}
	if s, ok := v.(interface{ String() string }); ok {
		// h5.Bytes (fixed-length ASCII) and friends.
		return map[string]any{"value": s.String(), "type": "bytes"}, nil
	}
	return nil, qperr.New(qperr.Unsupported, "cannot represent %T in JSON", v)
}

// jsonFloat keeps NaN and infinities representable (JSON has no literal
// for them): they become the strings "nan", "inf", "-inf".
func jsonFloat(f float64) any {
	switch {
	case f != f:
		return "nan"
	case f > 1.7976931348623157e308:
		return "inf"
	case f < -1.7976931348623157e308:
		return "-inf"
	}
	return f
}
