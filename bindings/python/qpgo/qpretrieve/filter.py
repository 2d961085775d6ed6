"""Fourier filters (qpretrieve.filter); the arrays are made by libqpgo."""
from functools import lru_cache

from . import _core

available_filters = [
    "disk",
    "smooth disk",
    "gauss",
    "square",
    "smooth square",
    "tukey",
]

#: filters upstream returns as boolean masks
_BOOLEAN = ("disk", "square")


@lru_cache(maxsize=32)
def get_filter_array(filter_name, filter_size, freq_pos, fft_shape):
    """Create a Fourier filter for holography

    Parameters
    ----------
    filter_name: str
        one of :const:`available_filters`
    filter_size: float
        size of the filter in frequency units (0 < size < max(shape)/2)
    freq_pos: tuple of floats
        filter position in frequency coordinates (numpy.fft.fftfreq)
    fft_shape: tuple of int
        shape of the (square) Fourier transformed image

    Returns
    -------
    filt_arr: 2d ndarray, boolean (disk, square) or float
        the Fourier-shifted filter
    """
    rows, cols = fft_shape
    arr = _core.filter_array(filter_name, filter_size, freq_pos[0],
                             freq_pos[1], rows, cols)
    if filter_name in _BOOLEAN:
        return arr != 0
    return arr
