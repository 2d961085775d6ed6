package stream

import (
	"math"
	"slices"
	"sync"

	"qpgo/core/h5"
	"qpgo/core/holo"
	"qpgo/core/imagedata"
	"qpgo/core/meta"
	"qpgo/core/qperr"
	"qpgo/core/unwrap"
	"qpgo/internal/par"
)

// Dataset names and stream attributes.
const (
	DSPhase     = "phase"
	DSAmplitude = "amplitude"
	DSTime      = "time"
	DSSource    = "source"

	AttrVersion   = "qpgo stream version"
	AttrWhichData = "qpgo stream which_data"
	AttrSWMR      = "qpgo stream swmr"

	// Version is the stream layout version written to AttrVersion.
	Version = 1
	// DefaultLevel is the gzip level used when Options.Compress is set and
	// Options.Level is 0: level 1 keeps up with a camera, higher levels
	// gain little on noisy phase data.
	DefaultLevel = 1
)

// Source tells how a frame was appended.
type Source int8

const (
	SourcePhase          Source = 0 // Append without amplitude (amplitude ones)
	SourcePhaseAmplitude Source = 1 // Append with amplitude
	SourceHologram       Source = 2 // AppendHologram (off-axis retrieval)
)

// Options are the Create arguments besides path and shape.
type Options struct {
	// SWMR writes the file in the latest HDF5 format and switches it to
	// SWMR writing, so readers in other processes can follow it and a
	// killed writer leaves every written frame readable.
	SWMR bool
	// Compress stores the frames with byte shuffle and gzip.
	Compress bool
	// Level is the gzip level 1..9 when Compress is set (0: DefaultLevel).
	Level int
	// ProcPhase unwraps the phase given to Append and removes the 2π
	// border offset, as QPImage(proc_phase=True) does. AppendHologram
	// always processes (upstream's default for raw-oah data).
	ProcPhase bool
	// Meta is the static qpimage meta data, written as root attributes
	// (keys of meta.Keys except "time", which is stored per frame, and
	// "qpimage version", which is written by the stream).
	Meta []imagedata.Attr
}

// Writer appends frames to an acquisition file. Its methods are safe for
// concurrent use; frames get consecutive indices in the order their
// Append calls take the writer's lock.
type Writer struct {
	mu         sync.Mutex
	path       string
	rows, cols int
	opt        Options
	f          *h5.File
	root       *h5.Group
	n          int
	level      int    // gzip level when compressing, else 0
	onesChunk  []byte // the encoded all-ones amplitude
	closed     bool
	failed     error // set when a frame was written only in part
}

// Create creates (or truncates) the acquisition file at path for frames of
// rows×cols pixels and writes its static meta data.
func Create(path string, rows, cols int, opt Options) (*Writer, error) {
	if path == "" {
		return nil, qperr.New(qperr.BadArgument, "empty file name")
	}
	if rows <= 0 || cols <= 0 || rows > 1<<16 || cols > 1<<16 {
		return nil, qperr.New(qperr.BadArgument, "frame shape %dx%d must be positive (at most 65536 per side)", rows, cols)
	}
	if opt.Level < 0 || opt.Level > 9 {
		return nil, qperr.New(qperr.BadArgument, "gzip level must be 1..9 (0 for the default), got %d", opt.Level)
	}
	if err := checkMeta(opt.Meta); err != nil {
		return nil, err
	}
	var f *h5.File
	var err error
	if opt.SWMR {
		f, err = h5.CreateLatest(path)
	} else {
		f, err = h5.Open(path, "w")
	}
	if err != nil {
		return nil, err
	}
	w := &Writer{path: path, rows: rows, cols: cols, opt: opt, f: f, root: f.Root()}
	if opt.Compress {
		w.level = opt.Level
		if w.level == 0 {
			w.level = DefaultLevel
		}
	}
	if err := w.setup(); err != nil {
		f.Close()
		return nil, err
	}
	return w, nil
}

func checkMeta(items []imagedata.Attr) error {
	seen := map[string]bool{}
	for _, a := range items {
		if !slices.Contains(meta.Keys, a.Name) {
			return qperr.New(qperr.UnknownKey, "Unknown meta data key: %s", a.Name)
		}
		if a.Name == "time" {
			return qperr.New(qperr.BadArgument, "meta key \"time\" is stored per frame (the time argument of Append), not as static meta data")
		}
		if seen[a.Name] {
			return qperr.New(qperr.BadArgument, "meta key %q given twice", a.Name)
		}
		seen[a.Name] = true
		if err := meta.CheckValue(a.Name, a.Value); err != nil {
			return err
		}
	}
	return nil
}

