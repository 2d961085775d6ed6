"""Process-wide limits on reading files (qpgo_set_limits / qpgo_get_limits).

``set_limits(max_alloc_bytes=..., max_attr_bytes=..., validate_timeout_s=...)``:
the budget of one allocation whose size comes from a file (an array, a
member, a frame; 0 restores the default of 4 GiB or half the physical
memory; per open: ``imageseries.open(f, 'hdf5' | 'frame-cache',
max_alloc_bytes=n, ...)``; qpimage and flimage files, whose upstream API
has no per-open options, use the process-wide one), the budget of one HDF5 attribute read (0
restores the default of 64 MiB) and a fixed
deadline of the HDF5 validation child (0 restores the default, 1 s plus
1 s per 16 MiB of file). A file needing more raises ``OSError`` naming the
object and the sizes. ``get_limits()`` returns the limits in force.
"""
import json

from . import _lib


def set_limits(**kw):
    """Set process-wide limits (keys max_alloc_bytes, max_attr_bytes,
    validate_timeout_s)."""
    _lib.call("qpgo_set_limits", _lib.cstr(json.dumps(kw), "limits"))


def get_limits():
    """The limits in force as a dict."""
    return json.loads(_lib.get_string("qpgo_get_limits"))
