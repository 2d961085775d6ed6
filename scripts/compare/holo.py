"""Off-axis holography and QLSI: qpgo.qpretrieve against qpretrieve 0.3.2.

Off-axis: image sizes 32-256 px (odd, even, prime, non-square), carrier
fringes in all four quadrants (the sideband searched, and given
explicitly at all four quadrant positions), every filter, padding
False/True/1/3, scale_to_filter, invert_phase, the three filter size
interpretations. QLSI: sizes 32-256, grating angles 0-0.5 rad, with and
without a reference image (phase and amplitude), non-square; random
configurations; and the same retrievals through qpimage's QPImage
(raw-oah / raw-qlsi, unwrapped phase). Tolerance 1e-9 of the
upstream field's maximum. Upstream uses its numpy interface (as its own
test suite does); pyfftw gives the same numbers to ~1e-15.
"""
import functools

import numpy as np

TOL = 1e-9

SQUARE = [32, 33, 40, 47, 64, 97, 100, 127, 128, 131, 200, 256]
NONSQUARE = [(48, 64), (64, 48), (100, 120), (61, 97), (256, 200), (33, 250)]
QUADRANTS = [(-0.23, -0.14), (0.23, -0.14), (-0.23, 0.14), (0.23, 0.14)]
FILTERS = ["disk", "smooth disk", "gauss", "square", "smooth square",
           "tukey"]
PADDINGS = [False, True, 1, 3]


@functools.lru_cache(maxsize=None)
def _mods():
    import qpretrieve as up
    import qpgo.qpretrieve as qp
    up.fourier.PREFERRED_INTERFACE = "FFTFilterNumpy"
    return up, qp


@functools.lru_cache(maxsize=64)
def hologram(rows, cols, fx, fy, seed=0):
    """a cell-like phase object on carrier fringes (fx, fy) [1/px]"""
    rng = np.random.default_rng(seed)
    x = np.arange(rows).reshape(-1, 1) - rows / 2
    y = np.arange(cols).reshape(1, -1) - cols / 2
    r = np.hypot(x, y)
    d = 0.5 * (1 - np.tanh((r - min(rows, cols) / 5) / 3))
    amp = 1 - 0.2 * d
    holo = 1 + amp**2 + 2 * amp * np.cos(2 * np.pi * (fx * x + fy * y)
                                         + 2 * d)
    holo += rng.normal(0, 0.02, (rows, cols))
    return np.round(60 * holo)


def _oah(mod, shape, carrier, init, kws):
    def run():
        data = hologram(shape[0], shape[1], carrier[0], carrier[1]).copy()
        obj = mod().OffAxisHologram(data, **init)
        return obj.run_pipeline(**kws)
    return run


def _oah_case(name, shape, carrier, init, kws):
    return (name,
            _oah(lambda: _mods()[0], shape, carrier, init, dict(kws)),
            _oah(lambda: _mods()[1], shape, carrier, init, dict(kws)),
            TOL)


def oah_cases():
    # every size and quadrant with every padding (searched sideband)
    shapes = [(n, n) for n in SQUARE] + NONSQUARE
    for shape in shapes:
        for carrier in QUADRANTS:
            for pad in PADDINGS:
                yield _oah_case(
                    "oah {}x{} carrier({:+},{:+}) padding={!r}".format(
                        shape[0], shape[1], carrier[0], carrier[1], pad),
                    shape, carrier, {"padding": pad}, {})
    # every filter on odd/even/prime sizes with every padding
    for n in [33, 64, 97, 128, 200]:
        for filt in FILTERS:
            for pad in PADDINGS:
                yield _oah_case(
                    "oah {0}x{0} filter={1!r} padding={2!r}".format(
                        n, filt, pad),
                    (n, n), QUADRANTS[0], {"padding": pad},
                    {"filter_name": filt})
    # explicit sideband in each quadrant (the search only looks at one)
    for n in [47, 64, 131]:
        for carrier in QUADRANTS:
            for pad in [False, 2]:
                for filt in ["disk", "tukey", "smooth square"]:
                    yield _oah_case(
                        "oah {0}x{0} sideband_freq=({1:+},{2:+}) "
                        "padding={3!r} filter={4!r}".format(
                            n, carrier[0], carrier[1], pad, filt),
                        (n, n), carrier, {"padding": pad},
                        {"sideband_freq": carrier, "filter_name": filt})
    # scale_to_filter, invert_phase, filter size interpretations
    for shape in [(64, 64), (97, 97), (100, 120), (200, 200)]:
        for pad in [False, True, 3]:
            for stf in [True, 1.5]:
                for filt in ["disk", "gauss", "tukey"]:
                    yield _oah_case(
                        "oah {}x{} scale_to_filter={!r} padding={!r} "
                        "filter={!r}".format(shape[0], shape[1], stf, pad,
                                             filt),
                        shape, QUADRANTS[1], {"padding": pad},
                        {"scale_to_filter": stf, "filter_name": filt})
        for kws in [{"invert_phase": True},
                    {"filter_size_interpretation": "frequency index",
                     "filter_size": 7.5},
                    {"filter_size_interpretation": "frequency",
                     "filter_size": 0.05},
                    {"filter_size": 0.5, "filter_name": "square"},
                    {"subtract_mean": False}]:
            init = {"padding": 2}
            if "subtract_mean" in kws:
                init.update(kws)
                kws = {}
            yield _oah_case("oah {}x{} {}".format(shape[0], shape[1],
                                                  dict(init, **kws)),
                            shape, QUADRANTS[2], init, kws)


