package h5

/*
#include <stdlib.h>
#include "qh.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"unsafe"

	"qpgo/core/qperr"
	"qpgo/internal/limits"
)

// Filter is a filter of a dataset's pipeline, by HDF5 filter id.
type Filter struct {
	ID     int
	Name   string
	Flags  uint
	Params []uint
}

// HDF5 filter ids used by qpgo.
const (
	FilterDeflate    = 1
	FilterShuffle    = 2
	FilterFletcher32 = 3
	FilterBlosc      = 32001
)

// CreateOptions are the dataset-creation properties. The zero value is a
// contiguous dataset without filters.
type CreateOptions struct {
	Chunks     []int // nil: contiguous layout
	MaxShape   []int // nil: fixed; -1 entries are unlimited (needs Chunks)
	Shuffle    bool
	Deflate    int // gzip level 0..9; used when Compress is set
	Compress   bool
	Fletcher32 bool
	Plugin     *Filter // an optional plugin filter (e.g. Blosc) after deflate
}

const maxRank = 32

// maxDatasetElems bounds the element count of a dataset read whole (2^36,
// far above any image or stack qpgo reads in one piece).
const maxDatasetElems = 1 << 36

func dims(shape []int) ([]C.hsize_t, error) {
	if len(shape) > maxRank {
		return nil, qperr.New(qperr.BadArgument, "rank %d too large", len(shape))
	}
	out := make([]C.hsize_t, len(shape))
	for i, s := range shape {
		if s < 0 {
			return nil, qperr.New(qperr.BadArgument, "negative dimension in shape %v", shape)
		}
		out[i] = C.hsize_t(s)
	}
	return out, nil
}

func numel(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}

func hptr(v []C.hsize_t) *C.hsize_t {
	if len(v) == 0 {
		return nil
	}
	return &v[0]
}

// CreateDataset creates the dataset name (replacing nothing: it must not
// exist) with the given shape and element type, and writes data if it is
// not nil. data must be a typed slice with numel(shape) elements.
func (g *Group) CreateDataset(name string, dtype DType, shape []int, data any, opt CreateOptions) error {
	var ptr unsafe.Pointer
	if data != nil {
		if DTypeOf(data) != dtype {
			return qperr.New(qperr.BadArgument, "data of type %T does not match dtype %v", data, dtype)
		}
		pp, n := sliceInfo(data)
		if n != numel(shape) {
			return qperr.New(qperr.BadArgument, "shape %v needs %d elements, got %d", shape, numel(shape), n)
		}
		ptr = pp
	}
	lock()
	defer unlock()
	d, p, err := g.create(name, dtype, shape, opt)
	if err != nil {
		return err
	}
	if ptr != nil && C.qh_dwrite(d, C.int(dtype), C.int(len(shape)), nil, nil, ptr) < 0 {
		err := lastError("Unable to write dataset %q", p)
		g.f.discard(d, p)
		return err
	}
	C.H5Dclose(d)
	return nil
}

// discard closes and unlinks a dataset whose data could not be written, so
// that no half-written dataset is left behind. Call with mu held.
func (f *File) discard(d C.hid_t, p string) {
	C.H5Dclose(d)
	cn := cstr(p)
	C.qh_delete(f.id, cn)
	free(cn)
	C.H5Eclear2(C.H5E_DEFAULT)
}

// create validates the arguments and creates the dataset name with the
// dataset-creation properties of opt (h5py's: no time stamps, fill on
// allocation). Call with mu held; close the dataset with H5Dclose.
func (g *Group) create(name string, dtype DType, shape []int, opt CreateOptions) (C.hid_t, string, error) {
	if err := g.f.checkWrite(); err != nil {
		return -1, "", err
	}
	p := g.Join(name)
	if g.f.objKind(p) != NoObject {
		return -1, "", qperr.New(qperr.BadArgument, "Unable to create dataset %q (name already exists)", p)
	}
	if dtype.Size() == 0 {
		return -1, "", qperr.New(qperr.BadArgument, "unsupported dataset type %v", dtype)
	}
	cd, err := dims(shape)
	if err != nil {
		return -1, "", err
	}
	var cmax []C.hsize_t
	if opt.MaxShape != nil {
		if len(opt.MaxShape) != len(shape) || opt.Chunks == nil {
			return -1, "", qperr.New(qperr.BadArgument, "maxshape %v needs chunks and rank %d", opt.MaxShape, len(shape))
		}
		cmax = make([]C.hsize_t, len(shape))
		for i, m := range opt.MaxShape {
			if m < 0 {
				cmax[i] = C.H5S_UNLIMITED
			} else {
				cmax[i] = C.hsize_t(m)
			}
		}
	}
	var cchunks []C.hsize_t
	if opt.Chunks != nil {
		if len(opt.Chunks) != len(shape) {
			return -1, "", qperr.New(qperr.BadArgument, "chunks %v do not match rank of shape %v", opt.Chunks, shape)
		}
		for _, c := range opt.Chunks {
			if c <= 0 {
				return -1, "", qperr.New(qperr.BadArgument, "chunk dimensions must be positive, got %v", opt.Chunks)
			}
		}
		cchunks, _ = dims(opt.Chunks)
	}
	deflate := -1
	if opt.Compress {
		if opt.Deflate < 0 || opt.Deflate > 9 {
			return -1, "", qperr.New(qperr.BadArgument, "gzip level must be 0..9, got %d", opt.Deflate)
		}
		deflate = opt.Deflate
	}
	if cchunks == nil && (opt.Compress || opt.Shuffle || opt.Fletcher32 || opt.Plugin != nil) {
		return -1, "", qperr.New(qperr.BadArgument, "filters need a chunked layout")
	}
	fid, ncd := 0, 0
	var ccd *C.uint
	if opt.Plugin != nil {
		fid, ncd = opt.Plugin.ID, len(opt.Plugin.Params)
		if ncd > 0 {
			arr := make([]C.uint, ncd)
			for i, v := range opt.Plugin.Params {
				arr[i] = C.uint(v)
			}
			ccd = &arr[0]
		}
	}
	shuffle, fl := 0, 0
	if opt.Shuffle {
		shuffle = 1
	}
	if opt.Fletcher32 {
		fl = 1
	}
	dcpl := C.qh_dcpl(C.int(len(shape)), hptr(cchunks), C.int(shuffle), C.int(deflate),
		C.int(fid), C.uint(ncd), ccd, C.int(fl))
	if dcpl < 0 {
		return -1, "", lastError("Unable to set up dataset %q", p)
	}
	defer C.H5Pclose(dcpl)
	cn := cstr(p)
	defer free(cn)
	d := C.qh_dcreate(g.f.id, cn, C.int(dtype), C.int(len(shape)), hptr(cd), hptr(cmax), dcpl)
	if d < 0 {
		return -1, "", lastError("Unable to create dataset %q", p)
	}
	return d, p, nil
}

// openDataset checks that the file is open (and writable with write) and
// opens the member dataset name, returning it with its absolute path.
// Call with mu held; close with H5Dclose.
func (g *Group) openDataset(name string, write bool) (C.hid_t, string, error) {
	check := g.f.check
	if write {
		check = g.f.checkWrite
	}
	if err := check(); err != nil {
		return -1, "", err
	}
	p := g.Join(name)
	d, err := g.f.openDataset(p)
	return d, p, err
}

// openDataset opens the dataset at p. Call with mu held; close with H5Dclose.
func (f *File) openDataset(p string) (C.hid_t, error) {
	switch f.objKind(p) {
	case DatasetKind:
	case NoObject:
		return -1, qperr.New(qperr.NotFound, "Unable to open object %q (no such dataset)", p)
	default:
		return -1, qperr.New(qperr.BadArgument, "%q is not a dataset", p)
	}
	c := cstr(p)
	defer free(c)
	d := C.H5Dopen2(f.id, c, C.H5P_DEFAULT)
	if d < 0 {
		return -1, lastError("Unable to open dataset %q", p)
	}
	return d, nil
}

// DatasetInfo describes a stored dataset.
type DatasetInfo struct {
	DType     DType
	Shape     []int
	MaxShape  []int // -1 for unlimited
	Chunks    []int // nil unless chunked
	Layout    string
	Filters   []Filter
	Storage   int64 // allocated bytes
	FillAlloc bool  // fill time "on allocation" (h5py's setting)
	AllocTime int   // H5D_alloc_time_t
}

func (g *Group) DatasetInfo(name string) (_ DatasetInfo, err error) {
	defer g.f.inFile(&err)
	lock()
	defer unlock()
	if err := g.f.check(); err != nil {
		return DatasetInfo{}, err
	}
	d, err := g.f.openDataset(g.Join(name))
	if err != nil {
		return DatasetInfo{}, err
	}
	defer C.H5Dclose(d)
	return datasetInfo(d, g.Join(name))
}

func datasetInfo(d C.hid_t, p string) (DatasetInfo, error) {
	var code, rank, layout, nf, ft, at C.int
	var size C.size_t
	dimsBuf := make([]C.hsize_t, maxRank)
	maxBuf := make([]C.hsize_t, maxRank)
	chunkBuf := make([]C.hsize_t, maxRank)
	if C.qh_dinfo(d, &code, &size, &rank, &dimsBuf[0], &maxBuf[0], &layout, &chunkBuf[0], &nf, &ft, &at) < 0 {
		return DatasetInfo{}, lastError("Unable to inspect dataset %q", p)
	}
	info := DatasetInfo{DType: DType(code), FillAlloc: ft == C.H5D_FILL_TIME_ALLOC, AllocTime: int(at)}
	// A damaged header can claim any extent: refuse sizes no real qpgo
	// file has before anything is allocated for them.
	total := uint64(1)
	for i := 0; i < int(rank); i++ {
		d := uint64(dimsBuf[i])
		if d != 0 && total > maxDatasetElems/d {
			return DatasetInfo{}, qperr.New(qperr.IO, "dataset %q: extent too large (corrupt file?)", p)
		}
		total *= d
	}
	if code == 20 || code == 21 {
		info.DType = Invalid
	}
	for i := 0; i < int(rank); i++ {
		info.Shape = append(info.Shape, int(dimsBuf[i]))
		if maxBuf[i] == C.H5S_UNLIMITED {
			info.MaxShape = append(info.MaxShape, -1)
		} else {
			info.MaxShape = append(info.MaxShape, int(maxBuf[i]))
		}
	}
	switch layout {
	case C.H5D_COMPACT:
		info.Layout = "compact"
	case C.H5D_CONTIGUOUS:
		info.Layout = "contiguous"
	case C.H5D_CHUNKED:
		info.Layout = "chunked"
		for i := 0; i < int(rank); i++ {
			info.Chunks = append(info.Chunks, int(chunkBuf[i]))
		}
	default:
		info.Layout = "other"
	}
	for i := 0; i < int(nf); i++ {
		var flags C.unsigned
		ncd := C.size_t(16)
		cd := make([]C.unsigned, 16)
		name := make([]byte, 256)
		id := C.qh_dfilter(d, C.unsigned(i), &flags, &ncd, &cd[0], (*C.char)(unsafe.Pointer(&name[0])), 256)
		if id < 0 {
			return DatasetInfo{}, lastError("Unable to read filters of %q", p)
		}
		f := Filter{ID: int(id), Flags: uint(flags), Name: C.GoString((*C.char)(unsafe.Pointer(&name[0])))}
		for j := 0; j < int(ncd) && j < 16; j++ {
			f.Params = append(f.Params, uint(cd[j]))
		}
		info.Filters = append(info.Filters, f)
	}
	info.Storage = int64(C.qh_dstorage(d))
	if err := checkChunkShape(p, info); err != nil {
		return DatasetInfo{}, err
	}
	return info, nil
}

// ReadDataset reads a whole dataset in its stored element type.
func (g *Group) ReadDataset(name string) (data any, shape []int, err error) {
	defer g.f.inFile(&err)
	return g.readAs(name, Invalid)
}

// ReadFloat64 reads a whole numeric dataset converted to float64 by libhdf5.
func (g *Group) ReadFloat64(name string) (_ []float64, _ []int, err error) {
	defer g.f.inFile(&err)
	data, shape, err := g.readAs(name, Float64)
	if err != nil {
		return nil, nil, err
	}
	return data.([]float64), shape, nil
}

// ReadDatasetTemp is ReadDataset for a caller that is done with data
// before it reads again: a dataset stored as one filtered chunk is decoded
// into a pooled buffer that done gives back (call done once, after the
// last use of data). Reading image after image then takes no new memory
// (which the kernel would clear page by page) for the stored values.
func (g *Group) ReadDatasetTemp(name string) (data any, shape []int, done func(), err error) {
	defer g.f.inFile(&err)
	return g.readDecoded(name, Invalid, true)
}

func (g *Group) readAs(name string, as DType) (any, []int, error) {
	out, shape, _, err := g.readDecoded(name, as, false)
	return out, shape, err
}

// readDecoded reads the dataset name in its stored type (as Invalid) or
// converted to float64 (as Float64); with pooled (stored type only) a
// single filtered chunk is decoded into a buffer of bytePool that done
// returns. done is non-nil whenever err is nil.
func (g *Group) readDecoded(name string, as DType, pooled bool) (any, []int, func(), error) {
	p := g.Join(name)
	out, shape, raw, err := g.read(p, true)
	if err != nil {
		return nil, nil, nil, err
	}
	done := func() {}
	if raw != nil {
		// Before the long cgo call of the decode, let a goroutine that the
		// unlock readied run: it would wait for the scheduler to take this
		// P back from the call (e.g. the caller of a series loop while its
		// images are read ahead).
		runtime.Gosched()
		// A single filtered chunk: undo the filters outside the lock. A bad
		// checksum is reported as libhdf5 would; a chunk that does not
		// inflate to the dataset's size is read again through libhdf5,
		// which handles (or reports) it its own way.
		switch {
		case as == Float64:
			out, err = raw.decodeFloat64()
		case pooled:
			var d func()
			if out, d, err = raw.decodePooled(); err == nil {
				done = d
			}
		default:
			out, err = raw.Decode()
		}
		raw.release()
		if err != nil {
			if errors.Is(err, errChecksum) {
				return nil, nil, nil, err
			}
			if out, shape, _, err = g.read(p, false); err != nil {
				return nil, nil, nil, err
			}
		}
	}
	if as == Float64 && DTypeOf(out) != Float64 {
		return ToFloat64(out), shape, done, nil
	}
	return out, shape, done, nil
}

// read reads the dataset at p in its stored type. With chunkRaw set, a
// dataset that is one chunk covering its extent with a pipeline this
// package can undo is not read through libhdf5's filters: its stored chunk
// is returned instead (raw != nil, out nil) for the caller to decode
// without the lock.
func (g *Group) read(p string, chunkRaw bool) (out any, shape []int, raw *RawChunk, err error) {
	lock()
	defer unlock()
	if err := g.f.check(); err != nil {
		return nil, nil, nil, err
	}
	d, err := g.f.openDataset(p)
	if err != nil {
		return nil, nil, nil, err
	}
	defer C.H5Dclose(d)
	info, err := datasetInfo(d, p)
	if err != nil {
		return nil, nil, nil, err
	}
	if info.DType == Invalid {
		return nil, nil, nil, qperr.New(qperr.BadArgument, "dataset %q has an unsupported element type", p)
	}
	if err := checkAlloc(g.f.Budget(), p, info); err != nil {
		return nil, nil, nil, err
	}
	if chunkRaw && info.Layout == "chunked" {
		raw, err := readChunkRaw(d, p, g.f.name, info)
		if err != nil {
			return nil, nil, nil, err
		}
		if raw != nil {
			return nil, info.Shape, raw, nil
		}
	}
	if err := g.f.checkDeferred(d, p); err != nil {
		return nil, nil, nil, err
	}
	// Always read the stored type and convert in Go: with a type conversion
	// libhdf5 works through a 1 MiB conversion buffer and, for a chunk larger
	// than its chunk cache, inflates the chunk once per buffer strip.
	out = MakeSlice(info.DType, numel(info.Shape))
	ptr, _ := sliceInfo(out)
	if ptr != nil && C.qh_dread(d, C.int(info.DType), C.int(len(info.Shape)), nil, nil, ptr) < 0 {
		return nil, nil, nil, readError("Unable to read dataset %q", p)
	}
	return out, info.Shape, nil, nil
}

// ToFloat64 converts a typed slice to float64 (bool → 0/1).
func ToFloat64(data any) []float64 {
	switch v := data.(type) {
	case []float64:
		return v
	case []float32:
		return conv(v)
	case []int8:
		return conv(v)
	case []uint8:
		return conv(v)
	case []int16:
		return conv(v)
	case []uint16:
		return conv(v)
	case []int32:
		return conv(v)
	case []uint32:
		return conv(v)
	case []int64:
		return conv(v)
	case []uint64:
		return conv(v)
	case []bool:
		out := make([]float64, len(v))
		for i, b := range v {
			if b {
				out[i] = 1
			}
		}
		return out
	}
	return nil
}

type number interface {
	~int8 | ~uint8 | ~int16 | ~uint16 | ~int32 | ~uint32 | ~int64 | ~uint64 | ~float32 | ~float64
}

func conv[T number](v []T) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// ReadSlab reads the hyperslab start/count of a dataset into out, a typed
// slice of numel(count) elements (libhdf5 converts numeric types).
func (g *Group) ReadSlab(name string, start, count []int, out any) (err error) {
	defer g.f.inFile(&err)
	return g.slab(name, start, count, out, false)
}

// WriteSlab writes data into the hyperslab start/count of an existing dataset.
func (g *Group) WriteSlab(name string, start, count []int, data any) error {
	return g.slab(name, start, count, data, true)
}

func (g *Group) slab(name string, start, count []int, buf any, write bool) error {
	lock()
	defer unlock()
	d, p, err := g.openDataset(name, write)
	if err != nil {
		return err
	}
	defer C.H5Dclose(d)
	info, err := datasetInfo(d, p)
	if err != nil {
		return err
	}
	if len(start) != len(info.Shape) || len(count) != len(info.Shape) {
		return qperr.New(qperr.BadArgument, "slab rank %d/%d does not match dataset rank %d", len(start), len(count), len(info.Shape))
	}
	for i := range start {
		if start[i] < 0 || count[i] < 0 || start[i]+count[i] > info.Shape[i] {
			return qperr.New(qperr.BadArgument, "slab start %v count %v outside shape %v", start, count, info.Shape)
		}
	}
	dt := DTypeOf(buf)
	ptr, n := sliceInfo(buf)
	if dt == Invalid || n != numel(count) {
		return qperr.New(qperr.BadArgument, "buffer %T of %d elements does not fit count %v", buf, n, count)
	}
	if n == 0 {
		return nil
	}
	cs, _ := dims(start)
	cc, _ := dims(count)
	if write {
		if C.qh_dwrite(d, C.int(dt), C.int(len(count)), hptr(cs), hptr(cc), ptr) < 0 {
			return lastError("Unable to write to dataset %q", p)
		}
	} else if err := g.f.checkDeferred(d, p); err != nil {
		return err
	} else if C.qh_dread(d, C.int(dt), C.int(len(count)), hptr(cs), hptr(cc), ptr) < 0 {
		return readError("Unable to read from dataset %q", p)
	}
	return nil
}

// Resize changes the extent of a chunked dataset with a larger MaxShape.
func (g *Group) Resize(name string, shape []int) error {
	lock()
	defer unlock()
	d, p, err := g.openDataset(name, true)
	if err != nil {
		return err
	}
	defer C.H5Dclose(d)
	cd, err := dims(shape)
	if err != nil {
		return err
	}
	if C.qh_dextend(d, C.int(len(shape)), hptr(cd)) < 0 {
		return lastError("Unable to resize %q to %v", p, shape)
	}
	return nil
}

func (i DatasetInfo) String() string {
	return fmt.Sprintf("%v %v %s chunks=%v filters=%v", i.DType, i.Shape, i.Layout, i.Chunks, i.Filters)
}

// checkAlloc refuses to allocate a whole dataset bigger than the memory
// budget, or a contiguous one whose extent its storage cannot hold (a
// damaged header; an unallocated dataset reads as fill values).
func checkAlloc(b limits.Budget, p string, info DatasetInfo) error {
	need := limits.Mul(int64(numel(info.Shape)), int64(info.DType.Size()))
	avail := int64(-1)
	if info.Layout == "contiguous" && info.Storage > 0 {
		avail = info.Storage
	}
	return b.Check(fmt.Sprintf("dataset %q of shape %v", p, info.Shape), need, avail)
}
