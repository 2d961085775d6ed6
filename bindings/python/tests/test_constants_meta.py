"""Constants, which_data normalisation and meta data semantics."""
import numpy as np
import pytest

from conftest import load_case
import qpgo
import qpgo.qpimage as qpimage
from qpgo.qpimage import QPImage, MetaDict, META_KEYS
from qpgo.qpimage.meta import (DATA_KEYS, OTHER_KEYS, MetaDataMissingError)
from qpgo.qpimage import bg_estimate, core, image_data
from qpgo.qpimage.integrity_check import IntegrityCheckError


def test_meta_keys_fixture():
    exp = load_case("meta_keys")["expected"]
    assert META_KEYS == exp["META_KEYS"]
    assert DATA_KEYS == exp["DATA_KEYS"]
    assert OTHER_KEYS == exp["OTHER_KEYS"]
    assert bg_estimate.VALID_FIT_OFFSETS == exp["VALID_FIT_OFFSETS"]
    assert bg_estimate.VALID_FIT_PROFILES == exp["VALID_FIT_PROFILES"]
    assert image_data.VALID_BG_KEYS == exp["VALID_BG_KEYS"]
    assert [list(v) if isinstance(v, tuple) else v
            for v in core.VALID_INPUT_DATA] == exp["VALID_INPUT_DATA"]


def test_meta_keys_match_library():
    """Every key the Python list knows is a key the C library accepts (and
    an unknown one is rejected), checked through qpi_set_meta."""
    qpi = QPImage(np.zeros((3, 3)), proc_phase=False)
    for key in META_KEYS:
        qpi[key] = "x" if key in ("date", "device", "identifier",
                                  "qpimage version", "sim model",
                                  "software") else 1.0
    assert sorted(qpi.meta.keys()) == sorted(META_KEYS)
    from qpgo import _lib
    with pytest.raises(KeyError):
        _lib.call("qpi_set_meta", qpi._handle, b'{"peter": 1.0}')


def test_versions():
    assert qpimage.__version__ == "0.9.3"
    assert qpgo.__version__ == "0.1.0"


def test_which_data_normalisation_fixture():
    case = load_case("which_data_normalisation")
    for item in case["expected"]["results"]:
        inp = item["input"]
        if "error" in item:
            assert item["error"] == "ValueError"
            with pytest.raises(ValueError) as exc:
                QPImage._conv_which_data(inp)
            assert str(exc.value) == item["message"]
        else:
            res = QPImage._conv_which_data(inp)
            exp = item["result"]
            if isinstance(exp, list):
                assert res == tuple(exp), inp
            else:
                assert res == exp, inp


def test_exception_classes():
    assert issubclass(MetaDataMissingError, BaseException)
    assert not issubclass(MetaDataMissingError, Exception)
    assert issubclass(IntegrityCheckError, BaseException)
    assert not issubclass(IntegrityCheckError, Exception)
    assert issubclass(qpgo.CancelledError, RuntimeError)


def test_meta_missing_not_caught_by_exception():
    qpi = QPImage(np.zeros((3, 3)), proc_phase=False)
    with pytest.raises(MetaDataMissingError) as exc:
        try:
            qpi["wavelength"]
        except Exception:  # must not catch it
            pytest.fail("MetaDataMissingError caught by `except Exception`")
    assert str(exc.value) == (
        "No meta data was defined for 'wavelength'! Please make sure you "
        "passed the dictionary `meta_data` when you loaded your data.")


def test_meta_unknown_key():
    qpi = QPImage(np.zeros((3, 3)), proc_phase=False)
    with pytest.raises(KeyError) as exc:
        qpi["peter"]
    assert exc.value.args[0] == "Unknown meta key: 'peter'"
    with pytest.raises(KeyError) as exc:
        qpi["peter"] = 1
    assert exc.value.args[0] == "Unknown meta data key: peter"
    with pytest.raises(KeyError):
        QPImage(np.zeros((3, 3)), meta_data={"peter": 1}, proc_phase=False)


def test_metadict():
    md = MetaDict({"wavelength": 1.0})
    assert md["wavelength"] == 1.0
    with pytest.raises(KeyError):
        MetaDict({"wavelenght": 1.0})
    with pytest.raises(KeyError):
        md["x"] = 1
    with pytest.raises(MetaDataMissingError):
        md["time"]

    class Sub(MetaDict):
        valid_keys = ["a"]
    assert Sub({"a": 1})["a"] == 1


def test_meta_value_types():
    qpi = QPImage(np.zeros((3, 3)), proc_phase=False,
                  meta_data={"angle": 0, "wavelength": 5e-7,
                             "sim center": (8, 9.5), "identifier": "i",
                             "time": np.float64(2), "pos x": np.int64(3),
                             "focus": float("nan")})
    m = qpi.meta
    assert type(m["angle"]) is int and m["angle"] == 0
    assert type(m["wavelength"]) is float
    assert m["sim center"].dtype == np.float64
    assert list(m["sim center"]) == [8.0, 9.5]
    assert type(m["time"]) is float and m["time"] == 2.0
    assert type(m["pos x"]) is int
    assert np.isnan(m["focus"])
    qpi["sim center"] = [1, 2]
    assert qpi["sim center"].dtype == np.int64
    qpi["pos y"] = float("inf")
    assert qpi["pos y"] == float("inf")
