package qpimage

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"qpgo/core/h5"
)

// typedValue converts a fixture {"value", "type"} pair to the Go value qpgo
// returns for an attribute of that HDF5 type.
func typedValue(t *testing.T, raw json.RawMessage, typ string) any {
	t.Helper()
	switch {
	case typ == "float64":
		var v float64
		json.Unmarshal(raw, &v)
		return v
	case typ == "float32":
		var v float32
		json.Unmarshal(raw, &v)
		return v
	case typ == "int64":
		var v int64
		json.Unmarshal(raw, &v)
		return v
	case typ == "str":
		var v string
		json.Unmarshal(raw, &v)
		return v
	case typ == "bytes":
		var v string
		json.Unmarshal(raw, &v)
		return h5.Bytes(v)
	case typ == "bool":
		var v bool
		json.Unmarshal(raw, &v)
		return v
	case strings.HasPrefix(typ, "float64["):
		var v []float64
		json.Unmarshal(raw, &v)
		return v
	case strings.HasPrefix(typ, "int64["):
		var v []int64
		json.Unmarshal(raw, &v)
		return v
	}
	t.Fatalf("unknown fixture type %q", typ)
	return nil
}

// wantMeta decodes an expected meta object into typed values.
func wantMeta(t *testing.T, raw json.RawMessage) map[string]any {
	var m map[string]struct {
		Value json.RawMessage `json:"value"`
		Type  string          `json:"type"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	for k, v := range m {
		out[k] = typedValue(t, v.Value, v.Type)
	}
	return out
}

// wantInfo decodes an expected info list of [name, value, type] triples.
func wantInfo(t *testing.T, raw json.RawMessage) []InfoItem {
	var rows [][]json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		t.Fatal(err)
	}
	var out []InfoItem
	for _, r := range rows {
		var name, typ string
		json.Unmarshal(r[0], &name)
		json.Unmarshal(r[2], &typ)
		out = append(out, InfoItem{Name: name, Value: typedValue(t, r[1], typ)})
	}
	return out
}

func checkInfo(t *testing.T, label string, got, want []InfoItem) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: info differs\n got %s\nwant %s", label, fmtInfo(got), fmtInfo(want))
	}
}

func fmtInfo(v []InfoItem) string {
	var b strings.Builder
	for _, it := range v {
		fmt.Fprintf(&b, "\n  %q=%#v", it.Name, it.Value)
	}
	return b.String()
}
