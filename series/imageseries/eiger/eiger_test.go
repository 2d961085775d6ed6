package eiger

import (
	"encoding/binary"
	"math/rand"
	"slices"
	"testing"

	"github.com/pierrec/lz4/v4"

	"qpgo/core/h5"
	"qpgo/core/qperr"
	"qpgo/internal/npy"
	ims "qpgo/series/imageseries"
)

// The files in testdata were written by make_testdata.py with encoders that
// are not ours (python-lz4, numpy's packbits, scipy) and checked there
// against Dectris' own decoder; /expect holds the frames.

func expect(t *testing.T, f *h5.File, p string) ims.Frame {
	t.Helper()
	g := f.Root()
	data, shape, err := g.ReadDataset(p)
	if err != nil {
		t.Fatal(err)
	}
	fr, err := ims.NewFrame(shape[0], shape[1], data)
	if err != nil {
		t.Fatal(err)
	}
	return fr
}

func sameFrame(t *testing.T, what string, got, want ims.Frame) {
	t.Helper()
	if got.Rows != want.Rows || got.Cols != want.Cols || got.DType() != want.DType() {
		t.Fatalf("%s: got (%d, %d) %s, want (%d, %d) %s", what, got.Rows, got.Cols, got.DType(), want.Rows, want.Cols, want.DType())
	}
	if !slices.Equal(ims.DataBytes(got.Data), ims.DataBytes(want.Data)) {
		t.Fatalf("%s: frame data differ", what)
	}
}

func TestV1EntriesOfEveryKind(t *testing.T) {
	s, err := OpenV1("testdata/stream_v1.h5")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Len() != 5 || !slices.Equal(s.Shape(), []int{61, 67}) || s.DType() != ims.Uint32 {
		t.Fatalf("len %d shape %v dtype %s", s.Len(), s.Shape(), s.DType())
	}
	// bslz4 u4 (several blocks + leftover), bslz4 u2, lz4 (stored and
	// compressed blocks), csrnpz, raw bytes
	for i := 0; i < 5; i++ {
		e, err := s.entry(i, "")
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.decode()
		if err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		sameFrame(t, "entry "+string(rune('0'+i)), got, expect(t, s.f, "expect/"+string(rune('0'+i))))
	}
	f0, err := s.Frame(-5)
	if err != nil {
		t.Fatal(err)
	}
	sameFrame(t, "frame -5", f0, expect(t, s.f, "expect/0"))
	// frame 1 has another shape than the series: an error, not a crash
	if _, err := s.Frame(1); !qperr.Is(err, qperr.Integrity) {
		t.Fatalf("frame of another shape: %v", err)
	}
	if _, err := s.Frame(5); !qperr.Is(err, qperr.NotFound) {
		t.Fatalf("frame 5: %v", err)
	}
}

func TestV1Metadata(t *testing.T) {
	s, err := OpenV1("testdata/stream_v1.h5")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	m := s.Metadata()
	if m["name"] != "eiger test" {
		t.Fatalf("name = %#v", m["name"])
	}
	for k, want := range map[string]float64{"count_time": 0.5, "one": 7} {
		a, ok := m[k].(*npy.Array)
		if !ok || a.Len() != 1 || len(a.Shape) != 0 {
			t.Fatalf("%s = %#v", k, m[k])
		}
		if fr, _ := ims.NewFrame(1, 1, a.Data); fr.At(0, 0) != want {
			t.Fatalf("%s = %v, want %v", k, fr.At(0, 0), want)
		}
	}
	start, ok := m["start"].(map[string]any)
	if !ok || start["series"] == nil {
		t.Fatalf("start = %#v", m["start"])
	}
}

func TestV2Thresholds(t *testing.T) {
	for _, setting := range []string{"threshold_1", "threshold_2", "man_diff"} {
		s, err := OpenV2("testdata/stream_v2.h5", setting, 0.75)
		if err != nil {
			t.Fatal(err)
		}
		if s.Len() != 3 || !slices.Equal(s.Shape(), []int{24, 16}) {
			t.Fatalf("len %d shape %v", s.Len(), s.Shape())
		}
		for i := 0; i < 3; i++ {
			got, err := s.Frame(i)
			if err != nil {
				t.Fatal(err)
			}
			p := "expect/" + string(rune('0'+i)) + "/"
			if setting != "man_diff" {
				if s.DType() != ims.Uint32 {
					t.Fatalf("dtype %s", s.DType())
				}
				sameFrame(t, setting, got, expect(t, s.f, p+setting))
				continue
			}
			if s.DType() != ims.Float64 || got.DType() != ims.Float64 {
				t.Fatalf("man_diff dtype %s / %s", s.DType(), got.DType())
			}
			a, b := expect(t, s.f, p+"threshold_1").Float64(), expect(t, s.f, p+"threshold_2").Float64()
			g := got.Float64()
			for k := range a {
				if g[k] != a[k]-0.75*b[k] {
					t.Fatalf("man_diff[%d] = %v, want %v", k, g[k], a[k]-0.75*b[k])
				}
			}
		}
		s.Close()
	}
	_, err := OpenV2("testdata/stream_v2.h5", "threshold_3", 1)
	want := `"threshold_3" is not one of the possible values for the threshold_setting. Possible values are: threshold_1, threshold_2, man_diff`
	if err == nil || !qperr.Is(err, qperr.BadArgument) || err.Error() != want {
		t.Fatalf("bad setting: %v", err)
	}
}

