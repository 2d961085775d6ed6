package h5

import (
	"os"
	"sync"
	"syscall"
)

// Files are walked in a forked child before their first open (qh_validate
// in qh.c) because libhdf5 1.10 can crash on damaged object headers. The
// walk costs a fork (a few ms), so files whose identity and modification
// time have been validated — or that qpgo itself just wrote and closed —
// are remembered. Set QPGO_VALIDATE=0 to skip validation entirely.

type fileKey struct {
	dev, ino   uint64
	size       int64
	mtime, ctm int64
}

var validatedFiles = struct {
	sync.Mutex
	m map[fileKey]bool
}{m: map[fileKey]bool{}}

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
	return validatedFiles.m[k]
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
