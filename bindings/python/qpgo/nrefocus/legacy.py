"""Deprecated propagation functions of nrefocus (computed in libqpgo)"""
import warnings

import numpy as np

from .iface.base import Refocus


class _Spectrum(Refocus):
    """An interface object around a given spectrum (pixel units)"""

    def __init__(self, fftfield, nm, res, method):
        self.wavelength = res
        self.pixel_size = 1
        self.medium_index = nm
        self.distance = 0
        self.kernel = method
        self.padding = False
        self.origin = None
        self.fft_origin = np.asarray(fftfield, dtype=complex)


def _propagate(fftfield, d, nm, res, method, ret_fft):
    rf = _Spectrum(fftfield, nm, res, method)
    try:
        if ret_fft:
            return rf.fft_origin * rf.get_kernel(d)
        return rf.propagate(d)
    except KeyError:
        raise ValueError("Unknown method: {}".format(method))


def fft_propagate(fftfield, d, nm, res, method="helmholtz", ret_fft=False):
    """Propagate a 1D or 2D Fourier transformed field

    Parameters
    ----------
    fftfield : 1d or 2d ndarray
        Fourier transform of the field
    d : float
        Distance to be propagated in pixels (negative for backwards)
    nm : float
        Refractive index of medium
    res : float
        Wavelength in pixels
    method : str
        "helmholtz" or "fresnel"
    ret_fft : bool
        Return the propagated field in Fourier space

    Returns
    -------
    Electric field at `d` (or its Fourier transform)
    """
    warnings.warn("Please don't use the `fft_propagate` method. You will "
                  "find the `nrefocus.Refocus*` classes much more useful "
                  "and more convenient to work with!", DeprecationWarning)
    ndim = len(np.shape(fftfield))
    assert ndim in [1, 2], "Dimension of `fftfield` must be 1 or 2."
    if ndim == 1:
        return fft_propagate_2d(fftfield, d, nm, res, method, ret_fft)
    return fft_propagate_3d(fftfield, d, nm, res, method, ret_fft)


def fft_propagate_2d(fftfield, d, nm, res, method="helmholtz",
                     ret_fft=False):
    """Propagate a 1D Fourier transformed field in 2D (see
    :func:`fft_propagate`)"""
    assert len(np.shape(fftfield)) == 1, "Dimension of `fftfield` must be 1."
    return _propagate(fftfield, d, nm, res, method, ret_fft)


def fft_propagate_3d(fftfield, d, nm, res, method="helmholtz",
                     ret_fft=False):
    """Propagate a 2D Fourier transformed field in 3D (see
    :func:`fft_propagate`)"""
    assert len(np.shape(fftfield)) == 2, "Dimension of `fftfield` must be 2."
    return _propagate(fftfield, d, nm, res, method, ret_fft)
