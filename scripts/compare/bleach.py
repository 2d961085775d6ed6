"""Bleach correction (flimage FLSeries.bleach_correction): qpgo vs upstream

Series of 3 to 120 frames (40×48 px, non-square so that border widths of
20–23 px select the whole image along one axis only), border_px 0–30.
Each case compares the concatenation [bg, flint, decay, times] and, for
some cases, the corrected frames written to h5out.

Upstream runs in one worker subprocess (all cases at once, on the first
call of a run_upstream) with numpy's AVX-512 code paths disabled
(NPY_DISABLE_CPU_FEATURES): numpy then evaluates sin, arcsin and exp with
the C library, as libqpgo does. With AVX-512, numpy's own vector sin/exp
differ from the C library in the last bit, and the short series' fits
(3–7 frames, a parameter at a bound) amplify that: upstream's decay curve
itself moves by up to 3e-8 relative between CPUs with and without
AVX-512, and by up to 1e-3 between numpy's and the C library's functions.

Module interface of scripts/compare (see compare_upstream.py): cases()
yields (name, run_upstream, run_qpgo, tol).
"""
import os
import pathlib
import subprocess
import sys
import tempfile

import numpy as np

TOL = 1e-9
SHAPE = (40, 48)
#: (frames, decay rate per time unit, time step)
SERIES = [(3, 0.3, 1.0), (4, 0.05, 0.5), (7, 0.2, 1.0), (12, 0.1, 2.0),
          (25, 0.02, 1.0), (60, 0.03, 0.25), (120, 0.01, 1.0)]
BORDERS = list(range(0, 31))
#: borders of the long series (60 and 120 frames; well-conditioned fits)
BORDERS_LONG = sorted(set(range(0, 31, 3)) | {1, 20, 21, 22, 23, 24, 30})
#: numpy's dispatched AVX-512 targets (NPY_DISABLE_CPU_FEATURES accepts these)
_AVX512_TARGETS = {"AVX512F", "AVX512CD", "AVX512_KNL", "AVX512_KNM",
                   "AVX512_SKX", "AVX512_CLX", "AVX512_CNL", "AVX512_ICL",
                   "AVX512_SPR"}


def make_series(nframes, rate, dt, seed=None):
    """Frames of a decaying blob on a noisy background, and their times"""
    rng = np.random.default_rng(
        seed if seed is not None else 1000 * nframes + int(rate * 1000))
    rows, cols = SHAPE
    y, x = np.mgrid[:rows, :cols]
    blob = 80 * np.exp(-((y - 17.3) ** 2 + (x - 25.1) ** 2) / 60)
    blob += 30 * np.exp(-((y - 30) ** 2 + (x - 9) ** 2) / 20)
    times = 3.0 + dt * np.arange(nframes)
    frames = []
    for t in times:
        fl = 12 + blob * (0.8 * np.exp(-rate * t) + 0.2)
        fl = fl + rng.normal(0, 1.5, size=SHAPE)
        frames.append(fl)
    return frames, times


def _run(mod, frames, times, border_px, corrected):
    fls = mod.FLSeries()
    for ii, (fl, t) in enumerate(zip(frames, times)):
        fls.add_flimage(mod.FLImage(data=fl, meta_data={
            "time": float(t), "identifier": "f{}".format(ii)}))
    if corrected:
        import tempfile
        import pathlib
        with tempfile.TemporaryDirectory() as td:
            out = pathlib.Path(td) / "out.h5"
            bg, flint, decay, tt = fls.bleach_correction(
                h5out=str(out), border_px=border_px)
            with mod.FLSeries(h5file=str(out), h5mode="r") as fo:
                cf = np.array([fo[i].fl for i in range(len(fo))])
        return np.concatenate([[bg], flint, decay, tt, cf.ravel()])
    bg, flint, decay, tt = fls.bleach_correction(border_px=border_px)
    return np.concatenate([[bg], flint, decay, tt])


def run_upstream(frames, times, border_px, corrected=False):
    import flimage
    return _run(flimage, frames, times, border_px, corrected)


def run_qpgo(frames, times, border_px, corrected=False):
    import qpgo.flimage
    return _run(qpgo.flimage, frames, times, border_px, corrected)


def _specs():
    """(name, frames, times, border_px, corrected) of every case"""
    for nframes, rate, dt in SERIES:
        frames, times = make_series(nframes, rate, dt)
        for b in (BORDERS if nframes < 60 else BORDERS_LONG):
            corrected = b in (0, 13, 24) and nframes <= 12
            name = "bleach_n{}_border{}{}".format(
                nframes, b, "_corrected" if corrected else "")
            yield name, frames, times, b, corrected


def _avx512_features():
    try:
        from numpy.core._multiarray_umath import __cpu_features__ as feat
    except ImportError:
        return []
    return sorted(k for k, v in feat.items() if v and k in _AVX512_TARGETS)


_UPSTREAM = {}


def _upstream(name):
    """Upstream's result of case `name` (all computed by one worker)"""
    if not _UPSTREAM:
        with tempfile.TemporaryDirectory() as td:
            out = pathlib.Path(td) / "upstream.npz"
            env = dict(os.environ)
            feats = _avx512_features()
            if feats:
                env["NPY_DISABLE_CPU_FEATURES"] = " ".join(feats)
            subprocess.run([sys.executable, os.path.abspath(__file__),
                            "--upstream-worker", str(out)], env=env,
                           check=True)
            with np.load(out) as data:
                _UPSTREAM.update({k: data[k] for k in data.files})
    return _UPSTREAM[name]


def cases():
    for name, frames, times, b, corrected in _specs():
        yield (name,
               lambda name=name: _upstream(name),
               lambda f=frames, t=times, b=b, c=corrected:
                   run_qpgo(f, t, b, c),
               TOL)


if __name__ == "__main__" and sys.argv[1:2] == ["--upstream-worker"]:
    res = {}
    for name, frames, times, b, corrected in _specs():
        res[name] = run_upstream(frames, times, b, corrected)
    np.savez(sys.argv[2], **res)
