"""Autofocus with lmfit (brute grid search, then a local fit)

lmfit is a third-party optimiser (a dependency of upstream nrefocus); each
evaluation of the metric is computed by libqpgo.
"""
import copy

import numpy as np


def _lmfit():
    try:
        import lmfit
    except ImportError as e:
        raise ImportError("the 'lmfit' minimizer needs the lmfit package "
                          "(pip install lmfit); the 'legacy' minimizer "
                          "works without it") from e
    return lmfit


def residuals(params, metric_func, rf, roi):
    """The metric at the distance params["focus_wl"] (in wavelengths)"""
    return metric_func(rf, distance=params["focus_wl"].value * rf.wavelength,
                       roi=roi)


def minimize_lmfit(rf, metric_func, interval, roi=None, lmfitkw=None,
                   ret_grid=False, ret_field=False):
    """Find the focus by minimizing the metric with lmfit

    The distance is fitted in units of the wavelength: a brute grid search
    with a step of two wavelengths over `interval` (skipped when the
    interval is no wider than that), then `lmfit.minimize` (default method
    "leastsq", `lmfitkw` passed on) within ±4 wavelengths of the best grid
    point.

    Parameters
    ----------
    rf: nrefocus.iface.Refocus
        Refocus interface
    metric_func: callable
        metric called with `rf`, `distance` and `roi`
    interval: tuple of floats
        (minimum, maximum) of interval to search [m]
    roi: tuple of slices
        Region of interest for the metric (None: the whole field)
    lmfitkw: dict
        Keyword arguments for the fine minimization
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
    lmfit = _lmfit()
    kw = {} if lmfitkw is None else copy.deepcopy(lmfitkw)
    kw.setdefault("method", "leastsq")
    lo, hi = np.array(interval, copy=True) / rf.wavelength
    step = 2
    start = lmfit.Parameters()
    start.add("focus_wl", value=np.mean([lo, hi]), min=lo, max=hi,
              brute_step=step)
    fitter = lmfit.Minimizer(userfcn=residuals, params=start,
                             fcn_kws={"metric_func": metric_func, "rf": rf,
                                      "roi": roi})
    brute = None
    if hi - lo <= step:
        fine = start
    else:
        brute = fitter.minimize(method="brute", keep=1)
        fine = copy.deepcopy(brute).params
    fine["focus_wl"].min = max(lo, fine["focus_wl"] - 4)
    fine["focus_wl"].max = min(hi, fine["focus_wl"] + 4)
    result = fitter.minimize(params=fine, **kw)
    af_dist = result.params["focus_wl"].value * rf.wavelength
    ret = [af_dist]
    if ret_grid:
        if brute is None:
            raise ValueError("no grid search: the interval is not wider "
                             "than two wavelengths")
        ret.append((brute.brute_grid * rf.wavelength, brute.brute_Jout))
    if ret_field:
        ret.append(rf.propagate(af_dist))
    return ret[0] if len(ret) == 1 else ret
