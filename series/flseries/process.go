package flseries

import (
	"os"
	"sort"

	"qpgo/core/flimage"
	"qpgo/core/flproc"
	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/meta"
	"qpgo/core/qperr"
)

// Output is where bleach_correction (h5out) and denoise (h5file) write
// the processed series: a file path, opened with mode "a" as upstream does
// (an existing series file gets the new images appended after its own), or
// a group of an open writable file.
type Output struct {
	Path  string
	Group *h5.Group
}

// ToFile returns an Output for a file path.
func ToFile(path string) *Output { return &Output{Path: path} }

// ToGroup returns an Output for a group.
func ToGroup(g *h5.Group) *Output { return &Output{Group: g} }

// DenoiseWeight is the Chambolle weight flimage uses (absolute).
const DenoiseWeight = 2

// frame is one background-corrected member image with its meta data.
type frame struct {
	fl    []float64
	meta  []imagedata.Attr // name order, versions added when absent
	ident string
}

// readFrames reads fl and meta of every member. The members are opened
// and their meta data read in index order on this goroutine; the images
// are read and decoded ahead (pipeline: image i+1's chunk decompresses
// while image i is checked). All members must have the same 2-D shape;
// errors come in the order of a serial read. each (nil: none) is called
// on this goroutine for every image as soon as it is read and checked,
// with the frames (filled up to i) and the shape; its error ends the read.
func (s *FLSeries) readFrames(what string, each func(i int, frames []frame, shape []int) error) ([]frame, []int, error) {
	names, err := s.members()
	if err != nil {
		return nil, nil, err
	}
	if len(names) == 0 {
		return nil, nil, qperr.New(qperr.BadArgument, "%s: the series has no images", what)
	}
	type image struct {
		v  []float64
		sh []int
	}
	opened := make([]*flimage.FLImage, len(names))
	p := newPipeline(len(names), func(i int) (func() (image, error), error) {
		fli, err := s.open(names[i])
		if err != nil {
			return nil, err
		}
		opened[i] = fli
		return func() (image, error) {
			v, sh, err := fli.Fl()
			if err != nil {
				return image{}, qperr.Wrap(qperr.KindOf(err), err, "%s: image %d", what, i)
			}
			return image{v, sh}, nil
		}, nil
	})
	defer p.stop()
	out := make([]frame, len(names))
	var shape []int
	for i := range names {
		img, err := p.take(i)
		if err != nil {
			return nil, nil, err
		}
		v, sh := img.v, img.sh
		if len(sh) != 2 {
			return nil, nil, qperr.New(qperr.BadArgument, "%s: image %d is not 2-D (shape %v)", what, i, sh)
		}
		if shape == nil {
			shape = sh
		} else if sh[0] != shape[0] || sh[1] != shape[1] {
			return nil, nil, qperr.New(qperr.BadArgument, "%s: image %d has shape (%d, %d), image 0 (%d, %d)", what, i, sh[0], sh[1], shape[0], shape[1])
		}
		fli := opened[i]
		opened[i] = nil
		attrs, err := fli.MetaAttrs()
		if err != nil {
			return nil, nil, err
		}
		out[i] = frame{fl: v, meta: withVersions(attrs), ident: fli.Identifier()}
		if each != nil {
			if err := each(i, out, shape); err != nil {
				return nil, nil, err
			}
		}
	}
	return out, shape, nil
}

// withVersions adds the version attributes an FLImage constructor writes
// when absent and returns the attributes in name order (the order of
// copyh5, which is how upstream's add_flimage writes them).
func withVersions(attrs []imagedata.Attr) []imagedata.Attr {
	has := map[string]bool{}
	for _, a := range attrs {
		has[a.Name] = true
	}
	if !has["qpimage version"] {
		attrs = append(attrs, imagedata.Attr{Name: "qpimage version", Value: meta.QPImageVersion})
	}
	if !has["flimage version"] {
		attrs = append(attrs, imagedata.Attr{Name: "flimage version", Value: meta.FLImageVersion})
	}
	sort.SliceStable(attrs, func(i, j int) bool { return attrs[i].Name < attrs[j].Name })
	return attrs
}

// times returns the "time" meta value of every frame.
func times(frames []frame) ([]float64, error) {
	out := make([]float64, len(frames))
	for i, f := range frames {
		found := false
		for _, a := range f.meta {
			if a.Name == "time" {
				v, err := meta.AsFloat("time", a.Value)
				if err != nil {
					return nil, err
				}
				out[i], found = v, true
			}
		}
		if !found {
			return nil, meta.MissingError("time")
		}
	}
	return out, nil
}

// outSeries is an opened output series and how to undo its creation.
type outSeries struct {
	s       *FLSeries
	created string   // path of a file created by open (removed on abort)
	encFile *h5.File // for encode: nil (disk rules) unless the output is in memory
}