func (w *Writer) setup() error {
	frame := h5.CreateOptions{Chunks: []int{1, w.rows, w.cols}, MaxShape: []int{-1, w.rows, w.cols}}
	if w.level > 0 {
		frame.Shuffle, frame.Compress, frame.Deflate = true, true, w.level
	}
	vec := h5.CreateOptions{Chunks: []int{512}, MaxShape: []int{-1}}
	shape := []int{0, w.rows, w.cols}
	if err := w.root.CreateDataset(DSPhase, h5.Float32, shape, nil, frame); err != nil {
		return err
	}
	if err := w.root.CreateDataset(DSAmplitude, h5.Float32, shape, nil, frame); err != nil {
		return err
	}
	if err := w.root.CreateDataset(DSTime, h5.Float64, []int{0}, nil, vec); err != nil {
		return err
	}
	if err := w.root.CreateDataset(DSSource, h5.Int8, []int{0}, nil, vec); err != nil {
		return err
	}
	a := w.root.Attrs()
	for _, m := range w.opt.Meta {
		if m.Name == "qpimage version" {
			continue
		}
		if err := a.Set(m.Name, m.Value); err != nil {
			return err
		}
	}
	for _, m := range []imagedata.Attr{
		{Name: "qpimage version", Value: meta.QPImageVersion},
		{Name: AttrVersion, Value: int64(Version)},
		{Name: AttrWhichData, Value: "phase,amplitude"},
		{Name: AttrSWMR, Value: w.opt.SWMR},
	} {
		if err := a.Set(m.Name, m.Value); err != nil {
			return err
		}
	}
	if err := w.f.Flush(); err != nil {
		return err
	}
	if w.opt.SWMR {
		return w.f.StartSWMRWrite()
	}
	return nil
}

// Path is the file path.
func (w *Writer) Path() string { return w.path }

// Shape is the frame shape.
func (w *Writer) Shape() (rows, cols int) { return w.rows, w.cols }

// Len is the number of frames written.
func (w *Writer) Len() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.n
}

// Append writes one frame: pha and, if not nil, amp (rows×cols each,
// row-major; nil amp stores ones) with its acquisition time. It returns the
// frame's index once the frame is flushed to the file; only then does the
// frame count as written.
func (w *Writer) Append(pha, amp []float64, time float64) (int, error) {
	n := w.rows * w.cols
	if len(pha) != n {
		return -1, qperr.New(qperr.BadArgument, "phase has %d values, the frame shape %dx%d needs %d", len(pha), w.rows, w.cols, n)
	}
	if amp != nil && len(amp) != n {
		return -1, qperr.New(qperr.BadArgument, "amplitude has %d values, the frame shape %dx%d needs %d", len(amp), w.rows, w.cols, n)
	}
	src := SourcePhase
	if amp != nil {
		src = SourcePhaseAmplitude
	}
	if w.opt.ProcPhase {
		var err error
		if pha, err = unwrap.ProcessPhase(pha, w.rows, w.cols); err != nil {
			return -1, err
		}
	}
	return w.write(pha, amp, time, src)
}

// AppendHologram converts a rows×cols off-axis hologram as QPImage does
// for which_data "raw-oah" with proc_phase=True (qpretrieve's
// OffAxisHologram with the options kw, see holo.ParseOAHOptions; then phase
// unwrapping and border-offset removal) and appends the phase and amplitude.
// The conversion runs before the writer's lock is taken, so several
// goroutines may convert concurrently.
func (w *Writer) AppendHologram(data []float64, time float64, kw map[string]any) (int, error) {
	pha, amp, err := ConvertHologram(data, w.rows, w.cols, kw)
	if err != nil {
		return -1, err
	}
	return w.write(pha, amp, time, SourceHologram)
}

// ConvertHologram is the conversion of AppendHologram: phase (processed)
// and amplitude of the field retrieved from a rows×cols off-axis hologram.
func ConvertHologram(data []float64, rows, cols int, kw map[string]any) (pha, amp []float64, err error) {
	if len(data) != rows*cols {
		return nil, nil, qperr.New(qperr.BadArgument, "hologram has %d values, the frame shape %dx%d needs %d", len(data), rows, cols, rows*cols)
	}
	opt, err := holo.ParseOAHOptions(kw)
	if err != nil {
		return nil, nil, err
	}
	field, fr, fc, err := holo.OffAxis(data, rows, cols, opt)
	if err != nil {
		return nil, nil, err
	}
	if fr != rows || fc != cols {
		return nil, nil, qperr.New(qperr.Unsupported, "the retrieved field is %dx%d, not the frame shape %dx%d", fr, fc, rows, cols)
	}
	amp = make([]float64, len(field))
	pha = make([]float64, len(field))
	for i, c := range field {
		amp[i] = math.Hypot(real(c), imag(c))
		pha[i] = math.Atan2(imag(c), real(c))
	}
	pha, err = unwrap.ProcessPhase(pha, rows, cols)
	return pha, amp, err
}

