"""Adapter for Dectris Eiger stream v1 HDF5 files (upstream
``load.eiger_stream_v1``), decoded by libqpgo (bitshuffle+LZ4, LZ4): no
``dectris-compression`` needed."""
from ._native import NativeAdapter, h5_target


class EigerStreamV1ImageSeriesAdapter(NativeAdapter):
    """collection of images in an Eiger stream v1 file"""
    format = 'eiger-stream-v1'
    _scalar_0d = True

    def __init__(self, fname, **kwargs):
        # an open h5py.File is read through its file name
        self._fname = fname = h5_target(fname)[0]
        self._init_handle(self._open(fname, self.format, None))
