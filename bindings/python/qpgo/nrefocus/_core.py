"""ctypes translation for qpgo.nrefocus (numerics in libqpgo, core/refocus).

Complex arrays cross the C ABI as C-ordered complex128; a 1-D array is a
1×n grid with ``ndim=1``.
"""
import ctypes

import numpy as np

from .. import _lib

#: pad modes of qpgo_nrf_pad_add / qpgo_nrf_spectrum
PAD_COMPLEX, PAD_REAL, PAD_INTEGER = 0, 1, 2


def as_grid(arr):
    """(complex128 C-contiguous array, rows, cols, ndim, pad mode)"""
    arr = np.asarray(arr)
    if arr.ndim not in (1, 2):
        raise AssertionError("Only 1D and 2D arrays!")
    if np.iscomplexobj(arr):
        mode = PAD_COMPLEX
    elif arr.dtype.kind in "iu":
        mode = PAD_INTEGER
    else:
        mode = PAD_REAL
    c = np.ascontiguousarray(arr, dtype=np.complex128)
    if arr.ndim == 1:
        return c, 1, arr.shape[0], 1, mode
    return c, arr.shape[0], arr.shape[1], 2, mode


def pad_add(arr, size, stlen):
    c, rows, cols, ndim, mode = as_grid(arr)
    if ndim == 1:
        orows, ocols = 1, int(size[0])
        shape = (ocols,)
    else:
        orows, ocols = int(size[0]), int(size[1])
        shape = (orows, ocols)
    out = np.empty(shape, dtype=np.complex128)
    _lib.call("qpgo_nrf_pad_add", _lib.ptr(c), rows, cols, ndim, orows,
              ocols, int(stlen), mode, _lib.ptr(out))
    return out, mode


def spectrum(field, padding):
    """fft_origin of an interface object (complex128)"""
    c, rows, cols, ndim, mode = as_grid(field)
    if ndim == 1:
        shape = (2 * cols,) if padding else (cols,)
    else:
        shape = (2 * rows, 2 * cols) if padding else (rows, cols)
    out = np.empty(shape, dtype=np.complex128)
    _lib.call("qpgo_nrf_spectrum", _lib.ptr(c), rows, cols, ndim, mode,
              int(bool(padding)), _lib.ptr(out))
    return out


def _grid_shape(shape):
    if len(shape) == 1:
        return 1, shape[0]
    return shape[0], shape[1]


def params(rf):
    return np.array([rf.wavelength, rf.pixel_size, rf.medium_index,
                     rf.distance], dtype=np.float64)


def _spec(rf):
    spec = np.ascontiguousarray(rf.fft_origin, dtype=np.complex128)
    if spec.ndim not in (1, 2):
        raise ValueError("fft_origin must be 1D or 2D, got shape "
                         "{}".format(spec.shape))
    return spec


def kernel(rf, distance):
    spec = np.asarray(rf.fft_origin)
    R, C = _grid_shape(spec.shape)
    out = np.empty(spec.shape, dtype=np.complex128)
    p = params(rf)
    _lib.call("qpgo_nrf_kernel", R, C, _lib.ptr(p), _lib.cstr(rf.kernel),
              float(distance), _lib.ptr(out))
    return out


def out_shape(rf, spec):
    """Shape of a propagated field (pad_rem of the padded shape)"""
    if not rf.padding:
        return spec.shape
    for s in spec.shape:
        if s % 2 != 0:
            raise AssertionError(
                "Uneven size; specify correct size of output!")
    return tuple(s // 2 for s in spec.shape)


def propagate(rf, distance):
    spec = _spec(rf)
    R, C = _grid_shape(spec.shape)
    shape = out_shape(rf, spec)
    orows, ocols = _grid_shape(shape)
    out = np.empty(shape, dtype=np.complex128)
    p = params(rf)
    _lib.call("qpgo_nrf_propagate", _lib.ptr(spec), R, C, _lib.ptr(p),
              _lib.cstr(rf.kernel), float(distance), orows, ocols,
              _lib.ptr(out))
    return out


def _axis(s, n):
    r = range(*s.indices(n))
    return [r.start, len(r), r.step]


def roi_array(roi, shape):
    """6 int64 [row start, count, step, col start, count, step] or None"""
    if roi is None:
        return None
    if isinstance(roi, slice):
        roi = (roi,)
    roi = tuple(roi)
    if len(shape) == 1:
        if len(roi) != 1:
            raise IndexError("too many indices for array: array is "
                             "1-dimensional, but {} were indexed".format(
                                 len(roi)))
        return np.array([0, 1, 1] + _axis(roi[0], shape[0]), dtype=np.int64)
    if len(roi) > 2:
        raise IndexError("too many indices for array: array is "
                         "2-dimensional, but {} were indexed".format(len(roi)))
    if len(roi) == 1:
        roi = (roi[0], slice(None))
    for s in roi:
        if not isinstance(s, slice):
            raise IndexError("only slices are supported as region of "
                             "interest, got {!r}".format(s))
    return np.array(_axis(roi[0], shape[0]) + _axis(roi[1], shape[1]),
                    dtype=np.int64)


def metric(rf, name, distance, roi):
    spec = _spec(rf)
    R, C = _grid_shape(spec.shape)
    shape = out_shape(rf, spec)
    orows, ocols = _grid_shape(shape)
    r = roi_array(roi, shape) if name != "spectrum" else None
    res = ctypes.c_double(0)
    _lib.call("qpgo_nrf_metric", _lib.ptr(spec), R, C, _lib.ptr(params(rf)),
              _lib.cstr(rf.kernel), float(distance), orows, ocols,
              spec.ndim, _lib.cstr(name), _lib.ptr(r), ctypes.byref(res))
    return res.value


def autofocus_legacy(rf, name, interval, roi, coarse_acc, fine_acc):
    spec = _spec(rf)
    R, C = _grid_shape(spec.shape)
    shape = out_shape(rf, spec)
    orows, ocols = _grid_shape(shape)
    r = roi_array(roi, shape)
    n = int(100 / coarse_acc) if coarse_acc > 0 else 0
    grid = np.zeros(max(n, 0), dtype=np.float64)
    values = np.zeros(max(n, 0), dtype=np.float64)
    dist = ctypes.c_double(0)
    _lib.call("qpgo_nrf_autofocus_legacy", _lib.ptr(spec), R, C,
              _lib.ptr(params(rf)), _lib.cstr(rf.kernel), orows, ocols,
              spec.ndim, _lib.cstr(name), _lib.ptr(r), float(interval[0]),
              float(interval[1]), float(coarse_acc), float(fine_acc),
              ctypes.byref(dist), _lib.ptr(grid), _lib.ptr(values))
    return dist.value, grid, values
