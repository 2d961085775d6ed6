package h5

/*
#include <stdlib.h>
#include "swmr.h"
*/
import "C"

import (
	"os"
	"unsafe"

	"qpgo/core/qperr"
)

// SWMR (single writer, multiple readers, HDF5 ≥ 1.10) lets one process
// append to chunked datasets while other processes — or other threads of
// the same process — read them. What it needs and what it forbids:
//
//   - The file must be in the latest file format (CreateLatest: superblock
//     3, version-2 object headers). h5py's default (earliest) format, which
//     the rest of this package writes, cannot be used with SWMR, so a SWMR
//     file is not byte-compatible with upstream files.
//   - Everything except appending (groups, datasets, attributes) must be
//     created before StartSWMRWrite; afterwards HDF5 1.10 supports only
//     writing to and extending existing chunked datasets. libhdf5 1.10.8
//     does not refuse other changes, but SWMR readers (and the file after
//     a crash) are not guaranteed to see them consistently: don't.
//   - A reader opens with OpenSWMRRead and calls Refresh on a dataset to
//     see what the writer has flushed since (FlushDataset, File.Flush).
//   - A writer that dies leaves the superblock's status flags set: a plain
//     open then fails with "file is already open for write". OpenSWMRRead
//     still opens such a file (SWMR's write ordering keeps it consistent up
//     to the last flush), and ClearStatusFlags resets the flags as
//     `h5clear -s FILE` does, after which any reader opens it.
//
// Within one process libhdf5 shares one open file among all identifiers on
// it: a reader opened while this process writes the file sees the writer's
// metadata cache directly (Refresh is then a no-op).

// SWMRMode tells how a file was opened with respect to SWMR.
type SWMRMode int

const (
	NoSWMR    SWMRMode = iota // a plain open
	SWMRWrite                 // StartSWMRWrite was called
	SWMRRead                  // opened with OpenSWMRRead
)

func (m SWMRMode) String() string {
	switch m {
	case SWMRWrite:
		return "swmr-write"
	case SWMRRead:
		return "swmr-read"
	}
	return "none"
}

// CreateLatest creates (or truncates, like mode "w") the file at path in
// the latest HDF5 file format, the one SWMR requires. Create the datasets
// and attributes, then call StartSWMRWrite.
func CreateLatest(path string) (*File, error) {
	if path == "" {
		return nil, qperr.New(qperr.BadArgument, "empty file name")
	}
	cname := cstr(path)
	defer free(cname)
	lock()
	defer unlock()
	id := C.qh_swmr_create(cname)
	if id < 0 {
		return nil, lastError("Unable to create file %q (latest format)", path)
	}
	return &File{id: id, name: path, mode: "w"}, nil
}

// StartSWMRWrite switches a file created by CreateLatest into SWMR-write
// mode (H5Fstart_swmr_write: flushes everything and marks the file so that
// readers may open it). From then on only appends to existing chunked
// datasets are allowed.
func (f *File) StartSWMRWrite() error {
	lock()
	defer unlock()
	if err := f.checkWrite(); err != nil {
		return err
	}
	if C.qh_swmr_start(f.id) < 0 {
		return lastError("Unable to start SWMR write on %q (the file must be in the latest format: use CreateLatest)", f.name)
	}
	return nil
}

// OpenSWMRRead opens path read-only for SWMR reading
// (H5F_ACC_RDONLY | H5F_ACC_SWMR_READ). It works while a SWMR writer has
// the file open, and on a latest-format file whose writer was killed.
// Files in the earliest format (everything Open writes) cannot be opened
// this way; libhdf5 reports why.
func OpenSWMRRead(path string) (*File, error) {
	if path == "" {
		return nil, qperr.New(qperr.BadArgument, "empty file name")
	}
	if err := checkSignature(path); err != nil {
		return nil, err
	}
	cname := cstr(path)
	defer free(cname)
	lock()
	defer unlock()
	id := C.qh_swmr_open_read(cname)
	if id < 0 {
		return nil, lastError("Unable to open file %q for SWMR reading", path)
	}
	return &File{id: id, name: path, mode: "r"}, nil
}

// SWMRMode reports the SWMR state of the file as this process has it open
// (shared by all identifiers on the file in this process).
func (f *File) SWMRMode() SWMRMode {
	lock()
	defer unlock()
	if f.check() != nil {
		return NoSWMR
	}
	in := C.qh_swmr_intent(f.id)
	switch {
	case in < 0:
		C.H5Eclear2(C.H5E_DEFAULT)
		return NoSWMR
	case in == 1:
		return SWMRWrite
	case in == 2:
		return SWMRRead
	}
	return NoSWMR
}

