package h5

import (
	"bytes"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"qpgo/core/qperr"
)

type chunkCase struct {
	name  string
	data  any
	shape []int
}

func chunkCases() []chunkCase {
	r := rand.New(rand.NewSource(3))
	n := 256
	f32 := make([]float32, n*n)
	f64 := make([]float64, 100*70)
	u16 := make([]uint16, 3*40*50)
	noise := make([]uint8, 70001)
	bools := make([]bool, 33*17)
	for i := range f32 {
		x, y := float64(i%n-n/2), float64(i/n-n/2)
		f32[i] = float32(30*math.Exp(-(x*x+y*y)/(2*40*40)) + r.NormFloat64()*0.05)
	}
	for i := range f64 {
		f64[i] = r.NormFloat64()
	}
	for i := range u16 {
		u16[i] = uint16(100 + r.Intn(32))
	}
	r.Read(noise)
	for i := range bools {
		bools[i] = r.Intn(3) == 0
	}
	return []chunkCase{
		{"phase_f32", f32, []int{n, n}},
		{"noise_f64", f64, []int{100, 70}},
		{"frames_u16", u16, []int{3, 40, 50}},
		{"random_u8", noise, []int{70001}},
		{"mask_bool", bools, []int{33, 17}},
		{"one_i64", []int64{-5}, []int{1, 1}},
		{"zeros_f32", make([]float32, 4096), []int{64, 64}},
	}
}

// writeBoth writes every case into a.h5 through libhdf5's filters and into
// b.h5 through EncodeChunk + CreateDatasetChunk.
func writeBoth(t *testing.T, dir string, opt func([]int) CreateOptions) (string, string) {
	pa, pb := filepath.Join(dir, "a.h5"), filepath.Join(dir, "b.h5")
	fa, err := Open(pa, "w")
	if err != nil {
		t.Fatal(err)
	}
	fb, err := Open(pb, "w")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range chunkCases() {
		o := opt(c.shape)
		g := fa.Root()
		if err := g.CreateDataset(c.name, DTypeOf(c.data), c.shape, c.data, o); err != nil {
			t.Fatal(err)
		}
		if err := g.AttrsOf(c.name).Set("CLASS", Bytes("IMAGE")); err != nil {
			t.Fatal(err)
		}
		level := -1
		if o.Compress {
			level = o.Deflate
		}
		chunk, mask, err := EncodeChunk(c.data, level, o.Fletcher32)
		if err != nil {
			t.Fatal(err)
		}
		g = fb.Root()
		if err := g.CreateDatasetChunk(c.name, DTypeOf(c.data), c.shape, o, chunk, mask); err != nil {
			t.Fatal(err)
		}
		if err := g.AttrsOf(c.name).Set("CLASS", Bytes("IMAGE")); err != nil {
			t.Fatal(err)
		}
	}
	if err := fa.Close(); err != nil {
		t.Fatal(err)
	}
	if err := fb.Close(); err != nil {
		t.Fatal(err)
	}
	return pa, pb
}

// exactZlib makes compression byte-identical to libhdf5's filter for the
// rest of the test.
func exactZlib(t *testing.T) {
	was := SetExactZlib(true)
	t.Cleanup(func() { SetExactZlib(was) })
}

