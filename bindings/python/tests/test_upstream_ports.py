"""Ports of upstream qpimage 0.9.3 tests (spec §6) that need only what the
binding supports. Upstream test names are kept (file::function in the
comments). Deviations: tests that use tests/data/bg_tilt.h5 (not shipped
with the fixtures) use the fixture file h5_qpimage_full instead; where
upstream relies on the default proc_phase=True only to build an image, the
port passes proc_phase=False (phase unwrapping may be unavailable) when the
assertions do not depend on it, and xfails otherwise.
"""
import pathlib
import shutil
import warnings

import numpy as np
import pytest

from conftest import load_case
import qpgo.qpimage as qpimage
from qpgo.qpimage import QPImage
from qpgo.qpimage.meta import MetaDataMissingError



@pytest.fixture
def h5file(tmp_path):
    """Stand-in for upstream's bg_tilt.h5: a qpimage 0.9.3 file."""
    case = load_case("h5_qpimage_full")
    path = tmp_path / "qpimage.h5"
    shutil.copy(case["_dir"] / "qpimage.h5", path)
    return path


# --- test_meta.py -----------------------------------------------------------
def test_meta():  # test_meta.py::test_meta
    data = np.zeros((10, 10))
    qpi = QPImage(data=data, which_data="phase",
                  meta_data={"wavelength": 300e-9}, proc_phase=False)
    assert qpi["wavelength"] == 300e-9
    qpi["wavelength"] = 400e-9
    assert qpi["wavelength"] == 400e-9


def test_meta_error():  # test_meta.py::test_meta_error
    data = np.zeros((10, 10))
    with pytest.raises(KeyError):
        QPImage(data=data, which_data="phase",
                meta_data={"wavelength1": 300e-9}, proc_phase=False)
    qpi = QPImage(data=data, which_data="phase", proc_phase=False)
    with pytest.raises(KeyError):
        qpi["peter"] = 1
    with pytest.raises(KeyError):
        qpi["peter"]
    with pytest.raises(MetaDataMissingError):
        qpi["wavelength"]


# --- test_minimal.py --------------------------------------------------------
def test_phase_array():  # test_minimal.py::test_phase_array
    size = 200
    phase = np.repeat(np.linspace(0, np.pi, size), size)
    phase = phase.reshape(size, size)
    qpi = QPImage(phase, which_data="phase", h5dtype="float64",
                  proc_phase=False)
    assert np.all(qpi.pha == phase)


def test_phase_array_proc():  # test_minimal.py::test_phase_array (default)
    size = 200
    phase = np.repeat(np.linspace(0, np.pi, size), size)
    phase = phase.reshape(size, size)
    qpi = QPImage(phase, which_data="phase", h5dtype="float64")
    assert np.all(qpi.pha == phase)


def test_file(tmp_path):  # test_minimal.py::test_file
    h5path = tmp_path / "test.h5"
    size = 200
    phase = np.repeat(np.linspace(0, np.pi, size), size)
    phase = phase.reshape(size, size)
    amp = np.exp(np.linspace(0, 1, size * size)).reshape(size, size)
    with QPImage((phase, amp), which_data="phase,amplitude", h5file=h5path,
                 h5mode="w", proc_phase=False):
        pass
    qpi = QPImage(h5file=h5path, h5mode="r")
    assert np.all(qpi.pha == phase.astype(np.float32))
    assert np.all(qpi.amp == amp.astype(np.float32))


# --- test_core_convenience.py -----------------------------------------------
def test_contains(h5file):  # test_core_convenience.py::test_contains
    qpi = QPImage(h5file=h5file, h5mode="r")
    assert "wavelength" in qpi
    assert "peter" not in qpi


def test_equals(h5file):  # test_core_convenience.py::test_equals
    qpi = QPImage(h5file=h5file, h5mode="r")
    qpi2 = qpi.copy()
    assert qpi == qpi2
    qpi3 = qpi.copy()
    qpi3["wavelength"] = 1e-9
    assert qpi != qpi3
    qpi4 = qpi.copy()
    qpi4.clear_bg(which_data="amplitude", keys="data")
    assert qpi != qpi4
    qpi5 = qpi.copy()
    qpi5["identifier"] = "an identifier"
    assert qpi == qpi5


