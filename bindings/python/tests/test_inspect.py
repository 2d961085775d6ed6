"""`python3 -m qpgo info|show` on every fixture file kind, and the demo.

Expected kinds come from each fixture's case.json (what upstream wrote),
member counts and shapes from reading the files with h5py/numpy or from the
fixture's expected frames, never from the inspector itself.
"""
import importlib.util
import json

import h5py
import matplotlib.image
import numpy as np
import pytest

from conftest import REPO, fixtures_dir
from qpgo import __main__ as cli
from qpgo import _inspect

# case.json "kind" -> the kind the inspector must name (.npz/.fch5 files
# are frame caches whatever the case)
CASE_KIND = {
    "hdf5_qpimage": "qpimage", "integrity_check": "qpimage",
    "hdf5_qpseries": "QPSeries",
    "hdf5_flimage": "FLImage",
    "hdf5_flseries": "FLSeries", "bleach_correction": "FLSeries",
    "denoise": "FLSeries",
    "hdf5": "imageseries hdf5", "hdf5-read": "imageseries hdf5",
}


def fixture_files():
    root = fixtures_dir()
    out = []
    for ext in ("*.h5", "*.npz", "*.fch5"):
        out += sorted(root.rglob(ext))
    return out


FILES = fixture_files()


def expected(path):
    """(kind, member count, image shape) from the fixture itself."""
    case = json.loads((path.parent / "case.json").read_text())
    if path.suffix == ".npz":
        kind = "frame-cache npz"
    elif path.suffix == ".fch5":
        kind = "frame-cache fch5"
    else:
        kind = CASE_KIND[case["kind"]]
    if kind in ("qpimage", "FLImage", "QPSeries", "FLSeries"):
        with h5py.File(path, "r") as h5:
            image = "fluorescence" if kind[:2] == "FL" else "phase"
            if kind in ("qpimage", "FLImage"):
                return kind, 1, h5[image]["raw"].shape
            prefix = "fli_" if kind == "FLSeries" else "qpi_"
            n = len([k for k in h5 if k.startswith(prefix)])
            return kind, n, h5[prefix + "0"][image]["raw"].shape
    if path.suffix == ".npz":
        # the frame cache's own header entries (expected_frames of a
        # "process" case are the processed frames)
        z = np.load(path)
        return kind, int(z["nframes"]), tuple(int(s) for s in z["shape"])
    frames = np.load(path.parent / "expected_frames.npy")
    if frames.ndim == 2:
        frames = frames[None]
    return kind, frames.shape[0], frames.shape[1:]


def test_every_kind_is_covered():
    kinds = {expected(p)[0] for p in FILES}
    assert kinds == {"qpimage", "QPSeries", "FLImage", "FLSeries",
                     "imageseries hdf5", "frame-cache npz",
                     "frame-cache fch5"}


@pytest.mark.parametrize("path", FILES,
                         ids=[str(p.relative_to(fixtures_dir()))
                              for p in FILES])
