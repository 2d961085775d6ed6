package npy

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"qpgo/internal/dtype"
	"qpgo/internal/limits"
)

// Whole-buffer decoding and encoding (npz members): besides the numeric
// arrays of Read/Write, NumPy string arrays ('|S6' bytes, '<U4' unicode:
// Data []string, DType "S6"/"U4") and a single-copy path for the
// little-endian C-order numeric arrays frame caches are made of.

var (
	reStrDescr = regexp.MustCompile(`'descr'\s*:\s*'([<>|=]?)([SU])(\d+)'`)
	reNumDescr = regexp.MustCompile(`'descr'\s*:\s*'([<|])([uif])([1248])'`)
	reFortranF = regexp.MustCompile(`'fortran_order'\s*:\s*False`)
)

// AliasMin is the data size from which Decode returns a view of b instead
// of a copy.
const AliasMin = 1 << 20

// Decode decodes one .npy array held in b. Numeric arrays of AliasMin
// bytes or more in the host's order may alias b (the caller hands b over).
func Decode(b []byte) (*Array, error) { return DecodeWithin(b, 0) }

// DecodeWithin is Decode within budget (a per-open budget; 0: the
// process-wide one).
func DecodeWithin(b []byte, budget limits.Budget) (*Array, error) {
	if len(b) < 10 || string(b[:6]) != "\x93NUMPY" {
		return nil, fmt.Errorf("not a .npy array (bad magic)")
	}
	var hlen, off int
	switch b[6] {
	case 1:
		hlen, off = int(binary.LittleEndian.Uint16(b[8:10])), 10
	case 2, 3:
		if len(b) < 12 {
			return nil, fmt.Errorf("truncated .npy header")
		}
		hlen, off = int(binary.LittleEndian.Uint32(b[8:12])), 12
	default:
		return nil, fmt.Errorf("unsupported .npy version %d", b[6])
	}
	if off+hlen > len(b) {
		return nil, fmt.Errorf("truncated .npy header")
	}
	hdr := string(b[off : off+hlen])
	m := reStrDescr.FindStringSubmatch(hdr)
	if m == nil {
		if a, ok := decodeFast(hdr, b[off+hlen:]); ok {
			return a, nil
		}
		return ReadWithin(bytes.NewReader(b), budget)
	}
	size, _ := strconv.Atoi(m[3])
	shape, err := shapeOf(hdr)
	if err != nil {
		return nil, err
	}
	n64, ok := limits.Elements(shape)
	item := size
	if m[2] == "U" {
		item = 4 * size
	}
	raw := b[off+hlen:]
	if !ok || item < 0 || int64(len(raw)) < limits.Mul(n64, int64(item)) {
		return nil, fmt.Errorf("truncated .npy string data")
	}
	// each element costs a string header even when the item size is 0
	if err := budget.Check(fmt.Sprintf("npy string array of shape %v", shape), limits.Mul(n64, 16), -1); err != nil {
		return nil, err
	}
	n := int(n64)
	out := make([]string, n)
	for i := range out {
		e := raw[i*item : (i+1)*item]
		if m[2] == "S" {
			out[i] = strings.TrimRight(string(e), "\x00")
			continue
		}
		var sb strings.Builder
		for k := 0; k < size; k++ {
			var r uint32
			if m[1] == ">" {
				r = binary.BigEndian.Uint32(e[4*k:])
			} else {
				r = binary.LittleEndian.Uint32(e[4*k:])
			}
			if r == 0 {
				break
			}
			sb.WriteRune(rune(r))
		}
		out[i] = sb.String()
	}
	return &Array{Shape: shape, DType: m[2] + m[3], Data: out}, nil
}

func shapeOf(hdr string) ([]int, error) {
	s := reShape.FindStringSubmatch(hdr)
	if s == nil {
		return nil, fmt.Errorf("npy header has no shape")
	}
	shape := []int{}
	for _, p := range strings.Split(s[1], ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return nil, fmt.Errorf("bad npy shape entry %q", p)
		}
		shape = append(shape, v)
	}
	return shape, nil
}

