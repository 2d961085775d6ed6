package h5

import (
	"path/filepath"
	"reflect"
	"testing"
)

// ReadDatasetTemp gives what ReadDataset gives, for single filtered chunks
// (decoded into pooled buffers) and for every other layout, and a buffer
// given back is reused without touching data read before.
func TestReadDatasetTemp(t *testing.T) {
	p := filepath.Join(t.TempDir(), "t.h5")
	f, err := Open(p, "w")
	if err != nil {
		t.Fatal(err)
	}
	f32 := make([]float32, 300)
	f64 := make([]float64, 300)
	i16 := make([]int16, 300)
	for i := range f32 {
		f32[i], f64[i], i16[i] = float32(i)*0.5, float64(i)*-0.25, int16(i-150)
	}
	one := func(chunks []int) CreateOptions {
		return CreateOptions{Chunks: chunks, Compress: true, Deflate: 4, Fletcher32: true}
	}
	r := f.Root()
	for _, c := range []struct {
		name string
		data any
		opt  CreateOptions
	}{
		{"f32", f32, one([]int{15, 20})},
		{"f64", f64, one([]int{15, 20})},
		{"i16", i16, one([]int{15, 20})},
		{"f32chunks", f32, one([]int{5, 20})}, // three chunks: libhdf5 reads it
		{"f32plain", f32, CreateOptions{}},
	} {
		if err := r.CreateDataset(c.name, DTypeOf(c.data), []int{15, 20}, c.data, c.opt); err != nil {
			t.Fatal(c.name, err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	f, err = Open(p, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r = f.Root()
	for round := 0; round < 2; round++ {
		var kept []any
		for _, name := range []string{"f32", "f64", "i16", "f32chunks", "f32plain"} {
			want, wshape, err := r.ReadDataset(name)
			if err != nil {
				t.Fatal(err)
			}
			got, shape, done, err := r.ReadDatasetTemp(name)
			if err != nil || done == nil {
				t.Fatalf("%s: %v (done %v)", name, err, done != nil)
			}
			if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(shape, wshape) {
				t.Errorf("%s: ReadDatasetTemp differs from ReadDataset", name)
			}
			done()
			kept = append(kept, want)
		}
		// the buffers given back were reused above; data of ReadDataset is its own
		if !reflect.DeepEqual(kept[0], f32) || !reflect.DeepEqual(kept[1], f64) || !reflect.DeepEqual(kept[2], i16) {
			t.Error("data read with ReadDataset changed after buffers were reused")
		}
	}
	if _, _, _, err := r.ReadDatasetTemp("missing"); err == nil {
		t.Error("missing dataset: no error")
	}
}