def test_h5file_confusion(h5file):  # test_core_convenience::test_h5file_confusion
    with pytest.raises(ValueError) as exc:
        QPImage(h5file)
    assert str(exc.value) == \
        "`data` must be numpy.ndarray! Did you mean `h5file={}`?".format(
            h5file)
    with pytest.raises(ValueError, match="Did you mean"):
        QPImage(str(h5file))
    with pytest.raises(ValueError) as exc:
        QPImage(3)
    assert str(exc.value) == "`data` must be numpy.ndarray!"


def test_info():  # test_core_convenience.py::test_info
    size = 50
    pha = np.repeat(np.linspace(0, 10, size), size).reshape(size, size)
    qpi = QPImage(pha, which_data="phase", proc_phase=False)
    mask = np.zeros_like(pha, dtype=bool)
    mask[:, :5] = True
    qpi.compute_bg(which_data="phase", fit_offset="mean",
                   fit_profile="offset", from_mask=mask, border_px=5)
    info = dict(qpi.info)
    assert info["phase background from mask"]
    assert info["phase background fit_offset"] == "mean"
    assert info["phase background border_px"] == 5
    assert "amplitude background from mask" not in info


def test_repr():  # test_core_convenience.py::test_repr
    size = 50
    pha = np.repeat(np.linspace(0, 10, size), size).reshape(size, size)
    qpi = QPImage(pha, which_data="phase", meta_data={"wavelength": 550e-9},
                  proc_phase=False)
    assert "λ=550.0nm" in repr(qpi)
    assert repr(qpi).startswith("QPImage <0x")
    qpi["wavelength"] = 1e-6 * 10
    assert "λ=1.00e-05m" in repr(qpi)
    print(qpi._pha, qpi._amp)
    assert repr(qpi._pha) == "Phase image, 50x50px"
    assert repr(qpi._amp) == "Amplitude image, 50x50px"


def test_setitem(h5file):  # test_core_convenience.py::test_setitem
    qpi = QPImage(h5file=h5file, h5mode="a")
    qpi["wavelength"] = 1e-6
    assert qpi["wavelength"] == 1e-6
    with pytest.raises(KeyError):
        qpi["peter"] = 1


def test_which_data():  # test_core_convenience.py::test_which_data
    assert QPImage._conv_which_data("Phase") == "phase"
    assert QPImage._conv_which_data("phase, amplitude") == \
        ("phase", "amplitude")
    assert QPImage._conv_which_data("phase,Intensity") == \
        ("phase", "intensity")
    assert QPImage._conv_which_data("phase,") == "phase"
    assert QPImage._conv_which_data("phase, ") == "phase"
    assert QPImage._conv_which_data(["Phase", "amplitude"]) == \
        ("phase", "amplitude")
    with pytest.raises(ValueError):
        QPImage._conv_which_data(1)


# --- test_copy.py -----------------------------------------------------------
def test_qpimage_copy_to_mem(h5file):  # test_copy.py::test_qpimage_copy_to_mem
    qpi = QPImage(h5file=h5file, h5mode="r")
    qpi2 = qpi.copy()
    assert np.all(qpi.pha == qpi2.pha)
    # upstream: `qpi.meta == qpi2.meta` (its file has no array meta; the
    # stand-in has "sim center", so values are compared with array_equal)
    m1, m2 = qpi.meta, qpi2.meta
    assert sorted(m1) == sorted(m2)
    for key in m1:
        assert np.array_equal(m1[key], m2[key]), key


def test_qpimage_copy_to_file(h5file, tmp_path):  # test_copy.py (part)
    qpi = QPImage(h5file=h5file, h5mode="r")
    path = tmp_path / "copy.h5"
    qpi2 = qpi.copy(h5file=path)
    assert np.all(qpi.pha == qpi2.pha)
    assert np.any(qpi2.bg_pha != 0)
    qpi2.clear_bg(which_data="phase", keys=["data", "fit"])
    assert np.all(qpi2.bg_pha == 0)
    qpi2.close()
    # persisted
    qpi3 = QPImage(h5file=path, h5mode="r")
    assert np.all(qpi3.bg_pha == 0)
    # (the h5py.File parts of upstream are unsupported: paths only)


