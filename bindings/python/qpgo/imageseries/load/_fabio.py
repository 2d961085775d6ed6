"""What ``load.imagefiles`` needs of fabio (``fabio.open(fname)``: an image
with ``data``, ``nframes``, ``classname``, ``getframe(i).data``), read by
libqpgo's image decoders (TIFF, EDF, GE, ... as fabio reads them): the
file is opened as a one-file image-files series. fabio itself is not
needed."""
import os

import yaml


class _Frame(object):
    def __init__(self, data):
        self.data = data


class QpgoImage(object):
    """one image file (a context manager, as fabio's images)"""

    def __init__(self, filename):
        from .imagefiles import ImageFilesImageSeriesAdapter
        fn = os.path.abspath(os.fspath(filename))
        doc = {"image-files": {"directory": os.path.dirname(fn),
                               "files": os.path.basename(fn)},
               "options": {}, "meta": {}}
        self.filename = fn
        self._ad = ImageFilesImageSeriesAdapter(yaml.safe_dump(doc))
        self.nframes = len(self._ad)
        self.classname = self._ad.fabioclass

    @property
    def data(self):
        return self._ad[0]

    def getframe(self, i):
        return _Frame(self._ad[i])

    def close(self):
        self._ad.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.close()
        return False


def open(filename):  # noqa: A001 (fabio's name)
    """the image file `filename`"""
    return QpgoImage(filename)
