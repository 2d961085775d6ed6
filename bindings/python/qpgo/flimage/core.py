"""FLImage (upstream ``flimage.core``) backed by a libqpgo handle."""
import ctypes
import json
import os
import pathlib

import numpy as np

from .. import _lib
from ..qpimage.core import _is_h5py_object, _split_meta
from .image_data import Fluorescence
from .meta import FLMetaDict, META_KEYS_FL


def _h5file_arg(h5file):
    if h5file is None:
        return None
    if _is_h5py_object(h5file):
        raise TypeError("`h5file` as an h5py object is not supported by "
                        "qpgo: pass the file path (str or pathlib.Path) or "
                        "None for an in-memory image")
    if not isinstance(h5file, (str, os.PathLike)):
        raise TypeError("`h5file` must be a path (str or pathlib.Path) or "
                        "None, got {}".format(type(h5file).__name__))
    return os.fspath(h5file)


def _meta_json(meta_data):
    meta = FLMetaDict(meta_data or {})
    plain, special = _split_meta(meta)
    if special:
        raise ValueError("non-finite meta data values cannot be passed to "
                         "libqpgo's FLImage: {}".format(sorted(special)))
    return plain


def _image2d(data, what):
    arr = _lib.as_f64(data, what)
    if arr.ndim != 2:
        raise ValueError("`{}` must be a 2d array, got shape {}".format(
            what, arr.shape))
    return arr


