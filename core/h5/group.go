package h5

/*
#include <stdlib.h>
#include "qh.h"
*/
import "C"

import (
	"path"
	"strings"
	"unsafe"

	"qpgo/core/qperr"
)

// Group is a group in a file, addressed by its absolute path.
type Group struct {
	f    *File
	path string
}

// File returns the file of the group.
func (g *Group) File() *File { return g.f }

// Path is the absolute path of the group ("/" for the root).
func (g *Group) Path() string { return g.path }

// Name is the last path element ("/" for the root).
func (g *Group) Name() string {
	if g.path == "/" {
		return "/"
	}
	return path.Base(g.path)
}

// Join returns the absolute path of a member.
func (g *Group) Join(name string) string {
	if strings.HasPrefix(name, "/") {
		return path.Clean(name)
	}
	return path.Join(g.path, name)
}

// ObjKind tells groups from datasets.
type ObjKind int

const (
	NoObject ObjKind = iota
	GroupKind
	DatasetKind
	OtherKind
)

// objKind returns the kind of the object at the absolute path p. Call with mu held.
func (f *File) objKind(p string) ObjKind {
	if p == "/" {
		return GroupKind
	}
	// Absent, also when an intermediate group is missing (no error).
	c := cstr(strings.TrimRight(p, "/"))
	typ := C.qh_objkind(f.id, c)
	free(c)
	switch typ {
	case -1:
		return NoObject
	case 0:
		return GroupKind
	case 1:
		return DatasetKind
	}
	return OtherKind
}

// Kind returns the kind of the member name (a relative or absolute path).
func (g *Group) Kind(name string) ObjKind {
	lock()
	defer unlock()
	if g.f.check() != nil {
		return NoObject
	}
	return g.f.objKind(g.Join(name))
}

// Has reports whether the member exists.
func (g *Group) Has(name string) bool { return g.Kind(name) != NoObject }

// Group returns an existing member group.
func (g *Group) Group(name string) (_ *Group, err error) {
	defer g.f.inFile(&err)
	lock()
	defer unlock()
	if err := g.f.check(); err != nil {
		return nil, err
	}
	p := g.Join(name)
	switch g.f.objKind(p) {
	case GroupKind:
		return &Group{f: g.f, path: p}, nil
	case NoObject:
		return nil, qperr.New(qperr.NotFound, "Unable to open object %q (no such group)", p)
	}
	return nil, qperr.New(qperr.BadArgument, "%q is not a group", p)
}

// RequireGroup opens the member group, creating it if missing.
func (g *Group) RequireGroup(name string) (*Group, error) {
	lock()
	defer unlock()
	if err := g.f.check(); err != nil {
		return nil, err
	}
	p := g.Join(name)
	switch g.f.objKind(p) {
	case GroupKind:
		return &Group{f: g.f, path: p}, nil
	case NoObject:
		if err := g.f.checkWrite(); err != nil {
			return nil, err
		}
		// Create missing intermediate groups one by one, parents first.
		cur := ""
		for _, part := range strings.Split(strings.Trim(p, "/"), "/") {
			cur += "/" + part
			switch g.f.objKind(cur) {
			case GroupKind:
				continue
			case NoObject:
			default:
				return nil, qperr.New(qperr.BadArgument, "%q exists and is not a group", cur)
			}
			c := cstr(cur)
			id := C.qh_gcreate(g.f.id, c)
			free(c)
			if id < 0 {
				return nil, lastError("Unable to create group %q", cur)
			}
			C.H5Gclose(id)
		}
		return &Group{f: g.f, path: p}, nil
	}
	return nil, qperr.New(qperr.BadArgument, "%q exists and is not a group", p)
}

// Keys lists the member names in HDF5 name order (as h5py iterates).
func (g *Group) Keys() (_ []string, err error) {
	defer g.f.inFile(&err)
	lock()
	defer unlock()
	if err := g.f.check(); err != nil {
		return nil, err
	}
	c := cstr(g.path)
	defer free(c)
	n := C.qh_nlinks(g.f.id, c)
	if n < 0 {
		return nil, lastError("Unable to list group %q", g.path)
	}
	dot := cstr(g.path)
	defer free(dot)
	out := make([]string, 0, int(n))
	buf := make([]byte, 1024)
	for i := 0; i < int(n); i++ {
		l := C.qh_link_name(g.f.id, dot, C.hsize_t(i), (*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)))
		if l < 0 {
			return nil, lastError("Unable to list group %q", g.path)
		}
		if int(l) >= len(buf) {
			buf = make([]byte, int(l)+1)
			i--
			continue
		}
		out = append(out, string(buf[:l]))
	}
	return out, nil
}

// Delete removes the link name (h5py `del group[name]`). The storage is
// freed when the last hard link to the object is gone.
func (g *Group) Delete(name string) error {
	lock()
	defer unlock()
	if err := g.f.checkWrite(); err != nil {
		return err
	}
	p := g.Join(name)
	if g.f.objKind(p) == NoObject {
		return qperr.New(qperr.NotFound, "Unable to delete %q: no such object", p)
	}
	c := cstr(p)
	defer free(c)
	if C.qh_delete(g.f.id, c) < 0 {
		return lastError("Unable to delete %q", p)
	}
	return nil
}

// HardLink creates the member name as a hard link to the object at the
// absolute path target in the same file (h5py `group[name] = dataset`).
func (g *Group) HardLink(target, name string) error {
	lock()
	defer unlock()
	if err := g.f.checkWrite(); err != nil {
		return err
	}
	if g.f.objKind(target) == NoObject {
		return qperr.New(qperr.NotFound, "Unable to link to %q: no such object", target)
	}
	ct, cn := cstr(target), cstr(g.Join(name))
	defer free(ct)
	defer free(cn)
	if C.qh_hardlink(g.f.id, ct, cn) < 0 {
		return lastError("Unable to create hard link %q -> %q", g.Join(name), target)
	}
	return nil
}

// LinkInfo describes the object behind a link.
type LinkInfo struct {
	Kind     ObjKind
	RefCount int    // number of hard links to the object
	Addr     uint64 // object header address: equal for hard links to one object
}

// Info returns the link information of a member.
func (g *Group) Info(name string) (_ LinkInfo, err error) {
	defer g.f.inFile(&err)
	lock()
	defer unlock()
	if err := g.f.check(); err != nil {
		return LinkInfo{}, err
	}
	p := g.Join(name)
	k := g.f.objKind(p)
	if k == NoObject {
		return LinkInfo{}, qperr.New(qperr.NotFound, "no object %q", p)
	}
	c := cstr(p)
	defer free(c)
	var typ C.int
	var rc C.unsigned
	var addr C.haddr_t
	if C.qh_objinfo(g.f.id, c, &typ, &rc, &addr) < 0 {
		return LinkInfo{}, lastError("Unable to get info of %q", p)
	}
	return LinkInfo{Kind: k, RefCount: int(rc), Addr: uint64(addr)}, nil
}

// IsCoreDriver reports whether the open file uses the core (memory) driver,
// which decides how qpimage writes datasets.
func (f *File) IsCoreDriver() bool {
	lock()
	defer unlock()
	if f.check() != nil {
		return false
	}
	return C.qh_is_core(f.id) != 0
}
