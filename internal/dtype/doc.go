// Package dtype owns the one element-type enum of qpgo: the NumPy types of
// HDF5 datasets and attributes (core/h5 aliases it as h5.DType),
// image-series frames (series/imageseries aliases it as DType) and the
// qpgo_dtype codes of the C ABI (the values are those codes). It also owns
// what depends only on the type: NumPy names and spellings (Parse,
// ParseName), sizes, value ranges, NumPy's promotion rule (Promote) and the
// typed Go slices that hold each type (Of, Make, Len, Bytes, View).
//
// It is a leaf: it imports nothing of qpgo but core/qperr, so every layer
// can use it without import cycles.
package dtype
