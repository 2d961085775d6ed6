"""Abstract base class of image series (upstream
``hexrd.imageseries.imageseriesabc``)."""
import collections.abc

#: type of a region for ``get_region``: ((r0, r1), (c0, c1))
RegionType = tuple[tuple[int, int], tuple[int, int]]


class ImageSeriesABC(collections.abc.Sequence):
    pass
