package imageseries

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"qpgo/internal/fixture"
)

func checkFCH5Read(t *testing.T, c *isCase, s ImageSeries) {
	t.Helper()
	checkSeries(t, c, s)
	var m map[string]json.RawMessage
	c.Want(t, "metadata", &m)
	want := metaFromJSON(t, c, m)
	got := s.Metadata()
	if len(want) != len(got) {
		t.Errorf("%s: metadata keys %v, want %d", c.Name, keys(got), len(want))
	}
	for k, w := range want {
		if !sameMeta(got[k], w) {
			t.Errorf("%s: metadata %q = %#v, want %#v", c.Name, k, got[k], w)
		}
	}
	checkRegion(t, c, s)
	var fancy struct {
		Frame      int
		Rows, Cols json.RawMessage
	}
	c.Want(t, "fancy_index", &fancy)
	p, err := Points(s, fancy.Frame, flatInts(t, fancy.Rows), flatInts(t, fancy.Cols))
	if err != nil {
		t.Fatal(err)
	}
	want2 := readNpyT(t, c.Path("expected_fancy.npy"))
	want2.Shape = []int{want2.Len()}
	checkFrame1(t, c, "fancy_index", p, want2, fixture.Tol{Exact: true})
	var kept []int
	c.Want(t, "kept_pixels_per_frame", &kept)
	for i, k := range kept {
		sf, err := s.(*FCH5Cache).sparse(i)
		if err != nil || len(sf.row) != k {
			t.Errorf("frame %d kept %d, want %d (%v)", i, len(sf.row), k, err)
		}
	}
}

func TestFrameCacheFCH5(t *testing.T) {
	for _, name := range caseNames(t, "frame-cache-fch5") {
		t.Run(name, func(t *testing.T) {
			c := load(t, name)
			s, err := Open(c.Path("cache.fch5"), "frame-cache", Options{"style": "fch5"})
			if err != nil {
				t.Fatal(err)
			}
			defer s.(*FCH5Cache).Close()
			checkFCH5Read(t, c, s)
			var ids []uint64
			c.Want(t, "frame_ids_written", &ids)
			if fmt.Sprint(s.(*FCH5Cache).FrameIDs()) != fmt.Sprint(ids) {
				t.Errorf("frame_ids %v, want %v", s.(*FCH5Cache).FrameIDs(), ids)
			}
			for _, d := range []string{"/data", "/indices", "/frame_ids"} {
				checkDatasetLayout(t, c, c.Path("cache.fch5"), d)
			}

			// qpgo's writer, read back
			var inMeta map[string]json.RawMessage
			c.Input(t, "metadata", &inMeta)
			src := arrayFrom(t, c, "frames", metaFromJSON(t, c, inMeta))
			before := fmt.Sprint(src.Metadata())
			var th float64
			c.Input(t, "threshold", &th)
			out := filepath.Join(t.TempDir(), "cache.fch5")
			var warnings []string
			err = Write(src, out, "frame-cache", Options{"threshold": th, "style": "fch5", "warn": func(s string) { warnings = append(warnings, s) }})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(src.Metadata()) != before {
				t.Error("writing changed the source metadata (I2)")
			}
			var wantWarn []string
			c.Want(t, "write_warnings", &wantWarn)
			var sparsity []string
			for _, w := range warnings {
				if strings.Contains(w, "sparse") {
					sparsity = append(sparsity, w)
				} else {
					t.Logf("writer: %s", w)
				}
			}
			for i := range wantWarn {
				wantWarn[i] = strings.Replace(wantWarn[i], "cutoff is 95%", "cutoff is 90%", 1) // I8
			}
			if fmt.Sprint(sparsity) != fmt.Sprint(wantWarn) {
				t.Errorf("warnings %q, want %q", sparsity, wantWarn)
			}
			s2, err := OpenFrameCache(out, "fch5")
			if err != nil {
				t.Fatal(err)
			}
			defer s2.(*FCH5Cache).Close()
			checkFCH5Read(t, c, s2)
			checkFCH5MetaLayout(t, c, out)
			// layout: our frame order differs, so shapes are as upstream's
			// and chunks/filters/maxshape identical
			for _, d := range []string{"/data", "/indices", "/frame_ids"} {
				checkDatasetLayout(t, c, out, d)
			}
		})
	}
}

func TestFCH5InGroup(t *testing.T) {
	src, _ := NewArray([]uint16{0, 9, 0, 0, 7, 0}, []int{2, 1, 3}, Metadata{"gain": 2.5})
	out := filepath.Join(t.TempDir(), "g.h5")
	if err := Write(src, out, "frame-cache", Options{"threshold": 1, "style": "fch5", "path": "images/det", "warn": func(string) {}}); err != nil {
		t.Fatal(err)
	}
	s, err := Open(out, "frame-cache", Options{"style": "fch5", "path": "images/det"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.(*FCH5Cache).Close()
	for i := 0; i < 2; i++ {
		a, _ := src.Frame(i)
		b, err := s.Frame(i)
		if err != nil || !sameFrame(a, b) {
			t.Fatalf("frame %d: %v %v (%v)", i, a, b, err)
		}
	}
	if s.Metadata()["gain"] != 2.5 {
		t.Errorf("metadata %v", s.Metadata())
	}
	if _, err := Open(out, "frame-cache", Options{"style": "fch5"}); err == nil {
		t.Error("root of a file with the cache in a group opened as fch5")
	}
}
