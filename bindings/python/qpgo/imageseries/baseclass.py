"""ImageSeries (upstream ``hexrd.imageseries.baseclass``) on a libqpgo
handle (ims_*)."""
import ctypes
from collections.abc import Sequence
import numbers

import numpy as np

from .. import _lib
from .._handle import _HandleObject
from . import _meta


class ImageSeries(_HandleObject, Sequence):
    """A sequence of 2-d frames held by libqpgo.

    Frames are returned as new numpy arrays in the series dtype. Indices
    may be any integer type (also ``np.int64``, spec I7) and negative;
    an index out of range raises IndexError. ``ims[i, rows, cols]``
    applies numpy indexing to frame i; a slice over frames gives a 3-d
    array (upstream: only the array adapter).
    """

    def __init__(self, handle, deps=()):
        self._h = handle
        # objects whose handles this series reads from (kept alive)
        self._deps = list(deps)
        self._metadata = None
        # h5py returns scalar attributes as numpy scalars: the hdf5
        # adapter converts 0-d arrays of the library's metadata
        self._scalar_0d = False

    _prefix = "ims"
    _kind = "ImageSeries"

    # --- handle management ------------------------------------------------
    def close(self):
        """Close the series (and its file); idempotent."""
        self._release()

    # --- Sequence ---------------------------------------------------------
    def __len__(self):
        n = ctypes.c_int64(0)
        _lib.call("ims_len", self._handle, ctypes.byref(n))
        return int(n.value)

    def _frame(self, index):
        n = len(self)
        i = int(index)
        if i < -n or i >= n:
            raise IndexError("frame index {} out of range for an image "
                             "series of length {}".format(index, n))
        out = np.empty(self.shape, dtype=self.dtype)
        rc = _lib.lib().ims_get_frame(self._handle, i, _lib.ptr(out),
                                      out.nbytes)
        if rc == _lib.QPGO_ERR_NOT_FOUND:
            raise IndexError(_lib.errmsg())
        _lib.check(rc)
        return out

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
            frame = self._frame(key[0])
            return frame[tuple(key[1:])]
        raise TypeError("image series indices must be integers, slices or "
                        "(frame, rows, cols) tuples, not {}".format(
                            type(key).__name__))

    def __iter__(self):
        for i in range(len(self)):
            yield self._frame(i)

    # --- properties -------------------------------------------------------
    @property
    def dtype(self):
        dt = ctypes.c_int(0)
        _lib.call("ims_dtype", self._handle, ctypes.byref(dt))
        return np.dtype(_lib.DTYPES[dt.value])

    @property
    def shape(self):
        """shape of one frame (rows, cols)"""
        dims = (ctypes.c_int64 * 2)()
        _lib.call("ims_shape", self._handle, dims)
        return (int(dims[0]), int(dims[1]))

    @property
    def metadata(self):
        """metadata dict (decoded once; mutable, but changes stay in
        Python: the library keeps its own copy for writing)"""
        if self._metadata is None:
            meta = _meta.decode_all(
                _lib.get_string("ims_metadata_json", self._handle))
            if self._scalar_0d:
                meta = {k: v[()] if isinstance(v, np.ndarray) and
                        v.ndim == 0 else v for k, v in meta.items()}
            self._metadata = meta
        return self._metadata

    def get_region(self, frame_idx, region):
        """frame[r0:r1, c0:c1] for region ((r0, r1), (c0, c1))"""
        (r0, r1), (c0, c1) = region
        return self[frame_idx][r0:r1, c0:c1]

    def option_values(self):
        return {}

    def set_option(self, key, value):
        raise NotImplementedError("set_option: no options for this "
                                  "image series in qpgo")

    def _as_f64(self, index):
        out = np.empty(self.shape, dtype=np.float64)
        _lib.call("ims_get_frame_f64", self._handle, int(index),
                  _lib.ptr(out), out.size)
        return out


def from_array(data, meta=None):
    """An in-memory ImageSeries of a 2-d (one frame) or 3-d array (the
    data are copied)."""
    arr = np.asarray(data)
    if arr.ndim not in (2, 3):
        raise RuntimeError("input array must be 2-d or 3-d; you provided "
                           "ndim={}".format(arr.ndim))
    if arr.dtype.name not in _lib.DTYPE_CODES or arr.dtype == np.bool_:
        raise ValueError("array dtype {} is not supported by libqpgo "
                         "image series".format(arr.dtype))
    arr = np.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder("="))
    dims = (ctypes.c_int64 * arr.ndim)(*arr.shape)
    out = _lib.c_handle(0)
    mj = _meta.encode_all(meta)
    _lib.call("ims_from_array", _lib.ptr(arr),
              _lib.DTYPE_CODES[arr.dtype.name], arr.ndim, dims,
              _lib.cstr(mj), ctypes.byref(out))
    return ImageSeries(out.value)


__all__ = ["ImageSeries"]
