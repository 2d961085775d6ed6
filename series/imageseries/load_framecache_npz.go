package imageseries

import (
	"archive/zip"
	"fmt"
	"log"
	"math"
	"math/bits"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"sync"

	"qpgo/core/qperr"
	"qpgo/internal/limits"
	"qpgo/internal/npy"
	"qpgo/internal/par"
)

// sparseFrame is one frame of a frame cache: kept pixels in row-major order.
type sparseFrame struct {
	row, col []uint16
	data     any // typed slice of the series dtype
}

// FrameCache is the "frame-cache" adapter for the npz and yml styles. The
// header (shape, nframes, dtype) and the metadata are read at open; frame i
// is read from the archive the first time it is requested and kept in its
// sparse form (a few per cent of the dense size), like upstream's memoized
// list of CSR matrices.
type FrameCache struct {
	f          *os.File
	zr         *zip.Reader
	members    map[string]*zip.File
	n          int
	rows, cols int
	dt         DType
	meta       Metadata
	budget     limits.Budget // per-open memory budget (0: the process-wide one)

	// large metadata members read on access (metalazy.go)
	metaMu  sync.Mutex
	lazy    map[string]*lazyMember
	metaErr error

	mu      sync.Mutex
	frames  []*sparseFrame
	loading map[int]chan struct{} // frames being inflated
	last    int                   // last frame asked for (read-ahead on sequential access)
	ahead   int                   // read-ahead goroutines running
}

var reFrameKey = regexp.MustCompile(`^\d+_(row|col|data)$`)

// OpenFrameCache opens a frame cache. style is "npz" (default when empty),
// "yml"/"yaml"/"test" (deprecated YAML + npz) or "fch5" (needs the HDF5
// plugin; see Register).
func OpenFrameCache(name, style string) (ImageSeries, error) {
	switch style {
	case "", "npz":
		return openNPZCache(name, 0)
	case "yml", "yaml", "test":
		return openYMLCache(name)
	case "fch5":
		registry.RLock()
		op := registry.open["frame-cache-fch5"]
		registry.RUnlock()
		if op == nil {
			return nil, qperr.New(qperr.Unsupported, "frame-cache style fch5 is not available in this build")
		}
		return op(name, nil)
	}
	return nil, qperr.New(qperr.BadArgument, "Unknown style format for loading data: %s.Known style formats: 'npz', 'fch5' 'yml', 'yaml', 'test'", style)
}

