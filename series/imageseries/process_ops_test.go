package imageseries

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"qpgo/core/qperr"
	"qpgo/internal/npy"
)

func TestParseOps(t *testing.T) {
	dark := Frame{1, 2, []uint16{3, 4}}
	var asked [2]int64
	frameOf := func(h int64, i int) (Frame, error) {
		asked = [2]int64{h, int64(i)}
		return dark, nil
	}
	ops, err := ParseOps(`[["flip", "v"], ["rectangle", [[0, 2], [1, 3]]], ["add", 1.5], ["gauss_laplace", [1, 2]],
		["add-row", -1], ["dark", {"frame_of": 7, "index": 2}], ["add", [[1, 2], [3, 4]]]]`, frameOf)
	if err != nil {
		t.Fatal(err)
	}
	want := []Op{{"flip", "v"}, {"rectangle", [2][2]int{{0, 2}, {1, 3}}}, {"add", 1.5}, {"gauss_laplace", []float64{1, 2}},
		{"add-row", -1}, {"dark", dark}}
	if !reflect.DeepEqual(ops[:6], want) || asked != [2]int64{7, 2} {
		t.Fatalf("ops %v, frame_of asked %v", ops, asked)
	}
	if a, ok := ops[6].Data.(*npy.Array); !ok || !reflect.DeepEqual(a.Shape, []int{2, 2}) {
		t.Fatalf("add array: %#v", ops[6].Data)
	}
	// every parsed op is accepted by NewProcessed
	base, _ := NewArray([]uint16{1, 2, 3, 4, 5, 6}, []int{2, 3}, nil)
	if _, err := NewProcessed(base, ops[:5], nil, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		text string
		kind qperr.Kind
		msg  string
	}{
		{`[["blur", 1]]`, qperr.UnknownKey, `unknown operation "blur" (valid: dark, flip, rectangle, add, gauss_laplace, add-row, add-column)`},
		{`{"flip": "v"}`, qperr.BadArgument, "ops must be a JSON array"},
		{`[["flip"]]`, qperr.BadArgument, "ops[0] must be a [name, args] pair"},
		{`[["flip", 1]]`, qperr.BadArgument, "flip needs a code string"},
		{`[["dark", {"frame_of": 1, "x": 0}]]`, qperr.UnknownKey, `unknown key "x"`},
		{`[["dark", [1, 2]]]`, qperr.BadArgument, "needs a 2-d number list"},
	} {
		_, err := ParseOps(c.text, frameOf)
		var qe *qperr.Error
		if err == nil || !errors.As(err, &qe) || qe.Kind != c.kind || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %v", c.text, err)
		}
	}
	if ops, err := ParseOps(" null ", nil); err != nil || ops != nil {
		t.Errorf("null: %v %v", ops, err)
	}
}

func TestParseOptionsDeclaredKeys(t *testing.T) {
	o, err := ParseOpenOptions("hdf5", `{"path": "/imgs", "dataname": "x"}`, "open option")
	if err != nil || o["path"] != "/imgs" || o["dataname"] != "x" {
		t.Fatalf("%v %v", o, err)
	}
	o, err = ParseWriteOptions("frame-cache", `{"threshold": 2, "style": "npz"}`, "write option")
	if err != nil || o["threshold"] != 2.0 {
		t.Fatalf("%v %v", o, err)
	}
	if o, err := ParseOpenOptions("raw-image", "", "open option"); err != nil || o == nil || len(o) != 0 {
		t.Fatalf("empty: %v %v", o, err)
	}
	for _, c := range []struct {
		format, text, msg string
		write             bool
		kind              qperr.Kind
	}{
		{"hdf5", `{"gzip": 1}`, `unknown open option key "gzip" (valid: path, dataname, max_alloc_bytes)`, false, qperr.UnknownKey},
		{"raw-image", `{"x": 1}`, `unknown open option key "x"`, false, qperr.UnknownKey},
		{"array", `{}`, "unknown image series format 'array' (valid: frame-cache, hdf5, image-files, raw-image", false, qperr.UnknownKey},
		{"raw-image", `{}`, "unknown image series format 'raw-image' (valid: frame-cache, hdf5)", true, qperr.UnknownKey},
		{"hdf5", `[1]`, "must be a JSON object", false, qperr.BadArgument},
		{"hdf5", `{"path": "a", "path": "b"}`, `duplicate key "path"`, false, qperr.BadArgument},
		{"hdf5", `{"path": "a"} x`, "trailing data", false, qperr.BadArgument},
	} {
		parse := ParseOpenOptions
		if c.write {
			parse = ParseWriteOptions
		}
		_, err := parse(c.format, c.text, "open option")
		var qe *qperr.Error
		if err == nil || !errors.As(err, &qe) || qe.Kind != c.kind || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s %s: %v", c.format, c.text, err)
		}
	}
}

func TestStatByName(t *testing.T) {
	s, _ := NewArray([]uint16{1, 5, 3, 2}, []int{2, 1, 2}, nil)
	r, err := Stat(s, "max", 0, 0)
	if err != nil || !reflect.DeepEqual(r.Data, []uint16{3, 5}) {
		t.Fatalf("max: %v %v", r, err)
	}
	if _, err := Stat(s, "mode", 0, 0); err == nil || !strings.Contains(err.Error(), "valid: max, min, average, sum, median, percentile") {
		t.Errorf("mode: %v", err)
	}
}
