"""QPImage API: equality, slicing, context manager, closed objects."""
import pathlib

import h5py
import numpy as np
import pytest

from conftest import load_case, resolve, assert_close
from qpgo.qpimage import QPImage



def _img(**kw):
    rng = np.random.RandomState(1)
    pha = rng.rand(10, 12)
    amp = rng.rand(10, 12) + .5
    kw.setdefault("proc_phase", False)
    return QPImage((pha, amp), which_data="phase,amplitude", **kw)


def test_equality_rules():
    a = _img(meta_data={"wavelength": 5e-7, "identifier": "a"})
    b = _img(meta_data={"wavelength": 5e-7, "identifier": "b"})
    assert a == b                # identifier ignored
    assert not (a != b)
    b["wavelength"] = 6e-7
    assert a != b                # DATA_KEYS compared
    assert not (a == 1)          # spec D2: non-QPImage is "not equal"
    assert a != "a"
    assert a != None  # noqa: E711
    with pytest.raises(TypeError):
        hash(a)
    c = _img()
    c.set_bg_data((np.zeros((10, 12)), np.full((10, 12), 2.)),
                  which_data="phase,amplitude", proc_phase=False)
    assert c != _img()
    n = QPImage(np.full((4, 4), np.nan), proc_phase=False)
    assert n != n                # NaN: not allclose, even to itself


def test_copy():
    a = _img(meta_data={"wavelength": 5e-7})
    b = a.copy()
    assert a == b
    b["wavelength"] = 1e-7
    assert a["wavelength"] == 5e-7


def test_copy_to_file(tmp_path):
    a = _img(meta_data={"wavelength": 5e-7, "identifier": "cp"})
    path = tmp_path / "copy.h5"
    b = a.copy(h5file=path)
    assert b == a and repr(b) == repr(a)
    b.close()
    with h5py.File(path, "r") as h5:
        assert h5["phase/raw"].compression == "gzip"
    with h5py.File(tmp_path / "x.h5", "w") as h5:
        c = a.copy(h5file=h5)  # into the caller's h5py file
        assert c == a
        assert h5.attrs["identifier"] == "cp"


def test_h5file_bad_type(tmp_path):
    with h5py.File(tmp_path / "x.h5", "w") as h5:
        with pytest.raises(TypeError, match="h5py.Group, got Dataset"):
            QPImage(np.zeros((3, 3)), h5file=h5.create_dataset("d", (1,)))
    with pytest.raises(TypeError):
        QPImage(np.zeros((3, 3)), h5file=3)


def test_context_manager_closes_file(tmp_path):
    path = tmp_path / "ctx.h5"
    with _img(h5file=path, h5mode="w") as qpi:
        qpi["wavelength"] = 5e-7
        assert not qpi.closed
    assert qpi.closed
    with pytest.raises(ValueError):
        qpi.pha
    # the file is closed: h5py can open it for writing
    with h5py.File(path, "r+") as h5:
        assert h5.attrs["wavelength"] == 5e-7
    qpi.close()  # idempotent


def test_closed_use_raises_value_error():
    qpi = _img()
    other = _img()
    qpi.close()
    for fn in [lambda: qpi.pha, lambda: qpi.meta, lambda: qpi.info,
               lambda: qpi.shape, lambda: qpi["wavelength"],
               lambda: qpi.copy(), lambda: qpi[1:3],
               lambda: qpi.clear_bg(), lambda: other.set_bg_data(qpi),
               lambda: qpi == other, lambda: "wavelength" in qpi]:
        with pytest.raises(ValueError):
            fn()
    assert "closed" in repr(qpi)


def test_getitem_errors():
    qpi = _img(meta_data={"wavelength": 5e-7})
    with pytest.raises(ValueError) as exc:
        qpi[1]
    assert str(exc.value) == \
        "Only slicing and meta data keys allowed for `__getitem__`"
    with pytest.raises(ValueError):
        qpi[1.5]
    assert qpi["wavelength"] == 5e-7


def test_slice_fixture():
    case = load_case("qpimage_slice")
    inp = {k: resolve(case, v) for k, v in case["inputs"].items()}
    qpi = QPImage(data=(inp["pha"], inp["amp"]),
                  bg_data=(inp["bg_pha"], inp["bg_amp"]),
                  which_data="phase,amplitude",
                  meta_data={"wavelength": 550e-9, "identifier": "sl"})
    qpi.compute_bg(which_data=["phase", "amplitude"], fit_profile="tilt",
                   fit_offset="mean", border_px=3)
    (r0, r1), (c0, c1) = case["params"]["slice"]
    s = qpi[r0:r1, c0:c1]
    exp, tol = case["expected"], case["tolerance"]
    for name in ["raw_pha", "raw_amp", "bg_pha", "bg_amp", "pha", "amp"]:
        assert_close(getattr(s, name), resolve(case, exp[name]), tol[name],
                     name)
    assert s.shape == tuple(exp["shape"])
    assert s.dtype == np.dtype(exp["storage_dtype"])
    meta = s.meta
    for k, tv in exp["meta"].items():
        assert meta[k] == tv["value"]
    # 1-axis slice and steps (upstream test_core.test_slice)
    s1 = qpi[r0:r1]
    assert np.allclose(s1.pha, qpi.pha[r0:r1])
    s2 = qpi[::2, ::-3]
    assert np.allclose(s2.pha, qpi.pha[::2, ::-3])
    assert np.allclose(s2.amp, qpi.amp[::2, ::-3])
