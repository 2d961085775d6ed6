package npy

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"

	"qpgo/core/qperr"
	"qpgo/internal/dtype"
	"qpgo/internal/limits"
)

// Array is an n-dimensional array in C (row-major) order.
//
// Data holds one of []bool, []int8, []uint8, []int16, []uint16, []int32,
// []uint32, []int64, []uint64, []float32, []float64, []complex64,
// []complex128. DType is the NumPy kind and size without byte order, e.g.
// "f8", "u2", "b1", "c16".
type Array struct {
	Shape []int
	DType string
	Data  any
}

// Len is the number of elements.
func (a *Array) Len() int {
	n := 1
	for _, s := range a.Shape {
		n *= s
	}
	return n
}

// ReadFile reads one .npy file.
func ReadFile(path string) (*Array, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(bufio.NewReader(f))
}

var (
	reDescr   = regexp.MustCompile(`'descr'\s*:\s*'([<>|=]?)([a-zA-Z])(\d+)'`)
	reFortran = regexp.MustCompile(`'fortran_order'\s*:\s*(True|False)`)
	reShape   = regexp.MustCompile(`'shape'\s*:\s*\(([^)]*)\)`)
)

// MaxHeaderLen bounds the header so that a corrupt length cannot make Read
// allocate gigabytes.
const MaxHeaderLen = 1 << 20

// readN reads exactly n bytes, growing the buffer as data arrive (so a
// forged size on a short stream costs what the stream holds, not n).
func readN(r io.Reader, n int64) ([]byte, error) {
	const step = 64 << 20
	if n <= step {
		b := make([]byte, n)
		_, err := io.ReadFull(r, b)
		return b, err
	}
	var buf bytes.Buffer
	buf.Grow(step)
	m, err := io.Copy(&buf, io.LimitReader(r, n))
	if err == nil && m < n {
		err = io.ErrUnexpectedEOF
	}
	return buf.Bytes(), err
}

// Read reads one .npy array from r within the process-wide memory budget.
func Read(r io.Reader) (*Array, error) { return ReadWithin(r, 0) }

// ReadWithin reads one .npy array from r within budget (0: the
// process-wide one; a per-open budget otherwise).
func ReadWithin(r io.Reader, budget limits.Budget) (*Array, error) {
	var magic [8]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, fmt.Errorf("npy: reading magic: %w", err)
	}
	if string(magic[:6]) != "\x93NUMPY" {
		return nil, fmt.Errorf("npy: not a .npy stream (bad magic)")
	}
	var hlen int
	switch magic[6] {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, fmt.Errorf("npy: reading header length: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, fmt.Errorf("npy: reading header length: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint32(b[:]))
	default:
		return nil, fmt.Errorf("npy: unsupported format version %d.%d", magic[6], magic[7])
	}
	if hlen > MaxHeaderLen {
		return nil, fmt.Errorf("npy: header length %d too large", hlen)
	}
	hdr := make([]byte, hlen)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, fmt.Errorf("npy: reading header: %w", err)
	}
	order, dtype, shape, fortran, err := parseHeader(string(hdr))
	if err != nil {
		return nil, err
	}
	a := &Array{Shape: shape, DType: dtype}
	size, err := itemSize(dtype)
	if err != nil {
		return nil, err
	}
	n64, ok := limits.Elements(shape)
	if !ok || n64 > math.MaxInt32*8 {
		return nil, qperr.New(qperr.IO, "npy: shape %v too large", shape)
	}
	// the declared size is checked against what the stream still holds
	// (when it knows) and the memory budget before anything is allocated
	avail := int64(-1)
	if l, ok := r.(interface{ Len() int }); ok {
		avail = int64(l.Len())
	}
	need := limits.Mul(n64, int64(size))
	if avail >= 0 && need > avail {
		return nil, qperr.New(qperr.IO, "npy: array of shape %v declares %d data bytes but only %d remain", shape, need, avail)
	}
	// (the raw bytes and the decoded array coexist while decoding)
	if err := budget.Check(fmt.Sprintf("npy array of shape %v and dtype %s", shape, dtype), limits.Mul(need, 2), -1); err != nil {
		return nil, err
	}
	n := int(n64)
	raw, err := readN(r, need)
	if err != nil {
		return nil, fmt.Errorf("npy: reading %d data bytes: %w", need, err)
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if order == ">" {
		bo = binary.BigEndian
	}
	a.Data, err = decode(dtype, raw, n, bo)
	if err != nil {
		return nil, err
	}
	if fortran && len(shape) > 1 {
		a.Data = fortranToC(a.Data, shape)
	}
	return a, nil
}

