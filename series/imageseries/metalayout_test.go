package imageseries

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"qpgo/core/h5"
)

type attrLayout struct {
	DType  string `json:"dtype"`
	Shape  []int  `json:"shape"`
	String *struct {
		Encoding string `json:"encoding"`
		Length   *int   `json:"length"`
	} `json:"string"`
}

// checkAttrLayout compares the attributes of group path in file with the
// fixture's file_layout (dtype, shape, fixed/variable string width).
func checkAttrLayout(t *testing.T, c *isCase, file, path string) {
	t.Helper()
	var lay map[string]struct {
		Attrs map[string]attrLayout `json:"attrs"`
	}
	c.Want(t, "file_layout", &lay)
	gp := "/" + strings.Trim(path, "/")
	want, ok := lay[gp]
	if !ok {
		t.Fatalf("%s: no layout for %s", c.Name, gp)
	}
	f, err := h5.Open(file, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := f.Root().Group(path)
	if err != nil {
		t.Fatal(err)
	}
	names, _ := g.Attrs().Names()
	sort.Strings(names)
	var wn []string
	for k := range want.Attrs {
		wn = append(wn, k)
	}
	sort.Strings(wn)
	if fmt.Sprint(names) != fmt.Sprint(wn) {
		t.Errorf("%s: attributes %v, want %v", c.Name, names, wn)
	}
	for k, w := range want.Attrs {
		data, shape, err := g.Attrs().GetArray(k)
		if err != nil {
			t.Errorf("%s: attribute %s: %v", c.Name, k, err)
			continue
		}
		var dt string
		switch d := data.(type) {
		case []h5.Bytes:
			n := 1
			for _, s := range d {
				n = max(n, len(s))
			}
			dt = fmt.Sprintf("|S%d", n)
		case []string:
			dt = "|O"
		default:
			dt = h5.DTypeOf(d).String()
			if dt == fromCode(npyCode(w.DType)) {
				dt = w.DType
			}
		}
		if dt != w.DType || fmt.Sprint(shape) != fmt.Sprint(w.Shape) {
			t.Errorf("%s: attribute %s is %s %v, want %s %v", c.Name, k, dt, shape, w.DType, w.Shape)
		}
	}
}

// checkFCH5MetaLayout compares /dtype and the /metadata datasets of an
// fch5 file with the fixture's file_layout.
func checkFCH5MetaLayout(t *testing.T, c *isCase, file string) {
	t.Helper()
	var lay map[string]json.RawMessage
	c.Want(t, "file_layout", &lay)
	f, err := h5.Open(file, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for p, raw := range lay {
		if p != "/dtype" && !strings.HasPrefix(p, "/metadata") {
			continue
		}
		var e struct {
			Kind  string `json:"kind"`
			DType string `json:"dtype"`
		}
		json.Unmarshal(raw, &e)
		if f.Root().Kind(p) == h5.NoObject {
			t.Errorf("%s: %s missing", c.Name, p)
			continue
		}
		if e.Kind != "dataset" {
			continue
		}
		checkDatasetLayout(t, c, file, p)
		if e.DType == "|O" {
			if _, err := f.Root().ReadString(p); err != nil {
				t.Errorf("%s: %s: %v", c.Name, p, err)
			}
		}
	}
}
