package h5

/*
#include <stdlib.h>
#include "qh.h"
*/
import "C"

import (
	"bytes"
	"sort"
	"unsafe"

	"qpgo/core/qperr"
)

// Bytes is a fixed-length ASCII string attribute (h5py writes np.bytes_
// values this way, e.g. the HDFView attribute CLASS="IMAGE").
type Bytes string

// Attribute values are Go values of these types, mapped as h5py maps Python
// values: float64 → H5T_IEEE_F64LE, float32 → F32LE, int64 (and int) →
// I64LE, bool → the int8 enum FALSE/TRUE, string → scalar variable-length
// UTF-8, Bytes → fixed-length NULLPAD ASCII, []float64/[]float32/[]int64/
// []string → 1-D arrays. Reading returns the same types; integers of other
// sizes are returned as int64 (uint64 as uint64), arrays of rank > 1 flat.

// Attrs gives access to the attributes of the object at an absolute path.
type Attrs struct {
	f    *File
	path string
}

// Attrs returns the attributes of the group itself.
func (g *Group) Attrs() Attrs { return Attrs{f: g.f, path: g.path} }

// AttrsOf returns the attributes of a member (dataset or group).
func (g *Group) AttrsOf(name string) Attrs { return Attrs{f: g.f, path: g.Join(name)} }

// open opens the object. Call with mu held; close with H5Oclose.
func (a Attrs) open() (C.hid_t, error) {
	if err := a.f.check(); err != nil {
		return -1, err
	}
	if a.f.objKind(a.path) == NoObject {
		return -1, qperr.New(qperr.NotFound, "Unable to open object %q", a.path)
	}
	c := cstr(a.path)
	defer free(c)
	id := C.H5Oopen(a.f.id, c, C.H5P_DEFAULT)
	if id < 0 {
		return -1, lastError("Unable to open object %q", a.path)
	}
	return id, nil
}

// Names lists the attribute names in name order (h5py's iteration order).
func (a Attrs) Names() (_ []string, err error) {
	defer a.f.inFile(&err)
	lock()
	defer unlock()
	obj, err := a.open()
	if err != nil {
		return nil, err
	}
	defer C.H5Oclose(obj)
	size := 1024
	for {
		buf := make([]byte, size)
		n := C.qh_anames(obj, (*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)))
		if n < 0 {
			return nil, lastError("Unable to list attributes of %q", a.path)
		}
		if int(n) > len(buf) {
			size = int(n)
			continue
		}
		var out []string
		for _, name := range bytes.Split(buf[:n], []byte{0}) {
			if len(name) > 0 {
				out = append(out, string(name))
			}
		}
		sort.Strings(out) // h5py's (name-index) order
		return out, nil
	}
}

// Has reports whether the attribute exists.
func (a Attrs) Has(name string) bool {
	lock()
	defer unlock()
	obj, err := a.open()
	if err != nil {
		return false
	}
	defer C.H5Oclose(obj)
	c := cstr(name)
	defer free(c)
	return C.qh_aexists(obj, c) != 0
}

// Get reads an attribute.
func (a Attrs) Get(name string) (_ any, err error) {
	defer a.f.inFile(&err)
	lock()
	defer unlock()
	obj, err := a.open()
	if err != nil {
		return nil, err
	}
	defer C.H5Oclose(obj)
	c := cstr(name)
	defer free(c)
	if C.qh_aexists(obj, c) == 0 {
		return nil, qperr.New(qperr.NotFound, "Can't open attribute %q of %q", name, a.path)
	}
	var code, rank C.int
	var size C.size_t
	var n C.hssize_t
	at := C.qh_aopen(obj, c, &code, &size, &rank, &n)
	if at < 0 {
		return nil, lastError("Unable to open attribute %q of %q", name, a.path)
	}
	defer C.H5Aclose(at)
	count := int(n)
	if err := checkAttrSize(at, name, a.path, count, attrElemSize(code, size), 8); err != nil {
		return nil, err
	}
	scalar := rank == 0
	fail := func() error { return lastError("Unable to read attribute %q of %q", name, a.path) }
	switch {
	case code == 20: // variable-length strings
		ptrs := make([]*C.char, count)
		if count > 0 {
			if C.qh_aread_vlen(at, &ptrs[0]) < 0 {
				return nil, fail()
			}
			defer C.qh_free_vlen(&ptrs[0], C.size_t(count))
		}
		out := make([]string, count)
		for i, p := range ptrs {
			if p != nil {
				out[i] = C.GoString(p)
			}
		}
		if scalar && count == 1 {
			return out[0], nil
		}
		return out, nil
	case code == 21: // fixed-length strings
		sz := int(size)
		buf := make([]byte, sz*count+1)
		if C.qh_aread_fixed(at, size, unsafe.Pointer(&buf[0])) < 0 {
			return nil, fail()
		}
		strs := make([]Bytes, count)
		for i := range strs {
			s := buf[i*sz : (i+1)*sz]
			for j, b := range s {
				if b == 0 {
					s = s[:j]
					break
				}
			}
			strs[i] = Bytes(s)
		}
		if scalar && count == 1 {
			return strs[0], nil
		}
		return strs, nil
	case code >= 1 && code <= 11:
		dt := DType(code)
		out := MakeSlice(dt, count)
		if ptr, _ := sliceInfo(out); ptr != nil && C.qh_aread_native(at, code, ptr) < 0 {
			return nil, fail()
		}
		v := normaliseInts(out)
		if scalar && count == 1 {
			return first(v), nil
		}
		return v, nil
	}
	return nil, qperr.New(qperr.Unsupported, "attribute %q of %q has an unsupported type", name, a.path)
}

