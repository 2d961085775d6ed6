package qpimage

import (
	"qpgo/core/h5"
	"qpgo/core/imagedata"
)

// CopyH5 is upstream copyh5 from group in to group out: every key present
// in out is deleted first, groups are copied recursively, every dataset is
// rewritten with the image-dataset rules of the *target* file (so a copy
// of an in-memory image to disk gets compression and IMAGE attributes) and
// then receives the source dataset's attributes; group attributes come
// last. Hard links are not preserved.
func CopyH5(in, out *h5.Group) error { return imagedata.CopyGroup(in, out, nil) }

// CopyToMemory is copy() with h5file=None: a new in-memory QPImage.
func (q *QPImage) CopyToMemory() (*QPImage, error) {
	f, err := h5.CreateInMemory("qpimage_copy.h5")
	if err != nil {
		return nil, err
	}
	if err := CopyH5(q.G, f.Root()); err != nil {
		f.Close()
		return nil, err
	}
	c, err := NewInGroup(f.Root(), nil, nil, Options{H5DType: q.H5DType, QPRetrieveKW: q.QPRetrieveKW})
	if err != nil {
		f.Close()
		return nil, err
	}
	c.ownsFile = true
	return c, nil
}

// CopyToFile is copy(h5file=path): the file is written (mode "w"), closed,
// and reopened with mode "a". The copy is written to a temporary name and
// renamed into place, so a failure never destroys an existing file.
func (q *QPImage) CopyToFile(path string) (*QPImage, error) {
	if err := WriteCopy(q.G, path); err != nil {
		return nil, err
	}
	c, err := NewFile(path, "a", nil, nil, Options{H5DType: q.H5DType, QPRetrieveKW: q.QPRetrieveKW})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// CopyToGroup is copy(h5file=<group>): the group's content is replaced.
func (q *QPImage) CopyToGroup(g *h5.Group) (*QPImage, error) {
	if err := CopyH5(q.G, g); err != nil {
		return nil, err
	}
	return NewInGroup(g, nil, nil, Options{H5DType: q.H5DType, QPRetrieveKW: q.QPRetrieveKW})
}
