package imageseries

import (
	"fmt"
	"log"
	"math"
	"math/bits"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"syscall"

	"qpgo/core/qperr"
	"qpgo/internal/par"
)

// The sparse frame-cache core (hexrd's load/framecache.py and
// FrameCacheWriter): what the npz (load_framecache_npz.go, also the yml
// style) and fch5 (load_framecache_fch5.go) backends share. A backend only
// reads or writes the kept pixels of a frame; the core memoizes the sparse
// frames, checks them (lengths, dtype, bounds), densifies them (Frame,
// Region, FrameInto) and, for the writers, thresholds frames into kept
// pixels, validates shapes and emits the sparsity warning.

func init() {
	Register("frame-cache", openFrameCacheOpts, writeFrameCacheOpts, OptionKeys{
		Open:  []string{"style", "path", "max_workers", "max_alloc_bytes"},
		Write: []string{"threshold", "style", "cache_file", "max_workers", "path", "h5group_id"}, // h5group_id: as for hdf5
	})
}

// OpenFrameCache opens a frame cache. style is "npz" (default when empty),
// "yml"/"yaml"/"test" (deprecated YAML + npz) or "fch5" (HDF5).
func OpenFrameCache(name, style string) (ImageSeries, error) {
	switch style {
	case "", "npz":
		return openNPZCache(name, 0)
	case "yml", "yaml", "test":
		return openYMLCache(name)
	case "fch5":
		return OpenFCH5(name, "")
	}
	return nil, qperr.New(qperr.BadArgument, "Unknown style format for loading data: %s.Known style formats: 'npz', 'fch5' 'yml', 'yaml', 'test'", style)
}

func openFrameCacheOpts(name string, opts Options) (ImageSeries, error) {
	style, err := optString(opts, "style", "npz")
	if err != nil {
		return nil, err
	}
	if style == "fch5" {
		return openFCH5Opts(name, opts) // passes "path" (a group inside the file)
	}
	budget, err := optBudget(opts)
	if err != nil {
		return nil, err
	}
	switch style {
	case "", "npz":
		return openNPZCache(name, budget)
	case "yml", "yaml", "test":
		s, err := openYMLCache(name)
		if c, ok := s.(*FrameCache); ok && err == nil {
			c.budget = budget
		}
		return s, err
	}
	return OpenFrameCache(name, style)
}

// sparseFrame is one frame of a frame cache: kept pixels in row-major order.
type sparseFrame struct {
	row, col []uint16
	data     any // typed slice of the series dtype
}

// sparseRead reads the kept pixels of frame i (I/O only); seq reports a
// sequential access (frame i-1 was the last one asked for).
type sparseRead func(i int, seq bool) (row, col []uint16, data any, err error)

// sparseCache is the reading core of both frame-cache backends, embedded in
// FrameCache and FCH5Cache: header, metadata and memoized sparse frames
// (upstream's memoized list of CSR matrices). Frames are read once, even
// when several goroutines ask for the same frame at the same time, and
// caches opened from the same unchanged file share their frames (shareMemo).
type sparseCache struct {
	what       string // names the cache in messages ("frame cache <file>")
	n          int
	rows, cols int
	dt         DType
	meta       Metadata
	read       sparseRead
	// readAhead: on sequential access the next GOMAXPROCS frames are read
	// on other goroutines (npz: independent members); fch5 reads ahead by
	// chunk-aligned blocks itself.
	readAhead bool

	memo *frameMemo

	mu    sync.Mutex // last and ahead (taken before memo.mu)
	last  int        // last frame asked for
	ahead int        // read-ahead goroutines running
}

// frameMemo holds the sparse frames read so far.
type frameMemo struct {
	mu      sync.Mutex
	frames  []*sparseFrame
	loading map[int]chan struct{} // frames being read
}

// initSparse sets the header of the cache; last is the frame taken as
// asked for before the first access (-1: frame 0 is a sequential access).
func (c *sparseCache) initSparse(what string, n, rows, cols int, dt DType, meta Metadata, read sparseRead, last int) {
	c.what, c.n, c.rows, c.cols, c.dt, c.meta, c.read, c.last = what, n, rows, cols, dt, meta, read, last
	c.memo = &frameMemo{frames: make([]*sparseFrame, n)}
}