# --- test_image_data.py -----------------------------------------------------
def _qpi_bg():
    size = 20
    pha = np.repeat(np.linspace(0, 1, size), size).reshape(size, size)
    qpi = QPImage(pha, which_data="phase", proc_phase=False)
    qpi.set_bg_data(pha / 2, which_data="phase", proc_phase=False)
    return qpi


def test_bad_keys_error():  # test_image_data.py::test_bad_keys_error
    qpi = _qpi_bg()
    with pytest.raises(ValueError):
        qpi._pha.del_bg("peter")
    with pytest.raises(ValueError):
        qpi._pha.get_bg("peter")
    with pytest.raises(ValueError):
        qpi._pha.set_bg(np.zeros((20, 20)), key="peter")


def test_del_warning():  # test_image_data.py::test_del_warning
    qpi = _qpi_bg()
    qpi._pha.del_bg("data")
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        qpi._pha.del_bg("data")
    assert len(w) == 1
    assert "data" in str(w[0].message)
    assert "no bg data" in str(w[0].message).lower()
    assert str(w[0].message) == \
        "No bg data to clear for 'data' in Phase image, 20x20px."


def test_clear_bg_warning_text():  # QPImage.clear_bg of absent keys
    qpi = _qpi_bg()
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        qpi.clear_bg()
    assert [str(x.message) for x in w] == [
        "No bg data to clear for 'fit' in Amplitude image, 20x20px.",
        "No bg data to clear for 'fit' in Phase image, 20x20px."]
    assert all(x.category is UserWarning for x in w)


def test_get_bg():  # test_image_data.py::test_get_bg
    qpi = _qpi_bg()
    assert np.all(qpi.bg_pha == qpi._pha.bg)
    assert np.all(qpi.bg_pha == qpi._pha.get_bg(None))
    assert np.all(qpi._pha.get_bg("data") == qpi.bg_pha)


def test_get_bg_error():  # test_image_data.py::test_get_bg_error
    qpi = _qpi_bg()
    with pytest.raises(ValueError):
        qpi._pha.get_bg(None, ret_attrs=True)
    with pytest.raises(KeyError):
        qpi._pha.get_bg("fit")


def test_set_bg_error():  # test_image_data.py::test_set_bg_error
    qpi = _qpi_bg()
    with pytest.raises(ValueError):
        qpi._pha.set_bg("peter", key="data")


# --- test_core.py -----------------------------------------------------------
def test_clear_bg_error():  # test_core.py::test_clear_bg_error
    qpi = _qpi_bg()
    with pytest.raises(ValueError):
        qpi.clear_bg(which_data="peter")


def test_comput_bg_error():  # test_core.py::test_comput_bg_error
    qpi = _qpi_bg()
    with pytest.raises(ValueError):
        qpi.compute_bg(which_data="peter", border_px=2)
    with pytest.raises(ValueError):
        qpi.compute_bg(which_data="phase")
    with pytest.raises(ValueError):
        qpi.compute_bg(which_data="phase", border_m=-1)
    with pytest.raises(ValueError):
        qpi.compute_bg(which_data="phase", border_perc=60)
    with pytest.raises(ValueError):
        qpi.compute_bg(which_data="phase", border_perc=-10)
    with pytest.raises(ValueError):
        qpi.compute_bg(which_data="phase",
                       from_mask=np.zeros((20, 20), dtype=bool))
    with pytest.raises(MetaDataMissingError):
        qpi.compute_bg(which_data="phase", border_m=1e-6)


def test_get_amp_pha_invalid():  # test_core.py::test_get_amp_pha_invalid
    with pytest.raises(ValueError):
        QPImage(np.zeros((10, 10)), which_data="peter")


def test_get_amp_pha_inputs():  # test_core.py::test_get_amp_pha (noproc)
    size = 30
    rng = np.random.RandomState(3)
    pha = rng.rand(size, size)
    amp = rng.rand(size, size) + .5
    qpi1 = QPImage((pha, amp), which_data="phase,amplitude",
                   h5dtype="float64", proc_phase=False)
    qpi2 = QPImage((pha, amp ** 2), which_data="phase,intensity",
                   h5dtype="float64", proc_phase=False)
    qpi3 = QPImage(amp * np.exp(1j * pha), which_data="field",
                   h5dtype="float64", proc_phase=False)
    assert np.allclose(qpi1.amp, qpi2.amp)
    assert np.allclose(qpi1.pha, qpi3.pha)
    assert np.allclose(qpi1.amp, qpi3.amp)
    assert np.allclose(qpi3.field, amp * np.exp(1j * pha))


