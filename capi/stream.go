package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"unsafe"

	"qpgo/series/stream"
)

// Acquisition streams (package series/stream): a writer appends frames to
// an acquisition file while readers — other threads of the same process or
// other processes — follow it. Writer and reader handles are two families.
const (
	famStreamWriter family = 100
	famStreamReader family = 101
)

func init() {
	familyNames[famStreamWriter] = "stream writer"
	familyNames[famStreamReader] = "stream reader"
}

// streamOptionKeys are the keys of the qps_stream_create options object.
var streamOptionKeys = []string{"swmr", "compress", "level", "proc_phase", "meta_data"}

func streamOptions(text string) (stream.Options, error) {
	var opt stream.Options
	kvs, err := parseObject(text, "qps_stream_create option", streamOptionKeys)
	if err != nil {
		return opt, err
	}
	for _, e := range kvs {
		switch e.Key {
		case "swmr":
			err = decode(e.Value, e.Key, &opt.SWMR)
		case "compress":
			err = decode(e.Value, e.Key, &opt.Compress)
		case "level":
			err = decode(e.Value, e.Key, &opt.Level)
		case "proc_phase":
			err = decode(e.Value, e.Key, &opt.ProcPhase)
		case "meta_data":
			opt.Meta, err = metaItems(string(e.Value))
		}
		if err != nil {
			return opt, err
		}
	}
	return opt, nil
}

// qps_stream_create creates (or truncates) the acquisition file at path for
// frames of rows×cols pixels and stores a writer handle in *out. options is
// a JSON object (NULL or "": defaults) with the keys swmr (false; true:
// readers in other processes may follow the file and a killed writer leaves
// every written frame readable), compress (false; shuffle + gzip), level
// (gzip level 1..9, default 1), proc_phase (false; unwrap the phase given
// to qps_stream_append as QPImage does) and meta_data (object of static
// qpimage meta data: wavelength, pixel size, medium index, identifier, …;
// "time" is per frame). Close the handle with qps_stream_close.
// Errors: QPGO_ERR_ARG (NULL, shape, option values, "time" in meta_data),
// QPGO_ERR_KEY (unknown option or meta key), QPGO_ERR_IO (file).
//
//export qps_stream_create
func qps_stream_create(path *C.qpgo_cchar, rows, cols C.int64_t, options *C.qpgo_cchar, out *C.qpgo_handle) C.int {
	return guard(func() error {
		if out == nil {
			return argErr("out is NULL")
		}
		*out = 0
		p, err := goString(path, "path")
		if err != nil {
			return err
		}
		if rows <= 0 || cols <= 0 || rows > 1<<16 || cols > 1<<16 {
			return argErr("frame shape %dx%d must be positive (at most 65536 per side)", int64(rows), int64(cols))
		}
		opt, err := streamOptions(optString(options))
		if err != nil {
			return err
		}
		w, err := stream.Create(p, int(rows), int(cols), opt)
		if err != nil {
			return err
		}
		*out = C.qpgo_handle(register(famStreamWriter, w, w.Close))
		return nil
	})
}

// writerFrame copies a frame of rows×cols doubles from C memory.
func writerFrame(w *stream.Writer, p *C.qpgo_cdouble, name string) ([]float64, error) {
	rows, cols := w.Shape()
	return copyDoubles(p, rows*cols, name)
}

// qps_stream_append appends one frame: pha (rows×cols doubles, row-major)
// and amp (same size; NULL stores an amplitude of ones) acquired at time.
// When it returns QPGO_OK the frame is flushed to the file and *index_out
// (if not NULL) holds its index; only then does the frame count as written.
// Errors: QPGO_ERR_ARG (NULL pha, closed writer), QPGO_ERR_HANDLE,
// QPGO_ERR_IO (write failed: the writer then refuses further frames).
//
//export qps_stream_append
func qps_stream_append(h C.qpgo_handle, pha *C.qpgo_cdouble, amp *C.qpgo_cdouble, time C.double, indexOut *C.int64_t) C.int {
	return guard(func() error {
		if indexOut != nil {
			*indexOut = -1
		}
		return with(int64(h), famStreamWriter, func(w *stream.Writer) error {
			p, err := writerFrame(w, pha, "pha")
			if err != nil {
				return err
			}
			var a []float64
			if amp != nil {
				if a, err = writerFrame(w, amp, "amp"); err != nil {
					return err
				}
			}
			idx, err := w.Append(p, a, float64(time))
			if err == nil && indexOut != nil {
				*indexOut = C.int64_t(idx)
			}
			return err
		})
	})
}

