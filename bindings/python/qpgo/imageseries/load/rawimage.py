"""Adapter for raw image files (upstream ``load.rawimage``), read by
libqpgo."""
import numpy as np

from ._native import NativeAdapter

_INTCHARS = {1: "b", 2: "h", 4: "i",
             # spec I10: 8 bytes on every platform
             8: "l" if np.dtype("l").itemsize == 8 else "q"}
_TYPECHARS = {"f": "f", "d": "d", "b": "?"}


class RawImageSeriesAdapter(NativeAdapter):
    """raw image files described by a YAML file"""
    format = 'raw-image'

    def __init__(self, fname, **kwargs):
        self._fname = fname
        self._init_handle(self._open(fname, self.format, None))

    @staticmethod
    def typechars(numtype, bytes_=4, signed=False, little=True):
        """the numpy type string of a YAML ``scalar`` entry: numtype "i"
        (bytes_ 1, 2, 4, 8; signed), "f", "d" or "b"; byte order "<" if
        little else ">" (KeyError for anything else, as upstream)"""
        if numtype == "i":
            char = _INTCHARS[bytes_]
            if not signed:
                char = char.upper()
        else:
            char = _TYPECHARS[numtype]
        return ("<" if little else ">") + char

    @property
    def dtype(self):
        # the file's byte order, as np.fromfile with the YAML dtype
        dt = self._native_dtype()
        if dt.itemsize > 1 and self._details.get("byte_order") == "big":
            return dt.newbyteorder(">")
        return dt

