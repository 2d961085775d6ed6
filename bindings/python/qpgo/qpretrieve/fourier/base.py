"""FFTFilter base class (qpretrieve.fourier.base)."""
from __future__ import annotations

import weakref

import numpy as np

from .. import _core


class FFTCache:
    """Cache for Fourier transforms (kept for API compatibility).

    qpgo keeps each FFTFilter's spectrum in libqpgo for the lifetime of
    the object, so nothing needs to be cached here; entries added by
    callers are dropped when `data` is garbage-collected, as upstream.
    """
    cached_output = {}

    @staticmethod
    def add_item(key, data, fft_data):
        weakref.finalize(data, FFTCache.cleanup, key)
        FFTCache.cached_output[key] = fft_data

    @staticmethod
    def get_item(key):
        return FFTCache.cached_output.get(key)

    @staticmethod
    def cleanup(key):
        if key in FFTCache.cached_output:
            FFTCache.cached_output.pop(key)


class FFTFilter:
    """Fourier transform of an image, filtered at a sideband

    Parameters
    ----------
    data: 2d real- or complex-valued np.ndarray
        The experimental input image
    subtract_mean: bool
        subtract the mean of `data` before the Fourier transform
    padding: int
        zero padding: 0/False = none, n > 0 = square grid of the next
        power of two >= n * max(data.shape)
    copy: bool
        accepted for compatibility; `data` is never modified
    """
    is_available = True

    def __init__(self, data, subtract_mean=True, padding=2, copy=True):
        arr, is_complex = _core.as_real_or_complex(data)
        if copy and arr is data:
            arr = arr.copy()
        self._data = arr
        #: whether padding is enabled
        self.padding = padding
        #: whether the mean was subtracted
        self.subtract_mean = subtract_mean
        self._spec = _core.Spectrum(arr, is_complex, subtract_mean, padding)
        self._fft_origin = None
        self._fft_filtered = None
        self._filtered_valid = True
        self._fft_used = None
        self._used_valid = True
        self._origin = None

    # --- arrays of upstream's object, made on request ---------------------
    @property
    def origin(self):
        """original data (with subtracted mean)"""
        if self._origin is None:
            d = np.array(self._data)
            if self.subtract_mean:
                d -= d.mean()
            self._origin = d
        return self._origin

    @property
    def origin_padded(self):
        """padded input data (None without padding)"""
        if not self.padding:
            return None
        pad = np.zeros(self.shape, dtype=self._data.dtype)
        o = self.origin
        pad[:o.shape[0], :o.shape[1]] = o
        return pad

    @property
    def fft_origin(self):
        """frequency-shifted Fourier transform"""
        if self._fft_origin is None:
            self._fft_origin = self._spec.spectrum(0)
        return self._fft_origin

    @fft_origin.setter
    def fft_origin(self, value):
        self._fft_origin = value

    @property
    def fft_filtered(self):
        """filtered Fourier transform (of the latest `filter` call)"""
        if not self._filtered_valid or self._fft_filtered is None:
            self._fft_filtered = self._spec.spectrum(1)
            self._filtered_valid = True
        return self._fft_filtered

    @property
    def fft_used(self):
        """used Fourier transform (rolled to the sideband, maybe cropped)"""
        if not self._used_valid:
            self._fft_used = self._spec.spectrum(2)
            self._used_valid = True
        return self._fft_used

    @property
    def shape(self):
        """Shape of the Fourier transform data"""
        return self._spec.shape

    def _changed(self):
        self._filtered_valid = False
        self._used_valid = False

    # --- transforms -------------------------------------------------------
    def _init_fft(self, data):
        """Fourier transform of `data` (numpy.fft.fft2)"""
        return _core.fft2(data, inverse=False)

    def _ifft(self, data):
        """Inverse Fourier transform of `data` (numpy.fft.ifft2)"""
        return _core.fft2(data, inverse=True)

    def filter(self, filter_name: str, filter_size: float,
               freq_pos: (float, float),
               scale_to_filter: bool | float = False):
        """Filter the Fourier transform at `freq_pos` and transform back

        Parameters
        ----------
        filter_name: str
            one of :const:`qpretrieve.filter.available_filters`
        filter_size: float
            size of the filter in frequency units (0 < size <
            max(fft_shape)/2)
        freq_pos: tuple of floats
            position of the filter in frequency coordinates
        scale_to_filter: bool or float
            crop the Fourier data to the filter (True) or to the filter
            size times this factor before the inverse transform

        Returns
        -------
        field: 2d complex ndarray
        """
        field = self._spec.filter(filter_name, filter_size, freq_pos,
                                  scale_to_filter)
        self._changed()
        return field
