"""Autofocusing functions in pixel units (nrefocus 0.5.3 ``autof``)"""
import copy as _copy
import multiprocessing as mp

import numpy as np

from .propg import refocus_stack, _iface_class

__all__ = ["autofocus", "autofocus_stack"]

_cpu_count = mp.cpu_count()


def autofocus(field, nm, res, ival, roi=None,
              metric="average gradient", minimizer="lmfit",
              minimizer_kwargs=None, padding=True, num_cpus=1):
    """Numerical autofocusing of a field using the Helmholtz equation.

    Parameters
    ----------
    field: 1d or 2d ndarray
        Background corrected electric field (EX/BEx)
    nm: float
        Refractive index of medium.
    res: float
        Size of wavelength in pixels.
    ival: tuple of floats
        Approximate interval to search for optimal focus in px.
    roi: rectangular region of interest (x1, y1, x2, y2)
        Region of interest of `field` for the metric
    metric: str
        see :data:`nrefocus.metrics.METRICS`
    minimizer: str
        "lmfit" or "legacy"
    minimizer_kwargs: dict
        Optional keyword arguments to the minimizer
    padding: bool
        Perform padding with linear ramp from edge to average
    num_cpus: int
        Not used.

    Returns
    -------
    d, field [, other]:
        The focusing distance [px] and the refocused field
    """
    kw = {} if minimizer_kwargs is None else _copy.deepcopy(minimizer_kwargs)
    pixel_size = 1
    rf = _iface_class(field)(field=field, wavelength=res * pixel_size,
                             pixel_size=pixel_size, medium_index=nm,
                             distance=0, kernel="helmholtz", padding=padding)
    return rf.autofocus(metric=metric, minimizer=minimizer,
                        interval=np.array(ival) * rf.pixel_size, roi=roi,
                        minimizer_kwargs=kw, ret_grid=False, ret_field=True)


def autofocus_stack(fieldstack, nm, res, ival, roi=None,
                    metric="average gradient", minimizer="lmfit",
                    minimizer_kwargs=None, padding=True, same_dist=False,
                    num_cpus=_cpu_count, copy=True):
    """Numerical autofocusing of a stack using the Helmholtz equation.

    Each field is autofocused with :func:`autofocus`; with `same_dist` the
    whole stack is then refocused to the average distance.

    Returns
    -------
    dopt: float or list of float
        The focusing distance(s) (only one value if `same_dist`)
    field_stack: np.ndarray
        The refocused field stack
    """
    dopt = []
    newstack = np.zeros(fieldstack.shape, dtype=fieldstack.dtype)
    for s in range(fieldstack.shape[0]):
        res_s = autofocus(np.array(fieldstack[s], copy=copy), nm, res, ival,
                          roi, metric, minimizer, minimizer_kwargs, padding,
                          1)
        if isinstance(res_s, list):
            dopt.append(res_s[0])
            newstack[s] = res_s[1]
    if same_dist:
        davg = np.average(dopt)
        newstack = refocus_stack(fieldstack, davg, nm, res,
                                 num_cpus=num_cpus, copy=copy,
                                 padding=padding)
        return davg, newstack
    return dopt, newstack
