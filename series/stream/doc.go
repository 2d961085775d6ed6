// Package stream owns acquisition files: a phase-image series that camera
// software appends to frame by frame while viewers read the newest frame,
// in another thread of the same process or in another process.
//
// Layout (all datasets created before the first frame, chunked, one frame
// per chunk, axis 0 unlimited):
//
//	/phase      float32 (n, rows, cols)  chunks (1, rows, cols)
//	/amplitude  float32 (n, rows, cols)  chunks (1, rows, cols); ones when a
//	                                     frame was appended without amplitude
//	/time       float64 (n)              the acquisition time of each frame
//	/source     int8    (n)              0 phase, 1 phase+amplitude, 2 hologram
//
// Root attributes, written before the first frame: the static qpimage meta
// data the caller gives (wavelength, pixel size, medium index, identifier,
// …; "time" is per frame and so lives in /time), "qpimage version" and the
// stream's own keys "qpgo stream version" (1), "qpgo stream which_data"
// ("phase,amplitude") and "qpgo stream swmr". The optional compression is
// byte shuffle plus gzip (level 1 unless chosen).
//
// Why the layout differs from a QPSeries: a QPSeries stores every image as
// its own group tree (qpi_0/phase/raw, …), and HDF5's SWMR mode — the only
// way libhdf5 lets readers see a file while it is written — forbids creating
// groups, datasets or attributes once writing has started; it only allows
// appending to existing chunked datasets. A stream is therefore a few
// extendible arrays. SWMR also needs the latest HDF5 file format, which
// h5py-era readers of upstream files do not expect, so SWMR acquisition
// files are not byte-compatible with upstream. ExportQPSeries is the
// documented trade: it writes a normal upstream-layout QPSeries file (one
// member per frame, meta data plus the frame's "time") from an acquisition
// file, during or after acquisition.
//
// Durability: a frame counts as written only once Append returns; Append
// writes the frame's rows in the order phase, amplitude, source, time,
// flushes each dataset (H5Dflush) and then the file. A reader's Len is the
// smallest extent of the four datasets, so it never reports a frame whose
// data are not all visible.
//
//   - SWMR (Options.SWMR): the file is created in the latest format and
//     switched to SWMR writing before the first frame. Readers in other
//     processes open it at any time (OpenReader uses SWMR read and refreshes
//     on Len). If the writer is killed, SWMR's ordered writes keep the file
//     consistent: every frame whose Append returned is readable. The
//     superblock's status flags stay set, so a plain HDF5 open (h5py, h5dump)
//     fails with "file is already open for write" until `h5clear -s FILE`
//     or RecoverFile is run; OpenReader opens it as is.
//   - Without SWMR the same API writes the same datasets in h5py's default
//     (earliest) format and flushes the whole file after each frame. libhdf5
//     1.10 updates metadata in place and may write evicted metadata between
//     two flushes, so a writer killed in the middle of an Append is not
//     guaranteed by HDF5 to leave a readable file (usually the flushed
//     frames survive; once a kill during a flush left the index torn). A
//     writer killed between two appends leaves every frame readable;
//     tests/stream/kill_test.sh kills at random moments and requires, in
//     this mode, exact frames or clean errors. SWMR is the mode with the
//     guarantee. While a non-SWMR writer is alive, libhdf5's file lock
//     keeps other processes from opening the file; readers in the writer's
//     own process share its open file and see every frame.
//
// Frames hold float64 slices in row-major order; values are stored as
// float32, as qpimage stores image data.
package stream
