package npy

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"sync"

	"qpgo/core/qperr"
	"qpgo/internal/ldeflate"
	"qpgo/internal/limits"
)

// npz archives (np.savez_compressed): the members are .npy arrays in a zip
// file, deflated at zlib's level 6. ReadMember inflates one member and
// DeflateMember compresses one, both with libdeflate when it loads
// (internal/ldeflate), compress/flate otherwise; Decode/Encode convert
// their bytes.

// MaxMemberBytes bounds one npz member read into memory (guards against a
// corrupt size field asking for an absurd allocation).
const MaxMemberBytes = 1 << 31

// Level is zlib's default level, what numpy's savez_compressed uses
// (zipfile.ZIP_DEFLATED without compresslevel); compress/flate's
// DefaultCompression is the same level.
const Level = 6

// UseLibdeflate lets tests force the compress/flate path.
var UseLibdeflate = true

// CheckMember refuses a member whose declared size is beyond what its
// compressed bytes can hold or beyond budget (0: the process-wide one).
func CheckMember(f *zip.File, budget limits.Budget) error {
	if f.UncompressedSize64 > MaxMemberBytes {
		return qperr.New(qperr.IO, "npz member %s too large (%d bytes)", f.Name, f.UncompressedSize64)
	}
	// what the member can hold: stored members their size, deflated ones
	// at most DeflateMaxRatio times it
	avail := int64(f.CompressedSize64)
	if f.Method == zip.Deflate {
		avail = limits.Mul(int64(f.CompressedSize64), limits.DeflateMaxRatio) + 1024
	}
	return budget.Check("npz member "+f.Name, int64(f.UncompressedSize64), avail)
}

// ReadMember reads one member fully within the process-wide budget.
func ReadMember(f *zip.File) ([]byte, error) { return ReadMemberWithin(f, 0) }

// ReadMemberWithin reads one member fully within budget (a per-open
// budget; 0: the process-wide one).
func ReadMemberWithin(f *zip.File, budget limits.Budget) ([]byte, error) {
	if err := CheckMember(f, budget); err != nil {
		return nil, err
	}
	if b, ok := inflateFast(f); ok {
		return b, nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, qperr.Wrap(qperr.IO, err, "npz member %s: %v", f.Name, err)
	}
	defer rc.Close()
	// the declared size is only a hint: a deflate stream expands at most
	// about 1032 times, so a forged header cannot make us allocate more
	b := make([]byte, 0, min(f.UncompressedSize64, f.CompressedSize64*1032+1024))
	// stream-limited: a member inflating beyond its declared size is an
	// error (archive/zip's checksum check would only come at the end)
	b, err = readAllInto(io.LimitReader(rc, int64(f.UncompressedSize64)+1), b)
	if err == nil && uint64(len(b)) > f.UncompressedSize64 {
		err = fmt.Errorf("inflates beyond its declared %d bytes", f.UncompressedSize64)
	}
	if err != nil {
		return nil, qperr.Wrap(qperr.IO, err, "npz member %s: %v", f.Name, err)
	}
	return b, nil
}

var zbufPool = sync.Pool{New: func() any { return new([]byte) }}

// inflateFast reads a deflated member with libdeflate. Anything unusual (a
// stream that does not inflate to the declared size, a CRC mismatch, no
// libdeflate) returns ok false, and archive/zip then reads the member and
// reports the error in its words.
func inflateFast(f *zip.File) (_ []byte, ok bool) {
	// (members over maxFastZ compressed take the archive/zip path, so a
	// forged size cannot make this allocate much)
	const maxFastZ = 64 << 20
	if !UseLibdeflate || !ldeflate.Available() || f.Method != zip.Deflate || f.UncompressedSize64 == 0 ||
		f.UncompressedSize64 > f.CompressedSize64*1032+1024 || f.CompressedSize64 > maxFastZ {
		return nil, false
	}
	r, err := f.OpenRaw()
	if err != nil {
		return nil, false
	}
	zp := zbufPool.Get().(*[]byte)
	defer zbufPool.Put(zp)
	if uint64(cap(*zp)) < f.CompressedSize64 {
		*zp = make([]byte, f.CompressedSize64)
	}
	z := (*zp)[:f.CompressedSize64]
	if _, err := io.ReadFull(r, z); err != nil {
		return nil, false
	}
	out := make([]byte, f.UncompressedSize64)
	if !ldeflate.Inflate(z, out) || crc32.ChecksumIEEE(out) != f.CRC32 {
		return nil, false
	}
	return out, true
}

func readAllInto(r io.Reader, b []byte) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// Member is one deflated npz member, ready to be stored (compressed on any
// goroutine, written in order by the one writing the archive).
type Member struct {
	hdr  zip.FileHeader
	data []byte
}

// Write stores the member in zw as it is (no second compression).
func (m Member) Write(zw *zip.Writer) error {
	w, err := zw.CreateRaw(&m.hdr)
	if err != nil {
		return err
	}
	_, err = w.Write(m.data)
	return err
}

var flatePool sync.Pool

// DeflateMember compresses b as the member name at Level.
func DeflateMember(name string, b []byte) (Member, error) {
	if UseLibdeflate {
		if out, ok := ldeflate.Compress(b, Level); ok {
			return newMember(name, b, out), nil
		}
	}
	var buf bytes.Buffer
	fw, _ := flatePool.Get().(*flate.Writer)
	if fw == nil {
		var err error
		fw, err = flate.NewWriter(&buf, flate.DefaultCompression)
		if err != nil {
			return Member{}, err
		}
	} else {
		fw.Reset(&buf)
	}
	if _, err := fw.Write(b); err != nil {
		return Member{}, err
	}
	if err := fw.Close(); err != nil {
		return Member{}, err
	}
	flatePool.Put(fw)
	return newMember(name, b, buf.Bytes()), nil
}

// newMember is the zip member name holding b, deflated as z.
func newMember(name string, b, z []byte) Member {
	h := zip.FileHeader{
		Name:               name,
		Method:             zip.Deflate,
		CRC32:              crc32.ChecksumIEEE(b),
		CompressedSize64:   uint64(len(z)),
		UncompressedSize64: uint64(len(b)),
	}
	h.SetMode(0o600)
	return Member{hdr: h, data: z}
}
