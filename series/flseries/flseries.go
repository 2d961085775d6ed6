package flseries

import (
	"fmt"
	"iter"
	"math"
	"strconv"
	"strings"
	"sync/atomic"

	"qpgo/core/flimage"
	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/meta"
	"qpgo/core/qperr"
	"qpgo/core/qpimage"
)

// Prefix is the name prefix of member groups.
const Prefix = "fli_"

// Options are the FLSeries constructor arguments other than the list.
type Options struct {
	// Meta is written into every member group (also pre-existing ones),
	// overriding the members' own values; keys must be in meta.Keys.
	Meta []imagedata.Attr
	// Identifier is the series identifier (root attribute), "" for none.
	Identifier string
}

// FLSeries is a series of FLImages in an HDF5 group.
type FLSeries struct {
	G        *h5.Group
	ownsFile bool
}

var instances atomic.Int64

// NewInMemory creates a series in a new in-memory file (h5file=None).
func NewInMemory(list []*flimage.FLImage, opt Options) (*FLSeries, error) {
	if err := checkMeta(opt.Meta); err != nil {
		return nil, err
	}
	f, err := h5.CreateInMemory(fmt.Sprintf("flseries%d.h5", instances.Load()))
	if err != nil {
		return nil, err
	}
	s, err := build(f.Root(), list, opt)
	if err != nil {
		f.Close()
		return nil, err
	}
	s.ownsFile = true
	return s, nil
}

// NewFile opens or creates the series file at path with an h5py mode
// ("r", "r+", "w", "w-"/"x", "a") and appends list.
func NewFile(path, mode string, list []*flimage.FLImage, opt Options) (*FLSeries, error) {
	if err := checkMeta(opt.Meta); err != nil {
		return nil, err
	}
	f, err := h5.Open(path, mode)
	if err != nil {
		return nil, err
	}
	s, err := build(f.Root(), list, opt)
	if err != nil {
		f.Close()
		return nil, err
	}
	s.ownsFile = true
	return s, nil
}

// Open opens an existing series file.
func Open(path, mode string) (*FLSeries, error) { return NewFile(path, mode, nil, Options{}) }

// NewInGroup uses an existing group as the series root (h5file=<Group>);
// Close does not close its file.
func NewInGroup(g *h5.Group, list []*flimage.FLImage, opt Options) (*FLSeries, error) {
	if err := checkMeta(opt.Meta); err != nil {
		return nil, err
	}
	return build(g, list, opt)
}

func checkMeta(m []imagedata.Attr) error {
	d := meta.NewDict(meta.KeysFL)
	for _, kv := range m {
		if err := d.Set(kv.Name, kv.Value); err != nil {
			return err
		}
	}
	return nil
}

