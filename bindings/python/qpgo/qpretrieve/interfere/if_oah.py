"""Off-axis holography (qpretrieve.interfere.if_oah)."""
import numpy as np

from .base import BaseInterferogram
from .. import _core


class OffAxisHologram(BaseInterferogram):
    """Off-axis hologram data analysis"""
    #: Default OAH pipeline keyword arguments
    default_pipeline_kws = {
        "filter_name": "disk",
        "filter_size": 1 / 3,
        "filter_size_interpretation": "sideband distance",
        "scale_to_filter": False,
        "sideband_freq": None,
        "invert_phase": False,
    }

    @property
    def phase(self):
        """Retrieved phase information"""
        if self._field is None:
            self.run_pipeline()
        if self._phase is None:
            self._phase = np.angle(self._field)
        return self._phase

    @property
    def amplitude(self):
        """Retrieved amplitude information (as upstream 0.3.2: computed
        when the pipeline runs on first access)"""
        if self._field is None:
            self.run_pipeline()
            self._amplitude = np.abs(self._field)
        return self._amplitude

    def run_pipeline(self, **pipeline_kws):
        r"""Run OAH analysis pipeline

        Parameters: see :func:`BaseInterferogram.run_pipeline`.
        Returns the complex field.
        """
        options = self._complete_kws(pipeline_kws)
        field, info = self.fft._spec.oah(options)
        self.fft._changed()
        if pipeline_kws["sideband_freq"] is None:
            pipeline_kws["sideband_freq"] = (np.float64(info[2]),
                                             np.float64(info[3]))
        self._field = field
        self._phase = None
        self._amplitude = None
        self.pipeline_kws.update(pipeline_kws)
        return self.field


def find_peak_cosine(ft_data, copy=True):
    """Find the side band position of a regular off-axis hologram

    Parameters
    ----------
    ft_data: 2d ndarray
        FFT-shifted Fourier transform of the hologram image
    copy: bool
        accepted for compatibility (`ft_data` is never modified)

    Returns
    -------
    fsx, fsy : tuple of floats
        coordinates of the side band in Fourier space frequencies
    """
    fx, fy = _core.find_peak(np.abs(ft_data), 0)
    return np.float64(fx), np.float64(fy)
