package qpseries

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"qpgo/core/qpimage"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/meta"
)

// typedValue converts a fixture {"value", "type"} pair to the Go value qpgo
// returns for an attribute of that HDF5 type (as in core/qpimage tests).
func typedValue(t *testing.T, raw json.RawMessage, typ string) any {
	t.Helper()
	var err error
	var out any
	switch {
	case typ == "float64":
		var v float64
		err = json.Unmarshal(raw, &v)
		out = v
	case typ == "float32":
		var v float32
		err = json.Unmarshal(raw, &v)
		out = v
	case typ == "int64":
		var v int64
		err = json.Unmarshal(raw, &v)
		out = v
	case typ == "str":
		var v string
		err = json.Unmarshal(raw, &v)
		out = v
	case typ == "bytes":
		var v string
		err = json.Unmarshal(raw, &v)
		out = h5.Bytes(v)
	case typ == "bool":
		var v bool
		err = json.Unmarshal(raw, &v)
		out = v
	case strings.HasPrefix(typ, "float64["):
		var v []float64
		err = json.Unmarshal(raw, &v)
		out = v
	default:
		t.Fatalf("unknown fixture type %q", typ)
	}
	if err != nil {
		t.Fatalf("fixture value %s (%s): %v", raw, typ, err)
	}
	return out
}

func wantMeta(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
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

type InfoItem = qpimage.InfoItem

func wantInfo(t *testing.T, raw json.RawMessage) []InfoItem {
	t.Helper()
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

func metaMap(t *testing.T, f interface{ Meta() (*meta.Dict, error) }) map[string]any {
	t.Helper()
	m, err := f.Meta()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for _, k := range m.Keys() {
		got[k], _ = m.Get(k)
	}
	return got
}

func checkInfo(t *testing.T, label string, got, want []InfoItem) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		var b strings.Builder
		for _, it := range got {
			fmt.Fprintf(&b, "\n  %q=%#v", it.Name, it.Value)
		}
		t.Errorf("%s: info differs, got %s\nwant %#v", label, b.String(), want)
	}
}

// typedMetaAttrs converts a fixture meta object to ordered attributes
// (JSON object order).
func typedMetaAttrs(t *testing.T, raw json.RawMessage) []imagedata.Attr {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatal("meta is not an object")
	}
	var out []imagedata.Attr
	for dec.More() {
		tok, _ := dec.Token()
		var v struct {
			Value json.RawMessage `json:"value"`
			Type  string          `json:"type"`
		}
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, imagedata.Attr{Name: tok.(string), Value: typedValue(t, v.Value, v.Type)})
	}
	return out
}

// h5dumpHP returns `h5dump -H -p` of a file without its first line, with
// data-dependent offsets and compressed sizes masked.
func h5dumpHP(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("h5dump", "-H", "-p", path).Output()
	if err != nil {
		t.Fatalf("h5dump %s: %v (install hdf5-tools)", path, err)
	}
	out = out[bytes.IndexByte(out, '\n')+1:]
	return dataDependent.ReplaceAllString(string(out), "<data-dependent>")
}

var dataDependent = regexp.MustCompile(`OFFSET \d+|SIZE \d+ \([0-9.]+:1 COMPRESSION\)`)

func lineDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out strings.Builder
	n := 0
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			fmt.Fprintf(&out, "line %d:\n  want: %s\n  got:  %s\n", i+1, w, g)
			if n++; n > 8 {
				break
			}
		}
	}
	return out.String()
}

// layoutEntry is one object of a fixture <stem>_layout.json.
type layoutEntry struct {
	Path            string `json:"path"`
	Type            string `json:"type"`
	Target          string `json:"target"`
	Dtype           string `json:"dtype"`
	Shape           []int  `json:"shape"`
	Layout          string `json:"layout"`
	Chunks          []int  `json:"chunks"`
	Compression     string `json:"compression"`
	CompressionOpts int    `json:"compression_opts"`
	Fletcher32      bool   `json:"fletcher32"`
	Shuffle         bool   `json:"shuffle"`
	LinkCount       int    `json:"link_count"`
	Attrs           []struct {
		Name   string          `json:"name"`
		Value  json.RawMessage `json:"value"`
		H5Type struct {
			Class    string `json:"class"`
			Variable bool   `json:"variable"`
			Size     int    `json:"size"`
			Shape    []int  `json:"shape"`
		} `json:"h5type"`
	} `json:"attrs"`
}

