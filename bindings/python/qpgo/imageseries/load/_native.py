"""Base of the adapters whose series lives in libqpgo (an ims handle):
frames, dtype, shape and metadata come from Go, and stats, processing and
writing use the handle directly (frames never leave Go)."""
import ctypes
import json
import numbers
import os
import posixpath

import numpy as np

from ... import _lib, _typedmeta
from .. import _capi
from . import ImageSeriesAdapter


def h5_target(obj, path=None):
    """(file name, group path) of an open h5py File or Group (read by
    libqpgo through its name); (obj, path) for anything else"""
    if not type(obj).__module__.startswith("h5py"):
        return obj, path
    name = obj.file.filename
    base = getattr(obj, "name", "/") or "/"
    if path is None:
        return name, None if base == "/" else base
    return name, posixpath.join(base, str(path))


def _py_scalars(v):
    """numpy scalars -> Python scalars, also inside lists and dicts
    (values read from YAML are Python objects upstream)"""
    if isinstance(v, dict):
        return {k: _py_scalars(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_py_scalars(x) for x in v]
    if isinstance(v, np.generic) and not isinstance(v, np.bytes_):
        return v.item()
    return v


class NativeAdapter(ImageSeriesAdapter):
    """An adapter on an ims handle (not registered: no format)."""
    _abstract = True
    #: metadata values as Python scalars (YAML-sourced metadata)
    _python_scalars = False
    #: 0-d metadata arrays as numpy scalars (h5py attributes)
    _scalar_0d = False

    def _init_handle(self, hd):
        self._hd = hd
        self._meta = None
        self._info = None
        # length, frame shape and dtype are fixed per handle: one call
        self._n, self._shape, self._ndtype = _capi.info(hd)

    @classmethod
    def _open(cls, fname, fmt, options):
        """ims_open(fname, fmt, options) as a Handle"""
        out = _lib.c_handle(0)
        text = _lib.to_json(options) if options else None
        _capi.call("ims_open", _lib.cstr(os.fspath(fname)),
                   _lib.cstr(fmt), _lib.cstr(text), ctypes.byref(out))
        hd = _capi.Handle(out.value)
        hd.open_args = (os.fspath(fname), fmt, options)  # for _recipe
        return hd

    def __reduce__(self):
        # pickles as a recipe: re-opened by path when unpickled
        from .._recipe import reduce_adapter
        return reduce_adapter(self)

    def _qpgo_native(self, strict=False):
        return self._hd

    @property
    def _handle(self):
        if not self._hd.h:
            raise ValueError("I/O operation on a closed ImageSeries")
        return self._hd.h

    def close(self):
        hd = getattr(self, "_hd", None)  # None: the open failed
        if hd is not None:
            hd.close()

    # --- Sequence -------------------------------------------------------
    def __len__(self):
        self._handle  # ValueError when closed
        return self._n

    def _frame(self, index):
        # one crossing: Go decodes straight into the array returned
        dt = self.dtype
        out = _capi.read_frame(self._hd, index, self._shape, self._ndtype,
                               self.format == "frame-cache")
        return out if dt == out.dtype else out.astype(dt)

    def __getitem__(self, key):
        if isinstance(key, (numbers.Integral, np.integer)) and \
                not isinstance(key, (bool, np.bool_)):
            return self._frame(key)
        if isinstance(key, slice):
            idx = range(*key.indices(len(self)))
            if not idx:
                return np.empty((0,) + self.shape, dtype=self.dtype)
            return np.stack([self._frame(i) for i in idx])
        if isinstance(key, tuple) and key and \
                isinstance(key[0], (numbers.Integral, np.integer)):
            return self._frame(key[0])[tuple(key[1:])]
        raise TypeError("image series indices must be integers, slices or "
                        "(frame, rows, cols) tuples, not {}".format(
                            type(key).__name__))

    def __iter__(self):
        for i in range(len(self)):
            yield self._frame(i)

    # --- properties -----------------------------------------------------
    def _native_dtype(self):
        return self._ndtype

    @property
    def dtype(self):
        return self._native_dtype()

    @dtype.setter
    def dtype(self, value):
        raise AttributeError("the dtype of a file-backed image series is "
                             "fixed by the file")

    @property
    def shape(self):
        return self._shape

    @property
    def metadata(self):
        """metadata dict (decoded once; mutable; changes stay in Python)"""
        if self._meta is None:
            # typed buffers (dtype + shape + bytes), not JSON number lists
            meta = _typedmeta.read_metadata(self._handle)
            if self._scalar_0d:
                meta = {k: v[()] if isinstance(v, np.ndarray) and
                        v.ndim == 0 else v for k, v in meta.items()}
            if self._python_scalars:
                meta = _py_scalars(meta)
            self._meta = meta
        return self._meta

    @property
    def _details(self):
        """what the Go adapter tells about itself (ims_info_json)"""
        if self._info is None:
            self._info = json.loads(
                _capi.get_string("ims_info_json", self._handle))
        return self._info

    def __str__(self):
        s = self._details.get("summary")
        return s or object.__str__(self)

    def option_values(self):
        return {}

    def set_option(self, key, value):
        raise KeyError(key)
