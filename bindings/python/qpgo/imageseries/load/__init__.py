"""Image series adapters (upstream ``hexrd.imageseries.load``).

Every adapter class registers itself on its ``format`` (metaclass), so
``imageseries.open(fname, format, **kwargs)`` finds it in
``Registry.adapter_registry``; user-defined adapters subclassing
:class:`ImageSeriesAdapter` register the same way and work with stats,
processing, omega and the writers. The file formats are read by libqpgo
(one module per adapter).
"""
import abc
from typing import Any, Optional

import numpy as np
from numpy.typing import NDArray

from ..imageseriesabc import ImageSeriesABC, RegionType
from .registry import Registry


class _RegisterAdapterClass(abc.ABCMeta):
    """Metaclass for the adapter registry"""

    def __init__(cls, name, bases, attrs):
        abc.ABCMeta.__init__(cls, name, bases, attrs)
        Registry.register(cls)


class ImageSeriesAdapter(ImageSeriesABC, metaclass=_RegisterAdapterClass):
    format: str | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._dtype: Optional[np.dtype] = None

    @property
    def dtype(self):
        return self._dtype

    @dtype.setter
    def dtype(self, value: Optional[np.dtype]):
        self._dtype = value

    def get_region(self, frame_idx: int, region: RegionType) -> np.ndarray:
        r = region
        return self[frame_idx][r[0][0]:r[0][1], r[1][0]:r[1][1]]

    @property
    def metadata(self) -> dict[str, NDArray[np.float64]]:
        return {}

    @property
    def shape(self) -> tuple[int, ...]:
        raise NotImplementedError()

    def option_values(self) -> dict:
        raise NotImplementedError()

    def set_option(self, key: str, value: Any):
        raise NotImplementedError()

    def __getitem__(self, _):
        pass


# import all adapter modules
from . import (  # noqa: E402,F401
    array,
    framecache,
    function,
    hdf5,
    imagefiles,
    rawimage,
    metadata,
    trivial,
    eiger,
    eiger_stream_v1,
    eiger_stream_v2,
)
