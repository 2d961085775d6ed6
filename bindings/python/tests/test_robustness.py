"""Bad input never crashes: it raises a Python exception."""
import ctypes

import numpy as np
import pytest

from qpgo import _lib
from qpgo.qpimage import QPImage


def test_none_where_array_required():
    with pytest.raises(ValueError):
        QPImage(data=(None, np.ones((3, 3))), which_data="phase,amplitude")
    with pytest.raises(ValueError):
        QPImage(data=[None, None], which_data="phase", proc_phase=False)
    qpi = QPImage(np.zeros((3, 3)), proc_phase=False)
    with pytest.raises(ValueError):
        qpi.set_bg_data((None, None), which_data="phase,amplitude")


def test_null_pointers_low_level():
    out = _lib.c_handle(0)
    dims = (ctypes.c_int64 * 2)(3, 3)
    # data NULL is an image without data (upstream QPImage()); out NULL
    # is an error
    _lib.call("qpi_new", b"phase", None, 2, dims, None, None,
              ctypes.byref(out))
    _lib.call("qpi_close", out.value)
    with pytest.raises(ValueError):
        _lib.call("qpi_new", b"phase", None, 2, dims, None, None, None)
    with pytest.raises(ValueError):
        _lib.call("qpi_open", None, b"r", ctypes.byref(out))
    qpi = QPImage(np.zeros((3, 3)), proc_phase=False)
    with pytest.raises(ValueError):
        _lib.call("qpi_get_pha", qpi._handle, None, 9)
    with pytest.raises(ValueError):
        _lib.call("qpi_shape", qpi._handle, None)
    with pytest.raises(RuntimeError):  # QPGO_ERR_BUFFER
        buf = np.empty(4)
        _lib.call("qpi_get_pha", qpi._handle, _lib.ptr(buf), 4)
    for h in [0, -1, 10 ** 12]:
        with pytest.raises(ValueError):
            _lib.call("qpi_close", h)


def test_wrong_sizes():
    with pytest.raises(ValueError):
        QPImage(data=(np.zeros((3, 3)), np.zeros((4, 4))),
                which_data="phase,amplitude", proc_phase=False)
    with pytest.raises(ValueError):
        QPImage(data=np.zeros(5), proc_phase=False)
    with pytest.raises(ValueError):
        QPImage(data=np.zeros((0, 3)), proc_phase=False)
    with pytest.raises(ValueError):
        QPImage(data=np.zeros((3, 3)), bg_data=np.zeros((4, 4)),
                proc_phase=False)
    with pytest.raises(ValueError):
        QPImage(data=[np.zeros((3, 3))] * 3, which_data="phase,amplitude",
                proc_phase=False)
    with pytest.raises(ValueError):
        QPImage(data=np.zeros((3, 3)), which_data="peter")
    with pytest.raises(ValueError):
        QPImage(data=np.zeros((3, 3)), which_data=["field"])


def test_unknown_option_keys():
    out = _lib.c_handle(0)
    d = np.zeros((3, 3))
    dims = (ctypes.c_int64 * 2)(3, 3)
    with pytest.raises(KeyError):
        _lib.call("qpi_new", b"phase", _lib.ptr(d), 2, dims, None,
                  b'{"proc_phase": false, "peter": 1}', ctypes.byref(out))
    with pytest.raises(ValueError):
        _lib.call("qpi_new", b"phase", _lib.ptr(d), 2, dims, None,
                  b'{"proc_phase": "yes"}', ctypes.byref(out))
    with pytest.raises(ValueError):
        _lib.call("qpi_new", b"phase", _lib.ptr(d), 2, dims, None,
                  b'[1, 2]', ctypes.byref(out))
    qpi = QPImage(d, proc_phase=False)
    with pytest.raises(KeyError):
        _lib.call("qpi_compute_bg", qpi._handle, b'{"peter": 1}', None,
                  None, 0)
    with pytest.raises(ValueError):
        QPImage(d, h5dtype="int16", proc_phase=False)


def test_bad_files(tmp_path):
    # non-HDF5 file
    p = tmp_path / "text.h5"
    p.write_text("this is not HDF5\n" * 100)
    with pytest.raises(OSError):
        QPImage(h5file=p, h5mode="r")
    # truncated HDF5 file
    good = tmp_path / "good.h5"
    with QPImage(np.random.rand(20, 20), h5file=good, h5mode="w",
                 proc_phase=False):
        pass
    data = good.read_bytes()
    for n in [10, 100, len(data) // 2, len(data) - 10]:
        bad = tmp_path / "trunc{}.h5".format(n)
        bad.write_bytes(data[:n])
        with pytest.raises(OSError):
            qpi = QPImage(h5file=bad, h5mode="r")
            qpi.pha  # noqa: B018 - a lazy reader may fail only here
    # missing file, read-only
    with pytest.raises(OSError):
        QPImage(h5file=tmp_path / "missing.h5", h5mode="r")
    # bad mode
    with pytest.raises(ValueError):
        QPImage(h5file=tmp_path / "m.h5", h5mode="q")
    # writing meta to a read-only file
    with QPImage(h5file=good, h5mode="r") as qpi:
        with pytest.raises((OSError, RuntimeError, KeyError)):
            qpi["wavelength"] = 1e-7


def test_nul_in_strings():
    with pytest.raises(ValueError):
        QPImage(np.zeros((3, 3)), meta_data={"identifier": "a\0b"},
                proc_phase=False)
    qpi = QPImage(np.zeros((3, 3)), proc_phase=False)
    with pytest.raises(ValueError):
        "a\0b" in qpi


def test_library_location(monkeypatch):
    """Without QPGO_LIBRARY the package finds <repo>/build/libqpgo.so (or a
    copy next to the package, the installed case)."""
    import pathlib
    monkeypatch.delenv("QPGO_LIBRARY", raising=False)
    found = pathlib.Path(_lib._find_library())
    pkg = pathlib.Path(_lib.__file__).resolve().parent
    assert found in (pkg / "libqpgo.so",
                     pkg.parents[2] / "build" / "libqpgo.so")
    monkeypatch.setenv("QPGO_LIBRARY", "/nonexistent/libqpgo.so")
    cands = [str(c) for c in _lib._candidates()]
    assert cands[0] == "/nonexistent/libqpgo.so"
