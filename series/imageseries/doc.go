// Package imageseries is the Go port of hexrd's imageseries: lazy access to
// stacks of detector frames, their writers, processing, statistics and
// rotation-angle (omega) bookkeeping (spec: imageseries.md).
//
// It owns the ImageSeries interface and the adapters that do not need HDF5:
// "array", "function", "frame-cache" (npz and the deprecated yml style),
// "image-files" (TIFF, EDF, GE) and "raw-image", the npz frame-cache writer,
// Processed (ProcessedImageSeries), the stats functions and OmegaSeries.
// Adapters are found by format name through Register/Open/Write; the
// HDF5-based formats plug in from their own files: "hdf5" (load_hdf5.go: any 2-D
// or 3-D dataset, group attributes as metadata, hexrd's writer defaults)
// and the frame-cache style "fch5" (load_framecache_fch5.go: Blosc/zstd filter 32001,
// frame_ids-based slicing, h5py's automatic chunk shapes). Both read one
// hyperslab per frame on demand (fch5 through chunk-aligned blocks), so
// opening a file never reads its frames.
//
// Frame caches (load_framecache_*.go): npz members are deflated and
// inflated with libdeflate when libdeflate.so.0 loads (internal/ldeflate;
// compress/flate otherwise or with QPGO_NO_LIBDEFLATE), at zlib's level 6
// like numpy's savez_compressed, several frames at a time; fch5 Blosc
// chunks are compressed and decompressed by libblosc on all cores and
// moved with H5Dwrite_chunk/H5Dread_chunk (load_framecache_fch5_blosc.go; the libhdf5
// filter path when libblosc is missing or QPGO_NO_LIBBLOSC is set). The
// writers find kept pixels through SSE2 bit masks (framecache_ijvmask_amd64.s).
//
// Speed (stats_fast.go, simd_amd64.s): in-memory arrays are read in place,
// max/min/sum/average fold typed frames over pixel tiles in parallel (SSE2
// for uint16), the float32 average of 8/16-bit data is accumulated exactly
// in int32, and percentiles of 8/16-bit data select order statistics with
// a counting histogram instead of quickselect; all bit-identical to NumPy.
//
// ReadFrameInto (FrameReaderInto) decodes a frame into the caller's typed
// slice: frame caches scatter their kept pixels into it, HDF5 chunks are
// inflated into it (frames read ahead use pooled buffers, then a copy),
// arrays and frame lists copy or forward; other series fall back to Frame
// plus a copy. Reading through one reused buffer, as ims_get_frame does for
// C, Python and MATLAB, avoids a fresh 2 MB allocation per frame, whose
// garbage collection, page faults and zeroing cost more than decoding a
// sparse frame cache.
//
// Frames keep their element type (Frame.Data is a typed slice): uint16
// detector data are never widened to float64 unless an operation's NumPy
// result type says so. Adapters read frames on demand and are safe for
// concurrent Frame calls (the frame-cache writer uses several goroutines).
// Statistics stream: Max/Min/Sum/Average hold one frame plus the
// accumulator; Percentile/Median read row bands of all frames within a
// fixed buffer (StatsOptions.BufferBytes) and give the same result for any
// band size.
//
// SourceSeries (source.go) is the one way series that live outside Go
// (Python adapters, C readers) are fed to stats, processing, omega and the
// writers: a callback fills one frame at a time, never concurrently; Serve
// or ServeSources keeps every call on the caller's goroutine.
//
// Differences from hexrd a34f79e7 (spec §6): no YAML frame-cache writer
// (I1); shapes are always (rows, cols) (I3); dark subtraction computes
// max(img − dark, 0) without unsigned wrap-around (I4); metadata numpy could
// only pickle (None, nested dicts, mixed lists) are skipped with a warning
// instead of producing an unreadable npz (I5); Region works on processed
// series and they nest (I6); any int index works (I7); the sparsity warning
// states the real 90 % cutoff (I8); frame caches reject frames wider or
// taller than 65536 (I9); raw-image bytes 8 is 8 bytes everywhere (I10);
// the average is always float32 (I11); the writer/keys follow the code, not
// the documentation (I12). Python exceptions map to qperr kinds: KeyError →
// UnknownKey/NotFound, ValueError/TypeError/RuntimeError → BadArgument,
// IndexError → NotFound, OmegaSeriesError → BadArgument or MissingMeta.
package imageseries
