package eiger

import (
	"strconv"
	"strings"

	"qpgo/core/h5"
	"qpgo/core/qperr"
	"qpgo/internal/npy"
	ims "qpgo/series/imageseries"
)

// Format names, as hexrd registers them.
const (
	FormatV1 = "eiger-stream-v1"
	FormatV2 = "eiger-stream-v2"
)

// ThresholdSettings are the values of the v2 option threshold_setting.
var ThresholdSettings = []string{"threshold_1", "threshold_2", "man_diff"}

func init() {
	ims.Register(FormatV1, func(name string, _ ims.Options) (ims.ImageSeries, error) {
		return OpenV1(name)
	}, nil, ims.OptionKeys{Open: []string{}})
	ims.Register(FormatV2, openV2Opts, nil, ims.OptionKeys{Open: []string{"threshold_setting", "multiplier"}})
}

// Stream is an Eiger stream file opened as an image series (both
// versions). Frames are decoded on demand; the file stays open until
// Close.
type Stream struct {
	f          *h5.File
	data       *h5.Group
	n          int
	rows, cols int
	dt         ims.DType
	meta       ims.Metadata
	v2         bool
	setting    string
	multiplier float64
}

// OpenV1 opens an Eiger stream v1 file (frame i in /data/<i>).
func OpenV1(name string) (*Stream, error) {
	return open(name, false, "threshold_1", 1)
}

// OpenV2 opens an Eiger stream v2 file (frame i in /data/<i>/<threshold>)
// with the given threshold setting (threshold_1, threshold_2 or man_diff:
// threshold_1 - multiplier*threshold_2 as float64).
func OpenV2(name, setting string, multiplier float64) (*Stream, error) {
	if err := checkSetting(setting); err != nil {
		return nil, err
	}
	return open(name, true, setting, multiplier)
}

func checkSetting(v string) error {
	for _, s := range ThresholdSettings {
		if v == s {
			return nil
		}
	}
	return qperr.New(qperr.BadArgument, "\"%s\" is not one of the possible values for the threshold_setting. Possible values are: %s", v, strings.Join(ThresholdSettings, ", "))
}

func openV2Opts(name string, opts ims.Options) (ims.ImageSeries, error) {
	setting := "threshold_1"
	if v, ok := opts["threshold_setting"]; ok && v != nil {
		s, ok := v.(string)
		if !ok {
			return nil, qperr.New(qperr.BadArgument, "option threshold_setting: expected a string, got %T", v)
		}
		setting = s
	}
	mult := 1.0
	if v, ok := opts["multiplier"]; ok && v != nil {
		switch x := v.(type) {
		case float64:
			mult = x
		case int:
			mult = float64(x)
		case int64:
			mult = float64(x)
		default:
			return nil, qperr.New(qperr.BadArgument, "option multiplier: expected a number, got %T", v)
		}
	}
	return OpenV2(name, setting, mult)
}

