import warnings

from .. import _core
from ..metrics import BUILTIN


class LegacyDeprecationWarning(DeprecationWarning):
    pass


def minimize_legacy(rf, metric_func, interval, roi=None, coarse_acc=1,
                    fine_acc=.005, ret_grid=False, ret_field=False):
    """Legacy minimizer of nrefocus (grid searches, computed in libqpgo)

    A coarse grid of ``int(100/coarse_acc)`` distances over `interval`,
    then 10-point grids around the current minimum until the metric
    differs from the coarse minimum by less than ``100·fine_acc``.

    Parameters
    ----------
    rf: nrefocus.iface.Refocus
        Refocus interface
    metric_func: callable
        one of the functions of :data:`nrefocus.metrics.METRICS`
    interval: tuple of floats
        (minimum, maximum) of interval to search [m]
    roi: tuple of slices
        Region of interest for the metric (None: the whole field)
    coarse_acc: float
        accuracy of the coarse grid (1: 100 distances)
    fine_acc: float
        accuracy of the fine localization
    ret_grid: bool
        return focus positions and metric values of the coarse grid
    ret_field: bool
        return the refocused field at the focus

    Returns
    -------
    af_dist: float
        Autofocusing distance [m] (a list with grid and/or field if
        requested)
    """
    warnings.warn("The 'legacy' minimizer is deprecated, because it is "
                  "slower and not as accurate as the 'lmfit' minimizer! "
                  "Please only use 'legacy' to reproduce previous results.",
                  LegacyDeprecationWarning)
    name = BUILTIN.get(metric_func)
    if name is None:
        raise ValueError("the legacy minimizer of qpgo works with the "
                         "metrics of nrefocus.metrics.METRICS, got "
                         "{!r}".format(metric_func))
    if name == "spectrum" and roi is not None:
        metric_func(rf, 0, roi)  # raises MetricSpectrumValueError
    af_dist, grid, values = _core.autofocus_legacy(
        rf, name, interval, roi, coarse_acc, fine_acc)
    ret = [af_dist]
    if ret_grid:
        ret.append((grid, values))
    if ret_field:
        ret.append(rf.propagate(af_dist))
    return ret[0] if len(ret) == 1 else ret