func openFrameCacheOpts(name string, opts Options) (ImageSeries, error) {
	style, err := optString(opts, "style", "npz")
	if err != nil {
		return nil, err
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
	if style == "fch5" {
		registry.RLock()
		op := registry.open["frame-cache-fch5"]
		registry.RUnlock()
		if op != nil {
			return op(name, opts) // passes "path" (a group inside the file)
		}
	}
	return OpenFrameCache(name, style)
}

func openZip(name string) (*os.File, *zip.Reader, map[string]*zip.File, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, nil, qperr.Wrap(qperr.IO, err, "%v", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, nil, qperr.Wrap(qperr.IO, err, "%v", err)
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		f.Close()
		return nil, nil, nil, qperr.Wrap(qperr.IO, err, "%s: not a readable npz archive: %v", name, err)
	}
	members := make(map[string]*zip.File, len(zr.File))
	for _, zf := range zr.File {
		members[zf.Name] = zf
	}
	return f, zr, members, nil
}

func (c *FrameCache) member(key string) (*npy.Array, error) {
	zf := c.members[key+".npy"]
	if zf == nil {
		zf = c.members[key]
	}
	if zf == nil {
		return nil, qperr.New(qperr.Integrity, "frame cache %s has no member '%s'", c.f.Name(), key)
	}
	b, err := npy.ReadMemberWithin(zf, c.budget)
	if err != nil {
		return nil, err
	}
	a, err := npy.DecodeWithin(b, c.budget)
	if err != nil {
		return nil, qperr.Wrap(qperr.Integrity, err, "frame cache %s member '%s': %v", c.f.Name(), key, err)
	}
	return a, nil
}

func openNPZCache(name string, budget limits.Budget) (_ ImageSeries, err error) {
	f, zr, members, err := openZip(name)
	if err != nil {
		return nil, err
	}
	c := &FrameCache{f: f, zr: zr, members: members, budget: budget}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	for _, k := range []string{"shape", "nframes", "dtype"} {
		if members[k+".npy"] == nil {
			return nil, qperr.New(qperr.IO, "%s is not a frame cache: no '%s' member", name, k)
		}
	}
	shape, err := c.member("shape")
	if err != nil {
		return nil, err
	}
	sv, err := intValues(shape)
	if err != nil || len(sv) != 2 || sv[0] < 0 || sv[1] < 0 {
		return nil, qperr.New(qperr.Integrity, "frame cache %s: bad 'shape' member", name)
	}
	nf, err := c.member("nframes")
	if err != nil {
		return nil, err
	}
	nv, err := intValues(nf)
	if err != nil || len(nv) != 1 || nv[0] < 0 {
		return nil, qperr.New(qperr.Integrity, "frame cache %s: bad 'nframes' member", name)
	}
	dta, err := c.member("dtype")
	if err != nil {
		return nil, err
	}
	ds, ok := dta.Data.([]string)
	if !ok || len(ds) != 1 {
		return nil, qperr.New(qperr.Integrity, "frame cache %s: 'dtype' member is not a string", name)
	}
	dt, _, err := ParseDType(ds[0])
	if err != nil {
		return nil, err
	}
	if nv[0] > len(zr.File)/3 {
		// every frame has three members (upstream fails with a KeyError
		// loading the first missing one)
		return nil, qperr.New(qperr.Integrity, "frame cache %s: %d frames declared but the archive has only %d members", name, nv[0], len(zr.File))
	}
	if err := c.budget.Check(fmt.Sprintf("frame cache %s: frame of shape (%d, %d)", name, sv[0], sv[1]), limits.Mul(limits.Mul(int64(sv[0]), int64(sv[1])), int64(dt.Size())), -1); err != nil {
		return nil, err
	}
	c.rows, c.cols, c.n, c.dt = sv[0], sv[1], nv[0], dt
	c.frames = make([]*sparseFrame, c.n)
	c.last = -2
	c.meta = Metadata{}
	for _, zf := range zr.File {
		key := zf.Name
		if len(key) > 4 && key[len(key)-4:] == ".npy" {
			key = key[:len(key)-4]
		}
		if key == "shape" || key == "nframes" || key == "dtype" {
			continue
		}
		if reFrameKey.MatchString(key) {
			if i, _ := strconv.Atoi(key[:indexByte(key, '_')]); i < c.n {
				continue
			}
		}
		if lm, ok := lazyHeader(zf, c.budget); ok {
			if c.lazy == nil {
				c.lazy = map[string]*lazyMember{}
			}
			c.lazy[key] = lm
			continue
		}
		a, err := c.member(key)
		if err != nil {
			return nil, err
		}
		c.meta[key] = a
	}
	return c, nil
}

func indexByte(s string, b byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == b {
			return i
		}
	}
	return len(s)
}

func intValues(a *npy.Array) ([]int, error) {
	v, err := a.Float64()
	if err != nil {
		return nil, err
	}
	out := make([]int, len(v))
	for i, x := range v {
		if x != float64(int(x)) {
			return nil, fmt.Errorf("non-integer value")
		}
		out[i] = int(x)
	}
	return out, nil
}

// Close releases the archive.
func (c *FrameCache) Close() error {
	if c.f == nil {
		return nil
	}
	err := c.f.Close()
	c.f = nil
	return err
}

// Len is the number of frames.
func (c *FrameCache) Len() int { return c.n }

// Shape is [rows, cols].
func (c *FrameCache) Shape() []int { return []int{c.rows, c.cols} }

// DType is the cache dtype.
func (c *FrameCache) DType() DType { return c.dt }

// Metadata is every non-reserved member (npz) or the YAML meta (yml).
// Large numeric members are read the first time it is called.
func (c *FrameCache) Metadata() Metadata { return c.loadMetadata() }

