"""Image series statistics (upstream ``hexrd.imageseries.stats``), computed
by libqpgo (ims_stats).

Every function takes an :class:`~qpgo.imageseries.ImageSeries` or a 3-d
ndarray; ``nframes=0`` means all frames, else the first
``min(len, nframes)``. Result dtypes as upstream: max/min keep the series
dtype, sum is float64, average/median/percentile are float32.
"""
import builtins

import numpy as np

from .. import _lib
from .baseclass import ImageSeries, from_array


def _series(ims):
    if isinstance(ims, ImageSeries):
        return ims
    if isinstance(ims, np.ndarray):
        return from_array(ims)
    raise TypeError("`ims` must be an ImageSeries or a 3-d ndarray")


def _run(ims, which, nframes=0, pctl=0.0):
    s = _series(ims)
    out = np.empty(s.shape, dtype=np.float64)
    _lib.call("ims_stats", s._handle, _lib.cstr(which), float(pctl),
              int(nframes), _lib.ptr(out), out.size)
    if which in ("max", "min"):
        return out.astype(s.dtype)
    if which == "sum":
        return out
    return out.astype(np.float32)


def max(ims, nframes=0):
    return _run(ims, "max", nframes)


def min(ims, nframes=0):
    return _run(ims, "min", nframes)


def sum(ims, nframes=0):
    return _run(ims, "sum", nframes)


def average(ims, nframes=0):
    return _run(ims, "average", nframes)


def median(ims, nframes=0):
    return _run(ims, "median", nframes)


def percentile(ims, pctl, nframes=0):
    return _run(ims, "percentile", nframes, pctl)


# --- iterator forms (for progress bars) ------------------------------------
def _nframes(ims, nframes):
    n = len(ims)
    return n if nframes == 0 else builtins.min(n, nframes)


def _chunk_stops(n, nchunks):
    """inclusive stop indices of `nchunks` chunks of range(n)"""
    if nchunks > n:
        raise ValueError("number of chunks cannot exceed number of items")
    pieces = np.full(nchunks, n // nchunks, dtype=int)
    pieces[:n % nchunks] += 1
    pieces[0] -= 1
    return np.cumsum(pieces)


def _frame_iter(ims, which, nchunk, nframes):
    s = _series(ims)
    nf = _nframes(s, nframes)
    for stop in _chunk_stops(nf, nchunk):
        yield _run(s, which, int(stop) + 1)


def max_iter(ims, nchunk, nframes=0):
    return _frame_iter(ims, "max", nchunk, nframes)


def min_iter(ims, nchunk, nframes=0):
    return _frame_iter(ims, "min", nchunk, nframes)


def sum_iter(ims, nchunk, nframes=0):
    return _frame_iter(ims, "sum", nchunk, nframes)


def average_iter(ims, nchunk, nframes=0):
    return _frame_iter(ims, "average", nchunk, nframes)


def percentile_iter(ims, pctl, nchunks, nframes=0, use_buffer=True):
    """Yield the percentile image with the rows of 1, 2, … chunks filled
    (unfilled rows 0), as upstream; the result is computed once."""
    s = _series(ims)
    full = _run(s, "percentile", nframes, pctl).astype(np.float64)
    img = np.zeros(s.shape, dtype=np.float64)
    r0 = 0
    for stop in _chunk_stops(s.shape[0], nchunks):
        img[r0:stop + 1] = full[r0:stop + 1]
        r0 = stop + 1
        yield img.astype(np.float32)


def median_iter(ims, nchunks, nframes=0, use_buffer=True):
    return percentile_iter(ims, 50, nchunks, nframes, use_buffer)


__all__ = ["max", "min", "sum", "average", "median", "percentile",
           "max_iter", "min_iter", "sum_iter", "average_iter",
           "percentile_iter", "median_iter"]
