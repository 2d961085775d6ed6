package imagedata

import (
	"runtime"
	"slices"

	"qpgo/core/h5"
	"qpgo/core/qperr"
	"qpgo/internal/npy"
	"qpgo/internal/par"
)

// Encoded is an image dataset prepared for writing: the data in the
// storage type and, for a file on disk, its single chunk already filtered
// (deflate at Compression, Fletcher-32) as libhdf5 would store it.
// Encoding holds no lock, so several images can be encoded at once and
// written afterwards (WriteEncoded) in the order that fixes the file
// layout.
type Encoded struct {
	DType h5.DType
	Shape []int
	data  any
	chunk []byte // nil: not encoded for a disk file
	mask  uint32
	level int // Compression used for chunk
}

// EncodeImage converts data to the storage type dtype (float32 or float64)
// and, unless f is on the core driver, compresses it (f nil: disk rules).
func EncodeImage(f *h5.File, data []float64, shape []int, dtype h5.DType) (*Encoded, error) {
	if numel(shape) != len(data) {
		return nil, qperr.New(qperr.BadArgument, "data of %d elements does not match shape %v", len(data), shape)
	}
	var buf any
	switch dtype {
	case h5.Float32:
		v := make([]float32, len(data))
		for i, x := range data {
			v[i] = float32(x)
		}
		buf = v
	case h5.Float64:
		buf = data
	default:
		return nil, qperr.New(qperr.BadArgument, "h5dtype must be float32 or float64, got %v", dtype)
	}
	return EncodeTyped(f, buf, shape)
}

// EncodeTyped prepares any typed slice with the image-dataset rules (no
// conversion); see EncodeImage.
func EncodeTyped(f *h5.File, data any, shape []int) (*Encoded, error) {
	dt := h5.DTypeOf(data)
	if dt == h5.Invalid {
		return nil, qperr.New(qperr.BadArgument, "cannot write %T as a dataset", data)
	}
	if n := npy.SliceLen(data); n != numel(shape) {
		return nil, qperr.New(qperr.BadArgument, "data of %d elements does not match shape %v", n, shape)
	}
	e := &Encoded{DType: dt, Shape: slices.Clone(shape), data: data, level: Compression}
	if f != nil && f.IsCoreDriver() {
		return e, nil
	}
	return e, e.encode()
}

// chunked reports whether the dataset gets the chunked disk layout: HDF5
// cannot chunk a scalar or empty dataset, h5py stores those contiguous.
func (e *Encoded) chunked() bool { return len(e.Shape) > 0 && numel(e.Shape) > 0 }

func (e *Encoded) encode() error {
	e.level = Compression
	if !e.chunked() {
		return nil
	}
	chunk, mask, err := h5.EncodeChunk(e.data, e.level, true)
	if err != nil {
		return err
	}
	e.chunk, e.mask = chunk, mask
	return nil
}

// WriteEncoded writes e as group[key] like WriteImageDataset: an existing
// key is deleted; on the core driver the data are written contiguous and
// bare, else as the prepared chunk with the IMAGE attributes (an Encoded
// prepared for the core driver is compressed now).
func WriteEncoded(g *h5.Group, key string, e *Encoded) error {
	if numel(e.Shape) != npy.SliceLen(e.data) {
		return qperr.New(qperr.BadArgument, "data of %d elements does not match shape %v", npy.SliceLen(e.data), e.Shape)
	}
	if g.Has(key) {
		if err := g.Delete(key); err != nil {
			return err
		}
	}
	if g.File().IsCoreDriver() {
		return g.CreateDataset(key, e.DType, e.Shape, e.data, h5.CreateOptions{})
	}
	if !e.chunked() {
		if err := g.CreateDataset(key, e.DType, e.Shape, e.data, h5.CreateOptions{}); err != nil {
			return err
		}
	} else {
		if e.chunk == nil || e.level != Compression {
			if err := e.encode(); err != nil {
				return err
			}
		}
		opt := h5.CreateOptions{Chunks: e.Shape, Fletcher32: true}
		if e.level >= 0 {
			opt.Compress, opt.Deflate = true, e.level
		}
		if err := g.CreateDatasetChunk(key, e.DType, e.Shape, opt, e.chunk, e.mask); err != nil {
			return err
		}
	}
	a := g.AttrsOf(key)
	for _, kv := range ImageAttrs {
		if err := a.Set(kv.Name, kv.Value); err != nil {
			return err
		}
	}
	return nil
}

// Pending is an encoding running in the background (EncodeAsync).
type Pending struct {
	done chan struct{}
	enc  *Encoded
	err  error
}

