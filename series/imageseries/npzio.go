package imageseries

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"qpgo/core/qperr"
	"qpgo/internal/ldeflate"
	"qpgo/internal/limits"
	"qpgo/internal/npy"
)

// The shared npy package handles numeric arrays; frame caches also carry
// NumPy string arrays ('|S6' dtype entry, '<U4' metadata), which are decoded
// and encoded here.

var (
	reDescr = regexp.MustCompile(`'descr'\s*:\s*'([<>|=]?)([SU])(\d+)'`)
	reShape = regexp.MustCompile(`'shape'\s*:\s*\(([^)]*)\)`)
)

// maxEntryBytes bounds one npz member read into memory (guards against a
// corrupt size field asking for an absurd allocation).
const maxEntryBytes = 1 << 31

// readNpy decodes one .npy member.
func readNpy(b []byte) (*npy.Array, error) { return readNpyB(b, 0) }

// readNpyB is readNpy within a per-open memory budget.
func readNpyB(b []byte, budget limits.Budget) (*npy.Array, error) {
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
	m := reDescr.FindStringSubmatch(hdr)
	if m == nil {
		if a, ok := readNpyFast(hdr, b[off+hlen:]); ok {
			return a, nil
		}
		return npy.ReadWithin(bytes.NewReader(b), budget)
	}
	size, _ := strconv.Atoi(m[3])
	shape, err := parseShape(hdr)
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
	return &npy.Array{Shape: shape, DType: m[2] + m[3], Data: out}, nil
}