// sharedMemos are the frames of the two frame caches opened last, by file
// identity: upstream memoizes its loads the same way (functools.lru_cache
// of size 2 keyed by path, mtime and size), so that series over one file
// (e.g. the subpanels of one detector) share one copy and a file opened
// again is not decoded again.
var sharedMemos struct {
	sync.Mutex
	keys  [2]string
	memos [2]*frameMemo
}

// shareMemo makes c use the frames of an earlier cache of the same file
// (name, with group inside it for fch5) when the file is unchanged since
// (device, inode, size, modification time) and its header is the same,
// and offers c's frames to later ones otherwise.
func (c *sparseCache) shareMemo(name, group string) {
	st, err := os.Stat(name)
	if err != nil || !st.Mode().IsRegular() {
		return
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return
	}
	abs, _ := filepath.Abs(name)
	key := fmt.Sprintf("%s\x00%s\x00%d:%d:%d:%d\x00%d %d %d %v", abs, group, sys.Dev, sys.Ino, st.Size(), st.ModTime().UnixNano(), c.n, c.rows, c.cols, c.dt)
	m := &sharedMemos
	m.Lock()
	defer m.Unlock()
	for k := range m.keys {
		if m.keys[k] == key && m.memos[k] != nil {
			c.memo = m.memos[k]
			if k == 1 { // most recent first
				m.keys[0], m.keys[1] = m.keys[1], m.keys[0]
				m.memos[0], m.memos[1] = m.memos[1], m.memos[0]
			}
			return
		}
	}
	m.keys[1], m.memos[1] = m.keys[0], m.memos[0]
	m.keys[0], m.memos[0] = key, c.memo
}

// Len is the number of frames.
func (c *sparseCache) Len() int { return c.n }

// Shape is [rows, cols] (a pair, not upstream's ndarray: I3).
func (c *sparseCache) Shape() []int { return []int{c.rows, c.cols} }

// DType is the cache dtype.
func (c *sparseCache) DType() DType { return c.dt }

// Metadata is the cache's metadata: every non-reserved member (npz), the
// YAML meta (yml) or the /metadata group as nested maps (fch5).
func (c *sparseCache) Metadata() Metadata { return c.meta }

// Frame returns dense frame i (zeros where nothing was kept).
func (c *sparseCache) Frame(i int) (Frame, error) {
	return c.Region(i, Rect{0, c.rows, 0, c.cols})
}

// Region builds only the requested rectangle from the sparse data.
func (c *sparseCache) Region(i int, r Rect) (Frame, error) {
	sf, err := c.sparse(i)
	if err != nil {
		return Frame{}, err
	}
	cr := r.clip(c.rows, c.cols)
	nr, nc := max(cr.R1-cr.R0, 0), max(cr.C1-cr.C0, 0)
	out := newData(c.dt, nr*nc)
	scatterSparse(sf, cr, nc, out)
	return Frame{nr, nc, out}, nil
}

// FrameInto writes dense frame i into dst (kept pixels and zeros).
func (c *sparseCache) FrameInto(i int, dst any) error {
	if err := checkDst(dst, c.dt, c.rows*c.cols); err != nil {
		return err
	}
	sf, err := c.sparse(i)
	if err != nil {
		return err
	}
	fillSparse(sf, c.cols, dst)
	return nil
}

// sparse returns frame i (negative counts from the end).
func (c *sparseCache) sparse(i int) (*sparseFrame, error) {
	i, err := normIndex(i, c.n)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	seq := i == c.last+1
	c.last = i
	c.mu.Unlock()
	if seq && c.readAhead {
		c.startReadAhead(i + 1)
	}
	m := c.memo
	m.mu.Lock()
	sf := m.frames[i]
	m.mu.Unlock()
	if sf != nil {
		return sf, nil
	}
	return c.load(i, seq)
}

