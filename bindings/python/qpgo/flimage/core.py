"""FLImage (upstream ``flimage.core``) backed by a libqpgo handle."""
import ctypes
import pathlib

import numpy as np

from .. import _lib
from .._handle import _ImageBase, array_property, finite_meta, \
    h5file_arg, h5_options
from .image_data import Fluorescence
from .meta import FLMetaDict, META_KEYS_FL

#: `h5file` argument check of FLImage and FLSeries
_h5file_arg = h5file_arg


def _meta_json(meta_data):
    return finite_meta(meta_data, FLMetaDict, "libqpgo's FLImage")


def _image2d(data, what):
    arr = _lib.as_f64(data, what)
    if arr.ndim != 2:
        raise ValueError("`{}` must be a 2d array, got shape {}".format(
            what, arr.shape))
    return arr


class FLImage(_ImageBase):
    _instances = 0
    _prefix = "fli"
    _kind = "FLImage"
    _meta_class = FLMetaDict
    _meta_keys = META_KEYS_FL

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
        opts.update(h5_options(h5file, h5mode))
        self._h5ref = h5file
        arr, ndim, dims = None, 0, None
        if data is not None:
            arr = _image2d(data, "data")
            ndim = 2
            dims = (ctypes.c_int64 * 2)(*arr.shape)
        out = _lib.c_handle(0)
        _lib.call("fli_new", _lib.ptr(arr), ndim, dims, None,
                  _lib.cstr(_lib.to_json(opts)), ctypes.byref(out))
        self._adopt(out.value)
        self._fl = Fluorescence(self)

    @classmethod
    def _from_handle(cls, h, h5dtype="float32"):
        obj = super(FLImage, cls)._from_handle(h, h5dtype)
        obj._fl = Fluorescence(obj)
        return obj

    def _derived(self, h):
        return FLImage._from_handle(h)

    def _checked_meta(self, meta):
        return _meta_json(meta), {}

    info = property(_ImageBase._info,
                    doc="list of tuples with FLImage meta data")

    # --- properties -------------------------------------------------------
    dtype = property(_ImageBase._dtype,
                     doc="dtype of the fluorescence data array")
    fl = array_property("fli_get_fl",
                        "background-corrected fluorescence image (float64)")
    raw_fl = array_property("fli_get_raw_fl",
                            "raw fluorescence image (storage dtype)",
                            raw=True)
    bg_fl = array_property("fli_get_bg_fl",
                           "combined fluorescence background image "
                           "(float64)")

    # --- methods ----------------------------------------------------------
    def copy(self, h5file=None):
        """Create a copy of the current instance (in memory or a file)"""
        h5file = _h5file_arg(h5file)
        c = FLImage._from_handle(self._copy_handle(h5file),
                                 h5dtype=self.h5dtype)
        c._h5ref = h5file
        return c

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