func parseShape(hdr string) ([]int, error) {
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

// npyHeader is the NumPy 1.0 header for descr (full, e.g. "<u2", "|S6").
func npyHeader(descr string, shape []int) []byte {
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
	total := 10 + len(dict) + 1
	dict += strings.Repeat(" ", (64-total%64)%64) + "\n"
	out := []byte("\x93NUMPY\x01\x00")
	out = binary.LittleEndian.AppendUint16(out, uint16(len(dict)))
	return append(out, dict...)
}

// encodeNpy serialises an array (numeric or string) as NumPy would save it.
func encodeNpy(a *npy.Array) ([]byte, error) {
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
		if w, err := strconv.Atoi(a.DType[1:]); err == nil && w > width {
			width = w
		}
		descr := "<U" + strconv.Itoa(width)
		if kind == "S" {
			descr = "|S" + strconv.Itoa(width)
		}
		b := npyHeader(descr, a.Shape)
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
	if b, ok := encodeNpyRaw(a); ok {
		return b, nil
	}
	var buf bytes.Buffer
	if err := npy.Write(&buf, a); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// checkZipEntry refuses a member whose declared size is beyond what its
// compressed bytes can hold or beyond the memory budget.
func checkZipEntry(f *zip.File, budget limits.Budget) error {
	if f.UncompressedSize64 > maxEntryBytes {
		return qperr.New(qperr.IO, "npz member %s too large (%d bytes)", f.Name, f.UncompressedSize64)
	}
	// what the member can hold: stored members their size, deflated ones
	// at most DeflateMaxRatio times it
	avail := int64(f.CompressedSize64)
	if f.Method == zip.Deflate {
		avail = limits.Mul(int64(f.CompressedSize64), limits.DeflateMaxRatio) + 1024
	}
	return budget.Check("npz member "+f.Name, int64(f.UncompressedSize64), avail)
}

// readZipEntry reads one member fully (the process-wide memory budget).
func readZipEntry(f *zip.File) ([]byte, error) { return readZipEntryB(f, 0) }

// readZipEntryB reads one member fully within budget.
func readZipEntryB(f *zip.File, budget limits.Budget) ([]byte, error) {
	if err := checkZipEntry(f, budget); err != nil {
		return nil, err
	}
	if b, ok := inflateFast(f); ok {
		return b, nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, qperr.Wrap(qperr.IO, err, "npz member %s: %v", f.Name, err)
	}
	defer rc.Close()
	// the declared size is only a hint: a deflate stream expands at most
	// about 1032 times, so a forged header cannot make us allocate more
	b := make([]byte, 0, min(f.UncompressedSize64, f.CompressedSize64*1032+1024))
	// stream-limited: a member inflating beyond its declared size is an
	// error (archive/zip's checksum check would only come at the end)
	b, err = readAllInto(io.LimitReader(rc, int64(f.UncompressedSize64)+1), b)
	if err == nil && uint64(len(b)) > f.UncompressedSize64 {
		err = fmt.Errorf("inflates beyond its declared %d bytes", f.UncompressedSize64)
	}
	if err != nil {
		return nil, qperr.Wrap(qperr.IO, err, "npz member %s: %v", f.Name, err)
	}
	return b, nil
}

var zbufPool = sync.Pool{New: func() any { return new([]byte) }}

// inflateFast reads a deflated member with libdeflate. Anything unusual (a
// stream that does not inflate to the declared size, a CRC mismatch, no
// libdeflate) returns ok false, and archive/zip then reads the member and
// reports the error in its words.
func inflateFast(f *zip.File) (_ []byte, ok bool) {
	// (members over maxFastZ compressed take the archive/zip path, so a
	// forged size cannot make this allocate much)
	const maxFastZ = 64 << 20
	if !useLibdeflate || !ldeflate.Available() || f.Method != zip.Deflate || f.UncompressedSize64 == 0 ||
		f.UncompressedSize64 > f.CompressedSize64*1032+1024 || f.CompressedSize64 > maxFastZ {
		return nil, false
	}
	r, err := f.OpenRaw()
	if err != nil {
		return nil, false
	}
	zp := zbufPool.Get().(*[]byte)
	defer zbufPool.Put(zp)
	if uint64(cap(*zp)) < f.CompressedSize64 {
		*zp = make([]byte, f.CompressedSize64)
	}
	z := (*zp)[:f.CompressedSize64]
	if _, err := io.ReadFull(r, z); err != nil {
		return nil, false
	}
	out := make([]byte, f.UncompressedSize64)
	if !ldeflate.Inflate(z, out) || crc32.ChecksumIEEE(out) != f.CRC32 {
		return nil, false
	}
	return out, true
}

func readAllInto(r io.Reader, b []byte) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// metaToArray converts a metadata value to the array np.savez would store,
// or returns ok=false for values that cannot be stored (nested dicts, None,
// mixed lists: skipped, see I5).
func metaToArray(v any) (*npy.Array, bool) {
	switch x := v.(type) {
	case *npy.Array:
		if x == nil || x.Data == nil {
			return nil, false
		}
		if _, isStr := x.Data.([]string); !isStr && npy.DTypeOf(x.Data) == "" {
			return nil, false
		}
		return x, true
	case string, Bytes, bool, float64, float32, int64, uint64, int32, uint32, int16, uint16, int8, uint8:
		return scalarArray(x), true
	case []byte:
		return &npy.Array{Shape: []int{}, DType: "S", Data: []string{string(x)}}, true
	case int:
		return &npy.Array{Shape: []int{}, Data: []int64{int64(x)}}, true
	case []float64:
		return &npy.Array{Shape: []int{len(x)}, Data: x}, true
	case []int64:
		return &npy.Array{Shape: []int{len(x)}, Data: x}, true
	case []string:
		return &npy.Array{Shape: []int{len(x)}, DType: "U", Data: x}, true
	case []any:
		return listToArray(x)
	}
	return nil, false
}

// listToArray follows np.array(list) for flat lists of numbers or strings.
func listToArray(x []any) (*npy.Array, bool) {
	allInt, allNum, allStr := true, true, true
	for _, e := range x {
		switch e.(type) {
		case int, int64:
			allStr = false
		case float64, float32:
			allInt, allStr = false, false
		case string:
			allInt, allNum = false, false
		default:
			return nil, false
		}
	}
	n := []int{len(x)}
	switch {
	case allInt && len(x) > 0:
		out := make([]int64, len(x))
		for i, e := range x {
			out[i] = toInt64(e)
		}
		return &npy.Array{Shape: n, Data: out}, true
	case allNum:
		out := make([]float64, len(x))
		for i, e := range x {
			out[i] = toF64(e)
		}
		return &npy.Array{Shape: n, Data: out}, true
	case allStr:
		out := make([]string, len(x))
		for i, e := range x {
			out[i] = e.(string)
		}
		return &npy.Array{Shape: n, DType: "U", Data: out}, true
	}
	return nil, false
}

func toInt64(e any) int64 {
	switch v := e.(type) {
	case int:
		return int64(v)
	case int64:
		return v
	}
	return 0
}

func toF64(e any) float64 {
	switch v := e.(type) {
	case int:
		return float64(v)
	case int64:
		return float64(v)
	case float64:
		return v
	case float32:
		return float64(v)
	}
	return 0
}

var (
	reNumDescr = regexp.MustCompile(`'descr'\s*:\s*'([<|])([uif])([1248])'`)
	reFortranF = regexp.MustCompile(`'fortran_order'\s*:\s*False`)
)

// aliasMin is the size from which readNpyFast aliases the member's bytes.
const aliasMin = 1 << 20

// readNpyFast decodes little-endian C-order integer/float arrays by a
// single copy (the common case of frame-cache members); ok false leaves
// everything else to package npy.
func readNpyFast(hdr string, raw []byte) (*npy.Array, bool) {
	if !littleEndianHost {
		return nil, false
	}
	m := reNumDescr.FindStringSubmatch(hdr)
	if m == nil || !reFortranF.MatchString(hdr) {
		return nil, false
	}
	dt, _, err := ParseDType(m[2] + m[3])
	if err != nil || (m[2] == "f" && m[3] != "4" && m[3] != "8") {
		return nil, false
	}
	shape, err := parseShape(hdr)
	if err != nil {
		return nil, false
	}
	n64, ok := limits.Elements(shape)
	if !ok || int64(len(raw)) < limits.Mul(n64, int64(dt.Size())) {
		return nil, false
	}
	n := int(n64)
	if o := opsFor(dt); o != nil && n*dt.Size() >= aliasMin && uintptr(unsafe.Pointer(&raw[0]))%uintptr(dt.Size()) == 0 {
		// large members view the member's buffer (read fresh for this
		// member and referenced nowhere else) instead of a second copy
		return &npy.Array{Shape: shape, DType: dt.Code(), Data: o.view(unsafe.Pointer(&raw[0]), n)}, true
	}
	data := newData(dt, n)
	if n > 0 {
		ptr, cnt, size := rawBytes(data)
		copy(unsafe.Slice((*byte)(ptr), cnt*size), raw[:n*dt.Size()])
	}
	return &npy.Array{Shape: shape, DType: dt.Code(), Data: data}, true
}

var littleEndianHost = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

func rawBytes(data any) (unsafe.Pointer, int, int) {
	if o := opsOf(data); o != nil {
		return o.rawBytes(data)
	}
	return nil, 0, 0
}

func firstPtr[T any](v []T) unsafe.Pointer {
	if len(v) == 0 {
		return nil
	}
	return unsafe.Pointer(&v[0])
}

// encodeNpyRaw is npy.Write for numeric slices on a little-endian host:
// the header and one copy of the slice's memory.
func encodeNpyRaw(a *npy.Array) ([]byte, bool) {
	if !littleEndianHost || opsOf(a.Data) == nil {
		return nil, false
	}
	code := npy.DTypeOf(a.Data)
	n := 1
	for _, s := range a.Shape {
		n *= s
	}
	if code == "" || code == "b1" || npy.SliceLen(a.Data) != n {
		return nil, false
	}
	h := npy.Header(code, a.Shape)
	raw := DataBytes(a.Data)
	out := make([]byte, len(h)+len(raw))
	copy(out, h)
	copy(out[len(h):], raw)
	return out, true
}