var errWriterClosed = qperr.New(qperr.BadArgument, "the stream writer is closed")

// encoded is a frame ready to be stored: float32 rows, or with
// compression the chunks already shuffled and deflated (in parallel, before
// the writer's lock is taken, so that compression does not serialise with
// the file writes of the previous frame).
type encoded struct {
	pha, amp         []float32
	phaChunk, ampChk []byte
}

func (w *Writer) encode(pha, amp []float64) (*encoded, error) {
	e := &encoded{pha: toFloat32(pha)}
	if amp != nil {
		e.amp = toFloat32(amp)
	}
	if w.level == 0 {
		return e, nil
	}
	waitA := func() error { return nil }
	if e.amp != nil {
		waitA = par.Go(func() (err error) {
			e.ampChk, err = encodeChunk(e.amp, w.level)
			return err
		})
	}
	var err error
	e.phaChunk, err = h5.EncodeShuffleDeflate(e.pha, w.level)
	if errA := waitA(); err == nil {
		err = errA
	}
	return e, err
}

// encodeChunk compresses the amplitude in its own goroutine (a variable so
// that tests can make it panic).
var encodeChunk = h5.EncodeShuffleDeflate

func toFloat32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

func (w *Writer) write(pha, amp []float64, time float64, src Source) (int, error) {
	e, err := w.encode(pha, amp)
	if err != nil {
		return -1, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return -1, errWriterClosed
	}
	if w.failed != nil {
		return -1, qperr.Wrap(qperr.IO, w.failed, "the stream writer stopped after a failed append")
	}
	idx, err := w.writeLocked(e, time, src)
	if err != nil {
		// Some datasets may have grown and others not: the file stays
		// readable (readers see the smallest extent), but no later frame
		// could be aligned, so the writer refuses further frames.
		w.failed = err
	}
	return idx, err
}

func (w *Writer) appendFrame(ds string, rows []float32, chunk []byte) error {
	var err error
	if chunk != nil {
		_, err = w.root.AppendChunk(ds, chunk, 0)
	} else {
		_, err = w.root.AppendRow(ds, rows)
	}
	return err
}

func (w *Writer) writeLocked(e *encoded, time float64, src Source) (int, error) {
	if err := w.appendFrame(DSPhase, e.pha, e.phaChunk); err != nil {
		return -1, err
	}
	if e.amp == nil { // amplitude of ones, encoded once
		e.amp = make([]float32, len(e.pha))
		for i := range e.amp {
			e.amp[i] = 1
		}
		if w.level > 0 {
			if w.onesChunk == nil {
				c, err := h5.EncodeShuffleDeflate(e.amp, w.level)
				if err != nil {
					return -1, err
				}
				w.onesChunk = c
			}
			e.ampChk = w.onesChunk
		}
	}
	if err := w.appendFrame(DSAmplitude, e.amp, e.ampChk); err != nil {
		return -1, err
	}
	if _, err := w.root.AppendRow(DSSource, []int8{int8(src)}); err != nil {
		return -1, err
	}
	// The frame data are flushed before /time grows, so a reader that sees
	// the new time has all of the frame. Without SWMR that must be a file
	// flush: H5Dflush leaves the superblock's end of allocation behind, and
	// a process killed before the final flush then left /time naming a
	// frame whose new chunks lie past that end (unreadable on reopen; seen
	// once in the kill test).
	if w.opt.SWMR {
		for _, ds := range []string{DSPhase, DSAmplitude, DSSource} {
			if err := w.root.FlushDataset(ds); err != nil {
				return -1, err
			}
		}
	} else if err := w.f.Flush(); err != nil {
		return -1, err
	}
	if _, err := w.root.AppendRow(DSTime, []float64{time}); err != nil {
		return -1, err
	}
	if err := w.root.FlushDataset(DSTime); err != nil {
		return -1, err
	}
	if err := w.f.Flush(); err != nil {
		return -1, err
	}
	idx := w.n
	w.n++
	return idx, nil
}

// Close flushes and closes the file (in SWMR mode this also clears the
// superblock status flags, so any HDF5 reader opens it). Closing twice is
// a no-op.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	return w.f.Close()
}
