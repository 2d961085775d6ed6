"""FLSeries (upstream ``flimage.series``) backed by a libqpgo handle."""
import ctypes
import json
import pathlib
import weakref

import numpy as np

from .. import _lib
from .core import FLImage, _h5file_arg, _meta_json


class FLSeries(object):
    _instances = 0

    def __init__(self, flimage_list=[], meta_data={}, h5file=None,
                 h5mode="a", identifier=None):
        """Fluorescence microscopy series data

        Parameters
        ----------
        flimage_list: list
            A list of :class:`qpgo.flimage.FLImage`
        meta_data: dict
            Meta data written into every member after `flimage_list` was
            added (overrides the members' values)
        h5file: str, pathlib.Path or None
            Path to an HDF5 file (h5py objects are not supported); None:
            in memory
        h5mode: str
            Mode in which to open `h5file`
        identifier: str
            Series identifier

        Members returned by :meth:`get_flimage` are live views into the
        series; they become invalid when the series is closed.
        """
        self._h = 0
        self._views = weakref.WeakValueDictionary()
        if flimage_list and not isinstance(flimage_list, list):
            msg = "`flimage_list` must be a list!"
            if isinstance(flimage_list, (str, pathlib.Path)):
                msg += " Did you mean `h5file={}`?".format(flimage_list)
            raise ValueError(msg)
        h5file = _h5file_arg(h5file)
        meta = _meta_json(meta_data)
        if meta and h5mode == "r":
            raise ValueError("`h5mode` must not be 'r' if `meta_data` is "
                             "given!")
        opts = {}
        if identifier:
            opts["identifier"] = str(identifier)
        if h5file is not None:
            opts["h5file"] = h5file
            opts["h5mode"] = h5mode
        out = _lib.c_handle(0)
        _lib.call("fls_new", _lib.cstr(_lib.to_json(opts)),
                  ctypes.byref(out))
        self._h = out.value
        FLSeries._instances += 1
        try:
            for fli in (flimage_list or []):
                self.add_flimage(fli)
            if meta:
                text = _lib.cstr(_lib.to_json(meta))
                for ii in range(len(self)):
                    _lib.call("fli_set_meta", self.get_flimage(ii)._handle,
                              text)
        except BaseException:
            self.close()
            raise

    # --- handle management ------------------------------------------------
    @property
    def _handle(self):
        if not self._h:
            raise ValueError("I/O operation on a closed FLSeries")
        return self._h

    def close(self):
        """Release the series (and close its file); member views become
        invalid. Idempotent."""
        h, self._h = self._h, 0
        for v in list(self._views.values()):
            v._h = 0  # fls_close releases the member handles
        self._views = weakref.WeakValueDictionary()
        if h:
            _lib.call("fls_close", h)

    def __del__(self):
        try:
            if getattr(self, "_h", 0) and _lib is not None:
                _lib.lib().fls_close(self._h)
                self._h = 0
        except Exception:
            pass

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.close()

    # --- container protocol -----------------------------------------------
    def __contains__(self, flid):
        if not isinstance(flid, str):
            return False
        has = ctypes.c_int(0)
        _lib.call("fls_contains", self._handle, _lib.cstr(flid),
                  ctypes.byref(has))
        return bool(has.value)

    def __getitem__(self, index):
        return self.get_flimage(index)

    def __iter__(self):
        for ii in range(len(self)):
            yield self[ii]

    def __len__(self):
        n = ctypes.c_int64(0)
        _lib.call("fls_len", self._handle, ctypes.byref(n))
        return int(n.value)

    @property
    def identifier(self):
        """unique identifier of the series (None if not set)"""
        return _lib.get_string("fls_identifier", self._handle) or None

    @property
    def identifiers(self):
        """identifiers of the members in index order (None if unset)"""
        return json.loads(_lib.get_string("fls_identifiers_json",
                                          self._handle))

    def add_flimage(self, fli, identifier=None):
        """Add an FLImage instance to the FLSeries

        Parameters
        ----------
        fli: qpgo.flimage.FLImage
            The FLImage that is added to the series
        identifier: str
            Identifier key for `fli` (default: the image's identifier)
        """
        if not isinstance(fli, FLImage):
            raise ValueError("`fli` must be instance of FLImage!")
        _lib.call("fls_add_flimage", self._handle, fli._handle,
                  _lib.cstr(identifier) if identifier else None)

    def get_flimage(self, index):
        """Return a single FLImage of the series (a live view)

        Parameters
        ----------
        index: int or str
            Index or identifier of the FLImage
        """
        out = _lib.c_handle(0)
        if isinstance(index, str):
            rc = _lib.lib().fls_get_flimage_by_id(
                self._handle, _lib.cstr(index), ctypes.byref(out))
            if rc == _lib.QPGO_ERR_NOT_FOUND:
                raise KeyError("FLImage identifier '{}' not found!".format(
                    index))
            _lib.check(rc)
        else:
            index = int(index)
            n = len(self)
            if index < -n:
                raise ValueError("Index {} out of bounds for FLSeries of "
                                 "size {}!".format(index, n))
            rc = _lib.lib().fls_get_flimage(self._handle, index,
                                            ctypes.byref(out))
            if rc == _lib.QPGO_ERR_NOT_FOUND:
                raise KeyError("Index {} not found for FLSeries of length "
                               "{}".format(index, n))
            _lib.check(rc)
        fli = FLImage._from_handle(out.value)
        self._views[out.value] = fli
        return fli

    # --- processing -------------------------------------------------------
    def bleach_correction(self, h5out=None, border_px=20, flscorr=None,
                          count=None, max_count=None):
        """Perform a correction for photobleaching

        Bleaching is modeled with an exponential and an offset.

        Parameters
        ----------
        h5out: str, pathlib.Path or None
            A new FLSeries is written to (appended to, mode "a") this HDF5
            file; None: nothing is written
        border_px: int
            Number of border pixels to include for background estimation
            (0: the whole image counts as border, as upstream)
        flscorr: FLSeries
            Apply the background correction to this FLSeries instead of
            the current instance
        count, max_count:
            Progress: objects with a ``.value`` (e.g.
            ``multiprocessing.Value``) incremented as upstream does; or
            `count` is a callable ``progress(done, total)`` whose truthy
            return value cancels the run (:class:`qpgo.CancelledError`;
            the output file then holds a valid series of the images
            written so far).

        Returns
        -------
        bg: float
            Background value subtracted from each image
        flint: 1d ndarray
            Intensity trace (sum of positive background-free pixels)
        decay: 1d ndarray
            Fitted exponential decay evaluated at `times`
        times: 1d ndarray
            Acquisition times (meta data "time") of the images
        """
        opts = {"border_px": int(border_px)}
        if h5out:
            opts["h5out"] = _h5file_arg(h5out)
        if flscorr is not None and not isinstance(flscorr, FLSeries):
            raise ValueError("`flscorr` must be an FLSeries or None")
        n = len(self)
        flint = np.zeros(n)
        decay = np.zeros(n)
        times = np.zeros(n)
        bg = ctypes.c_double(0)
        prog = _lib.Progress(count, max_count)
        prog.call("fls_bleach_correction", self._handle,
                  _lib.cstr(_lib.to_json(opts)),
                  flscorr._handle if flscorr is not None else 0,
                  ctypes.byref(bg), _lib.ptr(flint), _lib.ptr(decay),
                  _lib.ptr(times), n)
        return bg.value, flint, decay, times

    def denoise(self, h5file, count=None, max_count=None):
        """Denoise fluorescence data (total variation, Chambolle,
        weight 2); the results are appended to the FLSeries at `h5file`
        (a path). `count`/`max_count` as in :meth:`bleach_correction`."""
        opts = {"h5file": _h5file_arg(h5file)}
        prog = _lib.Progress(count, max_count)
        prog.call("fls_denoise", self._handle,
                  _lib.cstr(_lib.to_json(opts)))


__all__ = ["FLSeries"]
