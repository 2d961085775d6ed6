package qpimage

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/internal/fixture"
	"qpgo/internal/fixture/qptest"
)

// TestWrittenLayoutMatchesUpstream replays the upstream call sequence of
// the reference files and compares `h5dump -H -p` of qpgo's file with the
// upstream dump (groups, datasets, dtypes, chunking, filters, fill
// properties, attribute types), and reports whether the bytes are identical.
func TestWrittenLayoutMatchesUpstream(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]func(c *fixture.Case, path string){
		"h5_qpimage_full": func(c *fixture.Case, path string) {
			pha, shape := c.Float64(t, "pha")
			amp, _ := c.Float64(t, "amp")
			bp, _ := c.Float64(t, "bg_pha")
			ba, _ := c.Float64(t, "bg_amp")
			pa := ConvWhichData("phase,amplitude")
			opt := DefaultOptions()
			opt.Meta = qptest.TypedMetaAttrs(t, c.Params["meta_data"])
			q, err := NewFile(path, "w", &Input{WhichData: pa, Arrays: [][]float64{pha, amp}, Shape: shape},
				&Input{WhichData: pa, Arrays: [][]float64{bp, ba}, Shape: shape}, opt)
			if err != nil {
				t.Fatal(err)
			}
			o := DefaultBGOptions()
			o.FitOffset, o.FitProfile, o.BorderPx = "fit", "tilt", 2
			o.FromMask = c.Array(t, "mask").Data.([]bool)
			if _, err := q.ComputeBG(o); err != nil {
				t.Fatal(err)
			}
			o = DefaultBGOptions()
			o.WhichData, o.FitOffset, o.FitProfile, o.BorderPerc = ConvWhichData("amplitude"), "mean", "offset", 10
			if _, err := q.ComputeBG(o); err != nil {
				t.Fatal(err)
			}
			q.Close()
		},
		"h5_qpimage_float64": func(c *fixture.Case, path string) {
			pha, shape := c.Float64(t, "pha")
			bp, _ := c.Float64(t, "bg_pha")
			w := ConvWhichData("phase")
			opt := DefaultOptions()
			opt.H5DType = h5.Float64
			opt.Meta = []imagedata.Attr{{Name: "wavelength", Value: 633e-9}, {Name: "pixel size", Value: 3.45e-7},
				{Name: "medium index", Value: 1.0}, {Name: "time", Value: 0.25}}
			q, err := NewFile(path, "w", &Input{WhichData: w, Arrays: [][]float64{pha}, Shape: shape},
				&Input{WhichData: w, Arrays: [][]float64{bp}, Shape: shape}, opt)
			if err != nil {
				t.Fatal(err)
			}
			o := DefaultBGOptions()
			o.FitOffset, o.FitProfile, o.BorderPx = "gauss", "poly2o", 3
			if _, err := q.ComputeBG(o); err != nil {
				t.Fatal(err)
			}
			q.Close()
		},
		"h5_qpimage_field": func(c *fixture.Case, path string) {
			fa := c.Array(t, "field")
			f, _ := fa.Complex128()
			ba := c.Array(t, "bg_field")
			bf, _ := ba.Complex128()
			w := ConvWhichData("field")
			opt := DefaultOptions()
			opt.Meta = []imagedata.Attr{{Name: "wavelength", Value: 550e-9}, {Name: "identifier", Value: "fld"}}
			q, err := NewFile(path, "w", &Input{WhichData: w, Field: f, Shape: fa.Shape},
				&Input{WhichData: w, Field: bf, Shape: ba.Shape}, opt)
			if err != nil {
				t.Fatal(err)
			}
			q.Close()
		},
		"h5_qpimage_copy_from_memory": func(c *fixture.Case, path string) {
			pha, shape := c.Float64(t, "pha")
			amp, _ := c.Float64(t, "amp")
			opt := DefaultOptions()
			opt.Meta = []imagedata.Attr{{Name: "wavelength", Value: 500e-9}, {Name: "pixel size", Value: 1.1e-7}, {Name: "identifier", Value: "mem"}}
			q, err := NewInMemory(&Input{WhichData: ConvWhichData("phase,amplitude"), Arrays: [][]float64{pha, amp}, Shape: shape}, nil, opt)
			if err != nil {
				t.Fatal(err)
			}
			o := DefaultBGOptions()
			o.FitOffset, o.FitProfile, o.BorderPx = "mean", "poly2o", 3
			if _, err := q.ComputeBG(o); err != nil {
				t.Fatal(err)
			}
			cp, err := q.CopyToFile(path)
			if err != nil {
				t.Fatal(err)
			}
			cp.Close()
			q.Close()
		},
	}
	// Addresses and compressed sizes depend on the bytes, not the layout
	// (a gauss fit may differ from lmfit's in the 1e-9 digits): H5DumpHP
	// masks them.
	for name, write := range cases {
		t.Run(name, func(t *testing.T) {
			c := fixture.Load(t, name)
			var file string
			c.Want(t, "file", &file)
			stem := file[:len(file)-len(filepath.Ext(file))]
			path := filepath.Join(dir, file)
			write(c, path)
			if got := qptest.CheckH5Dump(t, path, c.Path(file)); t.Failed() {
				os.WriteFile(filepath.Join(dir, "got.txt"), []byte(got), 0o644)
			}
			var sum string
			c.Want(t, stem+"_sha256", &sum)
			b, _ := os.ReadFile(path)
			h := sha256.Sum256(b)
			t.Logf("byte-identical to upstream: %v (%d bytes)", hex.EncodeToString(h[:]) == sum, len(b))
		})
	}
}
