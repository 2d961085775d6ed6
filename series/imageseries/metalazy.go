package imageseries

import (
	"archive/zip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"

	"qpgo/core/h5"
	"qpgo/core/qperr"
	"qpgo/internal/limits"
	"qpgo/internal/npy"
)

// Large numeric metadata members of an npz frame cache are read on access
// (issue 18): at open only their npy header is read and checked (element
// type, shape, declared sizes against what the member holds and against
// the memory budget); the data are inflated straight into the caller's
// buffer by ims_metadata_array (MetadataArrayInto), so a 400 MB metadata
// array costs its 400 MB once, and an open that never looks at the
// metadata never inflates it. Metadata() (the Go-side map, used by writers
// and processing) reads them all the first time it is called.

// lazyMetaMin is the smallest member (uncompressed bytes) read on access;
// smaller ones are read at open, as upstream reads every member.
const lazyMetaMin = 1 << 20

// maxLazyHeader bounds the npy header read at open.
const maxLazyHeader = 1 << 20

// lazyMember is a numeric metadata member whose data are not read yet.
type lazyMember struct {
	zf    *zip.File
	dt    DType
	shape []int
	off   int64 // offset of the data in the member's uncompressed bytes
	size  int64 // bytes of data
}

// lazyHeader reads the npy header of a large member and returns the
// member's description, or ok false when the member is not a simple
// little-endian C-order numeric array of the declared size (it is then
// read at open and fails or decodes there, as before).
func lazyHeader(zf *zip.File, b limits.Budget) (*lazyMember, bool) {
	if zf.UncompressedSize64 < lazyMetaMin || npy.CheckMember(zf, b) != nil {
		return nil, false
	}
	r, err := zf.Open()
	if err != nil {
		return nil, false
	}
	defer r.Close()
	var pre [12]byte
	if _, err := io.ReadFull(r, pre[:10]); err != nil || string(pre[:6]) != "\x93NUMPY" {
		return nil, false
	}
	var hlen, off int64
	switch pre[6] {
	case 1:
		hlen, off = int64(binary.LittleEndian.Uint16(pre[8:10])), 10
	case 2, 3:
		if _, err := io.ReadFull(r, pre[10:12]); err != nil {
			return nil, false
		}
		hlen, off = int64(binary.LittleEndian.Uint32(pre[8:12])), 12
	default:
		return nil, false
	}
	if hlen > maxLazyHeader || off+hlen > int64(zf.UncompressedSize64) {
		return nil, false
	}
	hb := make([]byte, hlen)
	if _, err := io.ReadFull(r, hb); err != nil {
		return nil, false
	}
	dt, shape, ok := npy.SimpleHeader(string(hb))
	if !ok {
		return nil, false
	}
	n, ok := limits.Elements(shape)
	size := limits.Mul(n, int64(dt.Size()))
	if !ok || size < 0 || off+hlen+size > int64(zf.UncompressedSize64) || b.Check("npz member "+zf.Name, size, -1) != nil {
		return nil, false
	}
	return &lazyMember{zf: zf, dt: dt, shape: shape, off: off + hlen, size: size}, true
}

// readInto inflates the member's data into dst (len(dst) == lm.size),
// checking the member's CRC.
func (lm *lazyMember) readInto(name string, dst []byte) error {
	fail := func(err error) error {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			err = fmt.Errorf("truncated data")
		}
		return qperr.Wrap(qperr.IO, err, "frame cache %s member '%s': %v", name, lm.zf.Name, err)
	}
	r, err := lm.zf.Open()
	if err != nil {
		return fail(err)
	}
	defer r.Close()
	if _, err := io.CopyN(io.Discard, r, lm.off); err != nil {
		return fail(err)
	}
	if _, err := io.ReadFull(r, dst); err != nil {
		return fail(err)
	}
	// the rest of the member (npy padding, if any): archive/zip checks the
	// CRC at its end
	if _, err := io.Copy(io.Discard, io.LimitReader(r, int64(lm.zf.UncompressedSize64)+1)); err != nil {
		return fail(err)
	}
	return nil
}

func (lm *lazyMember) h5DType() h5.DType {
	d, _ := h5.ParseDType(lm.dt.String())
	return d
}

// lazyMeta is implemented by series holding metadata read on access.
type lazyMeta interface {
	pendingMeta() (Metadata, map[string]*lazyMember, string)
}

// pendingMeta returns the members read so far and those still to be read
// (nil once Metadata() has read them all).
func (c *FrameCache) pendingMeta() (Metadata, map[string]*lazyMember, string) {
	c.metaMu.Lock()
	defer c.metaMu.Unlock()
	name := ""
	if c.f != nil {
		name = c.f.Name()
	}
	return c.meta, c.lazy, name
}

