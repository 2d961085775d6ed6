package h5

/*
#include <stdlib.h>
#include "qh.h"
*/
import "C"

import (
	"errors"
	"io"
	"os"
	"sync/atomic"

	"qpgo/core/qperr"
	"qpgo/internal/limits"
)

// File is an open HDF5 file. All methods are safe for concurrent use.
type File struct {
	id       C.hid_t
	name     string
	mode     string
	inMemory bool
	closed   atomic.Bool
	wrapped  bool // borrowed with WrapID: the caller owns the identifier
	ownsRef  bool // WrapID took a reference of its own
	held     fileID
	isHeld   bool            // counted in the files qpgo holds open (no revalidation)
	budget   atomic.Int64    // limits.Budget of whole-dataset reads (0: process-wide)
	deferred bool            // its walk left datasets to checkDeferred
	checked  map[string]bool // datasets checkDeferred looked at (package lock)
}

// SetBudget sets the memory budget of the whole-dataset reads of this open
// (the per-open "max_alloc_bytes"; 0: the process-wide limits.MaxAlloc).
func (f *File) SetBudget(b limits.Budget) { f.budget.Store(int64(b)) }

// inFile names this file in an IO or Integrity error of a read
// (qperr.InFile), so that a damaged file is named where it is reported.
func (f *File) inFile(err *error) { *err = qperr.InFile(*err, f.name) }

// Budget is the memory budget of this open.
func (f *File) Budget() limits.Budget { return limits.Budget(f.budget.Load()) }

// ValidModes are the h5py file modes.
var ValidModes = []string{"r", "r+", "w", "w-", "x", "a"}

// Open opens or creates the file at path with an h5py mode:
// "r" read-only, "r+" read/write (must exist), "w" create or truncate,
// "w-" or "x" create (fail if it exists), "a" read/write or create.
func Open(path, mode string) (*File, error) {
	if path == "" {
		return nil, qperr.New(qperr.BadArgument, "empty file name")
	}
	switch mode {
	case "r", "r+", "w", "w-", "x", "a":
	default:
		return nil, qperr.New(qperr.BadArgument, "Invalid mode %q; must be one of r, r+, w, w-, x, a", mode)
	}
	_, statErr := os.Stat(path)
	exists := statErr == nil
	if (mode == "r" || mode == "r+") && !exists {
		return nil, qperr.Wrap(qperr.IO, statErr, "Unable to open file %q", path)
	}
	if (mode == "r" || mode == "r+" || mode == "a") && exists {
		if err := checkSignature(path); err != nil {
			return nil, err
		}
	}
	cname := cstr(path)
	defer free(cname)
	lock()
	defer unlock()
	deferred := false // a walk left datasets to checkDeferred
	if exists && mode != "w" {
		var known bool
		if known, deferred = validation(path); !known {
			var err error
			if deferred, err = validateFile(cname, path, fileSize(path)); err != nil {
				return nil, err
			}
			markValidated(path, deferred)
		}
	}
	var id C.hid_t
	switch {
	case mode == "r":
		id = C.qh_fopen(cname, 0)
	case mode == "r+" || (mode == "a" && exists):
		id = C.qh_fopen(cname, 1)
	case mode == "w":
		id = C.qh_fcreate(cname, 0)
	default: // w-, x, a (new)
		if exists {
			return nil, qperr.New(qperr.IO, "Unable to create file %q: file exists (mode %q)", path, mode)
		}
		id = C.qh_fcreate(cname, 1)
	}
	if id < 0 {
		return nil, lastError("Unable to open file %q (mode %q)", path, mode)
	}
	f := &File{id: id, name: path, mode: mode, deferred: deferred}
	f.held, f.isHeld = heldOpen(path)
	return f, nil
}

// checkSignature rejects files that are not HDF5 with a clear message before
// libhdf5 sees them. The superblock may sit at 0, 512, 1024, … bytes.
func checkSignature(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return qperr.Wrap(qperr.IO, err, "Unable to open file %q", path)
	}
	defer f.Close()
	sig := []byte("\x89HDF\r\n\x1a\n")
	buf := make([]byte, 8)
	for off := int64(0); off < 1<<20; off = max(512, off*2) {
		if _, err := f.ReadAt(buf, off); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return qperr.Wrap(qperr.IO, err, "Unable to read file %q", path)
		}
		if string(buf) == string(sig) {
			return nil
		}
	}
	return qperr.New(qperr.IO, "Unable to open file %q: not an HDF5 file", path)
}

var memCount atomic.Int64

// CreateInMemory creates a file that lives in memory only (core driver, no
// backing store), like h5py's driver="core", backing_store=False. Datasets
// in such files are written contiguous and unfiltered by qpimage.
func CreateInMemory(name string) (*File, error) {
	if name == "" {
		name = "qpgo_mem.h5"
	}
	// libhdf5 identifies open files by name: make it unique in this process.
	cname := cstr(name + "#" + itoa(memCount.Add(1)))
	defer free(cname)
	lock()
	defer unlock()
	id := C.qh_fcreate_core(cname, 64*1024)
	if id < 0 {
		return nil, lastError("Unable to create in-memory file %q", name)
	}
	return &File{id: id, name: name, mode: "w", inMemory: true}, nil
}

func itoa(v int64) string {
	if v == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for v > 0 {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b[i:])
}

// Name is the path (or the in-memory name) of the file.
func (f *File) Name() string { return f.name }

// Mode is the mode the file was opened with.
func (f *File) Mode() string { return f.mode }

// InMemory reports whether the file lives on the core driver.
func (f *File) InMemory() bool { return f.inMemory }

// Writable reports whether the file was opened for writing.
func (f *File) Writable() bool { return f.mode != "r" }

// Root returns the root group.
func (f *File) Root() *Group { return &Group{f: f, path: "/"} }

// Flush writes buffered data to disk.
func (f *File) Flush() error {
	lock()
	defer unlock()
	if f.closed.Load() {
		return errClosed
	}
	if C.H5Fflush(f.id, C.H5F_SCOPE_GLOBAL) < 0 {
		return lastError("Unable to flush %q", f.name)
	}
	return nil
}

// Close closes the file. Closing twice is a no-op.
func (f *File) Close() error {
	lock()
	defer unlock()
	if f.closed.Swap(true) {
		return nil
	}
	if f.wrapped {
		return f.closeWrapped()
	}
	if f.isHeld {
		released(f.held)
		f.isHeld = false
	}
	if C.H5Fclose(f.id) < 0 {
		return lastError("Unable to close %q", f.name)
	}
	if f.mode != "r" && !f.inMemory {
		markValidated(f.name, false) // written by libhdf5 itself: no need to walk it again
	}
	return nil
}

// Closed reports whether Close was called.
func (f *File) Closed() bool { return f.closed.Load() }

var errClosed = qperr.New(qperr.BadArgument, "the HDF5 file is closed")

// check returns an error if the file is closed. Call with mu held.
func (f *File) check() error {
	if f.closed.Load() {
		return errClosed
	}
	return nil
}

// checkWrite also requires a writable file.
func (f *File) checkWrite() error {
	if err := f.check(); err != nil {
		return err
	}
	if f.mode == "r" {
		return qperr.New(qperr.IO, "Unable to write to %q: file is opened read-only", f.name)
	}
	return nil
}
