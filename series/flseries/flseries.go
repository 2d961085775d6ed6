package flseries

import (
	"qpgo/core/flimage"
	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/meta"
	"qpgo/core/qperr"
	"qpgo/core/qpimage"
	"qpgo/series/internal/numbered"
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

type base = numbered.Series[*flimage.FLImage]

// FLSeries is a series of FLImages in an HDF5 group (field G). Its methods
// Close, OwnsFile, Len, Identifier, Identifiers, Contains and All come
// from the shared series base.
type FLSeries struct {
	base
}

var kind = &numbered.Kind[*flimage.FLImage]{
	Prefix: Prefix, Series: "FLSeries", Image: "FLImage", MemFile: "flseries",
	List: "flimage_list", MetaKeys: meta.KeysFL,
	IsImageFile:    func(g *h5.Group) bool { return g.Has("fluorescence") },
	ImageFileError: "`h5file` is an FLImage file, not an FLSeries file!",
	Open: func(g *h5.Group) (*flimage.FLImage, error) {
		return flimage.NewInGroup(g, nil, nil, flimage.DefaultOptions())
	},
	Images: func(f *flimage.FLImage) []*imagedata.ImageData {
		return []*imagedata.ImageData{f.FluorescenceData()}
	},
}

// newSeries sets up a series at the target and appends list.
func newSeries(to numbered.Target, list []*flimage.FLImage, opt Options) (*FLSeries, error) {
	s := &FLSeries{}
	add := func(m *flimage.FLImage) error { return s.AddFLImage(m, "") }
	if err := numbered.Init(&s.base, kind, to, list, add, numbered.Options(opt)); err != nil {
		return nil, err
	}
	return s, nil
}

// NewInMemory creates a series in a new in-memory file (h5file=None).
func NewInMemory(list []*flimage.FLImage, opt Options) (*FLSeries, error) {
	return newSeries(numbered.Target{InMemory: true}, list, opt)
}

// NewFile opens or creates the series file at path with an h5py mode
// ("r", "r+", "w", "w-"/"x", "a") and appends list.
func NewFile(path, mode string, list []*flimage.FLImage, opt Options) (*FLSeries, error) {
	return newSeries(numbered.Target{Path: path, Mode: mode}, list, opt)
}

// Open opens an existing series file.
func Open(path, mode string) (*FLSeries, error) { return NewFile(path, mode, nil, Options{}) }

// NewInGroup uses an existing group as the series root (h5file=<Group>);
// Close does not close its file.
func NewInGroup(g *h5.Group, list []*flimage.FLImage, opt Options) (*FLSeries, error) {
	return newSeries(numbered.Target{Group: g}, list, opt)
}

// members lists the member group names fli_<n> in index order.
func (s *FLSeries) members() ([]string, error) { return numbered.Members(&s.base) }

func (s *FLSeries) open(name string) (*flimage.FLImage, error) { return numbered.Open(&s.base, name) }

// GetFLImage returns member index (negative counts from the end) as a live
// view into the series.
func (s *FLSeries) GetFLImage(index int) (*flimage.FLImage, error) {
	return numbered.Get(&s.base, index)
}

// GetFLImageByID returns the first member with that identifier.
func (s *FLSeries) GetFLImageByID(id string) (*flimage.FLImage, error) {
	return numbered.GetByID(&s.base, id)
}

// AddFLImage appends a copy of fli as member fli_<Len()> (qpimage copyh5
// rules). identifier "" inherits fli's identifier; a duplicate identifier
// is an error.
func (s *FLSeries) AddFLImage(fli *flimage.FLImage, identifier string) error {
	if fli == nil {
		return qperr.New(qperr.BadArgument, "`fli` must be instance of FLImage!")
	}
	identifier, err := numbered.MemberID(&s.base, identifier, fli.Identifier, fli.Repr)
	if err != nil {
		return err
	}
	return s.addMember(func(g *h5.Group) error { return qpimage.CopyH5(fli.G, g) }, identifier)
}

// addMember creates group fli_<Len()>, fills it and sets the identifier;
// on failure the group is removed again.
func (s *FLSeries) addMember(fill func(g *h5.Group) error, identifier string) error {
	return numbered.AddMember(&s.base, fill, identifier)
}
