package filekind

import (
	"bytes"
	"os"
	"sort"
	"strings"

	"qpgo/core/h5"
	"qpgo/core/qperr"
)

// Kind names, as the inspector prints them.
const (
	QPImage    = "qpimage"
	QPSeries   = "QPSeries"
	FLImage    = "FLImage"
	FLSeries   = "FLSeries"
	IMSHDF5    = "imageseries hdf5"
	CacheNPZ   = "frame-cache npz"
	CacheFCH5  = "frame-cache fch5"
	zipMagic   = "PK\x03\x04"
	emptyZip   = "PK\x05\x06"
	maxVisited = 10000 // groups walked while looking for an image dataset
)

// Info is the kind of a file and, for imageseries kinds, the
// imageseries.open format and options that read it.
type Info struct {
	Kind     string `json:"kind"`
	Format   string `json:"format,omitempty"`   // "hdf5" or "frame-cache"
	Path     string `json:"path,omitempty"`     // hdf5: group of the dataset
	Dataname string `json:"dataname,omitempty"` // hdf5: dataset name
	Style    string `json:"style,omitempty"`    // frame-cache: "npz" or "fch5"
}

// Detect returns the kind of the file at path. A missing file is
// qperr.IO; a file that is neither HDF5 nor a zip archive, or an HDF5
// file of none of the kinds, is qperr.BadArgument.
func Detect(path string) (Info, error) {
	f, err := os.Open(path)
	if err != nil {
		return Info{}, qperr.Wrap(qperr.IO, err, "Unable to open file %q", path)
	}
	head := make([]byte, 8)
	n, _ := f.Read(head)
	f.Close()
	head = head[:n]
	if bytes.HasPrefix(head, []byte(zipMagic)) || bytes.HasPrefix(head, []byte(emptyZip)) {
		return Info{Kind: CacheNPZ, Format: "frame-cache", Style: "npz"}, nil
	}
	if !bytes.HasPrefix(head, []byte("\x89HDF\r\n\x1a\n")) {
		return Info{}, qperr.New(qperr.BadArgument, "%q is neither an HDF5 file nor a .npz frame cache", path)
	}
	hf, err := h5.Open(path, "r")
	if err != nil {
		return Info{}, err
	}
	defer hf.Close()
	root := hf.Root()
	keys, err := root.Keys()
	if err != nil {
		return Info{}, err
	}
	has := make(map[string]bool, len(keys))
	prefixed := func(p string) bool {
		for _, k := range keys {
			if strings.HasPrefix(k, p) {
				return true
			}
		}
		return false
	}
	for _, k := range keys {
		has[k] = true
	}
	switch {
	case has["phase"] || has["amplitude"]:
		return Info{Kind: QPImage}, nil
	case has["fluorescence"]:
		return Info{Kind: FLImage}, nil
	case prefixed("qpi_"):
		return Info{Kind: QPSeries}, nil
	case prefixed("fli_"):
		return Info{Kind: FLSeries}, nil
	case has["data"] && has["indices"] && has["frame_ids"]:
		return Info{Kind: CacheFCH5, Format: "frame-cache", Style: "fch5"}, nil
	}
	if p, ok := findImages(root); ok {
		i := strings.LastIndex(p, "/")
		return Info{Kind: IMSHDF5, Format: "hdf5", Path: strings.TrimPrefix(p[:i], "/"), Dataname: p[i+1:]}, nil
	}
	return Info{}, qperr.New(qperr.BadArgument, "%q is not a qpimage, QPSeries, FLImage, FLSeries, imageseries or frame-cache file", path)
}

// findImages returns the absolute path of the 2-D or 3-D dataset that
// hexrd's hdf5 format would read: one in a group below the root, "images"
// preferred, else the first in name order.
func findImages(root *h5.Group) (string, bool) {
	var found []string
	queue := []*h5.Group{root}
	for visited := 0; len(queue) > 0 && visited < maxVisited; visited++ {
		g := queue[0]
		queue = queue[1:]
		keys, err := g.Keys()
		if err != nil {
			continue
		}
		for _, k := range keys {
			switch g.Kind(k) {
			case h5.GroupKind:
				if sub, err := g.Group(k); err == nil {
					queue = append(queue, sub)
				}
			case h5.DatasetKind:
				if g == root {
					continue
				}
				if di, err := g.DatasetInfo(k); err == nil && (len(di.Shape) == 2 || len(di.Shape) == 3) {
					found = append(found, g.Join(k))
				}
			}
		}
	}
	if len(found) == 0 {
		return "", false
	}
	sort.SliceStable(found, func(i, j int) bool {
		ii := strings.HasSuffix(found[i], "/images")
		jj := strings.HasSuffix(found[j], "/images")
		if ii != jj {
			return ii
		}
		return found[i] < found[j]
	})
	return found[0], true
}
