package qpseries

import (
	"qpgo/core/h5"
	"qpgo/core/imagedata"
)

// CopyTree is qpimage's copyh5 from group in into group out (existing keys
// of out are replaced; datasets rewritten with the image-dataset rules of
// the target file and given the source attributes; group attributes last),
// except that every member whose path relative to in is a key of links
// becomes a hard link to the absolute path links[key] in out's file
// instead of a copy.
func CopyTree(in, out *h5.Group, links map[string]string) error {
	return imagedata.CopyGroup(in, out, links)
}
