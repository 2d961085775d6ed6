package h5

// #include "qh.h"
import "C"

import (
	"fmt"
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

// deferMin is qh_vdefer_min of the walk: a dataset whose pipeline has a
// filter other than deflate (qpgo's own, which checks every chunk's size),
// shuffle and Fletcher-32 — a plugin such as Blosc or LZ4 — and that stores
// more than deferMin bytes is not read in the walk but in a child of its
// own before the first read through libhdf5's filters in this process
// (File.checkDeferred). Readers that decode such chunks with qpgo's own
// checked code (the fch5 frame cache's Blosc chunks) never pay for it, and
// the walk of a new frame cache stays a few milliseconds.
const deferMin = 1 << 20

// validateFile runs qh_validate for path (size bytes) and turns its
// verdict into an error; deferred reports whether datasets were left to
// checkDeferred.
func validateFile(cname *C.char, path string, size int64) (deferred bool, err error) {
	validations.Add(1)
	read := size <= readDataMax
	return read, walkVerdict(cname, nil, path, "", size, read)
}

// walkVerdict runs the walk of the file (only: one dataset, read whole)
// and turns its verdict into an error.
func walkVerdict(cname, conly *C.char, path, only string, size int64, read bool) error {
	d := limits.ValidateTimeout()
	if d <= 0 {
		d = validateBase + time.Duration(float64(size)/validateRate*float64(time.Second))
	}
	mem := min(limits.MaxAlloc(), childMemMax)
	cread, defer_ := C.int(0), C.longlong(0)
	if read {
		cread, defer_ = 1, deferMin
	}
	what := fmt.Sprintf("Unable to open file %q", path)
	reading := "its object headers"
	if only != "" {
		what = fmt.Sprintf("Unable to read dataset %q of %q", only, path)
		reading = "it"
	}
	switch C.qh_validate(cname, C.double(d.Seconds()), C.longlong(mem), cread, defer_, conly) {
	case -1:
		return qperr.New(qperr.IO, "%s: the file is corrupt (libhdf5 failed while reading %s)", what, reading)
	case -2:
		return qperr.New(qperr.IO, "%s: the file is corrupt (reading %s with libhdf5 did not finish within %s)", what, reading, d.Round(time.Millisecond))
	case -3:
		return qperr.New(qperr.IO, "%s: the file is corrupt (libhdf5 ran out of the %d-byte memory limit reading it)", what, mem)
	}
	return nil
}

// checkDeferred reads dataset p (open as d) in a child before its first
// read through libhdf5's filters here when the walk of the file left it
// for later (deferMin). Each dataset is looked at once per open (a frame
// by frame reader calls this for every frame), and read in a child once
// per file version. Call with the package lock held (no other thread is
// inside libhdf5 when the child is forked; it also guards f.checked).
func (f *File) checkDeferred(d C.hid_t, p string) error {
	if !f.deferred || f.checked[p] {
		return nil
	}
	if C.qh_ds_deferred(d, deferMin) != 0 {
		if err := f.readDeferred(p); err != nil {
			return err
		}
	}
	if f.checked == nil {
		f.checked = map[string]bool{}
	}
	f.checked[p] = true
	return nil
}

// readDeferred reads the deferred dataset p whole in a child, unless a
// child read it in this version of the file before.
func (f *File) readDeferred(p string) error {
	k, known := keyOf(f.name)
	key := dsKey{k, p}
	if known {
		validatedFiles.Lock()
		done := validatedFiles.ds[key]
		validatedFiles.Unlock()
		if done {
			return nil
		}
	}
	validations.Add(1)
	cname, cp := cstr(f.name), cstr(p)
	defer free(cname)
	defer free(cp)
	if err := walkVerdict(cname, cp, f.name, p, fileSize(f.name), true); err != nil {
		return err
	}
	if known {
		validatedFiles.Lock()
		if len(validatedFiles.ds) > 4096 {
			validatedFiles.ds = map[dsKey]bool{}
		}
		validatedFiles.ds[key] = true
		validatedFiles.Unlock()
	}
	return nil
}

// dsKey names a dataset of a file version.
type dsKey struct {
	file fileKey
	path string
}

type fileKey struct {
	dev, ino   uint64
	size       int64
	mtime, ctm int64
}

var validatedFiles = struct {
	sync.Mutex
	m    map[fileKey]bool // true: walked with datasets left to checkDeferred
	open map[fileID]int   // files qpgo holds open (File.Open .. Close)
	ds   map[dsKey]bool   // deferred datasets read by checkDeferred
}{m: map[fileKey]bool{}, open: map[fileID]int{}, ds: map[dsKey]bool{}}

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

// validation reports whether path needs no walk (it was validated, qpgo
// wrote it, or qpgo holds it open) and whether the walk that validated it
// left datasets to checkDeferred: one stat and one look-up.
func validation(path string) (known, deferred bool) {
	if validationOff {
		return true, false
	}
	k, ok := keyOf(path)
	if !ok {
		return false, false
	}
	validatedFiles.Lock()
	defer validatedFiles.Unlock()
	// a file qpgo holds open was validated (or created) by that open, and
	// its changes since are libhdf5's own writes
	deferred, walked := validatedFiles.m[k]
	return walked || validatedFiles.open[k.id()] > 0, deferred
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

// markValidated remembers path as validated; deferred: by a walk that
// left datasets to checkDeferred (false: qpgo wrote the file).
func markValidated(path string, deferred bool) {
	k, ok := keyOf(path)
	if !ok {
		return
	}
	validatedFiles.Lock()
	defer validatedFiles.Unlock()
	if len(validatedFiles.m) > 4096 { // bound the memory of long sessions
		validatedFiles.m = map[fileKey]bool{}
	}
	validatedFiles.m[k] = deferred
}

// Rename renames the file oldpath to newpath (os.Rename). A file that
// needed no validation walk at oldpath (qpgo wrote and closed it, or
// validated it) needs none at newpath either: the rename changes its
// ctime, which is part of the identity remembered.
func Rename(oldpath, newpath string) error {
	known, deferred := validation(oldpath)
	if err := os.Rename(oldpath, newpath); err != nil {
		return err
	}
	if known {
		markValidated(newpath, deferred)
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