// ClearStatusFlags is `h5clear -s path`: it resets the superblock status
// flags that a killed writer of a latest-format file left set, so that a
// plain open works again. Never call it while a writer is still alive.
func ClearStatusFlags(path string) error {
	if err := checkSignature(path); err != nil {
		return err
	}
	cname := cstr(path)
	defer free(cname)
	lock()
	defer unlock()
	if C.qh_swmr_clear_flags(cname) < 0 {
		return lastError("Unable to clear the status flags of %q", path)
	}
	return nil
}

// SuperblockVersion returns the superblock version of the HDF5 file at
// path (0 for h5py's default format, 2 or 3 for the latest; SWMR needs 3).
// Only a superblock at offset 0 is looked at.
func SuperblockVersion(path string) (int, error) {
	fh, err := os.Open(path)
	if err != nil {
		return -1, qperr.Wrap(qperr.IO, err, "Unable to open file %q", path)
	}
	defer fh.Close()
	var b [9]byte
	if _, err := fh.ReadAt(b[:], 0); err != nil || string(b[:8]) != "\x89HDF\r\n\x1a\n" {
		return -1, qperr.New(qperr.IO, "Unable to open file %q: no HDF5 superblock at offset 0", path)
	}
	return int(b[8]), nil
}

// Refresh makes a SWMR reader see the current extent and data of the
// dataset name (H5Drefresh). It does nothing for files not opened with
// OpenSWMRRead, and nothing in a process that is itself writing the file.
func (g *Group) Refresh(name string) (err error) {
	defer g.f.inFile(&err)
	lock()
	defer unlock()
	if err := g.f.check(); err != nil {
		return err
	}
	p := g.Join(name)
	cn := cstr(p)
	defer free(cn)
	if C.qh_swmr_refresh(g.f.id, cn) < 0 {
		return lastError("Unable to refresh dataset %q", p)
	}
	return nil
}

// FlushDataset writes the dataset's buffered data and metadata to the file
// (H5Dflush), which makes it visible to SWMR readers.
func (g *Group) FlushDataset(name string) error {
	lock()
	defer unlock()
	if err := g.f.checkWrite(); err != nil {
		return err
	}
	p := g.Join(name)
	cn := cstr(p)
	defer free(cn)
	if C.qh_swmr_dflush(g.f.id, cn) < 0 {
		return lastError("Unable to flush dataset %q", p)
	}
	return nil
}

// AppendRow grows axis 0 of the chunked, extendible dataset name by one
// and writes data (a typed numeric slice holding one row: the product of
// the other dimensions) into the new row, converting to the stored type.
// It returns the new length of axis 0. One open of the dataset; allowed in
// SWMR-write mode.
func (g *Group) AppendRow(name string, data any) (int, error) {
	dt := DTypeOf(data)
	ptr, n := sliceInfo(data)
	if dt == Invalid || dt == Bool {
		return 0, qperr.New(qperr.BadArgument, "AppendRow needs a numeric slice, got %T", data)
	}
	lock()
	defer unlock()
	d, p, err := g.openDataset(name, true)
	if err != nil {
		return 0, err
	}
	info, err := datasetInfo(d, p)
	C.H5Dclose(d)
	if err != nil {
		return 0, err
	}
	if len(info.Shape) == 0 || info.Layout != "chunked" {
		return 0, qperr.New(qperr.BadArgument, "dataset %q is not a chunked array", p)
	}
	if info.MaxShape[0] >= 0 && info.Shape[0] >= info.MaxShape[0] {
		return 0, qperr.New(qperr.BadArgument, "dataset %q is full (maxshape %v)", p, info.MaxShape)
	}
	frame := info.Shape[1:]
	if n != numel(frame) || n == 0 {
		return 0, qperr.New(qperr.BadArgument, "row of %d elements does not fit dataset %q of shape %v", n, p, info.Shape)
	}
	cf, _ := dims(frame)
	cn := cstr(p)
	defer free(cn)
	r := C.qh_swmr_append(g.f.id, cn, C.int(dt), C.int(len(info.Shape)), hptr(cf), ptr)
	if r < 0 {
		return 0, lastError("Unable to append to dataset %q", p)
	}
	return int(r), nil
}

// Len0 returns the length of axis 0 of the dataset name (as this handle
// sees it: call Refresh first in a SWMR reader).
func (g *Group) Len0(name string) (_ int, err error) {
	defer g.f.inFile(&err)
	lock()
	defer unlock()
	if err := g.f.check(); err != nil {
		return 0, err
	}
	p := g.Join(name)
	if g.f.objKind(p) != DatasetKind {
		return 0, qperr.New(qperr.NotFound, "Unable to open object %q (no such dataset)", p)
	}
	cn := cstr(p)
	defer free(cn)
	r := C.qh_swmr_len(g.f.id, cn)
	if r < 0 {
		return 0, lastError("Unable to read the shape of %q", p)
	}
	return int(r), nil
}

