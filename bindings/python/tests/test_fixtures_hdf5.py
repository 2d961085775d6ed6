"""QPImage files written by upstream qpimage 0.9.3 open with equal values."""
import shutil

import numpy as np
import pytest

from conftest import (load_case, resolve, assert_close, typed_equal,
                      typed_ok, fixtures_dir)
from qpgo.qpimage import QPImage

QPIMAGE_CASES = ["h5_qpimage_copy_from_memory", "h5_qpimage_field",
                 "h5_qpimage_float64", "h5_qpimage_full"]


def test_case_list_complete():
    import json
    manifest = json.loads((fixtures_dir() / "manifest.json").read_text())
    names = sorted(c["name"] for c in manifest["cases"]
                   if c["kind"] == "hdf5_qpimage")
    assert names == sorted(QPIMAGE_CASES)


@pytest.fixture(params=QPIMAGE_CASES)
def opened(request, tmp_path):
    case = load_case(request.param)
    src = case["_dir"] / case["expected"]["file"]
    assert src.is_file(), src
    path = tmp_path / src.name  # never open the shared fixture itself
    shutil.copy(src, path)
    qpi = QPImage(h5file=path, h5mode="r")
    yield case, qpi
    qpi.close()


ARRAYS = ["raw_pha", "raw_amp", "bg_pha", "bg_amp", "pha", "amp", "field"]


def test_arrays(opened):
    case, qpi = opened
    exp, tol = case["expected"], case["tolerance"]
    for name in ARRAYS:
        if name not in exp:
            continue
        assert_close(getattr(qpi, name), resolve(case, exp[name]),
                     tol[name], name)
    assert qpi.shape == tuple(exp["shape"])
    assert qpi.dtype == np.dtype(exp["storage_dtype"])
    assert qpi.raw_pha.dtype == np.dtype(exp["storage_dtype"])
    assert qpi.pha.dtype == np.float64


def test_bg_datasets(opened):
    case, qpi = opened
    exp, tol = case["expected"], case["tolerance"]
    for image in ["amplitude", "phase"]:
        imdat = qpi._amp if image == "amplitude" else qpi._pha
        for key in ["data", "fit"]:
            name = "{}_bg_{}".format(image, key)
            if name in exp:
                assert_close(imdat.get_bg(key), resolve(case, exp[name]),
                             tol[name], name)
            elif image == "phase" or case["name"] != "h5_qpimage_float64":
                # absent -> KeyError (float64 case: amplitude data exists)
                if name not in exp and key == "fit":
                    with pytest.raises(KeyError):
                        imdat.get_bg(key)


def test_meta(opened):
    case, qpi = opened
    meta = qpi.meta
    exp = case["expected"]["meta"]
    assert sorted(meta.keys()) == sorted(exp.keys())
    for key, tv in exp.items():
        assert typed_equal(meta[key], tv["value"], tv["type"]), key
        assert typed_equal(qpi[key], tv["value"], tv["type"]), key
        assert key in qpi


def test_info(opened):
    case, qpi = opened
    info = qpi.info
    exp = case["expected"]["info"]
    assert [i[0] for i in info] == [e[0] for e in exp]
    for (name, value), (ename, evalue, etype) in zip(info, exp):
        assert typed_ok(value, etype), (name, value, etype)
        assert typed_equal(value, evalue, etype), (name, value, evalue)


def test_repr(opened):
    case, qpi = opened
    if "repr" in case["expected"]:
        assert repr(qpi) == case["expected"]["repr"]
    else:  # float64 case has no identifier: hex id
        assert repr(qpi).startswith("QPImage <0x")

# The QPSeries file (h5_qpseries) is tested in test_qpseries.py.
