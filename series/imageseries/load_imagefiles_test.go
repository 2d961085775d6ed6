package imageseries

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qpgo/core/qperr"
	"qpgo/internal/fixture"
)

func TestImageFiles(t *testing.T) {
	for _, name := range caseNames(t, "image-files") {
		t.Run(name, func(t *testing.T) {
			c := load(t, name)
			t.Chdir(c.Dir)
			s, err := Open("files.yml", "image-files", nil)
			if err != nil {
				t.Fatal(err)
			}
			text, _ := os.ReadFile("files.yml")
			var n int
			c.Want(t, "yaml_string_len", &n)
			s2, err := OpenImageFiles(string(text))
			if err != nil || s2.Len() != n {
				t.Errorf("YAML as string: len %v, want %d (%v)", s2, n, err)
			}
			if c.Has("frame_0_error") {
				var e struct{ Message string }
				c.Want(t, "frame_0_error", &e)
				if _, err := s.Frame(0); !qperr.Is(err, qperr.Runtime) || err.Error() != e.Message {
					t.Errorf("frame 0: %v, want %q", err, e.Message)
				}
				var dt string
				c.Want(t, "dtype", &dt)
				if s.Len() != n || s.DType().Code() != npyCode(dt) {
					t.Errorf("len %d dtype %s", s.Len(), s.DType())
				}
				return
			}
			checkSeries(t, c, s)
			checkMeta(t, c, s.Metadata())
			f, err := s.Frame(-1)
			if err != nil {
				t.Fatal(err)
			}
			// Upstream indexes the file list with a negative key in
			// single-frame mode, so with max-total-frames ims[-1] is the
			// last FILE, not ims[len-1]; as upstream.
			checkFrame1(t, c, "negative_index_-1", f, c.Expect(t, "negative_index_-1"), fixture.Tol{Exact: true})
			if imf := s.(*ImageFiles); !imf.SingleFrames() || len(imf.Files()) == s.Len() {
				last, _ := s.Frame(s.Len() - 1)
				if fmt.Sprint(f.Data) != fmt.Sprint(last.Data) {
					t.Errorf("frame -1 differs from frame len-1")
				}
			}
			imf := s.(*ImageFiles)
			var single bool
			var class string
			var order []string
			c.Want(t, "singleframes", &single)
			c.Want(t, "fabioclass", &class)
			c.Want(t, "file_order", &order)
			var files []string
			for _, f := range imf.Files() {
				files = append(files, filepath.Base(f))
			}
			if imf.SingleFrames() != single || imf.FabioClass() != class || fmt.Sprint(files) != fmt.Sprint(order) {
				t.Errorf("single %v class %s files %v, want %v %s %v", imf.SingleFrames(), imf.FabioClass(), files, single, class, order)
			}
			if !strings.Contains(imf.String(), class) {
				t.Errorf("String() lacks the class: %s", imf.String())
			}
			if _, err := s.Frame(s.Len()); !qperr.Is(err, qperr.NotFound) {
				t.Errorf("frame past the end: %v", err)
			}
		})
	}
}

