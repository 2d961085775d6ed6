package imageseries

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"qpgo/core/h5"
	"qpgo/core/qperr"
	"qpgo/internal/limits"
	"qpgo/internal/npy"
	"qpgo/internal/par"
)

// HDF5Series is the "hdf5" adapter: frames of a 2-D or 3-D dataset
// <path>/<dataname> of an HDF5 file, read one hyperslab per frame on demand
// (opening a file never reads frame data). Metadata are the attributes of
// the group at path, read once at open.
type HDF5Series struct {
	f          *h5.File
	g          *h5.Group
	dset       string
	ownFile    bool
	n          int
	rows, cols int
	is2D       bool
	dt         DType
	meta       Metadata

	// Frames stored one per chunk are read raw (H5Dread_chunk, under the
	// libhdf5 lock) and decoded in Go outside the lock; sequential access
	// decodes the next frames ahead on worker goroutines.
	chunked bool        // chunks are whole frames
	slow    atomic.Bool // a chunk Go cannot decode was met: libhdf5 reads
	ra      readAhead
	bufs    sync.Pool // read-ahead frame buffers, returned by FrameInto after its copy
}

// readAhead holds frames being read ahead of a sequential reader.
type readAhead struct {
	mu      sync.Mutex
	pending map[int]func() (Frame, error)
	last    int // last frame requested
	sched   int // highest frame scheduled in the current sequential run
	running sync.WaitGroup
	closed  bool
}

func init() {
	Register("hdf5", openHDF5Opts, writeHDF5Opts, OptionKeys{
		Open:  []string{"path", "dataname", "max_alloc_bytes"},
		Write: []string{"path", "gzip", "shuffle", "chunk_rows", "compression", "h5group_id"}, // h5group_id: the C ABI turns it into "file"
	})
}

func h5DType(dt DType) (h5.DType, error) {
	if opsFor(dt) == nil {
		return h5.Invalid, qperr.New(qperr.BadArgument, "dtype %s cannot be stored in HDF5", dt)
	}
	return dt, nil
}

// fromH5DType is the series dtype of a dataset type (Invalid for bool).
func fromH5DType(d h5.DType) DType {
	if opsFor(d) == nil {
		return Invalid
	}
	return d
}

func openHDF5Opts(name string, opts Options) (ImageSeries, error) {
	path, ok := opts["path"]
	if !ok || path == nil {
		return nil, qperr.New(qperr.NotFound, "'path'")
	}
	p, ok := path.(string)
	if !ok {
		return nil, qperr.New(qperr.BadArgument, "option path: expected a string, got %T", path)
	}
	dn, err := optString(opts, "dataname", "images")
	if err != nil {
		return nil, err
	}
	budget, err := optBudget(opts)
	if err != nil {
		return nil, err
	}
	if f, ok := opts["file"].(*h5.File); ok {
		f.SetBudget(budget)
		return OpenHDF5File(f, p, dn)
	}
	return openHDF5Within(name, p, dn, budget)
}

// OpenHDF5 opens the dataset path/dataname of the file name (read-only).
// The file stays open until Close.
func OpenHDF5(name, path, dataname string) (*HDF5Series, error) {
	return openHDF5Within(name, path, dataname, 0)
}

// openHDF5Within is OpenHDF5 with the memory budget of this open.
func openHDF5Within(name, path, dataname string, budget limits.Budget) (*HDF5Series, error) {
	f, err := h5.Open(name, "r")
	if err != nil {
		return nil, err
	}
	f.SetBudget(budget)
	s, err := OpenHDF5File(f, path, dataname)
	if err != nil {
		f.Close()
		return nil, err
	}
	s.ownFile = true
	return s, nil
}