// qps_stream_append_hologram converts a rows×cols off-axis hologram as
// QPImage does for which_data "raw-oah" (qpretrieve's OffAxisHologram, then
// phase unwrapping and border-offset removal) and appends the phase and
// amplitude with the given time. options is the qpretrieve_kw JSON object
// (filter_name, filter_size, sideband_freq, …; NULL or "": defaults).
// *index_out (if not NULL) receives the frame index.
// Errors: QPGO_ERR_ARG (NULL, bad option value), QPGO_ERR_KEY (unknown
// option), QPGO_ERR_HANDLE, QPGO_ERR_IO.
//
//export qps_stream_append_hologram
func qps_stream_append_hologram(h C.qpgo_handle, holo *C.qpgo_cdouble, time C.double, options *C.qpgo_cchar, indexOut *C.int64_t) C.int {
	return guard(func() error {
		if indexOut != nil {
			*indexOut = -1
		}
		var kw map[string]any
		if text := optString(options); text != "" {
			kvs, err := parseObject(text, "qpretrieve_kw", nil)
			if err != nil {
				return err
			}
			kw = map[string]any{}
			for _, e := range kvs {
				var v any
				if err := decode(e.Value, e.Key, &v); err != nil {
					return err
				}
				kw[e.Key] = v
			}
		}
		return with(int64(h), famStreamWriter, func(w *stream.Writer) error {
			d, err := writerFrame(w, holo, "holo")
			if err != nil {
				return err
			}
			idx, err := w.AppendHologram(d, float64(time), kw)
			if err == nil && indexOut != nil {
				*indexOut = C.int64_t(idx)
			}
			return err
		})
	})
}

// qps_stream_close closes a writer (flushing the file; a SWMR file is then
// marked closed, so any HDF5 tool opens it) or a reader handle.
// Errors: QPGO_ERR_HANDLE, QPGO_ERR_IO.
//
//export qps_stream_close
func qps_stream_close(h C.qpgo_handle) C.int {
	return guard(func() error {
		if e, err := lookup(int64(h), famStreamReader); err == nil && e != nil {
			return release(int64(h), famStreamReader)
		}
		return release(int64(h), famStreamWriter)
	})
}

// qps_stream_open_reader opens the acquisition file at path for reading and
// stores a reader handle in *out. A SWMR file is opened for SWMR reading:
// it works while the writer runs in another process, and after a writer
// was killed (every frame it had written is readable). A file written
// without SWMR can be read while its writer is alive only from the
// writer's own process. Close with qps_stream_close.
// Errors: QPGO_ERR_ARG (NULL, not an acquisition file), QPGO_ERR_IO.
//
//export qps_stream_open_reader
func qps_stream_open_reader(path *C.qpgo_cchar, out *C.qpgo_handle) C.int {
	return guard(func() error {
		if out == nil {
			return argErr("out is NULL")
		}
		*out = 0
		p, err := goString(path, "path")
		if err != nil {
			return err
		}
		r, err := stream.OpenReader(p)
		if err != nil {
			return err
		}
		*out = C.qpgo_handle(register(famStreamReader, r, r.Close))
		return nil
	})
}

// qps_stream_len stores the number of frames in *n: for a reader, the
// complete frames after refreshing its view of the file; for a writer,
// the frames written.
// Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_HANDLE, QPGO_ERR_IO.
//
//export qps_stream_len
func qps_stream_len(h C.qpgo_handle, n *C.int64_t) C.int {
	return guard(func() error {
		if n == nil {
			return argErr("n is NULL")
		}
		if _, err := lookup(int64(h), famStreamWriter); err == nil {
			return with(int64(h), famStreamWriter, func(w *stream.Writer) error {
				*n = C.int64_t(w.Len())
				return nil
			})
		}
		return with(int64(h), famStreamReader, func(r *stream.Reader) error {
			k, err := r.Len()
			*n = C.int64_t(k)
			return err
		})
	})
}