func (c *FrameCache) sparse(i int) (*sparseFrame, error) {
	i, err := normIndex(i, c.n)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	sf := c.frames[i]
	seq := i == c.last+1
	c.last = i
	c.mu.Unlock()
	if sf != nil {
		if seq {
			c.readAhead(i + 1)
		}
		return sf, nil
	}
	if seq {
		// sequential access: inflate the next frames on other cores
		c.readAhead(i + 1)
	}
	return c.load(i)
}

// load returns frame i, inflating it once even if several goroutines
// (callers or read-ahead) ask for it at the same time.
func (c *FrameCache) load(i int) (*sparseFrame, error) {
	c.mu.Lock()
	if sf := c.frames[i]; sf != nil {
		c.mu.Unlock()
		return sf, nil
	}
	if c.loading == nil {
		c.loading = map[int]chan struct{}{}
	}
	if ch, ok := c.loading[i]; ok {
		c.mu.Unlock()
		<-ch
		c.mu.Lock()
		sf := c.frames[i]
		c.mu.Unlock()
		if sf != nil {
			return sf, nil
		}
		return c.loadSparse(i) // the other load failed: report our own error
	}
	ch := make(chan struct{})
	c.loading[i] = ch
	c.mu.Unlock()
	var sf *sparseFrame
	err := par.Safe(func() error {
		var err error
		sf, err = c.loadSparse(i)
		return err
	})
	c.mu.Lock()
	if err == nil {
		c.frames[i] = sf
	}
	delete(c.loading, i)
	c.mu.Unlock()
	close(ch)
	return sf, err
}

// readAhead starts loading frames from..from+GOMAXPROCS-1 in the background
// (npz members are independent zip entries, so they inflate in parallel).
func (c *FrameCache) readAhead(from int) {
	w := runtime.GOMAXPROCS(0)
	for k := from; k < min(from+w, c.n); k++ {
		c.mu.Lock()
		_, busy := c.loading[k]
		start := c.frames[k] == nil && !busy && c.ahead < w
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
				_, err := c.load(k)
				return err
			})
		}
	}
}

func (c *FrameCache) loadSparse(i int) (*sparseFrame, error) {
	if c.zr == nil {
		return nil, qperr.New(qperr.IO, "frame cache is closed")
	}
	p := strconv.Itoa(i)
	ra, err := c.member(p + "_row")
	if err != nil {
		return nil, err
	}
	ca, err := c.member(p + "_col")
	if err != nil {
		return nil, err
	}
	da, err := c.member(p + "_data")
	if err != nil {
		return nil, err
	}
	rows, err := indexValues(ra)
	if err != nil {
		return nil, qperr.Wrap(qperr.Integrity, err, "frame cache %s member %s_row: %v", c.f.Name(), p, err)
	}
	cols, err := indexValues(ca)
	if err != nil {
		return nil, qperr.Wrap(qperr.Integrity, err, "frame cache %s member %s_col: %v", c.f.Name(), p, err)
	}
	ddt := dataDType(da.Data)
	if ddt == Invalid || len(da.Shape) != 1 {
		return nil, qperr.New(qperr.Integrity, "frame cache %s member %s_data: unsupported array (%s, shape %v)", c.f.Name(), p, da.DType, da.Shape)
	}
	data := da.Data
	if ddt != c.dt {
		data = castTo(data, c.dt)
	}
	if len(rows) != len(cols) || len(rows) != dataLen(data) {
		return nil, qperr.New(qperr.Integrity, "frame cache %s frame %d: row/col/data lengths differ (%d, %d, %d)", c.f.Name(), i, len(rows), len(cols), dataLen(data))
	}
	for k := range rows {
		if int(rows[k]) >= c.rows || int(cols[k]) >= c.cols {
			return nil, qperr.New(qperr.Integrity, "frame cache %s frame %d: index (%d, %d) out of range for shape (%d, %d)", c.f.Name(), i, rows[k], cols[k], c.rows, c.cols)
		}
	}
	return &sparseFrame{row: rows, col: cols, data: data}, nil
}

