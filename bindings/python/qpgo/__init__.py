"""qpgo: Python bindings of libqpgo (qpimage / flimage / imageseries in Go).

Sub-package :mod:`qpgo.qpimage` mirrors the upstream ``qpimage`` package.
"""
from ._lib import CancelledError, version as _version

#: alias (a RuntimeError subclass raised for QPGO_ERR_CANCELLED)
Cancelled = CancelledError

try:
    __version__ = _version()
except OSError:  # library missing: importing still works, calls fail
    __version__ = "unknown"

from . import qpimage  # noqa: E402,F401