func TestChunkByteIdentity(t *testing.T) {
	exactZlib(t)
	pipelines := map[string]func([]int) CreateOptions{
		"deflate9+fletcher": func(s []int) CreateOptions {
			return CreateOptions{Chunks: s, Compress: true, Deflate: 9, Fletcher32: true}
		},
		"deflate1": func(s []int) CreateOptions { return CreateOptions{Chunks: s, Compress: true, Deflate: 1} },
		"deflate0+fletcher": func(s []int) CreateOptions {
			return CreateOptions{Chunks: s, Compress: true, Deflate: 0, Fletcher32: true}
		},
		"fletcher": func(s []int) CreateOptions { return CreateOptions{Chunks: s, Fletcher32: true} },
		"none":     func(s []int) CreateOptions { return CreateOptions{Chunks: s} },
	}
	for name, opt := range pipelines {
		t.Run(name, func(t *testing.T) {
			pa, pb := writeBoth(t, t.TempDir(), opt)
			a, _ := os.ReadFile(pa)
			b, _ := os.ReadFile(pb)
			if !bytes.Equal(a, b) {
				t.Errorf("files differ (%d vs %d bytes)", len(a), len(b))
			}
			da, err := exec.Command("h5dump", "-H", "-p", pa).Output()
			if err != nil {
				t.Fatalf("h5dump: %v (install hdf5-tools)", err)
			}
			db, _ := exec.Command("h5dump", "-H", "-p", pb).Output()
			if strip(da) != strip(db) {
				t.Errorf("h5dump -H -p differs:\n%s\n---\n%s", da, db)
			}
			fa, err := Open(pa, "r")
			if err != nil {
				t.Fatal(err)
			}
			defer fa.Close()
			fb, err := Open(pb, "r")
			if err != nil {
				t.Fatal(err)
			}
			defer fb.Close()
			for _, c := range chunkCases() {
				ra, err := fa.Root().ReadChunkRaw(c.name)
				if err != nil || ra == nil {
					t.Fatalf("%s: raw chunk %v %v", c.name, ra, err)
				}
				rb, err := fb.Root().ReadChunkRaw(c.name)
				if err != nil || rb == nil {
					t.Fatalf("%s: raw chunk %v %v", c.name, rb, err)
				}
				if !bytes.Equal(ra.Data, rb.Data) || ra.FilterMask != rb.FilterMask {
					t.Errorf("%s: raw chunks differ", c.name)
				}
				// decoded (our path) and libhdf5's own read agree with the input
				got, shape, err := fb.Root().ReadDataset(c.name)
				if err != nil || !reflect.DeepEqual(got, c.data) || !reflect.DeepEqual(shape, c.shape) {
					t.Errorf("%s: decoded data differ (%v)", c.name, err)
				}
				lib, _, _, err := fa.Root().read("/"+c.name, false)
				if err != nil || !reflect.DeepEqual(lib, c.data) {
					t.Errorf("%s: libhdf5 read differs (%v)", c.name, err)
				}
			}
		})
	}
}