func indexValues(a *npy.Array) ([]uint16, error) {
	if len(a.Shape) != 1 {
		return nil, fmt.Errorf("expected a 1-d array, got shape %v", a.Shape)
	}
	if v, ok := a.Data.([]uint16); ok {
		return v, nil
	}
	f, err := a.Float64()
	if err != nil {
		return nil, err
	}
	out := make([]uint16, len(f))
	for k, x := range f {
		if x < 0 || x > 65535 || x != float64(int(x)) {
			return nil, fmt.Errorf("bad index %v", x)
		}
		out[k] = uint16(x)
	}
	return out, nil
}

// Frame returns dense frame i (zeros where nothing was kept).
func (c *FrameCache) Frame(i int) (Frame, error) {
	return c.Region(i, Rect{0, c.rows, 0, c.cols})
}

// Region builds only the requested rectangle from the sparse data.
func (c *FrameCache) Region(i int, r Rect) (Frame, error) {
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
	th, ok, err := optNumber(opts, "threshold")
	if err != nil {
		return err
	}
	if !ok {
		return qperr.New(qperr.NotFound, "frame-cache writer: option 'threshold' is required")
	}
	o := FrameCacheOptions{Threshold: th}
	if o.Style, err = optString(opts, "style", "npz"); err != nil {
		return err
	}
	if o.Style == "fch5" {
		registry.RLock()
		w := registry.write["frame-cache-fch5"]
		registry.RUnlock()
		if w != nil {
			return w(ims, name, opts) // all options, including "path"
		}
	}
	if o.CacheFile, err = optString(opts, "cache_file", ""); err != nil {
		return err
	}
	if w, ok, err := optNumber(opts, "max_workers"); err != nil {
		return err
	} else if ok {
		o.Workers = int(w)
	}
	if f, ok := opts["warn"].(func(string)); ok {
		o.Warn = f
	}
	return WriteFrameCache(ims, name, o)
}

