// Package numbered is the common base of qpseries.QPSeries and
// flseries.FLSeries: a series of images stored as member groups
// <prefix><n> (no zero padding) of an HDF5 group, with an optional root
// attribute "identifier".
//
// Series holds the state and the methods both series export unchanged
// (Close, OwnsFile, Len, Identifier, Identifiers, Contains, All); the
// helpers the series packages use internally are package functions, so
// that embedding Series adds nothing else to their API. All reads the
// members' images ahead on read-only files (readahead.go).
package numbered

import (
	"fmt"
	"iter"
	"math"
	"strconv"
	"strings"
	"sync/atomic"

	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/meta"
	"qpgo/core/qperr"
	"qpgo/core/qpimage"
)

// Kind describes one kind of series. Use it through a pointer (it counts
// the series created).
type Kind[M any] struct {
	Prefix   string   // member group prefix, e.g. "qpi_"
	Series   string   // series type name in messages, e.g. "QPSeries"
	Image    string   // member type name in messages, e.g. "QPImage"
	MemFile  string   // stem of in-memory file names, e.g. "qpseries"
	List     string   // name of the constructor list in messages, e.g. "qpimage_list"
	MetaKeys []string // allowed meta data keys
	// IsImageFile reports whether a root group is an image file rather
	// than a series; ImageFileError is the message then.
	IsImageFile    func(g *h5.Group) bool
	ImageFileError string
	// Open returns a live view of a member group.
	Open func(g *h5.Group) (M, error)
	// Images (optional) lists a member's images in a fixed order; All
	// reads them ahead on read-only files (see readahead.go).
	Images func(m M) []*imagedata.ImageData

	instances atomic.Int64
}

// Options are the constructor arguments other than the list.
type Options struct {
	Meta       []imagedata.Attr
	Identifier string
}

// Series is a series of images of type M in an HDF5 group.
type Series[M any] struct {
	G        *h5.Group
	ownsFile bool
	kind     *Kind[M]
}

// Target is where a series lives: a new in-memory file (InMemory), the
// file at Path opened with an h5py Mode ("r", "r+", "w", "w-"/"x", "a"),
// or an existing Group (whose file Close does not close).
type Target struct {
	InMemory   bool
	Path, Mode string
	Group      *h5.Group
}

// Init sets s up at the target and appends list with add.
func Init[M any](s *Series[M], k *Kind[M], to Target, list []M, add func(M) error, opt Options) error {
	if err := k.checkMeta(opt.Meta); err != nil {
		return err
	}
	if to.Group != nil {
		return build(s, k, to.Group, list, add, opt)
	}
	var f *h5.File
	var err error
	if to.InMemory {
		f, err = h5.CreateInMemory(fmt.Sprintf("%s%d.h5", k.MemFile, k.instances.Load()))
	} else {
		f, err = h5.Open(to.Path, to.Mode)
	}
	if err != nil {
		return err
	}
	if err := build(s, k, f.Root(), list, add, opt); err != nil {
		f.Close()
		return err
	}
	s.ownsFile = true
	return nil
}

func (k *Kind[M]) checkMeta(m []imagedata.Attr) error {
	d := meta.NewDict(k.MetaKeys)
	for _, kv := range m {
		if err := d.Set(kv.Name, kv.Value); err != nil {
			return err
		}
	}
	return nil
}

func build[M any](s *Series[M], k *Kind[M], g *h5.Group, list []M, add func(M) error, opt Options) error {
	k.instances.Add(1)
	*s = Series[M]{G: g, kind: k}
	writable := g.File().Writable()
	if len(opt.Meta) > 0 && !writable {
		return qperr.New(qperr.BadArgument, "`h5mode` must not be 'r' if `meta_data` is given!")
	}
	if k.IsImageFile(g) {
		return qperr.New(qperr.BadArgument, "%s", k.ImageFileError)
	}
	if (len(list) > 0 || opt.Identifier != "") && !writable {
		return qperr.New(qperr.IO, "Unable to write to %q: file is opened read-only", g.File().Name())
	}
	for i, m := range list {
		if err := add(m); err != nil {
			return qperr.Wrap(qperr.KindOf(err), err, "%s[%d]", k.List, i)
		}
	}
	if len(opt.Meta) > 0 {
		names, err := Members(s)
		if err != nil {
			return err
		}
		for _, n := range names {
			// upstream: get_qpimage(ii) / get_flimage(ii) (adds a missing
			// version), then attrs
			mg, err := s.G.Group(n)
			if err != nil {
				return err
			}
			if _, err := k.Open(mg); err != nil {
				return err
			}
			for _, kv := range opt.Meta {
				if err := mg.Attrs().Set(kv.Name, kv.Value); err != nil {
					return err
				}
			}
		}
	}
	if opt.Identifier != "" {
		if err := g.Attrs().Set("identifier", opt.Identifier); err != nil {
			return err
		}
	}
	return nil
}

// Close flushes and closes the file if the series opened it.
func (s *Series[M]) Close() error { return qpimage.CloseOwned(s.G, s.ownsFile) }

// OwnsFile reports whether Close closes the file.
func (s *Series[M]) OwnsFile() bool { return s.ownsFile }

// Members lists the member group names <prefix><n> in index order.
func Members[M any](s *Series[M]) ([]string, error) {
	keys, err := s.G.Keys()
	if err != nil {
		return nil, err
	}
	return memberNames(keys, s.kind.Prefix), nil
}

