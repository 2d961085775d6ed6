package qpimage

import (
	"os"
	"path/filepath"

	"qpgo/core/h5"
	"qpgo/core/qperr"
)

// WriteCopy copies the tree of g into a new file at path (upstream copyh5
// with a path target, mode "w"). It writes to a temporary file beside path
// and renames it into place, so that an error half-way never leaves a
// truncated file where a good one was.
func WriteCopy(g *h5.Group, path string) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return qperr.Wrap(qperr.IO, err, "Unable to create file %q", path)
	}
	tmpName := tmp.Name()
	tmp.Close()
	defer os.Remove(tmpName)
	f, err := h5.Open(tmpName, "w")
	if err != nil {
		return err
	}
	if err := CopyH5(g, f.Root()); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := h5.Rename(tmpName, path); err != nil {
		return qperr.Wrap(qperr.IO, err, "Unable to write file %q", path)
	}
	return nil
}
