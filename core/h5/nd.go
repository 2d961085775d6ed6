package h5

/*
#include <stdlib.h>
#include "qh.h"
#include "nd.h"
*/
import "C"

import (
	"crypto/rand"
	"encoding/hex"
	"unsafe"

	"qpgo/core/qperr"
)

// SetArray writes an N-d attribute: data is a typed numeric slice or
// []Bytes (fixed-length ASCII, the width of the longest) with numel(shape)
// elements; shape nil or empty writes a scalar. hexrd's omega metadata is
// an (n, 2) float64 attribute.
func (a Attrs) SetArray(name string, data any, shape []int) error {
	if name == "" {
		return qperr.New(qperr.BadArgument, "empty attribute name")
	}
	n := numel(shape)
	cd, err := dims(shape)
	if err != nil {
		return err
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
	var tmp [16]byte
	_, _ = rand.Read(tmp[:])
	cn, ct := cstr(name), cstr(hex.EncodeToString(tmp[:]))
	defer free(cn)
	defer free(ct)
	kind, code, size := 0, 0, 0
	var buf unsafe.Pointer
	switch v := data.(type) {
	case []Bytes:
		if len(v) != n {
			return qperr.New(qperr.BadArgument, "attribute %q: %d strings for shape %v", name, len(v), shape)
		}
		for _, s := range v {
			size = max(size, len(s))
		}
		size = max(size, 1)
		raw := make([]byte, size*n)
		for i, s := range v {
			copy(raw[i*size:], s)
		}
		kind, buf = 2, unsafe.Pointer(&raw[0])
	default:
		ptr, l := sliceInfo(data)
		if l != n || l == 0 {
			return qperr.New(qperr.BadArgument, "attribute %q: %T of %d elements for shape %v", name, data, l, shape)
		}
		code, buf = int(DTypeOf(data)), ptr
	}
	if C.qh_awrite_nd(obj, cn, ct, C.int(kind), C.int(code), C.size_t(size), C.int(len(shape)), hptr(cd), buf) < 0 {
		return lastError("Unable to write attribute %q of %q", name, a.path)
	}
	return nil
}

// GetArray reads an attribute keeping its native element type (no
// widening) and its shape (empty for a scalar). Strings come back as
// []string (variable length) or []Bytes (fixed length).
func (a Attrs) GetArray(name string) (_ any, _ []int, err error) {
	defer a.f.inFile(&err)
	lock()
	defer unlock()
	obj, err := a.open()
	if err != nil {
		return nil, nil, err
	}
	defer C.H5Oclose(obj)
	c := cstr(name)
	defer free(c)
	if C.qh_aexists(obj, c) == 0 {
		return nil, nil, qperr.New(qperr.NotFound, "Can't open attribute %q of %q", name, a.path)
	}
	var code, rank C.int
	var size C.size_t
	dimsBuf := make([]C.hsize_t, maxRank)
	at := C.qh_aopen_nd(obj, c, &code, &size, &rank, &dimsBuf[0])
	if at < 0 {
		return nil, nil, lastError("Unable to open attribute %q of %q", name, a.path)
	}
	defer C.H5Aclose(at)
	shape := make([]int, int(rank))
	for i := range shape {
		shape[i] = int(dimsBuf[i])
	}
	if err := checkAttrShape(at, name, a.path, shape, code, size); err != nil {
		return nil, nil, err
	}
	n := numel(shape)
	fail := func() error { return lastError("Unable to read attribute %q of %q", name, a.path) }
	switch {
	case code == 20:
		out := make([]string, n)
		if n > 0 {
			ptrs := make([]*C.char, n)
			if C.qh_aread_vlen(at, &ptrs[0]) < 0 {
				return nil, nil, fail()
			}
			for i, p := range ptrs {
				if p != nil {
					out[i] = C.GoString(p)
				}
			}
			C.qh_free_vlen(&ptrs[0], C.size_t(n))
		}
		return out, shape, nil
	case code == 21:
		sz := int(size)
		raw := make([]byte, sz*n+1)
		if C.qh_aread_fixed(at, size, unsafe.Pointer(&raw[0])) < 0 {
			return nil, nil, fail()
		}
		out := make([]Bytes, n)
		for i := range out {
			s := raw[i*sz : (i+1)*sz]
			for j, b := range s {
				if b == 0 {
					s = s[:j]
					break
				}
			}
			out[i] = Bytes(s)
		}
		return out, shape, nil
	case code >= 1 && code <= 11:
		out := MakeSlice(DType(code), n)
		if ptr, _ := sliceInfo(out); ptr != nil && C.qh_aread_native(at, code, ptr) < 0 {
			return nil, nil, fail()
		}
		return out, shape, nil
	}
	return nil, nil, qperr.New(qperr.Unsupported, "attribute %q of %q has an unsupported type", name, a.path)
}

// WriteString writes a scalar variable-length UTF-8 string dataset (h5py's
// form for a Python str).
func (g *Group) WriteString(name, value string) error { return g.writeString(name, value, false) }

// WriteStringASCII writes it with the ASCII character set.
func (g *Group) WriteStringASCII(name, value string) error { return g.writeString(name, value, true) }

func (g *Group) writeString(name, value string, ascii bool) error {
	lock()
	defer unlock()
	if err := g.f.checkWrite(); err != nil {
		return err
	}
	p := g.Join(name)
	if g.f.objKind(p) != NoObject {
		return qperr.New(qperr.BadArgument, "Unable to create dataset %q (name already exists)", p)
	}
	cn, cv := cstr(p), cstr(value)
	defer free(cn)
	defer free(cv)
	a := 0
	if ascii {
		a = 1
	}
	if C.qh_dwrite_string(g.f.id, cn, cv, C.int(a)) < 0 {
		return lastError("Unable to write string dataset %q", p)
	}
	return nil
}

// ReadString reads a string dataset (scalar, or its first element).
func (g *Group) ReadString(name string) (_ string, err error) {
	defer g.f.inFile(&err)
	lock()
	defer unlock()
	if err := g.f.check(); err != nil {
		return "", err
	}
	p := g.Join(name)
	if g.f.objKind(p) != DatasetKind {
		return "", qperr.New(qperr.NotFound, "Unable to open object %q (no such dataset)", p)
	}
	if g.f.deferred {
		d, err := g.f.openDataset(p)
		if err != nil {
			return "", err
		}
		err = g.f.checkDeferred(d, p)
		C.H5Dclose(d)
		if err != nil {
			return "", err
		}
	}
	cn := cstr(p)
	defer free(cn)
	n := C.qh_dread_string(g.f.id, cn, nil, 0)
	if n < 0 {
		return "", lastError("Unable to read string dataset %q", p)
	}
	buf := make([]byte, int(n)+1)
	C.qh_dread_string(g.f.id, cn, (*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)))
	return string(buf[:n]), nil
}
