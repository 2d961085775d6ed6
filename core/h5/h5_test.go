package h5

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"qpgo/core/qperr"
)

func TestModes(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.h5")
	if _, err := Open(p, "r"); !qperr.Is(err, qperr.IO) {
		t.Fatalf("r on missing file: %v", err)
	}
	if _, err := Open(p, "q"); !qperr.Is(err, qperr.BadArgument) {
		t.Fatalf("bad mode: %v", err)
	}
	f, err := Open(p, "w-")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Root().Attrs().Set("x", 1.5); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := Open(p, "x"); !qperr.Is(err, qperr.IO) {
		t.Fatalf("x on existing file: %v", err)
	}
	f, err = Open(p, "r")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Root().Attrs().Set("y", 1.0); !qperr.Is(err, qperr.IO) {
		t.Fatalf("write in mode r: %v", err)
	}
	v, err := f.Root().Attrs().Get("x")
	if err != nil || v != 1.5 {
		t.Fatalf("Get: %v %v", v, err)
	}
	f.Close()
	if err := f.Root().Attrs().Set("y", 1.0); err == nil {
		t.Fatal("write to closed file")
	}
	f, err = Open(p, "a")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	f, err = Open(p, "w")
	if err != nil {
		t.Fatal(err)
	}
	if f.Root().Attrs().Has("x") {
		t.Fatal("mode w must truncate")
	}
	f.Close()
}

func TestNotHDF5AndTruncated(t *testing.T) {
	dir := t.TempDir()
	txt := filepath.Join(dir, "t.h5")
	os.WriteFile(txt, []byte("hello, not hdf5"), 0o644)
	if _, err := Open(txt, "r"); !qperr.Is(err, qperr.IO) {
		t.Fatalf("text file: %v", err)
	}
	good := filepath.Join(dir, "g.h5")
	f, _ := Open(good, "w")
	g, _ := f.Root().RequireGroup("phase")
	data := make([]float32, 64*64)
	for i := range data {
		data[i] = float32(i)
	}
	if err := g.CreateDataset("raw", Float32, []int{64, 64}, data, CreateOptions{Chunks: []int{64, 64}, Compress: true, Deflate: 9, Fletcher32: true}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	b, _ := os.ReadFile(good)
	trunc := filepath.Join(dir, "trunc.h5")
	os.WriteFile(trunc, b[:len(b)/2], 0o644)
	f, err := Open(trunc, "r")
	if err == nil {
		// libhdf5 may open a truncated file; reading must then fail cleanly.
		_, _, err = f.Root().ReadFloat64("phase/raw")
		f.Close()
	}
	if err == nil {
		t.Fatal("truncated file read without error")
	}
}

func TestAttributesRoundTrip(t *testing.T) {
	f, err := CreateInMemory("attrs.h5")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a := f.Root().Attrs()
	vals := map[string]any{
		"f64": 1.25, "f32": float32(0.5), "i64": int64(-3), "s": "héllo", "b": true,
		"fixed": Bytes("IMAGE"), "arr": []float64{8, 9.5}, "iarr": []int64{1, 2}, "sarr": []string{"a", "bc"},
	}
	for k, v := range vals {
		if err := a.Set(k, v); err != nil {
			t.Fatalf("Set %s: %v", k, err)
		}
	}
	// Overwrite with another type.
	if err := a.Set("i64", "now a string"); err != nil {
		t.Fatal(err)
	}
	vals["i64"] = "now a string"
	names, err := a.Names()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"arr", "b", "f32", "f64", "fixed", "i64", "iarr", "s", "sarr"}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("names %v", names)
	}
	for k, v := range vals {
		got, err := a.Get(k)
		if err != nil || !reflect.DeepEqual(got, v) {
			t.Fatalf("Get %s = %#v, %v; want %#v", k, got, err, v)
		}
	}
	if _, err := a.Get("missing"); !qperr.Is(err, qperr.NotFound) {
		t.Fatalf("missing attr: %v", err)
	}
	if err := a.Set("bad", struct{}{}); !qperr.Is(err, qperr.BadArgument) {
		t.Fatalf("bad type: %v", err)
	}
	if err := a.Delete("s"); err != nil || a.Has("s") {
		t.Fatalf("Delete: %v", err)
	}
}

