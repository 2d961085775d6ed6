"""Low-level access to libqpgo.so over ctypes.

Everything that touches the C ABI lives here: loading the library once and
declaring the prototypes of every exported function (generated from the
header into ``_prototypes.py``: nothing here repeats the header), result
codes raised through the one table of ``_errors``, and the helpers for the
output conventions of the C ABI (strings with a size query, arrays of a
known size, typed JSON values). This module imports no API module.
"""
import ctypes
import json
import math
import numbers
import os
import pathlib
import threading

import numpy as np

# --- result codes and their exceptions: one table, in _errors -----------------
from ._errors import (  # noqa: E402,F401
    QPGO_OK, QPGO_ERR_INTERNAL, QPGO_ERR_ARG, QPGO_ERR_KEY, QPGO_ERR_NOT_FOUND,
    QPGO_ERR_META_MISSING, QPGO_ERR_IO, QPGO_ERR_INTEGRITY, QPGO_ERR_CANCELLED,
    QPGO_ERR_HANDLE, QPGO_ERR_UNSUPPORTED, QPGO_ERR_BUFFER, QPGO_ERR_RUNTIME,
    CancelledError)
from . import _errors  # noqa: E402
# --- prototypes and enums: generated from the headers ----------------------
from . import _prototypes  # noqa: E402

#: qpgo_dtype code -> numpy dtype name (from qpgo_types.h)
DTYPES = dict(_prototypes.DTYPES)


# --- locating and loading the library ---------------------------------------
_LIBNAME = "libqpgo.so"


def _candidates():
    env = os.environ.get("QPGO_LIBRARY")
    if env:
        yield pathlib.Path(env)
    here = pathlib.Path(__file__).resolve().parent
    # installed: the library next to the package
    yield here / _LIBNAME
    # source checkout: <repo>/bindings/python/qpgo/_lib.py -> <repo>/build
    yield here.parents[2] / "build" / _LIBNAME


def _find_library():
    tried = []
    for p in _candidates():
        tried.append(str(p))
        if p.is_file():
            return str(p)
    raise OSError("libqpgo.so not found; set QPGO_LIBRARY or build it with "
                  "`make build` (tried: {})".format(", ".join(tried)))


_lock = threading.Lock()
_lib = None

c_handle = ctypes.c_int64
# ctypes names the hand-written `# --- h-* exports ---` blocks below use
P = ctypes.POINTER
c_int_p = P(ctypes.c_int)
c_int64_p = P(ctypes.c_int64)
c_double_p = ctypes.c_void_p   # pass numpy buffers as raw addresses
c_char_p = ctypes.c_char_p
c_buf = ctypes.c_void_p        # char* output buffers (NULL = size query)
c_u8_p = ctypes.c_void_p       # uint8 masks as raw addresses (NULL ok)
#: qpgo_progress_fn: int (*)(int64_t done, int64_t total, void *user)
PROGRESS_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int64, ctypes.c_int64,
                               ctypes.c_void_p)

#: name: (restype, argtypes) of every export: the generated table
#: (_prototypes.py, from include/qpgo.h). Exports a branch adds before the
#: generator has seen them go into this dict in one `# --- h-NAME exports
#: ---` block at the end of this module; the generated entry wins once
#: the header has them.
_PROTOTYPES = {}
#: older name of the same table (kept for the hand-written blocks)
_OPTIONAL_PROTOTYPES = {}


def _declare(dll):
    table = dict(_OPTIONAL_PROTOTYPES)
    table.update(_PROTOTYPES)
    table.update(_prototypes.PROTOTYPES)
    for name, (res, args) in table.items():
        fn = getattr(dll, name, None)
        if fn is not None:  # a library older than the header: has() tells
            fn.restype = res
            fn.argtypes = list(args)


def lib():
    """The loaded library with all prototypes declared (loaded once)."""
    global _lib
    if _lib is None:
        with _lock:
            if _lib is None:
                path = _find_library()
                dll = ctypes.CDLL(path)
                _declare(dll)
                _lib = dll
    return _lib


def has(name):
    """Whether the library exports the function `name`."""
    return hasattr(lib(), name)