// load returns frame i, reading it once even if several goroutines
// (callers or read-ahead, of this cache or of one sharing its frames) ask
// for it at the same time.
func (c *sparseCache) load(i int, seq bool) (*sparseFrame, error) {
	m := c.memo
	m.mu.Lock()
	if sf := m.frames[i]; sf != nil {
		m.mu.Unlock()
		return sf, nil
	}
	if m.loading == nil {
		m.loading = map[int]chan struct{}{}
	}
	if ch, ok := m.loading[i]; ok {
		m.mu.Unlock()
		<-ch
		m.mu.Lock()
		sf := m.frames[i]
		m.mu.Unlock()
		if sf != nil {
			return sf, nil
		}
		return c.readFrame(i, seq) // the other load failed: report our own error
	}
	ch := make(chan struct{})
	m.loading[i] = ch
	m.mu.Unlock()
	var sf *sparseFrame
	err := par.Safe(func() error {
		var err error
		sf, err = c.readFrame(i, seq)
		return err
	})
	m.mu.Lock()
	if err == nil {
		m.frames[i] = sf
	}
	delete(m.loading, i)
	m.mu.Unlock()
	close(ch)
	return sf, err
}

// startReadAhead starts loading frames from..from+GOMAXPROCS-1 in the
// background.
func (c *sparseCache) startReadAhead(from int) {
	w := runtime.GOMAXPROCS(0)
	m := c.memo
	for k := from; k < min(from+w, c.n); k++ {
		c.mu.Lock()
		m.mu.Lock()
		_, busy := m.loading[k]
		start := m.frames[k] == nil && !busy && c.ahead < w
		m.mu.Unlock()
		if start {
			c.ahead++
		}
		c.mu.Unlock()
		if start {
			// errors (and panics, as Internal errors) of a read-ahead are
			// reported again when the frame itself is asked for
			par.Go(func() error {
				defer func() {
					c.mu.Lock()
					c.ahead--
					c.mu.Unlock()
				}()
				_, err := c.load(k, false)
				return err
			})
		}
	}
}

// readFrame reads frame i through the backend and checks it: data of
// another dtype are cast to the cache dtype (NumPy astype), the three
// arrays must have one length and every index must lie inside the frame.
func (c *sparseCache) readFrame(i int, seq bool) (*sparseFrame, error) {
	row, col, data, err := c.read(i, seq)
	if err != nil {
		return nil, err
	}
	if dataDType(data) != c.dt {
		data = castTo(data, c.dt)
	}
	if len(row) != len(col) || len(row) != dataLen(data) {
		return nil, qperr.New(qperr.Integrity, "%s frame %d: row/col/data lengths differ (%d, %d, %d)", c.what, i, len(row), len(col), dataLen(data))
	}
	if r, cl := maxIndex(row), maxIndex(col); r >= c.rows || cl >= c.cols {
		for k := range row {
			if int(row[k]) >= c.rows || int(col[k]) >= c.cols {
				return nil, qperr.New(qperr.Integrity, "%s frame %d: index (%d, %d) out of range for shape (%d, %d)", c.what, i, row[k], col[k], c.rows, c.cols)
			}
		}
	}
	return &sparseFrame{row: row, col: col, data: data}, nil
}

// maxIndex is the largest element of v (-1 when empty).
func maxIndex(v []uint16) int {
	// four independent maxima: no loop-carried dependency on one
	var m0, m1, m2, m3 uint16
	k := 0
	for ; k+4 <= len(v); k += 4 {
		m0, m1, m2, m3 = max(m0, v[k]), max(m1, v[k+1]), max(m2, v[k+2]), max(m3, v[k+3])
	}
	for ; k < len(v); k++ {
		m0 = max(m0, v[k])
	}
	if len(v) == 0 {
		return -1
	}
	return int(max(m0, m1, m2, m3))
}

func scatterSparse(sf *sparseFrame, cr Rect, nc int, out any) {
	if o := opsOf(out); o != nil {
		o.scatter(sf, cr, nc, out)
	}
}