# --- QLSI ---------------------------------------------------------------
QLSI_SIZES = [32, 47, 64, 100, 128, 131, 200, 256]
ANGLES = [0, 0.1, 0.2, 0.3, 0.4, 0.5]
QLSI_KW = {"wavelength": 550e-9, "qlsi_pitch_term": 1.87711e-08}


@functools.lru_cache(maxsize=64)
def qlsi_image(rows, cols, angle, obj, seed):
    """period-4 cross grating rotated by angle, with a phase bump (obj)"""
    rng = np.random.default_rng(seed)
    x = np.arange(rows).reshape(-1, 1) * 1.0
    y = np.arange(cols).reshape(1, -1) * 1.0
    w = 0
    if obj:
        w = 0.5 * np.exp(-((x - rows / 2)**2 + (y - cols / 2)**2)
                         / (2 * (min(rows, cols) / 6)**2))
    c, s = np.cos(angle), np.sin(angle)
    u = (c * x + s * y) / 4
    v = (-s * x + c * y) / 4
    img = 1000 * (2 + np.cos(2 * np.pi * u + w) + np.cos(2 * np.pi * v + w))
    return np.round(img + rng.normal(0, 5, (rows, cols)))


@functools.lru_cache(maxsize=8)
def _qlsi_run(which, n, angle, with_ref, kws):
    """phase, amplitude, wavefront; n is a size or a (rows, cols) pair"""
    up, qp = _mods()
    mod = up if which == "upstream" else qp
    rows, cols = (n, n) if isinstance(n, int) else n
    data = qlsi_image(rows, cols, angle, True, 0).copy()
    ref = qlsi_image(rows, cols, angle, False, 1).copy() if with_ref else None
    obj = mod.QLSInterferogram(data, reference=ref, **dict(kws))
    obj.run_pipeline()
    return obj.phase, obj.amplitude, obj.wavefront


def qlsi_cases():
    kws = tuple(sorted(QLSI_KW.items()))
    for n in QLSI_SIZES:
        for angle in ANGLES:
            for with_ref in [False, True]:
                for k, what in enumerate(["phase", "amplitude"]):
                    def run(which, n=n, angle=angle, with_ref=with_ref, k=k):
                        return lambda: _qlsi_run(which, n, angle, with_ref,
                                                 kws)[k]
                    yield ("qlsi {0}x{0} angle={1} reference={2} {3}".format(
                        n, angle, with_ref, what),
                        run("upstream"), run("qpgo"), TOL)
    # non-square interferograms (padded to a square Fourier grid)
    for shape in [(100, 120), (120, 100), (64, 200), (201, 77)]:
        for angle in [0.2, 0.4]:
            for with_ref in [False, True]:
                for k, what in enumerate(["phase", "amplitude"]):
                    def run(which, shape=shape, angle=angle,
                            with_ref=with_ref, k=k):
                        return lambda: _qlsi_run(which, shape, angle,
                                                 with_ref, kws)[k]
                    yield ("qlsi {}x{} angle={} reference={} {}".format(
                        shape[0], shape[1], angle, with_ref, what),
                        run("upstream"), run("qpgo"), TOL)
    # other filters and filter size interpretations at one rotated angle
    for n in [64, 131]:
        for extra in [{"filter_name": "tukey"}, {"filter_name": "disk"},
                      {"filter_name": "smooth square"},
                      {"filter_size_interpretation": "frequency index",
                       "filter_size": n / 8},
                      {"scale_to_filter": True}]:
            kw = tuple(sorted(dict(QLSI_KW, **extra).items()))

            def run(which, n=n, kw=kw):
                return lambda: _qlsi_run(which, n, 0.3, True, kw)[0]
            yield ("qlsi {0}x{0} angle=0.3 reference=True {1}".format(
                n, extra), run("upstream"), run("qpgo"), TOL)


