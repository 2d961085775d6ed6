package dtype

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// The values are the qpgo_dtype codes of the C header.
func TestCodesMatchCHeader(t *testing.T) {
	b, err := os.ReadFile("../../include/qpgo_types.h")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`QPGO_(BOOL|U?INT\d+|FLOAT\d+) = (\d+)`)
	m := re.FindAllStringSubmatch(string(b), -1)
	if len(m) != 11 {
		t.Fatalf("found %d qpgo_dtype codes, want 11", len(m))
	}
	for _, e := range m {
		code, _ := strconv.Atoi(e[2])
		if got := DType(code).String(); got != strings.ToLower(e[1]) {
			t.Errorf("code %d: %s, header says %s", code, got, e[1])
		}
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		s   string
		d   DType
		big bool
	}{
		{"uint16", Uint16, false}, {"<u2", Uint16, false}, {">u2", Uint16, true}, {"H", Uint16, false},
		{"|u1", Uint8, false}, {"b", Int8, false}, {"float", Float64, false}, {"f", Float32, false},
		{"int", Int64, false}, {"?", Bool, false}, {"b1", Bool, false}, {">i4", Int32, true},
	} {
		d, big, err := Parse(c.s)
		if err != nil || d != c.d || big != c.big {
			t.Errorf("Parse(%q) = %v, %v, %v; want %v, %v", c.s, d, big, err, c.d, c.big)
		}
	}
	if _, _, err := Parse("complex64"); err == nil || !strings.Contains(err.Error(), `data type "complex64" not understood`) {
		t.Errorf("Parse(complex64): %v", err)
	}
	if d, err := ParseName("float32"); err != nil || d != Float32 {
		t.Errorf("ParseName(float32) = %v, %v", d, err)
	}
	if _, err := ParseName("f4"); err == nil {
		t.Error("ParseName accepts a type code")
	}
}

func TestPromoteAsNumPy(t *testing.T) {
	// numpy.result_type of the two dtypes (numpy 1.24)
	for _, c := range [][3]DType{
		{Uint8, Int8, Int16}, {Uint16, Int16, Int32}, {Uint32, Int32, Int64}, {Uint64, Int64, Float64},
		{Uint8, Int32, Int32}, {Float32, Uint16, Float32}, {Float32, Int32, Float64}, {Float32, Int8, Float32},
		{Uint8, Uint16, Uint16}, {Float64, Uint8, Float64}, {Int16, Int64, Int64},
	} {
		if got := Promote(c[0], c[1]); got != c[2] {
			t.Errorf("Promote(%v, %v) = %v, want %v", c[0], c[1], got, c[2])
		}
		if got := Promote(c[1], c[0]); got != c[2] {
			t.Errorf("Promote(%v, %v) = %v, want %v", c[1], c[0], got, c[2])
		}
	}
}

func TestSlices(t *testing.T) {
	for d := Bool; d <= Float64; d++ {
		s := Make(d, 3)
		if Of(s) != d || Len(s) != 3 || len(Bytes(s)) != 3*d.Size() {
			t.Errorf("%v: Of %v, Len %d, Bytes %d", d, Of(s), Len(s), len(Bytes(s)))
		}
		b := Bytes(s)
		v := View(d, unsafe.Pointer(&b[0]), 3)
		if Of(v) != d || Len(v) != 3 {
			t.Errorf("View(%v) = %T", d, v)
		}
	}
	if Of([]int{1}) != Invalid || Make(Invalid, 1) != nil || Bytes([]uint16{}) != nil || Len("x") != -1 {
		t.Error("non-typed values")
	}
	if Invalid.Valid() || DType(12).Valid() || !Float64.Valid() || DType(99).String() != "dtype(99)" {
		t.Error("Valid/String out of range")
	}
	if Uint16.Max() != 65535 || Int8.Min() != -128 || Uint8.Min() != 0 || Uint16.Code() != "u2" {
		t.Error("ranges/codes")
	}
}
