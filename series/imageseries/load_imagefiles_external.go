package imageseries

import (
	"sync"

	"qpgo/core/qperr"
)

// ExternalImageReader reads image files of formats this package does not
// decode (a binding hands them to fabio). Info returns the file's frame
// count, its fabio class name and the shape and dtype of frame k; Read
// writes frame k, row-major in native byte order, into buf (exactly
// rows·cols·dtype size bytes). handled false: the reader does not know
// the format either (the file's own "unsupported" error stands).
type ExternalImageReader interface {
	Info(name string, k int) (nframes int, class string, rows, cols int, dt DType, handled bool, err error)
	Read(name string, k int, buf []byte) error
}

var externalImages struct {
	sync.Mutex
	r ExternalImageReader
}

// SetExternalImageReader makes r the reader of image files of unknown
// formats (nil: none) for every image-files series opened afterwards.
func SetExternalImageReader(r ExternalImageReader) {
	externalImages.Lock()
	externalImages.r = r
	externalImages.Unlock()
}

func externalImageReader() ExternalImageReader {
	externalImages.Lock()
	defer externalImages.Unlock()
	return externalImages.r
}

// openExternal opens name through the external reader (nil, nil: not
// handled). Frames are read through it on every access, as upstream
// reads them through fabio.
func openExternal(name string) (*imageFile, error) {
	r := externalImageReader()
	if r == nil {
		return nil, nil
	}
	n, class, rows, cols, dt, handled, err := r.Info(name, 0)
	if err != nil || !handled {
		return nil, err
	}
	if n < 1 || rows < 0 || cols < 0 || !dt.Valid() {
		return nil, qperr.New(qperr.Integrity, "%s: the image reader reported %d frames of shape (%d, %d), dtype %v", name, n, rows, cols, dt)
	}
	im := &imageFile{name: name, class: class, nframes: n, rows: rows, cols: cols, dt: dt}
	im.external = func(k int) (Frame, error) {
		if k < 0 || k >= im.nframes {
			return Frame{}, qperr.New(qperr.NotFound, "%s: frame %d out of range (%d frames)", name, k, im.nframes)
		}
		_, _, fr, fc, fdt, handled, err := r.Info(name, k)
		if err != nil {
			return Frame{}, err
		}
		if !handled || fr != rows || fc != cols || fdt != dt {
			return Frame{}, qperr.New(qperr.Integrity, "%s: frame %d is (%d, %d) %v, frame 0 (%d, %d) %v", name, k, fr, fc, fdt, rows, cols, dt)
		}
		data := newData(dt, rows*cols)
		if err := r.Read(name, k, DataBytes(data)); err != nil {
			return Frame{}, err
		}
		return Frame{rows, cols, data}, nil
	}
	return im, nil
}
