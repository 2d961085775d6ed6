"""QPSeries (upstream ``qpimage.series``) backed by a libqpgo handle."""
import ctypes
import json
import os
import pathlib
import weakref

from .. import _lib
from .core import QPImage, _is_h5py_object
from .meta import MetaDict


def _h5file_arg(h5file):
    if h5file is None:
        return None
    if _is_h5py_object(h5file):
        raise TypeError("`h5file` as an h5py object is not supported by "
                        "qpgo: pass the file path (str or pathlib.Path) or "
                        "None for an in-memory series")
    if not isinstance(h5file, (str, os.PathLike)):
        raise TypeError("`h5file` must be a path (str or pathlib.Path) or "
                        "None, got {}".format(type(h5file).__name__))
    return os.fspath(h5file)


class QPSeries(object):
    _instances = 0

    def __init__(self, qpimage_list=[], meta_data={}, h5file=None,
                 h5mode="a", identifier=None):
        """Quantitative phase image series

        Parameters
        ----------
        qpimage_list: list
            List of QPImage instances
        meta_data: dict
            Meta data associated with the input data (written into every
            member the series holds after `qpimage_list` was added).
        h5file: str, pathlib.Path, or None
            Path to an HDF5 file (h5py objects are not supported); None:
            in memory.
        h5mode: str
            Mode in which to open `h5file`
        identifier: str
            Series identifier

        Members returned by :meth:`get_qpimage` are live views into the
        series (writes through them change the series); they become
        invalid when the series is closed.
        """
        self._h = 0
        self._views = weakref.WeakValueDictionary()
        if qpimage_list and not isinstance(qpimage_list, list):
            msg = "`qpimage_list` must be a list of QPImages!"
            if isinstance(qpimage_list, (str, pathlib.Path)):
                msg += " Did you mean `h5file={}`?".format(qpimage_list)
            raise ValueError(msg)
        h5file = _h5file_arg(h5file)
        meta = MetaDict(meta_data or {})
        from .core import _split_meta
        meta_json, meta_special = _split_meta(meta)
        if meta_special:
            raise ValueError("non-finite meta data values cannot be "
                             "passed to QPSeries: {}".format(
                                 sorted(meta_special)))
        if meta and h5mode == "r":
            raise ValueError("`meta_data` must not be set when "
                             "`h5mode=='r'`!")
        opts = {}
        if identifier:
            opts["identifier"] = str(identifier)
        if h5file is not None:
            opts["h5file"] = h5file
            opts["h5mode"] = h5mode
        out = _lib.c_handle(0)
        _lib.call("qps_new", _lib.cstr(_lib.to_json(opts)),
                  ctypes.byref(out))
        self._h = out.value
        QPSeries._instances += 1
        try:
            for qpi in (qpimage_list or []):
                self.add_qpimage(qpi)
            if meta:
                # upstream writes meta_data into every member present
                for ii in range(len(self)):
                    qpi = self.get_qpimage(ii)
                    qpi._write_meta(meta_json, {})
        except BaseException:
            self.close()
            raise

    # --- handle management ------------------------------------------------
    @property
    def _handle(self):
        if not self._h:
            raise ValueError("I/O operation on a closed QPSeries")
        return self._h

    def _close_handle(self):
        h, self._h = self._h, 0
        for v in list(self._views.values()):
            v._h = 0  # qps_close releases the member handles
        self._views = weakref.WeakValueDictionary()
        if h:
            _lib.call("qps_close", h)

    def close(self):
        """Release the series (and close its file); member views become
        invalid. Idempotent."""
        self._close_handle()

    def __del__(self):
        try:
            if getattr(self, "_h", 0) and _lib is not None:
                _lib.lib().qps_close(self._h)
                self._h = 0
        except Exception:
            pass

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.close()

    # --- container protocol -----------------------------------------------
    def __contains__(self, qpid):
        if not isinstance(qpid, str):
            return False
        has = ctypes.c_int(0)
        _lib.call("qps_contains", self._handle, _lib.cstr(qpid),
                  ctypes.byref(has))
        return bool(has.value)

    def __getitem__(self, index):
        return self.get_qpimage(index)

    def __iter__(self):
        for ii in range(len(self)):
            yield self[ii]

    def __len__(self):
        n = ctypes.c_int64(0)
        _lib.call("qps_len", self._handle, ctypes.byref(n))
        return int(n.value)

    def __repr__(self):
        return "QPSeries <{}>, {} images".format(
            self.identifier or hex(id(self)), len(self))

    @property
    def identifier(self):
        """series identifier (None if not set)"""
        ident = _lib.get_string("qps_identifier", self._handle)
        return ident or None

    @property
    def identifiers(self):
        """identifiers of the members in index order (None if unset)"""
        return json.loads(_lib.get_string("qps_identifiers_json",
                                          self._handle))

    def add_qpimage(self, qpi, identifier=None, bg_from_idx=None):
        """Add a QPImage instance to the QPSeries

        Parameters
        ----------
        qpi: qpgo.qpimage.QPImage
            The QPImage that is added to the series
        identifier: str
            Identifier key for `qpi` (default: the image's identifier)
        bg_from_idx: int or None
            Use the background data from the data stored in this index,
            creating hard links within the hdf5 file.
        """
        if not isinstance(qpi, QPImage):
            raise ValueError("`fli` must be instance of QPImage!")
        if bg_from_idx is None:
            idx, has = 0, 0
        else:
            idx, has = int(bg_from_idx), 1
        _lib.call("qps_add_qpimage", self._handle, qpi._handle,
                  _lib.cstr(identifier) if identifier else None, idx, has)

    def get_qpimage(self, index):
        """Return a single QPImage of the series (a live view)

        Parameters
        ----------
        index: int or str
            Index or identifier of the QPImage
        """
        out = _lib.c_handle(0)
        if isinstance(index, str):
            _lib.call("qps_get_qpimage_by_id", self._handle,
                      _lib.cstr(index), ctypes.byref(out))
        else:
            index = int(index)
            n = len(self)
            if index < -n:
                raise ValueError("Index {} out of bounds for QPSeries of "
                                 "size {}!".format(index, n))
            rc = _lib.lib().qps_get_qpimage(self._handle, index,
                                            ctypes.byref(out))
            if rc == _lib.QPGO_ERR_NOT_FOUND:
                raise KeyError("Index {} not found for QPSeries of size "
                               "{}!".format(index, n))
            _lib.check(rc)
        qpi = QPImage._from_handle(out.value)
        qpi._do_h5_cleanup = True  # releases the view, not the file
        self._views[out.value] = qpi
        return qpi


__all__ = ["QPSeries"]