def version():
    return lib().qpgo_version().decode()


_description = None


def describe():
    """The library's description of its own rules (qpgo_describe_json:
    meta keys, which_data values, background keys, fit choices, image
    series formats and options, statistics' result dtypes), decoded once.
    Bindings take these from here instead of keeping copies."""
    global _description
    if _description is None:
        _description = json.loads(get_string("qpgo_describe_json"))
    return _description


def errmsg():
    msg = lib().qpgo_errmsg()
    return msg.decode("utf-8", "replace") if msg else ""


# --- result codes -> exceptions (the table is _errors.TABLES) ----------------
def error_for(rc, msg=None, family="qpimage"):
    """The exception object for result code rc (message from qpgo_errmsg)
    as the package `family` ("qpimage", "imageseries") raises it."""
    return _errors.exception(rc, errmsg() if msg is None else msg, family)


def check(rc):
    """Raise the mapped exception for a non-zero result code."""
    if rc != QPGO_OK:
        raise error_for(rc)
    return rc


def call(name, *args):
    """Call an exported function and check its result code."""
    return check(getattr(lib(), name)(*args))


# --- argument helpers -------------------------------------------------------
def cstr(s, what="argument"):
    """Encode a Python str (or Path) for a C string argument."""
    if s is None:
        return None
    if isinstance(s, os.PathLike):
        s = os.fspath(s)
    if isinstance(s, bytes):
        b = s
    elif isinstance(s, str):
        b = s.encode("utf-8")
    else:
        raise TypeError("{} must be str, got {}".format(what,
                                                         type(s).__name__))
    if b"\0" in b:
        raise ValueError("{} must not contain NUL characters".format(what))
    return b


def as_f64(data, what="data"):
    """A C-contiguous float64 array (copy only when needed)."""
    if data is None:
        raise ValueError("`{}` must not be None".format(what))
    try:
        arr = np.ascontiguousarray(data, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError("`{}` cannot be converted to a float64 array: "
                         "{}".format(what, exc)) from None
    return arr


def dims_of(arr):
    d = (ctypes.c_int64 * max(arr.ndim, 1))(*arr.shape)
    return d


def ptr(arr):
    """Address of a numpy array's buffer (None passes NULL)."""
    if arr is None:
        return None
    return arr.ctypes.data


def get_string(name, *args):
    """Call a string-output function: size query, then fill."""
    f = getattr(lib(), name)
    needed = ctypes.c_int64(0)
    for _ in range(3):  # the value may change between query and fill
        check(f(*args, None, 0, ctypes.byref(needed)))
        n = needed.value
        buf = ctypes.create_string_buffer(max(n, 1))
        rc = f(*args, buf, n, ctypes.byref(needed))
        if rc == QPGO_ERR_BUFFER:
            continue
        check(rc)
        return buf.value.decode("utf-8")
    raise RuntimeError("{}: string size kept changing".format(name))


def get_array(name, h, shape, *args, dtype=np.float64):
    """Call an array-output function into a new float64 array of shape."""
    out = np.empty(shape, dtype=np.float64)
    call(name, h, *args, ptr(out), out.size)
    return out


# --- typed JSON values -> Python --------------------------------------------
def _float(v):
    if isinstance(v, str):
        return float(v)  # "nan", "inf", "-inf"
    return float(v)


def from_typed(value, typ):
    """Convert a typed JSON value {"value": v, "type": t} to Python."""
    if typ == "float64":
        return _float(value)
    if typ == "float32":
        return np.float32(_float(value))
    if typ in ("int64", "uint64"):
        return int(value)
    if typ == "bool":
        return bool(value)
    if typ == "str":
        return str(value)
    if typ == "bytes":
        # fixed-length ASCII attributes: h5py returns numpy.bytes_
        return np.bytes_(value.encode("ascii") if isinstance(value, str)
                         else value)
    if "[" in typ:
        base = typ.split("[", 1)[0]
        if base in ("float64", "float32"):
            return np.array([_float(v) for v in value], dtype=base)
        if base in ("int64", "uint64"):
            return np.array(value, dtype=base)
        if base == "str":
            return np.array(value, dtype=object)
    raise ValueError("unknown typed value type {!r}".format(typ))


# --- Python values -> JSON options ------------------------------------------
def _plain(v, key):
    """Convert a value to something json.dumps writes as h5py would store."""
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (numbers.Integral, np.integer)):
        return int(v)
    if isinstance(v, (numbers.Real, np.floating)):
        f = float(v)
        if not math.isfinite(f):
            raise ValueError("value of {!r}: {} cannot be passed in JSON "
                             "options".format(key, f))
        return f
    if isinstance(v, (str, np.str_)):
        return str(v)
    if isinstance(v, (bytes, np.bytes_)):
        return bytes(v).decode("utf-8")
    if isinstance(v, os.PathLike):
        return os.fspath(v)
    if isinstance(v, np.ndarray):
        return [_plain(x, key) for x in v.tolist()]
    if isinstance(v, (list, tuple)):
        return [_plain(x, key) for x in v]
    if isinstance(v, dict) or hasattr(v, "items"):
        return {str(k): _plain(x, k) for k, x in v.items()}
    if v is None:
        return None
    raise ValueError("value of {!r}: unsupported type {}".format(
        key, type(v).__name__))