// openOutput opens the output series (mode "a") and checks that the new
// images can be appended: not an FLImage file, no identifier clash.
func openOutput(o *Output, idents []string) (*outSeries, error) {
	var out outSeries
	var err error
	switch {
	case o.Group != nil:
		out.s, err = NewInGroup(o.Group, nil, Options{})
	case o.Path != "":
		if _, statErr := os.Stat(o.Path); os.IsNotExist(statErr) {
			out.created = o.Path
		}
		out.s, err = NewFile(o.Path, "a", nil, Options{})
	default:
		return nil, qperr.New(qperr.BadArgument, "output needs a path or a group")
	}
	if err != nil {
		if out.created != "" {
			os.Remove(out.created)
		}
		return nil, err
	}
	seen := map[string]bool{}
	existing, err := out.s.Identifiers()
	if err != nil {
		out.abort()
		return nil, err
	}
	for _, id := range existing {
		if id != "" {
			seen[id] = true
		}
	}
	for _, id := range idents {
		if id == "" {
			continue
		}
		if seen[id] {
			out.abort()
			return nil, qperr.New(qperr.BadArgument, "The identifier '%s' already exists in the output series! Use another output file or remove it.", id)
		}
		seen[id] = true
	}
	if f := out.s.G.File(); f.IsCoreDriver() {
		out.encFile = f // EncodeImage leaves the data unencoded
	}
	return &out, nil
}

// abort closes the output and removes a file that open created.
func (o *outSeries) abort() {
	o.s.Close()
	if o.created != "" {
		os.Remove(o.created)
	}
}

// encode prepares a processed image for writeEncoded; it does not use the
// output file and is safe for concurrent use (the core-driver check is
// made once by encodeFile).
func (o *outSeries) encode(data []float64, shape []int) (*imagedata.Encoded, error) {
	return imagedata.EncodeImage(o.encFile, data, shape, h5.Float32)
}

// writeEncoded appends one processed image (prepared by encode) like
// upstream's add_flimage(FLImage(data=..., meta_data=fli.meta)): group
// fli_<n> with fluorescence/bg_data (empty) and fluorescence/raw
// (float32), then the meta attributes in name order, then the identifier
// once more.
func (o *outSeries) writeEncoded(e *imagedata.Encoded, f frame) error {
	return o.s.addMember(func(g *h5.Group) error {
		fl, err := g.RequireGroup("fluorescence")
		if err != nil {
			return err
		}
		if _, err := fl.RequireGroup("bg_data"); err != nil {
			return err
		}
		if err := imagedata.WriteEncoded(fl, "raw", e); err != nil {
			return err
		}
		a := g.Attrs()
		for _, kv := range f.meta {
			if err := a.Set(kv.Name, kv.Value); err != nil {
				return err
			}
		}
		return nil
	}, f.ident)
}

func (o *outSeries) close() error { return o.s.Close() }

func identsOf(frames []frame) []string {
	out := make([]string, len(frames))
	for i, f := range frames {
		out[i] = f.ident
	}
	return out
}

// BleachCorrection is FLSeries.bleach_correction (flimage.md §1.5): one
// background for the series from the border of every image (borderPx 0:
// the whole image), the intensity trace, the exponential bleach fit on the
// "time" meta data and the factors decay[0]/decay. With h5out != nil the
// corrected images (fl - bg)·corr[i] of flscorr (nil: this series) are
// appended to the output series as float32 with the source meta data.
//
// Progress counts 2·Len() (background and trace) plus flscorr's length
// when writing; false cancels with qperr.Cancelled. Everything is checked
// before the output is touched (missing "time" → MissingMeta with
// upstream's text, a constant trace, a too long flscorr, different shapes,
// identifier clashes in the output), so bad input leaves no partial output.
// Corrected images are written as they are computed: a cancelled run
// leaves a valid output file holding the images finished so far.
func (s *FLSeries) BleachCorrection(h5out *Output, borderPx int, flscorr *FLSeries, progress flproc.Progress) (*flproc.BleachResult, error) {
	frames, shape, err := s.readFrames("bleach_correction", nil)
	if err != nil {
		return nil, err
	}
	ts, err := times(frames)
	if err != nil {
		return nil, err
	}
	n := len(frames)
	corrFrames := frames
	if flscorr != nil && flscorr != s {
		if flscorr.Len() > n {
			return nil, qperr.New(qperr.BadArgument, "index %d is out of bounds for axis 0 with size %d (`flscorr` has %d images, the series %d)", n, n, flscorr.Len(), n)
		}
		var cshape []int
		if corrFrames, cshape, err = flscorr.readFrames("bleach_correction (flscorr)", nil); err != nil {
			return nil, err
		}
		if cshape[0] != shape[0] || cshape[1] != shape[1] {
			return nil, qperr.New(qperr.BadArgument, "`flscorr` images have shape (%d, %d), the series (%d, %d)", cshape[0], cshape[1], shape[0], shape[1])
		}
	}
	total := 2 * n
	if h5out != nil {
		total += len(corrFrames)
	}
	fls := make([][]float64, n)
	for i := range frames {
		fls[i] = frames[i].fl
	}
	res, err := flproc.BleachCorrection(fls, shape[0], shape[1], ts, borderPx, func(done, _ int) bool {
		return progress == nil || progress(done, total)
	})
	if err != nil {
		return nil, err
	}
	if h5out == nil {
		return res, nil
	}
	out, err := openOutput(h5out, identsOf(corrFrames))
	if err != nil {
		return nil, err
	}
	// image i+1 is corrected and compressed while image i is written
	p := newPipeline(len(corrFrames), func(i int) (func() (*imagedata.Encoded, error), error) {
		return func() (*imagedata.Encoded, error) {
			return out.encode(flproc.Correct(corrFrames[i].fl, res.Bg, res.Corr[i]), shape)
		}, nil
	})
	finish := func(err error) error {
		p.stop() // no encoding may outlive the output file
		if cerr := out.close(); err == nil {
			err = cerr
		}
		return err
	}
	for i, f := range corrFrames {
		e, err := p.take(i)
		if err == nil {
			err = out.writeEncoded(e, f)
		}
		if err != nil {
			finish(nil)
			return nil, err
		}
		if progress != nil && !progress(2*n+i+1, total) {
			if err := finish(nil); err != nil {
				return nil, err
			}
			return nil, qperr.New(qperr.Cancelled, "cancelled after %d of %d items", 2*n+i+1, total)
		}
	}
	if err := finish(nil); err != nil {
		return nil, err
	}
	return res, nil
}

