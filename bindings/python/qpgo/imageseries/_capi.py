"""The ims_* C ABI for the imageseries package: result codes raised as
hexrd raises them (``_errors`` family "imageseries"), string outputs, and
the one way any series reaches the Go code (:func:`native`).

A qpgo-native series (an adapter holding an ims handle) is used as is:
its frames never leave Go. Any other series (a user adapter, the
``function`` adapter, an object with ``__len__``, ``__getitem__``,
``dtype``, ``shape``, ``metadata``) is handed to Go as a frame source
(``ims_from_source``): Go calls back for frame i when it needs it.
"""
import ctypes
import os

import numpy as np

from .. import _lib
from . import _meta

FAMILY = "imageseries"

#: typedef int (*qpgo_frame_fn)(int64_t index, void *out, int64_t nbytes,
#: void *user)
FRAME_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int64, ctypes.c_void_p,
                            ctypes.c_int64, ctypes.c_void_p)


def error(rc, msg=None):
    # an exception of the image reader (fabio) raised in its place
    exc = _image_reader.exc if _image_reader is not None else None
    if exc is not None:
        _image_reader.exc = None
        return exc
    return _lib.error_for(rc, msg, family=FAMILY)


#: typedef int (*qpgo_image_fn)(const char *name, int64_t frame,
#: int64_t *nframes, int64_t *dims, int *dtype, char *class_buf,
#: int64_t class_len, void *out, int64_t nbytes, void *user)
IMAGE_FN = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.c_char_p, ctypes.c_int64,
    ctypes.POINTER(ctypes.c_int64), ctypes.POINTER(ctypes.c_int64),
    ctypes.POINTER(ctypes.c_int), ctypes.c_void_p, ctypes.c_int64,
    ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p)


class _ImageReader(object):
    """the image file reader of libqpgo for formats it does not decode
    (ims_set_image_reader): opener() gives fabio.open (or None); the
    frame decoded for an info call is kept for the read that follows"""

    def __init__(self, opener):
        self.opener = opener
        self.exc = None
        self.last = None
        self.fn = IMAGE_FN(self._call)

    def _frame(self, name, k):
        if self.last is not None and self.last[0] == (name, k):
            return self.last[1]
        op = self.opener()
        if op is None:
            return None
        with op(name) as img:
            n, cls = int(img.nframes), str(img.classname)
            data = img.data if n == 1 else img.getframe(k).data
        data = np.asarray(data)
        data = np.ascontiguousarray(
            data, dtype=data.dtype.newbyteorder("="))
        if data.ndim != 2:
            raise ValueError("{}: frame {} has {} dimensions, not 2".format(
                name, k, data.ndim))
        self.last = ((name, k), (n, cls, data))
        return n, cls, data

    def _call(self, name, frame, nframes, dims, dtype, cls, clen, out,
              nbytes, user):
        try:
            got = self._frame(os.fsdecode(name), int(frame))
            if got is None:
                return 1
            n, c, data = got
            if not out:
                dtype[0] = dtype_code(data.dtype)
                nframes[0], dims[0], dims[1] = n, data.shape[0], data.shape[1]
                if cls and clen > 0:
                    b = c.encode("utf-8")[:int(clen) - 1] + b"\0"
                    ctypes.memmove(cls, b, len(b))
                return 0
            self.last = None
            if data.nbytes != nbytes:
                raise ValueError("{}: frame {} has {} bytes, {} expected".format(
                    os.fsdecode(name), frame, data.nbytes, nbytes))
            ctypes.memmove(out, data.ctypes.data, data.nbytes)
            return 0
        except BaseException as exc:  # raised again by check
            self.exc, self.last = exc, None
            return 2


_image_reader = None


def install_image_reader(opener):
    """make the library read image files of formats it does not decode
    through opener() (fabio.open or None)"""
    global _image_reader
    r = _ImageReader(opener)
    check(_lib.lib().ims_set_image_reader(r.fn, None))
    _image_reader = r  # kept alive: the library calls r.fn


def check(rc):
    if rc != _lib.QPGO_OK:
        raise error(rc)
    return rc


def call(name, *args):
    return check(getattr(_lib.lib(), name)(*args))