class FLImage(object):
    _instances = 0

    def __init__(self, data=None, meta_data={}, h5file=None, h5mode="a",
                 h5dtype="float32"):
        """Fluorescence image manipulation

        Parameters
        ----------
        data: 2d ndarray (float or complex) or list
            The fluorescence data (lists/tuples are converted, spec F1).
        meta_data: dict
            Meta data associated with the input data, see
            :const:`qpgo.flimage.META_KEYS_FL`.
        h5file: str, pathlib.Path or None
            Path to an HDF5 file (h5py objects are not supported); None:
            in memory.
        h5mode: str
            Mode in which to open `h5file`.
        h5dtype: str
            Storage dtype ("float32" or "float64").
        """
        self._h = 0
        self._do_h5_cleanup = True
        if data is not None and \
                not isinstance(data, (np.ndarray, list, tuple)):
            msg = "`data` must be numpy.ndarray!"
            if isinstance(data, (str, pathlib.Path)):
                msg += " Did you mean `h5file={}`?".format(data)
            raise ValueError(msg)
        h5file = _h5file_arg(h5file)
        self.h5dtype = h5dtype
        opts = {"h5dtype": np.dtype(h5dtype).name,
                "meta_data": _meta_json(meta_data)}
        if h5file is not None:
            opts["h5file"] = h5file
            opts["h5mode"] = h5mode
        arr, ndim, dims = None, 0, None
        if data is not None:
            arr = _image2d(data, "data")
            ndim = 2
            dims = (ctypes.c_int64 * 2)(*arr.shape)
        out = _lib.c_handle(0)
        _lib.call("fli_new", _lib.ptr(arr), ndim, dims, None,
                  _lib.cstr(_lib.to_json(opts)), ctypes.byref(out))
        self._h = out.value
        FLImage._instances += 1
        self._fl = Fluorescence(self)

    @classmethod
    def _from_handle(cls, h, h5dtype="float32"):
        obj = cls.__new__(cls)
        obj._h = h
        obj._do_h5_cleanup = True
        obj.h5dtype = h5dtype
        obj._fl = Fluorescence(obj)
        FLImage._instances += 1
        return obj

    # --- handle management ------------------------------------------------
    @property
    def _handle(self):
        if not self._h:
            raise ValueError("I/O operation on a closed FLImage")
        return self._h

    @property
    def closed(self):
        return not self._h

    def close(self):
        """Release the library object (and close its file); idempotent."""
        h, self._h = self._h, 0
        if h:
            _lib.call("fli_close", h)

    def __del__(self):
        try:
            if getattr(self, "_h", 0) and _lib is not None:
                _lib.lib().fli_close(self._h)
                self._h = 0
        except Exception:
            pass

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        if self._do_h5_cleanup:
            self.close()

    # --- dunder -----------------------------------------------------------
    def __contains__(self, key):
        if not isinstance(key, str):
            return False
        has = ctypes.c_int(0)
        _lib.call("fli_has_meta", self._handle, _lib.cstr(key),
                  ctypes.byref(has))
        return bool(has.value)

    def __eq__(self, other):
        if not isinstance(other, FLImage):
            return False
        eq = ctypes.c_int(0)
        _lib.call("fli_equal", self._handle, other._handle,
                  ctypes.byref(eq))
        return bool(eq.value)

    __hash__ = None

    def __getitem__(self, given):
        if isinstance(given, (slice, tuple)):
            sl = given if isinstance(given, tuple) else (given,)
            if not 1 <= len(sl) <= 2 or \
                    not all(isinstance(s, slice) for s in sl):
                raise ValueError("Only slicing and meta data keys allowed "
                                 "for `__getitem__`")
            ranges = []
            for s, n in zip(sl, self.shape):
                ranges.extend(s.indices(n))
            r = (ctypes.c_int64 * len(ranges))(*ranges)
            out = _lib.c_handle(0)
            _lib.call("fli_slice", self._handle, r, len(sl),
                      ctypes.byref(out))
            return FLImage._from_handle(out.value)
        elif isinstance(given, str):
            return self.meta[given]
        else:
            raise ValueError("Only slicing and meta data keys allowed for "
                             "`__getitem__`")

    def __setitem__(self, key, value):
        if key not in META_KEYS_FL:
            raise KeyError("Unknown meta data key: {}".format(key))
        _lib.call("fli_set_meta", self._handle,
                  _lib.cstr(_lib.to_json(_meta_json({key: value}))))

    def __repr__(self):
        if not self._h:
            return "FLImage <closed {}>".format(hex(id(self)))
        return _lib.get_string("fli_repr", self._handle)

    # --- properties -------------------------------------------------------
    @property
    def meta(self):
        """dictionary with imaging meta data"""
        raw = json.loads(_lib.get_string("fli_get_meta_json", self._handle,
                                         None))
        return FLMetaDict({k: _lib.from_typed(v["value"], v["type"])
                           for k, v in raw.items()})

    @property
    def info(self):
        """list of tuples with FLImage meta data"""
        rows = json.loads(_lib.get_string("fli_info", self._handle))
        return [(name, _lib.from_typed(value, typ))
                for name, value, typ in rows]

    @property
    def shape(self):
        """size of image dimensions"""
        dims = (ctypes.c_int64 * 2)()
        _lib.call("fli_shape", self._handle, dims)
        return (int(dims[0]), int(dims[1]))

    @property
    def dtype(self):
        """dtype of the fluorescence data array"""
        dt = ctypes.c_int(0)
        _lib.call("fli_dtype", self._handle, ctypes.byref(dt))
        return np.dtype(_lib.DTYPES[dt.value])

    @property
    def fl(self):
        """background-corrected fluorescence image (float64)"""
        return _lib.get_array("fli_get_fl", self._handle, self.shape)

    @property
    def raw_fl(self):
        """raw fluorescence image (storage dtype)"""
        return _lib.get_array("fli_get_raw_fl", self._handle,
                              self.shape).astype(self.dtype, copy=False)

    @property
    def bg_fl(self):
        """combined fluorescence background image (float64)"""
        return _lib.get_array("fli_get_bg_fl", self._handle, self.shape)

    # --- methods ----------------------------------------------------------
    def copy(self, h5file=None):
        """Create a copy of the current instance (in memory or a file)"""
        h5file = _h5file_arg(h5file)
        out = _lib.c_handle(0)
        _lib.call("fli_copy", self._handle,
                  _lib.cstr(h5file) if h5file else None, ctypes.byref(out))
        return FLImage._from_handle(out.value, h5dtype=self.h5dtype)

    def set_bg_data(self, bg_data):
        """Set background fluorescence data

        Parameters
        ----------
        bg_data: 2d ndarray, FLImage or None
            The background data (an FLImage: its corrected `fl`; None
            removes it)
        """
        if isinstance(bg_data, FLImage):
            _lib.call("fli_set_bg_data_fli", self._handle, bg_data._handle)
            return
        if bg_data is None:
            _lib.call("fli_set_bg_data", self._handle, None, 0, None)
            return
        arr = _lib.as_f64(bg_data, "bg_data")
        dims = (ctypes.c_int64 * max(arr.ndim, 1))(*arr.shape)
        _lib.call("fli_set_bg_data", self._handle, _lib.ptr(arr), arr.ndim,
                  dims)


__all__ = ["FLImage"]
