#!/usr/bin/env python3
"""qpgo demo: the main job end to end on generated data.

A short series of synthetic off-axis holograms of a cell drifting through
the field of view (on a tilted background) goes through phase retrieval,
unwrapping and background correction into a QPSeries file in upstream
qpimage's layout; one member is refocused, an imageseries statistic runs
over the phase stack, and PNG pictures (matplotlib) are written.

Usage: python3 examples/demo.py [OUTDIR] [--frames N] [--size PX]
(``make demo`` runs it into build/demo).
"""
import argparse
import os
import pathlib
import sys
import time

import numpy as np

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import qpgo.qpimage  # noqa: E402
from qpgo import imageseries  # noqa: E402

WAVELENGTH = 550e-9     # m
PIXEL_SIZE = 0.25e-6    # m
MEDIUM_INDEX = 1.335


def cell_phase(size, frame, nframes):
    """Phase [rad] of a spherical cell (max 6 rad, so wrapped in the
    hologram) drifting diagonally, plus a tilt of the whole field."""
    y, x = np.mgrid[:size, :size].astype(float)
    t = frame / max(nframes - 1, 1)
    cx = size * (0.38 + 0.24 * t)
    cy = size * (0.45 + 0.1 * np.sin(2 * np.pi * t))
    radius = size * 0.2
    r2 = ((x - cx) ** 2 + (y - cy) ** 2) / radius ** 2
    cell = 6.0 * np.sqrt(np.clip(1 - r2, 0, None))
    tilt = 0.02 * x - 0.015 * y + 0.3
    return cell + tilt, cell


def hologram(phase, rng):
    """Off-axis hologram: carrier at (1/5.3, 1/4.1) cycles/px, noise."""
    size = phase.shape[0]
    y, x = np.mgrid[:size, :size].astype(float)
    carrier = 2 * np.pi * (x / 5.3 + y / 4.1)
    holo = 1 + 0.8 * np.cos(carrier - phase)
    holo += rng.normal(0, 0.02, holo.shape)
    return (holo * 1000).astype(np.float64)


def scale_bar(ax, size_px, pixel_size, length_um=10):
    px = length_um * 1e-6 / pixel_size
    x0, y0 = size_px * 0.06, size_px * 0.92
    ax.plot([x0, x0 + px], [y0, y0], color="white", lw=3)
    ax.text(x0 + px / 2, y0 - size_px * 0.03, "{} µm".format(length_um),
            color="white", ha="center", va="bottom", fontsize=9)


