package eiger

import (
	"encoding/binary"
	"testing"

	ims "qpgo/series/imageseries"
)

// FuzzDecompress: any payload is decoded or refused with an error, never a
// panic or an out-of-range write (lz4, bslz4 for element sizes 1-8, and
// csrnpz into a small frame).
func FuzzDecompress(f *testing.F) {
	seed := binary.BigEndian.AppendUint64(nil, 64)
	seed = binary.BigEndian.AppendUint32(seed, 32)
	seed = append(seed, 0, 0, 0, 4, 0x40, 1, 2, 3)
	f.Add(seed, uint8(2))
	f.Add([]byte("\x00\x00\x00\x00\x00\x00\x00\x10PK\x03\x04"), uint8(1))
	f.Fuzz(func(t *testing.T, src []byte, es uint8) {
		e := int(es%8) + 1
		if n, err := DecodedSize(src); err == nil && n <= 1<<20 {
			dst := make([]byte, n)
			_ = Decompress("lz4", src, e, dst)
			_ = Decompress("bslz4", src, e, dst)
		}
		_ = decodeCSRNPZ(src, ims.ZeroFrame(4, 5, ims.Uint16))
	})
}
