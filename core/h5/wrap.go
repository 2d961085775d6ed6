package h5

/*
#include <stdlib.h>
#include "qh.h"

// qhw_file_id returns the file identifier of a borrowed file or group
// identifier (a new reference; -2: obj is neither a file nor a group).
static hid_t qhw_file_id(hid_t obj) {
	H5I_type_t t = H5Iget_type(obj);
	if (t != H5I_FILE && t != H5I_GROUP) return -2;
	return H5Iget_file_id(obj);
}

static int qhw_writable(hid_t fid) {
	unsigned intent = 0;
	if (H5Fget_intent(fid, &intent) < 0) return -1;
	return (intent & H5F_ACC_RDWR) ? 1 : 0;
}
*/
import "C"

import (
	"unsafe"

	"qpgo/core/qperr"
)

// WrapID returns the group behind an identifier that another user of the
// same libhdf5 in this process opened (h5py's obj.id.id of an h5py.File or
// h5py.Group), so that qpgo works on that very object: no second open, and
// changes are visible to the caller at once. The identifier stays owned by
// the caller; Close of the returned group's file does not close it, and it
// must stay open while qpgo uses it.
func WrapID(id int64) (*Group, error) {
	lock()
	defer unlock()
	obj := C.hid_t(id)
	if id <= 0 || C.H5Iis_valid(obj) <= 0 {
		return nil, qperr.New(qperr.BadArgument, "h5 identifier %d is not a valid open HDF5 object of this process's libhdf5", id)
	}
	fid := C.qhw_file_id(obj)
	if fid == -2 {
		return nil, qperr.New(qperr.BadArgument, "h5 identifier %d is neither an HDF5 file nor a group", id)
	}
	if fid < 0 {
		return nil, lastError("Unable to get the file of h5 identifier %d", id)
	}
	// Borrow: the caller's file identifier keeps the file open. Only when
	// libhdf5 had to register a new file identifier (nobody else holds one)
	// is the reference kept, released by Close.
	owned := C.H5Iget_ref(fid) <= 1
	if !owned {
		C.H5Idec_ref(fid)
	}
	w := C.qhw_writable(fid)
	if w < 0 {
		if owned {
			C.H5Idec_ref(fid)
		}
		return nil, lastError("Unable to get the access mode of h5 identifier %d", id)
	}
	mode := "r"
	if w == 1 {
		mode = "r+"
	}
	f := &File{id: fid, name: idName(fid, true), mode: mode, wrapped: true, ownsRef: owned}
	f.inMemory = C.qh_is_core(fid) != 0
	p := "/"
	if C.H5Iget_type(obj) == C.H5I_GROUP {
		p = idName(obj, false)
		if p == "" {
			return nil, qperr.New(qperr.BadArgument, "h5 identifier %d is an anonymous group (no path in its file)", id)
		}
	}
	return &Group{f: f, path: p}, nil
}

// idName is the file name (file true) or the object path of id.
func idName(id C.hid_t, file bool) string {
	var n C.ssize_t
	if file {
		n = C.H5Fget_name(id, nil, 0)
	} else {
		n = C.H5Iget_name(id, nil, 0)
	}
	if n <= 0 {
		return ""
	}
	buf := (*C.char)(C.malloc(C.size_t(n + 1)))
	defer C.free(unsafe.Pointer(buf))
	if file {
		C.H5Fget_name(id, buf, C.size_t(n+1))
	} else {
		C.H5Iget_name(id, buf, C.size_t(n+1))
	}
	return C.GoString(buf)
}

// ID is the libhdf5 file identifier, for handing the open file to another
// user of the same libhdf5 in this process (h5py.h5f.FileID after
// H5Iinc_ref; see IncRef). It is valid while f is open.
func (f *File) ID() int64 { return int64(f.id) }

// IncRef adds a reference to the file identifier for a second owner (who
// releases it with its own close); libhdf5 closes the file when the last
// reference goes.
func (f *File) IncRef() error {
	lock()
	defer unlock()
	if err := f.check(); err != nil {
		return err
	}
	if C.H5Iinc_ref(f.id) < 0 {
		return lastError("Unable to share %q", f.name)
	}
	return nil
}

// Wrapped reports whether f was borrowed with WrapID.
func (f *File) Wrapped() bool { return f.wrapped }

// closeWrapped ends the use of a borrowed file: the caller's identifier is
// left alone; only a reference WrapID took itself is released. Call with
// mu held.
func (f *File) closeWrapped() error {
	if f.ownsRef && C.H5Iis_valid(f.id) > 0 {
		if C.H5Idec_ref(f.id) < 0 {
			return lastError("Unable to release %q", f.name)
		}
	}
	return nil
}

// LibVersion is the version of the libhdf5 qpgo runs on.
func LibVersion() (major, minor, release int) {
	var a, b, c C.uint
	C.H5get_libversion(&a, &b, &c)
	return int(a), int(b), int(c)
}
