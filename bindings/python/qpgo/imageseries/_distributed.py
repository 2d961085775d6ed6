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
  so the frame is split into row bands. One task per band reads every
  frame once, keeps its rows and runs the same libqpgo statistic on them.
  A band is sized so that a worker holds about ``qpgo.stats-buffer``
  bytes (dask config; default a quarter of the worker memory limit, at
  most 1 GiB, shared by its threads), and there are at least as many
  bands as workers: each worker reads the stack once per band it
  computes, as the single-process call reads it once per band. (Cutting
  frame ranges into band pieces and shuffling them between workers reads
  the stack only once, but moving it over the network was slower in
  every case measured.)

Lost workers are handled by the scheduler: their tasks are recomputed
from the recipe (reading a file twice gives the same frames).
"""
import builtins
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


def _band_stat(recipe, which, pctl, nf, r0, r1):
    """the libqpgo statistic of rows r0..r1-1 over the first nf frames,
    each frame read once"""
    from . import stats
    s = _recipe.cached_open(recipe)
    cols = int(s.shape[1])
    stack = np.empty((nf, r1 - r0, cols), dtype=np.dtype(s.dtype))
    for i in range(nf):
        stack[i] = np.asarray(s[i])[r0:r1]
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


def _recipe_ref(rec, dsk):
    """what the tasks of `dsk` get for the recipe: a file-backed recipe
    (a few hundred bytes) inside every task, so that any task can be
    recomputed on its own after a worker is lost; one with data as one key
    of the graph"""
    if _file_backed(rec):
        return rec
    rkey = "qpgo-recipe-" + rec.key
    dsk[rkey] = rec
    return rkey


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
    dsk = {}
    rkey = _recipe_ref(rec, dsk)
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
    """(get(dsk, keys), number of workers, worker memory limit or None,
    threads per worker)"""
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
        return gets[client], nw, None, nw
    info = client.scheduler_info().get("workers", {})
    nw = builtins.max(1, len(info))
    limits = [w.get("memory_limit") or 0 for w in info.values()]
    mem = builtins.min(limits) if limits and builtins.min(limits) > 0 \
        else None
    nthreads = builtins.max([1] + [int(w.get("nthreads") or 1)
                                   for w in info.values()])
    return client.get, nw, mem, nthreads


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
    get, nw, mem, nthreads = _runner(client)
    tok = rec.key

    def ranges(whiches):
        """per frame range: the tuple of statistics `whiches`"""
        nchunk = builtins.min(nf, 4 * nw)
        edges = np.linspace(0, nf, nchunk + 1).astype(int)
        dsk = {}
        rkey = _recipe_ref(rec, dsk)
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
    # pixel-wise statistics: one task per row band reads every frame once
    # and keeps its rows; a band (plus libqpgo's copy of it) fits the
    # buffer of a worker thread, and there are at least as many bands as
    # workers
    buf = _buffer_bytes(mem) // nthreads
    row_bytes = nf * cols * dt.itemsize
    band_rows = int(builtins.max(1, (buf // 2) // row_bytes))
    band_rows = builtins.min(band_rows, -(-rows // nw))
    edges = list(range(0, rows, band_rows)) + [rows]
    dsk = {}
    rkey = _recipe_ref(rec, dsk)
    keys = []
    for b in range(len(edges) - 1):
        k = ("qpgo-band-" + tok, b)
        dsk[k] = (_band_stat, rkey, which, float(pctl), nf, edges[b],
                  edges[b + 1])
        keys.append(k)
    out = None
    for b, band in enumerate(get(dsk, keys)):
        if out is None:
            out = np.empty((rows, cols), dtype=band.dtype)
        out[edges[b]:edges[b + 1]] = band
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
    """whether the recipe re-opens files only (no data, no Python ops)"""
    if isinstance(rec, _recipe.FileRecipe):
        return True
    if isinstance(rec, _recipe.SeriesRecipe):
        return _file_backed(rec.inner)
    if isinstance(rec, _recipe.ProcessedRecipe):
        return _file_backed(rec.base) and not rec.custom
    return False


__all__ = ["to_dask", "stat", "active_client"]
