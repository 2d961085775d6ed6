"""Image series on Dask: :func:`to_dask` and the distributed statistics.

Nothing here imports dask before it is used.

:func:`to_dask` gives a ``dask.array.Array`` (n, rows, cols) whose chunks
are frame ranges read by libqpgo inside the worker: the graph carries the
series' recipe (see :mod:`._recipe`), each worker re-opens the file (or
rebuilds the processed series) once and keeps it open for its later
chunks. Any scheduler works (threads, processes, ``distributed``).

:func:`stat` runs ``stats.max/min/sum/average/median/percentile`` on a
``distributed.Client`` (or another dask scheduler) with exactly the
single-process result:

- max and min: one task per frame range folds its frames in libqpgo; the
  partial images are combined in frame order with libqpgo's rule (a later
  value replaces the kept one if it is larger/smaller or NaN), which is
  what one pass over all frames gives, bit for bit;
- sum and average of integer frames: frame-range tasks return exact
  float64 partial sums; where every partial sum stays below 2**53 (sum) or
  2**24 (average: then libqpgo's float32 accumulator is exact too), they
  combine in any grouping to the single-process result;
- median, percentile, average and sum otherwise (the float accumulators
  depend on the order): computed per pixel from all its frames in order,
  so the frame is split into row bands. Frame-range tasks read each frame
  once and return its rows cut into bands; one task per band joins its
  pieces in frame order and runs the same libqpgo statistic on them.
  The rows are processed in waves sized so that a worker holds about
  ``qpgo.stats-buffer`` bytes (dask config; default a quarter of the
  worker memory limit, at most 1 GiB): a stack larger than the cluster's
  memory is read once per wave, as the single-process call reads it once
  per band.

Lost workers are handled by the scheduler: their tasks are recomputed
from the recipe (reading a file twice gives the same frames).
"""
import builtins
import operator
import os
import sys

import numpy as np

from . import _recipe

#: bytes of frames per to_dask chunk when frames_per_chunk is None
CHUNK_BYTES = 64 << 20

_STATS = ("max", "min", "sum", "average", "median", "percentile")


def _import_dask():
    try:
        import dask
        import dask.array  # noqa: F401
    except ImportError as exc:  # pragma: no cover - Debian has it
        raise ImportError(
            "this needs dask (Debian: apt-get install python3-dask "
            "python3-distributed; pip: pip install 'dask[array]' "
            "distributed)") from exc
    return dask


def _geometry(ims):
    n = len(ims)
    rows, cols = (int(x) for x in ims.shape)
    return n, rows, cols, np.dtype(ims.dtype)


# --- worker tasks ---------------------------------------------------------
def _read_frames(recipe, f0, f1):
    """frames f0..f1-1 of the series as one (f1-f0, rows, cols) array"""
    s = _recipe.cached_open(recipe)
    rows, cols = (int(x) for x in s.shape)
    dt = np.dtype(s.dtype)
    out = np.empty((f1 - f0, rows, cols), dtype=dt)
    for i in range(f0, f1):
        out[i - f0] = s[i]
    return out


def _read_bands(recipe, f0, f1, edges):
    """frames f0..f1-1, each read once, cut into the row bands
    [edges[k], edges[k+1]): one (f1-f0, band rows, cols) array per band"""
    s = _recipe.cached_open(recipe)
    cols = int(s.shape[1])
    dt = np.dtype(s.dtype)
    out = [np.empty((f1 - f0, b1 - b0, cols), dtype=dt)
           for b0, b1 in zip(edges[:-1], edges[1:])]
    for i in range(f0, f1):
        img = np.asarray(s[i])
        for k, (b0, b1) in enumerate(zip(edges[:-1], edges[1:])):
            out[k][i - f0] = img[b0:b1]
    return out


def _band_stat(which, pctl, pieces):
    """the libqpgo statistic of one row band (pieces in frame order)"""
    from . import stats
    stack = pieces[0] if len(pieces) == 1 else np.concatenate(pieces)
    del pieces
    return stats._run(stack, which, 0, pctl)


def _range_stats(recipe, whiches, f0, f1):
    """libqpgo's statistics `whiches` of frames f0..f1-1 (each a fold
    holding one frame)"""
    from . import stats
    from .process import ProcessedImageSeries
    s = _recipe.cached_open(recipe)
    sub = ProcessedImageSeries(s, [], frame_list=list(range(f0, f1)))
    return tuple(stats._run(sub, w, 0) for w in whiches)


