package imageseries

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"qpgo/core/h5"
	"qpgo/core/qperr"
	"qpgo/internal/limits"
	"qpgo/internal/npy"
	"qpgo/internal/par"
)

// FCH5Cache is the frame-cache adapter for the fch5 style (HDF5 with the
// Blosc filter, spec §2.3). Header, frame_ids and metadata are read at open;
// a frame's kept pixels (data[frame_ids[2i]:frame_ids[2i+1]]) are read on
// first access, through chunk-aligned blocks so that every Blosc chunk is
// decompressed once (blockCache).
type FCH5Cache struct {
	sparseCache
	f       *h5.File
	g       *h5.Group
	ownFile bool
	ids     []uint64
	data    *blockCache
	index   *blockCache
}

// FCH5Version is the HEXRD_FRAMECACHE_VERSION this package reads and writes.
const FCH5Version = 1

func openFCH5Opts(name string, opts Options) (ImageSeries, error) {
	p, err := optString(opts, "path", "")
	if err != nil {
		return nil, err
	}
	budget, err := optBudget(opts)
	if err != nil {
		return nil, err
	}
	if f, ok := opts["file"].(*h5.File); ok {
		f.SetBudget(budget)
		return OpenFCH5File(f, p)
	}
	return openFCH5Within(name, p, budget)
}

// OpenFCH5 opens an fch5 frame cache (path: optional group inside the file).
func OpenFCH5(name, path string) (*FCH5Cache, error) {
	return openFCH5Within(name, path, 0)
}

