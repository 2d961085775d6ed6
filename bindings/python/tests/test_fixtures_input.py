"""Constructor input layouts against upstream fixtures (which_data_*,
unwrap_*, oah_*, qlsi_*): data/bg conversion through the binding."""
import json

import numpy as np
import pytest

from conftest import load_case, resolve, assert_close, fixtures_dir
from qpgo.qpimage import QPImage


def _cases(prefixes, kinds):
    manifest = json.loads((fixtures_dir() / "manifest.json").read_text())
    return sorted(c["name"] for c in manifest["cases"]
                  if c["kind"] in kinds and c["name"].startswith(prefixes))


INPUT_CASES = _cases(("which_data_",), {"which_data"})
UNWRAP_CASES = _cases(("unwrap_",), {"unwrap"})
# the deprecated holo_kw case has its own test (test_holo_kw_deprecated)
RAW_CASES = [c for c in _cases(("oah_", "qlsi_"), {"oah", "qlsi", "hologram", "raw"})
             if c != "oah_holo_kw_deprecated"]

NAMES = ["raw_pha", "raw_amp", "bg_pha", "bg_amp", "pha", "amp"]


def _check(case, qpi, skip=()):
    exp, tol = case["expected"], case["tolerance"]
    for name in NAMES:
        if name in exp and name not in skip:
            assert_close(getattr(qpi, name), resolve(case, exp[name]),
                         tol[name], name)
    assert qpi.shape == tuple(exp["shape"])
    assert qpi.dtype == np.dtype(exp["storage_dtype"])


def test_input_cases_found():
    assert len(INPUT_CASES) >= 10


@pytest.mark.parametrize("name", INPUT_CASES)
def test_which_data_cases(name):
    case = load_case(name)
    p = case["params"]
    inp = {k: resolve(case, v) for k, v in case["inputs"].items()}
    keys = list(inp)
    if p["which_data"] in ("phase", "field"):
        data = inp[keys[0]]
        bg = inp[keys[1]] if len(keys) > 1 else None
    else:  # tuple/list input (phase first)
        data = (inp[keys[0]], inp[keys[1]]) if name.endswith("amplitude") \
            or name.endswith("float64") else [inp[keys[0]], inp[keys[1]]]
        bg = None
    qpi = QPImage(data=data, bg_data=bg, which_data=p["which_data"],
                  proc_phase=p["proc_phase"], h5dtype=p["h5dtype"])
    _check(case, qpi)


@pytest.mark.parametrize("name", UNWRAP_CASES)
def test_unwrap_cases(name):
    case = load_case(name)
    inp = {k: resolve(case, v) for k, v in case["inputs"].items()}
    data = inp.get("wrapped", next(iter(inp.values())))
    qpi = QPImage(data=data, which_data="phase", proc_phase=True)
    exp, tol = case["expected"], case["tolerance"]
    if "seed_agree_mask" in exp:
        # noisy case: exact where all seeds agree, 2*pi*k elsewhere
        mask = resolve(case, exp["seed_agree_mask"])
        ref = resolve(case, exp["raw_pha"]).astype(float)
        got = qpi.raw_pha.astype(float)
        assert np.array_equal(got[mask], ref[mask], equal_nan=True)
        k = (got - ref) / (2 * np.pi)
        assert np.allclose(k, np.round(k), atol=1e-4, equal_nan=True)
    else:
        _check(case, qpi)


def test_raw_cases_found():
    assert RAW_CASES, "no oah/qlsi cases in the manifest"


@pytest.mark.parametrize("name", RAW_CASES)
def test_raw_cases(name):
    case = load_case(name)
    p = case["params"]
    inp = {k: resolve(case, v) for k, v in case["inputs"].items()}
    kw = dict(p.get("qpretrieve_kw") or {})
    assert "holo_kw" not in p, "holo_kw cases belong to test_holo_kw_deprecated"
    if p["which_data"] == "raw-qlsi":
        data = inp["qlsi"]
        bg = inp.get("qlsi_ref") if p.get("reference") else None
    else:
        data = inp["holo"]
        bg = inp.get("bg_holo", inp.get("holo_bg"))
    qpi = QPImage(data=data, bg_data=bg, which_data=p["which_data"],
                  qpretrieve_kw=kw,
                  proc_phase=p.get("proc_phase", True),
                  h5dtype=p.get("h5dtype", "float32"))
    _check(case, qpi)


def test_holo_kw_deprecated():
    case = load_case("oah_holo_kw_deprecated")
    p = case["params"]
    holo = resolve(case, case["inputs"]["holo"])
    with pytest.warns(DeprecationWarning, match="holo_kw"):
        qpi = QPImage(data=holo, which_data="raw-oah", holo_kw=p["holo_kw"])
    assert qpi.qpretrieve_kw == p["qpretrieve_kw_mapped"]
    _check(case, qpi)
