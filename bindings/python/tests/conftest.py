"""Shared helpers of the qpgo Python tests.

Fixtures are read from ``<repo>/../shared/fixtures`` (override with the
environment variable QPGO_FIXTURES); a missing fixture directory is a
test failure, never a skip.
"""
import json
import os
import pathlib
import sys

import numpy as np
import pytest

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[2]          # tests -> python -> bindings -> repo
sys.path.insert(0, str(HERE.parent))


def fixtures_dir():
    env = os.environ.get("QPGO_FIXTURES")
    path = pathlib.Path(env) if env else REPO.parent / "shared" / "fixtures"
    if not path.is_dir():
        raise AssertionError(
            "fixture directory {} is missing (set QPGO_FIXTURES)".format(path))
    return path


def load_case(name):
    d = fixtures_dir() / name
    cj = d / "case.json"
    if not cj.is_file():
        raise AssertionError("fixture case {} is missing".format(cj))
    case = json.loads(cj.read_text())
    case["_dir"] = d
    return case


def resolve(case, value):
    """A file reference of a case (npy/json/txt) or the literal value."""
    if isinstance(value, str) and (case["_dir"] / value).is_file():
        p = case["_dir"] / value
        if value.endswith(".npy"):
            return np.load(p, allow_pickle=False)
        if value.endswith(".json"):
            return json.loads(p.read_text())
        if value.endswith(".txt"):
            return p.read_text()
        return p
    return value


def assert_close(actual, expected, rule, name=""):
    """Compare by a fixture tolerance rule (exact or atol/rtol)."""
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.shape == expected.shape, (name, actual.shape,
                                            expected.shape)
    if rule.get("exact"):
        if np.iscomplexobj(expected) or np.iscomplexobj(actual):
            ok = np.array_equal(actual, expected, equal_nan=True)
        else:
            ok = np.array_equal(actual.astype(np.float64),
                                expected.astype(np.float64), equal_nan=True)
        assert ok, "{}: not exactly equal (max diff {})".format(
            name, np.nanmax(np.abs(actual.astype(complex)
                                   - expected.astype(complex))))
    else:
        assert np.array_equal(np.isnan(actual), np.isnan(expected)), name
        m = ~np.isnan(expected)
        diff = np.abs(actual[m] - expected[m])
        lim = rule.get("atol", 0) + rule.get("rtol", 0) * np.abs(expected[m])
        assert np.all(diff <= lim), "{}: max diff {}".format(name, diff.max())


def typed_ok(value, typ):
    """Whether a Python value has the type a typed fixture value names."""
    if typ == "float64":
        return isinstance(value, float)
    if typ == "int64":
        return isinstance(value, int) and not isinstance(value, bool)
    if typ == "str":
        return isinstance(value, str)
    if typ == "bytes":
        return isinstance(value, np.bytes_)
    if typ == "bool":
        return isinstance(value, bool)
    if typ.startswith("float64["):
        n = int(typ[8:-1])
        return isinstance(value, np.ndarray) and value.dtype == np.float64 \
            and value.shape == (n,)
    raise AssertionError("unknown fixture type " + typ)


def typed_equal(value, expected, typ):
    assert typed_ok(value, typ), (value, type(value), typ)
    if typ == "bytes":
        return value == expected.encode()
    if typ.startswith("float64["):
        return np.array_equal(value, np.array(expected, dtype=float))
    return value == expected


