package imageseries

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"qpgo/core/h5"
	"qpgo/core/qperr"
	"qpgo/internal/fixture"
	"qpgo/internal/npy"
)

// typedMetaH5 extends typedMeta with the numpy scalar types h5py returns:
// numpy.bytes_ → Bytes, numpy.<number> → the Go scalar of its dtype.
func typedMetaH5(t *testing.T, c *isCase, raw json.RawMessage) any {
	t.Helper()
	var v struct {
		Type  string          `json:"type"`
		DType string          `json:"dtype"`
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	switch {
	case v.Type == "numpy.bytes_":
		var s string
		json.Unmarshal(v.Value, &s)
		return Bytes(s)
	case v.Type == "numpy.bool_":
		var b bool
		json.Unmarshal(v.Value, &b)
		return b
	case strings.HasPrefix(v.Type, "numpy."):
		var f json.Number
		dec := json.NewDecoder(strings.NewReader(string(v.Value)))
		dec.UseNumber()
		if err := dec.Decode(&f); err != nil {
			t.Fatalf("%s: %v", v.Type, err)
		}
		fv, _ := f.Float64()
		iv, _ := f.Int64()
		switch npyCode(v.DType) {
		case "f8":
			return fv
		case "f4":
			return float32(fv)
		case "i8":
			return iv
		case "i4":
			return int32(iv)
		case "i2":
			return int16(iv)
		case "i1":
			return int8(iv)
		case "u8":
			u, _ := strconv.ParseUint(f.String(), 10, 64)
			return u
		case "u4":
			return uint32(iv)
		case "u2":
			return uint16(iv)
		case "u1":
			return uint8(iv)
		}
		t.Fatalf("unknown numpy scalar %s %s", v.Type, v.DType)
	case v.Type == "dict":
		var m map[string]json.RawMessage
		json.Unmarshal(v.Value, &m)
		out := map[string]any{}
		for k, e := range m {
			out[k] = typedMetaH5(t, c, e)
		}
		return out
	}
	return typedMeta(t, c, raw)
}

func metaFromJSON(t *testing.T, c *isCase, m map[string]json.RawMessage) Metadata {
	out := Metadata{}
	for k, v := range m {
		out[k] = typedMetaH5(t, c, v)
	}
	return out
}

// sameMeta compares metadata exactly: Go types of scalars, arrays by
// dtype, shape and values (floats bit for bit), nested maps key by key.
func sameMeta(got, want any) bool {
	switch w := want.(type) {
	case *npy.Array:
		g, ok := got.(*npy.Array)
		if !ok || fmt.Sprint(g.Shape) != fmt.Sprint(w.Shape) || fmt.Sprintf("%T", g.Data) != fmt.Sprintf("%T", w.Data) {
			return false
		}
		if _, ok := w.Data.([]string); ok {
			return g.DType == w.DType && fmt.Sprintf("%q", g.Data) == fmt.Sprintf("%q", w.Data)
		}
		if npy.DTypeOf(g.Data) != npy.DTypeOf(w.Data) {
			return false
		}
		return fmt.Sprintf("%#v", g.Data) == fmt.Sprintf("%#v", w.Data)
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			if gm, ok2 := got.(Metadata); ok2 {
				g, ok = map[string]any(gm), true
			}
		}
		if !ok || len(g) != len(w) {
			return false
		}
		for k := range w {
			if !sameMeta(g[k], w[k]) {
				return false
			}
		}
		return true
	}
	return fmt.Sprintf("%T %#v", got, got) == fmt.Sprintf("%T %#v", want, want)
}

func checkMetaH5(t *testing.T, c *isCase, got Metadata) {
	t.Helper()
	var m map[string]json.RawMessage
	c.Want(t, "metadata", &m)
	want := metaFromJSON(t, c, m)
	if len(want) != len(got) {
		t.Errorf("%s: metadata keys %v, want %d", c.Name, keys(got), len(want))
	}
	for k, w := range want {
		if !sameMeta(got[k], w) {
			t.Errorf("%s: metadata %q = %#v, want %#v", c.Name, k, got[k], w)
		}
	}
}

type layoutEntry struct {
	Kind     string
	DType    string
	Shape    []int
	MaxShape []int `json:"maxshape"`
	Chunks   []int
	Filters  []struct {
		ID        int    `json:"id"`
		CdValues  []uint `json:"cd_values"`
		FilterNam string `json:"name"`
	}
}