def run(outdir, nframes=8, size=128, quiet=False):
    """Run the demo into `outdir`; returns a dict of written paths."""
    say = (lambda *a: None) if quiet else print
    outdir = pathlib.Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(42)
    timings = {}
    meta = {"wavelength": WAVELENGTH, "pixel size": PIXEL_SIZE,
            "medium index": MEDIUM_INDEX}

    t0 = time.perf_counter()
    truth = [cell_phase(size, i, nframes) for i in range(nframes)]
    holos = [hologram(p, rng) for p, _ in truth]
    timings["generate holograms"] = time.perf_counter() - t0

    # phase retrieval + unwrapping (inside QPImage), background fit
    t0 = time.perf_counter()
    qpis = []
    for i, holo in enumerate(holos):
        qpi = qpgo.qpimage.QPImage(data=holo, which_data="raw-oah",
                                   meta_data=dict(meta, time=i * 0.5,
                                                  identifier="frame{}".format(i)))
        qpis.append(qpi)
    timings["phase retrieval + unwrapping"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    raw_phase0 = qpis[0].pha.copy()
    for qpi in qpis:
        qpi.compute_bg(which_data="phase", fit_offset="mean",
                       fit_profile="tilt", border_px=12)
    timings["background correction (tilt)"] = time.perf_counter() - t0

    # QPSeries file in upstream layout
    t0 = time.perf_counter()
    h5path = outdir / "demo_series.h5"
    if h5path.exists():
        h5path.unlink()
    with qpgo.qpimage.QPSeries(h5file=str(h5path), h5mode="w",
                               identifier="demo series") as qps:
        for qpi in qpis:
            qps.add_qpimage(qpi)
        nmembers = len(qps)
    timings["write QPSeries"] = time.perf_counter() - t0

    # refocus one member (the propagation inverse of a 2 µm defocus)
    t0 = time.perf_counter()
    ref = qpis[nframes // 2].refocus(distance=2e-6, kernel="helmholtz")
    timings["refocus member {}".format(nframes // 2)] = \
        time.perf_counter() - t0

    # imageseries statistics over the corrected phase stack
    t0 = time.perf_counter()
    stack = np.stack([qpi.pha for qpi in qpis]).astype(np.float64)
    ims = imageseries.open(None, "array", data=stack)
    med = imageseries.stats.median(ims)
    avg = imageseries.stats.average(ims)
    timings["imageseries median + average"] = time.perf_counter() - t0

    # pictures
    t0 = time.perf_counter()
    pngs = {}
    ext_um = size * PIXEL_SIZE * 1e6
    pha = qpis[0].pha
    fig, ax = plt.subplots(figsize=(5, 4.2), dpi=100)
    im = ax.imshow(pha, cmap="coolwarm")
    scale_bar(ax, size, PIXEL_SIZE)
    ax.set_title("frame 0: phase after background correction")
    ax.set_xticks([]), ax.set_yticks([])
    fig.colorbar(im, ax=ax, label="phase [rad]")
    fig.tight_layout()
    pngs["phase"] = outdir / "phase.png"
    fig.savefig(pngs["phase"])
    plt.close(fig)

    bg = qpis[0].bg_pha
    fig, axs = plt.subplots(1, 3, figsize=(11, 3.6), dpi=100)
    for ax, img, title in zip(axs, [raw_phase0, bg, pha],
                              ["retrieved + unwrapped", "background fit (tilt)",
                               "corrected"]):
        im = ax.imshow(img, cmap="coolwarm")
        ax.set_title(title)
        ax.set_xticks([]), ax.set_yticks([])
        scale_bar(ax, size, PIXEL_SIZE)
        fig.colorbar(im, ax=ax, label="phase [rad]", shrink=0.85)
    fig.tight_layout()
    pngs["background"] = outdir / "background.png"
    fig.savefig(pngs["background"])
    plt.close(fig)

    row = int(round(size * 0.45))
    xum = np.arange(size) * PIXEL_SIZE * 1e6
    fig, ax = plt.subplots(figsize=(6, 3.6), dpi=100)
    ax.plot(xum, raw_phase0[row], label="retrieved + unwrapped")
    ax.plot(xum, pha[row], label="background corrected")
    ax.plot(xum, truth[0][1][row], "k--", lw=1, label="true cell phase")
    ax.plot(xum, ref.pha[row] - np.median(ref.pha[:12]), lw=1,
            label="member {} refocused 2 µm".format(nframes // 2))
    ax.set_xlabel("x [µm]")
    ax.set_ylabel("phase [rad]")
    ax.set_title("line profile, row {}".format(row))
    ax.legend(fontsize=8)
    fig.tight_layout()
    pngs["profile"] = outdir / "profile.png"
    fig.savefig(pngs["profile"])
    plt.close(fig)

    fig, axs = plt.subplots(1, 2, figsize=(8.5, 3.6), dpi=100)
    for ax, img, title in zip(axs, [med, avg], ["median", "average"]):
        im = ax.imshow(img, cmap="coolwarm")
        ax.set_title("imageseries {} over {} frames".format(title, nframes))
        ax.set_xticks([]), ax.set_yticks([])
        scale_bar(ax, size, PIXEL_SIZE)
        fig.colorbar(im, ax=ax, label="phase [rad]", shrink=0.85)
    fig.tight_layout()
    pngs["stats"] = outdir / "stats.png"
    fig.savefig(pngs["stats"])
    plt.close(fig)

    # one overview (the README picture)
    fig, axs = plt.subplots(1, 3, figsize=(12, 3.6), dpi=80)
    axs[0].imshow(holos[0][:size // 2, :size // 2], cmap="gray")
    axs[0].set_title("hologram (detail)")
    axs[0].set_xticks([]), axs[0].set_yticks([])
    im = axs[1].imshow(pha, cmap="coolwarm")
    scale_bar(axs[1], size, PIXEL_SIZE)
    axs[1].set_title("phase, background corrected")
    axs[1].set_xticks([]), axs[1].set_yticks([])
    fig.colorbar(im, ax=axs[1], label="phase [rad]", shrink=0.85)
    axs[2].plot(xum, raw_phase0[row], label="unwrapped")
    axs[2].plot(xum, bg[row], label="background fit")
    axs[2].plot(xum, pha[row], label="corrected")
    axs[2].set_xlabel("x [µm]"), axs[2].set_ylabel("phase [rad]")
    axs[2].set_title("line profile")
    axs[2].legend(fontsize=8)
    fig.tight_layout()
    pngs["overview"] = outdir / "overview.png"
    fig.savefig(pngs["overview"])
    plt.close(fig)
    timings["PNG pictures (matplotlib)"] = time.perf_counter() - t0

    for qpi in qpis + [ref]:
        qpi.close() if hasattr(qpi, "close") else None

    err = np.abs(pha - truth[0][1])[12:-12, 12:-12]
    say("qpgo demo ({} frames of {}x{} px, pixel size {} µm, "
        "wavelength {} nm)".format(nframes, size, size, PIXEL_SIZE * 1e6,
                                   WAVELENGTH * 1e9))
    say("  1. generated off-axis holograms of a cell drifting through the "
        "field, on a tilted background")
    say("  2. phase retrieval (QPImage which_data='raw-oah') with unwrapping")
    say("  3. background correction: compute_bg(fit_profile='tilt', "
        "border_px=12)")
    say("     frame 0: median |corrected - true| phase = {:.3f} rad".format(
        float(np.median(err))))
    say("  4. QPSeries with {} members -> {}".format(nmembers, h5path))
    say("  5. refocused member {} by 2 µm (helmholtz)".format(nframes // 2))
    say("  6. imageseries median/average over the phase stack "
        "(max of median {:.2f} rad)".format(float(med.max())))
    say("timings:")
    for k, v in timings.items():
        say("  {:<34s} {:8.3f} s".format(k, v))
    say("pictures:")
    for k, p in pngs.items():
        say("  {:<10s} {}".format(k, p))
    say("open the file:")
    say("  python3 -m qpgo info {}".format(h5path))
    say("  python3 -m qpgo show {} 0 -o phase0.png".format(h5path))
    say("  h5py:    h5py.File('{}')['qpi_0/phase/raw'][:]"
        "  (before background correction)".format(h5path))
    say("  qpimage: qpimage.QPSeries(h5file='{}', h5mode='r')"
        ".get_qpimage(0).pha".format(h5path))
    return {"h5": h5path, "pngs": pngs, "nmembers": nmembers,
            "truth": [cell for _, cell in truth],
            "phase_error": float(np.median(err))}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", nargs="?", default=os.path.join("build", "demo"))
    ap.add_argument("--frames", type=int, default=8)
    ap.add_argument("--size", type=int, default=128)
    args = ap.parse_args(argv)
    run(args.outdir, args.frames, args.size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
