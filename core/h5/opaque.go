package h5

/*
#include <stdlib.h>
#include "qh.h"

// qh_dread_opaque reads a whole dataset of an opaque type (h5py's np.void)
// into buf when size is large enough and returns its size in bytes; -2 if
// the dataset's type is not opaque, -1 on error.
static long long qh_dread_opaque(hid_t d, void *buf, size_t size) {
	hid_t ft = H5Dget_type(d);
	if (ft < 0) return -1;
	long long n = -2;
	if (H5Tget_class(ft) == H5T_OPAQUE) {
		hid_t s = H5Dget_space(d);
		hssize_t np = s < 0 ? -1 : H5Sget_simple_extent_npoints(s);
		if (np < 0) {
			n = -1;
		} else {
			n = (long long)np * (long long)H5Tget_size(ft);
			if (buf != NULL && size >= (size_t)n && n > 0 &&
			    H5Dread(d, ft, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
				n = -1;
		}
		if (s >= 0) H5Sclose(s);
	}
	H5Tclose(ft);
	return n;
}
*/
import "C"

import (
	"unsafe"

	"qpgo/core/qperr"
)

// maxOpaqueBytes bounds what ReadOpaque allocates for one dataset.
const maxOpaqueBytes = 1 << 31

// ReadOpaque reads a dataset of an opaque type (what h5py stores for a
// numpy.void, e.g. the compressed frames of a Dectris Eiger stream file) as
// raw bytes. A dataset of another type is a BadArgument error.
func (g *Group) ReadOpaque(name string) (_ []byte, err error) {
	defer g.f.inFile(&err)
	lock()
	defer unlock()
	if err := g.f.check(); err != nil {
		return nil, err
	}
	p := g.Join(name)
	d, err := g.f.openDataset(p)
	if err != nil {
		return nil, err
	}
	defer C.H5Dclose(d)
	n := C.qh_dread_opaque(d, nil, 0)
	switch {
	case n == -2:
		return nil, qperr.New(qperr.BadArgument, "dataset %q is not of an opaque type", p)
	case n < 0:
		return nil, lastError("Unable to read dataset %q", p)
	case n > maxOpaqueBytes:
		return nil, qperr.New(qperr.IO, "dataset %q: %d bytes of opaque data (corrupt file?)", p, int64(n))
	case n == 0:
		return []byte{}, nil
	}
	buf := make([]byte, int(n))
	if C.qh_dread_opaque(d, unsafe.Pointer(&buf[0]), C.size_t(len(buf))) != n {
		return nil, lastError("Unable to read dataset %q", p)
	}
	return buf, nil
}