// scatterT adds (as scipy's COO->CSR conversion sums duplicates) the kept
// values that fall inside cr.
func scatterT[T number](sf *sparseFrame, cr Rect, nc int, src, dst []T) {
	full := cr.R0 == 0 && cr.C0 == 0
	for k, v := range src {
		r, c := int(sf.row[k]), int(sf.col[k])
		if full {
			if r < cr.R1 && c < cr.C1 {
				dst[r*nc+c] += v
			}
			continue
		}
		if r >= cr.R0 && r < cr.R1 && c >= cr.C0 && c < cr.C1 {
			dst[(r-cr.R0)*nc+c-cr.C0] += v
		}
	}
}

// fillSparse writes the dense frame of sf (all rows, nc columns) into
// dst, a typed slice of sf's dtype (fillT).
func fillSparse(sf *sparseFrame, nc int, dst any) {
	if o := opsOf(dst); o != nil {
		o.fill(sf, nc, dst)
	}
}

// fillT writes the dense frame of sf (all rows, nc columns) into dst in
// one pass instead of clearing the whole frame and then scattering into
// it: dst is cleared a few KiB ahead of the kept pixel being written, so
// the writes hit cache lines just cleared. (Clearing each gap between kept
// pixels separately costs a call per pixel: slower at 1 % kept.) Kept
// pixels are in row-major order and unique as the writers store them; from
// the first one that is not (out of order, repeated) the rest of dst is
// cleared and the remaining pixels added, as scatterT does.
func fillT[T number](sf *sparseFrame, nc int, src, dst []T) {
	const ahead = 4096 // elements cleared at a time
	row, col := sf.row[:len(src)], sf.col[:len(src)]
	end, prev := 0, -1 // dst[:end] is cleared; prev: last position written
	for k, v := range src {
		q := int(row[k])*nc + int(col[k])
		if q <= prev {
			clear(dst[end:])
			for k := k; k < len(src); k++ {
				dst[int(row[k])*nc+int(col[k])] += src[k]
			}
			return
		}
		if q >= end {
			e := min(q+ahead, len(dst))
			clear(dst[end:e])
			end = e
		}
		dst[q] = v
		prev = q
	}
	clear(dst[end:])
}

// ---------------------------------------------------------------- writer

// FrameCacheOptions are the options of the frame-cache writer.
type FrameCacheOptions struct {
	// Threshold: pixels with value > Threshold are kept (strict).
	Threshold float64
	// Style is "npz" (default) or "fch5" (HDF5 plugin).
	Style string
	// CacheFile, if set, is the file actually written; a relative name is
	// taken relative to the directory of the name passed to the writer.
	CacheFile string
	// Workers is the number of frames compressed in parallel (0: GOMAXPROCS).
	Workers int
	// Warn receives the writer's warnings (sparsity, skipped metadata);
	// nil logs them with the standard logger.
	Warn func(msg string)
}

// MaxNZFraction is the kept-pixel fraction above which the writer warns.
const MaxNZFraction = 0.1

func writeFrameCacheOpts(ims ImageSeries, name string, opts Options) error {
	o, err := frameCacheOptions(opts, "")
	if err != nil {
		return err
	}
	if o.Style, err = optString(opts, "style", "npz"); err != nil {
		return err
	}
	if o.Style == "fch5" {
		return writeFCH5Opts(ims, name, opts) // all options, including "path"
	}
	return WriteFrameCache(ims, name, o)
}

// WriteFrameCache writes a sparse frame cache of ims (hexrd's
// WriteFrameCache) in the style o.Style: "npz" (default, writeNPZCache) or
// "fch5" (WriteFCH5File).
func WriteFrameCache(ims ImageSeries, name string, o FrameCacheOptions) error {
	switch o.Style {
	case "", "npz":
		return writeNPZCache(ims, name, o)
	case "fch5":
		return writeFCH5Opts(ims, name, Options{"threshold": o.Threshold, "cache_file": o.CacheFile, "max_workers": o.Workers, "warn": o.Warn})
	}
	return qperr.New(qperr.BadArgument, "Unknown file style for writing framecache: %s. Supported formats are ['npz', 'fch5']", o.Style)
}

