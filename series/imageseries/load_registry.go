package imageseries

import (
	"io"
	"sort"
	"sync"

	"qpgo/core/qperr"
	"qpgo/internal/npy"
)

// Options are the keyword arguments of Open and Write (hexrd's **kwargs),
// keyed by the upstream argument name ("threshold", "style", "path", ...).
type Options map[string]any

// Opener opens a series of one format. name is a file name or, for formats
// that allow it, YAML text; it may be empty for in-memory formats.
type Opener func(name string, opts Options) (ImageSeries, error)

// Writer writes a series in one format.
type Writer func(ims ImageSeries, name string, opts Options) error

var registry = struct {
	sync.RWMutex
	open  map[string]Opener
	write map[string]Writer
}{open: map[string]Opener{}, write: map[string]Writer{}}

// Register adds (or replaces, as upstream's metaclass registry does) the
// opener and/or writer of a format. Either may be nil. The HDF5-based formats
// plug in here from their own file.
func Register(format string, open Opener, write Writer) {
	registry.Lock()
	defer registry.Unlock()
	if open != nil {
		registry.open[format] = open
	}
	if write != nil {
		registry.write[format] = write
	}
}

// Formats lists the registered formats that can be opened.
func Formats() []string {
	registry.RLock()
	defer registry.RUnlock()
	var out []string
	for k := range registry.open {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Open opens a series (hexrd imageseries.open). An empty format is
// upstream's None/trivial adapter, whose zero length makes Open fail.
func Open(name, format string, opts Options) (ImageSeries, error) {
	if format == "" {
		return nil, qperr.New(qperr.Runtime, "zero length imageseries")
	}
	registry.RLock()
	op := registry.open[format]
	registry.RUnlock()
	if op == nil {
		return nil, qperr.New(qperr.UnknownKey, "unknown image series format '%s'", format)
	}
	ims, err := op(name, opts)
	if err != nil {
		return nil, err
	}
	if ims.Len() == 0 {
		if c, ok := ims.(io.Closer); ok {
			c.Close()
		}
		return nil, qperr.New(qperr.Runtime, "zero length imageseries")
	}
	return ims, nil
}

// Write writes a series (hexrd imageseries.write).
func Write(ims ImageSeries, name, format string, opts Options) error {
	registry.RLock()
	w := registry.write[format]
	registry.RUnlock()
	if w == nil {
		return qperr.New(qperr.UnknownKey, "unknown image series writer format '%s'", format)
	}
	return w(ims, name, opts)
}

func init() {
	Register("array", openArrayOpts, nil)
	Register("function", openFunctionOpts, nil)
	Register("frame-cache", openFrameCacheOpts, writeFrameCacheOpts)
	Register("image-files", func(name string, _ Options) (ImageSeries, error) { return OpenImageFiles(name) }, nil)
	Register("raw-image", func(name string, _ Options) (ImageSeries, error) { return OpenRawImage(name) }, nil)
}

// option helpers: values may come from Go callers or from decoded JSON, so
// numbers are accepted as any integer or float type.

func optNumber(opts Options, key string) (float64, bool, error) {
	v, ok := opts[key]
	if !ok || v == nil {
		return 0, false, nil
	}
	switch x := v.(type) {
	case float64:
		return x, true, nil
	case float32:
		return float64(x), true, nil
	case int:
		return float64(x), true, nil
	case int64:
		return float64(x), true, nil
	case int32:
		return float64(x), true, nil
	case uint16:
		return float64(x), true, nil
	case uint8:
		return float64(x), true, nil
	}
	return 0, false, qperr.New(qperr.BadArgument, "option %s: expected a number, got %T", key, v)
}

func optString(opts Options, key, def string) (string, error) {
	v, ok := opts[key]
	if !ok || v == nil {
		return def, nil
	}
	s, ok := v.(string)
	if !ok {
		return "", qperr.New(qperr.BadArgument, "option %s: expected a string, got %T", key, v)
	}
	return s, nil
}

func optMeta(opts Options, key string) (Metadata, error) {
	v, ok := opts[key]
	if !ok || v == nil {
		return Metadata{}, nil
	}
	switch m := v.(type) {
	case Metadata:
		return m, nil
	case map[string]any:
		return Metadata(m), nil
	}
	return nil, qperr.New(qperr.BadArgument, "option %s: expected metadata, got %T", key, v)
}

func openArrayOpts(_ string, opts Options) (ImageSeries, error) {
	meta, err := optMeta(opts, "meta")
	if err != nil {
		return nil, err
	}
	switch d := opts["data"].(type) {
	case *npy.Array:
		return NewArray(d.Data, d.Shape, meta)
	case Frame:
		return NewArray(d.Data, []int{d.Rows, d.Cols}, meta)
	case nil:
		return nil, qperr.New(qperr.NotFound, "option 'data' is required")
	default:
		return nil, qperr.New(qperr.BadArgument, "option data: expected *npy.Array or Frame, got %T", d)
	}
}

func openFunctionOpts(_ string, opts Options) (ImageSeries, error) {
	f, ok := opts["func"].(func(int) (Frame, error))
	if !ok {
		return nil, qperr.New(qperr.NotFound, "option 'func' is required (func(int) (Frame, error))")
	}
	n, ok, err := optNumber(opts, "num_frames")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, qperr.New(qperr.NotFound, "option 'num_frames' is required")
	}
	meta, err := optMeta(opts, "meta")
	if err != nil {
		return nil, err
	}
	return NewFunction(f, int(n), meta)
}
