package imageseries

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qpgo/core/qperr"
	"qpgo/internal/fixture"
	"qpgo/internal/npy"
)

func TestArrayBasic(t *testing.T) {
	c := load(t, "array_basic")
	in := c.Array(t, "frames")
	s, err := Open("", "array", Options{"data": in, "meta": inputMeta(t, c)})
	if err != nil {
		t.Fatal(err)
	}
	checkSeries(t, c, s)
	// frames are copies
	f, _ := s.Frame(0)
	f.Data.([]uint16)[0]++
	g, _ := s.Frame(0)
	if g.Data.([]uint16)[0] == f.Data.([]uint16)[0] {
		t.Error("array frames are not copies")
	}
	if neg, err := s.Frame(-1); err != nil || fmt.Sprint(neg.Data) != fmt.Sprint(allFrames(t, s)[2].Data) {
		t.Errorf("negative index: %v", err)
	}
	if _, err := s.Frame(3); !qperr.Is(err, qperr.NotFound) {
		t.Errorf("index 3: %v", err)
	}
	two, err := NewArray(in.Data.([]uint16)[:35], []int{5, 7}, nil)
	if err != nil || two.Len() != 1 || fmt.Sprint(two.Shape()) != "[5 7]" {
		t.Errorf("2-d input: %v", err)
	}
	_, err = NewArray(in.Data, append([]int{1}, in.Shape...), nil)
	var want struct{ Message string }
	c.Want(t, "four_d_error", &want)
	if err == nil || !strings.Contains(err.Error(), want.Message) {
		t.Errorf("4-d: %v, want %q", err, want.Message)
	}
	if _, err := Open("x", "", nil); err == nil || !strings.Contains(err.Error(), "zero length imageseries") {
		t.Errorf("no format: %v", err)
	}
	if _, err := Open("x", "no-such-format", nil); !qperr.Is(err, qperr.UnknownKey) || !strings.Contains(err.Error(), "no-such-format") {
		t.Errorf("unknown format: %v", err)
	}
	if _, err := NewArray([]uint16{1, 2}, []int{2, 2}, nil); err == nil {
		t.Error("size mismatch accepted")
	}
}

func TestFunctionSeries(t *testing.T) {
	fn := func(i int) (Frame, error) { return Frame{2, 3, []uint16{uint16(i), 1, 2, 3, 4, 5}}, nil }
	s, err := Open("", "function", Options{"func": fn, "num_frames": 4})
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 4 || s.DType() != Uint16 || fmt.Sprint(s.Shape()) != "[2 3]" {
		t.Fatalf("function series %d %v %v", s.Len(), s.DType(), s.Shape())
	}
	f, err := s.Frame(-1)
	if err != nil || f.Data.([]uint16)[0] != 3 {
		t.Errorf("frame -1: %v %v", f, err)
	}
	bad, _ := NewFunction(func(i int) (Frame, error) {
		if i == 1 {
			return Frame{1, 1, []uint16{1}}, nil
		}
		return Frame{2, 2, []uint16{1, 2, 3, 4}}, nil
	}, 2, nil)
	if _, err := bad.Frame(1); err == nil {
		t.Error("shape change accepted")
	}
	if _, err := Open("", "function", Options{"num_frames": 2}); err == nil {
		t.Error("missing func accepted")
	}
}

func checkFrameCacheRead(t *testing.T, c *isCase, s ImageSeries) {
	t.Helper()
	checkSeries(t, c, s)
	checkMeta(t, c, s.Metadata())
	var reg struct {
		Frame  int
		Region [2][2]int
	}
	c.Want(t, "get_region", &reg)
	r, err := GetRegion(s, reg.Frame, Rect{reg.Region[0][0], reg.Region[0][1], reg.Region[1][0], reg.Region[1][1]})
	if err != nil {
		t.Fatal(err)
	}
	checkFrame1(t, c, "get_region", r, readNpyT(t, c.Path("expected_region.npy")), fixture.Tol{Exact: true})
	var fancy struct {
		Frame      int
		Rows, Cols json.RawMessage
	}
	c.Want(t, "fancy_index", &fancy)
	p, err := Points(s, fancy.Frame, flatInts(t, fancy.Rows), flatInts(t, fancy.Cols))
	if err != nil {
		t.Fatal(err)
	}
	want := readNpyT(t, c.Path("expected_fancy.npy"))
	want.Shape = []int{want.Len()}
	checkFrame1(t, c, "fancy_index", p, want, fixture.Tol{Exact: true})
}

