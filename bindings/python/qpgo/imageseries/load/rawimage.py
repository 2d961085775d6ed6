"""Adapter for raw image files (upstream ``load.rawimage``), read by
libqpgo."""
from ._native import NativeAdapter


class RawImageSeriesAdapter(NativeAdapter):
    """raw image files described by a YAML file"""
    format = 'raw-image'

    def __init__(self, fname, **kwargs):
        self._fname = fname
        self._init_handle(self._open(fname, self.format, None))

    @property
    def dtype(self):
        # the file's byte order, as np.fromfile with the YAML dtype
        dt = self._native_dtype()
        if dt.itemsize > 1 and self._details.get("byte_order") == "big":
            return dt.newbyteorder(">")
        return dt

