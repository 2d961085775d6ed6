"""Refocusing (nrefocus 0.5.3): qpgo.nrefocus vs upstream nrefocus

Cases: RefocusPyFFTW / RefocusNumpy propagation for both kernels, odd,
even, prime and non-square sizes, with and without padding, at several
distances (incl. 0 and negative); pad_add of complex, real and integer
arrays; get_kernel; the five focus metrics (with and without a region of
interest).

Module interface of scripts/compare (see compare_upstream.py): cases()
yields (name, run_upstream, run_qpgo, tol).
"""
import numpy as np

TOL = 1e-9
SIZES = [(32, 32), (33, 33), (31, 47), (64, 50), (97, 97), (128, 96),
         (50, 101), (256, 256)]
DISTANCES = [-3e-6, 0.0, 1.5e-6, 7.3e-6]
WAVELENGTH, PIXEL, MEDIUM = 550e-9, 0.14e-6, 1.335


def make_field(rows, cols):
    """A smooth phase object with amplitude texture (deterministic)"""
    y, x = np.mgrid[:rows, :cols].astype(float)
    r2 = ((y - 0.45 * rows) / (0.3 * rows)) ** 2 + \
        ((x - 0.55 * cols) / (0.25 * cols)) ** 2
    pha = 1.8 * np.exp(-r2) + 0.3 * np.sin(0.21 * x + 0.13 * y)
    amp = 1 + 0.08 * np.cos(0.37 * x * 0.7 + 0.11 * y * y / rows) \
        - 0.15 * np.exp(-2 * r2)
    return amp * np.exp(1j * pha)


def _iface(mod, cls, field, kernel, padding):
    return getattr(mod, cls)(field=field, wavelength=WAVELENGTH,
                             pixel_size=PIXEL, medium_index=MEDIUM,
                             distance=0.3e-6, kernel=kernel,
                             padding=padding)


def _propagate(mod, cls, shape, kernel, padding, distance):
    rf = _iface(mod, cls, make_field(*shape), kernel, padding)
    return np.asarray(rf.propagate(distance))


def _kernel(mod, shape, kernel, padding, distance):
    rf = _iface(mod, "RefocusNumpy", make_field(*shape), kernel, padding)
    return np.asarray(rf.get_kernel(distance))


def _metrics(mod, shape, kernel, padding, distance):
    rf = _iface(mod, "RefocusNumpy", make_field(*shape), kernel, padding)
    M = mod.metrics.METRICS
    roi = rf.parse_roi([3, 5, shape[0] - 4, shape[1] - 2])
    # the spectrum metric indexes the spectrum with swapped axes (upstream):
    # non-square spectra give an IndexError or a value, compared separately
    vals = [M[name](rf, distance) for name in sorted(M) if name != "spectrum"]
    vals += [M[name](rf, distance, roi=roi) for name in sorted(M)
             if name != "spectrum"]
    return np.array(vals)


def _spectrum_metric(mod, shape, kernel, padding, distance):
    """[value], or [-1] for upstream's IndexError of non-square spectra"""
    rf = _iface(mod, "RefocusNumpy", make_field(*shape), kernel, padding)
    try:
        return np.array([mod.metrics.METRICS["spectrum"](rf, distance)])
    except IndexError:
        return np.array([-1.0])


def _pad(mod, shape, kind):
    f = make_field(*shape)
    if kind == "real":
        f = f.real * 3 - 1
    elif kind == "int":
        f = np.round(f.real * 100).astype(np.int64)
    return np.asarray(mod.pad.pad_add(f), dtype=complex)


def _pixel_refocus(mod, shape, kernel, padding):
    f = make_field(*shape)
    return np.asarray(mod.refocus(f, d=3.7, nm=MEDIUM, res=4.1,
                                  method=kernel, padding=padding))


def _mods():
    import nrefocus
    import qpgo.nrefocus
    return nrefocus, qpgo.nrefocus


def _case(fn, *args):
    def up():
        return fn(_mods()[0], *args)

    def qp():
        return fn(_mods()[1], *args)
    return up, qp


def cases():
    for shape in SIZES:
        sz = "{}x{}".format(*shape)
        for kernel in ("helmholtz", "fresnel"):
            for padding in (True, False):
                tag = "{}_{}_{}".format(sz, kernel, "pad" if padding
                                        else "nopad")
                for d in DISTANCES:
                    cls = "RefocusPyFFTW" if d != 0 else "RefocusNumpy"
                    yield ("refocus_{}_{}_d{:g}".format(cls, tag, d),
                           *_case(_propagate, cls, shape, kernel, padding, d),
                           TOL)
                yield ("refocus_kernel_{}".format(tag),
                       *_case(_kernel, shape, kernel, padding, 2.1e-6), TOL)
                yield ("refocus_pixelunits_{}".format(tag),
                       *_case(_pixel_refocus, shape, kernel, padding), TOL)
                yield ("refocus_metrics_{}".format(tag),
                       *_case(_metrics, shape, kernel, padding, 1.2e-6), TOL)
                yield ("refocus_metric_spectrum_{}".format(tag),
                       *_case(_spectrum_metric, shape, kernel, padding,
                              1.2e-6), TOL)
        for kind in ("complex", "real", "int"):
            yield ("refocus_pad_add_{}_{}".format(kind, sz),
                   *_case(_pad, shape, kind), TOL)