def to_json(obj):
    """JSON text of a dict: ints stay integers, floats always carry a '.'
    or an exponent (Python's repr does that), so the library stores int64
    vs float64 as h5py would."""
    return json.dumps(_plain(obj, "options"), allow_nan=False)


# --- more output helpers ----------------------------------------------------
DTYPE_CODES = {v: k for k, v in DTYPES.items()}


def get_json(name, *args):
    """Call a string-output function returning JSON and decode it."""
    return json.loads(get_string(name, *args))


def f64_ptr(v):
    """ctypes double* to a one-element output."""
    return ctypes.byref(v)


# --- progress callbacks -----------------------------------------------------
class Progress(object):
    """Adapter from upstream's progress arguments to a qpgo_progress_fn.

    ``count``/``max_count`` are objects with a ``.value`` (e.g.
    ``multiprocessing.Value``), as upstream flimage takes them: the values
    they hold when the call starts are the base, the library's done/total
    are added to it (upstream does ``+=``). ``count`` may instead be a
    plain callable ``progress(done, total)``; a truthy return value
    cancels the run (the call then raises :class:`CancelledError`).
    An exception raised inside the callable cancels the run and is
    re-raised by :meth:`call`.

    Keep the object alive for the duration of the C call (``call`` does).
    """

    def __init__(self, count=None, max_count=None):
        self.count = count
        self.max_count = max_count
        self.error = None
        self._base_count = None
        self._base_max = None
        if count is None and max_count is None:
            self.cfunc = PROGRESS_FN()  # NULL: no progress
            return
        if count is not None and not callable(count) and \
                not hasattr(count, "value"):
            raise TypeError("`count` must have a `.value` attribute (e.g. "
                            "multiprocessing.Value) or be a callable "
                            "progress(done, total)")
        if max_count is not None and not hasattr(max_count, "value"):
            raise TypeError("`max_count` must have a `.value` attribute")
        if count is not None and hasattr(count, "value"):
            self._base_count = count.value
        if max_count is not None:
            self._base_max = max_count.value
        self.cfunc = PROGRESS_FN(self._cb)

    def _cb(self, done, total, user):
        try:
            if self.max_count is not None:
                self.max_count.value = self._base_max + total
            if self.count is not None:
                if hasattr(self.count, "value"):
                    self.count.value = self._base_count + done
                else:
                    return 1 if self.count(int(done), int(total)) else 0
            return 0
        except BaseException as exc:  # never propagate through C
            self.error = exc
            return 1

    def call(self, name, *args):
        """Call `name` with (*args, callback, NULL) and map the result."""
        cfunc = self.cfunc  # referenced until the call returns
        rc = getattr(lib(), name)(*args, cfunc, None)
        if rc == QPGO_ERR_CANCELLED and self.error is not None:
            err, self.error = self.error, None
            raise err
        check(rc)
        return rc
