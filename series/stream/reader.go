package stream

import (
	"sync"

	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/qperr"
)

// Frame is one frame of a stream.
type Frame struct {
	Index     int
	Phase     []float64 // rows×cols, row-major
	Amplitude []float64
	Time      float64
	Source    Source
}

// Reader reads an acquisition file, also while it is being written. Its
// methods are safe for concurrent use.
type Reader struct {
	mu         sync.Mutex
	path       string
	f          *h5.File
	root       *h5.Group
	rows, cols int
	swmr       bool
	n          int
	buf        []float32
}

// OpenReader opens the acquisition file at path for reading. A latest-
// format (SWMR) file is opened for SWMR reading, which works while the
// writer runs in another process and after a writer was killed; a file
// written without SWMR is opened plainly (while its writer is alive that
// works only in the writer's own process: libhdf5's file lock keeps other
// processes out).
func OpenReader(path string) (*Reader, error) {
	v, err := h5.SuperblockVersion(path)
	if err != nil {
		return nil, err
	}
	var f *h5.File
	if v >= 3 {
		f, err = h5.OpenSWMRRead(path)
	} else {
		f, err = h5.Open(path, "r")
	}
	if err != nil {
		return nil, err
	}
	r := &Reader{path: path, f: f, root: f.Root(), swmr: v >= 3}
	info, err := r.root.DatasetInfo(DSPhase)
	if err == nil && (len(info.Shape) != 3 || info.Shape[1] <= 0 || info.Shape[2] <= 0) {
		err = qperr.New(qperr.BadArgument, "%q is not an acquisition file: /phase has shape %v", path, info.Shape)
	}
	if err == nil {
		for _, ds := range []string{DSAmplitude, DSTime, DSSource} {
			if !r.root.Has(ds) {
				err = qperr.New(qperr.BadArgument, "%q is not an acquisition file: no dataset /%s", path, ds)
				break
			}
		}
	}
	if err != nil {
		f.Close()
		if qperr.Is(err, qperr.NotFound) {
			err = qperr.New(qperr.BadArgument, "%q is not an acquisition file (no dataset /phase)", path)
		}
		return nil, err
	}
	r.rows, r.cols = info.Shape[1], info.Shape[2]
	if _, err := r.Len(); err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

// Path is the file path.
func (r *Reader) Path() string { return r.path }

// Shape is the frame shape.
func (r *Reader) Shape() (rows, cols int) { return r.rows, r.cols }

// SWMR reports whether the file was opened for SWMR reading.
func (r *Reader) SWMR() bool { return r.swmr }

// Len refreshes the reader's view of the file and returns the number of
// complete frames: the smallest extent of the stream's datasets.
func (r *Reader) Len() (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refresh()
}

func (r *Reader) refresh() (int, error) {
	n := -1
	// /time grows last: refresh it first so that the others are at least
	// as new as what it reports.
	for _, ds := range []string{DSTime, DSSource, DSAmplitude, DSPhase} {
		if err := r.root.Refresh(ds); err != nil {
			return 0, err
		}
		m, err := r.root.Len0(ds)
		if err != nil {
			return 0, err
		}
		if n < 0 || m < n {
			n = m
		}
	}
	r.n = n
	return n, nil
}

// Frame reads frame i (negative i counts from the end of the frames known
// after a refresh).
func (r *Reader) Frame(i int) (*Frame, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if i < 0 || i >= r.n {
		if _, err := r.refresh(); err != nil {
			return nil, err
		}
	}
	if i < 0 {
		i += r.n
	}
	if i < 0 || i >= r.n {
		return nil, qperr.New(qperr.NotFound, "frame index %d out of range (%d frames)", i, r.n)
	}
	return r.read(i)
}

// Newest refreshes and reads the newest complete frame.
func (r *Reader) Newest() (*Frame, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n, err := r.refresh()
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, qperr.New(qperr.NotFound, "the stream has no frames yet")
	}
	return r.read(n - 1)
}

func (r *Reader) read(i int) (*Frame, error) {
	n := r.rows * r.cols
	if r.buf == nil {
		r.buf = make([]float32, n)
	}
	fr := &Frame{Index: i, Phase: make([]float64, n), Amplitude: make([]float64, n)}
	for _, p := range []struct {
		ds  string
		out []float64
	}{{DSPhase, fr.Phase}, {DSAmplitude, fr.Amplitude}} {
		if err := r.root.ReadRow(p.ds, i, r.buf); err != nil {
			return nil, err
		}
		for j, v := range r.buf {
			p.out[j] = float64(v)
		}
	}
	t := []float64{0}
	if err := r.root.ReadRow(DSTime, i, t); err != nil {
		return nil, err
	}
	s := []int8{0}
	if err := r.root.ReadRow(DSSource, i, s); err != nil {
		return nil, err
	}
	fr.Time, fr.Source = t[0], Source(s[0])
	return fr, nil
}

// Meta returns the static qpimage meta data of the file (root attributes
// other than the stream's own), in storage order.
func (r *Reader) Meta() ([]imagedata.Attr, error) {
	a := r.root.Attrs()
	names, err := a.Names()
	if err != nil {
		return nil, err
	}
	var out []imagedata.Attr
	for _, n := range names {
		if n == AttrVersion || n == AttrWhichData || n == AttrSWMR {
			continue
		}
		v, err := a.Get(n)
		if err != nil {
			return nil, err
		}
		if b, ok := v.(h5.Bytes); ok {
			v = string(b)
		}
		out = append(out, imagedata.Attr{Name: n, Value: v})
	}
	return out, nil
}

// Close closes the file. Closing twice is a no-op.
func (r *Reader) Close() error { return r.f.Close() }

// RecoverFile is `h5clear -s path`: after a SWMR writer was killed it
// resets the superblock status flags, so that tools which open the file
// plainly (h5py, h5dump, HDFView) accept it again. OpenReader does not need
// it. Never call it while the writer is alive.
func RecoverFile(path string) error { return h5.ClearStatusFlags(path) }