def test_info(path, capsys):
    kind, n, shape = expected(path)
    assert cli.main(["info", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "kind: {}".format(kind) in out
    if kind in ("qpimage", "FLImage", "QPSeries", "FLSeries"):
        assert "members: {}".format(n) in out
        arr = "  fl" if kind[:2] == "FL" else "  pha"
        if kind in ("QPSeries", "FLSeries"):
            arr = "  " + arr
        shapes = [ln for ln in out if ln.startswith(arr + ": shape")]
        assert len(shapes) == n
        assert all("shape {}".format(tuple(shape)) in ln for ln in shapes)
        assert any(ln.startswith("  meta: ") or ln.startswith("    meta: ")
                   for ln in out)
        assert any("backgrounds: " in ln for ln in out)
    else:
        assert "members: {} frames".format(n) in out
        assert any(ln.startswith("frame shape: {} dtype".format(
            tuple(shape))) for ln in out)


def test_info_qpimage_details(capsys):
    path = fixtures_dir() / "h5_qpimage_full" / "qpimage.h5"
    assert cli.main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    assert "identifier=cell_A" in out
    assert "wavelength=5.5e-07" in out
    assert "backgrounds: phase/data, phase/fit, amplitude/data, " \
        "amplitude/fit" in out
    assert "integrity check: ok" in out


@pytest.mark.parametrize("case,msg", [
    ("integrity_intact/qpimage.h5", "integrity check: ok"),
    ("integrity_tampered_fit/qpimage_tampered.h5",
     "integrity check: FAILED (IntegrityCheckError: Wrong estimated "
     "(fitted) background!)"),
    ("integrity_missing_attributes/qpimage_nometa.h5",
     "integrity check: FAILED (IntegrityCheckError: Attributes are "
     "missing: ['medium index', 'pixel size', 'time']"),
])
def test_info_integrity(case, msg, capsys):
    assert cli.main(["info", str(fixtures_dir() / case)]) == 0
    assert msg in capsys.readouterr().out


def test_info_errors(tmp_path, capsys):
    assert cli.main(["info", str(tmp_path / "missing.h5")]) == 1
    assert "Unable to open file" in capsys.readouterr().err
    junk = tmp_path / "junk.h5"
    junk.write_bytes(b"not hdf5 at all")
    assert cli.main(["info", str(junk)]) == 1
    assert "is neither an HDF5 file nor a .npz frame cache" in \
        capsys.readouterr().err
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as h5:
        h5["x"] = np.arange(3)
    assert cli.main(["info", str(other)]) == 1
    assert "not a qpimage, QPSeries" in capsys.readouterr().err


def check_png(path, width, height):
    assert path.is_file()
    img = matplotlib.image.imread(str(path))
    assert img.shape[:2] == (height, width)
    assert np.var(img[..., :3]) > 0


@pytest.mark.parametrize("case,index,name", [
    ("h5_qpimage_full/qpimage.h5", 0, "phase"),
    ("h5_qpseries/qpseries.h5", 2, "member 2 phase"),
    ("fl_image_file/flimage.h5", 0, "fluorescence"),
    ("fl_series_file/flseries.h5", 5, "member 5 fluorescence"),
    ("imageseries/hdf5_default_uint16/ims.h5", 6, "frame 6"),
    ("imageseries/framecache_fch5_uint16/cache.fch5", 1, "frame 1"),
    ("imageseries/framecache_npz_uint16/cache.npz", 0, "frame 0"),
])
def test_show(case, index, name, tmp_path, capsys):
    out = tmp_path / "out.png"
    assert cli.main(["show", str(fixtures_dir() / case), str(index),
                     "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    check_png(out, 500, 400)  # figsize 5x4 in at 100 dpi


def test_show_image_values():
    # the rendered array is the member's data as h5py reads it
    path = fixtures_dir() / "imageseries" / "hdf5_default_uint16" / "ims.h5"
    arr, title, _ = _inspect.image(path, 3)
    with h5py.File(path, "r") as h5:
        np.testing.assert_array_equal(arr, h5["imageseries/images"][3])
    assert title == "frame 3"


def test_show_bad_index(tmp_path, capsys):
    path = fixtures_dir() / "h5_qpseries" / "qpseries.h5"
    assert cli.main(["show", str(path), "7", "-o",
                     str(tmp_path / "x.png")]) == 1
    assert capsys.readouterr().err.startswith("qpgo: ")
    assert not (tmp_path / "x.png").exists()


def load_demo():
    spec = importlib.util.spec_from_file_location(
        "qpgo_demo", REPO / "examples" / "demo.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_demo(tmp_path):
    demo = load_demo()
    res = demo.run(tmp_path, nframes=3, size=96, quiet=True)
    sizes = {"phase": (500, 420), "background": (1100, 360),
             "profile": (600, 360), "stats": (850, 360),
             "overview": (960, 288)}
    assert set(res["pngs"]) == set(sizes)
    for key, (w, h) in sizes.items():
        check_png(res["pngs"][key], w, h)
    with h5py.File(res["h5"], "r") as h5:
        assert sorted(k for k in h5) == ["qpi_0", "qpi_1", "qpi_2"]
        for i in range(3):
            grp = h5["qpi_{}".format(i)]
            assert grp["phase/raw"].shape == (96, 96)
            assert "fit" in grp["phase/bg_data"]
            # the corrected phase is the generated cell within 0.15 rad
            # (the sideband filter limits the resolution at the edge)
            pha = grp["phase/raw"][:] - grp["phase/bg_data/fit"][:]
            truth = res["truth"][i]
            inner = truth > 1
            assert np.median(np.abs(pha - truth)[inner]) < 0.15
        assert h5["qpi_1"].attrs["time"] == 0.5
    assert res["phase_error"] < 0.1


@pytest.mark.parametrize("case,lines", [
    ("h5_qpseries/qpseries.h5", ["kind: QPSeries", "members: 3"]),
    ("fl_image_file/flimage.h5", ["kind: FLImage", "members: 1"]),
    ("imageseries/hdf5_float32_path_options/ims.h5",
     ["kind: imageseries hdf5", "members: 5 frames",
      "frame shape: 20x18, dtype code 10"]),
    ("imageseries/framecache_fch5_uint16/cache.fch5",
     ["kind: frame-cache fch5", "members: 6 frames"]),
])
def test_c_qpgo_info(case, lines):
    # build/qpgo-info (make build) prints the same through the C ABI
    import subprocess
    exe = REPO / "build" / "qpgo-info"
    if not exe.is_file():
        raise AssertionError("{} is missing: run make build".format(exe))
    out = subprocess.run([str(exe), str(fixtures_dir() / case)],
                         capture_output=True, text=True, check=True)
    got = out.stdout.splitlines()
    for ln in lines:
        assert ln in got
    bad = subprocess.run([str(exe), str(fixtures_dir() / "missing.h5")],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "Unable to open file" in bad.stderr
