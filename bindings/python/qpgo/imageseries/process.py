"""Class for processing individual frames (upstream
``hexrd.imageseries.process``).

The built-in operations run in libqpgo (ims_process) on any series. An
operation added with :meth:`ProcessedImageSeries.addop` is a Python
function: the built-in operations before it run in Go, its input frames
come from there, and the operations after it run in Go again on its
output (read through the frame-source callback).
"""
import ctypes
import json
from typing import Any

import numpy as np
import scipy  # noqa: F401 (upstream module attribute)

from .. import _lib
from . import _capi
from .baseclass import ImageSeries
from .load._native import NativeAdapter

_BUILTIN = ('dark', 'flip', 'rectangle', 'add', 'gauss_laplace', 'add-row',
            'add-column')


class _ProcessedAdapter(NativeAdapter):
    """the ims handle of a processed series"""
    _abstract = True

    def __init__(self, hd):
        self._init_handle(hd)


class _CustomOp(object):
    """frames of `src` passed through a Python operation func(img, data)"""

    def __init__(self, src, func, data):
        self._src, self._func, self._data = src, func, data
        first = np.asarray(func(src[0], data))
        self.shape = first.shape
        self.dtype = first.dtype
        self.metadata = src.metadata

    def __len__(self):
        return len(self._src)

    def __getitem__(self, i):
        return np.asarray(self._func(self._src[i], self._data))


class _Region(object):
    """`region` of every frame of a Python series, read with its
    get_region (upstream's fast path when rectangle is the first op)"""

    def __init__(self, src, region):
        self._src, self._region = src, region
        first = np.asarray(src.get_region(0, region))
        self.shape = first.shape
        self.dtype = first.dtype
        self.metadata = src.metadata

    def __len__(self):
        return len(self._src)

    def __getitem__(self, i):
        return np.asarray(self._src.get_region(i, self._region))


def _op_arg(key, data, keep):
    if key in ("dark", "add") and not np.isscalar(data):
        # arrays as a one-frame series: keeps the dtype, so the result
        # follows numpy promotion as upstream
        hd = _capi.from_array(np.asarray(data)[None])
        keep.append(hd)
        return {"frame_of": hd.h, "index": 0}
    if key == "add":
        return float(data)
    if key == "rectangle":
        return [[int(v) for v in r] for r in data]
    if key in ("add-row", "add-column"):
        return int(data)
    if key == "gauss_laplace":
        if np.isscalar(data):
            return float(data)
        return [float(v) for v in data]
    return data


def _process(src_hd, ops, frame_list):
    """ims_process of the Go operations `ops` on a Handle"""
    keep = [src_hd]
    js = [[k, _op_arg(k, d, keep)] for k, d in ops]
    fl, n = None, 0
    if frame_list is not None:
        idx = [int(i) for i in frame_list]
        n = len(idx)
        fl = (ctypes.c_int64 * max(n, 1))(*idx)
    out = _lib.c_handle(0)
    _capi.run(src_hd, "ims_process", _lib.cstr(json.dumps(ops and js or [],
                                                         allow_nan=False)),
              fl, n, ctypes.byref(out))
    return _capi.Handle(out.value, keep)


class ProcessedImageSeries(ImageSeries):
    """imageseries based on existing one with image processing options

    Parameters
    ----------
    imser: ImageSeries
       an existing imageseries (any series)
    oplist: list
       list of processing operations; each option is a (key, data) pair,
       with key specifying the operation to perform using specified data
    frame_list: list of ints or None, default = None
       specify subset of frames by list; if None, then all frames are used
    """
    FLIP = 'flip'
    DARK = 'dark'
    RECT = 'rectangle'
    ADD = 'add'
    GAUSS_LAPLACE = 'gauss_laplace'
    ADD_ROW = 'add-row'
    ADD_COL = 'add-column'

    def __init__(self, imser, oplist, **kwargs):
        self._imser = imser
        self._oplist = oplist
        self._frames = kwargs.pop('frame_list', None)
        self._hasframelist = self._frames is not None
        self._opdict = {k: None for k in _BUILTIN}
        self._built = None

    # --- the pipeline (built on first use) ------------------------------
    @property
    def _adapter(self):
        # the pipeline follows changes of oplist (upstream reads it for
        # every frame)
        state = [(k, id(d)) for k, d in self._oplist]
        if self._built is None or self._state != state:
            self._built = self._build()
            self._state = state
        return self._built

    def _build(self):
        ops = list(self._oplist)
        frames = self._frames
        src = self._imser
        if ops and ops[0][0] == self.RECT and \
                self._opdict.get(self.RECT, 0) is None and \
                _capi.native_of(src) is None and \
                hasattr(src, "get_region"):
            src = _Region(src, ops.pop(0)[1])
        while True:
            k = next((i for i, (key, _) in enumerate(ops)
                      if self._opdict.get(key, 0) is not None), len(ops))
            go, ops = ops[:k], ops[k:]
            hd = _process(_capi.native(src, first=True), go, frames)
            frames = None
            ad = _ProcessedAdapter(hd)
            if not ops:
                return ad
            key, data = ops.pop(0)
            if key not in self._opdict:
                raise KeyError(key)
            src = _CustomOp(ImageSeries(ad), self._opdict[key], data)

    def _qpgo_native(self, strict=False):
        return self._adapter._hd

    def __len__(self):
        return len(self._frames) if self._hasframelist else \
            len(self._imser)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    @property
    def dtype(self):
        return self._adapter.dtype

    @property
    def shape(self):
        return self._adapter.shape

    @property
    def metadata(self):
        """metadata (a copy; omega follows frame_list)"""
        return self._adapter.metadata

    def set_option(self, key: str, value: Any):
        self._imser.set_option(key, value)

    def option_values(self) -> dict:
        return self._imser.option_values() \
            if hasattr(self._imser, "option_values") else {}

    @property
    def oplist(self):
        """list of operations to apply"""
        return self._oplist

    @property
    def frame_list(self):
        return self._frames

    def addop(self, key, func):
        """Add operation to processing options

        *key* - string to use to specify this op
        *func* - function to call for this op: f(img, data)
        """
        self._opdict[key] = func
        self._built = None


__all__ = ["ProcessedImageSeries"]
