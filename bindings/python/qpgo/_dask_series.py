"""Series of images on a Dask cluster: map a function over the members of a
QPSeries/FLSeries, over the frames of an image series (e.g. raw
holograms) or over the frames of an acquisition file (``series/stream``),
and gather the results into one upstream-layout series file.

The function runs on the workers; the results come back to this process,
which alone writes them, in member order, into the output series. A lost
worker's tasks are recomputed by the scheduler, and every result is
written exactly once (a result is written when its future resolves, and a
future resolves once). Dask is imported only when a client is used.

Members travel as HDF5 file images: a member is copied into a temporary
file, whose bytes are sent and re-opened on the other side (exact:
meta data, background data and fits included). The function gets an
in-memory image and returns a QPImage (FLImage for an FLSeries).

Recipe with plain ``client.map``, for pipelines of your own::

    futs = client.map(retrieve, range(n))        # returns packed images
    with QPSeries(h5file="out.h5", h5mode="w") as out:
        for f in futs:                           # one writer, in order
            out.add_qpimage(unpack(*f.result()))
"""
import ctypes
import os
import tempfile
import threading
from collections import deque

import numpy as np

from . import _lib


# --- images as bytes ------------------------------------------------------
def _classes():
    from .flimage import FLImage, FLSeries
    from .qpimage import QPImage, QPSeries
    return {"qpimage": (QPImage, QPSeries), "flimage": (FLImage, FLSeries)}


def _kind(img):
    for kind, (icls, scls) in _classes().items():
        if isinstance(img, (icls, scls)):
            return kind
    raise TypeError("expected a QPImage or FLImage (or a series of them), "
                    "got {}".format(type(img).__name__))


def _tmpname():
    fd, path = tempfile.mkstemp(suffix=".h5", prefix="qpgo-dask-")
    os.close(fd)
    os.remove(path)
    return path


def pack(img):
    """(kind, bytes of an HDF5 file holding a copy of `img`)"""
    kind = _kind(img)
    path = _tmpname()
    try:
        img.copy(h5file=path).close()
        with open(path, "rb") as f:
            return kind, f.read()
    finally:
        if os.path.exists(path):
            os.remove(path)


def unpack(kind, data):
    """the in-memory image of :func:`pack`'s output"""
    icls = _classes()[kind][0]
    path = _tmpname()
    try:
        with open(path, "wb") as f:
            f.write(data)
        with icls(h5file=path, h5mode="r") as img:
            return img.copy()
    finally:
        os.remove(path)


# --- acquisition files (series/stream) --------------------------------------
_STREAM_PROTOS = {
    "qps_stream_open_reader": [ctypes.c_char_p,
                               ctypes.POINTER(ctypes.c_int64)],
    "qps_stream_len": [ctypes.c_int64, ctypes.POINTER(ctypes.c_int64)],
    "qps_stream_shape": [ctypes.c_int64, ctypes.POINTER(ctypes.c_int64)],
    "qps_stream_read": [ctypes.c_int64, ctypes.c_int64, ctypes.c_void_p,
                        ctypes.c_void_p, ctypes.c_int64,
                        ctypes.POINTER(ctypes.c_double)],
    "qps_stream_close": [ctypes.c_int64],
}


def _sfn(name):
    f = getattr(_lib.lib(), name)
    f.restype = ctypes.c_int
    f.argtypes = _STREAM_PROTOS[name]
    return f


class StreamReader(object):
    """a reader of an acquisition file (qps_stream_open_reader)"""

    def __init__(self, path):
        out = ctypes.c_int64(0)
        _lib.check(_sfn("qps_stream_open_reader")(
            _lib.cstr(os.fspath(path)), ctypes.byref(out)))
        self._h = out.value
        dims = (ctypes.c_int64 * 2)()
        _lib.check(_sfn("qps_stream_shape")(self._h, dims))
        self.shape = (int(dims[0]), int(dims[1]))

    def __len__(self):
        n = ctypes.c_int64(0)
        _lib.check(_sfn("qps_stream_len")(self._h, ctypes.byref(n)))
        return int(n.value)

    def read(self, index):
        """(phase, amplitude, time) of frame `index`"""
        pha = np.empty(self.shape)
        amp = np.empty(self.shape)
        t = ctypes.c_double(0)
        _lib.check(_sfn("qps_stream_read")(
            self._h, int(index), pha.ctypes.data, amp.ctypes.data, pha.size,
            ctypes.byref(t)))
        return pha, amp, t.value

    def close(self):
        h, self._h = self._h, 0
        if h:
            _sfn("qps_stream_close")(h)

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


_readers = {}
_readers_lock = threading.Lock()


def _reader(path):
    k = (path, threading.get_ident())
    with _readers_lock:
        r = _readers.get(k)
    if r is None:
        r = StreamReader(path)
        with _readers_lock:
            _readers[k] = r
    return r