func TestFrameCacheNPZ(t *testing.T) {
	for _, name := range caseNames(t, "frame-cache-npz") {
		name = strings.TrimPrefix(name, "imageseries/")
		t.Run(name, func(t *testing.T) {
			c := load(t, name)
			// the file written by hexrd
			s, err := Open(c.Path("cache.npz"), "frame-cache", Options{"style": "npz"})
			if err != nil {
				t.Fatal(err)
			}
			defer s.(*FrameCache).Close()
			checkFrameCacheRead(t, c, s)

			// our writer, read back by our reader
			src := arrayFrom(t, c, "frames", inputMeta(t, c))
			var th float64
			c.Input(t, "threshold", &th)
			out := filepath.Join(t.TempDir(), "cache.npz")
			var warnings []string
			err = Write(src, out, "frame-cache", Options{"threshold": th, "style": "npz", "warn": func(s string) { warnings = append(warnings, s) }})
			if err != nil {
				t.Fatal(err)
			}
			var wantWarn []string
			c.Want(t, "write_warnings", &wantWarn)
			for i := range wantWarn {
				wantWarn[i] = strings.Replace(wantWarn[i], "cutoff is 95%", "cutoff is 90%", 1) // I8
			}
			if fmt.Sprint(warnings) != fmt.Sprint(wantWarn) {
				t.Errorf("warnings %q, want %q", warnings, wantWarn)
			}
			s2, err := OpenFrameCache(out, "npz")
			if err != nil {
				t.Fatal(err)
			}
			defer s2.(*FrameCache).Close()
			checkFrameCacheRead(t, c, s2)
			// members: same names, dtypes and shapes as hexrd writes
			var members map[string]struct {
				DType string
				Shape []int
			}
			c.Want(t, "npz_members", &members)
			zr, err := zip.OpenReader(out)
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			if len(zr.File) != len(members) {
				t.Errorf("%d members, want %d", len(zr.File), len(members))
			}
			for _, zf := range zr.File {
				if zf.Method != zip.Deflate {
					t.Errorf("%s not deflated", zf.Name)
				}
				m, ok := members[strings.TrimSuffix(zf.Name, ".npy")]
				if !ok {
					t.Errorf("unexpected member %s", zf.Name)
					continue
				}
				b, _ := npy.ReadMember(zf)
				a, err := npy.Decode(b)
				if err != nil {
					t.Fatal(err)
				}
				hdr := string(b[10:80])
				if !strings.Contains(hdr, "'descr': '"+m.DType+"'") || fmt.Sprint(a.Shape) != fmt.Sprint(m.Shape) {
					t.Errorf("member %s: header %q shape %v, want %s %v", zf.Name, hdr, a.Shape, m.DType, m.Shape)
				}
			}
			var kept []int
			c.Want(t, "kept_pixels_per_frame", &kept)
			for i, k := range kept {
				sf, err := s2.(*FrameCache).sparse(i)
				if err != nil || len(sf.row) != k {
					t.Errorf("frame %d kept %d, want %d (%v)", i, len(sf.row), k, err)
				}
			}
		})
	}
}

func TestFrameCacheYMLLegacy(t *testing.T) {
	c := load(t, "framecache_yml_legacy")
	t.Chdir(c.Dir)
	s, err := OpenFrameCache("cache.yml", "yml")
	if err != nil {
		t.Fatal(err)
	}
	checkSeries(t, c, s)
	checkMeta(t, c, s.Metadata())
}

