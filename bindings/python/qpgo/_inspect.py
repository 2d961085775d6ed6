"""File inspector behind ``python3 -m qpgo info|show``.

The library tells which kind a file is (qpgo_file_kind, Go package
series/filekind); everything printed or rendered is read through qpgo's
public API (QPImage, QPSeries, FLImage, FLSeries, imageseries), so the
inspector shows what the library itself sees in the file. h5py only lists
the names of the stored background datasets.
"""
import ctypes
import os

import numpy as np

from . import _lib


def _file_kind_fn():
    # the prototype is the generated one (_prototypes.py)
    return "qpgo_file_kind"


def detect(path):
    """Return (kind, options) for `path` as libqpgo's qpgo_file_kind
    tells it; kind is one of "qpimage", "QPSeries", "FLImage", "FLSeries",
    "imageseries hdf5", "frame-cache npz", "frame-cache fch5", options
    the imageseries.open keyword arguments of the imageseries kinds."""
    info = _lib.get_json(_file_kind_fn(), _lib.cstr(os.fspath(path), "path"))
    kind = info.pop("kind")
    info.pop("format", None)
    return kind, info


def _bg_names(path, prefix):
    # background datasets present (names only, for the listing)
    import h5py
    out = []
    with h5py.File(path, "r") as h5:
        grp = h5[prefix] if prefix else h5
        for image in ("phase", "amplitude", "fluorescence"):
            if image in grp and "bg_data" in grp[image]:
                for key in grp[image]["bg_data"]:
                    out.append("{}/{}".format(image, key))
    return out


def _fmt_meta(meta):
    items = sorted(dict(meta).items())
    return ", ".join("{}={}".format(k, v) for k, v in items) or "(none)"


def _image_lines(img, arrays, indent="  "):
    lines = []
    for name in arrays:
        arr = getattr(img, name)
        lines.append("{}{}: shape {} dtype {}".format(
            indent, name, tuple(arr.shape), arr.dtype))
    lines.append("{}meta: {}".format(indent, _fmt_meta(img.meta)))
    return lines


def _integrity(qpi_or_path):
    from .qpimage import integrity_check
    try:
        integrity_check.check(qpi_or_path)
    except (integrity_check.IntegrityCheckError, Exception) as e:
        # report a failed check (a BaseException upstream), do not abort
        return "FAILED ({}: {})".format(type(e).__name__, e)
    return "ok"


def info(path):
    """Return the description of `path` as a list of lines."""
    path = os.fspath(path)
    kind, opts = detect(path)
    lines = ["file: {}".format(path), "kind: {}".format(kind)]
    if kind == "qpimage":
        from .qpimage import QPImage
        with QPImage(h5file=path, h5mode="r") as qpi:
            lines.append("members: 1")
            lines += _image_lines(qpi, ["pha", "amp"])
        lines.append("backgrounds: {}".format(
            ", ".join(_bg_names(path, None)) or "(none)"))
        lines.append("integrity check: {}".format(_integrity(path)))
    elif kind == "FLImage":
        from .flimage import FLImage
        with FLImage(h5file=path, h5mode="r") as fli:
            lines.append("members: 1")
            lines += _image_lines(fli, ["fl"])
        lines.append("backgrounds: {}".format(
            ", ".join(_bg_names(path, None)) or "(none)"))
    elif kind in ("QPSeries", "FLSeries"):
        if kind == "QPSeries":
            from .qpimage import QPSeries as cls
            arrays, prefix = ["pha", "amp"], "qpi_"
        else:
            from .flimage import FLSeries as cls
            arrays, prefix = ["fl"], "fli_"
        with cls(h5file=path, h5mode="r") as ser:
            lines.append("identifier: {}".format(ser.identifier))
            lines.append("members: {}".format(len(ser)))
            for i in range(len(ser)):
                img = ser[i]
                lines.append("[{}] {}".format(i, img.meta.get("identifier")))
                lines += _image_lines(img, arrays, indent="    ")
                lines.append("    backgrounds: {}".format(
                    ", ".join(_bg_names(path, prefix + str(i))) or "(none)"))
                if kind == "QPSeries":
                    lines.append("    integrity check: {}".format(
                        _integrity(img)))
    else:
        from . import imageseries
        fmt = "hdf5" if kind == "imageseries hdf5" else "frame-cache"
        ims = imageseries.open(path, fmt, **opts)
        try:
            lines.append("open as: imageseries.open({!r}, {!r}{})".format(
                path, fmt, "".join(", {}={!r}".format(k, v)
                                   for k, v in opts.items())))
            lines.append("members: {} frames".format(len(ims)))
            lines.append("frame shape: {} dtype {}".format(
                tuple(ims.shape), ims.dtype))
            meta = dict(ims.metadata)
            lines.append("metadata:")
            for k in sorted(meta):
                v = np.asarray(meta[k])
                lines.append("  {}: shape {} dtype {}".format(
                    k, v.shape, v.dtype))
        finally:
            ims.close()
    return lines


def image(path, index=0):
    """Return (2-D array, title, colour bar label) of member `index`."""
    path = os.fspath(path)
    kind, opts = detect(path)
    if kind == "qpimage":
        from .qpimage import QPImage
        with QPImage(h5file=path, h5mode="r") as qpi:
            return qpi.pha, "phase", "phase [rad]"
    if kind == "FLImage":
        from .flimage import FLImage
        with FLImage(h5file=path, h5mode="r") as fli:
            return fli.fl, "fluorescence", "fluorescence"
    if kind == "QPSeries":
        from .qpimage import QPSeries
        with QPSeries(h5file=path, h5mode="r") as ser:
            return ser[index].pha, "member {} phase".format(index), \
                "phase [rad]"
    if kind == "FLSeries":
        from .flimage import FLSeries
        with FLSeries(h5file=path, h5mode="r") as ser:
            return ser[index].fl, "member {} fluorescence".format(index), \
                "fluorescence"
    from . import imageseries
    fmt = "hdf5" if kind == "imageseries hdf5" else "frame-cache"
    ims = imageseries.open(path, fmt, **opts)
    try:
        return np.asarray(ims[index]), "frame {}".format(index), "counts"
    finally:
        ims.close()


def show(path, index=0, out=None):
    """Render member/frame `index` of `path` to the PNG `out` (default:
    <file>_<index>.png); returns the PNG path."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    arr, title, label = image(path, index)
    if out is None:
        out = "{}_{}.png".format(os.path.splitext(os.fspath(path))[0], index)
    fig, ax = plt.subplots(figsize=(5, 4), dpi=100)
    im = ax.imshow(arr, cmap="gray" if label == "counts" else "coolwarm")
    ax.set_title("{}: {}".format(os.path.basename(os.fspath(path)), title))
    fig.colorbar(im, ax=ax, label=label)
    fig.savefig(out)
    plt.close(fig)
    return out
