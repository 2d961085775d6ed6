package main

import (
	"path"
	"strconv"

	"qpgo/core/h5"
	ims "qpgo/series/imageseries"
)

// withH5Ref runs f with the ims option "h5group_id" — the libhdf5
// identifier of an h5py.File or h5py.Group that the caller opened in this
// process, as a decimal string (hid_t values exceed a double's integers) —
// turned into the writer's "file" option: the series is written into that
// very object (no second open; the caller's h5py object sees the result),
// the group's path prefixed to the "path" option. Without the option f
// just runs.
func withH5Ref(opts ims.Options, f func() error) error {
	v, ok := opts["h5group_id"]
	if !ok {
		return f()
	}
	delete(opts, "h5group_id")
	s, ok := v.(string)
	if !ok {
		return argErr("ims option h5group_id: expected the identifier as a decimal string, got %T", v)
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return argErr("bad h5group_id %q", s)
	}
	g, err := h5.WrapID(id)
	if err != nil {
		return err
	}
	defer g.File().Close() // releases only what WrapID took
	opts["file"] = g.File()
	if gp := g.Path(); gp != "" && gp != "/" {
		p, _ := opts["path"].(string)
		opts["path"] = path.Join(gp, p)
	}
	return f()
}