// OpenHDF5File opens the dataset path/dataname of an open file; Close does
// not close f (upstream's close_when_finished=False for an h5py.File).
func OpenHDF5File(f *h5.File, path, dataname string) (*HDF5Series, error) {
	if dataname == "" {
		dataname = "images"
	}
	root := f.Root()
	var g *h5.Group
	if strings.Trim(path, "/") == "" {
		g = root
	} else {
		var err error
		if g, err = root.Group(path); err != nil {
			if root.Kind(path) == h5.NoObject {
				return nil, qperr.New(qperr.NotFound, "Unable to open object (object '%s' doesn't exist)", strings.Trim(path, "/"))
			}
			return nil, err
		}
	}
	if g.Kind(dataname) == h5.NoObject {
		return nil, qperr.New(qperr.NotFound, "Unable to open object (object '%s' doesn't exist)", dataname)
	}
	info, err := g.DatasetInfo(dataname)
	if err != nil {
		return nil, err
	}
	s := &HDF5Series{f: f, g: g, dset: dataname, dt: fromH5DType(info.DType)}
	if s.dt == Invalid {
		return nil, qperr.New(qperr.Unsupported, "dataset %s has an unsupported element type", g.Join(dataname))
	}
	switch len(info.Shape) {
	case 2:
		s.n, s.rows, s.cols, s.is2D = 1, info.Shape[0], info.Shape[1], true
	case 3:
		s.n, s.rows, s.cols = info.Shape[0], info.Shape[1], info.Shape[2]
	default:
		return nil, qperr.New(qperr.Runtime, "dataset %s has %d dimensions; an image series needs 2 or 3", g.Join(dataname), len(info.Shape))
	}
	// a frame is what a caller allocates per read: within the budget
	if err := f.Budget().Check(fmt.Sprintf("%s: frame of shape (%d, %d)", g.Join(dataname), s.rows, s.cols), limits.Mul(limits.Mul(int64(s.rows), int64(s.cols)), int64(s.dt.Size())), -1); err != nil {
		return nil, err
	}
	if s.meta, err = readAttrMeta(g.Attrs()); err != nil {
		return nil, err
	}
	whole := []int{1, s.rows, s.cols}
	if s.is2D {
		whole = whole[1:]
	}
	s.chunked = info.Layout == "chunked" && slices.Equal(info.Chunks, whole) && s.rows*s.cols > 0
	s.ra.last, s.ra.sched = -2, -1
	return s, nil
}

// Close closes the file if the series opened it (after the frames being
// read ahead are done).
func (s *HDF5Series) Close() error {
	s.ra.mu.Lock()
	s.ra.closed = true
	s.ra.pending = nil
	s.ra.mu.Unlock()
	s.ra.running.Wait()
	if s.ownFile && s.f != nil && !s.f.Closed() {
		return s.f.Close()
	}
	return nil
}

// Len is the number of frames (1 for a 2-D dataset).
func (s *HDF5Series) Len() int { return s.n }

// Shape is [rows, cols].
func (s *HDF5Series) Shape() []int { return []int{s.rows, s.cols} }

// DType is the dataset element type.
func (s *HDF5Series) DType() DType { return s.dt }

// Metadata are the group attributes (read-only).
func (s *HDF5Series) Metadata() Metadata { return s.meta }

// Frame reads frame i (one hyperslab, or one chunk decoded in Go).
func (s *HDF5Series) Frame(i int) (Frame, error) {
	if !s.chunked || s.slow.Load() {
		return s.Region(i, Rect{0, s.rows, 0, s.cols})
	}
	if s.is2D && i != 0 && i != -1 {
		return Frame{}, qperr.New(qperr.NotFound, "key %d is out of range for imageseris with length 1", i) // upstream text (sic)
	}
	i, err := normIndex(i, s.n)
	if err != nil {
		return Frame{}, err
	}
	if w := s.aheadOf(i); w != nil {
		return w()
	}
	return s.chunkFrame(i)
}

