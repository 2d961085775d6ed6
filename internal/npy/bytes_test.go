package npy

import (
	"bytes"
	"reflect"
	"testing"
)

// The bytes numpy 1.26 writes for np.save(f, np.array(['ab', 'c'], dtype='S2'))
// and np.save(f, np.array(['é'], dtype='<U2')) (header padded to 64 bytes).
func TestEncodeDecodeStrings(t *testing.T) {
	for _, c := range []struct {
		a     *Array
		descr string
		data  []byte
	}{
		{&Array{Shape: []int{2}, DType: "S2", Data: []string{"ab", "c"}}, "'|S2'", []byte("abc\x00")},
		{&Array{Shape: []int{1}, DType: "U2", Data: []string{"é"}}, "'<U2'", []byte{0xe9, 0, 0, 0, 0, 0, 0, 0}},
		{&Array{Shape: []int{}, DType: "S", Data: []string{"uint16"}}, "'|S6'", []byte("uint16")},
	} {
		b, err := Encode(c.a)
		if err != nil {
			t.Fatal(err)
		}
		if len(b)%64 != len(c.data)%64 || !bytes.Contains(b[:len(b)-len(c.data)], []byte(c.descr)) || !bytes.HasSuffix(b, c.data) {
			t.Errorf("%v: encoded %q", c.a.Data, b)
		}
		got, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Data, c.a.Data) || !reflect.DeepEqual(got.Shape, c.a.Shape) {
			t.Errorf("round trip of %v: %v %v", c.a.Data, got.Data, got.Shape)
		}
	}
	if _, err := Encode(&Array{Shape: []int{1}, Data: []string{"x"}}); err != nil {
		t.Errorf("string array without DType: %v", err)
	}
}

func TestDecodeNumericMatchesRead(t *testing.T) {
	big := make([]uint16, AliasMin) // 2 MiB: decoded as a view
	big[7] = 9
	for _, a := range []*Array{
		{Shape: []int{2, 3}, Data: []float32{1, 2, 3, 4, 5, 6}},
		{Shape: []int{3}, Data: []bool{true, false, true}},
		{Shape: []int{len(big)}, Data: big},
	} {
		b, err := Encode(a)
		if err != nil {
			t.Fatal(err)
		}
		var w bytes.Buffer
		if err := Write(&w, a); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, w.Bytes()) {
			t.Errorf("%T: Encode differs from Write", a.Data)
		}
		got, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Data, a.Data) || !reflect.DeepEqual(got.Shape, a.Shape) {
			t.Errorf("%T: round trip differs", a.Data)
		}
	}
	if _, err := Decode([]byte("\x93NUMPX")); err == nil {
		t.Error("bad magic accepted")
	}
}
