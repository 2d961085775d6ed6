// Package qperr owns the error model of qpgo: every error that leaves a core
// or series package carries a Kind, and the C ABI maps each Kind to one
// integer code (capi/errors.go), the Python binding to one exception class.
//
// Kinds follow the upstream exception classes (ValueError, KeyError,
// MetaDataMissingError, IntegrityCheckError, OSError) so that a binding can
// raise what upstream raises without parsing messages.
package qperr
