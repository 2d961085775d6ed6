package imagedata

import (
	"runtime"

	"qpgo/core/h5"
	"qpgo/core/qperr"
	"qpgo/internal/par"
)

// CopyGroup is qpimage's copyh5 from group in into group out, with the
// hard-link extension of QPSeries: every key of out that in also has is
// deleted first, groups are copied recursively, every dataset is
// rewritten with the image-dataset rules of the target file (a copy from
// memory to disk gets compression and the IMAGE attributes) and then gets
// the source dataset's attributes; group attributes come last. A member
// whose path relative to in is a key of links becomes a hard link to the
// absolute path links[key] in out's file instead (also when in lacks it).
// Hard links inside in are not preserved.
//
// When in and out are in different files, the datasets are read and
// compressed ahead (up to GOMAXPROCS at once, outside the libhdf5 lock)
// while the earlier ones are written; the operations on out happen in the
// same order as a sequential copy, so the file is the same.
func CopyGroup(in, out *h5.Group, links map[string]string) error {
	var pre *prefetch
	if in.File() != out.File() && in.File().Name() != out.File().Name() {
		var paths []string
		if err := collectDatasets(in, "", links, &paths); err != nil {
			return err
		}
		if len(paths) > 1 {
			pre = newPrefetch(in, out.File(), paths)
			// after an error, no prefetch may still use the files
			defer pre.drain()
		}
	}
	return copyGroup(in, out, "", links, pre)
}

// collectDatasets lists the datasets copyGroup will copy, in its order.
func collectDatasets(in *h5.Group, rel string, links map[string]string, out *[]string) error {
	keys, err := in.Keys()
	if err != nil {
		return err
	}
	for _, k := range keys {
		r := join(rel, k)
		if _, ok := links[r]; ok {
			continue
		}
		switch in.Kind(k) {
		case h5.GroupKind:
			g, err := in.Group(k)
			if err != nil {
				return err
			}
			if err := collectDatasets(g, r, links, out); err != nil {
				return err
			}
		case h5.DatasetKind:
			*out = append(*out, r)
		}
	}
	return nil
}

func join(rel, k string) string {
	if rel == "" {
		return k
	}
	return rel + "/" + k
}

// prefetch reads and encodes the datasets of a copy ahead of the writer.
type prefetch struct {
	root  *h5.Group
	dst   *h5.File
	paths []string
	pend  []*fetch
	next  int // index of the next dataset the writer takes
}

// fetch is one dataset being read and encoded; enc is valid once wait
// has returned nil.
type fetch struct {
	enc  *Encoded
	wait func() error
}

// testPanic, when set by a test, makes the prefetch goroutines panic.
var testPanic bool

func newPrefetch(root *h5.Group, dst *h5.File, paths []string) *prefetch {
	p := &prefetch{root: root, dst: dst, paths: paths, pend: make([]*fetch, len(paths))}
	for i := 0; i < runtime.GOMAXPROCS(0)+1; i++ {
		p.start(i)
	}
	return p
}

func (p *prefetch) start(i int) {
	if i >= len(p.paths) || p.pend[i] != nil {
		return
	}
	path := p.paths[i]
	f := &fetch{}
	p.pend[i] = f
	f.wait = par.Go(func() error {
		if testPanic {
			panic("imagedata: test panic")
		}
		data, shape, err := p.root.ReadDataset(path)
		if err != nil {
			return err
		}
		f.enc, err = EncodeTyped(p.dst, data, shape)
		return err
	})
}

// drain waits for the prefetches not taken.
func (p *prefetch) drain() {
	for i, f := range p.pend {
		if f != nil {
			f.wait()
			p.pend[i] = nil
		}
	}
}

// take returns the encoded dataset at rel, which must be the next one in
// order (nil if it is not: the caller then reads it itself).
func (p *prefetch) take(rel string) (*Encoded, error) {
	if p == nil || p.next >= len(p.paths) || p.paths[p.next] != rel {
		return nil, nil
	}
	i := p.next
	p.next++
	p.start(i + runtime.GOMAXPROCS(0) + 1)
	f := p.pend[i]
	p.pend[i] = nil
	if err := f.wait(); err != nil {
		return nil, err
	}
	return f.enc, nil
}

func copyGroup(in, out *h5.Group, rel string, links map[string]string, pre *prefetch) error {
	keys, err := in.Keys()
	if err != nil {
		return err
	}
	for _, k := range keys {
		r := join(rel, k)
		if out.Has(k) {
			if err := out.Delete(k); err != nil {
				return err
			}
		}
		if target, ok := links[r]; ok {
			if err := out.HardLink(target, k); err != nil {
				return err
			}
			continue
		}
		switch in.Kind(k) {
		case h5.GroupKind:
			src, err := in.Group(k)
			if err != nil {
				return err
			}
			dst, err := out.RequireGroup(k)
			if err != nil {
				return err
			}
			if err := copyGroup(src, dst, r, links, pre); err != nil {
				return err
			}
		case h5.DatasetKind:
			e, err := pre.take(r)
			if err != nil {
				return err
			}
			if e == nil {
				data, shape, err := in.ReadDataset(k)
				if err != nil {
					return err
				}
				if e, err = EncodeTyped(out.File(), data, shape); err != nil {
					return err
				}
			}
			if err := WriteEncoded(out, k, e); err != nil {
				return err
			}
			if err := copyAttrs(in.AttrsOf(k), out.AttrsOf(k)); err != nil {
				return err
			}
		default:
			return qperr.New(qperr.Unsupported, "cannot copy object %q", in.Join(k))
		}
	}
	// links to members the source does not have (e.g. a background the
	// source image lacks) are created too
	for r, target := range links {
		if dir, base := splitPath(r); dir == rel && !out.Has(base) {
			if err := out.HardLink(target, base); err != nil {
				return err
			}
		}
	}
	return copyAttrs(in.Attrs(), out.Attrs())
}

func splitPath(p string) (dir, base string) {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[:i], p[i+1:]
		}
	}
	return "", p
}

func copyAttrs(src, dst h5.Attrs) error {
	names, err := src.Names()
	if err != nil {
		return err
	}
	for _, n := range names {
		v, err := src.Get(n)
		if err != nil {
			return err
		}
		if err := dst.Set(n, v); err != nil {
			return err
		}
	}
	return nil
}
