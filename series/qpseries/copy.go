package qpseries

import (
	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/qperr"
)

// CopyTree is qpimage's copyh5 from group in into group out (existing keys
// of out are replaced; datasets rewritten with the image-dataset rules of
// the target file and given the source attributes; group attributes last),
// except that every member whose path relative to in is a key of links
// becomes a hard link to the absolute path links[key] in out's file
// instead of a copy.
func CopyTree(in, out *h5.Group, links map[string]string) error {
	return copyTree(in, out, "", links)
}

func copyTree(in, out *h5.Group, rel string, links map[string]string) error {
	keys, err := in.Keys()
	if err != nil {
		return err
	}
	for _, k := range keys {
		r := k
		if rel != "" {
			r = rel + "/" + k
		}
		if out.Has(k) {
			if err := out.Delete(k); err != nil {
				return err
			}
		}
		if target, ok := links[r]; ok {
			if err := out.HardLink(target, k); err != nil {
				return err
			}
			continue
		}
		switch in.Kind(k) {
		case h5.GroupKind:
			src, err := in.Group(k)
			if err != nil {
				return err
			}
			dst, err := out.RequireGroup(k)
			if err != nil {
				return err
			}
			if err := copyTree(src, dst, r, links); err != nil {
				return err
			}
		case h5.DatasetKind:
			data, shape, err := in.ReadDataset(k)
			if err != nil {
				return err
			}
			if err := imagedata.WriteTyped(out, k, data, shape); err != nil {
				return err
			}
			if err := copyAttrs(in.AttrsOf(k), out.AttrsOf(k)); err != nil {
				return err
			}
		default:
			return qperr.New(qperr.Unsupported, "cannot copy object %q", in.Join(k))
		}
	}
	// links to members the source does not have (e.g. a background the
	// source image lacks) are created too
	for r, target := range links {
		if dir, base := split(r); dir == rel && !out.Has(base) {
			if err := out.HardLink(target, base); err != nil {
				return err
			}
		}
	}
	return copyAttrs(in.Attrs(), out.Attrs())
}

func split(p string) (dir, base string) {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[:i], p[i+1:]
		}
	}
	return "", p
}

func copyAttrs(src, dst h5.Attrs) error {
	names, err := src.Names()
	if err != nil {
		return err
	}
	for _, n := range names {
		v, err := src.Get(n)
		if err != nil {
			return err
		}
		if err := dst.Set(n, v); err != nil {
			return err
		}
	}
	return nil
}