def test_get_amp_pha_raw():  # test_core.py::test_get_amp_pha_raw
    size = 30
    pha = np.repeat(np.linspace(0, 1, size), size).reshape(size, size)
    qpi = QPImage(pha, which_data="phase", proc_phase=False)
    raw = qpi.raw_pha.copy()
    qpi.set_bg_data(pha * .3, which_data="phase", proc_phase=False)
    assert np.all(qpi.raw_pha == raw)
    assert np.all(qpi.raw_amp == 1)


def test_get_amp_pha_unrwap_disabled():  # test_core.py (same name)
    size = 50
    pha = np.repeat(np.linspace(0, 1, size), size).reshape(size, size)
    pha[5:] += 2 * np.pi
    qpi = QPImage(pha, which_data="phase", proc_phase=False)
    assert np.allclose(qpi.pha, pha)


def test_get_amp_pha_unrwap():  # test_core.py::test_get_amp_pha_unrwap
    size = 50
    pha = np.repeat(np.linspace(0, 1, size), size).reshape(size, size)
    step = pha.copy()
    step[5:] += 2 * np.pi
    qpi = QPImage(step, which_data="phase")
    assert np.allclose(qpi.pha, pha)


def test_properties():  # test_core.py::test_properties (noproc part)
    size = 50
    pha = np.repeat(np.linspace(0, 1, size), size).reshape(size, size)
    amp = np.repeat(np.linspace(1, 2, size), size).reshape(size, size).T
    bg_pha = pha * .5
    bg_amp = amp * .7
    qpi = QPImage((pha, amp), which_data="phase,amplitude",
                  h5dtype="float64", proc_phase=False)
    qpi.set_bg_data((bg_pha, bg_amp), which_data="phase,amplitude",
                    proc_phase=False)
    assert np.allclose(qpi.bg_amp, bg_amp)
    assert np.allclose(qpi.bg_pha, bg_pha)
    assert np.iscomplexobj(qpi.field)
    assert qpi.shape == (size, size)
    assert qpi.dtype == np.float64
    bg_amp_before = qpi.bg_amp
    qpi.compute_bg(which_data=["amplitude", "phase"], fit_offset="fit",
                   fit_profile="tilt", border_px=5)
    assert not np.all(qpi.bg_amp == bg_amp_before)


def test_set_bg_data_qpimage():  # test_core.py::test_set_bg_data_qpimage
    size = 30
    pha = np.repeat(np.linspace(0, 1, size), size).reshape(size, size)
    qpi = QPImage(pha, which_data="phase", proc_phase=False)
    qpi_bg = QPImage(pha * .2, which_data="phase", proc_phase=False)
    qpi.set_bg_data(qpi_bg)
    assert np.allclose(qpi.bg_pha, qpi_bg.pha)
    assert np.allclose(qpi.pha, pha * .8, atol=1e-7)
    with pytest.raises(ValueError) as exc:
        qpi.set_bg_data(qpi_bg, which_data="phase")
    assert str(exc.value) == \
        "`which_data` must not be set if `bg_data` is QPImage!"
    qpi.set_bg_data(None)
    assert np.all(qpi.bg_pha == 0)


# --- test_integrity_check.py (with the integrity_* fixtures) ----------------
def test_integrity_fixtures(tmp_path):
    from qpgo.qpimage import integrity_check
    from qpgo.qpimage.integrity_check import IntegrityCheckError
    for name in ["integrity_intact", "integrity_missing_attributes",
                 "integrity_tampered_fit"]:
        case = load_case(name)
        fname = case["call"].split("check('", 1)[1].split("'", 1)[0]
        h5 = [p for p in case["_dir"].iterdir() if p.suffix == ".h5"][0]
        path = tmp_path / fname
        shutil.copy(h5, path)
        for chk, res in case["expected"]["checks"].items():
            if res["passed"]:
                integrity_check.check(path, checks=chk)
            else:
                with pytest.raises(IntegrityCheckError) as exc:
                    integrity_check.check(path, checks=[chk])
                assert str(exc.value) == res["message"], name
    with pytest.raises(ValueError):  # test_integrity_check::test_wrong_check
        integrity_check.check(path, checks="peter")
