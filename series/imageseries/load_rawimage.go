package imageseries

import (
	"encoding/binary"
	"os"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"qpgo/core/qperr"
)

func init() {
	Register("raw-image", func(name string, _ Options) (ImageSeries, error) { return OpenRawImage(name) }, nil, OptionKeys{Open: []string{}})
}

// RawImage is the "raw-image" adapter: equally sized frames after a header
// in one binary file, described by YAML (§2.6). Frames are read on demand
// with ReadAt (no lock needed).
type RawImage struct {
	f          *os.File
	n          int
	rows, cols int
	dt         DType
	order      binary.ByteOrder
	skip       int64
}

// OpenRawImage opens a raw-image YAML file. The data file name resolves
// against the working directory, as upstream.
func OpenRawImage(name string) (_ *RawImage, err error) {
	defer func() { err = qperr.Named(err, name) }() // every message is ours
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, qperr.Wrap(qperr.IO, err, "%v", err)
	}
	var y struct {
		Filename string `yaml:"filename"`
		Shape    string `yaml:"shape"`
		Skip     int64  `yaml:"skip"`
		Scalar   struct {
			Type   string `yaml:"type"`
			Bytes  int    `yaml:"bytes"`
			Signed bool   `yaml:"signed"`
			Endian string `yaml:"endian"`
		} `yaml:"scalar"`
	}
	if err := yaml.Unmarshal(b, &y); err != nil {
		return nil, qperr.Wrap(qperr.BadArgument, err, "raw-image YAML: %v", err)
	}
	dims := strings.Fields(y.Shape)
	if len(dims) != 2 {
		return nil, qperr.New(qperr.BadArgument, "raw-image shape must be 'rows cols', got %q", y.Shape)
	}
	rows, err1 := strconv.Atoi(dims[0])
	cols, err2 := strconv.Atoi(dims[1])
	if err1 != nil || err2 != nil || rows <= 0 || cols <= 0 {
		return nil, qperr.New(qperr.BadArgument, "raw-image shape must be two positive integers, got %q", y.Shape)
	}
	dt, err := rawDType(y.Scalar.Type, y.Scalar.Bytes, y.Scalar.Signed)
	if err != nil {
		return nil, err
	}
	var bo binary.ByteOrder
	switch y.Scalar.Endian {
	case "little":
		bo = binary.LittleEndian
	case "big":
		bo = binary.BigEndian
	default:
		return nil, qperr.New(qperr.BadArgument, "endian must be 'little' or 'big', got %q", y.Scalar.Endian)
	}
	if y.Skip < 0 {
		return nil, qperr.New(qperr.BadArgument, "raw-image skip must not be negative")
	}
	f, err := os.Open(y.Filename)
	if err != nil {
		return nil, qperr.Wrap(qperr.IO, err, "%v", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, qperr.Wrap(qperr.IO, err, "%v", err)
	}
	fb := int64(rows) * int64(cols) * int64(dt.Size())
	if st.Size()%fb != y.Skip || st.Size() < y.Skip {
		f.Close()
		return nil, qperr.New(qperr.BadArgument, "Total number of bytes (%d) does not match the frame size (%d) plus the header (%d)", st.Size(), fb, y.Skip)
	}
	return &RawImage{f: f, n: int((st.Size() - y.Skip) / fb), rows: rows, cols: cols, dt: dt, order: bo, skip: y.Skip}, nil
}

// rawDType maps the YAML scalar description to a dtype. bytes: 8 is 8 bytes
// on every platform (I10). type b (bool) is read as uint8 0/1.
func rawDType(typ string, nbytes int, signed bool) (DType, error) {
	switch typ {
	case "f":
		return Float32, nil
	case "d":
		return Float64, nil
	case "b":
		return Uint8, nil
	case "i":
		m := map[int][2]DType{1: {Uint8, Int8}, 2: {Uint16, Int16}, 4: {Uint32, Int32}, 8: {Uint64, Int64}}
		p, ok := m[nbytes]
		if !ok {
			return Invalid, qperr.New(qperr.BadArgument, "raw-image integer bytes must be 1, 2, 4 or 8, got %d", nbytes)
		}
		if signed {
			return p[1], nil
		}
		return p[0], nil
	}
	return Invalid, qperr.New(qperr.BadArgument, "raw-image scalar type must be i, f, d or b, got %q", typ)
}

// Close closes the data file.
func (s *RawImage) Close() error { return s.f.Close() }

// Len is the number of frames.
func (s *RawImage) Len() int { return s.n }

// Shape is [rows, cols].
func (s *RawImage) Shape() []int { return []int{s.rows, s.cols} }

// DType is the value type; the file's byte order is ByteOrder.
func (s *RawImage) DType() DType { return s.dt }

// ByteOrder is the byte order of the file (frames are returned as values).
func (s *RawImage) ByteOrder() binary.ByteOrder { return s.order }

// Metadata is always empty.
func (s *RawImage) Metadata() Metadata { return Metadata{} }

// Frame reads frame i at skip + i*frame_bytes.
func (s *RawImage) Frame(i int) (Frame, error) { return s.Region(i, Rect{0, s.rows, 0, s.cols}) }

// Region reads only the rows of the rectangle.
func (s *RawImage) Region(i int, r Rect) (Frame, error) {
	i, err := normIndex(i, s.n)
	if err != nil {
		return Frame{}, err
	}
	c := r.clip(s.rows, s.cols)
	nr := max(c.R1-c.R0, 0)
	es := int64(s.dt.Size())
	raw := make([]byte, int64(nr)*int64(s.cols)*es)
	off := s.skip + (int64(i)*int64(s.rows)+int64(c.R0))*int64(s.cols)*es
	if _, err := s.f.ReadAt(raw, off); err != nil {
		return Frame{}, qperr.Wrap(qperr.IO, err, "raw-image frame %d: %v", i, err)
	}
	band := Frame{nr, s.cols, decodeRaw(raw, s.dt, s.order, nr*s.cols)}
	if c.C0 == 0 && c.C1 == s.cols {
		return band, nil
	}
	return band.Sub(Rect{0, nr, c.C0, c.C1}), nil
}