// EncodeAsync starts EncodeImage (data []float64 with dtype Float32 or
// Float64) or EncodeTyped (any other typed slice; dtype ignored) in a new
// goroutine: a writer can encode image N+1 while it writes image N. At
// most GOMAXPROCS encodings run at once.
func EncodeAsync(f *h5.File, data any, shape []int, dtype h5.DType) *Pending {
	p := &Pending{done: make(chan struct{})}
	go func() {
		defer close(p.done)
		p.err = par.Safe(func() error {
			var err error
			p.enc, err = encodeAny(f, data, shape, dtype)
			return err
		})
	}()
	return p
}

func encodeAny(f *h5.File, data any, shape []int, dtype h5.DType) (*Encoded, error) {
	if v, ok := data.([]float64); ok && dtype != h5.Invalid {
		return EncodeImage(f, v, shape, dtype)
	}
	return EncodeTyped(f, data, shape)
}

// Wait returns the result of the encoding.
func (p *Pending) Wait() (*Encoded, error) {
	<-p.done
	return p.enc, p.err
}

// Job is one dataset for WriteAll.
type Job struct {
	G     *h5.Group
	Key   string
	Data  any      // []float64 (stored as DType) or any typed slice (stored as is)
	Shape []int    //
	DType h5.DType // storage type of []float64 data: Float32 or Float64 (Invalid: as is)
	Attrs []Attr   // set on the dataset after the IMAGE attributes, in order
}

// WriteAll writes the jobs in order with the rules of WriteImageDataset,
// compressing the next jobs while the current one is written (up to
// GOMAXPROCS at once). The file layout is the one the same writes one
// after another produce. It stops at the first error.
func WriteAll(jobs []Job) error {
	ahead := runtime.GOMAXPROCS(0) + 1
	pend := make([]*Pending, len(jobs))
	start := func(i int) {
		if i < len(jobs) && pend[i] == nil {
			j := jobs[i]
			pend[i] = EncodeAsync(j.G.File(), j.Data, j.Shape, j.DType)
		}
	}
	for i := 0; i < ahead; i++ {
		start(i)
	}
	for i, j := range jobs {
		start(i + ahead - 1)
		e, err := pend[i].Wait()
		pend[i] = nil
		if err != nil {
			return err
		}
		if err := WriteEncoded(j.G, j.Key, e); err != nil {
			return err
		}
		for _, a := range j.Attrs {
			if err := j.G.AttrsOf(j.Key).Set(a.Name, a.Value); err != nil {
				return err
			}
		}
	}
	return nil
}

// readFloat64s reads datasets of g as float64 concurrently: the chunks
// are read one after another under the libhdf5 lock, their decompression
// and conversion run in parallel.
func readFloat64s(g *h5.Group, names []string) ([][]float64, [][]int, error) {
	vals := make([][]float64, len(names))
	shapes := make([][]int, len(names))
	errs := make([]error, len(names))
	if len(names) == 1 {
		vals[0], shapes[0], errs[0] = g.ReadFloat64(names[0])
		return vals, shapes, errs[0]
	}
	err := par.Do(len(names), len(names), func(i int) error {
		var err error
		vals[i], shapes[i], err = g.ReadFloat64(names[i])
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return vals, shapes, nil
}

// CopyPlan is a CopyGroup whose reading and compression start before the
// target group exists (StartCopy): a caller that has checks to make first
// (e.g. a series looking for a duplicate identifier) overlaps them with
// the compression. Copy performs the copy; Release (deferred) waits for
// work not taken.
type CopyPlan struct {
	in    *h5.Group
	dst   *h5.File
	links map[string]string
	pre   *prefetch
	err   error // from listing the datasets; returned by Copy
}

// StartCopy starts reading and compressing the datasets of in for a
// CopyGroup(in, out, links) with out in the file dst. It only reads in.
func StartCopy(in *h5.Group, dst *h5.File, links map[string]string) *CopyPlan {
	p := &CopyPlan{in: in, dst: dst, links: links}
	if in.File() != dst && in.File().Name() != dst.Name() {
		var paths []string
		if p.err = collectDatasets(in, "", links, &paths); p.err == nil && len(paths) > 1 {
			p.pre = newPrefetch(in, dst, paths)
		}
	}
	return p
}

// Copy is CopyGroup(in, out, links) with the work started by StartCopy;
// the file is the same. out must be in the file given to StartCopy (else
// the plan is dropped and CopyGroup runs). A plan copies once.
func (p *CopyPlan) Copy(out *h5.Group) error {
	if p.pre == nil && p.err == nil || out.File() != p.dst {
		p.Release()
		return CopyGroup(p.in, out, p.links)
	}
	defer p.Release()
	if p.err != nil {
		return p.err
	}
	return copyGroup(p.in, out, "", p.links, p.pre)
}

// Release waits for the reads and compressions not taken by Copy.
func (p *CopyPlan) Release() {
	if p.pre != nil {
		p.pre.drain()
		p.pre = nil
	}
}
