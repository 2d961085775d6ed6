package h5

import (
	"path/filepath"
	"reflect"
	"testing"
)

func TestNDAttributesAndStringDatasets(t *testing.T) {
	f, err := Open(filepath.Join(t.TempDir(), "nd.h5"), "w")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a := f.Root().Attrs()
	omega := []float64{0, 1, 1, 2, 2, 3}
	if err := a.SetArray("omega", omega, []int{3, 2}); err != nil {
		t.Fatal(err)
	}
	if err := a.SetArray("intarr", []int32{1, 2, 3}, []int{3}); err != nil {
		t.Fatal(err)
	}
	if err := a.SetArray("names", []Bytes{"ab", "c"}, []int{2}); err != nil {
		t.Fatal(err)
	}
	if err := a.SetArray("bad", []float64{1}, []int{2, 2}); err == nil {
		t.Fatal("size mismatch accepted")
	}
	for name, want := range map[string]struct {
		data  any
		shape []int
	}{"omega": {omega, []int{3, 2}}, "intarr": {[]int32{1, 2, 3}, []int{3}}, "names": {[]Bytes{"ab", "c"}, []int{2}}} {
		got, shape, err := a.GetArray(name)
		if err != nil || !reflect.DeepEqual(got, want.data) || !reflect.DeepEqual(shape, want.shape) {
			t.Fatalf("%s: %#v %v %v", name, got, shape, err)
		}
	}
	if err := a.Set("s", "text"); err != nil {
		t.Fatal(err)
	}
	if got, shape, err := a.GetArray("s"); err != nil || !reflect.DeepEqual(got, []string{"text"}) || len(shape) != 0 {
		t.Fatalf("scalar string: %#v %v %v", got, shape, err)
	}
	if err := f.Root().WriteStringASCII("dtype", "uint16"); err != nil {
		t.Fatal(err)
	}
	if err := f.Root().WriteString("panel", "détecteur"); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"dtype": "uint16", "panel": "détecteur"} {
		if got, err := f.Root().ReadString(name); err != nil || got != want {
			t.Fatalf("%s: %q %v", name, got, err)
		}
	}
	if _, err := f.Root().ReadString("missing"); err == nil {
		t.Fatal("missing dataset")
	}
}