// loadMetadata reads the members still pending (Metadata()); a member
// that fails to read is left out and its error kept for MetadataError.
func (c *FrameCache) loadMetadata() Metadata {
	c.metaMu.Lock()
	defer c.metaMu.Unlock()
	if c.lazy == nil {
		return c.meta
	}
	keys := make([]string, 0, len(c.lazy))
	for k := range c.lazy {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		a, err := c.member(k)
		if err != nil {
			if c.metaErr == nil {
				c.metaErr = err
			}
			continue
		}
		c.meta[k] = a
	}
	c.lazy = nil
	return c.meta
}

// MetadataError is the error of reading a metadata member on access that
// Metadata() left out (nil if none).
func MetadataError(s ImageSeries) error {
	if c, ok := s.(*FrameCache); ok {
		c.Metadata()
		c.metaMu.Lock()
		defer c.metaMu.Unlock()
		return c.metaErr
	}
	return nil
}

// MetadataEntriesOf lists the series' metadata keys in order with their
// kinds without reading members pending on access.
func MetadataEntriesOf(s ImageSeries) []MetaEntry {
	lm, ok := s.(lazyMeta)
	if !ok {
		return MetadataEntries(s.Metadata())
	}
	meta, lazy, _ := lm.pendingMeta()
	out := MetadataEntries(meta)
	if len(lazy) == 0 {
		return out
	}
	for k, m := range lazy {
		out = append(out, MetaEntry{Name: k, Kind: "array", DType: m.h5DType(), Shape: append([]int{}, m.shape...)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// MetadataArrayInfo is the element type and shape of the numeric array
// under key (see MetadataArray), without reading a pending member.
func MetadataArrayInfo(s ImageSeries, key string) (h5.DType, []int, error) {
	if lm, ok := s.(lazyMeta); ok {
		if _, lazy, _ := lm.pendingMeta(); lazy[key] != nil {
			return lazy[key].h5DType(), lazy[key].shape, nil
		}
	}
	d, shape, err := MetadataArray(s.Metadata(), key)
	if err != nil {
		return 0, nil, err
	}
	return h5.DTypeOf(d), shape, nil
}

// MetadataArrayInto copies the numeric array under key (row-major,
// native order) into the buffer that buf returns for its size in bytes
// (buf's error is returned as is, nothing written), inflating a pending
// member straight into it.
func MetadataArrayInto(s ImageSeries, key string, buf func(need int64) ([]byte, error)) error {
	if lm, ok := s.(lazyMeta); ok {
		if _, lazy, name := lm.pendingMeta(); lazy[key] != nil {
			m := lazy[key]
			dst, err := buf(m.size)
			if err != nil || m.size == 0 {
				return err
			}
			return m.readInto(name, dst[:m.size])
		}
	}
	d, _, err := MetadataArray(s.Metadata(), key)
	if err != nil {
		return err
	}
	b := ArrayBytes(d)
	dst, err := buf(int64(len(b)))
	if err != nil {
		return err
	}
	copy(dst, b)
	return nil
}

// optBudget reads the per-open "max_alloc_bytes" option (bytes, an
// integer >= 0; 0 or absent: the process-wide budget of qpgo_set_limits).
func optBudget(opts Options) (limits.Budget, error) {
	v, ok, err := optNumber(opts, "max_alloc_bytes")
	if err != nil || !ok {
		return 0, err
	}
	if v < 0 || v != float64(int64(v)) || v > 1<<62 {
		return 0, qperr.New(qperr.BadArgument, "option max_alloc_bytes: expected an integer number of bytes >= 0, got %v", v)
	}
	return limits.Budget(int64(v)), nil
}

// checkCacheHeader refuses a frame-cache header (the YAML of the legacy
// style) whose frame count the archive cannot hold (three members per
// frame) or whose frame size is over the memory budget, before the frame
// table is allocated.
func checkCacheHeader(name string, n, rows, cols int, dt DType, members int, b limits.Budget) error {
	if n > members/3 {
		return qperr.New(qperr.Integrity, "frame cache %s: %d frames declared but the archive has only %d members", name, n, members)
	}
	return b.Check(fmt.Sprintf("frame cache %s: frame of shape (%d, %d)", name, rows, cols),
		limits.Mul(limits.Mul(int64(rows), int64(cols)), int64(dt.Size())), -1)
}

// readRegularFile reads a file a YAML names (an npy array of the legacy
// frame cache's meta): only a regular file, of at most its size at open
// and within the memory budget (/dev/zero or a FIFO would be read without
// end).
func readRegularFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, qperr.Wrap(qperr.IO, err, "%v", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, qperr.Wrap(qperr.IO, err, "%v", err)
	}
	if !st.Mode().IsRegular() {
		return nil, qperr.New(qperr.IO, "%s: not a regular file", path)
	}
	if err := limits.Check(path, st.Size(), -1); err != nil {
		return nil, err
	}
	b := make([]byte, st.Size())
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, qperr.Wrap(qperr.IO, err, "%s: %v", path, err)
	}
	return b, nil
}