// memberNames returns the keys with the prefix, ordered by their number
// (keys with a non-numeric suffix last, in name order).
func memberNames(keys []string, prefix string) []string {
	var out []string
	for _, k := range keys {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	num := func(k string) int {
		n, err := strconv.Atoi(k[len(prefix):])
		if err != nil {
			return math.MaxInt
		}
		return n
	}
	// insertion sort: series are short and mostly ordered already
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && num(out[j]) < num(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// Len is the number of root keys starting with the member prefix.
func (s *Series[M]) Len() int {
	m, err := Members(s)
	if err != nil {
		return 0
	}
	return len(m)
}

// Identifier is the series identifier ("" when there is none).
func (s *Series[M]) Identifier() string { return qpimage.AttrString(s.G.Attrs(), "identifier") }

// Identifiers lists the member identifiers in index order ("" for none).
func (s *Series[M]) Identifiers() ([]string, error) {
	names, err := Members(s)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = qpimage.AttrString(s.G.AttrsOf(n), "identifier")
	}
	return out, nil
}

// Contains is `id in series`: any member with that identifier.
func (s *Series[M]) Contains(id string) bool {
	_, ok := find(s, id)
	return ok
}

func find[M any](s *Series[M], id string) (string, bool) {
	names, err := Members(s)
	if err != nil {
		return "", false
	}
	for _, n := range names {
		// one attribute read per member (Has then AttrString opened the
		// member twice): a missing attribute is NotFound and never
		// matches, an unreadable one reads as "" like AttrString
		v, err := s.G.AttrsOf(n).Get("identifier")
		if err != nil && qperr.Is(err, qperr.NotFound) {
			continue
		}
		if attrString(v) == id {
			return n, true
		}
	}
	return "", false
}

// attrString is qpimage.AttrString of a value read (nil: "").
func attrString(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case h5.Bytes:
		return string(s)
	}
	return ""
}

// Open returns a live view of the member group name.
func Open[M any](s *Series[M], name string) (M, error) {
	g, err := s.G.Group(name)
	if err != nil {
		var zero M
		return zero, err
	}
	return s.kind.Open(g)
}

// Resolve turns an index (negative counts from the end) into a member name.
func Resolve[M any](s *Series[M], index int) (string, error) {
	if index >= 0 {
		// the common case needs no listing of the members (which made
		// iterating a series quadratic)
		if name := s.kind.Prefix + strconv.Itoa(index); s.G.Kind(name) == h5.GroupKind {
			return name, nil
		}
	}
	n := s.Len()
	if index < -n {
		return "", qperr.New(qperr.BadArgument, "Index %d out of bounds for %s of size %d!", index, s.kind.Series, n)
	}
	if index < 0 {
		index += n
	}
	name := s.kind.Prefix + strconv.Itoa(index)
	if s.G.Kind(name) != h5.GroupKind {
		return "", qperr.New(qperr.NotFound, "Index %d not found for %s of length %d", index, s.kind.Series, n)
	}
	return name, nil
}

// Get returns member index (negative counts from the end) as a live view.
func Get[M any](s *Series[M], index int) (M, error) {
	name, err := Resolve(s, index)
	if err != nil {
		var zero M
		return zero, err
	}
	return Open(s, name)
}

// GetByID returns the first member with that identifier.
func GetByID[M any](s *Series[M], id string) (M, error) {
	name, ok := find(s, id)
	if !ok {
		var zero M
		return zero, qperr.New(qperr.NotFound, "%s identifier '%s' not found!", s.kind.Image, id)
	}
	return Open(s, name)
}

// All yields the members in index order (upstream __iter__). On a
// read-only file the images the loop reads are read ahead (readahead.go).
func (s *Series[M]) All() iter.Seq2[M, error] {
	return func(yield func(M, error) bool) {
		n := s.Len()
		if s.kind.Images != nil && !s.G.File().Writable() {
			s.allAhead(n, yield)
			return
		}
		for i := 0; i < n; i++ {
			if !yield(Get(s, i)) {
				return
			}
		}
	}
}

// MemberID returns the identifier of a new member: identifier, or own()
// (the image's identifier) when it is "". A duplicate is an error; repr
// is the image's representation for the message.
func MemberID[M any](s *Series[M], identifier string, own, repr func() string) (string, error) {
	if identifier == "" {
		identifier = own()
	}
	if identifier != "" && s.Contains(identifier) {
		return "", qperr.New(qperr.BadArgument, "The identifier '%s' already exists! You can either change the identifier of  '%s' or remove it.", identifier, repr())
	}
	return identifier, nil
}

// AddMember creates group <prefix><Len()>, fills it and sets the
// identifier ("" for none); on failure the group is removed again.
func AddMember[M any](s *Series[M], fill func(g *h5.Group) error, identifier string) error {
	name := s.kind.Prefix + strconv.Itoa(s.Len())
	if s.G.Has(name) {
		return qperr.New(qperr.BadArgument, "Unable to create group %q (name already exists)", s.G.Join(name))
	}
	g, err := s.G.RequireGroup(name)
	if err != nil {
		return err
	}
	fail := func(err error) error {
		_ = s.G.Delete(name) // no half-written member
		return err
	}
	if err := fill(g); err != nil {
		return fail(err)
	}
	if identifier != "" {
		if err := g.Attrs().Set("identifier", identifier); err != nil {
			return fail(err)
		}
	}
	return nil
}
