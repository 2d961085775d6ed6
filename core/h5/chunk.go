package h5

/*
#include <stdlib.h>
#include "qh.h"
#include "fletcher.h"
*/
import "C"

import (
	"errors"
	"runtime"
	"slices"
	"sync"
	"unsafe"

	"qpgo/core/qperr"
	"qpgo/internal/dtype"
)

// Pre-filtered chunk I/O. A dataset stored as one chunk with the pipeline
// [deflate][fletcher32] can be written and read without running zlib
// inside libhdf5 (and so under the package lock, on one core):
// EncodeChunk produces what libhdf5's own filters would store (see
// SetExactZlib), without the lock, and CreateDatasetChunk hands it to
// H5Dwrite_chunk; reading
// takes the stored chunk with H5Dread_chunk and decodes it without the
// lock. Independent datasets therefore compress and decompress on all
// cores while the lock only covers the file operations.

// SetExactZlib chooses the deflate compressor of EncodeChunk and
// EncodeShuffleDeflate and returns the previous choice. By default (false)
// libdeflate is used when the system has it (libdeflate.so.0, loaded with
// dlopen; the environment variable QPGO_NO_LIBDEFLATE disables it): about
// 2.4x faster than zlib at level 9 on image data, for streams of the same
// size (within 0.5 %) that every inflater reads. With true, or without
// libdeflate, zlib's compress2 produces the very bytes libhdf5's deflate
// filter would store — for byte-for-byte comparisons with files written by
// h5py.
func SetExactZlib(on bool) (was bool) {
	return C.qh_set_exact_zlib(cbool(on)) != 0
}

// DeflateEngine names the compressor EncodeChunk uses now: "libdeflate" or
// "zlib".
func DeflateEngine() string {
	if C.qh_deflate_engine() != 0 {
		return "libdeflate"
	}
	return "zlib"
}

// codecSlots bounds the number of encodings and decodings running at once
// to GOMAXPROCS: a goroutine inside a cgo call does not hold a P, so
// without the bound many concurrent callers would run zlib on more threads
// than the program asked for.
var codec struct {
	mu   sync.Mutex
	cond *sync.Cond
	busy int
}

func init() { codec.cond = sync.NewCond(&codec.mu) }

func acquireCodec() {
	codec.mu.Lock()
	for codec.busy >= runtime.GOMAXPROCS(0) {
		codec.cond.Wait()
	}
	codec.busy++
	codec.mu.Unlock()
}

func releaseCodec() {
	codec.mu.Lock()
	codec.busy--
	codec.mu.Unlock()
	codec.cond.Signal()
}

// EncodeChunk filters the typed slice data as libhdf5 1.10.8 would for a
// dataset whose single chunk is all of data, with the pipeline
// deflate(level) (level < 0: no deflate filter) followed by Fletcher-32
// when fletcher is set. It returns the chunk bytes and the chunk's filter
// mask (bit 0 set when the optional deflate filter failed because the
// data does not compress, as libhdf5 then stores the data uncompressed).
// It does not take the libhdf5 lock and is safe for concurrent use.
func EncodeChunk(data any, level int, fletcher bool) (chunk []byte, filterMask uint32, err error) {
	dt := DTypeOf(data)
	ptr, n := sliceInfo(data)
	if dt == Invalid || n < 0 {
		return nil, 0, qperr.New(qperr.BadArgument, "cannot encode %T", data)
	}
	if level > 9 {
		return nil, 0, qperr.New(qperr.BadArgument, "gzip level must be 0..9, got %d", level)
	}
	if level < 0 {
		level = -1
	}
	nbytes := n * dt.Size()
	fl := 0
	if fletcher {
		fl = 1
	}
	size := int(C.qh_encode_bound(C.size_t(nbytes), C.int(level), C.int(fl)))
	out := make([]byte, max(size, 1))
	var outlen C.size_t
	var mask C.unsigned
	acquireCodec()
	C.qh_encode_chunk(ptr, C.size_t(nbytes), C.int(level), C.int(fl),
		(*C.uchar)(unsafe.Pointer(&out[0])), &outlen, &mask)
	releaseCodec()
	runtime.KeepAlive(data)
	l := int(outlen)
	if cap(out)-l > cap(out)/16 {
		// do not keep a mostly unused buffer alive while the chunk waits
		out = slices.Clone(out[:l])
	}
	return out[:l:l], uint32(mask), nil
}

// RawChunk is the stored single chunk of a dataset as H5Dread_chunk
// returns it, with what is needed to decode it.
type RawChunk struct {
	Path       string // the dataset
	File       string // the file's name (named in decode errors)
	DType      DType
	Shape      []int
	Data       []byte  // the filtered bytes
	FilterMask uint32  // bit i set: filter i of the pipeline was skipped
	deflate    int     // index of deflate in the pipeline, -1 if absent
	fletcher   int     // index of fletcher32 in the pipeline, -1 if absent
	pooled     *[]byte // Data's buffer when it came from bytePool
}