// frameCacheOptions reads the writer options both backends take (not
// "style" nor fch5's "path").
func frameCacheOptions(opts Options, style string) (FrameCacheOptions, error) {
	th, ok, err := optNumber(opts, "threshold")
	if err != nil {
		return FrameCacheOptions{}, err
	}
	if !ok {
		return FrameCacheOptions{}, qperr.New(qperr.NotFound, "frame-cache writer: option 'threshold' is required")
	}
	o := FrameCacheOptions{Threshold: th, Style: style}
	if o.CacheFile, err = optString(opts, "cache_file", ""); err != nil {
		return o, err
	}
	if w, ok, err := optNumber(opts, "max_workers"); err != nil {
		return o, err
	} else if ok {
		o.Workers = int(w)
	}
	if f, ok := opts["warn"].(func(string)); ok {
		o.Warn = f
	}
	return o, nil
}

// warner is o.Warn, or the standard logger.
func (o FrameCacheOptions) warner() func(string) {
	if o.Warn != nil {
		return o.Warn
	}
	return func(s string) { log.Print("imageseries: " + s) }
}

// path is the file written for name: CacheFile (relative to name's
// directory) when set.
func (o FrameCacheOptions) path(name string) string {
	if o.CacheFile == "" {
		return name
	}
	if filepath.IsAbs(o.CacheFile) {
		return o.CacheFile
	}
	return filepath.Join(filepath.Dir(name), o.CacheFile)
}

// cacheShape is the frame shape of ims if a frame cache can store it.
func cacheShape(ims ImageSeries) (rows, cols int, err error) {
	shape := ims.Shape()
	if len(shape) != 2 {
		return 0, 0, qperr.New(qperr.BadArgument, "frame shape %v is not 2-d", shape)
	}
	rows, cols = shape[0], shape[1]
	if rows > 65536 || cols > 65536 {
		// I9: the format stores indices as uint16.
		return 0, 0, qperr.New(qperr.BadArgument, "frame shape (%d, %d) too large for a frame cache (row/column indices are uint16)", rows, cols)
	}
	return rows, cols, nil
}

// keptPixels checks frame f of the series and returns its pixels above
// th (in the series dtype dt) in row-major order.
func keptPixels(f Frame, rows, cols int, dt DType, th float64) (r, c []uint16, d any, err error) {
	if err := checkFrame(f, rows, cols, "frame-cache writer"); err != nil {
		return nil, nil, nil, err
	}
	if f.DType() != dt {
		f = f.AsType(dt)
	}
	r, c, d = extractIJV(f, th)
	return r, c, d, nil
}

// warnSparsity emits the writer's warning for frame i with kept pixels of
// rows*cols.
func warnSparsity(warn func(string), i, kept, rows, cols int) {
	if npx := rows * cols; npx > 0 && float64(kept)/float64(npx) > MaxNZFraction {
		// I8: the trigger is "more than 10 % kept", so the cutoff is 90 % sparsity.
		warn(fmt.Sprintf("frame %d is %.2f%% sparse (cutoff is 90%%)", i, 100*(1-float64(kept)/float64(npx))))
	}
}

// extractIJV is hexrd's matrixutil.extract_ijv: the pixels with value >
// threshold in row-major order.
func extractIJV(f Frame, th float64) (rows, cols []uint16, data any) {
	if o := opsOf(f.Data); o != nil {
		return o.ijv(f.Data, f.Cols, th)
	}
	return nil, nil, nil
}

func ijv[T number](v []T, cols int, th float64) ([]uint16, []uint16, any) {
	var zero T
	switch any(zero).(type) {
	case float32, float64:
		return ijvFloat(v, cols, th)
	}
	// integers: x > th  <=>  x > floor(th); compare in the type
	lo, hi := typeRange[T]()
	ft := math.Floor(th)
	switch {
	case math.IsNaN(th) || ft >= hi:
		return []uint16{}, []uint16{}, []T{}
	case ft < lo:
		return ijvFloat(v, cols, math.Inf(-1))
	}
	if v16, ok := any(v).([]uint16); ok && haveSIMD {
		return ijvU16(v16, cols, uint16(ft))
	}
	return ijvGT(v, cols, T(ft))
}

var maskPool = sync.Pool{New: func() any { return new([]uint64) }}

