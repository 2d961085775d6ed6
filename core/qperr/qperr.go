package qperr

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// Kind classifies an error. The numeric values are internal; the C ABI has
// its own stable codes (see capi/errors.go).
type Kind int

const (
	// Internal is a bug in qpgo (including a recovered panic).
	Internal Kind = iota
	// BadArgument is a wrong value, shape, type or mode (Python ValueError).
	BadArgument
	// UnknownKey is a key outside the valid set, e.g. a meta key that is not
	// in META_KEYS or an unknown option name (Python KeyError).
	UnknownKey
	// NotFound is a valid key or index with nothing stored under it, e.g. an
	// absent background or a missing series member (Python KeyError).
	NotFound
	// MissingMeta is a valid meta key that was never set (Python
	// qpimage.meta.MetaDataMissingError).
	MissingMeta
	// IO is a file or HDF5 library failure (Python OSError).
	IO
	// Integrity is a failed integrity check (Python IntegrityCheckError).
	Integrity
	// Cancelled means a progress callback asked to stop.
	Cancelled
	// BadHandle is a handle that is zero, closed or of the wrong family.
	BadHandle
	// Unsupported is a valid request that this build cannot serve.
	Unsupported
	// Runtime is a valid request that fails on the data it meets, e.g. a
	// frame whose values do not fit the requested dtype (Python
	// RuntimeError).
	Runtime
)

var kindNames = [...]string{
	Internal:    "internal error",
	BadArgument: "bad argument",
	UnknownKey:  "unknown key",
	NotFound:    "not found",
	MissingMeta: "missing meta data",
	IO:          "I/O error",
	Integrity:   "integrity check failed",
	Cancelled:   "cancelled",
	BadHandle:   "bad handle",
	Unsupported: "unsupported",
	Runtime:     "runtime error",
}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is an error with a Kind. Msg is the text shown to users; it follows
// the upstream message where upstream has one.
type Error struct {
	Kind Kind
	Msg  string
	Err  error // optional cause
}

func (e *Error) Error() string {
	if e.Err != nil && e.Msg == "" {
		return e.Err.Error()
	}
	if e.Err != nil {
		// a message made from its cause ("%v", err) says it once
		if c := e.Err.Error(); strings.Contains(e.Msg, c) {
			return e.Msg
		}
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error of the given kind with a formatted message.
func New(kind Kind, format string, args ...any) error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// Wrap returns an error of the given kind whose cause is err. A nil err gives nil.
func Wrap(kind Kind, err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...), Err: err}
}

// KindOf reports the kind of err: the Kind of the first *Error in its chain,
// Internal for any other non-nil error, and -1 for nil.
func KindOf(err error) Kind {
	if err == nil {
		return -1
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Is reports whether err has the given kind.
func Is(err error, kind Kind) bool { return err != nil && KindOf(err) == kind }

// InFile names the file in an error about what it holds: an IO, Integrity
// or Unsupported error (a damaged, truncated or unreadable file, or one
// holding what qpgo cannot read) gets the prefix "name: " unless its
// message names the file already. Errors of other kinds carry
// upstream's messages, which callers compare verbatim, and pass unchanged,
// as does nil.
func InFile(err error, name string) error {
	if k := KindOf(err); k != IO && k != Integrity && k != Unsupported {
		return err
	}
	return Named(err, name)
}

// Named is InFile for an error of any kind, for readers whose every
// message is qpgo's own (a description file that does not say what it must).
func Named(err error, name string) error {
	if err == nil || name == "" {
		return err
	}
	msg := err.Error()
	base := filepath.Base(name)
	if strings.Contains(msg, name) || (len(base) > 2 && strings.Contains(msg, base)) {
		return err
	}
	return &Error{Kind: KindOf(err), Msg: name + ": " + msg, Err: err}
}