// FrameInto reads frame i into dst. Frames decoded ahead of a sequential
// reader are copied (their buffers are reused by later read-aheads); the
// others are decoded into dst directly.
func (s *HDF5Series) FrameInto(i int, dst any) error {
	if err := checkDst(dst, s.dt, s.rows*s.cols); err != nil {
		return err
	}
	if s.is2D && i != 0 && i != -1 {
		return qperr.New(qperr.NotFound, "key %d is out of range for imageseris with length 1", i) // upstream text (sic)
	}
	i, err := normIndex(i, s.n)
	if err != nil {
		return err
	}
	if !s.chunked || s.slow.Load() {
		return s.slabInto(i, dst)
	}
	if w := s.aheadOf(i); w != nil {
		f, err := w()
		if err != nil {
			return err
		}
		copyInto(dst, 0, f.Data)
		s.bufs.Put(f.Data)
		return nil
	}
	return s.chunkInto(i, dst)
}

// readAheadDepth is how many frames a sequential reader has decoded ahead.
func readAheadDepth() int { return runtime.GOMAXPROCS(0) + 1 }

// aheadOf returns the pending read of frame i (nil if none) and, when i
// continues a sequential run, starts reading the frames after it.
func (s *HDF5Series) aheadOf(i int) func() (Frame, error) {
	ra := &s.ra
	ra.mu.Lock()
	defer ra.mu.Unlock()
	if ra.closed {
		return nil
	}
	w := ra.pending[i]
	delete(ra.pending, i)
	seq := i == ra.last+1
	ra.last = i
	if !seq {
		// a jump: forget what was read ahead for the old position
		ra.pending = nil
		ra.sched = i
		return w
	}
	if ra.pending == nil {
		ra.pending = map[int]func() (Frame, error){}
	}
	for j := max(i, ra.sched) + 1; j < min(s.n, i+1+readAheadDepth()); j++ {
		var fr Frame
		ra.running.Add(1)
		wait := par.Go(func() error {
			defer ra.running.Done()
			buf := s.bufs.Get()
			if buf == nil {
				buf = newData(s.dt, s.rows*s.cols)
			}
			if err := s.chunkInto(j, buf); err != nil {
				return err
			}
			fr = Frame{s.rows, s.cols, buf}
			return nil
		})
		ra.pending[j] = func() (Frame, error) {
			if err := wait(); err != nil {
				return Frame{}, err
			}
			return fr, nil
		}
		ra.sched = j
	}
	return w
}

// chunkFrame reads frame i as its raw chunk and decodes it without the
// libhdf5 lock; a chunk Go cannot decode switches the series to libhdf5.
func (s *HDF5Series) chunkFrame(i int) (Frame, error) {
	out := newData(s.dt, s.rows*s.cols)
	if err := s.chunkInto(i, out); err != nil {
		return Frame{}, err
	}
	return Frame{s.rows, s.cols, out}, nil
}

// chunkInto decodes frame i into dst (rows·cols elements of the dataset
// type).
func (s *HDF5Series) chunkInto(i int, dst any) error {
	off := []int{i, 0, 0}
	if s.is2D {
		off = off[1:]
	}
	ch, err := s.g.ReadChunkRawAt(s.dset, off)
	if err != nil {
		return err
	}
	if ch == nil || fromH5DType(ch.DType) != s.dt {
		s.slow.Store(true)
		return s.slabInto(i, dst)
	}
	return ch.DecodeInto(dst)
}

// slabInto reads frame i into dst through libhdf5 (one hyperslab).
func (s *HDF5Series) slabInto(i int, dst any) error {
	start, count := []int{i, 0, 0}, []int{1, s.rows, s.cols}
	if s.is2D {
		start, count = start[1:], count[1:]
	}
	if s.rows*s.cols == 0 {
		return nil
	}
	return s.g.ReadSlab(s.dset, start, count, dst)
}

// Region reads only the rectangle r of frame i.
func (s *HDF5Series) Region(i int, r Rect) (Frame, error) {
	if s.is2D && i != 0 && i != -1 {
		return Frame{}, qperr.New(qperr.NotFound, "key %d is out of range for imageseris with length 1", i) // upstream text (sic)
	}
	i, err := normIndex(i, s.n)
	if err != nil {
		return Frame{}, err
	}
	c := r.clip(s.rows, s.cols)
	nr, nc := max(c.R1-c.R0, 0), max(c.C1-c.C0, 0)
	out := newData(s.dt, nr*nc)
	if nr*nc == 0 {
		return Frame{nr, nc, out}, nil
	}
	var start, count []int
	if s.is2D {
		start, count = []int{c.R0, c.C0}, []int{nr, nc}
	} else {
		start, count = []int{i, c.R0, c.C0}, []int{1, nr, nc}
	}
	if err := s.g.ReadSlab(s.dset, start, count, out); err != nil {
		return Frame{}, err
	}
	return Frame{nr, nc, out}, nil
}

