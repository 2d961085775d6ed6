"""Private bases of the objects that own a libqpgo handle.

``_HandleObject`` holds the lifetime of one handle (close, context manager,
release on garbage collection) for a C ABI function family named by its
prefix ("qpi", "fli", "qps", "fls", "ims"). ``_ImageBase`` adds what
QPImage and FLImage share (meta data, info, repr, slicing, comparison,
array getters). Upstream-visible names, signatures and docstrings stay on
the public classes.
"""
import ctypes
import json
import math
import os

import numpy as np

from . import _lib

#: TypeError message for an h5py object passed as `h5file`
H5PY_MSG = ("`h5file` as an h5py object is not supported by qpgo: pass the "
            "file path (str or pathlib.Path) or None for an in-memory {}")
#: TypeError message for an `h5file` that is not a path
H5TYPE_MSG = ("`h5file` must be a path (str or pathlib.Path) or None, "
              "got {}")


def is_h5py_object(obj):
    mod = type(obj).__module__ or ""
    return mod.startswith("h5py")


def h5file_arg(h5file, h5py_msg=None, type_msg=H5TYPE_MSG):
    """`h5file` as a str path or, for an h5py.File/h5py.Group, an
    ``H5Ref`` to its libhdf5 identifier (None stays None); TypeError for
    other non-paths (`type_msg` is formatted with the type name)."""
    if h5file is None:
        return None
    if is_h5py_object(h5file):
        from ._h5py import H5Ref
        return H5Ref(h5file)
    if not isinstance(h5file, (str, os.PathLike)):
        raise TypeError(type_msg.format(type(h5file).__name__))
    return os.fspath(h5file)


def h5_options(h5file, h5mode):
    """The C options naming where an object lives: a path with its mode,
    or the borrowed identifier of an h5py object (h5mode does not apply:
    the caller opened the file)."""
    if h5file is None:
        return {}
    if isinstance(h5file, str):
        return {"h5file": h5file, "h5mode": h5mode}
    return {"h5group_id": h5file.hid}


def split_meta(meta):
    """Meta items as a JSON-able dict plus non-finite floats (JSON cannot
    carry them; they are written with qpi_set_meta_double)."""
    plain, special = {}, {}
    for key, value in dict(meta).items():
        if isinstance(value, (float, np.floating)) and \
                not math.isfinite(float(value)):
            special[key] = float(value)
        else:
            plain[key] = value
    return plain, special


def finite_meta(meta_data, dict_class, receiver):
    """`meta_data` validated by `dict_class` as a JSON-able dict;
    ValueError for non-finite values (`receiver` names the target)."""
    plain, special = split_meta(dict_class(meta_data or {}))
    if special:
        raise ValueError("non-finite meta data values cannot be passed to "
                         "{}: {}".format(receiver, sorted(special)))
    return plain


class _HandleObject(object):
    #: C ABI function prefix ("qpi", "fli", ...)
    _prefix = None
    #: public class name used in messages
    _kind = None
    _h = 0
    _do_h5_cleanup = True

    def _fn(self, name):
        return "{}_{}".format(self._prefix, name)

    def _call(self, name, *args):
        """Call ``<prefix>_<name>(handle, *args)`` and check the result."""
        return _lib.call(self._fn(name), self._handle, *args)

    def _flag(self, name, *args):
        """The int out-parameter of ``<prefix>_<name>`` as a bool."""
        out = ctypes.c_int(0)
        self._call(name, *args, ctypes.byref(out))
        return bool(out.value)

    def _string(self, name, *args):
        return _lib.get_string(self._fn(name), self._handle, *args)

    @property
    def h5(self):
        """h5py view (h5py.File, or h5py.Group for a member) of the
        object's HDF5 file; needs h5py on the same libhdf5 as qpgo"""
        from ._h5py import h5_view
        return h5_view(self._handle)

    def _adopt(self, h):
        """Take ownership of handle `h` and count the instance (on the
        class that defines ``_instances``, as upstream)."""
        self._h = h
        for klass in type(self).__mro__:
            if "_instances" in vars(klass):
                klass._instances += 1
                break

    @property
    def _handle(self):
        if not self._h:
            raise ValueError("I/O operation on a closed " + self._kind)
        return self._h

    def _release(self):
        h, self._h = self._h, 0
        if h:
            _lib.call(self._fn("close"), h)

    def close(self):
        """Release the library object (and close its file); idempotent."""
        self._release()

    def __del__(self):
        try:
            if getattr(self, "_h", 0) and _lib is not None:
                getattr(_lib.lib(), self._fn("close"))(self._h)
                self._h = 0
        except Exception:
            pass

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        if self._do_h5_cleanup:
            self.close()


