package imageseries

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qpgo/core/qperr"
	"qpgo/internal/npy"
)

// Fuzz targets of the parsers this package owns. Each must return an
// error for bad input, never panic (nor hang or allocate without bound:
// frames are only read when the declared size is small).

// readAllFrames reads every frame (and a region) of a small series.
func readAllFrames(t *testing.T, s ImageSeries) {
	sh := s.Shape()
	if len(sh) != 2 || int64(sh[0])*int64(sh[1])*int64(max(s.Len(), 1)) > 1<<22 {
		return
	}
	for i := 0; i < s.Len(); i++ {
		if _, err := s.Frame(i); err != nil {
			return
		}
	}
	if s.Len() > 0 {
		GetRegion(s, -1, Rect{0, 2, 1, 3})
	}
	MetadataJSON(s.Metadata())
}

func closeSeries(s ImageSeries) {
	if c, ok := s.(interface{ Close() error }); ok {
		c.Close()
	}
}

// FuzzNPZFrameCache: bytes → npz file → open → read every frame.
func FuzzNPZFrameCache(f *testing.F) {
	dir := f.TempDir()
	for k, th := range []float64{1, -1} {
		src, err := NewArray([]int16{0, 5, -3, 0, 7, 0, 2, 0, 0, 0, 9, 1}, []int{2, 2, 3},
			Metadata{"omega": &npy.Array{Shape: []int{2, 2}, Data: []float64{0, 1, 1, 2}}, "panel": "ff1"})
		if err != nil {
			f.Fatal(err)
		}
		p := filepath.Join(dir, "seed.npz")
		if err := WriteFrameCache(src, p, FrameCacheOptions{Threshold: th, Warn: func(string) {}}); err != nil {
			f.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		if k == 0 {
			f.Add(b[:len(b)/2])
		}
	}
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.npz")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := OpenFrameCache(p, "npz")
		if err != nil {
			if qperr.KindOf(err) == qperr.Internal {
				t.Fatalf("internal error: %v", err)
			}
			return
		}
		defer closeSeries(s)
		readAllFrames(t, s)
	})
}

// edfBytes is a little EDF image of rows×cols uint16 (header one block).
func edfBytes(rows, cols int, v uint16) []byte {
	h := "{\nByteOrder = LowByteFirst ;\nDataType = UnsignedShort ;\nDim_1 = " + itoa(cols) + " ;\nDim_2 = " + itoa(rows) + " ;\nSize = " + itoa(2*rows*cols) + " ;\n"
	h += strings.Repeat(" ", 510-len(h)) + "}\n"
	b := []byte(h)
	for i := 0; i < rows*cols; i++ {
		b = append(b, byte(v+uint16(i)), byte((v+uint16(i))>>8))
	}
	return b
}

// safeYAML rejects inputs that could point the openers at files outside
// the fuzz directory (absolute or parent paths, home directories).
func safeYAML(t *testing.T, s string) {
	if strings.ContainsAny(s, "/\\~") || strings.Contains(s, "..") {
		t.Skip()
	}
}

// FuzzImageFilesYAML: the image-files YAML (file list, options, meta) over
// a directory holding a few small images.
func FuzzImageFilesYAML(f *testing.F) {
	f.Add("image-files:\n  directory: .\n  files: 'img_*.edf'\noptions:\n  empty-frames: 0\n  max-total-frames: 2\nmeta:\n  panel: ge1\n  omega: '! load-numpy-array omega.npy'\n")
	f.Add("image-files:\n  directory: .\n  files: img_0.edf img_1.edf\noptions: {dtype: float32, max-file-frames: 1}\nmeta: {}\n")
	f.Add("image-files: {directory: ., files: '*'}\noptions: {}\nmeta: {a: [1, 2], b: {c: 1.5}}\n")
	f.Fuzz(func(t *testing.T, y string) {
		safeYAML(t, y)
		dir := t.TempDir()
		for i := 0; i < 2; i++ {
			if err := os.WriteFile(filepath.Join(dir, "img_"+itoa(i)+".edf"), edfBytes(3, 4, uint16(10*i)), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		npy.Write(&buf, &npy.Array{Shape: []int{2, 2}, Data: []float64{0, 1, 1, 2}})
		os.WriteFile(filepath.Join(dir, "omega.npy"), buf.Bytes(), 0o600)
		t.Chdir(dir)
		p := filepath.Join(dir, "files.yml")
		if err := os.WriteFile(p, []byte(y), 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := OpenImageFiles(p)
		if err != nil {
			return
		}
		readAllFrames(t, s)
	})
}

// FuzzRawImageYAML: the raw-image YAML over a small raw file.
func FuzzRawImageYAML(f *testing.F) {
	f.Add("filename: frames.raw\nshape: 3 4\nskip: 8\nscalar:\n  type: i\n  bytes: 2\n  signed: false\n  endian: big\n")
	f.Add("filename: frames.raw\nshape: 2 2\nskip: 0\nscalar: {type: f, bytes: 4, signed: true, endian: little}\n")
	f.Add("filename: frames.raw\nshape: 1 1\nscalar: {type: b, bytes: 1, endian: little}\n")
	f.Fuzz(func(t *testing.T, y string) {
		safeYAML(t, y)
		dir := t.TempDir()
		raw := make([]byte, 8+3*24) // 8-byte header + 3 frames of 3×4 uint16
		for i := range raw {
			raw[i] = byte(i * 7)
		}
		if err := os.WriteFile(filepath.Join(dir, "frames.raw"), raw, 0o600); err != nil {
			t.Fatal(err)
		}
		t.Chdir(dir)
		p := filepath.Join(dir, "raw.yml")
		if err := os.WriteFile(p, []byte(y), 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := OpenRawImage(p)
		if err != nil {
			return
		}
		defer s.Close()
		readAllFrames(t, s)
	})
}

// FuzzMetadataJSON: the metadata JSON of the C ABI; what parses must
// encode again, and the encoding must parse to the same JSON.
func FuzzMetadataJSON(f *testing.F) {
	m := Metadata{
		"omega":  &npy.Array{Shape: []int{2, 2}, Data: []float64{0, 1, 1, 2}},
		"labels": &npy.Array{Shape: []int{2}, DType: "S2", Data: []string{"a", "bc"}},
		"panel":  Bytes("ff1"),
		"i4":     int32(7),
		"nested": map[string]any{"x": 1.5, "s": "t", "l": []any{int64(1), "a"}},
		"nan":    &npy.Array{Shape: []int{1}, Data: []float32{float32(nan())}},
	}
	b, err := MetadataJSON(m)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"a": 1, "b": [1.5, 2], "c": {"d": "e"}, "f": [[1, 2], [3, 4]], "g": null, "h": true}`))
	f.Add([]byte(`{"x": {"type": "ndarray", "dtype": "<i2", "shape": [2, 1], "value": [[1], [2]]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseMetadataJSON(data)
		if err != nil {
			return
		}
		enc, err := MetadataJSON(m)
		if err != nil {
			return // e.g. values JSON cannot carry back
		}
		m2, err := ParseMetadataJSON(enc)
		if err != nil {
			t.Fatalf("re-parse of %s: %v", enc, err)
		}
		enc2, err := MetadataJSON(m2)
		if err != nil || !jsonEqual(enc, enc2) {
			t.Fatalf("round trip changed %s → %s (%v)", enc, enc2, err)
		}
	})
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}