// ---------------------------------------------------------------- writer

// HDF5WriteOptions are the options of the "hdf5" writer (hexrd's
// WriteH5): Path is required; Gzip 0..9 (default 1 via the Options map);
// Shuffle; ChunkRows (< 1 or > rows: whole frame per chunk); Compression,
// if set, replaces shuffle and gzip (e.g. Blosc, as hdf5plugin.Blosc).
type HDF5WriteOptions struct {
	Path        string
	Gzip        int
	Shuffle     bool
	ChunkRows   int
	Compression *h5.Filter
	// Workers reading/producing frames ahead of the writer (0: GOMAXPROCS).
	Workers int
}

// BloscFilter returns the Blosc filter (id 32001) as hdf5plugin.Blosc
// configures it: cname one of blosclz, lz4, lz4hc, snappy, zlib, zstd;
// shuffle 0 none, 1 byte, 2 bit.
func BloscFilter(cname string, clevel, shuffle int) (*h5.Filter, error) {
	codes := map[string]uint{"blosclz": 0, "lz4": 1, "lz4hc": 2, "snappy": 3, "zlib": 4, "zstd": 5}
	c, ok := codes[cname]
	if !ok {
		return nil, qperr.New(qperr.BadArgument, "unknown Blosc compressor %q", cname)
	}
	if clevel < 0 || clevel > 9 || shuffle < 0 || shuffle > 2 {
		return nil, qperr.New(qperr.BadArgument, "Blosc clevel must be 0..9 and shuffle 0..2")
	}
	return &h5.Filter{ID: h5.FilterBlosc, Name: "blosc", Params: []uint{0, 0, 0, 0, uint(clevel), uint(shuffle), c}}, nil
}

func optBool(opts Options, key string, def bool) (bool, error) {
	v, ok := opts[key]
	if !ok || v == nil {
		return def, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, qperr.New(qperr.BadArgument, "option %s: expected a bool, got %T", key, v)
	}
	return b, nil
}

// optFilter decodes the "compression" option: *h5.Filter, or a mapping
// {"blosc": {"cname", "clevel", "shuffle"}} / {"id": n, "params": [...]}.
func optFilter(v any) (*h5.Filter, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case *h5.Filter:
		return x, nil
	case map[string]any:
		if b, ok := x["blosc"]; ok {
			m, _ := b.(map[string]any)
			o := Options(m)
			cname, err := optString(o, "cname", "blosclz")
			if err != nil {
				return nil, err
			}
			cl, ok, err := optNumber(o, "clevel")
			if err != nil {
				return nil, err
			}
			if !ok {
				cl = 5
			}
			sh, ok, err := optNumber(o, "shuffle")
			if err != nil {
				return nil, err
			}
			if !ok {
				sh = 1
			}
			return BloscFilter(cname, int(cl), int(sh))
		}
		id, ok, err := optNumber(Options(x), "id")
		if err != nil || !ok {
			return nil, qperr.New(qperr.BadArgument, "compression: expected {\"blosc\": {...}} or {\"id\": n, \"params\": [...]}")
		}
		f := &h5.Filter{ID: int(id)}
		if ps, ok := x["params"].([]any); ok {
			for _, p := range ps {
				n, ok := p.(float64)
				if !ok || n < 0 {
					return nil, qperr.New(qperr.BadArgument, "compression params must be non-negative numbers")
				}
				f.Params = append(f.Params, uint(n))
			}
		}
		return f, nil
	}
	return nil, qperr.New(qperr.BadArgument, "option compression: unsupported value %T", v)
}

