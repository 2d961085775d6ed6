"""QPSeries (upstream ``qpimage.series``) backed by a libqpgo handle."""
from .._handle import H5PY_MSG, finite_meta, h5file_arg
from .._series import _SeriesBase
from .core import QPImage
from .meta import MetaDict


class QPSeries(_SeriesBase):
    _instances = 0
    _prefix = "qps"
    _kind = "QPSeries"
    _member = QPImage
    _list_msg = "`qpimage_list` must be a list of QPImages!"
    _readonly_msg = "`meta_data` must not be set when `h5mode=='r'`!"
    _missing_msg = "Index {} not found for QPSeries of size {}!"

    def __init__(self, qpimage_list=[], meta_data={}, h5file=None,
                 h5mode="a", identifier=None):
        """Quantitative phase image series

        Parameters
        ----------
        qpimage_list: list
            List of QPImage instances
        meta_data: dict
            Meta data associated with the input data (written into every
            member the series holds after `qpimage_list` was added).
        h5file: str, pathlib.Path, or None
            Path to an HDF5 file (h5py objects are not supported); None:
            in memory.
        h5mode: str
            Mode in which to open `h5file`
        identifier: str
            Series identifier

        Members returned by :meth:`get_qpimage` are live views into the
        series (writes through them change the series); they become
        invalid when the series is closed.
        """
        self._init_series(qpimage_list, meta_data, h5file, h5mode,
                          identifier)

    def _h5file_arg(self, h5file):
        return h5file_arg(h5file, H5PY_MSG.format("series"))

    def _meta_json(self, meta_data):
        return finite_meta(meta_data, MetaDict, "QPSeries")

    def __contains__(self, qpid):
        return self._contains(qpid)

    def __repr__(self):
        return "QPSeries <{}>, {} images".format(
            self.identifier or hex(id(self)), len(self))

    identifier = property(_SeriesBase._identifier,
                          doc="series identifier (None if not set)")

    def add_qpimage(self, qpi, identifier=None, bg_from_idx=None):
        """Add a QPImage instance to the QPSeries

        Parameters
        ----------
        qpi: qpgo.qpimage.QPImage
            The QPImage that is added to the series
        identifier: str
            Identifier key for `qpi` (default: the image's identifier)
        bg_from_idx: int or None
            Use the background data from the data stored in this index,
            creating hard links within the hdf5 file.
        """
        self._require_member(qpi)
        if bg_from_idx is None:
            idx, has = 0, 0
        else:
            idx, has = int(bg_from_idx), 1
        self._add_member(qpi, identifier, idx, has)

    def get_qpimage(self, index):
        """Return a single QPImage of the series (a live view)

        Parameters
        ----------
        index: int or str
            Index or identifier of the QPImage
        """
        return self._get_member(index)

    def map(self, fn, client=None, h5file=None, identifier=None):
        """qpgo: `fn(member)` on the workers of a Dask `client` (None:
        here), gathered into a new series (in memory or the file
        `h5file`) written by this process; see qpgo._dask_series"""
        from .._dask_series import map_series
        return map_series(self, fn, client, h5file, identifier)


__all__ = ["QPSeries"]
