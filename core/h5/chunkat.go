package h5

/*
#include <stdlib.h>
#include "qh.h"
#include "chunkat.h"
#include "shuffle.h"
*/
import "C"

import (
	"runtime"
	"sync"
	"unsafe"

	"qpgo/core/qperr"
)

// Raw chunk reads at an offset. ReadChunkRawAt takes the stored bytes of
// one chunk of a chunked dataset with H5Dread_chunk (under the package
// lock, no filter runs); ChunkAt.Decode undoes the pipeline — Fletcher-32
// check, inflate, shuffle — without the lock, so many chunks decode on all
// cores while libhdf5 only copies bytes from the file.

// ChunkAt is one stored chunk of a dataset with what is needed to decode
// it. (RawChunk, the whole-dataset chunk of chunk.go, has no shuffle
// stage; a shuffled chunk decoded by RawChunk.Decode would come back with
// its bytes still in planes, hence a type of its own.)
type ChunkAt struct {
	Path       string
	File       string // the file's name (named in decode errors)
	DType      DType
	Offset     []int  // logical coordinates of the chunk's first element
	Shape      []int  // the chunk dims (edge chunks are stored full size)
	Data       []byte // the filtered bytes
	FilterMask uint32 // bit i set: filter i of the pipeline was skipped
	shuffle    int    // pipeline indices, -1 if absent
	deflate    int
	fletcher   int
}

// ReadChunkRawAt returns the stored chunk of the chunked dataset name
// whose first element is at offset (a multiple of the chunk dims in each
// dimension). It returns nil and no error when Go cannot decode the chunk
// (a filter other than shuffle/deflate/Fletcher-32 or in another order, a
// non-native or non-numeric type, a contiguous dataset, an unallocated
// chunk): the caller then reads through libhdf5.
func (g *Group) ReadChunkRawAt(name string, offset []int) (_ *ChunkAt, err error) {
	defer g.f.inFile(&err)
	off, err := dims(offset)
	if err != nil {
		return nil, err
	}
	for _, o := range offset {
		if o < 0 {
			return nil, qperr.New(qperr.BadArgument, "negative chunk offset %v", offset)
		}
	}
	lock()
	defer unlock()
	d, p, err := g.openDataset(name, false)
	if err != nil {
		return nil, err
	}
	defer C.H5Dclose(d)
	s := C.H5Dget_space(d)
	rank := int(C.H5Sget_simple_extent_ndims(s))
	C.H5Sclose(s)
	if rank != len(offset) || rank < 1 {
		return nil, qperr.New(qperr.BadArgument, "chunk offset %v for a dataset of rank %d", offset, rank)
	}
	var code, si, di, fi C.int
	var nbytes C.hsize_t
	chunk := make([]C.hsize_t, rank)
	if C.qh_chunk_at(d, C.int(rank), hptr(off), &code, &chunk[0], &si, &di, &fi, &nbytes) != 1 {
		return nil, nil
	}
	shape := make([]int, rank)
	for i := range shape {
		shape[i] = int(chunk[i])
		if offset[i]%shape[i] != 0 {
			return nil, qperr.New(qperr.BadArgument, "offset %v is not at a chunk boundary (chunks %v)", offset, shape)
		}
	}
	buf := make([]byte, int(nbytes))
	var mask C.unsigned
	if C.qh_read_chunk_at(d, hptr(off), &mask, unsafe.Pointer(&buf[0])) < 0 {
		return nil, lastError("Unable to read chunk %v of dataset %q", offset, p)
	}
	return &ChunkAt{Path: p, File: g.f.name, DType: DType(code), Offset: append([]int(nil), offset...), Shape: shape,
		Data: buf, FilterMask: uint32(mask), shuffle: int(si), deflate: int(di), fletcher: int(fi)}, nil
}

