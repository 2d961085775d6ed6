"""Recipes: how to make an image series again, in another process.

A qpgo series lives in libqpgo (a handle valid in one process only), so
it cannot be pickled as is. :func:`recipe_of` describes any series as a
small picklable object whose :meth:`~_Recipe.open` makes an equivalent
series again:

- file-backed series (every ``load`` adapter that libqpgo opens): the
  adapter class, the file path (absolute), the format, the options given
  to libqpgo and the adapter's Python-side state; the worker re-opens the
  file by path (so the file must be reachable there under the same path);
- processed series: the recipe of the base series, the operation list,
  the frame list and the Python operations added with ``addop``
  (functions pickle by reference, or by value under dask's cloudpickle);
- in-memory array series (and ndarrays): the data itself when it is at
  most :data:`MAX_INLINE_BYTES`; a larger one works in the same process
  (threads) but raises :class:`NotDistributableError` when it would be
  sent to another process;
- any other series (a user adapter, a ``function`` adapter): the object
  itself, pickled as Python pickles it (in the same process: the object).

``ImageSeries.__reduce__`` and ``NativeAdapter.__reduce__`` use these
recipes, so file-backed series and adapters pickle and re-open by path.
"""
import os
import threading
import uuid

import numpy as np

#: in-memory series up to this size are carried inside the recipe
MAX_INLINE_BYTES = 64 << 20


class NotDistributableError(TypeError):
    """an image series that cannot be sent to another process"""


def _too_big(nbytes, what="in-memory image series"):
    return NotDistributableError(
        "cannot distribute this {} ({:.1f} MiB; at most {} MiB are sent "
        "along): write it to a file first, e.g. qpgo.imageseries.write("
        "ims, 'frames.h5', 'hdf5', path='imageseries'), and open that "
        "file".format(what, nbytes / 2.0**20, MAX_INLINE_BYTES >> 20))


def open_recipe(recipe):
    """the object a recipe describes (the unpickling function)"""
    return recipe.open()


class _Recipe(object):
    """base: `key` names the recipe (worker caches), `open()` makes it"""

    def __init__(self):
        self.key = uuid.uuid4().hex

    def open(self):
        raise TypeError("abstract recipe")

    def check(self):
        """raise NotDistributableError if the recipe cannot leave this
        process"""


class FileRecipe(_Recipe):
    """a NativeAdapter re-opened from its file"""

    def __init__(self, cls, fname, fmt, options, state, key=None):
        self.cls, self.fname, self.fmt = cls, fname, fmt
        self.options, self.state = options, state
        self.key = key or uuid.uuid4().hex

    def __reduce__(self):
        return (FileRecipe, (self.cls, self.fname, self.fmt, self.options,
                             self.state, self.key))

    def open(self):
        from .load._native import NativeAdapter
        ad = self.cls.__new__(self.cls)
        ad.__dict__.update(self.state)
        meta = ad.__dict__.pop("_meta", None)
        ad._init_handle(NativeAdapter._open(self.fname, self.fmt,
                                            self.options))
        ad._meta = meta
        return ad


class ArrayRecipe(_Recipe):
    """an array adapter (``live``: the object itself in this process)"""

    def __init__(self, data, meta=None, live=None, key=None):
        self.data, self.meta, self.live = data, meta, live
        self.key = key or uuid.uuid4().hex

    def check(self):
        if self.data.nbytes > MAX_INLINE_BYTES:
            raise _too_big(self.data.nbytes)

    def __reduce__(self):
        self.check()
        return (ArrayRecipe, (self.data, self.meta, None, self.key))

    def open(self):
        if self.live is not None:
            return self.live
        from .load.array import ArrayImageSeriesAdapter
        meta = {} if self.meta is None else self.meta
        return ArrayImageSeriesAdapter(None, data=self.data, meta=meta)


class ObjectRecipe(_Recipe):
    """any other object: itself (pickled as Python pickles it)"""

    def __init__(self, obj, key=None):
        self.obj = obj
        self.key = key or uuid.uuid4().hex

    def __reduce__(self):
        return (ObjectRecipe, (self.obj, self.key))

    def open(self):
        return self.obj


class SeriesRecipe(_Recipe):
    """``cls(inner)``: an ImageSeries (or OmegaImageSeries, …) around the
    object of the inner recipe"""

    def __init__(self, cls, inner, key=None):
        self.cls, self.inner = cls, inner
        self.key = key or uuid.uuid4().hex

    def check(self):
        self.inner.check()

    def __reduce__(self):
        return (SeriesRecipe, (self.cls, self.inner, self.key))

    def open(self):
        return self.cls(self.inner.open())