def random_cases(seed=14, n_oah=80, n_qlsi=40):
    """random shapes, carriers, filters, paddings and grating angles"""
    rng = np.random.default_rng(seed)
    for _ in range(n_oah):
        rows, cols = (int(v) for v in rng.integers(32, 257, 2))
        if rng.random() < 0.4:
            cols = rows
        carrier = (float(np.round(rng.choice([-1, 1]) * rng.uniform(0.1, 0.3),
                                  4)),
                   float(np.round(rng.choice([-1, 1]) * rng.uniform(0.1, 0.3),
                                  4)))
        pad = [False, True, 1, 2, 3][int(rng.integers(5))]
        if not pad:
            cols = rows  # upstream's filter needs a square spectrum
        kws = {"filter_name": FILTERS[int(rng.integers(len(FILTERS)))],
               "filter_size": float(np.round(rng.uniform(0.2, 0.6), 3))}
        yield _oah_case("random oah {}x{} carrier{} padding={!r} {}".format(
            rows, cols, carrier, pad, kws), (rows, cols), carrier,
            {"padding": pad}, kws)
    for _ in range(n_qlsi):
        n = int(rng.integers(32, 257))
        angle = float(np.round(rng.uniform(0, 0.5), 3))
        with_ref = bool(rng.random() < 0.5)
        kws = tuple(sorted(QLSI_KW.items()))

        def run(which, n=n, angle=angle, with_ref=with_ref):
            return lambda: _qlsi_run(which, n, angle, with_ref, kws)[0]
        yield ("random qlsi {0}x{0} angle={1} reference={2}".format(
            n, angle, with_ref), run("upstream"), run("qpgo"), TOL)


@functools.lru_cache(maxsize=None)
def _qpimage_mods():
    try:  # qpimage 0.9.3 needs it on scikit-image 0.19 (oracle's shim)
        import skimage_rng_shim  # noqa: F401
    except ImportError:
        pass
    import qpimage as up
    import qpgo.qpimage as qp
    return up, qp


def qpimage_cases():
    """the same retrievals through QPImage (which_data raw-oah/raw-qlsi,
    unwrapped phase)"""
    def oah(k, n, pad):
        def run():
            mod = _qpimage_mods()[k]
            h = hologram(n, n, -0.23, -0.14).copy()
            return mod.QPImage(h, which_data="raw-oah",
                               qpretrieve_kw={"padding": pad}).pha
        return run

    def qlsi(k, n, angle):
        def run():
            mod = _qpimage_mods()[k]
            d = qlsi_image(n, n, angle, True, 0).copy()
            r = qlsi_image(n, n, angle, False, 1).copy()
            return mod.QPImage(d, bg_data=r, which_data="raw-qlsi",
                               meta_data={"wavelength": 550e-9},
                               qpretrieve_kw={
                                   "qlsi_pitch_term": 1.87711e-08}).pha
        return run
    for n in [40, 127, 131]:
        for pad in [False, 2]:
            yield ("qpimage raw-oah {0}x{0} padding={1!r}".format(n, pad),
                   oah(0, n, pad), oah(1, n, pad), TOL)
    for n in [64, 200, 256]:
        for angle in [0.1, 0.4]:
            yield ("qpimage raw-qlsi {0}x{0} angle={1}".format(n, angle),
                   qlsi(0, n, angle), qlsi(1, n, angle), TOL)


def cases():
    yield from oah_cases()
    yield from qlsi_cases()
    yield from random_cases()
    yield from qpimage_cases()
