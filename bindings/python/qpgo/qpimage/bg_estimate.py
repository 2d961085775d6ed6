"""Background estimation (upstream ``qpimage.bg_estimate``), run by libqpgo.

Differences from upstream:

- :func:`offset_gaussian` returns the fitted centre as a float (upstream
  returns the ``lmfit.Parameter`` ``center``; ``float(param)`` of that gives
  the same number).
- The lmfit model/residual helpers (``poly2o_model``, ``poly2o_residual``,
  ``tilt_model``, ``tilt_residual``) are not provided: the fits run in the
  C library.
"""
import ctypes

import numpy as np

from .. import _lib

#: valid values for background fitting offset
VALID_FIT_OFFSETS = ["fit", "gauss", "mean", "mode"]
#: valid values for background fitting profile
VALID_FIT_PROFILES = ["offset", "poly2o", "tilt"]


def _image(data):
    arr = _lib.as_f64(data, "data")
    if arr.ndim != 2:
        raise ValueError("`data` must be a 2d array, got shape "
                         "{}".format(arr.shape))
    return arr


def _mask_arg(mask, shape, what):
    if mask is None:
        return None
    mask = np.asarray(mask)
    if mask.shape != tuple(shape):
        raise ValueError("`{}` of shape {} does not match the data shape "
                         "{}".format(what, mask.shape, tuple(shape)))
    return np.ascontiguousarray(mask != 0, dtype=np.uint8)


def estimate(data, fit_offset="mean", fit_profile="tilt",
             border_px=0, from_mask=None, ret_mask=False):
    """Estimate the background value of an image

    Parameters
    ----------
    data: np.ndarray
        Data from which to compute the background value
    fit_profile: str
        The type of background profile to fit ("offset", "poly2o",
        "tilt")
    fit_offset: str
        The method for computing the profile offset ("fit", "gauss",
        "mean", "mode")
    border_px: float
        Assume that a frame of `border_px` pixels around the image is
        background.
    from_mask: boolean np.ndarray or None
        Use a boolean array to define the background area. The mask is
        intersected with the border frame if `border_px` > 0.
    ret_mask: bool
        Return the mask used to compute the background.

    Returns
    -------
    bg: np.ndarray
        The computed background (float64)
    mask: np.ndarray (bool)
        Only with `ret_mask`: the mask used
    """
    # validation order and messages as upstream
    if fit_profile not in VALID_FIT_PROFILES:
        msg = "`fit_profile` must be one of {}, got '{}'".format(
            VALID_FIT_PROFILES, fit_profile)
        raise ValueError(msg)
    if fit_offset not in VALID_FIT_OFFSETS:
        msg = "`fit_offset` must be one of {}, got '{}'".format(
            VALID_FIT_OFFSETS, fit_offset)
        raise ValueError(msg)
    if from_mask is not None:
        assert isinstance(from_mask, np.ndarray)
    arr = _image(data)
    fm = _mask_arg(from_mask, arr.shape, "from_mask")
    bg = np.empty(arr.shape, dtype=np.float64)
    mask = np.zeros(arr.shape, dtype=np.uint8)
    opts = {"fit_offset": fit_offset, "fit_profile": fit_profile,
            "border_px": border_px}
    _lib.call("qpgo_bg_estimate", _lib.ptr(arr), arr.shape[0],
              arr.shape[1], _lib.cstr(_lib.to_json(opts)), _lib.ptr(fm),
              _lib.ptr(bg), _lib.ptr(mask))
    if ret_mask:
        return bg, mask.astype(bool)
    return bg


def _values(data):
    v = np.ascontiguousarray(np.ravel(data), dtype=np.float64)
    if v.size == 0:
        raise ValueError("`data` must not be empty")
    return v


def offset_gaussian(data):
    """Fit a gaussian model to `data` and return its center

    Returns a float (upstream: the lmfit Parameter ``center``).
    """
    v = _values(data)
    out = ctypes.c_double(0)
    _lib.call("qpgo_bg_offset_gaussian", _lib.ptr(v), v.size,
              ctypes.byref(out))
    return out.value


def offset_mode(data):
    """Compute Mode using a histogram with `sqrt(data.size)` bins"""
    v = _values(data)
    out = ctypes.c_double(0)
    _lib.call("qpgo_bg_offset_mode", _lib.ptr(v), v.size, ctypes.byref(out))
    return out.value


def _profile(data, mask, name):
    arr = _image(data)
    m = _mask_arg(mask, arr.shape, "mask")
    bg = np.empty(arr.shape, dtype=np.float64)
    _lib.call("qpgo_bg_profile", _lib.ptr(arr), arr.shape[0], arr.shape[1],
              _lib.cstr(name), _lib.ptr(m), _lib.ptr(bg))
    return bg


def profile_tilt(data, mask):
    """Fit a 2D tilt to `data[mask]`; the background image (float64)"""
    return _profile(data, mask, "tilt")


def profile_poly2o(data, mask):
    """Fit a 2D 2nd order polynomial to `data[mask]`; the background"""
    return _profile(data, mask, "poly2o")


__all__ = ["VALID_FIT_OFFSETS", "VALID_FIT_PROFILES", "estimate",
           "offset_gaussian", "offset_mode", "profile_tilt",
           "profile_poly2o"]
