"""qpgo: Python bindings of libqpgo (qpimage / flimage / imageseries in Go).

Sub-packages :mod:`qpgo.qpimage`, :mod:`qpgo.flimage` and
:mod:`qpgo.imageseries` mirror upstream ``qpimage`` 0.9.3, ``flimage``
0.3.3 and ``hexrd.imageseries``.
"""
from ._lib import CancelledError, version as _version

#: alias (a RuntimeError subclass raised for QPGO_ERR_CANCELLED)
Cancelled = CancelledError

try:
    __version__ = _version()
except OSError:  # library missing: importing still works, calls fail
    __version__ = "unknown"

from ._limits import get_limits, set_limits  # noqa: E402,F401
from . import qpimage  # noqa: E402,F401
from . import flimage  # noqa: E402,F401
from . import imageseries  # noqa: E402,F401