// checkDatasetLayout compares one dataset of a file with file_layout.
func checkDatasetLayout(t *testing.T, c *isCase, file, dpath string) {
	t.Helper()
	var lay map[string]layoutEntry
	c.Want(t, "file_layout", &lay)
	want, ok := lay[dpath]
	if !ok {
		t.Fatalf("%s: no layout for %s", c.Name, dpath)
	}
	f, err := h5.Open(file, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, err := f.Root().DatasetInfo(dpath)
	if err != nil {
		t.Fatal(err)
	}
	if want.DType != "|O" && info.DType.String() != fromCode(npyCode(want.DType)) {
		t.Errorf("%s %s: dtype %v, want %s", c.Name, dpath, info.DType, want.DType)
	}
	if fmt.Sprint(info.Shape) != fmt.Sprint(want.Shape) || fmt.Sprint(info.MaxShape) != fmt.Sprint(want.MaxShape) {
		t.Errorf("%s %s: shape %v/%v, want %v/%v", c.Name, dpath, info.Shape, info.MaxShape, want.Shape, want.MaxShape)
	}
	if fmt.Sprint(info.Chunks) != fmt.Sprint(want.Chunks) && !(info.Chunks == nil && want.Chunks == nil) {
		t.Errorf("%s %s: chunks %v, want %v", c.Name, dpath, info.Chunks, want.Chunks)
	}
	var gf, wf []string
	for _, fl := range info.Filters {
		gf = append(gf, fmt.Sprint(fl.ID, fl.Params))
	}
	for _, fl := range want.Filters {
		wf = append(wf, fmt.Sprint(fl.ID, fl.CdValues))
	}
	if fmt.Sprint(gf) != fmt.Sprint(wf) {
		t.Errorf("%s %s: filters %v, want %v", c.Name, dpath, gf, wf)
	}
}

func fromCode(code string) string {
	for d := Uint8; d <= Float64; d++ {
		if d.Code() == code {
			return d.String()
		}
	}
	return code
}

func checkRegion(t *testing.T, c *isCase, s ImageSeries) {
	t.Helper()
	var reg struct {
		Frame  int
		Region [2][2]int
		Result string
	}
	c.Want(t, "get_region", &reg)
	r, err := GetRegion(s, reg.Frame, Rect{reg.Region[0][0], reg.Region[0][1], reg.Region[1][0], reg.Region[1][1]})
	if err != nil {
		t.Fatal(err)
	}
	checkFrame1(t, c, "get_region", r, readNpyT(t, c.Path(reg.Result)), fixture.Tol{Exact: true})
}

func TestHDF5Fixtures(t *testing.T) {
	for _, name := range caseNames(t, "hdf5") {
		t.Run(name, func(t *testing.T) {
			c := load(t, name)
			var call struct {
				Write map[string]any
				Open  map[string]any
			}
			json.Unmarshal(c.Call, &call)
			path := call.Open["path"].(string)
			dpath := strings.TrimSuffix(path, "/") + "/images"
			if !strings.HasPrefix(dpath, "/") {
				dpath = "/" + dpath
			}
			// the file written by hexrd
			s, err := Open(c.Path("ims.h5"), "hdf5", Options{"path": path})
			if err != nil {
				t.Fatal(err)
			}
			defer s.(*HDF5Series).Close()
			checkSeries(t, c, s)
			checkMetaH5(t, c, s.Metadata())
			checkRegion(t, c, s)
			checkDatasetLayout(t, c, c.Path("ims.h5"), dpath)

			// the same series written by qpgo
			var inMeta map[string]json.RawMessage
			c.Input(t, "metadata", &inMeta)
			src := arrayFrom(t, c, "frames", metaFromJSON(t, c, inMeta))
			opts := Options{}
			for k, v := range call.Write {
				switch k {
				case "fmt", "fname":
				case "compression":
					b := v.(map[string]any)["hdf5plugin.Blosc"]
					opts[k] = map[string]any{"blosc": b}
				default:
					opts[k] = v
				}
			}
			out := filepath.Join(t.TempDir(), "ims.h5")
			err = Write(src, out, "hdf5", opts)
			if err != nil {
				t.Fatal(err)
			}
			s2, err := Open(out, "hdf5", Options{"path": path})
			if err != nil {
				t.Fatal(err)
			}
			defer s2.(*HDF5Series).Close()
			checkSeries(t, c, s2)
			checkDatasetLayout(t, c, out, dpath)
			checkMetaH5(t, c, s2.Metadata())
			checkAttrLayout(t, c, out, path)
		})
	}
}

func TestHDF5ReadForeign(t *testing.T) {
	for _, name := range caseNames(t, "hdf5-read") {
		t.Run(name, func(t *testing.T) {
			c := load(t, name)
			var call struct{ Open map[string]any }
			json.Unmarshal(c.Call, &call)
			s, err := Open(c.Path("foreign.h5"), "hdf5", Options{"path": call.Open["path"], "dataname": call.Open["dataname"]})
			if err != nil {
				t.Fatal(err)
			}
			defer s.(*HDF5Series).Close()
			checkSeries(t, c, s)
			checkMetaH5(t, c, s.Metadata())
			if c.Has("index_1_error") {
				if _, err := s.Frame(1); !qperr.Is(err, qperr.NotFound) {
					t.Errorf("frame 1 of a 2-d dataset: %v", err)
				}
			}
		})
	}
}

func TestHDF5Errors(t *testing.T) {
	c := load(t, "errors_write_open")
	want := func(k string) string {
		var e struct{ Type, Message string }
		c.Want(t, k, &e)
		return e.Message
	}
	src, _ := NewArray(make([]uint16, 40), []int{2, 4, 5}, nil)
	dir := t.TempDir()
	out := filepath.Join(dir, "x.h5")
	if err := Write(src, out, "hdf5", Options{"path": "x", "gzip": 10}); !qperr.Is(err, qperr.BadArgument) || err.Error() != want("hdf5_gzip_10") {
		t.Errorf("gzip 10: %v", err)
	}
	if err := Write(src, out, "hdf5", nil); !qperr.Is(err, qperr.NotFound) || !strings.Contains(err.Error(), want("hdf5_no_path")) {
		t.Errorf("no path: %v", err)
	}
	strMeta, _ := NewArray(make([]uint16, 40), []int{2, 4, 5}, Metadata{"name": "abc"})
	if err := Write(strMeta, out, "hdf5", Options{"path": "x"}); !qperr.Is(err, qperr.BadArgument) || !strings.Contains(err.Error(), want("hdf5_python_str_metadata")) {
		t.Errorf("str metadata: %v", err)
	}
	if err := Write(src, out, "hdf5", Options{"path": "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(out, "hdf5", nil); !qperr.Is(err, qperr.NotFound) || !strings.Contains(err.Error(), want("hdf5_open_no_path")) {
		t.Errorf("open without path: %v", err)
	}
	if _, err := Open(out, "hdf5", Options{"path": "x", "dataname": "nope"}); !qperr.Is(err, qperr.NotFound) || !strings.Contains(err.Error(), "object 'nope' doesn't exist") {
		t.Errorf("bad dataname: %v (want %s)", err, want("hdf5_open_bad_dataname"))
	}
	// writer defaults on the spec's float32 3×5×7 series
	f32, _ := NewArray(make([]float32, 3*5*7), []int{3, 5, 7}, nil)
	if err := Write(f32, out, "hdf5", Options{"path": "imageseries"}); err != nil {
		t.Fatal(err)
	}
	f, _ := h5.Open(out, "r")
	info, err := f.Root().DatasetInfo("imageseries/images")
	f.Close()
	if err != nil || fmt.Sprint(info.Chunks) != "[1 5 7]" || len(info.Filters) != 2 || info.Filters[0].ID != 2 || info.Filters[1].ID != 1 || info.Filters[1].Params[0] != 1 {
		t.Errorf("defaults: %v %v", info, err)
	}
}

// TestHDF5PrefilteredRoundTrip writes the default (pre-filtered) layout
// for several dtypes, including incompressible data stored with the deflate
// filter skipped, and reads it back with libhdf5's filters.
func TestHDF5PrefilteredRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	dir := t.TempDir()
	for _, dt := range []DType{Uint8, Uint16, Int32, Float32, Float64} {
		for _, noisy := range []bool{false, true} {
			n, r, c := 3, 17, 23
			f := make([]float64, n*r*c)
			for i := range f {
				if noisy {
					f[i] = float64(rng.Intn(int(min(dt.Max(), 1<<30))))
				} else {
					f[i] = float64(i % 7)
				}
			}
			src, _ := NewArray(fromFloat64(f, dt), []int{n, r, c}, nil)
			out := filepath.Join(dir, fmt.Sprintf("%v_%v.h5", dt, noisy))
			if err := Write(src, out, "hdf5", Options{"path": "x"}); err != nil {
				t.Fatal(err)
			}
			s, err := Open(out, "hdf5", Options{"path": "x"})
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < n; i++ {
				a, _ := src.Frame(i)
				b, err := s.Frame(i)
				if err != nil || !sameFrame(a, b) {
					t.Fatalf("%v noisy=%v frame %d differs (%v)", dt, noisy, i, err)
				}
			}
			s.(*HDF5Series).Close()
		}
	}
}
