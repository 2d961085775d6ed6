package h5

/*
#include <stdlib.h>
#include "qh.h"
#include "blosc.h"
*/
import "C"

import (
	"os"
	"sync"
	"unsafe"

	"qpgo/core/qperr"
)

// Blosc chunks without the filter plugin's lock-bound path. libhdf5 runs a
// filter inside H5Dwrite/H5Dread, under the package lock and so on one
// core. For datasets whose only filter is Blosc (32001, the frame-cache
// fch5 format) the chunks can instead be compressed and decompressed by
// libblosc (libblosc.so.1, Debian package libblosc1, loaded at run time)
// on all cores, while the lock only covers H5Dwrite_chunk/H5Dread_chunk.
// The bytes are those the HDF5 Blosc filter stores: one Blosc frame of
// the whole chunk, or the raw chunk with filter-mask bit 0 set when it
// does not compress (the filter is optional). BloscAvailable is false when
// libblosc is missing or QPGO_NO_LIBBLOSC is set; callers then use the
// ordinary dataset reads and writes.

var bloscOn = sync.OnceValue(func() bool {
	return os.Getenv("QPGO_NO_LIBBLOSC") == "" && C.qb_available() == 1
})

// BloscAvailable reports whether libblosc is loaded and not disabled.
func BloscAvailable() bool { return bloscOn() }

// BloscInfo describes a chunked dataset whose only filter is Blosc.
type BloscInfo struct {
	Path       string
	File       string // the file's name (named in decode errors)
	DType      DType
	Shape      []int
	Chunks     []int
	TypeSize   int // the filter's typesize (the element size, 1 above 255)
	CLevel     int
	Shuffle    int
	Compressor int // Blosc compressor code (5: zstd)
}

// ChunkBytes is the size in bytes of one (full) chunk.
func (b *BloscInfo) ChunkBytes() int { return numel(b.Chunks) * b.DType.Size() }

// BloscDataset returns the Blosc parameters of the dataset name, or nil
// (and no error) when it is not a chunked dataset of a native numeric type
// with the Blosc filter alone, or libblosc is not available.
func (g *Group) BloscDataset(name string) (_ *BloscInfo, err error) {
	defer g.f.inFile(&err)
	if !BloscAvailable() {
		return nil, nil
	}
	lock()
	defer unlock()
	d, p, err := g.openDataset(name, false)
	if err != nil {
		return nil, err
	}
	defer C.H5Dclose(d)
	info, err := datasetInfo(d, p)
	if err != nil {
		return nil, err
	}
	rank := len(info.Shape)
	if rank == 0 || info.Layout != "chunked" {
		return nil, nil
	}
	var code C.int
	chunk := make([]C.hsize_t, rank)
	var cd [7]C.unsigned
	if C.qb_info(d, C.int(rank), &code, &chunk[0], &cd[0]) != 1 {
		return nil, nil
	}
	b := &BloscInfo{Path: p, File: g.f.name, DType: DType(code), Shape: info.Shape, Chunks: make([]int, rank),
		TypeSize: int(cd[2]), CLevel: int(cd[4]), Shuffle: int(cd[5]), Compressor: int(cd[6])}
	for i := range b.Chunks {
		b.Chunks[i] = int(chunk[i])
	}
	if b.TypeSize < 1 || b.ChunkBytes() <= 0 {
		return nil, nil
	}
	return b, nil
}

// BloscCompress filters one full chunk (raw: ChunkBytes bytes, C order)
// as the HDF5 Blosc filter would. mask is the chunk's filter mask: 1 when
// the data do not compress and chunk is raw itself. It takes no lock and
// is safe for concurrent use.
func (b *BloscInfo) BloscCompress(raw []byte) (chunk []byte, mask uint32, err error) {
	if len(raw) != b.ChunkBytes() {
		return nil, 0, qperr.New(qperr.BadArgument, "a chunk of %s has %d bytes, got %d", b.Path, b.ChunkBytes(), len(raw))
	}
	out := make([]byte, len(raw))
	n := C.qb_compress(C.int(b.CLevel), C.int(b.Shuffle), C.int(b.Compressor), C.size_t(b.TypeSize),
		C.size_t(len(raw)), unsafe.Pointer(&raw[0]), unsafe.Pointer(&out[0]), C.size_t(len(out)))
	switch {
	case n < 0:
		return nil, 0, qperr.New(qperr.Internal, "Blosc failed to compress a chunk of %s", b.Path)
	case n == 0:
		return raw, 1, nil
	}
	return out[:n:n], 0, nil
}

