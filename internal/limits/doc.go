// Package limits owns the memory budget that bounds every allocation whose
// size comes from a file (issue 18): the declared shape of an npy member, a
// zip member's uncompressed size, an HDF5 dataset's extent, a frame count.
// Before such an allocation is made its size is checked against what the
// file can hold (Avail) and against the budget (MaxAlloc); beyond either
// the caller gets a qperr.IO error naming the object and both sizes, never
// a "fatal error: out of memory" of the Go runtime.
//
// The budget has a documented default (DefaultMaxAlloc, 4 GiB or half the
// physical memory, whichever is smaller), can be set process-wide
// (SetMaxAlloc, qpgo_set_limits) and per open (the "max_alloc_bytes"
// option, carried in a Budget value).
package limits
