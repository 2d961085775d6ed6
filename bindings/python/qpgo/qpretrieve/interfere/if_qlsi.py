"""Quadri-wave lateral shearing interferometry
(qpretrieve.interfere.if_qlsi)."""
import warnings

import numpy as np

from .base import BaseInterferogram
from .. import _core
from ..fourier import get_best_interface


class QLSInterferogram(BaseInterferogram):
    """Interferometric analysis of quadri-wave lateral shearing holograms"""
    #: Default QLSI pipeline keyword arguments
    default_pipeline_kws = {
        "filter_name": "square",
        "filter_size": 0.5,
        "filter_size_interpretation": "sideband distance",
        "scale_to_filter": False,
        "sideband_freq": None,
        "invert_phase": False,
        "wavelength": None,
        "qlsi_pitch_term": None,
    }

    def __init__(self, data, reference=None, *args, **kwargs):
        super(QLSInterferogram, self).__init__(data, *args, **kwargs)
        ff_iface = get_best_interface()

        if reference is not None:
            self.fft_ref = ff_iface(data=reference,
                                    subtract_mean=self.fft.subtract_mean,
                                    padding=self.fft.padding)
        else:
            self.fft_ref = None

        self.wavefront = None
        self._phase = None
        self._amplitude = None
        self._field = None

    @property
    def amplitude(self):
        if self._amplitude is None:
            self.run_pipeline()
        return self._amplitude

    @property
    def field(self):
        if self._field is None:
            self._field = self.amplitude * np.exp(1j*2*np.pi*self.phase)
        return self._field

    @property
    def phase(self):
        if self._phase is None:
            self.run_pipeline()
        return self._phase

    def run_pipeline(self, **pipeline_kws):
        r"""Run QLSI analysis pipeline

        Parameters: see :func:`BaseInterferogram.run_pipeline`, and

        wavelength: float
            wavelength [m] to convert the wavefront to radians
        qlsi_pitch_term: float
            term converting the integrated gradients to meters
            (grating constant × pixel size / grating-sensor distance)

        Returns the wavefront [m].
        """
        options = self._complete_kws(pipeline_kws)
        if pipeline_kws["qlsi_pitch_term"] is None:
            warnings.warn("No `qlsi_pitch_term` specified! Your phase data "
                          "is only qualitative, not quantitatively correct!")
        if pipeline_kws["wavelength"] is None:
            warnings.warn("No `wavelength` specified! Your phase data "
                          "is only qualitative, not quantitatively correct!")
        ref = None if self.fft_ref is None else self.fft_ref._spec
        amp, pha, wfr, info = self.fft._spec.qlsi(ref, options)
        self.fft._changed()
        if self.fft_ref is not None:
            self.fft_ref._changed()
        if pipeline_kws["sideband_freq"] is None:
            pipeline_kws["sideband_freq"] = (np.float64(info[2]),
                                             np.float64(info[3]))
        self._phase = pha
        self._amplitude = amp
        self.pipeline_kws.update(pipeline_kws)
        self.wavefront = wfr
        return wfr


def find_peaks_qlsi(ft_data, periodicity=4, copy=True):
    """Find the peak in Fourier space of the x gradient of a QLSI image

    Parameters
    ----------
    ft_data: 2d complex ndarray
        FFT-shifted Fourier transform of the QLSI image
    periodicity: float
        grid period of the QLSI image in pixels (4 for the Phasics SID4Bio)
    copy: bool
        accepted for compatibility (`ft_data` is never modified)

    Returns
    -------
    (f1x, f1y): tuple of floats
        coordinates of the peak in frequency coordinates
    """
    fx, fy = _core.find_peak(np.abs(ft_data), periodicity)
    return np.float64(fx), np.float64(fy)


def rotate_noreshape(arr, angle, mode="mirror", reshape=False):
    """scipy.ndimage.rotate(arr, rad2deg(angle), reshape=False, order=0,
    mode="mirror") as qpretrieve's QLSI pipeline uses it (other modes and
    `reshape=True` are not provided: ValueError)"""
    if mode != "mirror" or reshape:
        raise ValueError("qpgo.qpretrieve: rotate_noreshape supports only "
                         "mode='mirror' and reshape=False, got mode={!r}, "
                         "reshape={!r}".format(mode, reshape))
    return _core.rotate(arr, angle)