// Decode undoes the filters (checksum test, inflate) and returns the data
// as a typed slice of DType. It does not take the libhdf5 lock and is safe
// for concurrent use. A checksum mismatch is an IO error naming the
// dataset, like libhdf5's "data error detected by Fletcher32 checksum".
func (c *RawChunk) Decode() (any, error) {
	out := MakeSlice(c.DType, numel(c.Shape))
	ptr, _ := sliceInfo(out)
	if err := c.decodeTo(ptr); err != nil {
		return nil, err
	}
	return out, nil
}

// decodeFloat64 is Decode converted to float64, with the stored-type
// buffer borrowed from a pool (reading float32 images otherwise allocates
// it once per read only to convert it).
func (c *RawChunk) decodeFloat64() ([]float64, error) {
	if c.DType != Float32 {
		out, err := c.Decode()
		if err != nil {
			return nil, err
		}
		return ToFloat64(out), nil
	}
	if numel(c.Shape) == 0 {
		return []float64{}, nil
	}
	v, done, err := c.decodePooled()
	if err != nil {
		return nil, err
	}
	defer done()
	f32 := v.([]float32)
	out := float64Buffer(len(f32))
	for i, x := range f32 {
		out[i] = float64(x)
	}
	return out, nil
}

// decodePooled is Decode into a buffer of bytePool, which done gives back
// (the data must not be used after done).
func (c *RawChunk) decodePooled() (data any, done func(), err error) {
	n := numel(c.Shape)
	bp := getBytes(n * c.DType.Size())
	var ptr unsafe.Pointer
	if len(*bp) > 0 {
		ptr = unsafe.Pointer(&(*bp)[0])
	}
	if err := c.decodeTo(ptr); err != nil {
		bytePool.Put(bp)
		return nil, nil, err
	}
	return dtype.View(c.DType, ptr, n), func() { bytePool.Put(bp) }, nil
}

// float64Pool holds float64 images of the read path that their last user
// gave back (RecycleFloat64): a series read ahead on several cores then
// reuses a few buffers instead of allocating one per image, which made
// the garbage collector run every few images.
var float64Pool = sync.Pool{New: func() any { return new([]float64) }}

func float64Buffer(n int) []float64 {
	p := float64Pool.Get().(*[]float64)
	if cap(*p) < n {
		return make([]float64, n)
	}
	return (*p)[:n]
}

// RecycleFloat64 gives v, a float64 slice that nothing references any
// more, to the read path for reuse.
func RecycleFloat64(v []float64) {
	if cap(v) >= 1024 {
		float64Pool.Put(&v)
	}
}

// bytePool recycles chunk-sized byte buffers of the read path.
var bytePool = sync.Pool{New: func() any { return new([]byte) }}

func getBytes(n int) *[]byte {
	b := bytePool.Get().(*[]byte)
	if cap(*b) < n {
		*b = make([]byte, n)
	}
	*b = (*b)[:n]
	return b
}

// release gives a chunk's stored bytes back to bytePool; c is unusable
// afterwards.
func (c *RawChunk) release() {
	if c.pooled != nil {
		bytePool.Put(c.pooled)
		c.pooled, c.Data = nil, nil
	}
}

// decodeTo decodes into ptr, numel(Shape) elements of DType.
func (c *RawChunk) decodeTo(ptr unsafe.Pointer) error {
	nbytes := numel(c.Shape) * c.DType.Size()
	inflate := c.deflate >= 0 && c.FilterMask&(1<<uint(c.deflate)) == 0
	fletcher := c.fletcher >= 0 && c.FilterMask&(1<<uint(c.fletcher)) == 0
	var src *C.uchar
	if len(c.Data) > 0 {
		src = (*C.uchar)(unsafe.Pointer(&c.Data[0]))
	}
	acquireCodec()
	r := C.qh_decode_chunk(src, C.size_t(len(c.Data)), cbool(inflate), cbool(fletcher), ptr, C.size_t(nbytes))
	releaseCodec()
	runtime.KeepAlive(c.Data)
	switch r {
	case 0:
		return nil
	case 1:
		return qperr.InFile(qperr.Wrap(qperr.IO, errChecksum, "Unable to read dataset %q", c.Path), c.File)
	case 2:
		return qperr.InFile(qperr.New(qperr.IO, "Unable to read dataset %q (inflate() failed)", c.Path), c.File)
	}
	return qperr.InFile(qperr.New(qperr.IO, "Unable to read dataset %q (chunk does not hold %d bytes)", c.Path, nbytes), c.File)
}

var errChecksum = errors.New("data error detected by Fletcher32 checksum")