// checkLayout compares the objects below root with a layout json: kinds,
// hard links (same object as the target), dataset type, shape, layout,
// chunks, filters, link counts, attribute names, types and values.
// Compressed sizes are data dependent and not compared.
func checkLayout(t *testing.T, root *h5.Group, layoutJSON []byte) {
	t.Helper()
	var entries []layoutEntry
	if err := json.Unmarshal(layoutJSON, &entries); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Path] = true
		switch e.Type {
		case "group":
			if root.Kind(e.Path) != h5.GroupKind {
				t.Errorf("%s: not a group", e.Path)
				continue
			}
		case "hardlink":
			a, err1 := root.Info(e.Path)
			b, err2 := root.Info(e.Target)
			if err1 != nil || err2 != nil || a.Addr != b.Addr || a.RefCount < 2 {
				t.Errorf("%s: not a hard link to %s (%+v %+v %v %v)", e.Path, e.Target, a, b, err1, err2)
			}
			continue
		case "dataset":
			info, err := root.DatasetInfo(e.Path)
			if err != nil {
				t.Errorf("%s: %v", e.Path, err)
				continue
			}
			want := map[string]h5.DType{"<f4": h5.Float32, "<f8": h5.Float64, "|b1": h5.Bool}[e.Dtype]
			if info.DType != want || !reflect.DeepEqual(info.Shape, e.Shape) || info.Layout != e.Layout ||
				!reflect.DeepEqual(info.Chunks, e.Chunks) {
				t.Errorf("%s: %v, want %s %v %s %v", e.Path, info, e.Dtype, e.Shape, e.Layout, e.Chunks)
			}
			var deflate, fletcher, shuffle = -1, false, false
			for _, f := range info.Filters {
				switch f.ID {
				case h5.FilterDeflate:
					deflate = int(f.Params[0])
				case h5.FilterFletcher32:
					fletcher = true
				case h5.FilterShuffle:
					shuffle = true
				}
			}
			wantDeflate := -1
			if e.Compression == "gzip" {
				wantDeflate = e.CompressionOpts
			}
			if deflate != wantDeflate || fletcher != e.Fletcher32 || shuffle != e.Shuffle {
				t.Errorf("%s: filters %v, want gzip %d fletcher32 %v shuffle %v", e.Path, info.Filters, wantDeflate, e.Fletcher32, e.Shuffle)
			}
			if li, err := root.Info(e.Path); err != nil || li.RefCount != e.LinkCount {
				t.Errorf("%s: link count %d (%v), want %d", e.Path, li.RefCount, err, e.LinkCount)
			}
		default:
			t.Errorf("%s: unknown layout type %q", e.Path, e.Type)
			continue
		}
		a := root.AttrsOf(e.Path)
		names, err := a.Names()
		if err != nil {
			t.Errorf("%s: %v", e.Path, err)
			continue
		}
		var wantNames []string
		for _, at := range e.Attrs {
			wantNames = append(wantNames, at.Name)
			got, err := a.Get(at.Name)
			if err != nil {
				t.Errorf("%s@%s: %v", e.Path, at.Name, err)
				continue
			}
			var want any
			switch {
			case at.H5Type.Class == "string" && at.H5Type.Variable:
				want = typedValue(t, at.Value, "str")
			case at.H5Type.Class == "string":
				want = typedValue(t, at.Value, "bytes")
			case at.H5Type.Class == "float" && at.H5Type.Size == 8 && len(at.H5Type.Shape) == 0:
				want = typedValue(t, at.Value, "float64")
			case at.H5Type.Class == "integer" && len(at.H5Type.Shape) == 0:
				want = typedValue(t, at.Value, "int64")
			default:
				t.Errorf("%s@%s: unhandled type %+v", e.Path, at.Name, at.H5Type)
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s@%s = %#v, want %#v", e.Path, at.Name, got, want)
			}
		}
		if !reflect.DeepEqual(names, wantNames) && !(len(names) == 0 && len(wantNames) == 0) {
			t.Errorf("%s: attrs %v, want %v", e.Path, names, wantNames)
		}
	}
	// Nothing beyond the listed objects.
	var walk func(g *h5.Group)
	walk = func(g *h5.Group) {
		keys, _ := g.Keys()
		for _, k := range keys {
			p := g.Join(k)
			if !seen[p] {
				t.Errorf("%s: not in the upstream layout", p)
			}
			if g.Kind(k) == h5.GroupKind {
				sub, _ := g.Group(k)
				walk(sub)
			}
		}
	}
	walk(root)
}