func parseHeader(h string) (order, dtype string, shape []int, fortran bool, err error) {
	m := reDescr.FindStringSubmatch(h)
	if m == nil {
		return "", "", nil, false, fmt.Errorf("npy: header has no simple 'descr': %q", h)
	}
	order, dtype = m[1], strings.ToLower(m[2])+m[3]
	if order == "=" {
		order = "<"
	}
	if f := reFortran.FindStringSubmatch(h); f != nil {
		fortran = f[1] == "True"
	}
	s := reShape.FindStringSubmatch(h)
	if s == nil {
		return "", "", nil, false, fmt.Errorf("npy: header has no 'shape': %q", h)
	}
	shape = []int{}
	for _, part := range strings.Split(s[1], ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		v, err := strconv.Atoi(strings.TrimSuffix(part, "L"))
		if err != nil || v < 0 {
			return "", "", nil, false, fmt.Errorf("npy: bad shape entry %q", part)
		}
		shape = append(shape, v)
	}
	return order, dtype, shape, fortran, nil
}

func itemSize(dtype string) (int, error) {
	switch dtype {
	case "b1", "i1", "u1":
		return 1, nil
	case "i2", "u2", "f2":
		return 2, nil
	case "i4", "u4", "f4":
		return 4, nil
	case "i8", "u8", "f8", "c8":
		return 8, nil
	case "c16":
		return 16, nil
	}
	return 0, fmt.Errorf("npy: unsupported dtype %q", dtype)
}

func decode(dtype string, raw []byte, n int, bo binary.ByteOrder) (any, error) {
	switch dtype {
	case "b1":
		out := make([]bool, n)
		for i := range out {
			out[i] = raw[i] != 0
		}
		return out, nil
	case "i1":
		out := make([]int8, n)
		for i := range out {
			out[i] = int8(raw[i])
		}
		return out, nil
	case "u1":
		return append([]uint8(nil), raw...), nil
	case "i2":
		out := make([]int16, n)
		for i := range out {
			out[i] = int16(bo.Uint16(raw[2*i:]))
		}
		return out, nil
	case "u2":
		out := make([]uint16, n)
		for i := range out {
			out[i] = bo.Uint16(raw[2*i:])
		}
		return out, nil
	case "f2":
		out := make([]float32, n)
		for i := range out {
			out[i] = halfToFloat32(bo.Uint16(raw[2*i:]))
		}
		return out, nil
	case "i4":
		out := make([]int32, n)
		for i := range out {
			out[i] = int32(bo.Uint32(raw[4*i:]))
		}
		return out, nil
	case "u4":
		out := make([]uint32, n)
		for i := range out {
			out[i] = bo.Uint32(raw[4*i:])
		}
		return out, nil
	case "f4":
		out := make([]float32, n)
		for i := range out {
			out[i] = math.Float32frombits(bo.Uint32(raw[4*i:]))
		}
		return out, nil
	case "i8":
		out := make([]int64, n)
		for i := range out {
			out[i] = int64(bo.Uint64(raw[8*i:]))
		}
		return out, nil
	case "u8":
		out := make([]uint64, n)
		for i := range out {
			out[i] = bo.Uint64(raw[8*i:])
		}
		return out, nil
	case "f8":
		out := make([]float64, n)
		for i := range out {
			out[i] = math.Float64frombits(bo.Uint64(raw[8*i:]))
		}
		return out, nil
	case "c8":
		out := make([]complex64, n)
		for i := range out {
			out[i] = complex(math.Float32frombits(bo.Uint32(raw[8*i:])), math.Float32frombits(bo.Uint32(raw[8*i+4:])))
		}
		return out, nil
	case "c16":
		out := make([]complex128, n)
		for i := range out {
			out[i] = complex(math.Float64frombits(bo.Uint64(raw[16*i:])), math.Float64frombits(bo.Uint64(raw[16*i+8:])))
		}
		return out, nil
	}
	return nil, fmt.Errorf("npy: unsupported dtype %q", dtype)
}

// halfToFloat32 converts an IEEE 754 binary16 value.
func halfToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := int(h>>10) & 0x1f
	frac := uint32(h & 0x3ff)
	switch {
	case exp == 0:
		v := float32(frac) / 1024 / 16384
		if sign != 0 {
			v = -v
		}
		return v
	case exp == 31:
		return math.Float32frombits(sign | 0x7f800000 | frac<<13)
	}
	return math.Float32frombits(sign | uint32(exp-15+127)<<23 | frac<<13)
}

// fortranToC reorders column-major data into row-major order.
func fortranToC(data any, shape []int) any {
	n := 1
	for _, s := range shape {
		n *= s
	}
	// index maps C position -> Fortran position
	idx := make([]int, n)
	ci := make([]int, len(shape))
	for c := 0; c < n; c++ {
		f, stride := 0, 1
		for d := 0; d < len(shape); d++ {
			f += ci[d] * stride
			stride *= shape[d]
		}
		idx[c] = f
		for d := len(shape) - 1; d >= 0; d-- {
			ci[d]++
			if ci[d] < shape[d] {
				break
			}
			ci[d] = 0
		}
	}
	switch v := data.(type) {
	case []bool:
		return permute(v, idx)
	case []int8:
		return permute(v, idx)
	case []uint8:
		return permute(v, idx)
	case []int16:
		return permute(v, idx)
	case []uint16:
		return permute(v, idx)
	case []int32:
		return permute(v, idx)
	case []uint32:
		return permute(v, idx)
	case []int64:
		return permute(v, idx)
	case []uint64:
		return permute(v, idx)
	case []float32:
		return permute(v, idx)
	case []float64:
		return permute(v, idx)
	case []complex64:
		return permute(v, idx)
	case []complex128:
		return permute(v, idx)
	}
	return data
}

