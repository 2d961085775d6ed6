package imageseries

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"qpgo/core/qperr"
)

func init() {
	Register("image-files", func(name string, _ Options) (ImageSeries, error) { return OpenImageFiles(name) }, nil, OptionKeys{Open: []string{}})
}

// ImageFiles is the "image-files" adapter: frames from a list of detector
// image files (TIFF, EDF, GE) described by YAML (§2.5). Headers are read at
// open; frame data is read from disk on every access (no cache), as
// upstream.
type ImageFiles struct {
	files      []*imageFile
	usable     []int // frames used per file
	empty      int
	total      int
	rows, cols int
	dt         DType
	castTo     bool
	meta       Metadata
	class      string
	single     bool
}

// OpenImageFiles opens an image-files YAML file, or YAML text (any string of
// more than one line). Relative directories and metadata files resolve
// against the working directory, as upstream.
func OpenImageFiles(nameOrYAML string) (_ *ImageFiles, err error) {
	var b []byte
	if len(strings.Split(strings.TrimRight(nameOrYAML, "\n"), "\n")) > 1 {
		b = []byte(nameOrYAML)
	} else {
		// a file: every message is ours, and names it
		defer func() { err = qperr.Named(err, nameOrYAML) }()
		if b, err = os.ReadFile(nameOrYAML); err != nil {
			return nil, qperr.Wrap(qperr.IO, err, "%v", err)
		}
	}
	root, err := parseYAMLDoc(b, "image-files YAML")
	if err != nil {
		return nil, err
	}
	imgs := mapValue(root, "image-files")
	if imgs == nil {
		return nil, qperr.New(qperr.NotFound, "image-files YAML has no 'image-files' entry")
	}
	var spec struct {
		Directory string `yaml:"directory"`
		Files     string `yaml:"files"`
	}
	if err := imgs.Decode(&spec); err != nil {
		return nil, qperr.Wrap(qperr.BadArgument, err, "image-files: %v", err)
	}
	optNode := mapValue(root, "options")
	if optNode == nil {
		return nil, qperr.New(qperr.NotFound, "image-files YAML has no 'options' entry")
	}
	var opts struct {
		Empty    int    `yaml:"empty-frames"`
		MaxTotal int    `yaml:"max-total-frames"`
		MaxFile  int    `yaml:"max-file-frames"`
		DType    string `yaml:"dtype"`
	}
	if err := optNode.Decode(&opts); err != nil {
		return nil, qperr.Wrap(qperr.BadArgument, err, "image-files options: %v", err)
	}
	if opts.Empty < 0 || opts.MaxTotal < 0 || opts.MaxFile < 0 {
		return nil, qperr.New(qperr.BadArgument, "image-files options must not be negative")
	}
	meta, err := yamlMeta(mapValue(root, "meta"), "")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, g := range strings.Fields(spec.Files) {
		m, err := filepath.Glob(filepath.Join(spec.Directory, g))
		if err != nil {
			return nil, qperr.Wrap(qperr.BadArgument, err, "bad file pattern %q: %v", g, err)
		}
		names = append(names, m...)
	}
	sort.Strings(names)
	s := &ImageFiles{meta: meta, empty: opts.Empty, single: true}
	for _, n := range names {
		im, err := openImageFile(n)
		if err != nil {
			return nil, err
		}
		if s.files == nil {
			s.rows, s.cols, s.dt, s.class = im.rows, im.cols, im.frameDType(), im.class
		} else {
			switch {
			case im.rows != s.rows || im.cols != s.cols:
				return nil, qperr.New(qperr.BadArgument, "inconsistent image shapes")
			case opts.DType == "" && im.frameDType() != s.dt:
				return nil, qperr.New(qperr.BadArgument, "inconsistent image dtypes")
			case im.class != s.class:
				return nil, qperr.New(qperr.BadArgument, "inconsistent image types")
			}
		}
		if opts.Empty >= im.nframes {
			return nil, qperr.New(qperr.BadArgument, "more empty frames than images: %s", n)
		}
		use := im.nframes - opts.Empty
		if opts.MaxFile > 0 {
			use = min(use, opts.MaxFile)
		}
		if use > 1 {
			s.single = false
		}
		s.files = append(s.files, im)
		s.usable = append(s.usable, use)
		s.total += use
	}
	if opts.MaxTotal > 0 {
		s.total = min(s.total, opts.MaxTotal)
	}
	if opts.DType != "" {
		dt, _, err := ParseDType(opts.DType)
		if err != nil {
			return nil, err
		}
		s.dt, s.castTo = dt, true
	}
	return s, nil
}

// Len is the number of frames (capped by max-total-frames).
func (s *ImageFiles) Len() int { return s.total }

// Shape is [rows, cols].
func (s *ImageFiles) Shape() []int { return []int{s.rows, s.cols} }

// DType is the file dtype, or the dtype option.
func (s *ImageFiles) DType() DType { return s.dt }

// Metadata is the YAML meta with triggers applied.
func (s *ImageFiles) Metadata() Metadata { return s.meta }

// FabioClass is fabio's class name for the files (e.g. "TifImage").
func (s *ImageFiles) FabioClass() string { return s.class }

// SingleFrames reports whether every file contributes one frame.
func (s *ImageFiles) SingleFrames() bool { return s.single }

// Files lists the image files in order.
func (s *ImageFiles) Files() []string {
	out := make([]string, len(s.files))
	for i, f := range s.files {
		out[i] = f.name
	}
	return out
}

// FileFrames is the frames each file gives the series (after its empty
// frames) and the number of empty frames skipped at the start of each.
func (s *ImageFiles) FileFrames() (usable []int, empty int) {
	return append([]int(nil), s.usable...), s.empty
}

func (s *ImageFiles) String() string {
	return fmt.Sprintf("==== imageseries from file list\n    fabio class: %s\nnumber of files: %d\n        nframes: %d\n          dtype: %s\n          shape: (%d, %d)\n  single frames: %v\n",
		s.class, len(s.files), s.total, s.dt, s.rows, s.cols, s.single)
}

// Frame reads frame i from its file; with the dtype option the frame is cast
// and an error is returned if its maximum exceeds the dtype's maximum.
func (s *ImageFiles) Frame(i int) (Frame, error) {
	if s.single && i < 0 && i >= -len(s.files) {
		// Upstream indexes its file list with a negative key, so with
		// max-total-frames ims[-1] is the first frame of the last file,
		// not the last frame of the series.
		return s.cast(s.files[len(s.files)+i].readFrame(0))
	}
	i, err := normIndex(i, s.total)
	if err != nil {
		return Frame{}, err
	}
	k := i
	for fi, im := range s.files {
		if k < s.usable[fi] {
			return s.cast(im.readFrame(k + s.empty))
		}
		k -= s.usable[fi]
	}
	return Frame{}, qperr.New(qperr.NotFound, "frame out of range: %d", i)
}

// cast applies the dtype option to a frame read from a file.
func (s *ImageFiles) cast(f Frame, err error) (Frame, error) {
	if err != nil || !s.castTo {
		return f, err
	}
	if maxOf(f) > s.dt.Max() {
		return Frame{}, qperr.New(qperr.Runtime, "specified dtype will truncate image")
	}
	return f.AsType(s.dt), nil
}

func maxOf(f Frame) float64 {
	v := f.Float64()
	m := 0.0
	for k, x := range v {
		if k == 0 || x > m {
			m = x
		}
	}
	return m
}
