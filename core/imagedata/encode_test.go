package imagedata

import (
	"bytes"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"qpgo/core/h5"
	"qpgo/core/qperr"
)

type testSet struct {
	raw, bg []float64
	mask    []bool
	shape   []int
}

func makeSet(n int) testSet {
	r := rand.New(rand.NewSource(9))
	s := testSet{raw: make([]float64, n*n), bg: make([]float64, n*n), mask: make([]bool, n*n), shape: []int{n, n}}
	for i := range s.raw {
		x, y := float64(i%n-n/2), float64(i/n-n/2)
		s.raw[i] = 30*math.Exp(-(x*x+y*y)/(2*float64(n*n)/36)) + 0.01*x - 0.02*y + r.NormFloat64()*0.05
		s.bg[i] = 0.001*x*x - 0.002*y + 0.3
		s.mask[i] = i%3 == 0
	}
	return s
}

// writeLibhdf5 writes like imagedata did before pre-filtered chunks:
// libhdf5 runs deflate 9 and Fletcher-32 itself.
func writeLibhdf5(t *testing.T, g *h5.Group, key string, data any, shape []int) {
	t.Helper()
	opt := h5.CreateOptions{Chunks: shape, Fletcher32: true, Compress: true, Deflate: Compression}
	if err := g.CreateDataset(key, h5.DTypeOf(data), shape, data, opt); err != nil {
		t.Fatal(err)
	}
	for _, kv := range ImageAttrs {
		if err := g.AttrsOf(key).Set(kv.Name, kv.Value); err != nil {
			t.Fatal(err)
		}
	}
}

func toF32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

func newFile(t *testing.T, p string) (*h5.File, *h5.Group, *h5.Group) {
	t.Helper()
	f, err := h5.Open(p, "w")
	if err != nil {
		t.Fatal(err)
	}
	pha, err := f.Root().RequireGroup("phase")
	if err != nil {
		t.Fatal(err)
	}
	bg, err := pha.RequireGroup("bg_data")
	if err != nil {
		t.Fatal(err)
	}
	return f, pha, bg
}

// The three ways of writing (libhdf5's filters, WriteImageDataset, WriteAll)
// give byte-identical files when compressing with zlib (h5.SetExactZlib;
// libdeflate's streams differ, h5's tests cover them).
func TestWritePathsByteIdentical(t *testing.T) {
	was := h5.SetExactZlib(true)
	defer h5.SetExactZlib(was)
	s := makeSet(300)
	dir := t.TempDir()
	paths := []string{filepath.Join(dir, "lib.h5"), filepath.Join(dir, "single.h5"), filepath.Join(dir, "all.h5")}

	f, pha, bg := newFile(t, paths[0])
	writeLibhdf5(t, pha, "raw", toF32(s.raw), s.shape)
	writeLibhdf5(t, bg, "fit", toF32(s.bg), s.shape)
	if err := bg.AttrsOf("fit").Set("fit_profile", "tilt"); err != nil {
		t.Fatal(err)
	}
	writeLibhdf5(t, pha, MaskName, s.mask, s.shape)
	writeLibhdf5(t, pha, "f64", s.bg, s.shape)
	f.Close()

	f, pha, bg = newFile(t, paths[1])
	d := &ImageData{G: pha, Kind: Phase, H5DType: h5.Float32}
	if err := d.WriteRaw(s.raw, s.shape); err != nil {
		t.Fatal(err)
	}
	if err := d.SetBG("fit", s.bg, s.shape, []Attr{{"fit_profile", "tilt"}}); err != nil {
		t.Fatal(err)
	}
	if err := WriteBoolDataset(pha, MaskName, s.mask, s.shape); err != nil {
		t.Fatal(err)
	}
	if err := WriteTyped(pha, "f64", s.bg, s.shape); err != nil {
		t.Fatal(err)
	}
	f.Close()

	f, pha, bg = newFile(t, paths[2])
	err := WriteAll([]Job{
		{G: pha, Key: "raw", Data: s.raw, Shape: s.shape, DType: h5.Float32},
		{G: bg, Key: "fit", Data: s.bg, Shape: s.shape, DType: h5.Float32, Attrs: []Attr{{"fit_profile", "tilt"}}},
		{G: pha, Key: MaskName, Data: s.mask, Shape: s.shape},
		{G: pha, Key: "f64", Data: s.bg, Shape: s.shape},
	})
	if err != nil {
		t.Fatal(err)
	}
	f.Close()

	ref, _ := os.ReadFile(paths[0])
	dref := h5dump(t, paths[0])
	for _, p := range paths[1:] {
		b, _ := os.ReadFile(p)
		if !bytes.Equal(ref, b) {
			t.Errorf("%s differs from libhdf5's filters (%d vs %d bytes)", filepath.Base(p), len(b), len(ref))
		}
		if got := h5dump(t, p); got != dref {
			t.Errorf("h5dump -H -p of %s differs:\n%s\n---\n%s", filepath.Base(p), got, dref)
		}
	}

	// read back: raw and background decoded concurrently
	f, err = h5.Open(paths[2], "r")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pha, _ = f.Root().Group("phase")
	d = &ImageData{G: pha, Kind: Phase, H5DType: h5.Float32}
	img, shape, err := d.Image()
	if err != nil || !reflect.DeepEqual(shape, s.shape) {
		t.Fatal(shape, err)
	}
	raw32, bg32 := toF32(s.raw), toF32(s.bg)
	for i := range img {
		if want := float64(raw32[i]) - float64(bg32[i]); img[i] != want {
			t.Fatalf("pixel %d: %v != %v", i, img[i], want)
		}
	}
	m, _, err := d.Mask()
	if err != nil || !reflect.DeepEqual(m, s.mask) {
		t.Fatal("mask", err)
	}
}