// With libdeflate the streams differ from zlib's, but libhdf5's own
// filter reads them back exactly, the layout is the same and the size is
// at most 1 % above what zlib stores.
func TestChunkLibdeflate(t *testing.T) {
	if os.Getenv("QPGO_NO_LIBDEFLATE") != "" {
		// the fallback run: zlib must be in use (the other tests cover it)
		if e := DeflateEngine(); e != "zlib" {
			t.Errorf("QPGO_NO_LIBDEFLATE set but the engine is %q", e)
		}
		return
	}
	if DeflateEngine() != "libdeflate" {
		t.Fatalf("deflate engine %q: libdeflate.so.0 missing (make deps installs libdeflate0) or QPGO_NO_LIBDEFLATE set", DeflateEngine())
	}
	opt := func(s []int) CreateOptions {
		return CreateOptions{Chunks: s, Compress: true, Deflate: 9, Fletcher32: true}
	}
	pa, pb := writeBoth(t, t.TempDir(), opt)
	da, err := exec.Command("h5dump", "-H", "-p", pa).Output()
	if err != nil {
		t.Fatalf("h5dump: %v (install hdf5-tools)", err)
	}
	db, _ := exec.Command("h5dump", "-H", "-p", pb).Output()
	// h5dump -p prints each chunk's stored size and ratio: compare the rest
	sizes := regexp.MustCompile(`SIZE [0-9]+ \([0-9.]+:1 COMPRESSION\)`)
	if sizes.ReplaceAllString(strip(da), "") != sizes.ReplaceAllString(strip(db), "") {
		t.Errorf("h5dump -H -p differs:\n%s\n---\n%s", da, db)
	}
	fa, err := Open(pa, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer fa.Close()
	fb, err := Open(pb, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer fb.Close()
	differ := 0
	for _, c := range chunkCases() {
		ra, _ := fa.Root().ReadChunkRaw(c.name)
		rb, err := fb.Root().ReadChunkRaw(c.name)
		if err != nil || ra == nil || rb == nil {
			t.Fatalf("%s: raw chunk %v", c.name, err)
		}
		if !bytes.Equal(ra.Data, rb.Data) {
			differ++
		}
		if float64(len(rb.Data)) > 1.01*float64(len(ra.Data)) && len(ra.Data) > 1000 {
			t.Errorf("%s: %d bytes with libdeflate vs %d with zlib", c.name, len(rb.Data), len(ra.Data))
		}
		lib, _, _, err := fb.Root().read("/"+c.name, false)
		if err != nil || !reflect.DeepEqual(lib, c.data) {
			t.Errorf("%s: libhdf5 read of the libdeflate chunk differs (%v)", c.name, err)
		}
	}
	if differ == 0 {
		t.Error("no chunk differs from zlib's: libdeflate was not used")
	}
}

func strip(b []byte) string {
	s := string(b)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// A damaged chunk fails with the checksum error, not with wrong data.
func TestChunkChecksumMismatch(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "c.h5")
	f, err := Open(p, "w")
	if err != nil {
		t.Fatal(err)
	}
	data := make([]float64, 64*64)
	for i := range data {
		data[i] = math.Sin(float64(i))
	}
	o := CreateOptions{Chunks: []int{64, 64}, Compress: true, Deflate: 9, Fletcher32: true}
	chunk, mask, err := EncodeChunk(data, 9, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Root().CreateDatasetChunk("x", Float64, []int{64, 64}, o, chunk, mask); err != nil {
		t.Fatal(err)
	}
	f.Close()
	b, _ := os.ReadFile(p)
	i := bytes.Index(b, chunk[100:140])
	if i < 0 {
		t.Fatal("chunk not found in file")
	}
	b[i+5] ^= 0x10
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err = Open(p, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	raw, err := f.Root().ReadChunkRaw("x")
	if err != nil || raw == nil {
		t.Fatal(raw, err)
	}
	if _, err := raw.Decode(); !qperr.Is(err, qperr.IO) || !strings.Contains(err.Error(), "Fletcher32") || !strings.Contains(err.Error(), "/x") {
		t.Fatalf("Decode: %v", err)
	}
	if _, _, err := f.Root().ReadDataset("x"); !qperr.Is(err, qperr.IO) || !strings.Contains(err.Error(), "Fletcher32") {
		t.Fatalf("ReadDataset: %v", err)
	}
}

// Datasets that are not one chunk with a decodable pipeline are read by
// libhdf5 as before.
func TestChunkRawFallback(t *testing.T) {
	f, err := Open(filepath.Join(t.TempDir(), "d.h5"), "w")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g := f.Root()
	data := make([]float32, 40*30)
	for i := range data {
		data[i] = float32(i % 7)
	}
	cases := map[string]CreateOptions{
		"contiguous": {},
		"twochunks":  {Chunks: []int{20, 30}, Compress: true, Deflate: 9, Fletcher32: true},
		"shuffle":    {Chunks: []int{40, 30}, Shuffle: true, Compress: true, Deflate: 4},
		"resizable":  {Chunks: []int{40, 30}, MaxShape: []int{-1, 30}, Compress: true, Deflate: 9},
	}
	for name, o := range cases {
		if err := g.CreateDataset(name, Float32, []int{40, 30}, data, o); err != nil {
			t.Fatal(err)
		}
		raw, err := g.ReadChunkRaw(name)
		if err != nil {
			t.Fatal(err)
		}
		if (raw != nil) != (name == "resizable") {
			t.Errorf("%s: raw chunk %v", name, raw != nil)
		}
		got, _, err := g.ReadDataset(name)
		if err != nil || !reflect.DeepEqual(got, data) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := g.CreateDatasetChunk("bad", Float32, []int{40, 30}, cases["twochunks"], []byte{1}, 0); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("two chunks accepted: %v", err)
	}
}

// Encoding and decoding run concurrently with other libhdf5 calls.
func TestChunkConcurrent(t *testing.T) {
	f, err := Open(filepath.Join(t.TempDir(), "e.h5"), "w")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for k := 0; k < 8; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			data := make([]float32, 128*128)
			for i := range data {
				data[i] = float32(math.Sin(float64(i*k + i)))
			}
			o := CreateOptions{Chunks: []int{128, 128}, Compress: true, Deflate: 9, Fletcher32: true}
			chunk, mask, err := EncodeChunk(data, 9, true)
			if err != nil {
				errs <- err
				return
			}
			name := string(rune('a' + k))
			if err := f.Root().CreateDatasetChunk(name, Float32, []int{128, 128}, o, chunk, mask); err != nil {
				errs <- err
				return
			}
			got, _, err := f.Root().ReadDataset(name)
			if err != nil || !reflect.DeepEqual(got, data) {
				errs <- qperr.New(qperr.IO, "%s: read back differs (%v)", name, err)
			}
		}(k)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// WriteChunk fills a dataset created without data.
func TestWriteChunkLater(t *testing.T) {
	f, err := Open(filepath.Join(t.TempDir(), "l.h5"), "w")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data := []float32{1, 2, 3, 4, 5, 6}
	o := CreateOptions{Chunks: []int{2, 3}, Compress: true, Deflate: 9, Fletcher32: true}
	if err := f.Root().CreateDataset("x", Float32, []int{2, 3}, nil, o); err != nil {
		t.Fatal(err)
	}
	chunk, mask, _ := EncodeChunk(data, 9, true)
	if err := f.Root().WriteChunk("x", chunk, mask); err != nil {
		t.Fatal(err)
	}
	if got, _, err := f.Root().ReadDataset("x"); err != nil || !reflect.DeepEqual(got, data) {
		t.Fatal(got, err)
	}
}
