package npy

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"qpgo/core/qperr"
	"qpgo/internal/limits"
)

func header(descr, shape string) []byte {
	d := "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }"
	for (10+len(d)+1)%64 != 0 {
		d += " "
	}
	d += "\n"
	return append([]byte{0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, byte(len(d)), byte(len(d) >> 8)}, d...)
}

// A member declaring 2^30 float64 on a 16-byte stream is refused before
// 8 GiB are allocated (it used to end the process: issue 18).
func TestReadHugeShapeShortStream(t *testing.T) {
	b := append(header("<f8", "(1073741824,)"), make([]byte, 16)...)
	_, err := Read(bytes.NewReader(b))
	if !qperr.Is(err, qperr.IO) || !strings.Contains(err.Error(), "declares 8589934592 data bytes but only 16 remain") {
		t.Fatalf("err = %v", err)
	}
	// a stream of unknown length, with a budget that allows the size: read
	// as data arrive (no 8 GiB buffer up front), then a short-read error
	limits.SetMaxAlloc(1 << 40)
	defer limits.SetMaxAlloc(0)
	_, err = Read(struct{ io.Reader }{bytes.NewReader(b)})
	if err == nil || !strings.Contains(err.Error(), "unexpected EOF") {
		t.Fatalf("stream err = %v", err)
	}
	for _, shape := range []string{"(4294967296, 4294967296)", "(-3,)"} {
		if _, err := Read(bytes.NewReader(append(header("<f8", shape), make([]byte, 8)...))); err == nil {
			t.Errorf("shape %s accepted", shape)
		}
	}
}
