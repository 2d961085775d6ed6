"""Integrity checks (upstream ``qpimage.integrity_check``), run by libqpgo."""
import os

from .. import _lib

#: valid checks
VALID_CHECKS = ["attributes", "background"]


# defined in the bottom module (one class for the result-code table)
from .._errors import IntegrityCheckError  # noqa: E402,F401


def _checks_arg(checks):
    if checks is None:
        checks = VALID_CHECKS
    if isinstance(checks, str):
        checks = [checks]
    checks = list(checks)
    for ch in checks:
        if ch not in VALID_CHECKS:
            # upstream formats the function object here (spec §10 D3)
            raise ValueError("No such integrity check: {}".format(ch))
    return ",".join(checks)


def check(qpi_or_h5file, checks=["attributes", "background"]):
    """Check QPImage integrity

    Parameters
    ----------
    qpi_or_h5file: qpgo.qpimage.QPImage or str or pathlib.Path
        A QPImage or a path to a QPImage file (opened read-only)
    checks: list of str or str
        Which checks to perform ("attributes" and/or "background")

    Raises
    ------
    IntegrityCheckError
        if the checks fail
    """
    arg = _lib.cstr(_checks_arg(checks))
    from .core import QPImage
    if isinstance(qpi_or_h5file, QPImage):
        _lib.call("qpi_check", qpi_or_h5file._handle, arg)
    elif isinstance(qpi_or_h5file, (str, os.PathLike)):
        _lib.call("qpi_check_file", _lib.cstr(qpi_or_h5file), arg)
    else:
        raise TypeError("`qpi_or_h5file` must be a QPImage or a path, got "
                        "{}".format(type(qpi_or_h5file).__name__))


def check_attributes(qpi):
    check(qpi, checks="attributes")


def check_background(qpi):
    check(qpi, checks="background")
