"""Fluorescence image data (upstream ``flimage.image_data``).

A thin read view on an FLImage held by libqpgo (upstream: a
``qpimage.image_data.Phase`` subclass on the HDF5 group).
"""
import numpy as np


class Fluorescence(object):
    """Fluorescence image data: background correction subtracts."""

    def __init__(self, fli):
        self._fli = fli

    def __repr__(self):
        shape = self._fli.shape
        return "Fluorescence image, {x}x{y}px".format(x=shape[0], y=shape[1])

    @property
    def h5dtype(self):
        return np.dtype(self._fli.h5dtype)

    @property
    def raw(self):
        """raw (uncorrected) image data"""
        return self._fli.raw_fl

    @property
    def bg(self):
        """combined background image data"""
        return self._fli.bg_fl

    @property
    def image(self):
        """background corrected image data"""
        return self._fli.fl

    @property
    def info(self):
        """list of background correction parameters"""
        return [(k, v) for (k, v) in self._fli.info
                if k.startswith("fluorescence background ")]


__all__ = ["Fluorescence"]