func TestRegistered(t *testing.T) {
	s, err := ims.Open("testdata/stream_v2.h5", FormatV2, ims.Options{"threshold_setting": "man_diff", "multiplier": 2.0})
	if err != nil {
		t.Fatal(err)
	}
	if s.DType() != ims.Float64 {
		t.Fatalf("dtype %s", s.DType())
	}
	s.(*Stream).Close()
	if _, err := ims.Open("testdata/stream_v1.h5", FormatV1, nil); err != nil {
		t.Fatal(err)
	}
}

// payload frames raw with the HDF5 LZ4 / bitshuffle framing (our encoder:
// pierrec/lz4 + bitShuffle; the Python-made files above check the decoder
// against foreign encoders).
func payload(t *testing.T, raw []byte, kind string, es, block int) []byte {
	t.Helper()
	out := binary.BigEndian.AppendUint64(nil, uint64(len(raw)))
	out = binary.BigEndian.AppendUint32(out, uint32(block))
	body, tail := raw, []byte(nil)
	if kind == "bslz4" {
		cut := len(raw) - len(raw)%(8*es)
		body, tail = raw[:cut], raw[cut:]
	}
	for off := 0; off < len(body); off += block {
		blk := body[off:min(off+block, len(body))]
		if kind == "bslz4" {
			sh := make([]byte, len(blk))
			bitShuffle(sh, blk, len(blk)/es, es)
			blk = sh
		}
		c := make([]byte, lz4.CompressBlockBound(len(blk)))
		n, err := lz4.CompressBlock(blk, c, nil)
		if err != nil {
			t.Fatal(err)
		}
		out = binary.BigEndian.AppendUint32(out, uint32(n))
		out = append(out, c[:n]...)
	}
	return append(out, tail...)
}

func TestRoundTripAndCorruption(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, es := range []int{1, 2, 4, 8} {
		raw := make([]byte, es*(1000+es*3+5))
		for i := range raw {
			raw[i] = byte(rng.Intn(16))
		}
		for _, kind := range []string{"lz4", "bslz4"} {
			p := payload(t, raw, kind, es, 8*es*17)
			got := make([]byte, len(raw))
			if err := Decompress(kind, p, es, got); err != nil {
				t.Fatalf("%s es=%d: %v", kind, es, err)
			}
			if !slices.Equal(got, raw) {
				t.Fatalf("%s es=%d: differs", kind, es)
			}
			if n, err := DecodedSize(p); err != nil || n != len(raw) {
				t.Fatalf("DecodedSize = %d, %v", n, err)
			}
			// every truncation is an error, never a panic
			for cut := 0; cut < len(p); cut += 1 + len(p)/40 {
				if err := Decompress(kind, p[:cut], es, got); err == nil {
					t.Fatalf("%s truncated at %d: no error", kind, cut)
				}
			}
			if err := Decompress(kind, p, es, got[:len(got)-1]); !qperr.Is(err, qperr.BadArgument) {
				t.Fatalf("short dst: %v", err)
			}
		}
	}
	p := payload(t, make([]byte, 64), "bslz4", 4, 32)
	binary.BigEndian.PutUint32(p[8:], 12) // not a multiple of 8 elements
	if err := Decompress("bslz4", p, 4, make([]byte, 64)); !qperr.Is(err, qperr.IO) {
		t.Fatalf("bad block size: %v", err)
	}
	if err := Decompress("zstd", p, 4, make([]byte, 64)); !qperr.Is(err, qperr.BadArgument) {
		t.Fatalf("unknown kind: %v", err)
	}
}

func TestTranspose8(t *testing.T) {
	// bit (r, c) -> (c, r)
	for r := 0; r < 8; r++ {
		for c := 0; c < 8; c++ {
			if got := transpose8(1 << (8*r + c)); got != 1<<(8*c+r) {
				t.Fatalf("(%d,%d): %x", r, c, got)
			}
		}
	}
}
