package imageseries

import (
	"bytes"
	"encoding/binary"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"qpgo/core/qperr"
)

// imageFile is one detector image file as fabio sees it: a header read at
// open and frames read on demand.
type imageFile struct {
	name       string
	class      string // fabio class name: TifImage, EdfImage, GeImage
	nframes    int
	rows, cols int
	dt         DType
	order      binary.ByteOrder
	offsets    []int64 // byte offset of each frame
	gel        bool
	// external reads frame k of a file of another format
	// (ExternalImageReader); nil for the formats decoded here
	external func(k int) (Frame, error)
}

func openImageFile(name string) (*imageFile, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, qperr.Wrap(qperr.IO, err, "%v", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, qperr.Wrap(qperr.IO, err, "%v", err)
	}
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	ext := strings.ToLower(filepath.Ext(name))
	var im *imageFile
	switch {
	case bytes.HasPrefix(head, []byte("II*\x00")) || bytes.HasPrefix(head, []byte("MM\x00*")):
		im, err = openTIFF(f, st.Size())
	case bytes.HasPrefix(head, []byte("ADEPT")) || strings.HasPrefix(ext, ".ge"):
		im, err = openGE(f, st.Size())
	case bytes.HasPrefix(bytes.TrimLeft(head, " \r\n\t"), []byte("{")):
		im, err = openEDF(f, st.Size())
	default:
		if im, err = openExternal(name); im == nil && err == nil {
			return nil, qperr.New(qperr.Unsupported, "%s: unsupported image file format", name)
		}
	}
	if err != nil {
		return nil, qperr.Wrap(qperr.KindOf(err), err, "%s: %v", name, err)
	}
	im.name = name
	im.gel = ext == ".gel"
	return im, nil
}

// frameDType is the dtype of frames after the .gel conversion.
func (im *imageFile) frameDType() DType {
	if im.gel {
		return Float64
	}
	return im.dt
}

func (im *imageFile) readFrame(k int) (Frame, error) {
	if im.external != nil {
		fr, err := im.external(k)
		if err != nil || !im.gel {
			return fr, err
		}
		return gelFrame(fr), nil
	}
	if k < 0 || k >= len(im.offsets) {
		return Frame{}, qperr.New(qperr.NotFound, "%s: frame %d out of range (%d frames)", im.name, k, len(im.offsets))
	}
	f, err := os.Open(im.name)
	if err != nil {
		return Frame{}, qperr.Wrap(qperr.IO, err, "%v", err)
	}
	defer f.Close()
	np := im.rows * im.cols
	raw := make([]byte, np*im.dt.Size())
	if _, err := f.ReadAt(raw, im.offsets[k]); err != nil {
		return Frame{}, qperr.Wrap(qperr.IO, err, "%s: reading frame %d: %v", im.name, k, err)
	}
	fr := Frame{im.rows, im.cols, decodeRaw(raw, im.dt, im.order, np)}
	if im.gel {
		fr = gelFrame(fr)
	}
	return fr, nil
}

// gelFrame is hexrd's _process_gel_data: float64(~raw)**2 * GEL_SCALE_FACTOR.
func gelFrame(fr Frame) Frame {
	inv := castTo(invertBits(fr.Data), Float64).([]float64)
	for i, v := range inv {
		inv[i] = v * v * 2.9452155399372724e-07
	}
	fr.Data = inv
	return fr
}

func invertBits(data any) any {
	switch v := data.(type) {
	case []uint8:
		for i := range v {
			v[i] = ^v[i]
		}
	case []uint16:
		for i := range v {
			v[i] = ^v[i]
		}
	case []int16:
		for i := range v {
			v[i] = ^v[i]
		}
	case []uint32:
		for i := range v {
			v[i] = ^v[i]
		}
	case []int32:
		for i := range v {
			v[i] = ^v[i]
		}
	}
	return data
}