// denoiseTV is the per-image computation of Denoise (a variable so that
// tests can make a worker panic).
var denoiseTV = flproc.DenoiseTVChambolle

// Denoise is FLSeries.denoise (flimage.md §1.6): skimage's
// denoise_tv_chambolle(fl, weight=2) of every image, appended to the
// output series as float32 with the source meta data.
//
// The images are denoised and compressed in parallel on all cores, up to
// GOMAXPROCS+1 images ahead (each image is an independent serial
// computation, so the results are identical to the serial path), while
// the calling goroutine writes them in index order as they become ready
// (HDF5 access stays serial). Denoising starts with the first image read,
// while the later ones are still being read. Progress counts written
// images; false cancels with qperr.Cancelled and leaves a valid output
// file with the images written so far. Bad input (different shapes,
// NaN/Inf pixels, identifier clashes in the output) fails before the
// output is touched.
func (s *FLSeries) Denoise(h5file *Output, progress flproc.Progress) error {
	if h5file == nil {
		return qperr.New(qperr.BadArgument, "denoise needs an output (`h5file`)")
	}
	encFile, err := encodeFileOf(h5file)
	if err != nil {
		return err
	}
	// Each image is denoised and compressed in the background (par: a
	// panic becomes that image's Internal error) as soon as it is read.
	var p *pipeline[*imagedata.Encoded]
	defer func() {
		if p != nil {
			p.stop() // no encoding may outlive the output file
		}
	}()
	frames, _, err := s.readFrames("denoise", func(i int, frames []frame, shape []int) error {
		if !imagedata.AllFinite(frames[i].fl) {
			return qperr.New(qperr.BadArgument, "denoise: image %d contains NaN or Inf", i)
		}
		if p == nil {
			p = newGatedPipeline(len(frames), func(i int) (func() (*imagedata.Encoded, error), error) {
				return func() (*imagedata.Encoded, error) {
					v, err := denoiseTV(frames[i].fl, shape[0], shape[1], DenoiseWeight)
					if err != nil {
						return nil, err
					}
					return imagedata.EncodeImage(encFile, v, shape, h5.Float32)
				}, nil
			})
		}
		p.open(i + 1)
		return nil
	})
	if err != nil {
		return err
	}
	out, err := openOutput(h5file, identsOf(frames))
	if err != nil {
		return err
	}
	n := len(frames)
	finish := func(err error) error {
		p.stop() // no encoding may outlive the output file
		if cerr := out.close(); err == nil {
			err = cerr
		}
		return err
	}
	for i := 0; i < n; i++ {
		e, err := p.take(i)
		if err != nil {
			return finish(qperr.Wrap(qperr.KindOf(err), err, "denoise: image %d", i))
		}
		if err := out.writeEncoded(e, frames[i]); err != nil {
			return finish(err)
		}
		frames[i].fl = nil // release memory early
		if progress != nil && !progress(i+1, n) {
			return finish(qperr.New(qperr.Cancelled, "cancelled after %d of %d items", i+1, n))
		}
	}
	return finish(nil)
}

// encodeFileOf is the file argument of imagedata.EncodeImage for images
// written to the output o, known before the output is opened: the file of
// an in-memory output group (datasets stay unencoded there), else nil
// (a path is always a file on disk).
func encodeFileOf(o *Output) (*h5.File, error) {
	switch {
	case o.Group != nil:
		if f := o.Group.File(); f.IsCoreDriver() {
			return f, nil
		}
		return nil, nil
	case o.Path != "":
		return nil, nil
	}
	return nil, qperr.New(qperr.BadArgument, "output needs a path or a group")
}