func TestFrameCacheErrors(t *testing.T) {
	dir := t.TempDir()
	// a zip that is not a frame cache
	notfc := filepath.Join(dir, "x.npz")
	f, _ := os.Create(notfc)
	zw := zip.NewWriter(f)
	w, _ := zw.Create("hello.txt")
	w.Write([]byte("hi"))
	zw.Close()
	f.Close()
	if _, err := OpenFrameCache(notfc, "npz"); err == nil {
		t.Error("non-frame-cache zip accepted")
	}
	// truncated npz
	c := load(t, "framecache_npz_uint16")
	b, _ := os.ReadFile(c.Path("cache.npz"))
	trunc := filepath.Join(dir, "t.npz")
	os.WriteFile(trunc, b[:len(b)/2], 0o600)
	if _, err := OpenFrameCache(trunc, "npz"); err == nil {
		t.Error("truncated npz accepted")
	}
	// not a zip at all, missing file
	os.WriteFile(filepath.Join(dir, "n.npz"), []byte("nope"), 0o600)
	if _, err := OpenFrameCache(filepath.Join(dir, "n.npz"), "npz"); err == nil {
		t.Error("garbage accepted")
	}
	if _, err := OpenFrameCache(filepath.Join(dir, "missing.npz"), "npz"); !qperr.Is(err, qperr.IO) {
		t.Errorf("missing file: %v", err)
	}
	// indices out of range in the sparse data
	src, _ := NewArray([]uint16{0, 9, 0, 0, 0, 7}, []int{2, 1, 3}, nil)
	good := filepath.Join(dir, "g.npz")
	if err := WriteFrameCache(src, good, FrameCacheOptions{Threshold: 1}); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.npz")
	rewriteMember(t, good, bad, "0_row.npy", &npy.Array{Shape: []int{1}, Data: []uint16{5}})
	s, err := OpenFrameCache(bad, "npz")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Frame(0); !qperr.Is(err, qperr.Integrity) {
		t.Errorf("out-of-range sparse index: %v", err)
	}
	if f, err := s.Frame(1); err != nil || fmt.Sprint(f.Data) != "[0 0 7]" {
		t.Errorf("frame 1: %v %v", f, err)
	}
	bad2 := filepath.Join(dir, "bad2.npz")
	rewriteMember(t, good, bad2, "1_data.npy", &npy.Array{Shape: []int{3}, Data: []uint16{1, 2, 3}})
	s2, _ := OpenFrameCache(bad2, "npz")
	if _, err := s2.Frame(1); !qperr.Is(err, qperr.Integrity) {
		t.Errorf("length mismatch: %v", err)
	}
}

func TestErrorsWriteOpen(t *testing.T) {
	c := load(t, "errors_write_open")
	var errs map[string]struct{ Type, Message string }
	c.Want(t, "hdf5_gzip_10", new(any))
	json.Unmarshal(c.Expected["framecache_bad_style"], new(any))
	errs = map[string]struct{ Type, Message string }{}
	for _, k := range []string{"framecache_no_threshold", "framecache_bad_style", "unknown_writer", "framecache_open_bad_style"} {
		var e struct{ Type, Message string }
		c.Want(t, k, &e)
		errs[k] = e
	}
	src, _ := NewArray(make([]uint16, 40), []int{2, 4, 5}, nil)
	out := filepath.Join(t.TempDir(), "x.npz")
	err := Write(src, out, "frame-cache", nil)
	if !qperr.Is(err, qperr.NotFound) || !strings.Contains(err.Error(), "'threshold'") {
		t.Errorf("no threshold: %v", err)
	}
	err = Write(src, out, "frame-cache", Options{"threshold": 1, "style": "zip"})
	if !qperr.Is(err, qperr.BadArgument) || err.Error() != errs["framecache_bad_style"].Message {
		t.Errorf("bad style: %v, want %q", err, errs["framecache_bad_style"].Message)
	}
	if err := Write(src, out, "tiff", nil); !qperr.Is(err, qperr.UnknownKey) || !strings.Contains(err.Error(), "'tiff'") {
		t.Errorf("unknown writer: %v", err)
	}
	if _, err := Open(out, "frame-cache", Options{"style": "zip"}); !qperr.Is(err, qperr.BadArgument) || !strings.Contains(err.Error(), "Unknown style format for loading data: zip") {
		t.Errorf("open bad style: %v", err)
	}
}

// rewriteMember copies a zip replacing one member.
func rewriteMember(t *testing.T, src, dst, name string, a *npy.Array) {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, _ := os.Create(dst)
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, zf := range zr.File {
		w, _ := zw.Create(zf.Name)
		if zf.Name == name {
			b, _ := npy.Encode(a)
			w.Write(b)
			continue
		}
		b, _ := npy.ReadMember(zf)
		w.Write(b)
	}
	zw.Close()
}
