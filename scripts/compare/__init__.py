"""Case modules of scripts/compare_upstream.py.

Each module defines ``cases()`` yielding ``(name, run_upstream, run_qpgo,
tol)``: run_* are zero-argument callables returning a numpy array, tol the
allowed max|upstream - qpgo| / max|upstream|.
"""
