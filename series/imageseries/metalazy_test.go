package imageseries

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"qpgo/core/h5"
	"qpgo/core/qperr"
	"qpgo/internal/npy"
)

// writeTestCache writes an npz frame cache of one 4x5 uint16 frame plus
// extra members (name -> npy bytes), deflated when deflate is true.
func writeTestCache(t *testing.T, extra map[string][]byte, deflate bool) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "c.npz")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	z := zip.NewWriter(f)
	enc := func(a *npy.Array) []byte {
		b, err := npy.Encode(a)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	m := map[string][]byte{
		"shape":   enc(&npy.Array{Shape: []int{2}, Data: []int64{4, 5}}),
		"nframes": enc(&npy.Array{Shape: []int{}, Data: []int64{1}}),
		"dtype":   enc(&npy.Array{Shape: []int{}, DType: "U6", Data: []string{"uint16"}}),
		"0_data":  enc(&npy.Array{Shape: []int{1}, Data: []uint16{7}}),
		"0_row":   enc(&npy.Array{Shape: []int{1}, Data: []uint16{1}}),
		"0_col":   enc(&npy.Array{Shape: []int{1}, Data: []uint16{2}}),
	}
	for k, v := range extra {
		m[k] = v
	}
	for k, v := range m {
		method := zip.Store
		if deflate {
			method = zip.Deflate
		}
		w, err := z.CreateHeader(&zip.FileHeader{Name: k + ".npy", Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(v)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return p
}

// A large numeric member is listed from its header at open and inflated
// into the caller's buffer on access; Metadata() reads it too.
func TestLargeMemberReadOnAccess(t *testing.T) {
	big := make([]float64, 1<<18) // 2 MiB
	for i := range big {
		big[i] = float64(i%251) - 7.5
	}
	raw, err := npy.Encode(&npy.Array{Shape: []int{512, 512}, Data: big})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(writeTestCache(t, map[string][]byte{"big": raw}, true), "frame-cache", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.(*FrameCache).Close()
	if _, lazy, _ := s.(*FrameCache).pendingMeta(); lazy["big"] == nil {
		t.Fatal("a 2 MiB member was read at open")
	}
	es := MetadataEntriesOf(s)
	if len(es) != 1 || es[0].Name != "big" || es[0].Kind != "array" || es[0].DType != h5.Float64 {
		t.Fatalf("entries %+v", es)
	}
	dt, shape, err := MetadataArrayInfo(s, "big")
	if err != nil || dt != h5.Float64 || len(shape) != 2 || shape[0] != 512 || shape[1] != 512 {
		t.Fatalf("info %v %v %v", dt, shape, err)
	}
	got := make([]float64, len(big))
	err = MetadataArrayInto(s, "big", func(need int64) ([]byte, error) {
		if need != int64(8*len(big)) {
			t.Fatalf("need %d", need)
		}
		return unsafe.Slice((*byte)(unsafe.Pointer(&got[0])), need), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range big {
		if got[i] != big[i] {
			t.Fatalf("element %d: %g, want %g", i, got[i], big[i])
		}
	}
	if _, lazy, _ := s.(*FrameCache).pendingMeta(); lazy["big"] == nil {
		t.Fatal("reading into the caller's buffer kept a copy")
	}
	a, ok := s.Metadata()["big"].(*npy.Array)
	if !ok || a.Data.([]float64)[12345] != big[12345] || MetadataError(s) != nil {
		t.Fatalf("Metadata(): %v %v", ok, MetadataError(s))
	}
}

// A damaged large member fails on access with an IO error naming the file
// and the member; Metadata() leaves it out and MetadataError reports it.
func TestLargeMemberDamaged(t *testing.T) {
	raw, _ := npy.Encode(&npy.Array{Shape: []int{1 << 18}, Data: make([]float64, 1<<18)})
	p := writeTestCache(t, map[string][]byte{"big": raw}, false)
	b, _ := os.ReadFile(p)
	i := strings.Index(string(b), "big.npy")
	j := strings.Index(string(b[i:]), "\x93NUMPY")
	b[i+j+200000] ^= 0xff // in the stored data: the CRC no longer matches
	os.WriteFile(p, b, 0o644)
	s, err := Open(p, "frame-cache", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.(*FrameCache).Close()
	err = MetadataArrayInto(s, "big", func(need int64) ([]byte, error) { return make([]byte, need), nil })
	if !qperr.Is(err, qperr.IO) || !strings.Contains(err.Error(), "c.npz member 'big.npy'") {
		t.Fatalf("damaged member: %v", err)
	}
	if _, ok := s.Metadata()["big"]; ok || !qperr.Is(MetadataError(s), qperr.IO) {
		t.Fatalf("Metadata() kept a damaged member: %v", MetadataError(s))
	}
}

// A legacy YAML cache declaring more frames than its archive holds, or a
// frame over the memory budget, is refused before the frame table is made
// (it was a Go runtime "out of memory" abort).
func TestYMLCacheHugeHeader(t *testing.T) {
	p := writeTestCache(t, nil, false)
	dir := filepath.Dir(p)
	for _, c := range []struct{ yml, want string }{
		{"data:\n  file: c.npz\n  dtype: uint16\n  nframes: 1099511627776\n  shape: [4, 5]\nmeta: {}\n", "1099511627776 frames declared"},
		{"data:\n  file: c.npz\n  dtype: uint16\n  nframes: 1\n  shape: [1048576, 1048576]\nmeta: {}\n", "over the memory budget"},
		// a meta array naming /dev/zero was read without end
		{"data:\n  file: c.npz\n  dtype: uint16\n  nframes: 1\n  shape: [4, 5]\nmeta:\n  om: '! load-numpy-array /dev/zero'\n", "/dev/zero: not a regular file"},
	} {
		y := filepath.Join(dir, "c.yml")
		os.WriteFile(y, []byte(c.yml), 0o644)
		wd, _ := os.Getwd()
		os.Chdir(dir)
		_, err := Open(y, "frame-cache", Options{"style": "yml"})
		os.Chdir(wd)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v", c.want, err)
		}
	}
}
