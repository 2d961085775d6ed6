"""Linear-ramp padding (nrefocus 0.5.3 ``nrefocus.pad``); computed in libqpgo
"""
import numpy as np

from . import _core


def _get_pad_left_right(small, large):
    """Left and right pad widths; an odd remainder goes to the right"""
    assert small < large, "Can only pad when new size larger than old size"
    left = (large - small) // 2
    return int(left), int(large - small - left)


def pad_add(av, size=None, stlen=10):
    """Pad a 1D or 2D array with a linear ramp to its border average

    The ramps run from the array's edges outwards to one value: for complex
    arrays mean(|b|)·exp(i·mean(angle(b))) of the border band ``b`` of
    width `stlen`, for real arrays mean(b). The pads are appended (right
    and bottom).

    Parameters
    ----------
    av: 1D or 2D ndarray
        Array to pad
    size: int or tuple, optional
        Padded size; defaults to twice the input size
    stlen: int
        Width of the border band that gives the pad value

    Returns
    -------
    pv: ndarray
        Padded array of the dtype of `av`
    """
    av = np.asarray(av)
    if size is None:
        size = [int(2 * s) for s in av.shape]
    elif not hasattr(size, "__len__"):
        size = [size]
    assert av.ndim in [1, 2], "Only 1D and 2D arrays!"
    assert av.ndim == len(size), "`size` must have same length as `av.shape`!"
    for small, large in zip(av.shape, size):
        _get_pad_left_right(small, large)
    out, mode = _core.pad_add(av, size, stlen)
    if mode != _core.PAD_COMPLEX:
        out = out.real
    return out.astype(av.dtype, copy=False)


def pad_rem(pv, size=None):
    """Remove the padding added by :func:`pad_add` (top-left part)

    Parameters
    ----------
    pv: 1D or 2D ndarray
        Padded array
    size: int or tuple, optional
        Size of the result; defaults to half the input size

    Returns
    -------
    av: ndarray
        View of the top-left `size` part of `pv`
    """
    if size is None:
        size = []
        for s in pv.shape:
            assert s % 2 == 0, "Uneven size; specify correct size of output!"
            size.append(int(s / 2))
    elif not hasattr(size, "__len__"):
        size = [size]
    assert len(pv.shape) in [1, 2], "Only 1D and 2D arrays!"
    assert len(pv.shape) == len(size), \
        "`size` must have same length as `av.shape`!"
    return pv[tuple(slice(None, int(s)) for s in size)]
