"""Refocusing functions in pixel units (nrefocus 0.5.3 ``propg``)"""
import multiprocessing as mp

import numpy as np

from . import iface

__all__ = ["refocus", "refocus_stack"]

_cpu_count = mp.cpu_count()

#: made-up pixel size of the pixel-unit functions (as upstream)
_PIXEL_SIZE = 1e-6


def _iface_class(field):
    ndim = len(np.shape(field))
    if ndim == 1:
        return iface.RefocusNumpy1D
    if ndim == 2:
        return iface.RefocusNumpy
    raise AssertionError("Dimension of `field` must be 1 or 2.")


def refocus(field, d, nm, res, method="helmholtz", padding=True):
    """Refocus a 1D or 2D field

    Parameters
    ----------
    field : 1d or 2d array
        Background corrected electric field (Ex/BEx)
    d : float
        Distance to be propagated in pixels (negative for backwards)
    nm : float
        Refractive index of medium
    res : float
        Wavelength in pixels
    method : str
        "helmholtz" or "fresnel"
    padding : bool
        Pad with a linear ramp from edge to average to reduce ringing

    Returns
    -------
    Electric field at `d`.
    """
    rf = _iface_class(field)(field=field, wavelength=res * _PIXEL_SIZE,
                             pixel_size=_PIXEL_SIZE, medium_index=nm,
                             distance=0, kernel=method, padding=padding)
    return rf.propagate(distance=d * _PIXEL_SIZE)


def refocus_stack(fieldstack, d, nm, res, method="helmholtz",
                  num_cpus=_cpu_count, copy=True, padding=True):
    """Refocus a stack of 1D or 2D fields (first axis: the fields)

    `num_cpus` is accepted for compatibility; libqpgo parallelises each
    propagation itself. With `copy` False the input stack is overwritten.

    Returns
    -------
    Electric field stack at `d`.
    """
    result = [refocus(fieldstack[m], d, nm, res, method=method,
                      padding=padding) for m in range(fieldstack.shape[0])]
    if copy:
        data = np.zeros(fieldstack.shape, dtype=result[0].dtype)
    else:
        data = fieldstack
    for m, r in enumerate(result):
        data[m] = r
    return data
