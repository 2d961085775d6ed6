# flake8: noqa: F401
"""qpgo.nrefocus: drop-in for nrefocus 0.5.3 (numerical refocusing)

The interface objects (:class:`RefocusNumpy`, :class:`RefocusPyFFTW`,
:class:`RefocusNumpy1D`), the pixel-unit functions (:func:`refocus`,
:func:`autofocus`, ...), :mod:`pad`, the focus metrics and the legacy
minimizer compute in libqpgo (Go package core/refocus). The "lmfit"
minimizer drives the third-party lmfit optimiser over libqpgo's metrics.
"""
from .autof import autofocus, autofocus_stack
from .propg import refocus, refocus_stack
from . import pad
from .iface import RefocusNumpy, RefocusNumpy1D, RefocusPyFFTW, \
    get_best_interface
from . import iface, metrics, minimizers, roi_handling, legacy

#: version of the nrefocus API mirrored
__version__ = "0.5.3"