// decodeRaw decodes n values of type dt.
func decodeRaw(raw []byte, dt DType, bo binary.ByteOrder, n int) any {
	switch dt {
	case Uint8:
		return append([]uint8(nil), raw[:n]...)
	case Int8:
		out := make([]int8, n)
		for i := range out {
			out[i] = int8(raw[i])
		}
		return out
	case Uint16:
		out := make([]uint16, n)
		for i := range out {
			out[i] = bo.Uint16(raw[2*i:])
		}
		return out
	case Int16:
		out := make([]int16, n)
		for i := range out {
			out[i] = int16(bo.Uint16(raw[2*i:]))
		}
		return out
	case Uint32:
		out := make([]uint32, n)
		for i := range out {
			out[i] = bo.Uint32(raw[4*i:])
		}
		return out
	case Int32:
		out := make([]int32, n)
		for i := range out {
			out[i] = int32(bo.Uint32(raw[4*i:]))
		}
		return out
	case Uint64:
		out := make([]uint64, n)
		for i := range out {
			out[i] = bo.Uint64(raw[8*i:])
		}
		return out
	case Int64:
		out := make([]int64, n)
		for i := range out {
			out[i] = int64(bo.Uint64(raw[8*i:]))
		}
		return out
	case Float32:
		out := make([]float32, n)
		for i := range out {
			out[i] = math.Float32frombits(bo.Uint32(raw[4*i:]))
		}
		return out
	case Float64:
		out := make([]float64, n)
		for i := range out {
			out[i] = math.Float64frombits(bo.Uint64(raw[8*i:]))
		}
		return out
	}
	return nil
}

func checkFrames(im *imageFile, size int64) error {
	fb := int64(im.rows) * int64(im.cols) * int64(im.dt.Size())
	for k, off := range im.offsets {
		if off < 0 || off+fb > size {
			return qperr.New(qperr.IO, "frame %d extends past the end of the file", k)
		}
	}
	im.nframes = len(im.offsets)
	return nil
}

// ---- TIFF: baseline, uncompressed, one grey sample per pixel, one frame
// per IFD.