def get_string(name, *args):
    """A string output (size query, then fill)."""
    f = getattr(_lib.lib(), name)
    needed = ctypes.c_int64(0)
    for _ in range(3):
        check(f(*args, None, 0, ctypes.byref(needed)))
        n = needed.value
        buf = ctypes.create_string_buffer(max(n, 1))
        rc = f(*args, buf, n, ctypes.byref(needed))
        if rc == _lib.QPGO_ERR_BUFFER:
            continue
        check(rc)
        return buf.value.decode("utf-8")
    raise RuntimeError("{}: string size kept changing".format(name))


def dtype_code(dt):
    dt = np.dtype(dt)
    name = dt.newbyteorder("=").name
    if dt == np.bool_ or name not in _lib.DTYPE_CODES:
        raise ValueError("array dtype {} is not supported by libqpgo "
                         "image series".format(dt))
    return _lib.DTYPE_CODES[name]


class Handle(object):
    """Owns one ims handle (closed when garbage collected); `keep` holds
    what the handle reads from (callbacks, source series)."""

    def __init__(self, h, keep=()):
        self.h = h
        self.keep = list(keep)

    def close(self):
        h, self.h = self.h, 0
        if h:
            _lib.lib().ims_close(h)

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def from_array(arr, meta=None, strict=True):
    """A Handle of an in-memory series of a 3-d array. Go reads the array
    in place (ims_wrap_array; the Handle keeps it alive) when it is
    C-contiguous, aligned and in native byte order, else a copy made here
    (unpickled arrays, e.g. on a Dask worker, may be unaligned)."""
    arr = np.asarray(arr)
    code = dtype_code(arr.dtype)
    arr = np.require(arr, dtype=arr.dtype.newbyteorder("="),
                     requirements=["C", "A"])
    dims = (ctypes.c_int64 * arr.ndim)(*arr.shape)
    out = _lib.c_handle(0)
    call("ims_wrap_array", _lib.ptr(arr), code, arr.ndim, dims,
         _lib.cstr(_meta.encode_all(meta, strict)), ctypes.byref(out))
    return Handle(out.value, [arr])


def info(hd):
    """(len, frame shape, numpy dtype) of a series: one ims_info call"""
    n = ctypes.c_int64(0)
    dims = (ctypes.c_int64 * 2)()
    dt = ctypes.c_int(0)
    call("ims_info", hd.h, ctypes.byref(n), dims, ctypes.byref(dt))
    return int(n.value), (int(dims[0]), int(dims[1])), \
        np.dtype(_lib.DTYPES[dt.value])


_get_frame = None
_get_frame_zeroed = None


def read_frame(hd, index, shape, dtype, sparse=False):
    """frame `index` as a new array of `dtype` (the series' own), decoded
    by Go straight into it (one ims_get_frame call); IndexError out of
    range. `sparse` (frame caches): the array is calloc'd zeros and Go
    writes only the kept pixels (ims_get_frame_zeroed), as upstream's
    sparse-to-dense conversion does."""
    global _get_frame, _get_frame_zeroed
    if _get_frame is None:
        dll = _lib.lib()
        _get_frame = dll.ims_get_frame
        _get_frame_zeroed = getattr(dll, "ims_get_frame_zeroed",
                                    dll.ims_get_frame)
    h = hd.h
    if not h:
        raise ValueError("I/O operation on a closed ImageSeries")
    if sparse:
        out = np.zeros(shape, dtype=dtype)
        fn = _get_frame_zeroed
    else:
        out = np.empty(shape, dtype=dtype)
        fn = _get_frame
    rc = fn(h, int(index), out.ctypes.data, out.nbytes)
    if rc != _lib.QPGO_OK:
        exc = _pending(hd, set())
        if exc is not None:
            raise exc
        err = error(rc)
        if isinstance(err, KeyError):  # QPGO_ERR_NOT_FOUND: out of range
            raise IndexError(err.args[0] if err.args else str(err)) \
                from None
        raise err
    return out


