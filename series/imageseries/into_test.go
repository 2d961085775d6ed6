package imageseries

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"qpgo/core/h5"
	"qpgo/core/qperr"
)

// intoStack is a 5-frame 7×9 series of dt: mostly zeros and small values,
// a few large (kept by the frame caches), some negative for signed types.
func intoStack(t *testing.T, dt DType) *ArraySeries {
	t.Helper()
	const n, r, c = 5, 7, 9
	v := make([]float64, n*r*c)
	for k := range v {
		switch {
		case k%11 == 0:
			v[k] = float64(50 + k%70)
		case k%7 == 0 && !dt.IsUnsigned():
			v[k] = -3
		default:
			v[k] = float64(k % 3)
		}
	}
	s, err := NewArray(fromFloat64(v, dt), []int{n, r, c}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var intoDTypes = []DType{Uint8, Int8, Uint16, Int16, Uint32, Int32, Uint64, Int64, Float32, Float64}

// intoSources opens every kind of source of src's frames.
func intoSources(t *testing.T, src *ArraySeries) map[string]ImageSeries {
	t.Helper()
	dir := t.TempDir()
	out := map[string]ImageSeries{"array": src}
	npz := filepath.Join(dir, "c.npz")
	if err := WriteFrameCache(src, npz, FrameCacheOptions{Threshold: 10, Warn: func(string) {}}); err != nil {
		t.Fatal(err)
	}
	fc, err := OpenFrameCache(npz, "npz")
	if err != nil {
		t.Fatal(err)
	}
	out["npz"] = fc
	fch5 := filepath.Join(dir, "c.fch5")
	if err := WriteFrameCache(src, fch5, FrameCacheOptions{Threshold: 10, Style: "fch5", Warn: func(string) {}}); err != nil {
		t.Fatal(err)
	}
	if out["fch5"], err = OpenFrameCache(fch5, "fch5"); err != nil {
		t.Fatal(err)
	}
	for name, o := range map[string]HDF5WriteOptions{
		"hdf5":       {Path: "ims", Gzip: 1, Shuffle: true}, // chunks decoded in Go
		"hdf5-rows":  {Path: "ims", Gzip: 1, ChunkRows: 3},  // libhdf5 hyperslabs
		"hdf5-plain": {Path: "ims"},
	} {
		p := filepath.Join(dir, name+".h5")
		if err := WriteHDF5(src, p, o); err != nil {
			t.Fatal(err)
		}
		if out[name], err = OpenHDF5(p, "ims", "images"); err != nil {
			t.Fatal(err)
		}
	}
	if out["framelist"], err = NewProcessed(out["hdf5"], nil, []int{4, 0, 2, 2}, nil); err != nil {
		t.Fatal(err)
	}
	if out["processed"], err = NewProcessed(fc, []Op{{"flip", "v"}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if out["function"], err = NewFunction(src.Frame, src.Len(), nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, s := range out {
			closeSeries(s)
		}
	})
	return out
}

func TestReadFrameIntoEqualsFrame(t *testing.T) {
	for _, dt := range intoDTypes {
		for name, s := range intoSources(t, intoStack(t, dt)) {
			t.Run(fmt.Sprintf("%s/%s", dt, name), func(t *testing.T) {
				checkReadFrameInto(t, s)
			})
		}
	}
}

func checkReadFrameInto(t *testing.T, s ImageSeries) {
	t.Helper()
	n, sh, dt := s.Len(), s.Shape(), s.DType()
	np := sh[0] * sh[1]
	dst := newData(dt, np)
	// twice forward (sequential: read-ahead), then backward, then negative
	var order []int
	for range 2 {
		for i := range n {
			order = append(order, i)
		}
	}
	for i := n - 1; i >= 0; i-- {
		order = append(order, i)
	}
	for i := -n; i < 0; i++ {
		order = append(order, i)
	}
	for k, i := range order {
		// poison dst: every element must be written
		copyInto(dst, 0, fromFloat64(constF64(np, 77), dt))
		if err := ReadFrameInto(s, i, dst); err != nil {
			t.Fatalf("ReadFrameInto(%d): %v", i, err)
		}
		want, err := s.Frame(i)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(dst, want.Data) {
			t.Fatalf("read %d (frame %d): ReadFrameInto differs from Frame", k, i)
		}
	}
	for _, i := range []int{n, -n - 1} {
		if err := ReadFrameInto(s, i, dst); !qperr.Is(err, qperr.NotFound) {
			t.Errorf("ReadFrameInto(%d): %v, want NotFound", i, err)
		}
	}
	other := Float64
	if dt == Float64 {
		other = Float32
	}
	for _, bad := range []any{newData(other, np), newData(dt, np-1), newData(dt, np+1), nil, []bool{}} {
		if err := ReadFrameInto(s, 0, bad); !qperr.Is(err, qperr.BadArgument) {
			t.Errorf("ReadFrameInto(0, %T len %d): %v, want BadArgument", bad, dataLen(bad), err)
		}
	}
}

func constF64(n int, v float64) []float64 {
	out := make([]float64, n)
	for k := range out {
		out[k] = v
	}
	return out
}

// TestReadFrameIntoHDF5Mixed interleaves Frame and ReadFrameInto in one
// sequential run: read-ahead buffers FrameInto returns to the pool must not
// show up in frames handed out by Frame.
func TestReadFrameIntoHDF5Mixed(t *testing.T) {
	src := benchStackSmall(t, 40)
	p := filepath.Join(t.TempDir(), "s.h5")
	if err := WriteHDF5(src, p, HDF5WriteOptions{Path: "ims", Gzip: 1, Shuffle: true}); err != nil {
		t.Fatal(err)
	}
	h, err := OpenHDF5(p, "ims", "images")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	var kept []Frame
	dst := make([]uint16, 64*48)
	for i := range src.Len() {
		if i%3 == 0 {
			f, err := h.Frame(i)
			if err != nil {
				t.Fatal(err)
			}
			kept = append(kept, f)
			continue
		}
		if err := ReadFrameInto(h, i, dst); err != nil {
			t.Fatal(err)
		}
		if want := src.frameView(i).Data; !reflect.DeepEqual(any(dst), want) {
			t.Fatalf("frame %d differs", i)
		}
	}
	for k, f := range kept {
		if want := src.frameView(3 * k).Data; !reflect.DeepEqual(f.Data, want) {
			t.Fatalf("frame %d from Frame was overwritten", 3*k)
		}
	}
}

func benchStackSmall(t *testing.T, n int) *ArraySeries {
	t.Helper()
	g := genSeries{n, 64, 48}
	data := make([]uint16, 0, n*64*48)
	for i := range n {
		f, _ := g.Frame(i)
		data = append(data, f.Data.([]uint16)...)
	}
	s, err := NewArray(data, []int{n, 64, 48}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestReadFrameIntoHDF52D reads a 2-d dataset (one frame: 0 and -1 only).
func TestReadFrameIntoHDF52D(t *testing.T) {
	p := filepath.Join(t.TempDir(), "d.h5")
	f, err := h5.Open(p, "w")
	if err != nil {
		t.Fatal(err)
	}
	data := make([]int32, 6*5)
	for k := range data {
		data[k] = int32(k*k - 40)
	}
	for _, opt := range []struct {
		name string
		o    h5.CreateOptions
	}{
		{"chunked", h5.CreateOptions{Chunks: []int{6, 5}, Shuffle: true, Compress: true, Deflate: 1}},
		{"contiguous", h5.CreateOptions{}},
	} {
		if err := f.Root().CreateDataset(opt.name, h5.Int32, []int{6, 5}, data, opt.o); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"chunked", "contiguous"} {
		s, err := OpenHDF5(p, "/", name)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) { checkReadFrameInto(t, s) })
		dst := make([]int32, 30)
		if err := ReadFrameInto(s, 0, dst); err != nil || !reflect.DeepEqual(dst, data) {
			t.Errorf("%s: %v %v", name, err, dst)
		}
		s.Close()
	}
}
