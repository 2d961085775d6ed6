"""Adapter class for a list of image files (upstream ``load.imagefiles``),
read by libqpgo (TIFF, EDF, GE as fabio would); files of other formats are
read through fabio (``fabio.open`` of this module, the fabio package when
installed), frame by frame, with the rest (file list, empty frames, dtype
option, indexing) done by libqpgo."""

import os

import numpy as np

from . import _fabio as fabio  # fabio.open, read by libqpgo
from ._native import NativeAdapter
from .. import _capi

#: the opener of this module's own fabio stand-in (read by libqpgo)
_QPGO_OPEN = fabio.open


def _image_opener():
    """what reads image files of formats libqpgo does not decode:
    ``fabio.open`` as this module sees it (a replacement put there is
    used), the fabio package when the stand-in is in place and fabio is
    installed, else None"""
    opener = fabio.open
    if opener is _QPGO_OPEN:
        try:
            import fabio as real_fabio
        except ImportError:
            return None
        opener = real_fabio.open
    return opener


_capi.install_image_reader(_image_opener)
from .metadata import yamlmeta  # noqa: F401 (upstream module attribute)

#: scale of a GEL image: value = (~raw)**2 * GEL_SCALE_FACTOR
GEL_SCALE_FACTOR = 2.9452155399372724e-07


class ImageFilesImageSeriesAdapter(NativeAdapter):
    """collection of image files described by a YAML file (or a YAML
    string of more than one line)"""
    format = 'image-files'
    _python_scalars = True

    def __init__(self, fname, **kwargs):
        if kwargs:
            raise TypeError("unexpected keyword arguments: {}".format(
                sorted(kwargs)))
        self._fname = fname
        self._init_handle(self._open(fname, self.format, None))

    @property
    def fname(self):
        """the YAML file name or string given"""
        return self._fname

    @staticmethod
    def _checkvalue(v, vtest, msg):
        """vtest if v is None, else v (ValueError(msg) if they differ)"""
        if v is None:
            return vtest
        if vtest != v:
            raise ValueError(msg)
        return v

    @property
    def singleframes(self):
        """whether every file holds one frame"""
        return bool(self._details["single_frames"])

    @property
    def fabioclass(self):
        """fabio's class name of the files (e.g. "TifImage")"""
        return self._details["fabio_class"]

    @property
    def _files(self):
        return list(self._details["files"])

    @property
    def _nframes(self):
        return len(self)

    def _file_and_frame(self, key):
        """(file number, frame in that file) of series frame key, as the
        library lays the files out (LookupError past the last)"""
        k = int(key)
        empty = self._details.get("empty_frames", 0)
        for fnum, n in enumerate(self._details.get("file_frames", [])):
            if 0 <= k < n:
                return fnum, k + empty
            k -= n
        raise LookupError("frame {} not found".format(key))


class FileInfo(object):
    """one image file of the list: class, frames, shape, dtype
    (empty: frames skipped at its start; max_frames: 0 for all)"""

    def __init__(self, filename, **kwargs):
        self.filename = filename
        with fabio.open(filename) as img:
            self._fabioclass = img.classname
            self._imgframes = img.nframes
            self.dat = _process_data(filename, img.data)
        d = kwargs.copy()
        self._empty = d.pop('empty', 0)
        self._maxframes = d.pop('max_frames', 0) or self._imgframes
        if self._empty >= self._imgframes:
            raise ValueError("more empty frames than images: %s"
                             % self.filename)

    def __str__(self):
        return ("==== image file\n       name: %s\nfabio class: %s\n"
                "     frames: %s\n      dtype: %s\n      shape: %s\n" % (
                    self.filename, self.fabioclass, self.nframes,
                    self.dtype, self.shape))

    @property
    def empty(self):
        return self._empty

    @property
    def shape(self):
        return self.dat.shape

    @property
    def dtype(self):
        return self.dat.dtype

    @property
    def fabioclass(self):
        return self._fabioclass

    @property
    def nframes(self):
        return min(self._maxframes, self._imgframes - self.empty)


def _process_gel_data(array):
    """a GEL image's raw values as intensities (float64)"""
    return np.invert(array).astype(np.float64) ** 2 * GEL_SCALE_FACTOR


def _process_data(filename, data):
    """the frame data of a file as the series shows it (GEL scaled)"""
    if os.fspath(filename).lower().endswith(".gel"):
        return _process_gel_data(data)
    return data
