// Package eiger reads Dectris Eiger stream files: the HDF5 files written
// by the Eiger stream receiver, one group per frame under /data holding the
// frame's payload ("data", an opaque byte string) and how to decode it
// ("compression_type", "dtype", "shape", "elem_size"), plus a /metadata
// group. It owns
//
//   - the two hexrd adapters registered with series/imageseries:
//     "eiger-stream-v1" (frame i in /data/<i>) and "eiger-stream-v2"
//     (frame i in /data/<i>/threshold_1 and .../threshold_2, with the
//     options threshold_setting = threshold_1 | threshold_2 | man_diff and
//     multiplier: man_diff is threshold_1 - multiplier*threshold_2 as
//     float64), stream.go;
//   - the payload codecs (codec.go): "lz4" and "bslz4" in the framing of
//     the HDF5 LZ4 / bitshuffle filters (8-byte big-endian decoded size,
//     4-byte big-endian block size, then per block a 4-byte big-endian
//     compressed size and an LZ4 block; bslz4 blocks are bit-transposed,
//     the trailing bytes that do not fill 8 elements stored as is). LZ4 is
//     github.com/pierrec/lz4/v4; the bit transposition (bitshuffle.go) is
//     ours. "csrnpz" payloads (an 8-byte size, then a SciPy sparse .npz
//     archive) are decoded in csrnpz.go, and a missing compression type
//     means raw bytes.
//
// So the adapters need neither h5py nor Python's dectris-compression; the
// Python binding also decodes single payloads through Decompress
// (ims_eiger_decompress, hexrd's load.eiger.decompress_frame).
package eiger
