"""Handles series of images (upstream ``hexrd.imageseries``) on libqpgo.

This file contains the generic ImageSeries class and a function for
loading. Adapters for particular data formats are managed in the "load"
subpackage (one module per adapter, read by libqpgo); writers in "save".
Any ImageSeries (also one of a user-defined adapter) works with stats,
process, omega and the writers: qpgo series stay in Go, others are read
frame by frame through a callback. See ``bindings/python/README.md`` for
the differences from upstream.
"""
from .baseclass import ImageSeries
from . import imageseriesabc  # noqa: F401
from . import load
from . import save
from . import stats  # noqa: F401
from . import process  # noqa: F401
from . import omega  # noqa: F401


def open(filename, format=None, **kwargs):
    """Open an image series (``Registry.adapter_registry[format]``)

    Raises
    ------
    KeyError: unknown format, missing required option
    RuntimeError: zero length image series (also for ``format=None``)
    OSError: missing, unreadable or damaged file
    """
    # find the appropriate adapter based on format specified
    reg = load.Registry.adapter_registry
    adapter = reg[format](filename, **kwargs)
    ims = ImageSeries(adapter)
    if len(ims) == 0:
        raise RuntimeError("zero length imageseries")
    return ims


write = save.write


def to_dask(ims, frames_per_chunk=None):
    """the frames as a dask array read by libqpgo in the workers (see
    qpgo.imageseries._distributed.to_dask; imports dask)"""
    from ._distributed import to_dask as _to_dask
    return _to_dask(ims, frames_per_chunk)


__all__ = ["open", "write", "to_dask", "ImageSeries", "stats", "process",
           "omega", "load", "save"]
