package imageseries

import (
	"archive/zip"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"sync"

	"qpgo/core/qperr"
	"qpgo/internal/limits"
	"qpgo/internal/npy"
	"qpgo/internal/par"
)

// FrameCache is the "frame-cache" adapter for the npz and yml styles. The
// header (shape, nframes, dtype) and the metadata are read at open; frame i
// is read from the archive the first time it is requested and kept in its
// sparse form (a few per cent of the dense size), like upstream's memoized
// list of CSR matrices.
type FrameCache struct {
	sparseCache
	f       *os.File
	zr      *zip.Reader
	members map[string]*zip.File
	budget  limits.Budget // per-open memory budget (0: the process-wide one)

	// large metadata members read on access (metalazy.go)
	metaMu  sync.Mutex
	lazy    map[string]*lazyMember
	metaErr error
}

var reFrameKey = regexp.MustCompile(`^\d+_(row|col|data)$`)

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
	c.initSparse("frame cache "+name, nv[0], sv[0], sv[1], dt, Metadata{}, c.readSparse, -2)
	c.readAhead = true
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
	c.shareMemo(name, "")
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

// Metadata is every non-reserved member (npz) or the YAML meta (yml).
// Large numeric members are read the first time it is called.
func (c *FrameCache) Metadata() Metadata { return c.loadMetadata() }

// readSparse reads the three members of frame i.
func (c *FrameCache) readSparse(i int, _ bool) (row, col []uint16, data any, err error) {
	if c.zr == nil {
		return nil, nil, nil, qperr.New(qperr.IO, "frame cache is closed")
	}
	p := strconv.Itoa(i)
	ra, err := c.member(p + "_row")
	if err != nil {
		return nil, nil, nil, err
	}
	ca, err := c.member(p + "_col")
	if err != nil {
		return nil, nil, nil, err
	}
	da, err := c.member(p + "_data")
	if err != nil {
		return nil, nil, nil, err
	}
	if row, err = indexValues(ra); err != nil {
		return nil, nil, nil, qperr.Wrap(qperr.Integrity, err, "frame cache %s member %s_row: %v", c.f.Name(), p, err)
	}
	if col, err = indexValues(ca); err != nil {
		return nil, nil, nil, qperr.Wrap(qperr.Integrity, err, "frame cache %s member %s_col: %v", c.f.Name(), p, err)
	}
	if dataDType(da.Data) == Invalid || len(da.Shape) != 1 {
		return nil, nil, nil, qperr.New(qperr.Integrity, "frame cache %s member %s_data: unsupported array (%s, shape %v)", c.f.Name(), p, da.DType, da.Shape)
	}
	return row, col, da.Data, nil
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

// ---------------------------------------------------------------- writer

// writeNPZCache writes the npz style: the archive has the members numpy's
// savez_compressed would write: <i>_row/<i>_col (uint16), <i>_data (series
// dtype) in row-major scan order, shape, nframes, dtype (bytes) and one
// member per metadata value.
func writeNPZCache(ims ImageSeries, name string, o FrameCacheOptions) error {
	warn := o.warner()
	rows, cols, err := cacheShape(ims)
	if err != nil {
		return err
	}
	dt := ims.DType()
	path := o.path(name)
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
		warnSparsity(warn, i, r.kept, rows, cols)
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
	r, c, d, err := keptPixels(f, rows, cols, dt, th)
	if err != nil {
		return nil, 0, err
	}
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