// openFCH5Within is OpenFCH5 with the memory budget of this open.
func openFCH5Within(name, path string, budget limits.Budget) (*FCH5Cache, error) {
	f, err := h5.Open(name, "r")
	if err != nil {
		return nil, err
	}
	f.SetBudget(budget)
	c, err := OpenFCH5File(f, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	c.ownFile = true
	return c, nil
}

// OpenFCH5File opens an fch5 frame cache stored in the group path of an
// open file (the root when path is empty). Close leaves f open.
func OpenFCH5File(f *h5.File, path string) (*FCH5Cache, error) {
	g := f.Root()
	if strings.Trim(path, "/") != "" {
		var err error
		if g, err = g.Group(path); err != nil {
			return nil, err
		}
	}
	ver, err := g.Attrs().Get("HEXRD_FRAMECACHE_VERSION")
	if err != nil || fmt.Sprint(ver) != fmt.Sprint(FCH5Version) {
		return nil, qperr.New(qperr.Unsupported, "fch5 frame cache: HEXRD_FRAMECACHE_VERSION %v is not supported (need %d)", ver, FCH5Version)
	}
	c := &FCH5Cache{f: f, g: g}
	sh, _, err := g.ReadDataset("shape")
	if err != nil {
		return nil, err
	}
	sv := toInts(sh)
	if len(sv) != 2 || sv[0] < 0 || sv[1] < 0 {
		return nil, qperr.New(qperr.Integrity, "fch5 frame cache: bad 'shape'")
	}
	nf, _, err := g.ReadDataset("nframes")
	if err != nil {
		return nil, err
	}
	nv := toInts(nf)
	if len(nv) != 1 || nv[0] < 0 {
		return nil, qperr.New(qperr.Integrity, "fch5 frame cache: bad 'nframes'")
	}
	dt, err := c.readDType()
	if err != nil {
		return nil, err
	}
	if err := f.Budget().Check(fmt.Sprintf("fch5 frame cache: frame of shape (%d, %d)", sv[0], sv[1]), limits.Mul(limits.Mul(int64(sv[0]), int64(sv[1])), int64(dt.Size())), -1); err != nil {
		return nil, err
	}
	ids, _, err := g.ReadDataset("frame_ids")
	if err != nil {
		return nil, err
	}
	c.ids = toUint64s(ids)
	if len(c.ids) != 2*nv[0] {
		return nil, qperr.New(qperr.Integrity, "fch5 frame cache: frame_ids has %d entries for %d frames", len(c.ids), nv[0])
	}
	// the frame table is made only once the file's frame_ids back nframes
	c.initSparse("fch5 frame cache "+f.Name(), nv[0], sv[0], sv[1], dt, Metadata{}, c.readSparse, -1)
	di, err := g.DatasetInfo("data")
	if err != nil {
		return nil, err
	}
	ii, err := g.DatasetInfo("indices")
	if err != nil {
		return nil, err
	}
	if len(di.Shape) != 2 || di.Shape[1] != 1 || len(ii.Shape) != 2 || ii.Shape[1] != 2 || di.Shape[0] != ii.Shape[0] {
		return nil, qperr.New(qperr.Integrity, "fch5 frame cache: data %v / indices %v shapes do not match", di.Shape, ii.Shape)
	}
	for k := 0; k < c.n; k++ {
		a, b := c.ids[2*k], c.ids[2*k+1]
		if a > b || b > uint64(di.Shape[0]) {
			return nil, qperr.New(qperr.Integrity, "fch5 frame cache: frame %d range [%d, %d) outside data of length %d", k, a, b, di.Shape[0])
		}
	}
	c.data = newBlockCache(g, "data", fromH5DType(di.DType), di.Shape[0], di.Shape[1], di.Chunks)
	c.index = newBlockCache(g, "indices", Uint16, ii.Shape[0], 2, ii.Chunks)
	if c.data.direct = newBloscIO(g, "data", c.data.dt); c.data.direct != nil && c.data.block%c.data.direct.c != 0 {
		c.data.direct = nil
	}
	if c.index.direct = newBloscIO(g, "indices", Uint16); c.index.direct != nil && c.index.block%c.index.direct.c != 0 {
		c.index.direct = nil
	}
	if g.Kind("metadata") == h5.GroupKind {
		mg, err := g.Group("metadata")
		if err != nil {
			return nil, err
		}
		if err := readH5Dict(mg, c.meta); err != nil {
			return nil, err
		}
	}
	c.shareMemo(f.Name(), g.Path())
	return c, nil
}

func (c *FCH5Cache) readDType() (DType, error) {
	s, err := c.g.ReadString("dtype")
	if err != nil {
		return Invalid, err
	}
	dt, _, err := ParseDType(s)
	return dt, err
}

func toInts(v any) []int {
	var out []int
	switch x := v.(type) {
	case []int64:
		for _, e := range x {
			out = append(out, int(e))
		}
	case []int32:
		for _, e := range x {
			out = append(out, int(e))
		}
	case []uint64:
		for _, e := range x {
			out = append(out, int(e))
		}
	case []uint32:
		for _, e := range x {
			out = append(out, int(e))
		}
	}
	return out
}

func toUint64s(v any) []uint64 {
	switch x := v.(type) {
	case []uint64:
		return x
	}
	var out []uint64
	for _, e := range toInts(v) {
		out = append(out, uint64(e))
	}
	return out
}

// readH5Dict is upstream's unwrap_h5_to_dict: groups → nested maps, string
// datasets → string, single-element 1-d arrays → scalar, others → arrays.
func readH5Dict(g *h5.Group, out map[string]any) error {
	n := 0
	return readH5DictIn(g, out, map[uint64]bool{}, &n)
}

// maxMetaObjects bounds the objects one metadata tree may expand to (hard
// links can make a small file a huge tree).
const maxMetaObjects = 1 << 16

// readH5DictIn reads g below the groups in ancestors (by object address): a
// group linking back to one of them is a cycle, refused as upstream's
// recursion would never end.
func readH5DictIn(g *h5.Group, out map[string]any, ancestors map[uint64]bool, n *int) error {
	names, err := g.Keys()
	if err != nil {
		return err
	}
	for _, k := range names {
		if *n++; *n > maxMetaObjects {
			return qperr.New(qperr.IO, "metadata group %s expands to more than %d objects (links?)", g.Join(k), maxMetaObjects)
		}
		switch g.Kind(k) {
		case h5.GroupKind:
			li, err := g.Info(k)
			if err != nil {
				return err
			}
			if ancestors[li.Addr] {
				return qperr.New(qperr.IO, "metadata group %s links back to a group containing it (a cycle)", g.Join(k))
			}
			sub, err := g.Group(k)
			if err != nil {
				return err
			}
			m := map[string]any{}
			ancestors[li.Addr] = true
			err = readH5DictIn(sub, m, ancestors, n)
			delete(ancestors, li.Addr)
			if err != nil {
				return err
			}
			out[k] = m
		case h5.DatasetKind:
			info, err := g.DatasetInfo(k)
			if err != nil {
				return err
			}
			if info.DType == h5.Invalid {
				// object/string datasets → str (h5py_read_string)
				s, err := g.ReadString(k)
				if err != nil {
					return err
				}
				out[k] = s
				continue
			}
			data, shape, err := g.ReadDataset(k)
			if err != nil {
				return err
			}
			if len(shape) == 1 && shape[0] == 1 {
				out[k] = scalarMeta(data)
				continue
			}
			out[k] = &npy.Array{Shape: shape, DType: npy.DTypeOf(data), Data: data}
		}
	}
	return nil
}

// Close closes the file if the cache opened it, once the read-aheads are
// done.
func (c *FCH5Cache) Close() error {
	c.data.close()
	c.index.close()
	if c.ownFile && !c.f.Closed() {
		return c.f.Close()
	}
	return nil
}

// FrameIDs returns the frame_ids dataset (frame i occupies
// data[ids[2i]:ids[2i+1]]).
func (c *FCH5Cache) FrameIDs() []uint64 { return append([]uint64(nil), c.ids...) }

// readSparse reads the kept pixels of frame i, data[frame_ids[2i]:
// frame_ids[2i+1]], as views into the decoded blocks.
func (c *FCH5Cache) readSparse(i int, seq bool) (row, col []uint16, data any, err error) {
	if c.f.Closed() {
		return nil, nil, nil, qperr.New(qperr.IO, "frame cache is closed")
	}
	a, b := int(c.ids[2*i]), int(c.ids[2*i+1])
	d, err := c.data.rows(a, b, seq)
	if err != nil {
		return nil, nil, nil, err
	}
	idx, err := c.index.rows(a, b, seq)
	if err != nil {
		return nil, nil, nil, err
	}
	return idx[0].([]uint16), idx[1].([]uint16), d[0], nil
}

// blockCache reads rows [a, b) of an (m, w) dataset as w separate columns
// (data: the kept values; indices: the row and the column indices) through
// chunk-aligned blocks. A block is decoded once, its chunks in parallel,
// and kept: the sparse frames are views into the blocks, so nothing is
// copied per frame and the memory is that of memoized frames. On
// sequential access the next block is decoded in the background while the
// caller scatters the frames of the current one.
type blockCache struct {
	g      *h5.Group
	name   string
	dt     DType
	m, w   int
	block  int
	direct *bloscIO // nil: read through libhdf5

	mu     sync.Mutex
	blocks map[int]*colBlock
	closed bool
	ahead  sync.WaitGroup // read-aheads running
}

// colBlock is one decoded block; cols and err are set when done is closed.
type colBlock struct {
	done chan struct{}
	cols []any
	err  error
}

func newBlockCache(g *h5.Group, name string, dt DType, m, w int, chunks []int) *blockCache {
	block := 1 << 16
	if len(chunks) > 0 && chunks[0] > 0 {
		// whole chunks, about fch5Block bytes per block
		per := max(1, fch5Block/max(1, chunks[0]*w*max(dt.Size(), 1)))
		block = chunks[0] * per
	}
	return &blockCache{g: g, name: name, dt: dt, m: m, w: w, block: block, blocks: map[int]*colBlock{}}
}

// fch5Block is the size of a block: small enough that the first one (read
// before any read-ahead) is quick, large enough to keep all cores busy.
var fch5Block = 1 << 20

// rows returns the columns of rows [a, b): views into one block, or
// copies when the range spans blocks. ahead starts decoding the next block.
func (bc *blockCache) rows(a, b int, ahead bool) ([]any, error) {
	out := make([]any, bc.w)
	if a >= b {
		for j := range out {
			out[j] = newData(bc.dt, 0)
		}
		return out, nil
	}
	k0, k1 := a/bc.block, (b-1)/bc.block
	if ahead {
		bc.prefetch(k1 + 1)
	}
	for k := k0; k <= k1; k++ {
		cols, err := bc.get(k)
		if err != nil {
			return nil, err
		}
		lo := k * bc.block
		p, e := max(a, lo)-lo, min(b, lo+bc.block)-lo
		for j, col := range cols {
			if k0 == k1 {
				out[j] = sliceData(col, p, e)
				continue
			}
			if k == k0 {
				out[j] = newData(bc.dt, b-a)
			}
			copyRange(out[j], lo+p-a, col, p, e-p)
		}
	}
	return out, nil
}

// get returns block k, decoding it unless it is decoded or being decoded.
func (bc *blockCache) get(k int) ([]any, error) {
	bc.mu.Lock()
	b := bc.blocks[k]
	if b == nil {
		b = &colBlock{done: make(chan struct{})}
		bc.blocks[k] = b
		bc.mu.Unlock()
		bc.fill(k, b)
	} else {
		bc.mu.Unlock()
		<-b.done
	}
	return b.cols, b.err
}

// prefetch starts decoding block k in the background. Its error, if any,
// is returned to the callers waiting for it; the block is then dropped so
// that the next caller reads it again.
func (bc *blockCache) prefetch(k int) {
	if k*bc.block >= bc.m {
		return
	}
	bc.mu.Lock()
	defer bc.mu.Unlock()
	if bc.closed || bc.blocks[k] != nil {
		return
	}
	b := &colBlock{done: make(chan struct{})}
	bc.blocks[k] = b
	bc.ahead.Add(1)
	par.Go(func() error {
		defer bc.ahead.Done()
		bc.fill(k, b)
		return nil
	})
}

func (bc *blockCache) fill(k int, b *colBlock) {
	b.err = par.Safe(func() (err error) {
		b.cols, err = bc.load(k)
		return err
	})
	if b.err != nil {
		b.cols = nil
		bc.mu.Lock()
		if bc.blocks[k] == b {
			delete(bc.blocks, k)
		}
		bc.mu.Unlock()
	}
	close(b.done)
}

// close waits for the read-aheads; later ones are not started.
func (bc *blockCache) close() {
	bc.mu.Lock()
	bc.closed = true
	bc.mu.Unlock()
	bc.ahead.Wait()
}

// load decodes block k into w new columns.
func (bc *blockCache) load(k int) ([]any, error) {
	lo := k * bc.block
	hi := min(lo+bc.block, bc.m)
	cols := make([]any, bc.w)
	bs := make([][]byte, bc.w)
	for j := range cols {
		cols[j] = newData(bc.dt, hi-lo)
		bs[j] = DataBytes(cols[j])
	}
	if bc.direct != nil {
		ok, err := bc.direct.readCols(lo, hi, bs)
		if err != nil || ok {
			return cols, err
		}
	}
	if bc.w == 1 {
		return cols, bc.g.ReadSlab(bc.name, []int{lo, 0}, []int{hi - lo, 1}, cols[0])
	}
	buf := newData(bc.dt, (hi-lo)*bc.w)
	if err := bc.g.ReadSlab(bc.name, []int{lo, 0}, []int{hi - lo, bc.w}, buf); err != nil {
		return nil, err
	}
	deinterleave(bs, DataBytes(buf), 0, hi-lo, bc.w, bc.dt.Size())
	return cols, nil
}

func copyRange(dst any, doff int, src any, soff, n int) {
	copyInto(dst, doff, sliceData(src, soff, soff+n))
}

// ---------------------------------------------------------------- writer

// guessChunk is h5py's filters.guess_chunk (automatic chunk shape).
func guessChunk(shape []int, typesize int) []int {
	const base, cmin, cmax = 16 * 1024, 8 * 1024, 1024 * 1024
	ch := make([]float64, len(shape))
	for i, s := range shape {
		if s == 0 {
			s = 1024
		}
		ch[i] = float64(s)
	}
	prod := func() float64 {
		p := 1.0
		for _, v := range ch {
			p *= v
		}
		return p
	}
	dsetSize := prod() * float64(typesize)
	target := base * math.Pow(2, math.Log10(dsetSize/(1024*1024)))
	target = min(max(target, cmin), cmax)
	for idx := 0; ; idx++ {
		cb := prod() * float64(typesize)
		if (cb < target || math.Abs(cb-target)/target < 0.5) && cb < cmax {
			break
		}
		if prod() == 1 {
			break
		}
		d := idx % len(ch)
		ch[d] = math.Ceil(ch[d] / 2)
	}
	out := make([]int, len(ch))
	for i, v := range ch {
		out[i] = int(v)
	}
	return out
}

func bloscZstd() *h5.Filter {
	f, _ := BloscFilter("zstd", 5, 1)
	return f
}

func writeFCH5Opts(ims ImageSeries, name string, opts Options) error {
	o, err := frameCacheOptions(opts, "fch5")
	if err != nil {
		return err
	}
	path, err := optString(opts, "path", "")
	if err != nil {
		return err
	}
	if f, ok := opts["file"].(*h5.File); ok {
		return WriteFCH5File(ims, f, path, o)
	}
	f, err := h5.Open(o.path(name), "w")
	if err != nil {
		return err
	}
	werr := WriteFCH5File(ims, f, path, o)
	cerr := f.Close()
	if werr != nil {
		return werr
	}
	return cerr
}

// WriteFCH5File writes an fch5 frame cache into the group path (root when
// empty; created if missing) of an open writable file. Frames are
// thresholded in parallel and stored in frame order (frame_ids therefore
// ascending; readers must not rely on that).
func WriteFCH5File(ims ImageSeries, f *h5.File, path string, o FrameCacheOptions) error {
	warn := o.warner()
	rows, cols, err := cacheShape(ims)
	if err != nil {
		return err
	}
	n := ims.Len()
	dt := ims.DType()
	hdt, err := h5DType(dt)
	if err != nil {
		return err
	}
	g := f.Root()
	if strings.Trim(path, "/") != "" {
		if g, err = g.RequireGroup(path); err != nil {
			return err
		}
	}
	if err := g.Attrs().Set("HEXRD_FRAMECACHE_VERSION", int64(FCH5Version)); err != nil {
		return err
	}
	if err := g.CreateDataset("shape", h5.Int64, []int{2}, []int64{int64(rows), int64(cols)}, h5.CreateOptions{}); err != nil {
		return err
	}
	if err := g.CreateDataset("nframes", h5.Int64, []int{}, []int64{int64(n)}, h5.CreateOptions{}); err != nil {
		return err
	}
	// hexrd writes the dtype as a variable-length ASCII string.
	if err := g.WriteStringASCII("dtype", dt.String()); err != nil {
		return err
	}
	total := max(n*rows*cols, 1)
	blosc := bloscZstd()
	dch := guessChunk([]int{total, 1}, dt.Size())
	if err := g.CreateDataset("data", hdt, []int{total, 1}, nil, h5.CreateOptions{Chunks: dch, MaxShape: []int{total, 1}, Plugin: blosc}); err != nil {
		return err
	}
	ich := guessChunk([]int{total, 2}, 2)
	if err := g.CreateDataset("indices", h5.Uint16, []int{total, 2}, nil, h5.CreateOptions{Chunks: ich, MaxShape: []int{total, 2}, Plugin: blosc}); err != nil {
		return err
	}
	// Buffered, chunk-aligned appends: data and indices are written in
	// slabs of whole chunks (no partial-chunk rewrites).
	flushRows := lcm(dch[0], ich[0])
	flushRows *= max(1, (4<<20)/(flushRows*2*max(dt.Size(), 2)))
	// chunks compressed here on all cores when libblosc is available
	// (load_framecache_fch5_blosc.go), else by the plugin inside WriteSlab
	dio, iio := newBloscIO(g, "data", dt), newBloscIO(g, "indices", Uint16)
	direct := dio != nil && iio != nil && flushRows%dio.c == 0 && flushRows%iio.c == 0
	dataBuf := newData(dt, 0)
	idxBuf := make([]uint16, 0)
	written, m := 0, 0
	flush := func(all bool) error {
		nb := m - written
		if !all {
			nb -= nb % flushRows
		}
		if nb <= 0 {
			return nil
		}
		if direct {
			db := DataBytes(sliceData(dataBuf, 0, nb))
			if err := dio.writeRows(written, nb, db); err != nil {
				return err
			}
			if err := iio.writeRows(written, nb, DataBytes(idxBuf[:2*nb])); err != nil {
				return err
			}
		} else {
			if err := g.WriteSlab("data", []int{written, 0}, []int{nb, 1}, sliceData(dataBuf, 0, nb)); err != nil {
				return err
			}
			if err := g.WriteSlab("indices", []int{written, 0}, []int{nb, 2}, idxBuf[:2*nb]); err != nil {
				return err
			}
		}
		dataBuf = appendData(newData(dt, 0), sliceData(dataBuf, nb, dataLen(dataBuf)))
		idxBuf = append(idxBuf[:0:0], idxBuf[2*nb:]...)
		written += nb
		return nil
	}
	ids := make([]uint64, 2*n)
	workers := o.Workers
	type kept struct {
		r, c []uint16
		d    any
	}
	err = forFramesPrepared(ims, n, workers, func(i int, fr Frame) (any, error) {
		r, cc, d, err := keptPixels(fr, rows, cols, dt, o.Threshold)
		return kept{r, cc, d}, err
	}, func(i int, v any) error {
		k := v.(kept)
		warnSparsity(warn, i, len(k.r), rows, cols)
		ids[2*i] = uint64(m)
		m += len(k.r)
		ids[2*i+1] = uint64(m)
		dataBuf = appendData(dataBuf, k.d)
		for j := range k.r {
			idxBuf = append(idxBuf, k.r[j], k.c[j])
		}
		return flush(false)
	})
	if err != nil {
		return err
	}
	if err := flush(true); err != nil {
		return err
	}
	if err := g.Resize("data", []int{m, 1}); err != nil {
		return err
	}
	if err := g.Resize("indices", []int{m, 2}); err != nil {
		return err
	}
	if err := g.CreateDataset("frame_ids", h5.Uint64, []int{2 * n}, ids, h5.CreateOptions{Chunks: guessChunk([]int{max(2*n, 1)}, 8), Plugin: blosc}); err != nil {
		return err
	}
	mg, err := g.RequireGroup("metadata")
	if err != nil {
		return err
	}
	return writeH5Dict(mg, ims.Metadata(), warn)
}

func lcm(a, b int) int {
	x, y := a, b
	for y != 0 {
		x, y = y, x%y
	}
	return a / x * b
}

func appendData(dst, src any) any {
	if o := opsOf(dst); o != nil {
		return o.appendTo(dst, src)
	}
	return dst
}

// writeH5Dict is upstream's unwrap_dict_to_h5: every leaf a dataset of
// atleast_1d(value), nested maps subgroups, None skipped. The source
// metadata is never modified (I2).
func writeH5Dict(g *h5.Group, m map[string]any, warn func(string)) error {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	for _, k := range ks {
		v := m[k]
		switch x := v.(type) {
		case nil:
			continue
		case map[string]any, Metadata:
			sub, err := g.RequireGroup(k)
			if err != nil {
				return err
			}
			if err := writeH5Dict(sub, asMap(x), warn); err != nil {
				return err
			}
			continue
		}
		data, shape, str, ok := leafData(v)
		if !ok {
			warn(fmt.Sprintf("fch5: metadata %q of type %T cannot be stored; skipped", k, v))
			continue
		}
		if data == nil {
			if err := g.WriteString(k, str); err != nil {
				return err
			}
			continue
		}
		hd := h5.DTypeOf(data)
		if err := g.CreateDataset(k, hd, shape, data, h5.CreateOptions{}); err != nil {
			return err
		}
	}
	return nil
}

// leafData returns the numeric data and shape of np.atleast_1d(v), or the
// text (data nil) of a value stored as a variable-length string.
func leafData(v any) (data any, shape []int, str string, ok bool) {
	switch x := v.(type) {
	case float64:
		return []float64{x}, []int{1}, "", true
	case float32:
		return []float32{x}, []int{1}, "", true
	case int64:
		return []int64{x}, []int{1}, "", true
	case int:
		return []int64{int64(x)}, []int{1}, "", true
	case int32:
		return []int32{x}, []int{1}, "", true
	case uint32:
		return []uint32{x}, []int{1}, "", true
	case int16:
		return []int16{x}, []int{1}, "", true
	case uint16:
		return []uint16{x}, []int{1}, "", true
	case int8:
		return []int8{x}, []int{1}, "", true
	case uint8:
		return []uint8{x}, []int{1}, "", true
	case Bytes:
		return nil, nil, string(x), true
	case uint64:
		return []uint64{x}, []int{1}, "", true
	case bool:
		return []bool{x}, []int{1}, "", true
	case string:
		return nil, nil, x, true
	case *npy.Array:
		if x == nil {
			return nil, nil, "", false
		}
		if s, isStr := x.Data.([]string); isStr {
			// unicode arrays → str(value); a 0-d array is its text
			if len(x.Shape) == 0 && len(s) == 1 {
				return nil, nil, s[0], true
			}
			return nil, nil, pyStrList(s), true
		}
		if h5.DTypeOf(x.Data) == h5.Invalid {
			return nil, nil, "", false
		}
		sh := x.Shape
		if len(sh) == 0 {
			sh = []int{1}
		}
		return x.Data, sh, "", true
	case []any:
		if a, ok := listToArray(x); ok {
			return leafData(a)
		}
	}
	return nil, nil, "", false
}

// pyStrList is str() of a 1-d NumPy string array: ['a' 'bc'].
func pyStrList(s []string) string {
	q := make([]string, len(s))
	for i, e := range s {
		q[i] = "'" + e + "'"
	}
	return "[" + strings.Join(q, " ") + "]"
}

// asMap returns a nested metadata dictionary as a plain map.
func asMap(v any) map[string]any {
	if m, ok := v.(Metadata); ok {
		return m
	}
	return v.(map[string]any)
}
