"""Image series statistics (upstream ``hexrd.imageseries.stats``), computed
by libqpgo (ims_stats).

Every function takes any ImageSeries (qpgo-native ones are computed
without leaving Go, others are read frame by frame through a callback) or
a 3-d ndarray; ``nframes=0`` means all frames, else the first
``min(len, nframes)``. Result dtypes as upstream: max/min keep the series
dtype, sum is float64, average/median/percentile are float32.
"""
import builtins
import sys

import numpy as np

from . import _capi

try:
    import psutil
    #: bytes of frames percentile_iter may buffer (50 % of the available
    #: memory at import, as upstream)
    STATS_BUFFER = int(0.5 * psutil.virtual_memory().available)
except ImportError:  # psutil is optional
    STATS_BUFFER = 1 << 30


def _series(ims):
    """an ndarray as an array series; anything else as is"""
    if isinstance(ims, np.ndarray):
        from .baseclass import ImageSeries
        from .load.array import ArrayImageSeriesAdapter
        return ImageSeries(ArrayImageSeriesAdapter(None, data=ims))
    return ims


def _run(ims, which, nframes=0, pctl=0.0):
    ims = _series(ims)
    hd = _capi.native(ims)
    shape = tuple(int(x) for x in ims.shape)
    # one call, written in the result's dtype straight into the output
    return _capi.stats_into(hd, which, shape, ims.dtype, nframes, pctl)


def max(ims, nframes=0, client=None):
    return _stat(ims, "max", nframes, 0.0, client)


def min(ims, nframes=0, client=None):
    return _stat(ims, "min", nframes, 0.0, client)


def sum(ims, nframes=0, client=None):
    return _stat(ims, "sum", nframes, 0.0, client)


def average(ims, nframes=0, client=None):
    return _stat(ims, "average", nframes, 0.0, client)


def median(ims, nframes=0, client=None):
    return _stat(ims, "median", nframes, 0.0, client)


def percentile(ims, pctl, nframes=0, client=None):
    return _stat(ims, "percentile", nframes, pctl, client)


def _stat(ims, which, nframes, pctl, client):
    """qpgo: on a dask Client when `client` is given (or a default
    distributed Client exists), see _distributed.stat; else _run"""
    if client is not None or "distributed" in sys.modules:
        from ._distributed import maybe
        out = maybe(ims, which, nframes, pctl, client)
        if out is not None:
            return out
    return _run(ims, which, nframes, pctl)


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


def _alloc_buffer(ims, nf):
    """a buffer for as many of nf full frames as fit into STATS_BUFFER"""
    shp, dt = tuple(ims.shape), np.dtype(ims.dtype)
    framesize = shp[0] * shp[1] * dt.itemsize
    nf = int(builtins.min(nf, STATS_BUFFER // framesize))
    return np.empty((nf,) + shp, dt)


def _toarray(ims, nframes, rows=None, buffer=None):
    """the first nframes frames (rows r0:r1 of each, all if None) as one
    (nframes, r1 - r0, cols) array; with rows, the full frames are kept in
    `buffer` (filled at the first chunk, r0 == 0) and read from there"""
    nr, nc = tuple(ims.shape)
    r0, r1 = (0, nr) if rows is None else rows
    nbf = 0 if buffer is None or rows is None else len(buffer)
    out = np.empty((nframes, r1 - r0, nc), dtype=ims.dtype)
    for i in range(nframes):
        if i < nbf:
            if r0 == 0:
                buffer[i] = ims[i]
            out[i] = buffer[i, r0:r1]
        else:
            out[i] = ims[i][r0:r1]
    return out


def median_iter(ims, nchunks, nframes=0, use_buffer=True):
    return percentile_iter(ims, 50, nchunks, nframes, use_buffer)


__all__ = ["max", "min", "sum", "average", "median", "percentile",
           "max_iter", "min_iter", "sum_iter", "average_iter",
           "percentile_iter", "median_iter"]
