from .. import _core


def metric_average_gradient(rfi, distance, roi=None, **kwargs):
    """Mean of the squared gradient of the amplitude

    Computed by libqpgo from the interface's spectrum (the metric
    "average gradient" of nrefocus 0.5.3).
    """
    return _core.metric(rfi, "average gradient", distance, roi)