func cbool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// ReadChunkRaw returns the stored chunk of the dataset name when it is one
// chunk covering the whole dataset, of a numeric type stored in native
// byte order, with the filters [deflate, fletcher32], [deflate],
// [fletcher32] or none; otherwise it returns nil (and no error) and the
// caller reads the dataset normally.
func (g *Group) ReadChunkRaw(name string) (_ *RawChunk, err error) {
	defer g.f.inFile(&err)
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
	if info.DType == Invalid || info.Layout != "chunked" {
		return nil, nil
	}
	return readChunkRaw(d, p, g.f.name, info)
}

// readChunkRaw implements ReadChunkRaw for an open dataset. Call with mu held.
func readChunkRaw(d C.hid_t, p, file string, info DatasetInfo) (*RawChunk, error) {
	var di, fi C.int
	var size C.hsize_t
	if C.qh_single_chunk(d, C.int(info.DType), &di, &fi, &size) != 1 {
		return nil, nil
	}
	bp := getBytes(max(int(size), 1))
	buf := (*bp)[:size]
	var mask C.unsigned
	if C.qh_read_chunk(d, C.int(len(info.Shape)), &mask, unsafe.Pointer(&(*bp)[0])) < 0 {
		bytePool.Put(bp)
		return nil, lastError("Unable to read dataset %q", p)
	}
	return &RawChunk{Path: p, File: file, DType: info.DType, Shape: info.Shape, Data: buf, FilterMask: uint32(mask),
		deflate: int(di), fletcher: int(fi), pooled: bp}, nil
}

// CreateDatasetChunk creates the dataset name like CreateDataset with the
// same creation properties opt, which must describe one chunk covering
// shape (Chunks equal to shape) with at most deflate and Fletcher-32, and
// stores chunk, the output of EncodeChunk for those filters, as its only
// chunk with H5Dwrite_chunk. The file then holds what CreateDataset with
// the data would have written.
func (g *Group) CreateDatasetChunk(name string, dtype DType, shape []int, opt CreateOptions, chunk []byte, filterMask uint32) error {
	if !slices.Equal(opt.Chunks, shape) || len(shape) == 0 || numel(shape) == 0 {
		return qperr.New(qperr.BadArgument, "a pre-filtered dataset needs one chunk equal to its shape, got chunks %v for shape %v", opt.Chunks, shape)
	}
	if opt.Shuffle || opt.Plugin != nil {
		return qperr.New(qperr.BadArgument, "pre-filtered chunks support deflate and Fletcher-32 only")
	}
	if len(chunk) == 0 {
		return qperr.New(qperr.BadArgument, "empty chunk for dataset %q", g.Join(name))
	}
	lock()
	defer unlock()
	d, p, err := g.create(name, dtype, shape, opt)
	if err != nil {
		return err
	}
	if C.qh_write_chunk(d, C.int(len(shape)), C.unsigned(filterMask), C.size_t(len(chunk)), unsafe.Pointer(&chunk[0])) < 0 {
		err := lastError("Unable to write dataset %q", p)
		g.f.discard(d, p)
		return err
	}
	C.H5Dclose(d)
	return nil
}

// WriteChunk stores chunk (from EncodeChunk) as the only chunk of the
// existing dataset name, which must be one chunk covering its shape with
// the filters the chunk was encoded for.
func (g *Group) WriteChunk(name string, chunk []byte, filterMask uint32) error {
	if len(chunk) == 0 {
		return qperr.New(qperr.BadArgument, "empty chunk for dataset %q", g.Join(name))
	}
	lock()
	defer unlock()
	d, p, err := g.openDataset(name, true)
	if err != nil {
		return err
	}
	defer C.H5Dclose(d)
	info, err := datasetInfo(d, p)
	if err != nil {
		return err
	}
	if !slices.Equal(info.Chunks, info.Shape) {
		return qperr.New(qperr.BadArgument, "dataset %q is not one chunk (chunks %v, shape %v)", p, info.Chunks, info.Shape)
	}
	if C.qh_write_chunk(d, C.int(len(info.Shape)), C.unsigned(filterMask), C.size_t(len(chunk)), unsafe.Pointer(&chunk[0])) < 0 {
		return lastError("Unable to write dataset %q", p)
	}
	return nil
}

// fletcher32 is the Fletcher-32 of b that qpgo writes and checks (fast
// reports the vectorised one, else libhdf5's H5_checksum_fletcher32); the
// tests compare the two.
func fletcher32(b []byte, fast bool) uint32 {
	var p unsafe.Pointer
	if len(b) > 0 {
		p = unsafe.Pointer(&b[0])
	}
	defer runtime.KeepAlive(b)
	if fast {
		return uint32(C.qh_fletcher32_fast(p, C.size_t(len(b))))
	}
	return uint32(C.qh_fletcher32_lib(p, C.size_t(len(b))))
}