func writeHDF5Opts(ims ImageSeries, name string, opts Options) error {
	pv, ok := opts["path"]
	if !ok || pv == nil {
		return qperr.New(qperr.NotFound, "'path'")
	}
	p, ok := pv.(string)
	if !ok {
		return qperr.New(qperr.BadArgument, "option path: expected a string, got %T", pv)
	}
	o := HDF5WriteOptions{Path: p, Gzip: 1}
	if g, ok, err := optNumber(opts, "gzip"); err != nil {
		return err
	} else if ok {
		if g != float64(int(g)) || g < 0 || g > 9 {
			if _, ok := opts["file"].(*h5.File); !ok {
				// as h5py: the file is created (truncated) before the
				// dataset's options are checked
				if f, err := h5.Open(name, "w"); err == nil {
					f.Close()
				}
			}
			return qperr.New(qperr.BadArgument, "GZIP setting must be an integer from 0-9, not %v", g)
		}
		o.Gzip = int(g)
	}
	var err error
	if o.Shuffle, err = optBool(opts, "shuffle", true); err != nil {
		return err
	}
	if c, ok, err := optNumber(opts, "chunk_rows"); err != nil {
		return err
	} else if ok {
		o.ChunkRows = int(c)
	}
	if o.Compression, err = optFilter(opts["compression"]); err != nil {
		return err
	}
	if w, ok, err := optNumber(opts, "max_workers"); err != nil {
		return err
	} else if ok {
		o.Workers = int(w)
	}
	if f, ok := opts["file"].(*h5.File); ok {
		return WriteHDF5File(ims, f, o)
	}
	return WriteHDF5(ims, name, o)
}

// WriteHDF5 writes ims to a new (truncated) file name: group o.Path with
// the metadata as attributes and dataset images (nframes, rows, cols).
func WriteHDF5(ims ImageSeries, name string, o HDF5WriteOptions) error {
	if o.Gzip < 0 || o.Gzip > 9 {
		return qperr.New(qperr.BadArgument, "GZIP setting must be an integer from 0-9, not %d", o.Gzip)
	}
	if err := checkHDF5Meta(ims.Metadata()); err != nil {
		return err
	}
	f, err := h5.Open(name, "w")
	if err != nil {
		return err
	}
	werr := WriteHDF5File(ims, f, o)
	cerr := f.Close()
	if werr != nil {
		return werr
	}
	return cerr
}

