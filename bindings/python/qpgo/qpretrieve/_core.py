"""ctypes calls of the qpretrieve part of libqpgo (one place).

Everything here translates arguments and results; the numerics and the
validation are in Go (core/holo, C exports in capi/holo.go).
"""
import ctypes
import weakref

import numpy as np

from .. import _lib


def _c(arr):
    return arr.ctypes.data


def as_real_or_complex(data):
    """float64 or complex128 C-contiguous view/copy of `data`."""
    arr = np.asarray(data)
    if np.iscomplexobj(arr):
        return np.ascontiguousarray(arr, dtype=np.complex128), True
    return np.ascontiguousarray(arr, dtype=np.float64), False


class Spectrum:
    """Owner of one Go FFTFilter handle (closed when garbage-collected)."""

    def __init__(self, data2d, is_complex, subtract_mean, padding):
        if data2d.ndim != 2:
            raise ValueError("`data` must be a 2D array, got shape "
                             "{}".format(data2d.shape))
        h = _lib.c_handle(0)
        _lib.call("qpgo_fftf_new", _c(data2d), data2d.shape[0],
                  data2d.shape[1], int(bool(is_complex)),
                  int(bool(subtract_mean)), _padding(padding),
                  ctypes.byref(h))
        self.handle = h.value
        self._fin = weakref.finalize(self, _close, h.value)
        shape = np.zeros(4, dtype=np.int64)
        _lib.call("qpgo_fftf_shape", self.handle, _c(shape))
        self.shape = (int(shape[0]), int(shape[1]))
        self.input_shape = (int(shape[2]), int(shape[3]))

    def spectrum(self, which):
        if which == 2:
            n = self.shape[0] * self.shape[1]
            out = np.empty(n, dtype=np.complex128)
            side = ctypes.c_int64(0)
            _lib.call("qpgo_fftf_spectrum", self.handle, 2, _c(out), n,
                      ctypes.byref(side))
            m = side.value
            if m == 0:
                return None
            return out[:m * m].reshape(m, m).copy()
        out = np.empty(self.shape, dtype=np.complex128)
        _lib.call("qpgo_fftf_spectrum", self.handle, which, _c(out),
                  out.size, None)
        return out

    def filter(self, name, size, pos, scale):
        cap = self.input_shape[0] * self.input_shape[1]
        out = np.empty(cap, dtype=np.complex128)
        shape = np.zeros(2, dtype=np.int64)
        _lib.call("qpgo_fftf_filter", self.handle, _lib.cstr(name, "filter_name"),
                  float(size), float(pos[0]), float(pos[1]), _scale(scale),
                  _c(out), cap, _c(shape))
        return _shaped(out, shape[0], shape[1])

    def filter_size(self, size, interp, sideband):
        out = ctypes.c_double(0)
        fx, fy = (np.nan, np.nan) if sideband is None else sideband
        _lib.call("qpgo_fftf_filter_size", self.handle, float(size),
                  _lib.cstr(str(interp), "filter_size_interpretation"),
                  float(fx), float(fy), ctypes.byref(out))
        return out.value

    def oah(self, options):
        cap = self.input_shape[0] * self.input_shape[1]
        out = np.empty(cap, dtype=np.complex128)
        info = np.zeros(8)
        _lib.call("qpgo_fftf_oah", self.handle,
                  _lib.cstr(_lib.to_json(options)), _c(out), cap, _c(info))
        return _shaped(out, int(info[0]), int(info[1])), info

    def qlsi(self, ref, options):
        cap = self.input_shape[0] * self.input_shape[1]
        amp = np.empty(cap)
        pha = np.empty(cap)
        wfr = np.empty(cap)
        info = np.zeros(8)
        _lib.call("qpgo_fftf_qlsi", self.handle,
                  0 if ref is None else ref.handle,
                  _lib.cstr(_lib.to_json(options)), _c(amp), _c(pha),
                  _c(wfr), cap, _c(info))
        pr, pc, ar, ac = int(info[0]), int(info[1]), int(info[4]), int(info[5])
        return (_shaped(amp, ar, ac), _shaped(pha, pr, pc),
                _shaped(wfr, pr, pc), info)


def _close(h):
    try:
        _lib.lib().qpgo_fftf_close(h)
    except Exception:  # interpreter shutdown
        pass


def _shaped(buf, rows, cols):
    n = int(rows) * int(cols)
    if n == buf.size:
        return buf.reshape(int(rows), int(cols))
    return buf[:n].reshape(int(rows), int(cols)).copy()


def _padding(padding):
    if isinstance(padding, (bool, np.bool_)):
        return int(bool(padding))
    try:
        p = int(padding)
    except (TypeError, ValueError):
        raise ValueError("`padding` must be an integer or bool, got "
                         "{!r}".format(padding)) from None
    if p != padding:
        raise ValueError("`padding` must be an integer or bool, got "
                         "{!r}".format(padding))
    return p


def _scale(scale):
    if isinstance(scale, (bool, np.bool_)):
        return 1.0 if scale else 0.0
    if scale is None:
        return 0.0
    return float(scale)


def filter_array(name, size, fx, fy, rows, cols):
    out = np.empty((int(rows), int(cols)))
    _lib.call("qpgo_filter_array", _lib.cstr(str(name), "filter_name"),
              float(size), float(fx), float(fy), int(rows), int(cols),
              _c(out))
    return out


def find_peak(ft_abs, periodicity):
    arr = np.ascontiguousarray(ft_abs, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError("`ft_data` must be a 2D array")
    out = np.zeros(2)
    _lib.call("qpgo_holo_find_peak", _c(arr), arr.shape[0], arr.shape[1],
              float(periodicity), _c(out))
    return out


def rotate(arr, angle):
    a = np.ascontiguousarray(arr, dtype=np.float64)
    if a.ndim != 2:
        raise ValueError("`arr` must be a 2D array")
    out = np.empty_like(a)
    _lib.call("qpgo_holo_rotate", _c(a), a.shape[0], a.shape[1],
              float(angle), _c(out))
    return out


def fft2(data, inverse):
    a = np.array(data, dtype=np.complex128, order="C", copy=True)
    if a.ndim != 2:
        raise ValueError("only 2D arrays are supported, got shape "
                         "{}".format(a.shape))
    _lib.call("qpgo_fft2", _c(a), a.shape[0], a.shape[1], int(bool(inverse)),
              _c(a))
    return a
