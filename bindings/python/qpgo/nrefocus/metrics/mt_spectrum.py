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
    return _core.metric(rfi, "spectrum", distance, None)
