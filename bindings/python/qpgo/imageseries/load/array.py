"""Adapter class for numpy array (3D) (upstream ``load.array``).

The frames stay a numpy array in Python (full numpy indexing, as
upstream); libqpgo gets a copy when stats, processing or a writer needs
the series (made once per metadata state)."""
import numpy as np

from .. import _capi
from . import ImageSeriesAdapter
from ..imageseriesiter import ImageSeriesIterator


class ArrayImageSeriesAdapter(ImageSeriesAdapter):
    """Collection of Images in numpy array

    Parameters
    ----------
    fname: None
       should be None
    data: array (n, m, l)
       3-dimensional data array
    metadata: dict (optional)
       the metadata dictionary
    """
    format = 'array'

    def __init__(self, fname, **kwargs):
        data_arr = np.array(kwargs['data'])
        if data_arr.ndim < 3:
            self._data = np.tile(data_arr, (1, 1, 1))
        elif data_arr.ndim == 3:
            self._data = data_arr
        else:
            raise RuntimeError(
                'input array must be 2-d or 3-d; you provided ndim=%d'
                % data_arr.ndim)
        self._meta = kwargs.pop('meta', dict())
        self._shape = self._data.shape
        self._nframes = self._shape[0]
        self._nxny = self._shape[1:3]
        self._hd = None

    def _qpgo_native(self, strict=False):
        try:
            code = _capi.dtype_code(self._data.dtype)
        except ValueError:
            return None  # e.g. bool or object frames: a frame source
        del code
        meta = _capi._meta.encode_all(self._meta, strict)
        if self._hd is None or self._hd_meta != meta:
            self._hd = _capi.from_array(self._data, self._meta, strict)
            self._hd_meta = meta
        return self._hd

    @property
    def metadata(self):
        """Image sequence metadata"""
        return self._meta

    @property
    def shape(self):
        return self._nxny

    @property
    def dtype(self):
        return self._data.dtype

    @dtype.setter
    def dtype(self, value: np.dtype):
        self._dtype = value

    def __getitem__(self, key):
        return self._data[key].copy()

    def __iter__(self):
        return ImageSeriesIterator(self)

    def __len__(self):
        return self._nframes