// checkHDF5Meta rejects metadata upstream cannot write (values without a
// NumPy dtype: Python str/int/dict) before the file is touched.
func checkHDF5Meta(m Metadata) error {
	for _, k := range sortedKeys(m) {
		if _, _, err := attrValue(k, m[k]); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys(m Metadata) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// WriteHDF5File writes ims into an open, writable file (the group o.Path
// must not exist).
func WriteHDF5File(ims ImageSeries, f *h5.File, o HDF5WriteOptions) error {
	if o.Path == "" {
		return qperr.New(qperr.NotFound, "'path'")
	}
	if o.Gzip < 0 || o.Gzip > 9 {
		return qperr.New(qperr.BadArgument, "GZIP setting must be an integer from 0-9, not %d", o.Gzip)
	}
	meta := ims.Metadata()
	if err := checkHDF5Meta(meta); err != nil {
		return err
	}
	shape := ims.Shape()
	rows, cols := shape[0], shape[1]
	n := ims.Len()
	dt := ims.DType()
	hdt, err := h5DType(dt)
	if err != nil {
		return err
	}
	root := f.Root()
	if root.Has(o.Path) {
		return qperr.New(qperr.BadArgument, "Unable to create group (name already exists): %s", o.Path)
	}
	g, err := root.RequireGroup(o.Path)
	if err != nil {
		return err
	}
	cr := o.ChunkRows
	if cr < 1 || cr > rows {
		cr = rows
	}
	copt := h5.CreateOptions{Chunks: []int{1, max(cr, 1), max(cols, 1)}}
	if o.Compression != nil {
		copt.Plugin = o.Compression
	} else {
		copt.Shuffle = o.Shuffle
		if o.Gzip > 0 {
			copt.Compress, copt.Deflate = true, o.Gzip
		}
	}
	if o.Compression == nil && cr == rows && o.Shuffle && o.Gzip >= 1 && n > 0 && rows*cols > 0 {
		return writeHDF5Prefiltered(ims, g, hdt, n, rows, cols, copt, o)
	}
	if err := g.CreateDataset("images", hdt, []int{n, rows, cols}, nil, copt); err != nil {
		return err
	}
	// Frames are produced ahead by workers (processing, decoding of the
	// source) and written in order; libhdf5 filters under its own lock.
	err = forFramesOrdered(ims, n, o.Workers, func(i int, fr Frame) error {
		if err := checkFrame(fr, rows, cols, "hdf5 writer"); err != nil {
			return err
		}
		if fr.DType() != dt {
			fr = fr.AsType(dt)
		}
		return g.WriteSlab("images", []int{i, 0, 0}, []int{1, rows, cols}, fr.Data)
	})
	if err != nil {
		return err
	}
	for _, k := range sortedKeys(meta) {
		if err := setAttr(g.Attrs(), k, meta[k]); err != nil {
			return err
		}
	}
	return nil
}

// writeHDF5Prefiltered writes the default layout (one frame per chunk,
// shuffle + deflate) with the filters run in Go worker goroutines
// (encodeShuffleDeflate) and only the chunk writes under the libhdf5 lock
// (h5.AppendChunk): the dataset starts empty with maxshape (n, rows, cols)
// and ends as upstream's (n, rows, cols)/(n, rows, cols). Attributes follow.
func writeHDF5Prefiltered(ims ImageSeries, g *h5.Group, hdt h5.DType, n, rows, cols int, copt h5.CreateOptions, o HDF5WriteOptions) error {
	copt.MaxShape = []int{n, rows, cols}
	if err := g.CreateDataset("images", hdt, []int{0, rows, cols}, nil, copt); err != nil {
		return err
	}
	dt := ims.DType()
	err := forFramesPrepared(ims, n, o.Workers, func(i int, fr Frame) (any, error) {
		if err := checkFrame(fr, rows, cols, "hdf5 writer"); err != nil {
			return nil, err
		}
		if fr.DType() != dt {
			fr = fr.AsType(dt)
		}
		return encodeShuffleDeflate(fr.Data, o.Gzip), nil
	}, func(i int, v any) error {
		c := v.(encodedChunk)
		_, err := g.AppendChunk("images", c.data, c.mask)
		return err
	})
	if err != nil {
		return err
	}
	meta := ims.Metadata()
	for _, k := range sortedKeys(meta) {
		if err := setAttr(g.Attrs(), k, meta[k]); err != nil {
			return err
		}
	}
	return nil
}

// forFramesOrdered fetches frames 0..n-1 with up to workers goroutines
// (bounded read-ahead) and calls fn in frame order on the caller's goroutine.
// Frames of in-memory arrays are views: fn must not modify them.
func forFramesOrdered(ims ImageSeries, n, workers int, fn func(i int, f Frame) error) error {
	return forFramesPrepared(ims, n, workers,
		func(i int, f Frame) (any, error) { return f, nil },
		func(i int, v any) error { return fn(i, v.(Frame)) })
}

// forFramesPrepared runs prep(i, frame i) on worker goroutines (in any
// order, at most workers+1 frames ahead) and use(i, result) in frame order
// on the caller's goroutine. Frames of in-memory arrays are read-only views.
func forFramesPrepared(ims ImageSeries, n, workers int, prep func(i int, f Frame) (any, error), use func(i int, v any) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type res struct {
		v   any
		err error
	}
	results := make([]chan res, n)
	for i := range results {
		results[i] = make(chan res, 1)
	}
	sem := make(chan struct{}, workers+1)
	stop := make(chan struct{})
	defer close(stop)
	fv, isView := ims.(frameViewer)
	par.Go(func() error {
		for i := 0; i < n; i++ {
			select {
			case sem <- struct{}{}:
			case <-stop:
				return nil
			}
			par.Go(func() error {
				var v any
				err := par.Safe(func() error {
					var f Frame
					var err error
					if isView {
						f = fv.frameView(i)
					} else {
						f, err = ims.Frame(i)
					}
					if err == nil {
						v, err = prep(i, f)
					}
					return err
				})
				results[i] <- res{v, err}
				return nil
			})
		}
		return nil
	})
	for i := 0; i < n; i++ {
		r := <-results[i]
		<-sem
		if r.err != nil {
			return r.err
		}
		if err := use(i, r.v); err != nil {
			return err
		}
	}
	return nil
}

// ---------------------------------------------------------------- attributes

// Bytes is a NumPy bytes scalar (np.bytes_): h5py returns a scalar
// fixed-length string attribute as one (hexrd writes a 0-d unicode array
// with astype('S'), e.g. panel → b'ff1'). In the metadata JSON it is a 0-d
// "|S<n>" array, which the hdf5 binding turns into the numpy scalar.
type Bytes string

// attrValue maps a metadata value to what h5py stores for "numpy value
// with a dtype": a typed slice ([]h5.Bytes for byte strings) and its shape
// (empty for a scalar). Unicode arrays become fixed-length byte strings
// (astype('S')). Values without a NumPy dtype (Go string, int, nested maps,
// lists) are an error, as upstream's AttributeError.
func attrValue(k string, v any) (any, []int, error) {
	scalar := []int{}
	switch x := v.(type) {
	case float64:
		return []float64{x}, scalar, nil
	case float32:
		return []float32{x}, scalar, nil
	case int64:
		return []int64{x}, scalar, nil
	case uint64:
		return []uint64{x}, scalar, nil
	case int32:
		return []int32{x}, scalar, nil
	case uint32:
		return []uint32{x}, scalar, nil
	case int16:
		return []int16{x}, scalar, nil
	case uint16:
		return []uint16{x}, scalar, nil
	case int8:
		return []int8{x}, scalar, nil
	case uint8:
		return []uint8{x}, scalar, nil
	case bool:
		return []bool{x}, scalar, nil
	case Bytes:
		return []h5.Bytes{h5.Bytes(x)}, scalar, nil
	case *npy.Array:
		if x == nil || numel(x.Shape) == 0 {
			break
		}
		shape := x.Shape
		if shape == nil {
			shape = scalar
		}
		if s, ok := x.Data.([]string); ok {
			if len(s) != numel(shape) {
				break
			}
			bs := make([]h5.Bytes, len(s))
			for i, e := range s {
				if !isASCII(e) && !strings.HasPrefix(x.DType, "S") {
					// astype('S') of non-ASCII text
					return nil, nil, qperr.New(qperr.BadArgument, "metadata %q: 'ascii' codec can't encode %q", k, e)
				}
				bs[i] = h5.Bytes(e)
			}
			return bs, shape, nil
		}
		if _, ok := x.Data.([]bool); !ok && dataDType(x.Data) == Invalid {
			break
		}
		if dataLen(x.Data) != numel(shape) {
			break
		}
		return x.Data, shape, nil
	case string:
		return nil, nil, qperr.New(qperr.BadArgument, "metadata %q: 'str' object has no attribute 'dtype'", k)
	case int:
		return nil, nil, qperr.New(qperr.BadArgument, "metadata %q: 'int' object has no attribute 'dtype'", k)
	}
	return nil, nil, qperr.New(qperr.BadArgument, "metadata %q: '%T' value has no NumPy dtype and cannot be an HDF5 attribute", k, v)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func numel(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}

func setAttr(a h5.Attrs, k string, v any) error {
	val, shape, err := attrValue(k, v)
	if err != nil {
		return err
	}
	return a.SetArray(k, val, shape)
}

// readAttrMeta reads all attributes of a group as h5py returns them (see
// attrToMeta).
func readAttrMeta(a h5.Attrs) (Metadata, error) {
	names, err := a.Names()
	if err != nil {
		return nil, err
	}
	m := Metadata{}
	for _, k := range names {
		data, shape, err := a.GetArray(k)
		if err != nil {
			return nil, err
		}
		m[k] = attrToMeta(data, shape)
	}
	return m, nil
}

// attrToMeta converts an attribute (native element type, shape; empty
// shape for a scalar) to what h5py returns: scalars as NumPy scalars (Go
// float64, float32, int64, int32, …, bool; a fixed-length string as Bytes,
// a variable-length one as string), arrays as *npy.Array of the same
// dtype and shape ("S<n>" for fixed-length strings, whose width is the
// stored size; h5py returns variable-length string arrays as object
// arrays, here "U<n>").
func attrToMeta(v any, shape []int) any {
	if len(shape) == 0 {
		return scalarMeta(v)
	}
	switch x := v.(type) {
	case []h5.Bytes:
		ss := make([]string, len(x))
		w := 1
		for i, b := range x {
			ss[i] = string(b)
			w = max(w, len(b))
		}
		return &npy.Array{Shape: shape, DType: fmt.Sprintf("S%d", w), Data: ss}
	case []string:
		w := 1
		for _, s := range x {
			w = max(w, len([]rune(s)))
		}
		return &npy.Array{Shape: shape, DType: fmt.Sprintf("U%d", w), Data: x}
	case []bool:
		return &npy.Array{Shape: shape, DType: "b1", Data: x}
	}
	if dataDType(v) != Invalid {
		return &npy.Array{Shape: shape, DType: npy.DTypeOf(v), Data: v}
	}
	return v
}

// scalarMeta returns the only element of a one-element slice as the NumPy
// scalar h5py returns (Go scalar of the same type; Bytes for a fixed-length
// string, string for a variable-length one).
func scalarMeta(data any) any {
	if o := opsOf(data); o != nil {
		return o.index(data, 0)
	}
	switch d := data.(type) {
	case []h5.Bytes:
		return Bytes(d[0])
	case []string:
		return d[0]
	case []bool:
		return d[0]
	}
	return data
}

// encodedChunk is one pre-filtered chunk and its HDF5 filter mask.
type encodedChunk struct {
	data []byte
	mask uint32
}

var zlibPool = sync.Pool{New: func() any { return new(zlibEnc) }}

type zlibEnc struct {
	buf   bytes.Buffer
	w     *zlib.Writer
	level int
	sh    []byte
}

// encodeShuffleDeflate applies HDF5's shuffle filter (byte planes; none for
// 1-byte types) and its deflate filter (a zlib stream) to one chunk, with
// Go's compress/flate: about 3x faster per core than zlib at level 1 and
// no larger, a valid stream for every HDF5 reader, though not the same
// bytes libhdf5's zlib would produce. Data that does not compress is stored
// shuffled only, with the deflate filter (pipeline index 1) marked skipped,
// as libhdf5 does for its optional deflate filter.
func encodeShuffleDeflate(data any, level int) encodedChunk {
	ptr, n, size := rawBytes(data)
	raw := unsafe.Slice((*byte)(ptr), n*size)
	e := zlibPool.Get().(*zlibEnc)
	defer zlibPool.Put(e)
	src := raw
	if size > 1 {
		if cap(e.sh) < len(raw) {
			e.sh = make([]byte, len(raw))
		}
		sh := e.sh[:len(raw)]
		h5.Shuffle(sh, raw, size)
		src = sh
	}
	e.buf.Reset()
	if e.w == nil || e.level != level {
		e.w, _ = zlib.NewWriterLevel(&e.buf, level)
		e.level = level
	} else {
		e.w.Reset(&e.buf)
	}
	e.w.Write(src)
	e.w.Close()
	if e.buf.Len() >= len(src) {
		return encodedChunk{append([]byte(nil), src...), 1 << 1}
	}
	return encodedChunk{append([]byte(nil), e.buf.Bytes()...), 0}
}
