# flake8: noqa: F401
"""Fourier transform interfaces (qpretrieve.fourier); both classes run
their transforms in libqpgo."""
import warnings

from .base import FFTCache, FFTFilter
from .ff_numpy import FFTFilterNumpy
from .ff_pyfftw import FFTFilterPyFFTW

#: name of the interface class get_best_interface should return, if set
PREFERRED_INTERFACE = None


def get_best_interface():
    """Return the fastest Fourier interface available

    :class:`.FFTFilterPyFFTW` unless :const:`PREFERRED_INTERFACE` names
    another available class (a warning is given for an unknown name).
    """
    ordered_candidates = [
        FFTFilterPyFFTW,
        FFTFilterNumpy,
    ]
    if PREFERRED_INTERFACE is not None:
        for cand in ordered_candidates:
            if (cand is not None
                    and cand.is_available
                    and cand.__name__ == PREFERRED_INTERFACE):
                return cand
        warnings.warn(
            f"Preferred interface '{PREFERRED_INTERFACE}' unavailable!")

    for cand in ordered_candidates:
        if cand is not None and cand.is_available:
            return cand
