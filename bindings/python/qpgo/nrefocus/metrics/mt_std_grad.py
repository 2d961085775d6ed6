from .. import _core


def metric_std_gradient(rfi, distance, roi=None, **kwargs):
    """Standard deviation of the gradient of the amplitude

    Computed by libqpgo from the interface's spectrum (the metric
    "std gradient" of nrefocus 0.5.3).
    """
    return _core.metric(rfi, "std gradient", distance, roi)
