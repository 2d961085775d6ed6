"""Base class for imageseries (upstream ``hexrd.imageseries.baseclass``).

An :class:`ImageSeries` wraps any adapter: the qpgo ones of
:mod:`qpgo.imageseries.load` (a series held by libqpgo) or any object with
``__len__``, ``__getitem__``, ``dtype``, ``shape`` and ``metadata``.
"""
from typing import Any

import numpy as np

from .load.framecache import ImageSeriesAdapter  # noqa: F401
from .imageseriesabc import ImageSeriesABC, RegionType


class ImageSeries(ImageSeriesABC):
    """collection of images

    Basic sequence class with additional properties for image shape and
    metadata (possibly None).
    """

    def __init__(self, adapter: ImageSeriesAdapter):
        """Build FrameSeries from adapter instance

        *adapter* - object instance based on abstract Sequence class with
        properties for image shape, data type and metadata.
        """
        self._adapter = adapter

    def __getitem__(self, key):
        return self._adapter[key]

    def __len__(self):
        return len(self._adapter)

    def __iter__(self):
        return self._adapter.__iter__()

    @property
    def dtype(self):
        return self._adapter.dtype

    @property
    def shape(self):
        return self._adapter.shape

    @property
    def metadata(self):
        return self._adapter.metadata

    def get_region(self, frame_idx: int, region: RegionType) -> np.ndarray:
        return self._adapter.get_region(frame_idx, region)

    def set_option(self, key: str, value: Any):
        self._adapter.set_option(key, value)

    def option_values(self) -> dict:
        if not hasattr(self._adapter, 'option_values'):
            # There are no options
            return {}
        return self._adapter.option_values()

    # --- qpgo: releasing the file early -----------------------------------
    def close(self):
        """Close the adapter's file now (qpgo adapters; idempotent)."""
        close = getattr(self._adapter, "close", None)
        if close is not None:
            close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.close()

    def __reduce__(self):
        # qpgo: pickles as a recipe (file-backed series re-open by path)
        from ._recipe import reduce_series
        return reduce_series(self)


__all__ = ["ImageSeries"]
