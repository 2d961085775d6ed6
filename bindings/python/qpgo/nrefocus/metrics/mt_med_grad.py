from .. import _core


def metric_med_gradient(rfi, distance, roi=None, **kwargs):
    """Median of the squared gradient of the amplitude

    Computed by libqpgo from the interface's spectrum (the metric
    "med gradient" of nrefocus 0.5.3).
    """
    return _core.metric(rfi, "med gradient", distance, roi)