func open(name string, v2 bool, setting string, mult float64) (*Stream, error) {
	f, err := h5.Open(name, "r")
	if err != nil {
		return nil, err
	}
	s, err := newStream(f, v2, setting, mult)
	if err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

func newStream(f *h5.File, v2 bool, setting string, mult float64) (*Stream, error) {
	root := f.Root()
	data, err := root.Group("data")
	if err != nil {
		return nil, qperr.New(qperr.NotFound, "Unable to open object (object 'data' doesn't exist)")
	}
	keys, err := data.Keys()
	if err != nil {
		return nil, err
	}
	s := &Stream{f: f, data: data, n: len(keys), v2: v2, setting: setting, multiplier: mult}
	if mg, err := root.Group("metadata"); err == nil {
		if s.meta, err = unwrap(mg, 0); err != nil {
			return nil, err
		}
	} else {
		return nil, qperr.New(qperr.NotFound, "Unable to open object (object 'metadata' doesn't exist)")
	}
	if s.n == 0 {
		return s, nil // zero length: Open reports it
	}
	first, err := s.entry(0, "threshold_1")
	if err != nil {
		return nil, err
	}
	if s.rows, s.cols, s.dt, err = first.layout(); err != nil {
		return nil, err
	}
	if v2 && setting == "man_diff" {
		s.dt = ims.Float64
	}
	return s, nil
}

// Close closes the file.
func (s *Stream) Close() error {
	if s.f != nil && !s.f.Closed() {
		return s.f.Close()
	}
	return nil
}

// Len is the number of frames (entries of /data).
func (s *Stream) Len() int { return s.n }

// Shape is [rows, cols] of the first frame.
func (s *Stream) Shape() []int { return []int{s.rows, s.cols} }

// DType is the first frame's element type (float64 for man_diff).
func (s *Stream) DType() ims.DType { return s.dt }

// Metadata is the /metadata group (datasets as values, subgroups nested).
func (s *Stream) Metadata() ims.Metadata { return s.meta }

// ThresholdSetting and Multiplier are the v2 options.
func (s *Stream) ThresholdSetting() string { return s.setting }
func (s *Stream) Multiplier() float64      { return s.multiplier }

// String is a short summary.
func (s *Stream) String() string {
	v := FormatV1
	if s.v2 {
		v = FormatV2
	}
	return v + " image series: " + s.f.Name() + " (" + strconv.Itoa(s.n) + " frames)"
}

// Frame decodes frame i (negative i counts from the end).
func (s *Stream) Frame(i int) (ims.Frame, error) {
	if i < 0 {
		i += s.n
	}
	if i < 0 || i >= s.n {
		return ims.Frame{}, qperr.New(qperr.NotFound, "index %d out of range for image series of length %d", i, s.n)
	}
	if !s.v2 || s.setting != "man_diff" {
		return s.load(i, s.setting)
	}
	a, err := s.load(i, "threshold_1")
	if err != nil {
		return ims.Frame{}, err
	}
	b, err := s.load(i, "threshold_2")
	if err != nil {
		return ims.Frame{}, err
	}
	x, y := a.Float64(), b.Float64()
	if len(x) != len(y) {
		return ims.Frame{}, qperr.New(qperr.Integrity, "frame %d: threshold_1 and threshold_2 differ in shape", i)
	}
	out := make([]float64, len(x))
	for k := range x {
		out[k] = x[k] - s.multiplier*y[k]
	}
	return ims.Frame{Rows: a.Rows, Cols: a.Cols, Data: out}, nil
}

func (s *Stream) load(i int, threshold string) (ims.Frame, error) {
	e, err := s.entry(i, threshold)
	if err != nil {
		return ims.Frame{}, err
	}
	f, err := e.decode()
	if err != nil {
		return ims.Frame{}, err
	}
	if f.Rows != s.rows || f.Cols != s.cols {
		return ims.Frame{}, qperr.New(qperr.Integrity, "frame %d has shape (%d, %d), the series (%d, %d)", i, f.Rows, f.Cols, s.rows, s.cols)
	}
	if f.DType() != s.dt && s.setting != "man_diff" {
		f = f.AsType(s.dt)
	}
	return f, nil
}

// entry is the group of one frame payload.
type entry struct {
	g    *h5.Group
	path string
}

func (s *Stream) entry(i int, threshold string) (entry, error) {
	p := strconv.Itoa(i)
	if s.v2 {
		p += "/" + threshold
	}
	g, err := s.data.Group(p)
	if err != nil {
		return entry{}, qperr.New(qperr.NotFound, "Unable to open object (object '%s' doesn't exist)", p)
	}
	return entry{g, g.Path()}, nil
}

func (e entry) str(name string) (string, bool, error) {
	if e.g.Kind(name) == h5.NoObject {
		return "", false, nil
	}
	v, err := e.g.ReadString(name)
	return v, true, err
}

func (e entry) ints(name string) ([]int, error) {
	v, _, err := e.g.ReadFloat64(name)
	if err != nil {
		return nil, qperr.New(qperr.IO, "%s/%s: %v", e.path, name, err)
	}
	out := make([]int, len(v))
	for i, x := range v {
		out[i] = int(x)
	}
	return out, nil
}

// layout is the frame shape and element type the entry declares.
func (e entry) layout() (rows, cols int, dt ims.DType, err error) {
	shape, err := e.ints("shape")
	if err != nil {
		return 0, 0, 0, err
	}
	if len(shape) != 2 || shape[0] < 0 || shape[1] < 0 {
		return 0, 0, 0, qperr.New(qperr.Unsupported, "%s: frame shape %v is not 2-d", e.path, shape)
	}
	ds, ok, err := e.str("dtype")
	if err != nil || !ok {
		return 0, 0, 0, qperr.New(qperr.IO, "%s: no dtype", e.path)
	}
	dt, _, err = ims.ParseDType(ds)
	if err != nil {
		return 0, 0, 0, err
	}
	return shape[0], shape[1], dt, nil
}

// decode reads and decodes the entry's payload.
func (e entry) decode() (ims.Frame, error) {
	rows, cols, dt, err := e.layout()
	if err != nil {
		return ims.Frame{}, err
	}
	ds, _, _ := e.str("dtype")
	_, big, _ := ims.ParseDType(ds)
	kind, _, err := e.str("compression_type")
	if err != nil {
		return ims.Frame{}, err
	}
	payload, err := e.g.ReadOpaque("data")
	if err != nil {
		return ims.Frame{}, err
	}
	f := ims.ZeroFrame(rows, cols, dt)
	raw := ims.DataBytes(f.Data)
	switch kind {
	case "":
		if len(payload) != len(raw) {
			return ims.Frame{}, qperr.New(qperr.IO, "%s: %d raw bytes for a frame of %d", e.path, len(payload), len(raw))
		}
		copy(raw, payload)
	case "lz4", "bslz4":
		es, err := e.ints("elem_size")
		if err != nil {
			return ims.Frame{}, err
		}
		if len(es) != 1 {
			return ims.Frame{}, qperr.New(qperr.IO, "%s: elem_size is not a scalar", e.path)
		}
		if err := Decompress(kind, payload, es[0], raw); err != nil {
			return ims.Frame{}, err
		}
	case "csrnpz":
		if err := decodeCSRNPZ(payload, f); err != nil {
			return ims.Frame{}, err
		}
		return f, nil
	default:
		return ims.Frame{}, qperr.New(qperr.BadArgument, "Unsupported compression type: %s", kind)
	}
	if big {
		swap(raw, dt.Size())
	}
	return f, nil
}

// swap reverses the bytes of every element (big-endian payloads).
func swap(b []byte, size int) {
	if size < 2 {
		return
	}
	for i := 0; i+size <= len(b); i += size {
		for l, r := i, i+size-1; l < r; l, r = l+1, r-1 {
			b[l], b[r] = b[r], b[l]
		}
	}
}

// maxDepth bounds the nesting of metadata groups.
const maxDepth = 32

// unwrap reads a group as hexrd's unwrap_h5_to_dict does: subgroups as
// nested maps; string datasets as strings; numeric datasets as arrays
// (0-d for scalars; a 1-element 1-d array as that element, 0-d). Datasets
// of other types (opaque, compound) are skipped.
func unwrap(g *h5.Group, depth int) (ims.Metadata, error) {
	if depth > maxDepth {
		return nil, qperr.New(qperr.IO, "%s: metadata nested too deeply", g.Path())
	}
	keys, err := g.Keys()
	if err != nil {
		return nil, err
	}
	out := ims.Metadata{}
	for _, k := range keys {
		switch g.Kind(k) {
		case h5.GroupKind:
			sub, err := g.Group(k)
			if err != nil {
				return nil, err
			}
			m, err := unwrap(sub, depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = map[string]any(m)
		case h5.DatasetKind:
			info, err := g.DatasetInfo(k)
			if err != nil {
				return nil, err
			}
			if info.DType == h5.Invalid {
				if s, err := g.ReadString(k); err == nil {
					out[k] = s
				}
				continue
			}
			data, shape, err := g.ReadDataset(k)
			if err != nil {
				return nil, err
			}
			if len(shape) == 1 && shape[0] == 1 {
				shape = []int{}
			}
			out[k] = &npy.Array{Shape: shape, DType: npy.DTypeOf(data), Data: data}
		}
	}
	return out, nil
}
