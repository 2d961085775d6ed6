package npy

import (
	"bytes"
	"reflect"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	cases := []*Array{
		{Shape: []int{2, 3}, Data: []float64{1, 2, 3, 4, 5, 6}},
		{Shape: []int{4}, Data: []uint16{1, 65535, 7, 0}},
		{Shape: []int{2, 2}, Data: []bool{true, false, false, true}},
		{Shape: []int{1}, Data: []complex128{complex(1, -2)}},
		{Shape: []int{}, Data: []int32{42}},
	}
	for _, a := range cases {
		var buf bytes.Buffer
		if err := Write(&buf, a); err != nil {
			t.Fatal(err)
		}
		if buf.Len() < 64 {
			t.Fatalf("short output")
		}
		b, err := Read(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(b.Data, a.Data) || !reflect.DeepEqual(b.Shape, a.Shape) {
			t.Fatalf("round trip %v: got %v %v", a.Data, b.Shape, b.Data)
		}
	}
}

func TestHeaderMatchesNumpy(t *testing.T) {
	// np.save of a float64 (40, 40) array writes exactly this header (fixture unwrap_smooth).
	want := "\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, 'shape': (40, 40), }"
	got := string(Header("f8", []int{40, 40}))
	if got[:len(want)] != want || len(got) != 128 || got[127] != '\n' {
		t.Fatalf("header %q", got)
	}
}

func TestBigEndianAndFortran(t *testing.T) {
	hdr := "{'descr': '>u2', 'fortran_order': True, 'shape': (2, 3), }"
	var buf bytes.Buffer
	buf.WriteString("\x93NUMPY\x01\x00")
	buf.Write([]byte{byte(len(hdr) + 1), 0})
	buf.WriteString(hdr + "\n")
	// column-major 2x3: [[1,2,3],[4,5,6]] stored as 1,4,2,5,3,6 big-endian
	for _, v := range []uint16{1, 4, 2, 5, 3, 6} {
		buf.Write([]byte{byte(v >> 8), byte(v)})
	}
	a, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Data, []uint16{1, 2, 3, 4, 5, 6}) {
		t.Fatalf("got %v", a.Data)
	}
}

func TestCorrupt(t *testing.T) {
	for _, in := range []string{"", "\x93NUMPY", "NOTNUMPY\x01\x00", "\x93NUMPY\x01\x00\x05\x00{'x'}",
		"\x93NUMPY\x01\x00\x40\x00{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }      \n"} {
		if _, err := Read(bytes.NewBufferString(in)); err == nil {
			t.Fatalf("no error for %q", in)
		}
	}
}
