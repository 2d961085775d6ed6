package ldeflate

import (
	"bytes"
	"compress/flate"
	"io"
	"math/rand/v2"
	"testing"
)

func sample() []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, 100000)
	for i := range b {
		b[i] = byte(r.IntN(16))
	}
	return b
}

// TestInterop: libdeflate's streams inflate with compress/flate and the
// other way round; a truncated stream or a wrong size is refused.
func TestInterop(t *testing.T) {
	if !Available() {
		t.Skip("libdeflate.so.0 not available")
	}
	src := sample()
	z, ok := Compress(src, 6)
	if !ok || len(z) >= len(src) {
		t.Fatalf("Compress: ok %v, %d bytes", ok, len(z))
	}
	got, err := io.ReadAll(flate.NewReader(bytes.NewReader(z)))
	if err != nil || !bytes.Equal(got, src) {
		t.Fatalf("compress/flate inflating libdeflate's stream: %v", err)
	}
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, 6)
	fw.Write(src)
	fw.Close()
	dst := make([]byte, len(src))
	if !Inflate(buf.Bytes(), dst) || !bytes.Equal(dst, src) {
		t.Fatal("libdeflate inflating compress/flate's stream")
	}
	if Inflate(z[:len(z)/2], dst) {
		t.Error("truncated stream accepted")
	}
	if Inflate(z, make([]byte, len(src)+1)) || Inflate(z, make([]byte, len(src)-1)) {
		t.Error("wrong output size accepted")
	}
	if _, ok := Compress(nil, 6); !ok {
		t.Error("empty input not compressed")
	}
}
