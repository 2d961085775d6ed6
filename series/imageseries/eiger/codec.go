package eiger

import (
	"encoding/binary"

	"github.com/pierrec/lz4/v4"

	"qpgo/core/qperr"
)

// blockedMult is the number of elements a bitshuffle block is a multiple
// of.
const blockedMult = 8

// maxDecoded bounds the decoded size a payload header may claim.
const maxDecoded = 1 << 34

func corrupt(kind, format string, args ...any) error {
	args = append([]any{kind}, args...)
	return qperr.New(qperr.IO, "%s payload: "+format, args...)
}

// header reads the 12-byte header: decoded size and block size.
func header(kind string, src []byte) (size uint64, block uint32, rest []byte, err error) {
	if len(src) < 12 {
		return 0, 0, nil, corrupt(kind, "%d bytes, shorter than its 12-byte header", len(src))
	}
	size = binary.BigEndian.Uint64(src)
	block = binary.BigEndian.Uint32(src[8:])
	if size > maxDecoded {
		return 0, 0, nil, corrupt(kind, "claims %d decoded bytes", size)
	}
	if size != 0 && block == 0 {
		return 0, 0, nil, corrupt(kind, "block size 0")
	}
	if block > 1<<31-1 {
		return 0, 0, nil, corrupt(kind, "block size %d", block)
	}
	return size, block, src[12:], nil
}

// DecodedSize is the number of bytes the lz4 or bslz4 payload src decodes
// to (from its header).
func DecodedSize(src []byte) (int, error) {
	size, _, _, err := header("lz4", src)
	return int(size), err
}

// Decompress decodes the payload src of compression kind "lz4" or "bslz4"
// (elemSize: bytes per element, needed by bslz4) into dst, which must be
// exactly the decoded size.
func Decompress(kind string, src []byte, elemSize int, dst []byte) error {
	size, block, rest, err := header(kind, src)
	if err != nil {
		return err
	}
	if uint64(len(dst)) != size {
		return qperr.New(qperr.BadArgument, "%s payload decodes to %d bytes, the frame has %d", kind, size, len(dst))
	}
	switch kind {
	case "lz4":
		return decodeLZ4(dst, rest, int(block))
	case "bslz4":
		if elemSize <= 0 || elemSize > 1<<20 {
			return qperr.New(qperr.BadArgument, "bslz4: invalid element size %d", elemSize)
		}
		return decodeBSLZ4(dst, rest, int(block), elemSize)
	}
	return qperr.New(qperr.BadArgument, "Unsupported compression type: %s", kind)
}

// nextBlock splits one [size][data] block off src.
func nextBlock(kind string, src []byte) (data, rest []byte, err error) {
	if len(src) < 4 {
		return nil, nil, corrupt(kind, "truncated block header")
	}
	n := binary.BigEndian.Uint32(src)
	src = src[4:]
	if uint64(n) > uint64(len(src)) {
		return nil, nil, corrupt(kind, "block of %d bytes, %d left", n, len(src))
	}
	return src[:n], src[n:], nil
}

func decodeLZ4(dst, src []byte, block int) error {
	for off := 0; off < len(dst); off += block {
		want := min(block, len(dst)-off)
		data, rest, err := nextBlock("lz4", src)
		if err != nil {
			return err
		}
		src = rest
		out := dst[off : off+want]
		if len(data) == want {
			copy(out, data) // stored uncompressed
			continue
		}
		n, err := lz4.UncompressBlock(data, out)
		if err != nil || n != want {
			return corrupt("lz4", "block at byte %d does not decode to %d bytes", off, want)
		}
	}
	return nil
}

func decodeBSLZ4(dst, src []byte, block, elemSize int) error {
	unit := blockedMult * elemSize
	if block%unit != 0 {
		return corrupt("bslz4", "block size %d is not a multiple of %d", block, unit)
	}
	leftover := len(dst) % unit
	body := len(dst) - leftover
	tmp := make([]byte, min(block, body))
	for off := 0; off < body; off += block {
		want := min(block, body-off)
		data, rest, err := nextBlock("bslz4", src)
		if err != nil {
			return err
		}
		src = rest
		n, err := lz4.UncompressBlock(data, tmp[:want])
		if err != nil || n != want {
			return corrupt("bslz4", "block at byte %d does not decode to %d bytes", off, want)
		}
		if err := bitUnshuffle(dst[off:off+want], tmp[:want], want/elemSize, elemSize); err != nil {
			return err
		}
	}
	if len(src) != leftover {
		return corrupt("bslz4", "%d trailing bytes, expected %d", len(src), leftover)
	}
	copy(dst[body:], src)
	return nil
}
