# flake8: noqa: F401
from .rf_numpy import RefocusNumpy
from .rf_numpy_1d import RefocusNumpy1D
from .rf_pyfftw import RefocusPyFFTW


def get_best_interface():
    """Return the fastest refocusing interface available

    In qpgo every interface computes in libqpgo; this is
    :class:`RefocusPyFFTW`, as upstream with pyfftw installed.
    """
    return RefocusPyFFTW
