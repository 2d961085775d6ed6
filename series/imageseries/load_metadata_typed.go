package imageseries

import (
	"encoding/json"
	"sort"
	"unsafe"

	"qpgo/core/h5"
	"qpgo/core/qperr"
	"qpgo/internal/npy"
)

// Typed metadata for the C ABI (issue 18): numeric arrays cross the
// boundary as dtype + shape + bytes (ims_metadata_array), everything else
// as the typed JSON of one value (ims_metadata_value_json), so a 400 MB
// array costs its 400 MB once instead of a JSON number list.

// MetaEntry describes one top-level metadata value: Kind "array" (a
// numeric or bool array; DType and Shape set) or "json" (any other value).
type MetaEntry struct {
	Name  string   `json:"name"`
	Kind  string   `json:"kind"`
	DType h5.DType `json:"dtype,omitempty"`
	Shape any      `json:"shape,omitempty"` // []int for arrays ([] for 0-d)
}

// metaArray returns the numeric array stored under key, if it is one.
func metaArray(v any) (data any, shape []int, ok bool) {
	switch x := v.(type) {
	case *npy.Array:
		if x == nil || h5.DTypeOf(x.Data) == h5.Invalid {
			return nil, nil, false
		}
		return x.Data, x.Shape, true
	case []float64, []float32, []int64, []int32, []uint16, []uint8, []int8, []int16, []uint32, []uint64, []bool:
		return x, []int{npy.SliceLen(x)}, true
	}
	return nil, nil, false
}

// MetadataEntries lists m's keys in order with their kinds.
func MetadataEntries(m Metadata) []MetaEntry {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]MetaEntry, 0, len(keys))
	for _, k := range keys {
		e := MetaEntry{Name: k, Kind: "json"}
		if d, shape, ok := metaArray(m[k]); ok {
			e.Kind, e.DType, e.Shape = "array", h5.DTypeOf(d), append([]int{}, shape...)
			// (an interface holding an empty slice is not omitted: 0-d is "shape":[])
		}
		out = append(out, e)
	}
	return out
}

// MetadataArray returns the array under key: its data (a typed slice, in
// row-major order) and shape. A missing key is qperr.Key, a value that is
// not a numeric array qperr.BadArgument.
func MetadataArray(m Metadata, key string) (any, []int, error) {
	v, ok := m[key]
	if !ok {
		return nil, nil, qperr.New(qperr.NotFound, "no metadata key %q", key)
	}
	d, shape, ok := metaArray(v)
	if !ok {
		return nil, nil, qperr.New(qperr.BadArgument, "metadata %q is not a numeric array", key)
	}
	return d, shape, nil
}

// ArrayBytes is the memory of a typed slice (nil for an empty one).
func ArrayBytes(d any) []byte {
	if b, ok := d.([]bool); ok {
		if len(b) == 0 {
			return nil
		}
		return unsafe.Slice((*byte)(unsafe.Pointer(&b[0])), len(b))
	}
	ptr, n, size := rawBytes(d)
	if ptr == nil || n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(ptr), n*size)
}

// MetadataValueJSON is the typed JSON (as MetadataJSON writes values) of
// the value under key.
func MetadataValueJSON(m Metadata, key string) ([]byte, error) {
	v, ok := m[key]
	if !ok {
		return nil, qperr.New(qperr.NotFound, "no metadata key %q", key)
	}
	t, err := typedValue(v)
	if err != nil {
		return nil, err
	}
	return json.Marshal(t)
}