def _combine_extreme(which, parts):
    """libqpgo's fold over partial results in frame order: a later value
    replaces the kept one when larger (smaller) or NaN"""
    acc = parts[0].copy()
    for b in parts[1:]:
        if which == "max":
            take = b > acc
        else:
            take = b < acc
        if b.dtype.kind in "fc":
            take |= b != b
        np.copyto(acc, b, where=take)
    return acc


# --- to_dask --------------------------------------------------------------
def to_dask(ims, frames_per_chunk=None):
    """The frames of `ims` as a ``dask.array.Array`` (n, rows, cols) of the
    series dtype.

    Chunks are frame ranges of `frames_per_chunk` frames (default: about
    64 MiB per chunk) read lazily by libqpgo inside the worker. File-backed
    series are re-opened there by their (absolute) path, processed series
    are rebuilt from their base and operation list, in-memory array series
    are sent along when at most 64 MiB (a larger one works with the
    threaded scheduler only and raises ``NotDistributableError`` when sent
    to another process).
    """
    _import_dask()
    import dask.array as da
    from dask.highlevelgraph import HighLevelGraph
    rec = _recipe.recipe_of(ims)
    n, rows, cols, dt = _geometry(ims)
    if frames_per_chunk is None:
        fb = builtins.max(1, rows * cols * dt.itemsize)
        frames_per_chunk = builtins.max(1, CHUNK_BYTES // fb)
    fpc = int(frames_per_chunk)
    if fpc < 1:
        raise ValueError("frames_per_chunk must be at least 1, got "
                         "{}".format(frames_per_chunk))
    name = "qpgo-imageseries-" + rec.key
    rkey = "qpgo-recipe-" + rec.key
    dsk = {rkey: rec}
    sizes = []
    for k, f0 in enumerate(range(0, n, fpc)):
        f1 = builtins.min(n, f0 + fpc)
        dsk[(name, k, 0, 0)] = (_read_frames, rkey, f0, f1)
        sizes.append(f1 - f0)
    graph = HighLevelGraph.from_collections(name, dsk, dependencies=())
    return da.Array(graph, name, (tuple(sizes), (rows,), (cols,)), dtype=dt)


# --- schedulers -----------------------------------------------------------
def active_client():
    """the default distributed Client, if distributed is in use here (None
    inside a worker task: statistics there run locally)"""
    if "distributed" not in sys.modules:
        return None
    import distributed
    try:
        distributed.get_worker()
        return None
    except (ValueError, AttributeError):
        pass
    try:
        return distributed.default_client()
    except ValueError:
        return None


def _runner(client):
    """(get(dsk, keys), number of workers, worker memory limit or None)"""
    if isinstance(client, str):
        dask = _import_dask()
        import dask.threaded
        import dask.multiprocessing
        gets = {"threads": dask.threaded.get,
                "processes": dask.multiprocessing.get,
                "sync": dask.get, "synchronous": dask.get}
        if client not in gets:
            raise ValueError("unknown dask scheduler {!r} (threads, "
                             "processes, sync or a distributed.Client)"
                             .format(client))
        nw = 1 if client in ("sync", "synchronous") else \
            (os.cpu_count() or 1)
        return gets[client], nw, None
    info = client.scheduler_info().get("workers", {})
    nw = builtins.max(1, len(info))
    limits = [w.get("memory_limit") or 0 for w in info.values()]
    mem = builtins.min(limits) if limits and builtins.min(limits) > 0 \
        else None
    return client.get, nw, mem


def _buffer_bytes(mem):
    dask = _import_dask()
    v = dask.config.get("qpgo.stats-buffer", None)
    if v is not None:
        from dask.utils import parse_bytes
        return int(parse_bytes(v) if isinstance(v, str) else v)
    if mem:
        return int(builtins.min(1 << 30, mem // 4))
    return 512 << 20


# --- statistics -----------------------------------------------------------
def stat(ims, which, nframes=0, pctl=0.0, client=None):
    """stats.<which>(ims, nframes[, pctl]) computed on `client` (a
    ``distributed.Client`` or a dask scheduler name); the same result as
    the single-process call, bit for bit."""
    from . import stats
    if which not in _STATS:
        raise ValueError("unknown statistic {!r}".format(which))
    s = stats._series(ims)
    n, rows, cols, dt = _geometry(s)
    nf = n if nframes == 0 else builtins.min(n, int(nframes))
    if nf <= 0 or rows * cols == 0:
        return stats._run(s, which, nframes, pctl)  # libqpgo's error
    if which == "percentile":
        # libqpgo validates pctl (its error and message) on a 1x1 frame
        stats._run(np.zeros((1, 1, 1), dt), which, 0, pctl)
    rec = _recipe.recipe_of(s)
    if client not in ("threads", "sync", "synchronous"):
        rec.check()  # before anything is sent
    get, nw, mem = _runner(client)
    rkey = "qpgo-recipe-" + rec.key
    tok = rec.key

    def ranges(whiches):
        """per frame range: the tuple of statistics `whiches`"""
        nchunk = builtins.min(nf, 4 * nw)
        edges = np.linspace(0, nf, nchunk + 1).astype(int)
        dsk = {rkey: rec}
        keys = []
        for c in range(nchunk):
            k = ("qpgo-ranges-{}-{}".format(tok, "-".join(whiches)), c)
            dsk[k] = (_range_stats, rkey, tuple(whiches), int(edges[c]),
                      int(edges[c + 1]))
            keys.append(k)
        return list(get(dsk, keys))

    if which in ("max", "min"):
        return _combine_extreme(which, [p[0] for p in ranges([which])])
    if which in ("sum", "average") and dt.kind in "iu":
        # integer frames: float64 partial sums are exact integers; where
        # every partial sum is below 2**24 (2**53) the single-process
        # float32 (float64) accumulator is exact too, so the sums combine
        # in any grouping
        signed = dt.kind == "i" and which == "average"
        parts = ranges(["sum", "max", "min"] if signed else ["sum"])
        total = parts[0][0].copy()
        for p in parts[1:]:
            total += p[0]
        if which == "sum":
            if nf * float(np.iinfo(dt).max - np.iinfo(dt).min) < 2.0**53:
                return total
        else:
            if signed:
                hi = _combine_extreme("max", [p[1] for p in parts])
                lo = _combine_extreme("min", [p[2] for p in parts])
                bound = nf * np.maximum(np.abs(hi.astype(np.float64)),
                                        np.abs(lo.astype(np.float64)))
            else:
                bound = total
            if float(bound.max()) < 2.0**24:
                return (total / float(nf)).astype(np.float32)
    # pixel-wise statistics: row bands, in waves that fit the buffers
    buf = _buffer_bytes(mem)
    row_bytes = nf * cols * dt.itemsize
    wave_rows = int(builtins.max(1, (nw * buf // 2) // row_bytes))
    wave_rows = builtins.min(rows, wave_rows)
    nchunk = builtins.min(nf, 2 * nw)
    fedges = np.linspace(0, nf, nchunk + 1).astype(int)
    out = None
    for w, r0 in enumerate(range(0, rows, wave_rows)):
        r1 = builtins.min(rows, r0 + wave_rows)
        nb = builtins.min(r1 - r0, 2 * nw)
        edges = [int(x) for x in np.linspace(r0, r1, nb + 1).astype(int)]
        dsk = {rkey: rec}
        for c in range(nchunk):
            rk = ("qpgo-read-{}-{}".format(tok, w), c)
            dsk[rk] = (_read_bands, rkey, int(fedges[c]), int(fedges[c + 1]),
                       edges)
            for b in range(nb):
                dsk[("qpgo-piece-{}-{}".format(tok, w), c, b)] = \
                    (operator.getitem, rk, b)
        keys = []
        for b in range(nb):
            k = ("qpgo-band-{}-{}".format(tok, w), b)
            dsk[k] = (_band_stat, which, float(pctl),
                      [("qpgo-piece-{}-{}".format(tok, w), c, b)
                       for c in range(nchunk)])
            keys.append(k)
        bands = get(dsk, keys)
        for b, band in enumerate(bands):
            if out is None:
                out = np.empty((rows, cols), dtype=band.dtype)
            out[edges[b]:edges[b + 1]] = band
        del bands
    return out


def maybe(ims, which, nframes=0, pctl=0.0, client=None):
    """the hook of the stats functions: the distributed result when a
    client is given or active, else None (compute locally). An implicit
    (default) client is used only for file-backed series (also
    processed ones): in-memory data stay local."""
    if client is None:
        client = active_client()
        if client is None:
            return None
        try:
            if not _file_backed(_recipe.recipe_of(ims)):
                return None
        except _recipe.NotDistributableError:
            return None
    return stat(ims, which, nframes, pctl, client)


def _file_backed(rec):
    if isinstance(rec, _recipe.FileRecipe):
        return True
    if isinstance(rec, _recipe.SeriesRecipe):
        return _file_backed(rec.inner)
    if isinstance(rec, _recipe.ProcessedRecipe):
        return _file_backed(rec.base) and not rec.custom
    return False


__all__ = ["to_dask", "stat", "active_client"]
