"""Processed image series (upstream ``hexrd.imageseries.process``), with
the operations applied lazily by libqpgo (ims_process)."""
import ctypes
import json

import numpy as np

from .. import _lib
from .baseclass import ImageSeries, from_array


class ProcessedImageSeries(ImageSeries):
    """Image series with processing operations

    Parameters
    ----------
    imser: ImageSeries
        The series to process (kept alive by this object)
    oplist: list of (key, data)
        Operations applied in order: 'dark' (array), 'flip' (code),
        'rectangle' (((r0, r1), (c0, c1))), 'add' (number or array),
        'gauss_laplace' (sigma or (s0, s1)), 'add-row', 'add-column'
        (index).
    frame_list: sequence of int or None
        Original frame indices to use (None: all)
    """
    FLIP = 'flip'
    DARK = 'dark'
    RECT = 'rectangle'
    ADD = 'add'
    GAUSS_LAPLACE = 'gauss_laplace'

    def __init__(self, imser, oplist, frame_list=None, **kwargs):
        if kwargs:
            raise TypeError("unexpected keyword arguments: {}".format(
                sorted(kwargs)))
        if not isinstance(imser, ImageSeries):
            raise TypeError("`imser` must be a qpgo ImageSeries")
        deps = [imser]
        ops = []
        for key, data in oplist:
            ops.append([key, self._arg(key, data, deps)])
        fl, n = None, 0
        if frame_list is not None:
            idx = np.asarray(list(frame_list), dtype=np.int64)
            n = idx.size
            fl = (ctypes.c_int64 * max(n, 1))(*idx.tolist())
        out = _lib.c_handle(0)
        _lib.call("ims_process", imser._handle,
                  _lib.cstr(json.dumps(ops, allow_nan=False)), fl, n,
                  ctypes.byref(out))
        super().__init__(out.value, deps)
        self._oplist = list(oplist)
        self._frames = None if frame_list is None else list(frame_list)

    @staticmethod
    def _arg(key, data, deps):
        if key in ("dark", "add") and not np.isscalar(data):
            # pass arrays as a one-frame series: keeps the dtype, so the
            # result follows numpy promotion as upstream
            src = from_array(np.asarray(data))
            deps.append(src)
            return {"frame_of": src._handle, "index": 0}
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

    @property
    def oplist(self):
        return self._oplist

    @property
    def frame_list(self):
        return self._frames

    @classmethod
    def addop(cls, key, func):
        raise NotImplementedError("custom operations (addop) are not "
                                  "supported: the operations run in "
                                  "libqpgo")


__all__ = ["ProcessedImageSeries"]
