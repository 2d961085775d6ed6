package qpseries

import (
	"math"

	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/meta"
	"qpgo/core/qperr"
	"qpgo/core/qpimage"
	"qpgo/series/internal/numbered"
)

// NoBG is the bgFromIdx of AddQPImage that means "no background link"
// (upstream bg_from_idx=None).
const NoBG = math.MinInt

// Prefix is the name prefix of member groups.
const Prefix = "qpi_"

// Options are the QPSeries constructor arguments other than the list.
type Options struct {
	// Meta is written into every member group (also pre-existing ones),
	// overriding the members' own values; keys must be in meta.Keys.
	Meta []imagedata.Attr
	// Identifier is the series identifier (root attribute), "" for none.
	Identifier string
}

type base = numbered.Series[*qpimage.QPImage]

// QPSeries is a series of QPImages in an HDF5 group (field G). Its methods
// Close, OwnsFile, Len, Identifier, Identifiers, Contains and All come
// from the shared series base.
type QPSeries struct {
	base
}

var kind = &numbered.Kind[*qpimage.QPImage]{
	Prefix: Prefix, Series: "QPSeries", Image: "QPImage", MemFile: "qpseries",
	List: "qpimage_list", MetaKeys: meta.Keys,
	IsImageFile:    func(g *h5.Group) bool { return g.Has("phase") && g.Has("amplitude") },
	ImageFileError: "`h5file` is a QPImage file, not a QPSeries file!",
	Open: func(g *h5.Group) (*qpimage.QPImage, error) {
		return qpimage.NewInGroup(g, nil, nil, qpimage.DefaultOptions())
	},
	Images: func(q *qpimage.QPImage) []*imagedata.ImageData {
		return []*imagedata.ImageData{q.PhaseData(), q.AmplitudeData()}
	},
}

// newSeries sets up a series at the target and appends list.
func newSeries(to numbered.Target, list []*qpimage.QPImage, opt Options) (*QPSeries, error) {
	s := &QPSeries{}
	add := func(m *qpimage.QPImage) error { return s.AddQPImage(m, "", NoBG) }
	if err := numbered.Init(&s.base, kind, to, list, add, numbered.Options(opt)); err != nil {
		return nil, err
	}
	return s, nil
}

// NewInMemory creates a series in a new in-memory file (h5file=None).
func NewInMemory(list []*qpimage.QPImage, opt Options) (*QPSeries, error) {
	return newSeries(numbered.Target{InMemory: true}, list, opt)
}

// NewFile opens or creates the series file at path with an h5py mode
// ("r", "r+", "w", "w-"/"x", "a") and appends list.
func NewFile(path, mode string, list []*qpimage.QPImage, opt Options) (*QPSeries, error) {
	return newSeries(numbered.Target{Path: path, Mode: mode}, list, opt)
}

// Open opens an existing series file.
func Open(path, mode string) (*QPSeries, error) { return NewFile(path, mode, nil, Options{}) }

// NewInGroup uses an existing group as the series root (h5file=<Group>);
// Close does not close its file.
func NewInGroup(g *h5.Group, list []*qpimage.QPImage, opt Options) (*QPSeries, error) {
	return newSeries(numbered.Target{Group: g}, list, opt)
}

// GetQPImage returns member index (negative counts from the end) as a live
// view into the series.
func (s *QPSeries) GetQPImage(index int) (*qpimage.QPImage, error) {
	return numbered.Get(&s.base, index)
}

// GetQPImageByID returns the first member with that identifier.
func (s *QPSeries) GetQPImageByID(id string) (*qpimage.QPImage, error) {
	return numbered.GetByID(&s.base, id)
}

// AddQPImage appends a copy of qpi as member qpi_<Len()>. identifier ""
// inherits qpi's identifier; a duplicate identifier is an error. With
// bgFromIdx != NoBG the new member's amplitude and phase "data"
// backgrounds become hard links to those of member bgFromIdx (negative
// indices allowed), so the file holds one background for both.
func (s *QPSeries) AddQPImage(qpi *qpimage.QPImage, identifier string, bgFromIdx int) error {
	if qpi == nil {
		return qperr.New(qperr.BadArgument, "`fli` must be instance of QPImage!")
	}
	links, linkErr := s.bgLinks(bgFromIdx)
	if linkErr == nil {
		// the datasets are read and compressed from here on, while the
		// identifier is checked against every member
		plan := imagedata.StartCopy(qpi.G, s.G.File(), links)
		defer plan.Release()
		id, err := numbered.MemberID(&s.base, identifier, qpi.Identifier, qpi.Repr)
		if err != nil {
			return err
		}
		return numbered.AddMember(&s.base, plan.Copy, id)
	}
	if _, err := numbered.MemberID(&s.base, identifier, qpi.Identifier, qpi.Repr); err != nil {
		return err
	}
	return linkErr
}

// bgLinks returns the hard links of AddQPImage's bgFromIdx (nil for NoBG):
// member path -> link target. It only reads the series.
func (s *QPSeries) bgLinks(bgFromIdx int) (map[string]string, error) {
	if bgFromIdx == NoBG {
		return nil, nil
	}
	ref, err := numbered.Resolve(&s.base, bgFromIdx)
	if err != nil {
		return nil, err
	}
	links := map[string]string{}
	for _, kind := range []string{"amplitude", "phase"} {
		target := s.G.Join(ref + "/" + kind + "/bg_data/data")
		if s.G.Kind(target) != h5.DatasetKind {
			return nil, qperr.New(qperr.NotFound, "Unable to open object %q (member %d has no 'data' background)", target, bgFromIdx)
		}
		links[kind+"/bg_data/data"] = target
	}
	return links, nil
}