func h5dump(t *testing.T, p string) string {
	t.Helper()
	out, err := exec.Command("h5dump", "-H", "-p", p).Output()
	if err != nil {
		t.Fatalf("h5dump: %v (install hdf5-tools)", err)
	}
	s := string(out)
	return s[strings.IndexByte(s, '\n')+1:]
}

// On the core driver WriteEncoded writes contiguous bare datasets even for
// an Encoded prepared for disk, and a disk write of an Encoded prepared
// for the core driver compresses then.
func TestEncodedTargets(t *testing.T) {
	s := makeSet(40)
	mem, err := h5.CreateInMemory("x")
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	disk, err := h5.Open(filepath.Join(t.TempDir(), "d.h5"), "w")
	if err != nil {
		t.Fatal(err)
	}
	defer disk.Close()
	forDisk, err := EncodeImage(nil, s.raw, s.shape, h5.Float32)
	if err != nil {
		t.Fatal(err)
	}
	forMem, err := EncodeAsync(mem, s.raw, s.shape, h5.Float32).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteEncoded(mem.Root(), "a", forDisk); err != nil {
		t.Fatal(err)
	}
	if err := WriteEncoded(disk.Root(), "a", forMem); err != nil {
		t.Fatal(err)
	}
	if info, _ := mem.Root().DatasetInfo("a"); info.Layout != "contiguous" || len(info.Filters) != 0 {
		t.Errorf("memory: %v", info)
	}
	if info, _ := disk.Root().DatasetInfo("a"); info.Layout != "chunked" || len(info.Filters) != 2 {
		t.Errorf("disk: %v", info)
	}
	for _, f := range []*h5.File{mem, disk} {
		got, _, err := f.Root().ReadDataset("a")
		if err != nil || !reflect.DeepEqual(got, toF32(s.raw)) {
			t.Errorf("%s: %v", f.Name(), err)
		}
	}
	if _, err := EncodeImage(nil, s.raw[:5], s.shape, h5.Float32); err == nil {
		t.Error("shape mismatch accepted")
	}
}

