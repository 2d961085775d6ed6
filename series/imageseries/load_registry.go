package imageseries

import (
	"encoding/json"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"

	"qpgo/core/qperr"
)

// Options are the keyword arguments of Open and Write (hexrd's **kwargs),
// keyed by the upstream argument name ("threshold", "style", "path", ...).
type Options map[string]any

// Opener opens a series of one format. name is a file name or, for formats
// that allow it, YAML text; it may be empty for in-memory formats.
type Opener func(name string, opts Options) (ImageSeries, error)

// Writer writes a series in one format.
type Writer func(ims ImageSeries, name string, opts Options) error

// OptionKeys are the option keys an adapter declares when it registers:
// the options a caller may give as text (ParseOpenOptions,
// ParseWriteOptions; the C ABI's JSON objects). Options only Go callers can
// pass (Go values such as "file", "warn", "data", "func") are not listed.
type OptionKeys struct {
	Open  []string // keys of the opener
	Write []string // keys of the writer
}

var registry = struct {
	sync.RWMutex
	open      map[string]Opener
	write     map[string]Writer
	openKeys  map[string][]string
	writeKeys map[string][]string
}{open: map[string]Opener{}, write: map[string]Writer{},
	openKeys: map[string][]string{}, writeKeys: map[string][]string{}}

// Register adds (or replaces, as upstream's metaclass registry does) the
// opener and/or writer of a format, with the option keys they accept from
// text (keys, at most one). Either may be nil. A format registered without
// keys (for that direction) is reachable from Go only: ParseOpenOptions
// and ParseWriteOptions report it as an unknown format. The HDF5-based
// formats plug in here from their own file.
func Register(format string, open Opener, write Writer, keys ...OptionKeys) {
	registry.Lock()
	defer registry.Unlock()
	var k OptionKeys
	if len(keys) > 0 {
		k = keys[0]
	}
	if open != nil {
		registry.open[format] = open
		if k.Open != nil {
			registry.openKeys[format] = append([]string(nil), k.Open...)
		}
	}
	if write != nil {
		registry.write[format] = write
		if k.Write != nil {
			registry.writeKeys[format] = append([]string(nil), k.Write...)
		}
	}
}

// ParseOpenOptions parses the options of Open for format given as text (a
// JSON object; "" or "null" for none): only the keys the format declared
// are accepted. what names the options in messages (e.g. "ims_open option").
func ParseOpenOptions(format, text, what string) (Options, error) {
	return parseOptions(format, text, what, registry.openKeys)
}

// ParseWriteOptions is ParseOpenOptions for Write.
func ParseWriteOptions(format, text, what string) (Options, error) {
	return parseOptions(format, text, what, registry.writeKeys)
}

func parseOptions(format, text, what string, table map[string][]string) (Options, error) {
	registry.RLock()
	allowed, ok := table[format]
	var formats []string
	if !ok {
		for k := range table {
			formats = append(formats, k)
		}
	}
	registry.RUnlock()
	if !ok {
		sort.Strings(formats)
		return nil, qperr.New(qperr.UnknownKey, "unknown image series format '%s' (valid: %s)", format, strings.Join(formats, ", "))
	}
	opts := Options{}
	text = strings.TrimSpace(text)
	if text == "" || text == "null" {
		return opts, nil
	}
	bad := func(format string, args ...any) error { return qperr.New(qperr.BadArgument, format, args...) }
	dec := json.NewDecoder(strings.NewReader(text))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		if len(text) > 60 {
			text = text[:57] + "..."
		}
		return nil, bad("%s must be a JSON object, got %q", what, text)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, bad("%s: invalid JSON: %v", what, err)
		}
		key := tok.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, bad("%s: invalid JSON value for %q: %v", what, key, err)
		}
		if !slices.Contains(allowed, key) {
			return nil, qperr.New(qperr.UnknownKey, "unknown %s key %q (valid: %s)", what, key, strings.Join(allowed, ", "))
		}
		if _, dup := opts[key]; dup {
			return nil, bad("%s: duplicate key %q", what, key)
		}
		opts[key] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, bad("%s: invalid JSON: %v", what, err)
	}
	if dec.More() {
		return nil, bad("%s: trailing data after the JSON object", what)
	}
	return opts, nil
}

// DeclaredKeys returns, per format, the option keys its opener and its
// writer declared when they registered (copies: for descriptions such as
// the C ABI's qpgo_describe_json).
func DeclaredKeys() (open, write map[string][]string) {
	registry.RLock()
	defer registry.RUnlock()
	cp := func(m map[string][]string) map[string][]string {
		out := make(map[string][]string, len(m))
		for k, v := range m {
			out[k] = append([]string(nil), v...)
		}
		return out
	}
	return cp(registry.openKeys), cp(registry.writeKeys)
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
		return nil, qperr.InFile(err, name) // a damaged file is named
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