func TestDatasetsLinksInMemory(t *testing.T) {
	f, err := CreateInMemory("d.h5")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if !f.IsCoreDriver() {
		t.Fatal("expected core driver")
	}
	g, _ := f.Root().RequireGroup("qpi_0/phase/bg_data")
	if err := g.CreateDataset("data", Float64, []int{2, 3}, []float64{1, 2, 3, 4, 5, 6}, CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := g.CreateDataset("data", Float64, []int{1}, []float64{1}, CreateOptions{}); err == nil {
		t.Fatal("duplicate dataset")
	}
	if err := g.CreateDataset("short", Float64, []int{2, 3}, []float64{1}, CreateOptions{}); !qperr.Is(err, qperr.BadArgument) {
		t.Fatalf("short data: %v", err)
	}
	info, err := g.DatasetInfo("data")
	if err != nil || info.Layout != "contiguous" || len(info.Filters) != 0 || !reflect.DeepEqual(info.Shape, []int{2, 3}) {
		t.Fatalf("info %v %v", info, err)
	}
	g2, _ := f.Root().RequireGroup("qpi_1/phase/bg_data")
	if err := g2.HardLink("/qpi_0/phase/bg_data/data", "data"); err != nil {
		t.Fatal(err)
	}
	li, _ := g2.Info("data")
	li0, _ := g.Info("data")
	if li.RefCount != 2 || li.Addr != li0.Addr {
		t.Fatalf("hard link info %+v %+v", li, li0)
	}
	v, shape, err := g2.ReadFloat64("data")
	if err != nil || v[5] != 6 || shape[1] != 3 {
		t.Fatalf("read via link: %v %v", v, err)
	}
	out := make([]float32, 3)
	if err := g2.ReadSlab("data", []int{1, 0}, []int{1, 3}, out); err != nil || out[0] != 4 {
		t.Fatalf("slab %v %v", out, err)
	}
	if err := g2.ReadSlab("data", []int{1, 0}, []int{2, 3}, make([]float32, 6)); !qperr.Is(err, qperr.BadArgument) {
		t.Fatalf("slab out of range: %v", err)
	}
	keys, _ := f.Root().Keys()
	if !reflect.DeepEqual(keys, []string{"qpi_0", "qpi_1"}) {
		t.Fatalf("keys %v", keys)
	}
	if err := g.Delete("data"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := g2.ReadFloat64("data"); err != nil {
		t.Fatalf("linked data gone after deleting the other link: %v", err)
	}
	if _, _, err := g.ReadFloat64("data"); !qperr.Is(err, qperr.NotFound) {
		t.Fatalf("deleted: %v", err)
	}
}

func TestKind(t *testing.T) {
	f, err := CreateInMemory("k.h5")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, _ := f.Root().RequireGroup("a/b")
	if err := g.CreateDataset("d", Float64, []int{1}, []float64{1}, CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	r := f.Root()
	for p, want := range map[string]ObjKind{
		"/": GroupKind, "a": GroupKind, "/a/b": GroupKind, "a/b/": GroupKind, "a/b/d": DatasetKind,
		"x": NoObject, "x/y/z": NoObject, "a/x/d": NoObject, "a/b/d/e": NoObject, "a/b/dd": NoObject,
	} {
		if got := r.Kind(p); got != want {
			t.Errorf("Kind(%q) = %v, want %v", p, got, want)
		}
	}
	if a, _ := r.Group("a"); a.Kind("b/d") != DatasetKind || !a.Has("b") || a.Has("c") {
		t.Error("relative Kind/Has from a subgroup")
	}
}