// qps_stream_shape stores the frame shape (rows, columns) of a writer or
// reader handle in dims[0..1].
// Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_HANDLE.
//
//export qps_stream_shape
func qps_stream_shape(h C.qpgo_handle, dims *C.int64_t) C.int {
	return guard(func() error {
		if dims == nil {
			return argErr("dims is NULL")
		}
		d := unsafe.Slice(dims, 2)
		if _, err := lookup(int64(h), famStreamWriter); err == nil {
			return with(int64(h), famStreamWriter, func(w *stream.Writer) error {
				r, c := w.Shape()
				d[0], d[1] = C.int64_t(r), C.int64_t(c)
				return nil
			})
		}
		return with(int64(h), famStreamReader, func(r *stream.Reader) error {
			rr, c := r.Shape()
			d[0], d[1] = C.int64_t(rr), C.int64_t(c)
			return nil
		})
	})
}

func putFrame(fr *stream.Frame, phaOut, ampOut *C.double, n C.int64_t, time *C.double) error {
	if phaOut == nil && ampOut == nil {
		return argErr("pha_out and amp_out are both NULL")
	}
	if phaOut != nil {
		if err := putDoubles(phaOut, n, fr.Phase, "pha"); err != nil {
			return err
		}
	}
	if ampOut != nil {
		if err := putDoubles(ampOut, n, fr.Amplitude, "amp"); err != nil {
			return err
		}
	}
	if time != nil {
		*time = C.double(fr.Time)
	}
	return nil
}

// qps_stream_read copies frame index (negative: from the end) of a reader
// into pha_out and/or amp_out (either may be NULL, not both), buffers of n
// doubles (n ≥ rows×cols), and its time into *time (if not NULL). An index
// past the frames known refreshes the reader first.
// Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_NOT_FOUND (index out of range),
// QPGO_ERR_BUFFER (n too small), QPGO_ERR_HANDLE, QPGO_ERR_IO.
//
//export qps_stream_read
func qps_stream_read(h C.qpgo_handle, index C.int64_t, phaOut, ampOut *C.double, n C.int64_t, time *C.double) C.int {
	return guard(func() error {
		return with(int64(h), famStreamReader, func(r *stream.Reader) error {
			fr, err := r.Frame(int(index))
			if err != nil {
				return err
			}
			return putFrame(fr, phaOut, ampOut, n, time)
		})
	})
}

// qps_stream_newest refreshes a reader and copies its newest complete frame
// like qps_stream_read; *index_out (if not NULL) receives its index.
// Errors: as qps_stream_read; QPGO_ERR_NOT_FOUND when no frame is written yet.
//
//export qps_stream_newest
func qps_stream_newest(h C.qpgo_handle, phaOut, ampOut *C.double, n C.int64_t, time *C.double, indexOut *C.int64_t) C.int {
	return guard(func() error {
		if indexOut != nil {
			*indexOut = -1
		}
		return with(int64(h), famStreamReader, func(r *stream.Reader) error {
			fr, err := r.Newest()
			if err != nil {
				return err
			}
			if err := putFrame(fr, phaOut, ampOut, n, time); err != nil {
				return err
			}
			if indexOut != nil {
				*indexOut = C.int64_t(fr.Index)
			}
			return nil
		})
	})
}

// qps_stream_export writes the frames of the acquisition file at path into
// a new upstream-layout QPSeries file at out_path (created or truncated;
// one member per frame with which_data ("phase", "amplitude"), the static
// meta data and the frame's "time"; readable with qps_open). The frames are
// those complete when the export starts: exporting during acquisition is
// fine. *n_out (if not NULL) receives the number of frames exported.
// Errors: QPGO_ERR_ARG (NULL, not an acquisition file), QPGO_ERR_IO.
//
//export qps_stream_export
func qps_stream_export(path, outPath *C.qpgo_cchar, nOut *C.int64_t) C.int {
	return guard(func() error {
		if nOut != nil {
			*nOut = 0
		}
		p, err := goString(path, "path")
		if err != nil {
			return err
		}
		o, err := goString(outPath, "out_path")
		if err != nil {
			return err
		}
		k, err := stream.ExportQPSeries(p, o)
		if nOut != nil {
			*nOut = C.int64_t(k)
		}
		return err
	})
}

// qps_stream_recover is `h5clear -s path`: after a SWMR writer was killed
// it resets the file's status flags, so that tools that open files plainly
// (h5py, h5dump, qps_open on an export) accept it again. Readers opened
// with qps_stream_open_reader do not need it. Never call it while the
// writer is alive.
// Errors: QPGO_ERR_ARG (NULL), QPGO_ERR_IO.
//
//export qps_stream_recover
func qps_stream_recover(path *C.qpgo_cchar) C.int {
	return guard(func() error {
		p, err := goString(path, "path")
		if err != nil {
			return err
		}
		return stream.RecoverFile(p)
	})
}
