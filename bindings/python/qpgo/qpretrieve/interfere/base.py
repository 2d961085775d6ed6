"""BaseInterferogram (qpretrieve.interfere.base)."""
from abc import ABC, abstractmethod

import numpy as np

from ..fourier import get_best_interface


class BaseInterferogram(ABC):
    default_pipeline_kws = {
        "filter_name": "disk",
        "filter_size": 1 / 3,
        "filter_size_interpretation": "sideband distance",
        "scale_to_filter": False,
        "sideband_freq": None,
        "invert_phase": False,
    }

    def __init__(self, data, subtract_mean=True, padding=2, copy=True,
                 **pipeline_kws):
        """
        Parameters
        ----------
        data: 2d ndarray (3d: the first channel of the last axis is used)
            the interferogram
        subtract_mean: bool
            remove the mean of the data before the Fourier transform
        padding: int or bool
            zero padding: 0/False = none, n > 0 = square grid of the next
            power of two >= n * max(data.shape)
        copy: bool
            whether to create a copy of the input data
        pipeline_kws:
            keyword arguments for :func:`run_pipeline` (see
            :const:`default_pipeline_kws`)
        """
        ff_iface = get_best_interface()
        data = np.asarray(data)
        if len(data.shape) == 3:
            # take the first slice (we have alpha or RGB information)
            data = data[:, :, 0]
        #: qpretrieve Fourier transform interface object
        self.fft = ff_iface(data=data,
                            subtract_mean=subtract_mean,
                            padding=padding,
                            copy=copy)
        #: pipeline keyword arguments
        self.pipeline_kws = pipeline_kws
        self._field = None
        self._phase = None
        self._amplitude = None

    @property
    def fft_origin(self):
        """originally computed (frequency-shifted) Fourier transform"""
        return self.fft.fft_origin

    @property
    def fft_filtered(self):
        """filtered Fourier data from the last run of `run_pipeline`"""
        return self.fft.fft_filtered

    @property
    def phase(self):
        """Retrieved phase information"""
        if self._phase is None:
            self.run_pipeline()
        return self._phase

    @property
    def amplitude(self):
        """Retrieved amplitude information"""
        if self._amplitude is None:
            self.run_pipeline()
        return self._amplitude

    @property
    def field(self):
        """Retrieved field"""
        if self._field is None:
            self.run_pipeline()
        return self._field

    def compute_filter_size(self, filter_size, filter_size_interpretation,
                            sideband_freq=None):
        """Compute the actual filter size in Fourier space"""
        return self.fft._spec.filter_size(filter_size,
                                          filter_size_interpretation,
                                          sideband_freq)

    def process_like(self, other):
        """Process this dataset in the same way as `other` dataset"""
        assert other.__class__.__name__ == self.__class__.__name__
        self.pipeline_kws.clear()
        if not other.pipeline_kws:
            # run default pipeline
            other.run_pipeline()
        self.run_pipeline(**other.pipeline_kws)

    def get_pipeline_kw(self, key):
        """Current pipeline keyword argument with fallback to defaults"""
        return self.pipeline_kws.get(key, self.default_pipeline_kws[key])

    def _complete_kws(self, pipeline_kws):
        """`pipeline_kws` with the current/default value of every missing
        pipeline keyword, and the options for libqpgo (only the pipeline
        keywords: other keys are kept in pipeline_kws but ignored, as
        upstream)"""
        for key in self.default_pipeline_kws:
            if key not in pipeline_kws:
                pipeline_kws[key] = self.get_pipeline_kw(key)
        options = {key: pipeline_kws[key]
                   for key in self.default_pipeline_kws}
        return options

    @abstractmethod
    def run_pipeline(self, **pipeline_kws):
        """Perform pipeline analysis, populating `self.field`

        Parameters
        ----------
        filter_name: str
            the filter, see :func:`qpretrieve.filter.get_filter_array`
        filter_size: float
            size of the filter in Fourier space, interpreted according to
            `filter_size_interpretation`
        filter_size_interpretation: str
            "sideband distance" (default: fraction of the distance of the
            sideband from the central band), "frequency index" (Fourier
            pixels, between 0 and max(fft.shape)/2) or "frequency"
        scale_to_filter: bool or float
            crop the Fourier data to the filter (times this factor)
        sideband_freq: tuple of floats
            frequency coordinates of the sideband (default: searched)
        invert_phase: bool
            invert the phase data
        """