// ijvU16 is ijvGT for uint16 frames: an SSE2 pass turns each row into
// bit masks (one bit per pixel > t), and only the set bits are visited.
func ijvU16(v []uint16, cols int, t uint16) ([]uint16, []uint16, any) {
	if cols < 64 || len(v) == 0 {
		return ijvU16Scan(v, cols, t)
	}
	nr := len(v) / cols
	mp := maskPool.Get().(*[]uint64)
	defer maskPool.Put(mp)
	words := cols / 64
	if cap(*mp) < words {
		*mp = make([]uint64, words)
	}
	masks := (*mp)[:words]
	est := len(v)/64 + 16
	rows, cs, data := make([]uint16, est), make([]uint16, est), make([]uint16, est)
	k := 0
	for r := range nr {
		row := v[r*cols : (r+1)*cols]
		gtMaskU16SSE2(&row[0], words*64, t, &masks[0])
		cnt := 0
		for _, m := range masks {
			cnt += bits.OnesCount64(m)
		}
		if k+cnt+64 > len(rows) {
			nl := max(2*len(rows), k+cnt+64)
			rows, cs, data = slices.Grow(rows[:k], nl-k)[:nl], slices.Grow(cs[:k], nl-k)[:nl], slices.Grow(data[:k], nl-k)[:nl]
		}
		for j, m := range masks {
			for m != 0 {
				c := j*64 + bits.TrailingZeros64(m)
				m &= m - 1
				rows[k], cs[k], data[k] = uint16(r), uint16(c), row[c]
				k++
			}
		}
		for c := words * 64; c < cols; c++ {
			if x := row[c]; x > t {
				rows[k], cs[k], data[k] = uint16(r), uint16(c), x
				k++
			}
		}
	}
	return rows[:k], cs[:k], data[:k]
}

// ijvU16Scan is ijvU16 for rows narrower than 64 pixels: an SSE2 scan
// skips blocks of 8 pixels that hold nothing above t.
func ijvU16Scan(v []uint16, cols int, t uint16) ([]uint16, []uint16, any) {
	est := len(v)/64 + 16
	rows, cs, data := make([]uint16, 0, est), make([]uint16, 0, est), make([]uint16, 0, est)
	if cols == 0 || len(v) == 0 {
		return rows, cs, data
	}
	n := len(v)
	p := 0
	for {
		b := p + firstGTU16SSE2(&v[p], n-p, t)
		e := min(b+8, n)
		if b+8 > n {
			e = n // tail: fewer than 8 left, checked one by one
		}
		for k := b; k < e; k++ {
			if x := v[k]; x > t {
				r := k / cols
				rows = append(rows, uint16(r))
				cs = append(cs, uint16(k-r*cols))
				data = append(data, x)
			}
		}
		p = e
		if p >= n {
			return rows, cs, data
		}
	}
}

// typeRange is the value range of an integer type as float64.
func typeRange[T number]() (lo, hi float64) {
	dt := dataDType([]T(nil))
	return dt.Min(), dt.Max()
}

// ijvGT and ijvFloat scan row by row (no division per pixel), one pass.
func ijvGT[T number](v []T, cols int, t T) ([]uint16, []uint16, any) {
	est := len(v)/64 + 16
	rows, cs, data := make([]uint16, 0, est), make([]uint16, 0, est), make([]T, 0, est)
	if cols == 0 {
		return rows, cs, data
	}
	for r := 0; r*cols < len(v); r++ {
		row := v[r*cols : (r+1)*cols]
		for c, x := range row {
			if x > t {
				rows = append(rows, uint16(r))
				cs = append(cs, uint16(c))
				data = append(data, x)
			}
		}
	}
	return rows, cs, data
}

func ijvFloat[T number](v []T, cols int, th float64) ([]uint16, []uint16, any) {
	est := len(v)/64 + 16
	rows, cs, data := make([]uint16, 0, est), make([]uint16, 0, est), make([]T, 0, est)
	if cols == 0 {
		return rows, cs, data
	}
	for r := 0; r*cols < len(v); r++ {
		row := v[r*cols : (r+1)*cols]
		for c, x := range row {
			if float64(x) > th {
				rows = append(rows, uint16(r))
				cs = append(cs, uint16(c))
				data = append(data, x)
			}
		}
	}
	return rows, cs, data
}
