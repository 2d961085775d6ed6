// Package h5 is the only package in qpgo that talks to libhdf5. It owns
// files (the h5py modes r, r+, w, w-/x, a; in-memory files on the core
// driver without backing store), groups, datasets (contiguous or chunked,
// deflate, shuffle, Fletcher-32, plugin filters such as Blosc), typed
// attributes as h5py writes them (variable-length UTF-8 strings,
// fixed-length ASCII strings, f64/f32/i64 scalars and 1-D arrays, the int8
// enum h5py uses for booleans), hard links, and the one lock around libhdf5.
//
// Why cgo and not only gonum.org/v1/hdf5: that package opens files with the
// default file-access property list only and has no way to wrap an
// identifier it did not create, so an in-memory (core driver) file — which
// qpimage uses for every image not backed by a path — would be out of its
// reach entirely, as would Fletcher-32, hard links, attribute iteration,
// enum and variable-length string attributes and dataset-creation
// properties like track_times. Rather than split every operation into a
// gonum path for disk files and a cgo path for memory files, this package
// calls the libhdf5 C API directly (never writing HDF5 bytes itself), so
// gonum.org/v1/hdf5 is not a dependency; the numeric parts of gonum are
// used elsewhere.
//
// Files are written the way h5py 3.7 on HDF5 1.10.8 writes them (earliest
// file format: superblock 0, symbol-table groups, v1 object headers; no
// time stamps; attributes replaced through a temporary name), so that the
// Python tools, HDFView and h5dump see the upstream layout.
//
// Chunks can also be filtered outside libhdf5 and the lock, on all cores:
// deflate + Fletcher-32 (chunk.go; libdeflate when the system has it, see
// SetExactZlib), shuffle (shuffle.c) and Blosc (blosc.go, libblosc loaded
// with dlopen), then written or read whole with H5Dwrite_chunk /
// H5Dread_chunk.
//
// Objects are addressed by path from their file; every call opens and closes
// the HDF5 identifiers it needs. libhdf5 is a serial build and not
// thread-safe, so every call into it holds one package-wide mutex.
//
// Untrusted files (issue 18). libhdf5 can crash, loop, or loop while its
// memory grows (H5Dread on a damaged chunk index) on a damaged file; h5py
// hangs with it. qpgo never lets such a read start in the caller's
// process:
//
//   - Before its first open for reading, a file is walked in a forked
//     child (qh_validate in qh.c, validate.go): every object, attribute,
//     filter and the chunk index (H5Dget_num_chunks / H5Dget_chunk_info),
//     and — for files up to 16 MiB — every dataset read whole through its
//     filters (fully allocated ones whose chunks do not span the trailing
//     dimensions chunk by chunk), i.e. every read the parent can later make
//     of that file.
//   - The child runs C only, under an address-space limit (RLIMIT_AS: the
//     memory budget, at most 1 GiB, beyond what the process had mapped)
//     and a deadline proportional to the file's size: 1 s + 1 s per
//     16 MiB (or the fixed validate_timeout_s of qpgo_set_limits). The
//     parent does not block in waitpid: it waits on a pidfd (polling with
//     WNOHANG where there is none) until the deadline and then SIGKILLs and
//     reaps the child. A child that dies,
//     runs out of time or out of its memory makes the open fail with
//     QPGO_ERR_IO (OSError) naming the file, before the parent has touched
//     it; a damaged file of 1 MB is refused in about a second instead of
//     hanging.
//   - Files over 16 MiB get the structural walk only (objects, attributes,
//     chunk index — where the H5Dread loop of a damaged file lives), which
//     keeps the first open of big files cheap; their data bytes are not
//     read in the child, so a damaged chunk payload of a big file fails
//     (or decodes) in the parent's filters, bounded by the chunk sizes the
//     walked index declares.
//   - A verdict is remembered per file identity (device, inode, size,
//     modification and change times), so an unchanged file is walked once
//     per process; a changed file is walked again.
//   - Whatever passes is still bounded: whole-dataset reads are checked
//     against the memory budget (the open's, File.SetBudget, else the
//     process-wide one) and, for contiguous datasets, against
//     their storage size before anything is allocated, and attribute reads
//     against the attribute's stored size and the attribute budget
//     (attrlimit.go, internal/limits; qpgo_set_limits max_alloc_bytes,
//     max_attr_bytes).
//   - Reads through libhdf5's filters go through qh_read, and the deflate
//     filter of the process is qpgo's (deflate.c, in place of libhdf5's,
//     storing the same bytes): qh_read tells it the size every chunk must
//     inflate to, so a damaged chunk that inflates short — which libhdf5
//     1.10 copies its declared size out of, garbage or a SIGSEGV in
//     H5Dread, as in h5py — fails the read with QPGO_ERR_IO instead. This
//     covers the files over 16 MiB, whose data the child does not read.
//   - An error about what a file holds (qperr IO, Integrity, Unsupported)
//     names the file once, before the object it names (File.inFile at the
//     exported read methods, qperr.InFile); h5py's own messages of other
//     kinds ("Unable to open object (object 'x' doesn't exist)") stay
//     verbatim, as upstream code compares them.
//
// Element types are internal/dtype's DType (h5.DType is an alias; its
// values are the type codes of the C helpers and of the C ABI).
package h5