// BloscDecompress decodes a stored chunk (from ReadChunks) into raw, of
// ChunkBytes bytes. It takes no lock and is safe for concurrent use. An
// error means the chunk is not a Blosc frame of the expected size; the
// caller can then read through libhdf5 for its verdict.
func (b *BloscInfo) BloscDecompress(chunk []byte, mask uint32, raw []byte) error {
	if len(raw) != b.ChunkBytes() {
		return qperr.New(qperr.BadArgument, "a chunk of %s has %d bytes, got %d", b.Path, b.ChunkBytes(), len(raw))
	}
	if mask&1 != 0 {
		if len(chunk) != len(raw) {
			return qperr.InFile(qperr.New(qperr.IO, "unfiltered chunk of %s has %d bytes, want %d", b.Path, len(chunk), len(raw)), b.File)
		}
		copy(raw, chunk)
		return nil
	}
	if len(chunk) == 0 || C.qb_decompress(unsafe.Pointer(&chunk[0]), C.size_t(len(chunk)), unsafe.Pointer(&raw[0]), C.size_t(len(raw))) != 0 {
		return qperr.InFile(qperr.New(qperr.IO, "Unable to read dataset %q (Blosc chunk does not decode to %d bytes)", b.Path, len(raw)), b.File)
	}
	return nil
}

// ReadChunks returns the stored bytes and filter masks of the chunks of
// the dataset at the given offsets (multiples of b.Chunks), under one
// lock. A chunk that is not allocated, or stored larger than a raw chunk
// (which the Blosc filter never does), comes back nil.
func (g *Group) ReadChunks(b *BloscInfo, offsets [][]int) (_ [][]byte, _ []uint32, err error) {
	defer g.f.inFile(&err)
	lock()
	defer unlock()
	if err := g.f.check(); err != nil {
		return nil, nil, err
	}
	d, err := g.f.openDataset(b.Path)
	if err != nil {
		return nil, nil, err
	}
	defer C.H5Dclose(d)
	// sizes first, then every chunk into one buffer of their total
	out := make([][]byte, len(offsets))
	masks := make([]uint32, len(offsets))
	offs := make([][]C.hsize_t, len(offsets))
	sizes := make([]int, len(offsets))
	limit, total := b.ChunkBytes(), 0
	for i, o := range offsets {
		off, err := b.chunkOffset(o)
		if err != nil {
			return nil, nil, err
		}
		var n C.hsize_t
		C.qb_chunk_size(d, hptr(off), &n)
		if n > 0 && int(n) <= limit {
			offs[i], sizes[i] = off, int(n)
			total += int(n)
		}
	}
	buf := make([]byte, total)
	for i, o := range offsets {
		n := sizes[i]
		if n == 0 {
			continue
		}
		var m C.unsigned
		if C.qb_read_chunk(d, hptr(offs[i]), &m, unsafe.Pointer(&buf[0])) < 0 {
			return nil, nil, lastError("Unable to read chunk %v of dataset %q", o, b.Path)
		}
		out[i], masks[i], buf = buf[:n:n], uint32(m), buf[n:]
	}
	return out, masks, nil
}

// WriteChunks stores pre-filtered chunks (BloscCompress) at the given
// offsets of the dataset with H5Dwrite_chunk, under one lock.
func (g *Group) WriteChunks(b *BloscInfo, offsets [][]int, chunks [][]byte, masks []uint32) error {
	if len(chunks) != len(offsets) || len(masks) != len(offsets) {
		return qperr.New(qperr.BadArgument, "WriteChunks: %d offsets, %d chunks, %d masks", len(offsets), len(chunks), len(masks))
	}
	lock()
	defer unlock()
	if err := g.f.checkWrite(); err != nil {
		return err
	}
	d, err := g.f.openDataset(b.Path)
	if err != nil {
		return err
	}
	defer C.H5Dclose(d)
	for i, o := range offsets {
		off, err := b.chunkOffset(o)
		if err != nil {
			return err
		}
		if len(chunks[i]) == 0 {
			return qperr.New(qperr.BadArgument, "empty chunk for dataset %q", b.Path)
		}
		if C.qb_write_chunk(d, hptr(off), C.unsigned(masks[i]), C.size_t(len(chunks[i])), unsafe.Pointer(&chunks[i][0])) < 0 {
			return lastError("Unable to write chunk %v of dataset %q", o, b.Path)
		}
	}
	return nil
}

func (b *BloscInfo) chunkOffset(o []int) ([]C.hsize_t, error) {
	if len(o) != len(b.Chunks) {
		return nil, qperr.New(qperr.BadArgument, "chunk offset %v for a dataset of rank %d", o, len(b.Chunks))
	}
	for i, v := range o {
		if v < 0 || v%b.Chunks[i] != 0 {
			return nil, qperr.New(qperr.BadArgument, "offset %v is not at a chunk boundary (chunks %v)", o, b.Chunks)
		}
	}
	return dims(o)
}
