from .. import _core


class MetricSpectrumValueError(ValueError):
    pass


def metric_spectrum(rfi, distance, roi=None, **kwargs):
    """Spectral contrast: sum of log(1+|F|) of the propagated spectrum
    band-limited to twice the wavelength (no region of interest)

    Computed by libqpgo (the metric "spectrum" of nrefocus 0.5.3).
    """
    if roi is not None:
        raise MetricSpectrumValueError(
            "Spectral method does not support ROIs!")
    try:
        return _core.metric(rfi, "spectrum", distance, None)
    except ValueError as e:
        # upstream's band mask has the axes swapped: on non-square spectra
        # numpy raises IndexError for the masked indices outside the array
        if "is out of bounds for axis" in str(e):
            raise IndexError(str(e)) from None
        raise
