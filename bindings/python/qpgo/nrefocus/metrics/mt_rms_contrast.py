from .. import _core


def metric_rms_contrast(rfi, distance, roi=None, **kwargs):
    """RMS contrast of the (negative) phase

    Computed by libqpgo from the interface's spectrum (the metric
    "rms contrast" of nrefocus 0.5.3).
    """
    return _core.metric(rfi, "rms contrast", distance, roi)
