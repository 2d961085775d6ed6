"""Refocusing interface base class (nrefocus 0.5.3 ``iface.base.Refocus``)

The spectrum, the kernel, the propagation and the focus metrics are
computed by libqpgo (Go package core/refocus).
"""
from .. import _core
from .. import metrics
from .. import minimizers
from ..roi_handling import parse_roi


class Refocus(object):
    def __init__(self, field, wavelength, pixel_size, medium_index=1.3333,
                 distance=0, kernel="helmholtz", padding=True):
        r"""
        Parameters
        ----------
        field: 2d complex-valued ndarray
            Input field to be refocused
        wavelength: float
            Wavelength of the used light [m]
        pixel_size: float
            Pixel size of the input image [m]
        medium_index: float
            Refractive index of the medium, defaults to water
            (1.3333 at 21.5°C)
        distance: float
            Initial focusing distance [m]
        kernel: str
            Propagation kernel, one of

            - "helmholtz": the optical transfer function
              :math:`\exp\left(id\left(\sqrt{k_\mathrm{m}^2 - k_\mathrm{x}^2
              - k_\mathrm{y}^2} - k_\mathrm{m}\right)\right)`
            - "fresnel": paraxial approximation
              :math:`\exp(-id(k_\mathrm{x}^2+k_\mathrm{y}^2)/2k_\mathrm{m})`
        padding: bool
            Whether to perform boundary-padding with linear ramp
        """
        super(Refocus, self).__init__()
        self.wavelength = wavelength
        self.pixel_size = pixel_size
        self.medium_index = medium_index
        self.distance = distance
        self.kernel = kernel
        self.padding = padding
        self.origin = field
        self.fft_origin = self._init_fft(field, padding)

    @property
    def shape(self):
        """Shape of the padded input field or Fourier transform"""
        return self.fft_origin.shape

    def _init_fft(self, field, padding):
        """Fourier transform of the (padded) input field"""
        return _core.spectrum(field, padding)

    def autofocus(self, interval, metric="average gradient", minimizer="lmfit",
                  roi=None, minimizer_kwargs=None, ret_grid=False,
                  ret_field=False):
        """Autofocus the initial field

        Parameters
        ----------
        interval: tuple of floats
            Approximate interval to search for optimal focus [m]
        metric: str
            one of :data:`nrefocus.metrics.METRICS` ("average gradient",
            "rms contrast", "spectrum", "std gradient", "med gradient")
        minimizer: str
            "lmfit" (needs the lmfit package) or "legacy"
        roi: list or tuple or slice
            Region of interest for the metric, see
            :func:`nrefocus.roi_handling.parse_roi`
        minimizer_kwargs: dict
            Additional keyword arguments for the minimizer
        ret_grid: bool
            Also return the coarse grid search (distances, metric values)
        ret_field: bool
            Also return the field refocused to the focus distance

        Returns
        -------
        af_distance: float
            Autofocusing distance (a list with the grid and/or field when
            `ret_grid`/`ret_field`)
        """
        if minimizer_kwargs is None:
            minimizer_kwargs = {}
        if interval[0] > interval[1]:
            interval = (interval[1], interval[0])
        roi = self.parse_roi(roi)
        metric_func = metrics.METRICS[metric]
        minimize_func = minimizers.MINIMIZERS[minimizer]
        return minimize_func(rf=self, metric_func=metric_func,
                             interval=interval, roi=roi, ret_grid=ret_grid,
                             ret_field=ret_field, **minimizer_kwargs)

    @staticmethod
    def parse_roi(roi):
        return parse_roi(roi)

    def get_kernel(self, distance):
        """Return the propagation kernel for `distance` (of kind
        `self.kernel`) in the layout of :attr:`fft_origin`"""
        return _core.kernel(self, distance)

    def propagate(self, distance):
        """Propagate the initial field to a certain distance

        Parameters
        ----------
        distance: float
            Absolute focusing distance [m]

        Returns
        -------
        refocused_field: ndarray
            Initial field refocused at `distance` (padding removed)
        """
        return _core.propagate(self, distance)