# --- worker tasks -----------------------------------------------------------
def _checked(res, kind):
    if _kind(res) != kind:
        raise TypeError("the mapped function must return a {} for this "
                        "series, got {}".format(
                            _classes()[kind][0].__name__,
                            type(res).__name__))
    return res


def _member(fn, kind, packed):
    return _checked(fn(unpack(kind, packed)), kind)


def _frame(fn, recipe, index):
    from .imageseries._recipe import cached_open
    frame = np.asarray(cached_open(recipe)[index])
    return _checked(fn(frame, index), "qpimage")


def _stream_frame(fn, path, index, meta):
    from .qpimage import QPImage
    pha, amp, t = _reader(path).read(index)
    md = dict(meta or {})
    md["time"] = t
    qpi = QPImage(data=(pha, amp), which_data="phase,amplitude",
                  meta_data=md)
    return _checked(qpi if fn is None else fn(qpi), "qpimage")


def _packed(func, *args):
    """a worker task: func(*args) as a packed image"""
    return pack(func(*args))


# --- the one writer ---------------------------------------------------------
def _workers(client):
    return max(1, len(client.scheduler_info().get("workers", {})))


def _run(tasks, n, out, add, client, window=None):
    """compute the images func(*args) of (func, args) = tasks(i) for
    i < n (here without client, else packed on the workers) and add them
    to `out` in order, as they arrive"""
    if client is None:
        for i in range(n):
            func, args = tasks(i)
            add(out, func(*args))
        return out
    window = window or 2 * _workers(client) + 2
    pending = deque()
    nxt = 0
    try:
        while nxt < n or pending:
            while nxt < n and len(pending) < window:
                func, args = tasks(nxt)
                pending.append(client.submit(_packed, func, *args,
                                             pure=False))
                nxt += 1
            fut = pending.popleft()
            img = unpack(*fut.result())
            fut.release()
            add(out, img)
    finally:
        for f in pending:
            f.cancel()
    return out


def _new_series(scls, h5file, identifier):
    if h5file is None:
        return scls(identifier=identifier)
    return scls(h5file=h5file, h5mode="w", identifier=identifier)


def _adder(kind):
    name = "add_" + kind

    def add(out, img):
        getattr(out, name)(img)
        img.close()
    return add


def map_series(series, fn, client=None, h5file=None, identifier=None):
    """``fn(member)`` for every member of a QPSeries/FLSeries, on the
    workers of `client` (a ``distributed.Client``; None: here), gathered
    into a new series of the same class (in memory, or the upstream-layout
    file `h5file`, created), written by this process only. `fn` gets an
    in-memory copy of the member and returns an image of the member's
    class. Returns the new series (open)."""
    kind = _kind(series)
    scls = _classes()[kind][1]
    n = len(series)
    out = _new_series(scls, h5file, identifier)

    def tasks(i):
        if client is None:
            return (lambda m: _checked(fn(m), kind)), (series[i].copy(),)
        return _member, (fn, kind, pack(series[i])[1])

    try:
        return _run(tasks, n, out, _adder(kind), client)
    except BaseException:
        out.close()
        raise


def map_frames(ims, fn, client=None, h5file=None, identifier=None):
    """``fn(frame, index) -> QPImage`` for every frame of an image series
    (e.g. raw holograms: ``lambda holo, i: QPImage(holo,
    which_data="raw-oah", qpretrieve_kw=kw)``), on the workers, gathered
    into a new QPSeries (in memory or the file `h5file`). The frames are
    read inside the workers (file-backed series re-open by path)."""
    from .imageseries._recipe import recipe_of
    from .qpimage import QPSeries
    rec = recipe_of(ims)
    if client is not None:
        rec.check()
    out = _new_series(QPSeries, h5file, identifier)
    try:
        return _run(lambda i: (_frame, (fn, rec, i)), len(ims), out,
                    _adder("qpimage"), client)
    except BaseException:
        out.close()
        raise


def map_stream(path, fn=None, client=None, h5file=None, identifier=None,
               meta_data=None):
    """``fn(qpi) -> QPImage`` for every frame of the acquisition file at
    `path` (its frames complete now), on the workers: each reads its frame
    from the file (a SWMR file may still be written to) as a QPImage of
    phase and amplitude with meta data `meta_data` plus the frame's
    "time"; the results are gathered into a new QPSeries (in memory or the
    file `h5file`) by this process. fn None: the frames as they are."""
    from .qpimage import QPSeries
    path = os.path.abspath(os.fspath(path))
    rd = StreamReader(path)
    n = len(rd)
    rd.close()
    meta = dict(meta_data or {})
    out = _new_series(QPSeries, h5file, identifier)
    try:
        return _run(lambda i: (_stream_frame, (fn, path, i, meta)), n, out,
                    _adder("qpimage"), client)
    except BaseException:
        out.close()
        raise


__all__ = ["map_series", "map_frames", "map_stream", "pack", "unpack",
           "StreamReader"]
