package imageseries

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qpgo/core/qperr"
)

// fakeReader serves image files named *.img: "multi*" files hold three
// 2x2 int64 frames, "big*" one [[300]], others one 2x3 frame (values
// 10*frame + element); *.bad fails.
type fakeReader struct{ infos, reads int }

func (r *fakeReader) frames(name string) (n, rows, cols int) {
	switch base := filepath.Base(name); {
	case strings.HasPrefix(base, "multi"):
		return 3, 2, 2
	case strings.HasPrefix(base, "big"):
		return 1, 1, 1
	}
	return 1, 2, 3
}

func (r *fakeReader) Info(name string, k int) (int, string, int, int, DType, bool, error) {
	r.infos++
	switch filepath.Ext(name) {
	case ".bad":
		return 0, "", 0, 0, 0, true, errors.New("fake fabio failed")
	case ".img":
	default:
		return 0, "", 0, 0, 0, false, nil
	}
	n, rows, cols := r.frames(name)
	return n, "FakeImage", rows, cols, Int64, true, nil
}

func (r *fakeReader) Read(name string, k int, buf []byte) error {
	r.reads++
	n, rows, cols := r.frames(name)
	if k >= n {
		return fmt.Errorf("frame %d of %d", k, n)
	}
	v := make([]int64, rows*cols)
	for i := range v {
		v[i] = int64(10*k + i)
	}
	if rows == 1 {
		v[0] = 300
	}
	copy(buf, DataBytes(v))
	return nil
}

// Files of formats decoded neither here nor by the external reader keep
// their "unsupported" error; the reader's files go through every rule of
// the series (multi-frame files, empty frames, dtype option with its
// truncation check, gel scaling).
func TestImageFilesExternalReader(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.img", "b.img", "multi.img", "big.img", "x.bad", "y.zzz"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("dummy"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	yml := func(files, opts string) string {
		return fmt.Sprintf("image-files:\n  directory: %s\n  files: %q\noptions: {%s}\nmeta: {}\n", dir, files, opts)
	}
	if _, err := OpenImageFiles(yml("a.img", "")); qperr.KindOf(err) != qperr.Unsupported {
		t.Fatalf("no reader: %v, want unsupported", err)
	}
	r := &fakeReader{}
	SetExternalImageReader(r)
	defer SetExternalImageReader(nil)
	s, err := OpenImageFiles(yml("a.img b.img", ""))
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 2 || s.FabioClass() != "FakeImage" || !s.SingleFrames() || s.DType() != Int64 || fmt.Sprint(s.Shape()) != "[2 3]" {
		t.Fatalf("series: len %d class %q single %v dtype %v shape %v", s.Len(), s.FabioClass(), s.SingleFrames(), s.DType(), s.Shape())
	}
	f, err := s.Frame(1)
	if err != nil || fmt.Sprint(f.Data) != "[0 1 2 3 4 5]" {
		t.Fatalf("frame 1: %v %v", f.Data, err)
	}
	m, err := OpenImageFiles(yml("multi.img", "empty-frames: 1"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Len() != 2 || m.SingleFrames() {
		t.Fatalf("multi: len %d single %v", m.Len(), m.SingleFrames())
	}
	if f, err := m.Frame(-1); err != nil || fmt.Sprint(f.Data) != "[20 21 22 23]" {
		t.Fatalf("multi frame -1: %v %v", f.Data, err)
	}
	if u, e := m.FileFrames(); fmt.Sprint(u, e) != "[2] 1" {
		t.Errorf("file frames %v %d", u, e)
	}
	big, err := OpenImageFiles(yml("big.img", "dtype: uint8"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := big.Frame(0); qperr.KindOf(err) != qperr.Runtime {
		t.Errorf("truncating dtype: %v, want a runtime error", err)
	}
	if _, err := OpenImageFiles(yml("x.bad", "")); err == nil || !strings.Contains(err.Error(), "fake fabio failed") {
		t.Errorf("failing reader: %v", err)
	}
	if _, err := OpenImageFiles(yml("y.zzz", "")); qperr.KindOf(err) != qperr.Unsupported {
		t.Errorf("format unknown to the reader too: %v, want unsupported", err)
	}
	if _, err := OpenImageFiles(yml("a.img multi.img", "")); err == nil {
		t.Error("files of different shapes: no error")
	}
}
