"""HDF5 adapter class (upstream ``load.hdf5``), read by libqpgo."""

import warnings

from ._native import NativeAdapter, h5_target


class HDF5ImageSeriesAdapter(NativeAdapter):
    """Collection of images in an HDF5 file

    Parameters
    ----------
    fname: str or pathlib.Path
        the HDF5 file
    path: str
        group holding the dataset (required)
    dataname: str
        name of the dataset in `path` (default 'images')
    close_when_finished: bool
        whether close() closes the file (default True, as upstream); the
        file is always released when the adapter is collected
    max_alloc_bytes: int
        memory budget of this open (qpgo extension, default:
        ``qpgo.set_limits``): a frame or dataset read beyond it is refused
    """
    format = 'hdf5'
    _scalar_0d = True

    def __init__(self, fname, **kwargs):
        # an open h5py object is read through its file name
        fname, self._path = h5_target(fname, kwargs['path'])
        self._fname = fname
        self._dataname = kwargs.pop('dataname', 'images')
        self._close_when_finished = kwargs.pop('close_when_finished', True)
        opts = {"path": self._path, "dataname": self._dataname}
        if kwargs.get("max_alloc_bytes") is not None:
            opts["max_alloc_bytes"] = kwargs["max_alloc_bytes"]
        self._init_handle(self._open(fname, self.format, opts))

    def close(self):
        """close the file (only with close_when_finished, as upstream)"""
        hd = getattr(self, "_hd", None)  # None: the open failed
        if hd is not None and self._close_when_finished:
            hd.close()

    def __del__(self):
        # the handle closes itself when collected; a failing close()
        # override is reported as upstream
        try:
            self.close()
        except Exception:
            warnings.warn("HDF5ImageSeries could not close h5 file")

    @property
    def _ndim(self):
        """rank of the dataset: 2 (a single frame) or 3"""
        return int(self._details.get("ndim", 3))

    def get_region(self, frame_idx, region):
        if self._ndim == 2:
            # upstream indexes the 2-d dataset with the frame index first,
            # then slices the remaining 1-d row with two ranges
            raise IndexError("too many indices for array: array is "
                             "1-dimensional, but 2 were indexed")
        return super().get_region(frame_idx, region)
