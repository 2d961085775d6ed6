// Package meta owns the meta-data keys of qpimage and flimage and the
// MetaDict rules: a key outside the valid set is an UnknownKey error, a
// valid key that was never set is a MissingMeta error (upstream's
// MetaDataMissingError), and values are not validated beyond their key
// (upstream stores whatever type it is given).
package meta
