package npy

import (
	"bytes"
	"testing"
)

// FuzzRead: any byte stream either parses into an array whose data length
// matches its shape, or returns an error; it never panics or hangs.
func FuzzRead(f *testing.F) {
	var buf bytes.Buffer
	Write(&buf, &Array{Shape: []int{2, 2}, Data: []uint16{1, 2, 3, 4}})
	f.Add(buf.Bytes())
	buf.Reset()
	Write(&buf, &Array{Shape: []int{3}, Data: []bool{true, false, true}})
	f.Add(buf.Bytes())
	f.Add([]byte("\x93NUMPY\x01\x00\x40\x00{'descr': '>f8', 'fortran_order': True, 'shape': (2, 1), }    \n"))
	f.Add([]byte("\x93NUMPY\x02\x00\xff\xff\xff\x7f"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := Read(bytes.NewReader(b))
		if err != nil {
			return
		}
		if SliceLen(a.Data) != a.Len() {
			t.Fatalf("data length %d for shape %v", SliceLen(a.Data), a.Shape)
		}
	})
}