// ReadRow reads row `row` of axis 0 of the dataset name into out, a typed
// numeric slice with one row's elements (libhdf5 converts the type).
func (g *Group) ReadRow(name string, row int, out any) (err error) {
	defer g.f.inFile(&err)
	dt := DTypeOf(out)
	ptr, n := sliceInfo(out)
	if dt == Invalid || dt == Bool || n <= 0 {
		return qperr.New(qperr.BadArgument, "ReadRow needs a non-empty numeric slice, got %T", out)
	}
	if row < 0 {
		return qperr.New(qperr.BadArgument, "negative row %d", row)
	}
	lock()
	defer unlock()
	if err := g.f.check(); err != nil {
		return err
	}
	p := g.Join(name)
	if g.f.objKind(p) != DatasetKind {
		return qperr.New(qperr.NotFound, "Unable to open object %q (no such dataset)", p)
	}
	cn := cstr(p)
	defer free(cn)
	if C.qh_swmr_read_row(g.f.id, cn, C.int(dt), C.hsize_t(row), ptr, C.hsize_t(n)) < 0 {
		return readError("Unable to read row %d of %q (out of range, or a buffer of %d elements that does not fit one row)", row, p, n)
	}
	return nil
}

// EncodeShuffleDeflate pre-filters one chunk for AppendChunk: HDF5's
// shuffle filter followed by its deflate filter at level (1..9), byte for
// byte what libhdf5 would store for a dataset created with Shuffle and
// Compress. data is a typed numeric slice. It takes no lock and touches no
// libhdf5 state, so several chunks may be encoded in parallel.
func EncodeShuffleDeflate(data any, level int) ([]byte, error) {
	dt := DTypeOf(data)
	ptr, n := sliceInfo(data)
	if dt == Invalid || n <= 0 {
		return nil, qperr.New(qperr.BadArgument, "EncodeShuffleDeflate needs a non-empty numeric slice, got %T", data)
	}
	if level < 1 || level > 9 {
		return nil, qperr.New(qperr.BadArgument, "gzip level must be 1..9, got %d", level)
	}
	nbytes := n * dt.Size()
	bound := int(C.qh_swmr_encode_bound(C.size_t(nbytes)))
	// C buffers: the codec must not keep Go pointers, and cgo forbids
	// passing Go memory that holds pointers (these hold none, but C memory
	// also keeps the large scratch buffer off the Go heap).
	tmp := C.malloc(C.size_t(nbytes))
	dst := C.malloc(C.size_t(bound))
	if tmp == nil || dst == nil {
		C.free(tmp)
		C.free(dst)
		return nil, qperr.New(qperr.Internal, "out of memory encoding a chunk of %d bytes", nbytes)
	}
	defer C.free(tmp)
	defer C.free(dst)
	var outlen C.size_t
	if C.qh_swmr_encode(ptr, C.size_t(nbytes), C.size_t(dt.Size()), C.int(level),
		(*C.uchar)(tmp), (*C.uchar)(dst), &outlen) < 0 {
		return nil, qperr.New(qperr.Internal, "zlib failed to compress a chunk of %d bytes", nbytes)
	}
	return C.GoBytes(dst, C.int(outlen)), nil
}

// AppendChunk grows axis 0 of the dataset name — whose chunk must be one
// whole row, chunks (1, d1, …) — by one and stores chunk, already passed
// through the dataset's filters (EncodeShuffleDeflate for shuffle+deflate),
// as the new row (H5Dwrite_chunk). filterMask has bit i set for each
// pipeline filter i that was skipped. Allowed in SWMR-write mode.
func (g *Group) AppendChunk(name string, chunk []byte, filterMask uint32) (int, error) {
	if len(chunk) == 0 {
		return 0, qperr.New(qperr.BadArgument, "empty chunk")
	}
	lock()
	defer unlock()
	d, p, err := g.openDataset(name, true)
	if err != nil {
		return 0, err
	}
	info, err := datasetInfo(d, p)
	C.H5Dclose(d)
	if err != nil {
		return 0, err
	}
	if info.Layout != "chunked" || len(info.Chunks) == 0 || info.Chunks[0] != 1 || !slicesEqual(info.Chunks[1:], info.Shape[1:]) {
		return 0, qperr.New(qperr.BadArgument, "dataset %q does not store one row per chunk (chunks %v, shape %v)", p, info.Chunks, info.Shape)
	}
	cn := cstr(p)
	defer free(cn)
	r := C.qh_swmr_append_chunk(g.f.id, cn, C.uint32_t(filterMask), C.size_t(len(chunk)), unsafe.Pointer(&chunk[0]))
	if r < 0 {
		return 0, lastError("Unable to append a chunk to dataset %q", p)
	}
	return int(r), nil
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