class ProcessedRecipe(_Recipe):
    """a ProcessedImageSeries over the series of `base`"""

    def __init__(self, base, oplist, frame_list, custom, key=None):
        self.base, self.oplist = base, oplist
        self.frame_list, self.custom = frame_list, custom
        self.key = key or uuid.uuid4().hex

    def check(self):
        self.base.check()
        nbytes = sum(np.asarray(d).nbytes for _, d in self.oplist
                     if isinstance(d, np.ndarray))
        if nbytes > MAX_INLINE_BYTES:
            raise _too_big(nbytes, "operation data")

    def __reduce__(self):
        return (ProcessedRecipe, (self.base, self.oplist, self.frame_list,
                                  self.custom, self.key))

    def open(self):
        from .process import ProcessedImageSeries
        kw = {}
        if self.frame_list is not None:
            kw["frame_list"] = self.frame_list
        p = ProcessedImageSeries(self.base.open(), list(self.oplist), **kw)
        for k, f in self.custom.items():
            p.addop(k, f)
        return p


def adapter_recipe(ad):
    """the recipe of an adapter (or of any series-like object)"""
    from .baseclass import ImageSeries
    from .load._native import NativeAdapter
    from .load.array import ArrayImageSeriesAdapter
    if isinstance(ad, ImageSeries):
        return recipe_of(ad)
    if isinstance(ad, NativeAdapter):
        args = getattr(getattr(ad, "_hd", None), "open_args", None)
        if args is None:
            raise NotDistributableError(
                "this {} is held by libqpgo only (no file to re-open in "
                "another process)".format(type(ad).__name__))
        fname, fmt, options = args
        state = {k: v for k, v in ad.__dict__.items()
                 if k not in ("_hd", "_info", "_shape", "_ndtype")}
        return FileRecipe(type(ad), os.path.abspath(fname), fmt, options,
                          state)
    if type(ad) is ArrayImageSeriesAdapter:
        return ArrayRecipe(ad._data, ad._meta, live=ad)
    if isinstance(ad, np.ndarray):
        return ArrayRecipe(ad)
    return ObjectRecipe(ad)


def recipe_of(ims):
    """the recipe of any series: an ImageSeries (also processed, omega),
    an adapter, a 3-d ndarray or a series-like object"""
    from .baseclass import ImageSeries
    from .process import ProcessedImageSeries
    if isinstance(ims, np.ndarray):
        from .load.array import ArrayImageSeriesAdapter
        data = ims if ims.ndim == 3 else ims[None]
        return SeriesRecipe(ImageSeries, ArrayRecipe(
            data, live=ArrayImageSeriesAdapter(None, data=data)))
    if isinstance(ims, ProcessedImageSeries):
        custom = {k: f for k, f in ims._opdict.items() if f is not None}
        fl = None if ims._frames is None else \
            [int(i) for i in ims._frames]
        return ProcessedRecipe(recipe_of(ims._imser), list(ims._oplist),
                               fl, custom)
    if isinstance(ims, ImageSeries):
        return SeriesRecipe(type(ims), adapter_recipe(ims._adapter))
    return adapter_recipe(ims)


def reduce_series(ims):
    """ImageSeries.__reduce__: re-made from its recipe when unpickled"""
    rec = recipe_of(ims)
    rec.check()
    return (open_recipe, (rec,))


def reduce_adapter(ad):
    """NativeAdapter.__reduce__: re-opened by path when unpickled"""
    return (open_recipe, (adapter_recipe(ad),))


# --- opened recipes, cached per process and thread -----------------------
_cache = {}
_cache_lock = threading.Lock()
#: series kept open per process (LRU)
CACHE_SIZE = 16


def cached_open(recipe):
    """recipe.open(), kept for later tasks of the same recipe in this
    thread (a handle serialises its calls; threads get their own)"""
    k = (recipe.key, threading.get_ident())
    with _cache_lock:
        obj = _cache.pop(k, None)
        if obj is not None:
            _cache[k] = obj  # most recently used last
            return obj
    obj = recipe.open()
    with _cache_lock:
        _cache[k] = obj
        while len(_cache) > CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
    return obj


__all__ = ["recipe_of", "open_recipe", "cached_open", "MAX_INLINE_BYTES",
           "NotDistributableError"]