func permute[T any](v []T, idx []int) []T {
	out := make([]T, len(v))
	for c, f := range idx {
		out[c] = v[f]
	}
	return out
}

// Float64 returns the data converted to float64 (real types only).
func (a *Array) Float64() ([]float64, error) {
	switch v := a.Data.(type) {
	case []float64:
		return v, nil
	case []float32:
		return conv(v), nil
	case []bool:
		out := make([]float64, len(v))
		for i, b := range v {
			if b {
				out[i] = 1
			}
		}
		return out, nil
	case []int8:
		return conv(v), nil
	case []uint8:
		return conv(v), nil
	case []int16:
		return conv(v), nil
	case []uint16:
		return conv(v), nil
	case []int32:
		return conv(v), nil
	case []uint32:
		return conv(v), nil
	case []int64:
		return conv(v), nil
	case []uint64:
		return conv(v), nil
	}
	return nil, fmt.Errorf("npy: cannot convert %s to float64", a.DType)
}

type real interface {
	~int8 | ~uint8 | ~int16 | ~uint16 | ~int32 | ~uint32 | ~int64 | ~uint64 | ~float32 | ~float64
}

func conv[T real](v []T) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// Complex128 returns complex data as complex128 (real data get zero imaginary parts).
func (a *Array) Complex128() ([]complex128, error) {
	switch v := a.Data.(type) {
	case []complex128:
		return v, nil
	case []complex64:
		out := make([]complex128, len(v))
		for i, x := range v {
			out[i] = complex128(x)
		}
		return out, nil
	}
	f, err := a.Float64()
	if err != nil {
		return nil, err
	}
	out := make([]complex128, len(f))
	for i, x := range f {
		out[i] = complex(x, 0)
	}
	return out, nil
}

// DTypeOf returns the npy dtype code for a Go slice, or "" if unsupported.
func DTypeOf(data any) string {
	switch data.(type) {
	case []bool:
		return "b1"
	case []int8:
		return "i1"
	case []uint8:
		return "u1"
	case []int16:
		return "i2"
	case []uint16:
		return "u2"
	case []int32:
		return "i4"
	case []uint32:
		return "u4"
	case []int64:
		return "i8"
	case []uint64:
		return "u8"
	case []float32:
		return "f4"
	case []float64:
		return "f8"
	case []complex64:
		return "c8"
	case []complex128:
		return "c16"
	}
	return ""
}

// Header returns the version 1.0 header (magic, length, dict, padding) that
// NumPy's np.save writes for an array of this dtype and shape.
func Header(dtype string, shape []int) []byte {
	descr := "<" + dtype
	if dtype == "b1" || dtype == "i1" || dtype == "u1" {
		descr = "|" + dtype
	}
	return headerDescr(descr, shape)
}

// headerDescr is Header for a full descr with byte order ("<u2", "|S6").
func headerDescr(descr string, shape []int) []byte {
	var sb strings.Builder
	sb.WriteString("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (")
	for i, s := range shape {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(strconv.Itoa(s))
	}
	if len(shape) == 1 {
		sb.WriteString(",")
	}
	sb.WriteString("), }")
	dict := sb.String()
	// Total header (10 bytes prefix + dict + padding + newline) is a multiple of 64.
	total := 10 + len(dict) + 1
	pad := (64 - total%64) % 64
	dict += strings.Repeat(" ", pad) + "\n"
	var buf bytes.Buffer
	buf.WriteString("\x93NUMPY\x01\x00")
	var l [2]byte
	binary.LittleEndian.PutUint16(l[:], uint16(len(dict)))
	buf.Write(l[:])
	buf.WriteString(dict)
	return buf.Bytes()
}

// Write writes a as a version 1.0 .npy stream in little-endian C order.
func Write(w io.Writer, a *Array) error {
	dtype := DTypeOf(a.Data)
	if dtype == "" {
		return fmt.Errorf("npy: unsupported data type %T", a.Data)
	}
	n := 1
	for _, s := range a.Shape {
		n *= s
	}
	if l := SliceLen(a.Data); l != n {
		return fmt.Errorf("npy: shape %v needs %d elements, data has %d", a.Shape, n, l)
	}
	if _, err := w.Write(Header(dtype, a.Shape)); err != nil {
		return err
	}
	if b, ok := a.Data.([]bool); ok {
		raw := make([]byte, len(b))
		for i, v := range b {
			if v {
				raw[i] = 1
			}
		}
		_, err := w.Write(raw)
		return err
	}
	return binary.Write(w, binary.LittleEndian, a.Data)
}

// SliceLen is the length of a typed numeric or bool slice (the element
// types of Array.Data), -1 for anything else.
func SliceLen(data any) int {
	switch v := data.(type) {
	case []complex64:
		return len(v)
	case []complex128:
		return len(v)
	}
	return dtype.Len(data)
}
