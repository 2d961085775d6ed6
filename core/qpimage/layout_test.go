package qpimage

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/internal/fixture"
)

// h5dumpHP returns `h5dump -H -p` of a file without its first line (the
// file name). h5dump must be installed (hdf5-tools): a missing tool fails.
func h5dumpHP(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("h5dump", "-H", "-p", path).Output()
	if err != nil {
		t.Fatalf("h5dump %s: %v (install hdf5-tools)", path, err)
	}
	out = out[bytes.IndexByte(out, '\n')+1:]
	return string(out)
}

// typedMetaAttrs converts fixture params.meta_data (typed) to ordered attrs.
func typedMetaAttrs(t *testing.T, raw json.RawMessage) []imagedata.Attr {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatal("meta_data is not an object")
	}
	var out []imagedata.Attr
	for dec.More() {
		tok, _ := dec.Token()
		var v struct {
			Value json.RawMessage `json:"value"`
			Type  string          `json:"type"`
		}
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, imagedata.Attr{Name: tok.(string), Value: typedValue(t, v.Value, v.Type)})
	}
	return out
}

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
			opt.Meta = typedMetaAttrs(t, c.Params["meta_data"])
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
	// (a gauss fit may differ from lmfit's in the 1e-9 digits).
	addr := regexp.MustCompile(`OFFSET \d+|SIZE \d+ \([0-9.]+:1 COMPRESSION\)`)
	for name, write := range cases {
		t.Run(name, func(t *testing.T) {
			c := fixture.Load(t, name)
			var file string
			c.Want(t, "file", &file)
			stem := file[:len(file)-len(filepath.Ext(file))]
			path := filepath.Join(dir, file)
			write(c, path)
			got := addr.ReplaceAllString(h5dumpHP(t, path), "<data-dependent>")
			want := addr.ReplaceAllString(h5dumpHP(t, c.Path(file)), "<data-dependent>")
			if got != want {
				os.WriteFile(filepath.Join(dir, "got.txt"), []byte(got), 0o644)
				t.Errorf("h5dump -H -p differs from upstream:\n%s", lineDiff(want, got))
			}
			var sum string
			c.Want(t, stem+"_sha256", &sum)
			b, _ := os.ReadFile(path)
			h := sha256.Sum256(b)
			t.Logf("byte-identical to upstream: %v (%d bytes)", hex.EncodeToString(h[:]) == sum, len(b))
		})
	}
}

// lineDiff shows the first differing lines.
func lineDiff(want, got string) string {
	wl, gl := bytes.Split([]byte(want), []byte("\n")), bytes.Split([]byte(got), []byte("\n"))
	var out bytes.Buffer
	n := 0
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !bytes.Equal(w, g) {
			out.WriteString("line " + itoa(i+1) + ":\n  want: " + string(w) + "\n  got:  " + string(g) + "\n")
			if n++; n > 8 {
				break
			}
		}
	}
	return out.String()
}

func itoa(i int) string {
	return string(rune('0'+i/1000%10)) + string(rune('0'+i/100%10)) + string(rune('0'+i/10%10)) + string(rune('0'+i%10))
}