func TestImageFilesErrors(t *testing.T) {
	c := load(t, "imagefiles_tif_uint16")
	dir := t.TempDir()
	t.Chdir(dir)
	b, _ := os.ReadFile(c.Path("img_000.tif"))
	os.WriteFile("a.tif", b, 0o600)
	write := func(y string) string {
		os.WriteFile("f.yml", []byte(y), 0o600)
		return "f.yml"
	}
	cases := map[string]string{
		"missing image file (dangling trigger)": "image-files:\n  directory: .\n  files: a.tif\noptions: {}\nmeta:\n  omega: '! load-numpy-array nope.npy'\n",
		"no options":                            "image-files:\n  directory: .\n  files: a.tif\nmeta: {}\n",
		"too many empty":                        "image-files:\n  directory: .\n  files: a.tif\noptions:\n  empty-frames: 1\nmeta: {}\n",
		"bad dtype option":                      "image-files:\n  directory: .\n  files: a.tif\noptions:\n  dtype: blah\nmeta: {}\n",
		"not a mapping":                         "- a\n- b\n",
	}
	for what, y := range cases {
		if _, err := OpenImageFiles(write(y)); err == nil {
			t.Errorf("%s: accepted", what)
		}
	}
	if _, err := OpenImageFiles("does-not-exist.yml"); !qperr.Is(err, qperr.IO) {
		t.Errorf("missing YAML: %v", err)
	}
	// a listed file that vanishes after open is an error when read
	s, err := OpenImageFiles(write("image-files:\n  directory: .\n  files: a.tif\noptions: {}\nmeta: {}\n"))
	if err != nil {
		t.Fatal(err)
	}
	os.Remove("a.tif")
	if _, err := s.Frame(0); !qperr.Is(err, qperr.IO) {
		t.Errorf("missing image file: %v", err)
	}
	// a corrupt image file
	os.WriteFile("b.tif", []byte("II*\x00\xff\xff\x00\x00"), 0o600)
	if _, err := OpenImageFiles(write("image-files:\n  directory: .\n  files: b.tif\noptions: {}\nmeta: {}\n")); err == nil {
		t.Error("corrupt TIFF accepted")
	}
	// no file matches: a zero-length series, which Open rejects
	if _, err := Open(write("image-files:\n  directory: .\n  files: z*.tif\noptions: {}\nmeta: {}\n"), "image-files", nil); err == nil {
		t.Error("empty file list accepted by Open")
	}
}

func TestRawImage(t *testing.T) {
	c := load(t, "rawimage_uint16_bigendian")
	t.Chdir(c.Dir)
	s, err := Open("raw.yml", "raw-image", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.(*RawImage).Close()
	var n int
	var shape []int
	c.Want(t, "len", &n)
	c.Want(t, "shape", &shape)
	got, gs := stack(allFrames(t, s))
	c.CheckFloat64(t, "frames", got, gs)
	if s.Len() != n || fmt.Sprint(s.Shape()) != fmt.Sprint(shape) || s.DType() != Uint16 || s.(*RawImage).ByteOrder().String() != "BigEndian" || len(s.Metadata()) != 0 {
		t.Errorf("raw series %d %v %v", s.Len(), s.Shape(), s.DType())
	}
	r, err := GetRegion(s, 2, Rect{2, 5, 3, 7})
	full, _ := s.Frame(2)
	if err != nil || fmt.Sprint(r.Data) != fmt.Sprint(full.Sub(Rect{2, 5, 3, 7}).Data) {
		t.Errorf("region: %v", err)
	}
	// errors
	dir := t.TempDir()
	t.Chdir(dir)
	os.WriteFile("d.raw", make([]byte, 500), 0o600)
	yml := func(body string) string {
		os.WriteFile("r.yml", []byte("filename: d.raw\n"+body), 0o600)
		return "r.yml"
	}
	good := "shape: 10 10\nskip: 100\nscalar:\n  type: i\n  bytes: 2\n  signed: false\n  endian: little\n"
	s2, err := OpenRawImage(yml(good))
	if err != nil || s2.Len() != 2 {
		t.Fatalf("500 bytes, skip 100, 10x10 u2: %v %v", s2, err)
	}
	s2.Close()
	for what, body := range map[string]string{
		"size mismatch": strings.Replace(good, "skip: 100", "skip: 10", 1),
		"bad endian":    strings.Replace(good, "little", "middle", 1),
		"bad bytes":     strings.Replace(good, "bytes: 2", "bytes: 3", 1),
		"bad shape":     strings.Replace(good, "10 10", "10", 1),
	} {
		if _, err := OpenRawImage(yml(body)); !qperr.Is(err, qperr.BadArgument) {
			t.Errorf("%s: %v", what, err)
		}
	}
	os.WriteFile("r.yml", []byte("filename: missing.raw\n"+good), 0o600)
	if _, err := OpenRawImage("r.yml"); !qperr.Is(err, qperr.IO) {
		t.Errorf("missing data file: %v", err)
	}
}
