"""hexrd ``imageseries`` API on top of libqpgo (ims_*).

``open(filename, format=None, **kwargs)`` and ``write(ims, fname, fmt,
**kwargs)`` as upstream; submodules ``stats``, ``process`` and ``omega``.
See ``bindings/python/README.md`` for the differences from upstream.
"""
import ctypes
import os

import numpy as np

from .. import _lib
from . import _meta
from .baseclass import ImageSeries, from_array

#: formats ims_open reads (plus the Python-side "array" and "function")
_FILE_FORMATS = ("hdf5", "frame-cache", "image-files", "raw-image")
_FC_LOAD_STYLES = ("npz", "fch5", "yml", "yaml", "test")
_FC_WRITE_STYLES = ("npz", "fch5")


def _options(kwargs):
    return _lib.to_json(kwargs) if kwargs else None


def open(filename, format=None, **kwargs):
    """Open an image series (hexrd ``imageseries.open``)

    Parameters
    ----------
    filename: str, pathlib.Path or None
        File name (None for the "array" and "function" formats)
    format: str
        "hdf5" (kwargs ``path``, ``dataname``), "frame-cache" (``style``,
        ``path``, ``max_workers``), "image-files", "raw-image",
        "array" (``data``, ``meta``) or "function" (``func``,
        ``num_frames``, ``meta``; all frames are evaluated at open)

    Raises
    ------
    KeyError: unknown format, missing required option
    RuntimeError: zero length image series (also for ``format=None``)
    OSError: missing or unreadable file
    """
    if format is None:
        raise RuntimeError("zero length imageseries")
    if format == "array":
        unknown = set(kwargs) - {"data", "meta"}
        if unknown:
            raise TypeError("unexpected keyword arguments for the array "
                            "format: {}".format(sorted(unknown)))
        ims = from_array(kwargs["data"], kwargs.get("meta"))
    elif format == "function":
        func = kwargs["func"]
        n = int(kwargs["num_frames"])
        if n <= 0:
            raise RuntimeError("zero length imageseries")
        frames = np.stack([np.asarray(func(i)) for i in range(n)])
        ims = from_array(frames, kwargs.get("meta"))
    else:
        if format == "frame-cache" and \
                kwargs.get("style", "npz") not in _FC_LOAD_STYLES:
            raise TypeError(
                "Unknown style format for loading data: {}.Known style "
                "formats: 'npz', 'fch5' 'yml', 'yaml', 'test'".format(
                    kwargs["style"]))
        if format == "frame-cache" and kwargs.get("style") == "yaml":
            kwargs = dict(kwargs, style="yml")
        if filename is None:
            raise ValueError("`filename` is required for format "
                             "{!r}".format(format))
        out = _lib.c_handle(0)
        rc = _lib.lib().ims_open(_lib.cstr(os.fspath(filename)),
                                 _lib.cstr(format),
                                 _lib.cstr(_options(kwargs)),
                                 ctypes.byref(out))
        if rc != _lib.QPGO_OK:
            msg = _lib.errmsg()
            if rc == _lib.QPGO_ERR_ARG and "zero" in msg.lower() and \
                    "length" in msg.lower():
                raise RuntimeError("zero length imageseries")
            raise _lib.error_for(rc, msg)
        ims = ImageSeries(out.value)
        ims._scalar_0d = format == "hdf5"
    if len(ims) == 0:
        ims.close()
        raise RuntimeError("zero length imageseries")
    return ims


def write(ims, fname, fmt, **kwargs):
    """Write an image series (hexrd ``imageseries.write``)

    fmt "hdf5": ``path`` (required), ``gzip`` (0..9, default 1),
    ``shuffle`` (True), ``chunk_rows`` (0), ``compression``
    (``{"blosc": {"cname", "clevel", "shuffle"}}``; hdf5plugin objects are
    not supported). fmt "frame-cache": ``threshold`` (required), ``style``
    ("npz" or "fch5"), ``cache_file``, ``max_workers``, ``path``.
    `ims` is a :class:`ImageSeries` of this package or a numpy array
    (2-d/3-d, wrapped with the "array" adapter).
    """
    if isinstance(ims, np.ndarray):
        ims = from_array(ims)
    if not isinstance(ims, ImageSeries):
        raise TypeError("`ims` must be a qpgo.imageseries.ImageSeries, got "
                        "{}".format(type(ims).__name__))
    if fmt == "frame-cache" and \
            kwargs.get("style", "npz") not in _FC_WRITE_STYLES:
        raise TypeError("Unknown file style for writing framecache: {}. "
                        "Supported formats are ['npz', 'fch5']".format(
                            kwargs["style"]))
    _lib.call("ims_write", ims._handle, _lib.cstr(os.fspath(fname)),
              _lib.cstr(fmt), _lib.cstr(_options(kwargs)))


from . import stats  # noqa: E402,F401
from . import process  # noqa: E402,F401
from . import omega  # noqa: E402,F401

__all__ = ["open", "write", "ImageSeries", "stats", "process", "omega"]