// CopyGroup with prefetching writes the same file as the sequential copy.
func TestCopyGroupMatchesSequential(t *testing.T) {
	s := makeSet(200)
	mem, err := h5.CreateInMemory("src")
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	root := mem.Root()
	root.Attrs().Set("qpimage version", "0.9.3")
	for _, kind := range []Kind{Amplitude, Phase} {
		d, err := Open(root, kind, h5.Float32)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.WriteRaw(s.raw, s.shape); err != nil {
			t.Fatal(err)
		}
		if err := d.SetBG("fit", s.bg, s.shape, []Attr{{"fit_offset", "mean"}, {"border_px", int64(20)}}); err != nil {
			t.Fatal(err)
		}
		if err := d.SetMask(s.mask, s.shape); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	for _, links := range []map[string]string{nil, {"phase/bg_data/data": "/lnk"}} {
		var files [2][]byte
		for i := range files {
			p := filepath.Join(dir, "c.h5")
			f, err := h5.Open(p, "w")
			if err != nil {
				t.Fatal(err)
			}
			if err := WriteTyped(f.Root(), "lnk", s.raw, s.shape); err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				err = copyGroup(root, f.Root(), "", links, nil)
			} else {
				err = CopyGroup(root, f.Root(), links)
			}
			if err != nil {
				t.Fatal(err)
			}
			f.Close()
			files[i], _ = os.ReadFile(p)
		}
		if !bytes.Equal(files[0], files[1]) {
			t.Errorf("links %v: prefetching copy differs from the sequential one", links)
		}
	}
}

// TestCopyGroupPrefetchPanic: a panic in a prefetch goroutine is returned
// by CopyGroup as an Internal error instead of crashing the process.
func TestCopyGroupPrefetchPanic(t *testing.T) {
	s := makeSet(32)
	mem, err := h5.CreateInMemory("src")
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	for _, k := range []string{"a", "b", "c"} {
		if err := WriteTyped(mem.Root(), k, s.raw, s.shape); err != nil {
			t.Fatal(err)
		}
	}
	f, err := h5.Open(filepath.Join(t.TempDir(), "c.h5"), "w")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	testPanic = true
	defer func() { testPanic = false }()
	if err := CopyGroup(mem.Root(), f.Root(), nil); !qperr.Is(err, qperr.Internal) {
		t.Fatalf("got %v", err)
	}
}

// Image folds the backgrounds like numpy (zeros + bg1 + bg2, then raw -
// that; ones · bg, then raw / that) also when the first background becomes
// the accumulator in place: a -0 background still counts as +0.
func TestImageCombinesLikeNumpy(t *testing.T) {
	negz := math.Copysign(0, -1)
	for _, kind := range []Kind{Phase, Amplitude} {
		f, pha, _ := newFile(t, filepath.Join(t.TempDir(), "c.h5"))
		d := &ImageData{G: pha, Kind: kind, H5DType: h5.Float64}
		raw := []float64{negz, 1, 2, 3, 4, 5}
		bg1 := []float64{negz, 2, 4, 1, 0.5, 3}
		bg2 := []float64{1, 1, 1, 1, 2, 1}
		shape := []int{2, 3}
		if err := d.WriteRaw(raw, shape); err != nil {
			t.Fatal(err)
		}
		for k, bg := range map[string][]float64{"data": bg1, "fit": bg2} {
			if err := d.SetBG(k, bg, shape, nil); err != nil {
				t.Fatal(err)
			}
		}
		got, _, err := d.Image()
		if err != nil {
			t.Fatal(err)
		}
		for i := range raw {
			var want float64
			if kind == Phase {
				want = raw[i] - ((0 + bg1[i]) + bg2[i])
			} else {
				want = raw[i] / ((1 * bg1[i]) * bg2[i])
			}
			if math.Float64bits(got[i]) != math.Float64bits(want) {
				t.Errorf("%v pixel %d: %v, want %v", kind, i, got[i], want)
			}
		}
		// only the first background: -0 - (0 + -0) is -0
		if _, err := d.DelBG("fit"); err != nil {
			t.Fatal(err)
		}
		got, _, _ = d.Image()
		if kind == Phase && !math.Signbit(got[0]) {
			t.Errorf("raw -0 minus background -0: got %v, want -0 as numpy", got[0])
		}
		f.Close()
	}
}