func build(g *h5.Group, list []*flimage.FLImage, opt Options) (*FLSeries, error) {
	instances.Add(1)
	s := &FLSeries{G: g}
	writable := g.File().Writable()
	if len(opt.Meta) > 0 && !writable {
		return nil, qperr.New(qperr.BadArgument, "`h5mode` must not be 'r' if `meta_data` is given!")
	}
	if g.Has("fluorescence") {
		return nil, qperr.New(qperr.BadArgument, "`h5file` is an FLImage file, not an FLSeries file!")
	}
	if (len(list) > 0 || opt.Identifier != "") && !writable {
		return nil, qperr.New(qperr.IO, "Unable to write to %q: file is opened read-only", g.File().Name())
	}
	for i, q := range list {
		if err := s.AddFLImage(q, ""); err != nil {
			return nil, qperr.Wrap(qperr.KindOf(err), err, "flimage_list[%d]", i)
		}
	}
	if len(opt.Meta) > 0 {
		names, err := s.members()
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			// upstream: get_flimage(ii) (adds a missing version), then attrs
			q, err := s.open(n)
			if err != nil {
				return nil, err
			}
			for _, kv := range opt.Meta {
				if err := q.G.Attrs().Set(kv.Name, kv.Value); err != nil {
					return nil, err
				}
			}
		}
	}
	if opt.Identifier != "" {
		if err := g.Attrs().Set("identifier", opt.Identifier); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Close flushes and closes the file if the series opened it.
func (s *FLSeries) Close() error {
	if !s.ownsFile {
		return nil
	}
	f := s.G.File()
	if f.Closed() {
		return nil
	}
	if f.Writable() && !f.InMemory() {
		if err := f.Flush(); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// OwnsFile reports whether Close closes the file.
func (s *FLSeries) OwnsFile() bool { return s.ownsFile }

// members lists the member group names qpi_<n> in index order.
func (s *FLSeries) members() ([]string, error) {
	keys, err := s.G.Keys()
	if err != nil {
		return nil, err
	}
	return memberNames(keys, Prefix), nil
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

// Len is the number of root keys starting with "fli_".
func (s *FLSeries) Len() int {
	m, err := s.members()
	if err != nil {
		return 0
	}
	return len(m)
}

// Identifier is the series identifier ("" when there is none).
func (s *FLSeries) Identifier() string { return attrString(s.G.Attrs(), "identifier") }

func attrString(a h5.Attrs, name string) string {
	v, err := a.Get(name)
	if err != nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case h5.Bytes:
		return string(x)
	}
	return ""
}

// Identifiers lists the member identifiers in index order ("" for none).
func (s *FLSeries) Identifiers() ([]string, error) {
	names, err := s.members()
	if err != nil {
		return nil, err
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = attrString(s.G.AttrsOf(n), "identifier")
	}
	return out, nil
}

// Contains is `id in qps`: any member with that identifier.
func (s *FLSeries) Contains(id string) bool {
	_, ok := s.find(id)
	return ok
}

func (s *FLSeries) find(id string) (string, bool) {
	names, err := s.members()
	if err != nil {
		return "", false
	}
	for _, n := range names {
		if a := s.G.AttrsOf(n); a.Has("identifier") && attrString(a, "identifier") == id {
			return n, true
		}
	}
	return "", false
}

func (s *FLSeries) open(name string) (*flimage.FLImage, error) {
	g, err := s.G.Group(name)
	if err != nil {
		return nil, err
	}
	return flimage.NewInGroup(g, nil, nil, flimage.DefaultOptions())
}

// resolve turns an index (negative counts from the end) into a member name.
func (s *FLSeries) resolve(index int) (string, error) {
	n := s.Len()
	if index < -n {
		return "", qperr.New(qperr.BadArgument, "Index %d out of bounds for FLSeries of size %d!", index, n)
	}
	if index < 0 {
		index += n
	}
	name := Prefix + strconv.Itoa(index)
	if s.G.Kind(name) != h5.GroupKind {
		return "", qperr.New(qperr.NotFound, "Index %d not found for FLSeries of length %d", index, n)
	}
	return name, nil
}

// GetFLImage returns member index (negative counts from the end) as a live
// view into the series.
func (s *FLSeries) GetFLImage(index int) (*flimage.FLImage, error) {
	name, err := s.resolve(index)
	if err != nil {
		return nil, err
	}
	return s.open(name)
}

// GetFLImageByID returns the first member with that identifier.
func (s *FLSeries) GetFLImageByID(id string) (*flimage.FLImage, error) {
	name, ok := s.find(id)
	if !ok {
		return nil, qperr.New(qperr.NotFound, "FLImage identifier '%s' not found!", id)
	}
	return s.open(name)
}

// All yields the members in index order (upstream __iter__).
func (s *FLSeries) All() iter.Seq2[*flimage.FLImage, error] {
	return func(yield func(*flimage.FLImage, error) bool) {
		for i, n := 0, s.Len(); i < n; i++ {
			if !yield(s.GetFLImage(i)) {
				return
			}
		}
	}
}

// AddFLImage appends a copy of fli as member fli_<Len()> (qpimage copyh5
// rules). identifier "" inherits fli's identifier; a duplicate identifier
// is an error.
func (s *FLSeries) AddFLImage(fli *flimage.FLImage, identifier string) error {
	if fli == nil {
		return qperr.New(qperr.BadArgument, "`fli` must be instance of FLImage!")
	}
	if identifier == "" {
		identifier = fli.Identifier()
	}
	if identifier != "" && s.Contains(identifier) {
		return qperr.New(qperr.BadArgument, "The identifier '%s' already exists! You can either change the identifier of  '%s' or remove it.", identifier, fli.Repr())
	}
	return s.addMember(func(g *h5.Group) error { return qpimage.CopyH5(fli.G, g) }, identifier)
}

// addMember creates group fli_<Len()>, fills it and sets the identifier;
// on failure the group is removed again.
func (s *FLSeries) addMember(fill func(g *h5.Group) error, identifier string) error {
	name := Prefix + strconv.Itoa(s.Len())
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