class _ImageBase(_HandleObject):
    """What QPImage and FLImage share; subclasses set the prefix and
    ``_meta_class``, ``_meta_keys``, ``_checked_meta`` and ``_derived``."""
    #: dict class of :attr:`meta`
    _meta_class = dict
    #: valid keys for ``__setitem__``
    _meta_keys = ()
    #: name of the key argument in cstr errors of ``__contains__``
    _key_what = "argument"

    @classmethod
    def _from_handle(cls, h, h5dtype="float32"):
        obj = cls.__new__(cls)
        obj._do_h5_cleanup = True
        obj.h5dtype = h5dtype
        obj._adopt(h)
        return obj

    def _derived(self, h):
        """The image object owning a handle derived from this one."""
        raise NotImplementedError

    def _checked_meta(self, meta):
        """(JSON-able items, non-finite items) of a meta dict."""
        raise NotImplementedError

    def _write_meta(self, meta_json, special):
        if meta_json:
            self._call("set_meta", _lib.cstr(_lib.to_json(meta_json)))
        for key, value in special.items():
            self._call("set_meta_double", _lib.cstr(key), float(value))

    @property
    def closed(self):
        return not self._h

    # --- dunder -----------------------------------------------------------
    def __contains__(self, key):
        if not isinstance(key, str):
            return False
        return self._flag("has_meta", _lib.cstr(key, self._key_what))

    def __eq__(self, other):
        if not isinstance(other, _ImageBase) or \
                other._prefix != self._prefix:
            return False
        return self._flag("equal", other._handle)

    __hash__ = None

    def __getitem__(self, given):
        if isinstance(given, (slice, tuple)):
            sl = given if isinstance(given, tuple) else (given,)
            if not 1 <= len(sl) <= 2 or \
                    not all(isinstance(s, slice) for s in sl):
                raise ValueError("Only slicing and meta data keys allowed "
                                 "for `__getitem__`")
            ranges = []
            for s, n in zip(sl, self.shape):
                ranges.extend(s.indices(n))
            r = (ctypes.c_int64 * len(ranges))(*ranges)
            out = _lib.c_handle(0)
            self._call("slice", r, len(sl), ctypes.byref(out))
            return self._derived(out.value)
        elif isinstance(given, str):
            return self.meta[given]
        else:
            raise ValueError("Only slicing and meta data keys allowed for "
                             "`__getitem__`")

    def __setitem__(self, key, value):
        if key not in self._meta_keys:
            raise KeyError("Unknown meta data key: {}".format(key))
        self._write_meta(*self._checked_meta({key: value}))

    def __repr__(self):
        if not self._h:
            return "{} <closed {}>".format(self._kind, hex(id(self)))
        return self._string("repr")

    # --- meta data --------------------------------------------------------
    @property
    def meta(self):
        """dictionary with imaging meta data"""
        raw = json.loads(self._string("get_meta_json", None))
        return self._meta_class({k: _lib.from_typed(v["value"], v["type"])
                                 for k, v in raw.items()})

    def _info(self):
        rows = json.loads(self._string("info"))
        return [(name, _lib.from_typed(value, typ))
                for name, value, typ in rows]

    # --- arrays -----------------------------------------------------------
    @property
    def shape(self):
        """size of image dimensions"""
        # an image's shape is fixed once it has data: asked once per
        # handle, so that an array read is one crossing
        sh = self.__dict__.get("_shape_of")
        if sh is not None and sh[0] == self._h:
            return sh[1]
        dims = (ctypes.c_int64 * 2)()
        self._call("shape", dims)
        sh = (int(dims[0]), int(dims[1]))
        self._shape_of = (self._h, sh)
        return sh

    def _dtype(self):
        dt = ctypes.c_int(0)
        self._call("dtype", ctypes.byref(dt))
        return np.dtype(_lib.DTYPES[dt.value])

    def _array(self, name):
        return _lib.get_array(name, self._handle, self.shape)

    def _raw_array(self, name):
        return self._array(name).astype(self.dtype, copy=False)

    def _copy_handle(self, h5file):
        """Handle of a copy (in memory for h5file None)."""
        out = _lib.c_handle(0)
        if h5file is not None and not isinstance(h5file, str):
            self._call("copy_h5id", h5file.hid, ctypes.byref(out))
            return out.value
        self._call("copy", _lib.cstr(h5file) if h5file else None,
                   ctypes.byref(out))
        return out.value


def array_property(name, doc, raw=False):
    """A read-only property returning the image array of C getter `name`
    (``raw``: converted to the storage dtype)."""
    if raw:
        return property(lambda self: self._raw_array(name), doc=doc)
    return property(lambda self: self._array(name), doc=doc)