// normaliseInts widens integer slices to []int64 (uint64 stays).
func normaliseInts(v any) any {
	widen := func(n int, at func(int) int64) []int64 {
		out := make([]int64, n)
		for i := range out {
			out[i] = at(i)
		}
		return out
	}
	switch s := v.(type) {
	case []int8:
		return widen(len(s), func(i int) int64 { return int64(s[i]) })
	case []uint8:
		return widen(len(s), func(i int) int64 { return int64(s[i]) })
	case []int16:
		return widen(len(s), func(i int) int64 { return int64(s[i]) })
	case []uint16:
		return widen(len(s), func(i int) int64 { return int64(s[i]) })
	case []int32:
		return widen(len(s), func(i int) int64 { return int64(s[i]) })
	case []uint32:
		return widen(len(s), func(i int) int64 { return int64(s[i]) })
	}
	return v
}

func first(v any) any {
	switch s := v.(type) {
	case []bool:
		return s[0]
	case []int64:
		return s[0]
	case []uint64:
		return s[0]
	case []float32:
		return s[0]
	case []float64:
		return s[0]
	}
	return v
}

// Set writes an attribute, replacing any old one, as h5py 3.7 does: the
// old attribute is deleted, then the new one created under its name (a
// failed write leaves no attribute of that name).
func (a Attrs) Set(name string, value any) error {
	if name == "" {
		return qperr.New(qperr.BadArgument, "empty attribute name")
	}
	lock()
	defer unlock()
	if err := a.f.checkWrite(); err != nil {
		return err
	}
	obj, err := a.open()
	if err != nil {
		return err
	}
	defer C.H5Oclose(obj)
	cn := cstr(name)
	defer free(cn)

	write := func(kind, code int, size int, rank int, n int, buf unsafe.Pointer) error {
		if C.qh_awrite(obj, cn, C.int(kind), C.int(code), C.size_t(size), C.int(rank), C.hsize_t(n), buf) < 0 {
			return lastError("Unable to write attribute %q of %q", name, a.path)
		}
		return nil
	}
	numeric := func(rank int, data any) error {
		ptr, n := sliceInfo(data)
		if n == 0 {
			return qperr.New(qperr.BadArgument, "empty array attribute %q is not supported", name)
		}
		return write(0, int(DTypeOf(data)), 0, rank, n, ptr)
	}
	switch v := value.(type) {
	case float64:
		return numeric(0, []float64{v})
	case float32:
		return numeric(0, []float32{v})
	case int:
		return numeric(0, []int64{int64(v)})
	case int64:
		return numeric(0, []int64{v})
	case int32:
		return numeric(0, []int32{v})
	case uint64:
		return numeric(0, []uint64{v})
	case bool:
		return numeric(0, []bool{v})
	case []float64, []float32, []int64, []int32, []uint16, []uint8, []bool:
		return numeric(1, v)
	case []int:
		w := make([]int64, len(v))
		for i, x := range v {
			w[i] = int64(x)
		}
		return numeric(1, w)
	case string:
		cs := cstr(v)
		defer free(cs)
		ptrs := []*C.char{cs}
		return write(1, 0, 0, 0, 1, unsafe.Pointer(&ptrs[0]))
	case []string:
		if len(v) == 0 {
			return qperr.New(qperr.BadArgument, "empty array attribute %q is not supported", name)
		}
		// C memory: the pointer array must not hold Go pointers.
		arr := (*[1 << 20]*C.char)(C.malloc(C.size_t(len(v)) * C.size_t(unsafe.Sizeof(uintptr(0)))))[:len(v):len(v)]
		defer C.free(unsafe.Pointer(&arr[0]))
		for i, s := range v {
			arr[i] = cstr(s)
		}
		defer func() {
			for _, p := range arr {
				free(p)
			}
		}()
		return write(1, 0, 0, 1, len(v), unsafe.Pointer(&arr[0]))
	case Bytes:
		b := []byte(v)
		if len(b) == 0 {
			b = []byte{0}
		}
		return write(2, 0, len(b), 0, 1, unsafe.Pointer(&b[0]))
	}
	return qperr.New(qperr.BadArgument, "unsupported attribute value type %T for %q", value, name)
}

// Delete removes an attribute.
func (a Attrs) Delete(name string) error {
	lock()
	defer unlock()
	if err := a.f.checkWrite(); err != nil {
		return err
	}
	obj, err := a.open()
	if err != nil {
		return err
	}
	defer C.H5Oclose(obj)
	c := cstr(name)
	defer free(c)
	if C.qh_aexists(obj, c) == 0 {
		return qperr.New(qperr.NotFound, "Can't delete attribute %q of %q: no such attribute", name, a.path)
	}
	if C.H5Adelete(obj, c) < 0 {
		return lastError("Unable to delete attribute %q of %q", name, a.path)
	}
	return nil
}

// String returns the text of a fixed-length string attribute.
func (b Bytes) String() string { return string(b) }
