"""FLSeries (upstream ``flimage.series``) backed by a libqpgo handle."""
import ctypes

import numpy as np

from .. import _lib
from .._series import _SeriesBase
from .core import FLImage, _h5file_arg, _meta_json


class FLSeries(_SeriesBase):
    _instances = 0
    _prefix = "fls"
    _kind = "FLSeries"
    _member = FLImage
    _list_msg = "`flimage_list` must be a list!"
    _readonly_msg = "`h5mode` must not be 'r' if `meta_data` is given!"
    _missing_msg = "Index {} not found for FLSeries of length {}"

    def __init__(self, flimage_list=[], meta_data={}, h5file=None,
                 h5mode="a", identifier=None):
        """Fluorescence microscopy series data

        Parameters
        ----------
        flimage_list: list
            A list of :class:`qpgo.flimage.FLImage`
        meta_data: dict
            Meta data written into every member after `flimage_list` was
            added (overrides the members' values)
        h5file: str, pathlib.Path or None
            Path to an HDF5 file (h5py objects are not supported); None:
            in memory
        h5mode: str
            Mode in which to open `h5file`
        identifier: str
            Series identifier

        Members returned by :meth:`get_flimage` are live views into the
        series; they become invalid when the series is closed.
        """
        self._init_series(flimage_list, meta_data, h5file, h5mode,
                          identifier)

    def _h5file_arg(self, h5file):
        return _h5file_arg(h5file)

    def _meta_json(self, meta_data):
        return _meta_json(meta_data)

    def __contains__(self, flid):
        return self._contains(flid)

    identifier = property(
        _SeriesBase._identifier,
        doc="unique identifier of the series (None if not set)")

    def add_flimage(self, fli, identifier=None):
        """Add an FLImage instance to the FLSeries

        Parameters
        ----------
        fli: qpgo.flimage.FLImage
            The FLImage that is added to the series
        identifier: str
            Identifier key for `fli` (default: the image's identifier)
        """
        self._add_member(fli, identifier)

    def get_flimage(self, index):
        """Return a single FLImage of the series (a live view)

        Parameters
        ----------
        index: int or str
            Index or identifier of the FLImage
        """
        return self._get_member(index)

    def map(self, fn, client=None, h5file=None, identifier=None):
        """qpgo: `fn(member)` on the workers of a Dask `client` (None:
        here), gathered into a new series (in memory or the file
        `h5file`) written by this process; see qpgo._dask_series"""
        from .._dask_series import map_series
        return map_series(self, fn, client, h5file, identifier)

    # --- processing -------------------------------------------------------
    def bleach_correction(self, h5out=None, border_px=20, flscorr=None,
                          count=None, max_count=None):
        """Perform a correction for photobleaching

        Bleaching is modeled with an exponential and an offset.

        Parameters
        ----------
        h5out: str, pathlib.Path or None
            A new FLSeries is written to (appended to, mode "a") this HDF5
            file; None: nothing is written
        border_px: int
            Number of border pixels to include for background estimation
            (0: the whole image counts as border, as upstream)
        flscorr: FLSeries
            Apply the background correction to this FLSeries instead of
            the current instance
        count, max_count:
            Progress: objects with a ``.value`` (e.g.
            ``multiprocessing.Value``) incremented as upstream does; or
            `count` is a callable ``progress(done, total)`` whose truthy
            return value cancels the run (:class:`qpgo.CancelledError`;
            the output file then holds a valid series of the images
            written so far).

        Returns
        -------
        bg: float
            Background value subtracted from each image
        flint: 1d ndarray
            Intensity trace (sum of positive background-free pixels)
        decay: 1d ndarray
            Fitted exponential decay evaluated at `times`
        times: 1d ndarray
            Acquisition times (meta data "time") of the images
        """
        opts = {"border_px": int(border_px)}
        if h5out:
            opts["h5out"] = _h5file_arg(h5out)
        if flscorr is not None and not isinstance(flscorr, FLSeries):
            raise ValueError("`flscorr` must be an FLSeries or None")
        n = len(self)
        flint = np.zeros(n)
        decay = np.zeros(n)
        times = np.zeros(n)
        bg = ctypes.c_double(0)
        prog = _lib.Progress(count, max_count)
        prog.call("fls_bleach_correction", self._handle,
                  _lib.cstr(_lib.to_json(opts)),
                  flscorr._handle if flscorr is not None else 0,
                  ctypes.byref(bg), _lib.ptr(flint), _lib.ptr(decay),
                  _lib.ptr(times), n)
        return bg.value, flint, decay, times

    def denoise(self, h5file, count=None, max_count=None):
        """Denoise fluorescence data (total variation, Chambolle,
        weight 2); the results are appended to the FLSeries at `h5file`
        (a path). `count`/`max_count` as in :meth:`bleach_correction`."""
        opts = {"h5file": _h5file_arg(h5file)}
        prog = _lib.Progress(count, max_count)
        prog.call("fls_denoise", self._handle,
                  _lib.cstr(_lib.to_json(opts)))


def denoise_tv_chambolle(image, weight=0.1, eps=2.e-4, max_num_iter=200):
    """Total-variation denoising of a 2D image (skimage's
    denoise_tv_chambolle, the filter of FLSeries.denoise; runs in
    libqpgo)"""
    arr = np.ascontiguousarray(image, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError("`image` must be 2D, got {}D".format(arr.ndim))
    out = np.empty_like(arr)
    _lib.call("fls_denoise_tv_chambolle", _lib.ptr(arr), arr.shape[0],
              arr.shape[1], float(weight), float(eps), int(max_num_iter),
              _lib.ptr(out))
    return out


__all__ = ["FLSeries", "denoise_tv_chambolle"]
