"""Image-series metadata over the typed C path (issue 18).

``read_metadata(handle)`` reads every top-level metadata value of an
``ims_*`` handle: numeric arrays as dtype + shape + bytes straight into a
NumPy array (ims_metadata_array_info / ims_metadata_array; a 400 MB array
costs its 400 MB once), other values as the typed JSON of that one value
(ims_metadata_value_json), decoded like ims_metadata_json's values.
Large numeric members of an npz frame cache are inflated by libqpgo
straight into the new array's memory (read on access, not at open).
Errors are raised as hexrd raises them (the "imageseries" family of
``_errors``: OSError for a damaged member, KeyError for a missing key).
"""
import ctypes
import json

import numpy as np

from . import _lib


def _capi():
    from .imageseries import _capi as c  # (imports this module lazily)
    return c

_MAXDIMS = 64


def array(handle, key):
    """The numeric metadata array under key as a new NumPy array."""
    k = _lib.cstr(key, "key")
    dt, nd = ctypes.c_int(0), ctypes.c_int(0)
    dims = (ctypes.c_int64 * _MAXDIMS)()
    c = _capi()
    c.call("ims_metadata_array_info", handle, k, ctypes.byref(dt),
           ctypes.byref(nd), dims, _MAXDIMS)
    out = np.empty(tuple(dims[:nd.value]), dtype=_lib.DTYPES[dt.value])
    c.call("ims_metadata_array", handle, k,
           out.ctypes.data if out.size else ctypes.c_void_p(1), out.nbytes)
    return out


def value(handle, key):
    """The metadata value under key, from its typed JSON."""
    from .imageseries import _meta
    return _meta.decode(json.loads(
        _capi().get_string("ims_metadata_value_json", handle,
                           _lib.cstr(key, "key"))))


def read_metadata(handle):
    """All metadata of an ims handle as a dict (keys in order)."""
    out = {}
    for e in json.loads(_capi().get_string("ims_metadata_keys_json",
                                           handle)):
        if e["kind"] == "array":
            out[e["name"]] = array(handle, e["name"])
        else:
            out[e["name"]] = value(handle, e["name"])
    return out