// Decode returns the chunk's elements (numel(Shape) of DType, C order).
// It does not take the libhdf5 lock and is safe for concurrent use.
func (c *ChunkAt) Decode() (any, error) {
	out := MakeSlice(c.DType, numel(c.Shape))
	if err := c.DecodeInto(out); err != nil {
		return nil, err
	}
	return out, nil
}

var shufflePool = sync.Pool{New: func() any { return new([]byte) }}

// DecodeInto decodes into dst, a slice of DType with numel(Shape)
// elements. Errors are IO errors naming the dataset, as libhdf5's.
func (c *ChunkAt) DecodeInto(dst any) error {
	n := numel(c.Shape)
	ptr, l := sliceInfo(dst)
	if DTypeOf(dst) != c.DType || l != n {
		return qperr.New(qperr.BadArgument, "chunk of %d %v elements does not fit %T of %d", n, c.DType, dst, l)
	}
	size := c.DType.Size()
	nbytes := n * size
	on := func(i int) bool { return i >= 0 && c.FilterMask&(1<<uint(i)) == 0 }
	inflate, fletcher := on(c.deflate), on(c.fletcher)
	shuffle := on(c.shuffle) && size > 1 && n > 1
	target := ptr
	var tmp *[]byte
	if shuffle {
		tmp = shufflePool.Get().(*[]byte)
		defer shufflePool.Put(tmp)
		if cap(*tmp) < nbytes {
			*tmp = make([]byte, nbytes)
		}
		*tmp = (*tmp)[:nbytes]
		target = unsafe.Pointer(&(*tmp)[0])
	}
	var src *C.uchar
	if len(c.Data) > 0 {
		src = (*C.uchar)(unsafe.Pointer(&c.Data[0]))
	}
	acquireCodec()
	r := C.qh_decode_chunk(src, C.size_t(len(c.Data)), cbool(inflate), cbool(fletcher), target, C.size_t(nbytes))
	releaseCodec()
	runtime.KeepAlive(c.Data)
	switch r {
	case 0:
	case 1:
		return qperr.InFile(qperr.Wrap(qperr.IO, errChecksum, "Unable to read dataset %q", c.Path), c.File)
	case 2:
		return qperr.InFile(qperr.New(qperr.IO, "Unable to read dataset %q (inflate() failed)", c.Path), c.File)
	default:
		return qperr.InFile(qperr.New(qperr.IO, "Unable to read dataset %q (chunk %v does not hold %d bytes)", c.Path, c.Offset, nbytes), c.File)
	}
	if shuffle {
		Unshuffle(unsafe.Slice((*byte)(ptr), nbytes), *tmp, size)
		runtime.KeepAlive(dst)
	}
	return nil
}

// Unshuffle reverses libhdf5's shuffle filter (H5Zshuffle.c): src holds
// the byte planes of len(src)/size elements (plane b = byte b of every
// element), followed by the len(src)%size bytes the filter leaves as they
// are; dst (same length) gets the elements back.
func Unshuffle(dst, src []byte, size int) {
	shuffleC(dst, src, size, false)
}

// Shuffle applies libhdf5's shuffle filter: dst gets the byte planes of
// the len(src)/size elements of src (plane b = byte b of every element),
// followed by the len(src)%size trailing bytes unchanged. It is the
// inverse of Unshuffle.
func Shuffle(dst, src []byte, size int) {
	shuffleC(dst, src, size, true)
}

// shuffleC runs shuffle.c, whose loops the C compiler vectorises.
func shuffleC(dst, src []byte, size int, forward bool) {
	if len(dst) != len(src) || size < 1 {
		panic("h5.Shuffle/Unshuffle: length mismatch")
	}
	if len(src) == 0 {
		return
	}
	d := (*C.uchar)(unsafe.Pointer(&dst[0]))
	s := (*C.uchar)(unsafe.Pointer(&src[0]))
	if forward {
		C.qh_shuffle(d, s, C.size_t(len(src)), C.size_t(size))
	} else {
		C.qh_unshuffle(d, s, C.size_t(len(src)), C.size_t(size))
	}
}
