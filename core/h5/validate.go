package h5

// #include "qh.h"
import "C"

import (
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"qpgo/core/qperr"
	"qpgo/internal/limits"
)

// Files are walked in a forked child before their first open (qh_validate
// in qh.c) because libhdf5 1.10 can crash on damaged object headers, loop
// on them, or (H5Dread on a damaged chunk index) loop while its memory
// grows. The walk costs a fork (a few ms), so files whose identity and
// modification time have been validated — or that qpgo itself just wrote
// and closed — are remembered. Set QPGO_VALIDATE=0 to skip validation
// entirely.
//
// The child runs under a deadline proportional to the file size
// (validateBase + size/validateRate, or limits.ValidateTimeout when set)
// and an address-space limit (RLIMIT_AS) of the memory budget beyond what
// the process has mapped; the parent polls waitpid and kills the child at
// the deadline. Files up to readDataMax bytes are also read whole in the
// child (every dataset through its filters and chunk index), so a small
// untrusted file that would hang or exhaust memory in H5Dread is refused
// before the parent reads it; larger files get the structural walk
// (objects, attributes, chunk index) only, keeping the first open of big
// files cheap.

const (
	validateBase = 1000 * time.Millisecond
	validateRate = 16 << 20 // bytes per second
	readDataMax  = 16 << 20
	childMemMax  = 1 << 30
)

// validateFile runs qh_validate for path (size bytes) and turns its
// verdict into an error.
func validateFile(cname *C.char, path string, size int64) error {
	validations.Add(1)
	d := limits.ValidateTimeout()
	if d <= 0 {
		d = validateBase + time.Duration(float64(size)/validateRate*float64(time.Second))
	}
	mem := min(limits.MaxAlloc(), childMemMax)
	read := C.int(0)
	if size <= readDataMax {
		read = 1
	}
	switch C.qh_validate(cname, C.double(d.Seconds()), C.longlong(mem), read) {
	case -1:
		return qperr.New(qperr.IO, "Unable to open file %q: the file is corrupt (libhdf5 failed while reading its object headers)", path)
	case -2:
		return qperr.New(qperr.IO, "Unable to open file %q: the file is corrupt (reading its structure with libhdf5 did not finish within %s)", path, d.Round(time.Millisecond))
	case -3:
		return qperr.New(qperr.IO, "Unable to open file %q: the file is corrupt (libhdf5 ran out of the %d-byte memory limit reading it)", path, mem)
	}
	return nil
}

type fileKey struct {
	dev, ino   uint64
	size       int64
	mtime, ctm int64
}

var validatedFiles = struct {
	sync.Mutex
	m    map[fileKey]bool
	open map[fileID]int // files qpgo holds open (File.Open .. Close)
}{m: map[fileKey]bool{}, open: map[fileID]int{}}

// validations counts the validation walks (forks) started.
var validations atomic.Int64

var validationOff = os.Getenv("QPGO_VALIDATE") == "0"

func keyOf(path string) (fileKey, bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return fileKey{}, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileKey{}, false
	}
	return fileKey{uint64(st.Dev), st.Ino, st.Size, st.Mtim.Nano(), st.Ctim.Nano()}, true
}

func validated(path string) bool {
	if validationOff {
		return true
	}
	k, ok := keyOf(path)
	if !ok {
		return false
	}
	validatedFiles.Lock()
	defer validatedFiles.Unlock()
	// a file qpgo holds open was validated (or created) by that open, and
	// its changes since are libhdf5's own writes
	return validatedFiles.m[k] || validatedFiles.open[k.id()] > 0
}

// fileID is a file's identity (device and inode), whatever its content.
type fileID struct{ dev, ino uint64 }

func (k fileKey) id() fileID { return fileID{k.dev, k.ino} }

// heldOpen counts an open of path by qpgo (opened true) or its close.
// It returns the identity counted, for the matching close.
func heldOpen(path string) (fileID, bool) {
	k, ok := keyOf(path)
	if !ok {
		return fileID{}, false
	}
	validatedFiles.Lock()
	defer validatedFiles.Unlock()
	validatedFiles.open[k.id()]++
	return k.id(), true
}

func released(id fileID) {
	validatedFiles.Lock()
	defer validatedFiles.Unlock()
	if validatedFiles.open[id]--; validatedFiles.open[id] <= 0 {
		delete(validatedFiles.open, id)
	}
}

func markValidated(path string) {
	k, ok := keyOf(path)
	if !ok {
		return
	}
	validatedFiles.Lock()
	defer validatedFiles.Unlock()
	if len(validatedFiles.m) > 4096 { // bound the memory of long sessions
		validatedFiles.m = map[fileKey]bool{}
	}
	validatedFiles.m[k] = true
}

// Rename renames the file oldpath to newpath (os.Rename). A file that
// needed no validation walk at oldpath (qpgo wrote and closed it, or
// validated it) needs none at newpath either: the rename changes its
// ctime, which is part of the identity remembered.
func Rename(oldpath, newpath string) error {
	known := validated(oldpath)
	if err := os.Rename(oldpath, newpath); err != nil {
		return err
	}
	if known {
		markValidated(newpath)
	}
	return nil
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}
