package meta

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"qpgo/core/qperr"
)

// DataKeys are the keys every qpimage data set should have (sorted).
var DataKeys = []string{"medium index", "pixel size", "time", "wavelength"}

// OtherKeys are the optional qpimage keys (sorted).
var OtherKeys = []string{"angle", "date", "device", "focus", "identifier",
	"numerical aperture", "pos x", "pos y", "qpimage version", "sim center",
	"sim index", "sim model", "sim radius", "software"}

// Keys is qpimage's META_KEYS: DataKeys followed by OtherKeys.
var Keys = append(slices.Clone(DataKeys), OtherKeys...)

// DataKeysFL are flimage's required keys (sorted).
var DataKeysFL = []string{"pixel size", "time"}

// OtherKeysFL are flimage's optional keys (sorted).
var OtherKeysFL = []string{"angle", "date", "device", "flimage version", "focus",
	"identifier", "numerical aperture", "pos x", "pos y", "qpimage version",
	"sim center", "sim model", "sim radius", "software"}

// KeysFL is flimage's META_KEYS_FL.
var KeysFL = append(slices.Clone(DataKeysFL), OtherKeysFL...)

// Version strings written by qpgo for files it creates, so that upstream
// readers see the versions whose format qpgo writes.
const (
	QPImageVersion = "0.9.3"
	FLImageVersion = "0.3.3"
)

// StringKeys are the keys whose values are text; all other keys hold
// numbers (float64, int64) or arrays of numbers ("sim center").
var StringKeys = []string{"date", "device", "flimage version", "identifier",
	"qpimage version", "sim model", "software"}

// IsStringKey reports whether a key holds text.
func IsStringKey(key string) bool { return slices.Contains(StringKeys, key) }

// Dict is a MetaDict: a map restricted to a set of valid keys.
type Dict struct {
	valid []string
	vals  map[string]any
}

// NewDict returns an empty dict over the given valid keys (Keys or KeysFL).
func NewDict(valid []string) *Dict {
	return &Dict{valid: valid, vals: map[string]any{}}
}

// Valid reports whether key is one of the dict's valid keys.
func (d *Dict) Valid(key string) bool { return slices.Contains(d.valid, key) }

// UnknownKeyError is the MetaDict error for an invalid key.
func UnknownKeyError(key string) error {
	return qperr.New(qperr.UnknownKey, "Unknown meta key: '%s'", key)
}

// MissingError is upstream's MetaDataMissingError text.
func MissingError(key string) error {
	return qperr.New(qperr.MissingMeta, "No meta data was defined for '%s'! Please make sure you passed the dictionary `meta_data` when you loaded your data.", key)
}

// Set stores a value under a valid key.
func (d *Dict) Set(key string, value any) error {
	if !d.Valid(key) {
		return UnknownKeyError(key)
	}
	if err := CheckValue(key, value); err != nil {
		return err
	}
	d.vals[key] = value
	return nil
}

// Get returns the value of key, MissingMeta if it is valid but unset.
func (d *Dict) Get(key string) (any, error) {
	if !d.Valid(key) {
		return nil, UnknownKeyError(key)
	}
	v, ok := d.vals[key]
	if !ok {
		return nil, MissingError(key)
	}
	return v, nil
}

// Float returns a numeric value as float64.
func (d *Dict) Float(key string) (float64, error) {
	v, err := d.Get(key)
	if err != nil {
		return 0, err
	}
	return AsFloat(key, v)
}

// AsFloat converts a numeric meta value to float64.
func AsFloat(key string, v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case float32:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case int:
		return float64(x), nil
	}
	return 0, qperr.New(qperr.BadArgument, "meta data '%s' is not a number: %v", key, v)
}

// Has reports whether key is set.
func (d *Dict) Has(key string) bool { _, ok := d.vals[key]; return ok }

// Delete removes a key.
func (d *Dict) Delete(key string) { delete(d.vals, key) }

// Keys returns the set keys in name order (the HDF5 attribute order).
func (d *Dict) Keys() []string {
	out := make([]string, 0, len(d.vals))
	for k := range d.vals {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Len is the number of set keys.
func (d *Dict) Len() int { return len(d.vals) }

// CheckValue rejects values that cannot be stored as an HDF5 attribute:
// qpgo stores numbers, text and 1-D number arrays (what qpimage users pass).
// NaN and infinities are allowed (upstream stores them).
func CheckValue(key string, v any) error {
	switch x := v.(type) {
	case float64, float32, int64, int, bool:
		return nil
	case string:
		if strings.IndexByte(x, 0) >= 0 {
			return qperr.New(qperr.BadArgument, "meta data '%s': text must not contain NUL", key)
		}
		return nil
	case []float64:
		if len(x) == 0 {
			return qperr.New(qperr.BadArgument, "meta data '%s': empty array", key)
		}
		return nil
	case []int64:
		if len(x) == 0 {
			return qperr.New(qperr.BadArgument, "meta data '%s': empty array", key)
		}
		return nil
	}
	return qperr.New(qperr.BadArgument, "meta data '%s': unsupported value type %T", key, v)
}

// Format renders a value as Python's repr would for info/repr output.
func Format(v any) string {
	switch x := v.(type) {
	case string:
		return "'" + x + "'"
	case float64:
		return PyFloat(x)
	}
	return fmt.Sprint(v)
}
