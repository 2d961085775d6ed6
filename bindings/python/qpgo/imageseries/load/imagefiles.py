"""Adapter class for a list of image files (upstream ``load.imagefiles``),
read by libqpgo (TIFF, EDF, GE, ... as fabio would)."""

from ._native import NativeAdapter


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
