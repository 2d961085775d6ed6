package imageseries

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"qpgo/internal/ldeflate"
	"qpgo/internal/npy"
)

func withLibdeflate(on bool, f func()) {
	old := npy.UseLibdeflate
	npy.UseLibdeflate = on
	defer func() { npy.UseLibdeflate = old }()
	f()
}

// TestNPZLibdeflate writes npz caches with libdeflate and compress/flate
// and reads each with both.
func TestNPZLibdeflate(t *testing.T) {
	if !ldeflate.Available() {
		t.Skip("libdeflate not available")
	}
	src := genSeries{3, 96, 80}
	dir := t.TempDir()
	for _, wl := range []bool{true, false} {
		p := filepath.Join(dir, map[bool]string{true: "ld.npz", false: "flate.npz"}[wl])
		withLibdeflate(wl, func() {
			if err := WriteFrameCache(src, p, FrameCacheOptions{Threshold: 200}); err != nil {
				t.Fatal(err)
			}
		})
		for _, rl := range []bool{true, false} {
			withLibdeflate(rl, func() {
				s, err := OpenFrameCache(p, "npz")
				if err != nil {
					t.Fatal(err)
				}
				defer s.(*FrameCache).Close()
				for i := range src.n {
					f, err := s.Frame(i)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(f.Data.([]uint16), denseThreshold(t, src, i, 200)) {
						t.Fatalf("written with libdeflate %v, read with %v: frame %d differs", wl, rl, i)
					}
				}
			})
		}
	}
}

// TestNPZCorruptMember flips a byte inside a compressed frame member:
// both inflaters report an error (a bad stream or a CRC mismatch).
func TestNPZCorruptMember(t *testing.T) {
	src := genSeries{2, 64, 64}
	p := filepath.Join(t.TempDir(), "c.npz")
	if err := WriteFrameCache(src, p, FrameCacheOptions{Threshold: 200}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var off int64 = -1
	for _, f := range zr.File {
		if f.Name == "0_data.npy" {
			off, _ = f.DataOffset()
			off += int64(f.CompressedSize64) / 2
		}
	}
	if off < 0 {
		t.Fatal("no member 0_data.npy")
	}
	b[off] ^= 0x55
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, on := range []bool{true, false} {
		withLibdeflate(on, func() {
			s, err := OpenFrameCache(p, "npz")
			if err != nil {
				t.Fatal(err)
			}
			defer s.(*FrameCache).Close()
			if _, err := s.Frame(0); err == nil {
				t.Errorf("libdeflate %v: corrupt member read without error", on)
			}
		})
	}
}

// TestEncodeNpyRaw: the one-copy encoder writes what npy.Write writes.
func TestEncodeNpyRaw(t *testing.T) {
	for _, a := range []*npy.Array{
		{Shape: []int{3}, Data: []uint16{1, 2, 65535}},
		{Shape: []int{2}, Data: []int64{-1, 1 << 40}},
		{Shape: []int{}, Data: []float64{2.5}},
		{Shape: []int{2, 2}, Data: []float32{1, 2, 3, 4}},
		{Shape: []int{0}, Data: []int8{}},
		{Shape: []int{2}, Data: []uint8{7, 8}},
	} {
		got, err := npy.Encode(a)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := npy.Write(&want, a); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%T: npy.Encode differs from npy.Write", a.Data)
		}
	}
}

// TestIJVMasks: the mask scan keeps exactly the pixels of the block scan,
// for row widths around the 64-pixel word and thresholds at the edges.
func TestIJVMasks(t *testing.T) {
	for _, cols := range []int{64, 65, 127, 128, 200, 1024} {
		g := genSeries{1, 37, cols}
		f, _ := g.Frame(0)
		v := f.Data.([]uint16)
		v[0], v[len(v)-1] = 65535, 65535
		for _, th := range []uint16{0, 99, 131, 200, 3998, 65534, 65535} {
			r1, c1, d1 := ijvU16Scan(v, cols, th)
			r2, c2, d2 := ijvU16(v, cols, th)
			if !slices.Equal(r1, r2) || !slices.Equal(c1, c2) || !slices.Equal(d1.([]uint16), d2.([]uint16)) {
				t.Errorf("cols %d threshold %d: %d kept, want %d", cols, th, len(r2), len(r1))
			}
		}
	}
}