// WriteFrameCache writes a sparse frame cache of ims (hexrd's
// WriteFrameCache). For the npz style the archive has the members numpy's
// savez_compressed would write: <i>_row/<i>_col (uint16), <i>_data (series
// dtype) in row-major scan order, shape, nframes, dtype (bytes) and one
// member per metadata value.
func WriteFrameCache(ims ImageSeries, name string, o FrameCacheOptions) error {
	switch o.Style {
	case "", "npz":
	case "fch5":
		registry.RLock()
		w := registry.write["frame-cache-fch5"]
		registry.RUnlock()
		if w == nil {
			return qperr.New(qperr.Unsupported, "frame-cache style fch5 is not available in this build")
		}
		return w(ims, name, Options{"threshold": o.Threshold, "cache_file": o.CacheFile, "max_workers": o.Workers, "warn": o.Warn})
	default:
		return qperr.New(qperr.BadArgument, "Unknown file style for writing framecache: %s. Supported formats are ['npz', 'fch5']", o.Style)
	}
	warn := o.Warn
	if warn == nil {
		warn = func(s string) { log.Print("imageseries: " + s) }
	}
	shape := ims.Shape()
	if len(shape) != 2 {
		return qperr.New(qperr.BadArgument, "frame shape %v is not 2-d", shape)
	}
	rows, cols := shape[0], shape[1]
	if rows > 65536 || cols > 65536 {
		// I9: the format stores indices as uint16.
		return qperr.New(qperr.BadArgument, "frame shape (%d, %d) too large for a frame cache (row/column indices are uint16)", rows, cols)
	}
	dt := ims.DType()
	path := name
	if o.CacheFile != "" {
		path = o.CacheFile
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(name), path)
		}
	}
	out, err := os.Create(path)
	if err != nil {
		return qperr.Wrap(qperr.IO, err, "%v", err)
	}
	zw := zip.NewWriter(out)
	fail := func(err error) error {
		zw.Close()
		out.Close()
		os.Remove(path)
		return err
	}
	n := ims.Len()
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// Frames are thresholded and compressed by a pool of workers; the
	// compressed members are written in frame order by this goroutine.
	type result struct {
		members []npy.Member
		kept    int
		err     error
	}
	results := make([]chan result, n)
	for i := range results {
		results[i] = make(chan result, 1)
	}
	sem := make(chan struct{}, workers)
	stop := make(chan struct{})
	par.Go(func() error {
		for i := 0; i < n; i++ {
			select {
			case sem <- struct{}{}:
			case <-stop:
				return nil
			}
			par.Go(func() error {
				defer func() { <-sem }()
				var r result
				r.err = par.Safe(func() error {
					var err error
					r.members, r.kept, err = encodeFrame(ims, i, rows, cols, dt, o.Threshold)
					return err
				})
				results[i] <- r
				return nil
			})
		}
		return nil
	})
	for i := 0; i < n; i++ {
		r := <-results[i]
		if r.err != nil {
			close(stop)
			return fail(r.err)
		}
		if npx := rows * cols; npx > 0 && float64(r.kept)/float64(npx) > MaxNZFraction {
			// I8: the trigger is "more than 10 % kept", so the cutoff is 90 % sparsity.
			warn(fmt.Sprintf("frame %d is %.2f%% sparse (cutoff is 90%%)", i, 100*(1-float64(r.kept)/float64(npx))))
		}
		for _, m := range r.members {
			if err := m.Write(zw); err != nil {
				close(stop)
				return fail(qperr.Wrap(qperr.IO, err, "%v", err))
			}
		}
	}
	close(stop)
	head := []struct {
		key string
		a   *npy.Array
	}{
		{"shape", &npy.Array{Shape: []int{2}, Data: []int64{int64(rows), int64(cols)}}},
		{"nframes", &npy.Array{Shape: []int{}, Data: []int64{int64(n)}}},
		{"dtype", &npy.Array{Shape: []int{}, DType: "S", Data: []string{dt.String()}}},
	}
	meta := ims.Metadata()
	keys := make([]string, 0, len(meta))
	for k := range meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "shape" || k == "nframes" || k == "dtype" || reFrameKey.MatchString(k) {
			warn(fmt.Sprintf("metadata key %q collides with a frame-cache member; skipped", k))
			continue
		}
		a, ok := metaToArray(meta[k])
		if !ok {
			// I5: never write a member numpy cannot load without pickle.
			warn(fmt.Sprintf("metadata %q of type %T cannot be stored in an npz frame cache; skipped", k, meta[k]))
			continue
		}
		head = append(head, struct {
			key string
			a   *npy.Array
		}{k, a})
	}
	for _, h := range head {
		b, err := npy.Encode(h.a)
		if err != nil {
			return fail(qperr.Wrap(qperr.BadArgument, err, "metadata %s: %v", h.key, err))
		}
		m, err := npy.DeflateMember(h.key+".npy", b)
		if err != nil {
			return fail(err)
		}
		if err := m.Write(zw); err != nil {
			return fail(qperr.Wrap(qperr.IO, err, "%v", err))
		}
	}
	if err := zw.Close(); err != nil {
		out.Close()
		return qperr.Wrap(qperr.IO, err, "%v", err)
	}
	if err := out.Close(); err != nil {
		return qperr.Wrap(qperr.IO, err, "%v", err)
	}
	return nil
}

// encodeFrame thresholds frame i and returns its three compressed members.
func encodeFrame(ims ImageSeries, i, rows, cols int, dt DType, th float64) ([]npy.Member, int, error) {
	var f Frame
	if fv, ok := ims.(frameViewer); ok {
		f = fv.frameView(i) // read-only view, no copy
	} else {
		var err error
		if f, err = ims.Frame(i); err != nil {
			return nil, 0, err
		}
	}
	if err := checkFrame(f, rows, cols, "frame-cache writer"); err != nil {
		return nil, 0, err
	}
	if f.DType() != dt {
		f = f.AsType(dt)
	}
	r, c, d := extractIJV(f, th)
	p := strconv.Itoa(i)
	arrs := []struct {
		key string
		a   *npy.Array
	}{
		{p + "_row", &npy.Array{Shape: []int{len(r)}, Data: r}},
		{p + "_col", &npy.Array{Shape: []int{len(c)}, Data: c}},
		{p + "_data", &npy.Array{Shape: []int{len(r)}, Data: d}},
	}
	out := make([]npy.Member, 0, 3)
	for _, a := range arrs {
		b, err := npy.Encode(a.a)
		if err != nil {
			return nil, 0, err
		}
		m, err := npy.DeflateMember(a.key+".npy", b)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, m)
	}
	return out, len(r), nil
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
