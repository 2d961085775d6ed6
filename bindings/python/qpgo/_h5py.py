"""The bridge to h5py objects (private).

An h5py.File or h5py.Group given as `h5file` is used through its own
libhdf5 identifier (``obj.id.id``): libqpgo borrows it, so nothing is
opened twice and the caller's h5py object sees every change. That needs
h5py and libqpgo to run on the very same libhdf5 in this process, checked
here by comparing the address the two resolve `H5get_libversion` to (and
the versions, for the message). The other direction, ``qpi.h5``, hands the
libqpgo file to h5py with one more reference on its identifier.
"""
import ctypes

from . import _lib

_same_lib = None


def _h5py():
    try:
        import h5py
    except ImportError as exc:
        raise ImportError(
            "h5py is needed for h5py objects and `.h5` in qpgo but is not "
            "installed (Debian: apt install python3-h5py)") from exc
    return h5py


def _symbol_address(path, name="H5get_libversion"):
    return ctypes.cast(getattr(ctypes.CDLL(path), name),
                       ctypes.c_void_p).value


def check_same_libhdf5():
    """Raise RuntimeError unless h5py and libqpgo share one libhdf5."""
    global _same_lib
    if _same_lib:
        return
    h5py = _h5py()
    a, b, c = (ctypes.c_int(), ctypes.c_int(), ctypes.c_int())
    _lib.call("qpgo_hdf5_version", ctypes.byref(a), ctypes.byref(b),
              ctypes.byref(c))
    ours = (a.value, b.value, c.value)
    theirs = tuple(h5py.h5.get_libversion())
    # h5py.defs is the h5py extension that links libhdf5 itself
    same = (ours == theirs and
            _symbol_address(h5py.defs.__file__) ==
            _symbol_address(_lib.lib()._name))
    if not same:
        raise RuntimeError(
            "`h5file` as an h5py object needs h5py and qpgo to use the same "
            "libhdf5, but h5py uses libhdf5 {} and qpgo {} (a separate "
            "copy of the library): pass the file path instead".format(
                ".".join(map(str, theirs)), ".".join(map(str, ours))))
    _same_lib = True


class H5Ref:
    """A borrowed h5py.File/h5py.Group: keeps the object alive and gives
    its libhdf5 identifier."""

    def __init__(self, obj):
        h5py = _h5py()
        if not isinstance(obj, (h5py.File, h5py.Group)):
            raise TypeError("`h5file` must be a path, an h5py.File or an "
                            "h5py.Group, got {}".format(type(obj).__name__))
        if not obj.id.valid:
            raise ValueError("`h5file` is a closed h5py object")
        check_same_libhdf5()
        self.obj = obj
        self.hid = int(obj.id.id)


def h5_view(handle):
    """An h5py.Group (h5py.File for the root) of the file behind `handle`."""
    h5py = _h5py()
    check_same_libhdf5()
    need = ctypes.c_int64()
    fid = ctypes.c_int64()
    _lib.call("qpgo_h5_ref", handle, ctypes.byref(fid), None, 0,
              ctypes.byref(need))
    buf = ctypes.create_string_buffer(need.value)
    _lib.call("qpgo_h5_ref", handle, ctypes.byref(fid), buf, need.value,
              ctypes.byref(need))
    # FileID takes over the reference qpgo_h5_ref added
    f = h5py.File(h5py.h5f.FileID(fid.value))
    path = buf.value.decode()
    return f if path == "/" else f[path]


def copyh5(inh5, outh5):
    """Copy the contents of `inh5` into `outh5` (upstream
    qpimage.core.copyh5 rules: a path `inh5` is opened read-only, a path
    `outh5` is created and closed and its name returned, None gives a new
    in-memory h5py.File; the copying runs in libqpgo)."""
    h5py = _h5py()
    close_in = not isinstance(inh5, h5py.Group)
    if close_in:
        inh5 = h5py.File(inh5, mode="r")
    ret_obj = True
    if outh5 is None:
        global _mem_count
        _mem_count += 1
        outh5 = h5py.File("qpgo_copyh5_{}.h5".format(_mem_count), mode="w",
                          driver="core", backing_store=False)
    elif not isinstance(outh5, h5py.Group):
        outh5 = h5py.File(outh5, mode="w")
        ret_obj = False
    try:
        src, dst = H5Ref(inh5), H5Ref(outh5)
        _lib.call("qpi_copyh5", src.hid, dst.hid)
    finally:
        if close_in:
            inh5.close()
    if ret_obj:
        return outh5
    fn = outh5.filename
    outh5.close()
    return fn


_mem_count = 0