func openTIFF(f *os.File, size int64) (*imageFile, error) {
	if size > 1<<31 {
		return nil, qperr.New(qperr.Unsupported, "TIFF larger than 2 GiB")
	}
	b := make([]byte, size)
	if _, err := f.ReadAt(b, 0); err != nil {
		return nil, qperr.Wrap(qperr.IO, err, "%v", err)
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if b[0] == 'M' {
		bo = binary.BigEndian
	}
	im := &imageFile{class: "TifImage", order: bo}
	ifd := int64(bo.Uint32(b[4:8]))
	for ifd != 0 && len(im.offsets) < 1<<16 {
		if ifd+2 > size {
			return nil, qperr.New(qperr.IO, "truncated TIFF directory")
		}
		nent := int64(bo.Uint16(b[ifd:]))
		if ifd+2+12*nent+4 > size {
			return nil, qperr.New(qperr.IO, "truncated TIFF directory")
		}
		tags := map[uint16][]int64{}
		for e := int64(0); e < nent; e++ {
			p := b[ifd+2+12*e:]
			tag, typ, cnt := bo.Uint16(p), bo.Uint16(p[2:]), int64(bo.Uint32(p[4:]))
			var sz int64
			switch typ {
			case 3:
				sz = 2
			case 4:
				sz = 4
			default:
				continue // only SHORT/LONG tags matter here
			}
			if cnt < 0 || cnt > 1<<20 {
				return nil, qperr.New(qperr.IO, "bad TIFF tag count")
			}
			data := p[8:12]
			if sz*cnt > 4 {
				off := int64(bo.Uint32(p[8:]))
				if off < 0 || off+sz*cnt > size {
					return nil, qperr.New(qperr.IO, "TIFF tag data out of range")
				}
				data = b[off : off+sz*cnt]
			}
			vals := make([]int64, cnt)
			for k := range vals {
				if sz == 2 {
					vals[k] = int64(bo.Uint16(data[2*k:]))
				} else {
					vals[k] = int64(bo.Uint32(data[4*k:]))
				}
			}
			tags[tag] = vals
		}
		one := func(tag uint16, def int64) int64 {
			if v := tags[tag]; len(v) > 0 {
				return v[0]
			}
			return def
		}
		cols, rows := int(one(256, 0)), int(one(257, 0))
		bits, comp, spp, sfmt := one(258, 1), one(259, 1), one(277, 1), one(339, 1)
		if comp != 1 {
			return nil, qperr.New(qperr.Unsupported, "compressed TIFF (compression %d) is not supported", comp)
		}
		if spp != 1 {
			return nil, qperr.New(qperr.Unsupported, "TIFF with %d samples per pixel is not supported", spp)
		}
		var dt DType
		switch {
		case sfmt == 3 && bits == 32:
			dt = Float32
		case sfmt == 3 && bits == 64:
			dt = Float64
		case sfmt == 2 && bits == 8:
			dt = Int8
		case sfmt == 2 && bits == 16:
			dt = Int16
		case sfmt == 2 && bits == 32:
			dt = Int32
		case sfmt != 3 && bits == 8:
			dt = Uint8
		case sfmt != 3 && bits == 16:
			dt = Uint16
		case sfmt != 3 && bits == 32:
			dt = Uint32
		default:
			return nil, qperr.New(qperr.Unsupported, "TIFF with %d bits per sample (format %d) is not supported", bits, sfmt)
		}
		offs, counts := tags[273], tags[279]
		if rows <= 0 || cols <= 0 || len(offs) == 0 {
			return nil, qperr.New(qperr.IO, "TIFF without image size or strips")
		}
		if len(im.offsets) == 0 {
			im.rows, im.cols, im.dt = rows, cols, dt
		} else if rows != im.rows || cols != im.cols || dt != im.dt {
			break // later pages of another geometry are not frames of this image
		}
		// Strips must be contiguous for the frame to be read in one piece.
		rowBytes := int64(cols) * int64(dt.Size())
		rps := one(278, int64(rows))
		for s := 1; s < len(offs); s++ {
			if offs[s] != offs[0]+int64(s)*rps*rowBytes {
				return nil, qperr.New(qperr.Unsupported, "TIFF with non-contiguous strips is not supported")
			}
		}
		_ = counts
		im.offsets = append(im.offsets, offs[0])
		ifd = int64(bo.Uint32(b[ifd+2+12*nent:]))
		if ifd >= size {
			break
		}
	}
	return im, checkFrames(im, size)
}

// ---- GE (fabio GeImage): 8192-byte "ADEPT" header, little-endian uint16
// frames.

func openGE(f *os.File, size int64) (*imageFile, error) {
	h := make([]byte, 30)
	if _, err := f.ReadAt(h, 0); err != nil {
		return nil, qperr.Wrap(qperr.IO, err, "GE header: %v", err)
	}
	le := binary.LittleEndian
	hsize := int64(le.Uint32(h[12:])) + int64(le.Uint32(h[18:]))
	rows, cols, bits := int(le.Uint16(h[24:])), int(le.Uint16(h[26:])), int(le.Uint16(h[28:]))
	if !bytes.HasPrefix(h, []byte("ADEPT")) || hsize <= 0 {
		hsize = 8192
	}
	if rows == 0 || cols == 0 {
		rows, cols = 2048, 2048
	}
	if bits != 0 && bits != 16 {
		return nil, qperr.New(qperr.Unsupported, "GE file with %d bits per pixel", bits)
	}
	im := &imageFile{class: "GeImage", rows: rows, cols: cols, dt: Uint16, order: le}
	fb := int64(rows * cols * 2)
	for off := hsize; off+fb <= size; off += fb {
		im.offsets = append(im.offsets, off)
	}
	if len(im.offsets) == 0 {
		return nil, qperr.New(qperr.IO, "GE file has no complete frame")
	}
	return im, checkFrames(im, size)
}

// ---- EDF (ESRF data format): ASCII "{ key = value ; }" header blocks, each
// followed by its binary data; several blocks are several frames.

var edfTypes = map[string]DType{
	"unsignedbyte": Uint8, "signedbyte": Int8, "unsignedshort": Uint16, "signedshort": Int16,
	"unsignedinteger": Uint32, "signedinteger": Int32, "unsignedlong": Uint32, "signedlong": Int32,
	"unsigned64": Uint64, "signed64": Int64, "floatvalue": Float32, "float": Float32,
	"doublevalue": Float64, "double": Float64, "unsignedint": Uint32, "signedint": Int32,
}

func openEDF(f *os.File, size int64) (*imageFile, error) {
	im := &imageFile{class: "EdfImage"}
	pos := int64(0)
	buf := make([]byte, 512)
	for pos < size {
		// read header blocks of 512 bytes until the closing brace
		var hdr []byte
		start := pos
		for {
			n, err := f.ReadAt(buf, pos)
			if n == 0 {
				if len(im.offsets) > 0 {
					return im, checkFrames(im, size)
				}
				return nil, qperr.Wrap(qperr.IO, err, "truncated EDF header")
			}
			hdr = append(hdr, buf[:n]...)
			if i := bytes.IndexByte(hdr, '}'); i >= 0 {
				// data starts after "}\n", rounded to the 512-byte block
				end := start + int64(i) + 1
				if end < size {
					var c [1]byte
					if _, err := f.ReadAt(c[:], end); err == nil && c[0] == '\n' {
						end++
					}
				}
				hdr = hdr[:i]
				pos = end
				break
			}
			pos += int64(n)
			if len(hdr) > 1<<20 {
				return nil, qperr.New(qperr.IO, "EDF header too long")
			}
		}
		kv := map[string]string{}
		for _, item := range strings.Split(string(hdr), ";") {
			item = strings.Trim(item, " \r\n\t{")
			if k, v, ok := strings.Cut(item, "="); ok {
				kv[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
			}
		}
		cols, _ := strconv.Atoi(kv["dim_1"])
		rows, _ := strconv.Atoi(kv["dim_2"])
		if rows == 0 {
			rows = 1
		}
		dt, ok := edfTypes[strings.ToLower(kv["datatype"])]
		if !ok || cols <= 0 || rows < 0 {
			return nil, qperr.New(qperr.Unsupported, "EDF data type %q / shape (%s, %s) not supported", kv["datatype"], kv["dim_2"], kv["dim_1"])
		}
		if c := kv["compression"]; c != "" && !strings.EqualFold(c, "none") && !strings.EqualFold(c, "no") {
			return nil, qperr.New(qperr.Unsupported, "compressed EDF (%s) is not supported", c)
		}
		var bo binary.ByteOrder = binary.LittleEndian
		if strings.EqualFold(kv["byteorder"], "HighByteFirst") {
			bo = binary.BigEndian
		}
		if len(im.offsets) == 0 {
			im.rows, im.cols, im.dt, im.order = rows, cols, dt, bo
		} else if rows != im.rows || cols != im.cols || dt != im.dt {
			return nil, qperr.New(qperr.Unsupported, "EDF frames of different shapes or types")
		}
		nbytes := int64(rows * cols * dt.Size())
		if s, err := strconv.ParseInt(kv["size"], 10, 64); err == nil && s > 0 {
			nbytes = s
		} else if s, err := strconv.ParseInt(kv["edf_binarysize"], 10, 64); err == nil && s > 0 {
			nbytes = s
		}
		im.offsets = append(im.offsets, pos)
		pos += nbytes
		// skip padding/whitespace up to the next header
		for pos < size {
			var c [1]byte
			if _, err := f.ReadAt(c[:], pos); err != nil || c[0] == '{' {
				break
			}
			pos++
		}
	}
	return im, checkFrames(im, size)
}