def stats_into(hd, which, shape, series_dtype, nframes=0, pctl=0.0):
    """statistic `which` as a new array in its result dtype (the
    library's rule, qpgo_describe_json), written by Go straight into it"""
    rule = _lib.describe()["imageseries"]["stats_dtype"].get(which)
    if rule is None:  # unknown: the library raises its KeyError
        rule = "float64"
    dt = info(hd)[2] if rule == "series" else np.dtype(rule)
    out = np.empty(shape, dtype=dt)
    run(hd, "ims_stats_into", _lib.cstr(which), float(pctl), int(nframes),
        out.ctypes.data, dtype_code(dt), out.nbytes)
    if rule == "series" and out.dtype != np.dtype(series_dtype):
        return out.astype(series_dtype)
    return out


class _Source(object):
    """The frame callback of one Python series (kept alive by the Handle);
    an exception raised by the series is kept and re-raised by
    :func:`run` after Go returns."""

    def __init__(self, ims, shape, dtype):
        self.ims = ims
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype).newbyteorder("=")
        self.exc = None
        self.fn = FRAME_FN(self._frame)

    def frame(self, index):
        """frame `index` of the series, checked against its shape"""
        img = np.asarray(self.ims[int(index)])
        if img.shape != self.shape:
            raise ValueError(
                "frame {} of the image series has shape {}, the series "
                "declares {}".format(index, img.shape, self.shape))
        return np.ascontiguousarray(img, dtype=self.dtype)

    def _frame(self, index, out, nbytes, user):
        try:
            img = self.frame(index)
            if img.nbytes != nbytes:
                raise ValueError("frame {}: {} bytes, expected {}".format(
                    index, img.nbytes, nbytes))
            ctypes.memmove(out, img.ctypes.data, nbytes)
            return 0
        except BaseException as exc:  # re-raised in the caller's thread
            if self.exc is None:
                self.exc = exc
            return -1


def from_source(ims, strict=False, first=False):
    """A Handle whose frames Go reads from `ims` by callback; with
    `first`, shape and dtype are those of frame 0 (upstream's processing
    looks only at the frames, not at the series' shape)."""
    n = len(ims)
    if first and n:
        f0 = np.asarray(ims[0])
        shape, dt = f0.shape, f0.dtype
    else:
        shape = tuple(int(x) for x in ims.shape)
        dt = np.dtype(ims.dtype)
    meta = getattr(ims, "metadata", None)
    src = _Source(ims, shape, dt)
    dims = (ctypes.c_int64 * len(shape))(*shape)
    out = _lib.c_handle(0)
    rc = _lib.lib().ims_from_source(
        n, len(shape), dims, dtype_code(dt),
        ctypes.cast(src.fn, ctypes.c_void_p), None,
        _lib.cstr(_meta.encode_all(meta, strict)), ctypes.byref(out))
    check(rc)
    return Handle(out.value, [src, ims])


def native_of(ims, strict=False):
    """the series' own Handle if it is qpgo-native, else None"""
    from .baseclass import ImageSeries
    obj = ims
    while True:
        # looked up on the class: any object (also a mock) may answer an
        # attribute of its instance
        get = getattr(type(obj), "_qpgo_native", None)
        if get is not None:
            hd = get(obj, strict)
            return hd if isinstance(hd, Handle) else None
        if not isinstance(obj, ImageSeries):
            return None
        obj = obj._adapter


def native(ims, strict=False, first=False):
    """The Handle Go reads `ims` through: the series' own one if it is
    qpgo-native, else a frame source (or an array for an ndarray)."""
    if isinstance(ims, np.ndarray):
        if ims.ndim == 2:
            ims = ims[None]
        return from_array(ims)
    hd = native_of(ims, strict)
    return hd if hd is not None else from_source(ims, strict, first)


def run(hd, name, *args):
    """call(name, hd.h, *args), re-raising an exception of a Python frame
    source in place of the library's error."""
    rc = getattr(_lib.lib(), name)(hd.h, *args)
    if rc != _lib.QPGO_OK:
        exc = _pending(hd, set())
        if exc is not None:
            raise exc
    return check(rc)


def _pending(obj, seen):
    """the first kept exception of a frame source under `obj`"""
    if id(obj) in seen:
        return None
    seen.add(id(obj))
    if isinstance(obj, _Source):
        exc, obj.exc = obj.exc, None
        return exc
    for k in getattr(obj, "keep", ()):
        exc = _pending(k, seen)
        if exc is not None:
            return exc
    return None
