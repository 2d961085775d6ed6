#!/usr/bin/python3
"""Compare qpgo with the installed upstream libraries on generated inputs.

Usage
-----
    /usr/bin/python3 scripts/compare_upstream.py [-v] [-k SUBSTRING] [MODULE ...]

Every module in scripts/compare/ (or only the MODULEs named) defines

    def cases():
        yield name, run_upstream, run_qpgo, tol

where run_upstream and run_qpgo are zero-argument callables returning a
numpy array (real or complex) and tol is the allowed
max|upstream - qpgo| / max|upstream|. A case passes when both arrays
have the same shape and are within tol, or when both callables raise an
exception of the same class. One line is printed per failing case
(every case with -v), then ``compare: P/T cases pass``; the exit status
is 1 if any case fails.

The upstream packages come from the oracle installation /tmp/qpgo-ref
(its env.sh; QPGO_REF_ROOT overrides the directory). Without it the
script prints ``SKIP: oracle not installed (...)`` and exits 0, so CI
without the oracle skips it loudly. qpgo is imported from this
checkout's bindings/python with QPGO_LIBRARY defaulting to
build/libqpgo.so.
"""
import argparse
import importlib
import os
import pathlib
import re
import sys
import time
import traceback
import warnings

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
REF_ROOT = pathlib.Path(os.environ.get("QPGO_REF_ROOT", "/tmp/qpgo-ref"))


def oracle_paths():
    """The upstream package directories listed in the oracle's env.sh."""
    env = REF_ROOT / "env.sh"
    if not env.is_file():
        return None
    paths = []
    for line in env.read_text().splitlines():
        m = re.match(r'\s*export\s+PYTHONPATH="?([^"]*)"?', line)
        if m:
            value = re.sub(r"\$\{[^}]*\}", "", m.group(1))
            paths += [p for p in value.split(":") if p and "$" not in p]
    return paths


def compare(a, b, tol):
    """None if the arrays agree within tol, else a description."""
    a = np.asarray(a)
    b = np.asarray(b)
    if a.shape != b.shape:
        return "shape upstream {} != qpgo {}".format(a.shape, b.shape)
    if a.size == 0:
        return None
    scale = np.max(np.abs(a))
    diff = np.max(np.abs(a.astype(complex) - b.astype(complex)))
    if not np.isfinite(diff):
        same = np.array_equal(np.isnan(a), np.isnan(b)) and \
            np.allclose(a[~np.isnan(a)], b[~np.isnan(b)], rtol=0,
                        atol=tol * (scale if scale else 1))
        return None if same else "non-finite values differ"
    rel = diff / scale if scale > 0 else diff
    if rel > tol:
        return "max|diff|/max|upstream| = {:.3g} > {:.0e}".format(rel, tol)
    return None


def run_case(run_upstream, run_qpgo, tol):
    errs = []
    results = []
    for fn in (run_upstream, run_qpgo):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                results.append(fn())
            errs.append(None)
        except Exception as exc:  # compared below
            results.append(None)
            errs.append(exc)
    eu, eq = errs
    if eu is not None or eq is not None:
        if eu is not None and eq is not None and type(eu) is type(eq):
            return None
        return "upstream raised {!r}, qpgo raised {!r}".format(eu, eq)
    return compare(results[0], results[1], tol)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("modules", nargs="*", help="modules of scripts/compare")
    ap.add_argument("-k", default="", help="only cases whose name contains this")
    ap.add_argument("-v", action="store_true", help="print every case")
    args = ap.parse_args(argv)

    paths = oracle_paths()
    if paths is None:
        print("SKIP: oracle not installed ({} missing): no comparison with "
              "upstream was run".format(REF_ROOT / "env.sh"))
        return 0
    sys.path[:0] = [str(HERE)] + paths + [str(ROOT / "bindings" / "python")]
    os.environ.setdefault("QPGO_LIBRARY", str(ROOT / "build" / "libqpgo.so"))

    names = args.modules or sorted(
        p.stem for p in (HERE / "compare").glob("*.py")
        if not p.stem.startswith("_"))
    total = passed = 0
    t0 = time.time()
    for name in names:
        mod = importlib.import_module("compare." + name)
        for case in mod.cases():
            cname, run_up, run_qp, tol = case
            full = "{}/{}".format(name, cname)
            if args.k and args.k not in full:
                continue
            total += 1
            try:
                msg = run_case(run_up, run_qp, tol)
            except Exception:
                msg = "comparison failed: " + traceback.format_exc(limit=2)
            if msg is None:
                passed += 1
                if args.v:
                    print("PASS", full)
            else:
                print("FAIL", full, msg)
            sys.stdout.flush()
    print("compare: {}/{} cases pass ({:.0f} s)".format(passed, total,
                                                        time.time() - t0))
    return 0 if passed == total else 1


if __name__ == "__main__":
    sys.exit(main())