// SimpleHeader reports whether an npy header describes a little-endian
// C-order integer or float array that Decode reads by one copy on this
// host, and its element type and shape (issue 18: large frame-cache
// metadata members are described from their header and read on access).
func SimpleHeader(hdr string) (dtype.DType, []int, bool) {
	if !dtype.LittleEndianHost {
		return 0, nil, false
	}
	m := reNumDescr.FindStringSubmatch(hdr)
	if m == nil || !reFortranF.MatchString(hdr) {
		return 0, nil, false
	}
	dt, _, err := dtype.Parse(m[2] + m[3])
	if err != nil || (m[2] == "f" && m[3] != "4" && m[3] != "8") {
		return 0, nil, false
	}
	shape, err := shapeOf(hdr)
	if err != nil {
		return 0, nil, false
	}
	return dt, shape, true
}

// decodeFast decodes little-endian C-order integer/float arrays by a
// single copy (or none, from AliasMin bytes); ok false leaves everything
// else to Read.
func decodeFast(hdr string, raw []byte) (*Array, bool) {
	if !dtype.LittleEndianHost {
		return nil, false
	}
	m := reNumDescr.FindStringSubmatch(hdr)
	if m == nil || !reFortranF.MatchString(hdr) {
		return nil, false
	}
	dt, _, err := dtype.Parse(m[2] + m[3])
	if err != nil || (m[2] == "f" && m[3] != "4" && m[3] != "8") {
		return nil, false
	}
	shape, err := shapeOf(hdr)
	if err != nil {
		return nil, false
	}
	n64, ok := limits.Elements(shape)
	if !ok || int64(len(raw)) < limits.Mul(n64, int64(dt.Size())) {
		return nil, false
	}
	n := int(n64)
	if n*dt.Size() >= AliasMin && uintptr(unsafe.Pointer(&raw[0]))%uintptr(dt.Size()) == 0 {
		// large members view the member's buffer (read fresh for this
		// member and referenced nowhere else) instead of a second copy
		return &Array{Shape: shape, DType: dt.Code(), Data: dtype.View(dt, unsafe.Pointer(&raw[0]), n)}, true
	}
	data := dtype.Make(dt, n)
	copy(dtype.Bytes(data), raw[:n*dt.Size()])
	return &Array{Shape: shape, DType: dt.Code(), Data: data}, true
}

// Encode serialises an array (numeric, bool or string) as NumPy's np.save
// writes it.
func Encode(a *Array) ([]byte, error) {
	if strs, ok := a.Data.([]string); ok {
		kind := "U"
		if strings.HasPrefix(a.DType, "S") {
			kind = "S"
		}
		width := 1
		for _, s := range strs {
			l := len(s)
			if kind == "U" {
				l = utf8.RuneCountInString(s)
			}
			width = max(width, l)
		}
		if len(a.DType) > 1 {
			if w, err := strconv.Atoi(a.DType[1:]); err == nil && w > width {
				width = w
			}
		}
		descr := "<U" + strconv.Itoa(width)
		if kind == "S" {
			descr = "|S" + strconv.Itoa(width)
		}
		b := headerDescr(descr, a.Shape)
		for _, s := range strs {
			if kind == "S" {
				b = append(b, s...)
				b = append(b, make([]byte, width-len(s))...)
				continue
			}
			k := 0
			for _, r := range s {
				b = binary.LittleEndian.AppendUint32(b, uint32(r))
				k++
			}
			b = append(b, make([]byte, 4*(width-k))...)
		}
		return b, nil
	}
	if b, ok := encodeRaw(a); ok {
		return b, nil
	}
	var buf bytes.Buffer
	if err := Write(&buf, a); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// encodeRaw is Write for numeric slices on a little-endian host: the
// header and one copy of the slice's memory.
func encodeRaw(a *Array) ([]byte, bool) {
	d := dtype.Of(a.Data)
	if !dtype.LittleEndianHost || !d.Valid() || d == dtype.Bool {
		return nil, false
	}
	n := 1
	for _, s := range a.Shape {
		n *= s
	}
	if dtype.Len(a.Data) != n {
		return nil, false
	}
	h := Header(d.Code(), a.Shape)
	raw := dtype.Bytes(a.Data)
	out := make([]byte, len(h)+len(raw))
	copy(out, h)
	copy(out[len(h):], raw)
	return out, true
}
