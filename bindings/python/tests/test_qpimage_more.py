"""QPImage.refocus, QPImage() without data, ImageData.set_bg and the
bg_estimate module (against fixtures)."""
import warnings

import numpy as np
import pytest

from conftest import load_case, resolve, assert_close, typed_equal
from qpgo.qpimage import QPImage, bg_estimate
from qpgo.qpimage.meta import MetaDataMissingError

REFOCUS = ["refocus_fresnel_nopad", "refocus_fresnel_pad",
           "refocus_fresnel_pad_odd", "refocus_helmholtz_nopad",
           "refocus_helmholtz_pad", "refocus_helmholtz_pad_odd"]


def _refocus_input(case):
    p = case["params"]
    field = resolve(case, case["inputs"]["field"])
    return QPImage(data=field, which_data="field", meta_data=p["meta_data"])


@pytest.mark.parametrize("name", REFOCUS)
def test_refocus_fixture(name):
    case = load_case(name)
    p, exp, tol = case["params"], case["expected"], case["tolerance"]
    qpi = _refocus_input(case)
    r = qpi.refocus(p["distance"], kernel=p["kernel"], padding=p["padding"])
    for key in ["raw_pha", "raw_amp", "pha", "amp"]:
        assert_close(getattr(r, key), resolve(case, exp[key]), tol[key], key)
    assert r.shape == tuple(exp["shape"])
    assert r.dtype == np.dtype(exp["storage_dtype"])
    assert r["identifier"] == exp["identifier"]
    meta = r.meta
    assert sorted(meta) == sorted(exp["meta"])
    for k, tv in exp["meta"].items():
        assert typed_equal(meta[k], tv["value"], tv["type"]), k
    # refocused image carries no background
    assert np.all(r.bg_pha == 0) and np.all(r.bg_amp == 1)


def test_refocus_method_deprecated_and_iface(tmp_path):
    case = load_case("refocus_fresnel_nopad")
    p = case["params"]
    qpi = _refocus_input(case)
    with pytest.warns(DeprecationWarning, match="`method` is deprecated"):
        r1 = qpi.refocus(p["distance"], method="fresnel", padding=False)
    r2 = qpi.refocus(p["distance"], kernel="fresnel", padding=False)
    assert r1 == r2
    r5, rf = qpi.refocus(p["distance"], kernel="fresnel", padding=False,
                         ret_refocus_iface=True)
    assert r5 == r2 and rf.kernel == "fresnel" and rf.padding is False
    path = tmp_path / "ref.h5"
    with qpi.refocus(p["distance"], kernel="fresnel", padding=False,
                     h5file=path) as r3:
        assert r3 == r2
    with QPImage(h5file=path, h5mode="r") as r4:
        assert r4["identifier"] == case["expected"]["identifier"]


def test_refocus_needs_meta():
    qpi = QPImage(np.ones((8, 8)), proc_phase=False)
    with pytest.raises(MetaDataMissingError):
        qpi.refocus(1e-6)


def test_qpimage_without_data():
    qpi = QPImage()
    assert qpi.meta["qpimage version"] == "0.9.3"
    qpi2 = QPImage(meta_data={"wavelength": 5e-7})
    assert qpi2["wavelength"] == 5e-7
    qpi.close()
    qpi2.close()


def test_get_bg_of_broadcast_dataset():
    qpi = QPImage(np.zeros((5, 6)), proc_phase=False)
    qpi._pha.set_bg(0.5, key="fit")
    qpi._amp.set_bg(np.full((5, 1), 2.0), key="data")
    assert np.allclose(qpi._amp.get_bg("data"), 2.0)
    assert np.allclose(qpi._pha.get_bg("fit"), 0.5)


def test_image_data_set_bg():
    pha = np.linspace(0, 1, 30).reshape(5, 6)
    qpi = QPImage(pha, proc_phase=False)
    bg = np.full((5, 6), 0.25)
    qpi._pha.set_bg(bg, key="data")
    assert np.allclose(qpi.bg_pha, 0.25, atol=1e-7)
    assert np.allclose(qpi.pha, pha - 0.25, atol=1e-6)
    qpi._pha.set_bg(0.5, key="fit", attrs={"fit_offset": "mean"})
    assert np.allclose(qpi.bg_pha, 0.75, atol=1e-7)
    qpi._amp.set_bg(np.full((5, 1), 2.0), key="data")  # broadcast
    assert np.allclose(qpi.amp, 0.5)
    qpi._pha.set_bg(None, key="fit")
    with pytest.raises(KeyError):
        qpi._pha.get_bg("fit")
    with pytest.raises(ValueError):
        qpi._pha.set_bg("peter")
    with pytest.raises(ValueError):
        qpi._pha.set_bg(bg, key="peter")


# --- bg_estimate -------------------------------------------------------------
def test_estimate_tilt_mean_details():
    case = load_case("bg_tilt_mean")
    exp, tol = case["expected"], case["tolerance"]
    pha = resolve(case, case["inputs"]["pha"])
    # compute_bg fits the stored (float32) image
    img = pha.astype(np.float32).astype(np.float64)
    bg, mask = bg_estimate.estimate(img, fit_offset="mean",
                                    fit_profile="tilt", border_px=4,
                                    ret_mask=True)
    assert_close(bg, resolve(case, exp["bg_fit_pha_float64"]),
                 tol["bg_fit_pha_float64"], "bg")
    assert np.array_equal(mask, resolve(case, exp["returned_mask"]))
    assert mask.sum() == exp["bg_fit_pha_details"]["n_mask"]
    # the profile alone + the mean offset of the residual
    prof = bg_estimate.profile_tilt(img, mask)
    off = np.mean((img - prof)[mask])
    assert np.allclose(prof + off, bg, atol=1e-10)
    # tilt model: off + mx*x + my*y with x = row - M//2, y = col - N//2
    d = exp["bg_fit_pha_details"]["profile_params"]
    M, N = img.shape
    x = np.arange(M)[:, None] - M // 2
    y = np.arange(N)[None, :] - N // 2
    model = d["off"] + d["mx"] * x + d["my"] * y
    assert np.allclose(prof, model, atol=1e-7)
    # no ret_mask: only the background
    bg2 = bg_estimate.estimate(img, border_px=4)
    assert np.array_equal(bg, bg2)


@pytest.mark.parametrize("offset", ["mean", "mode", "gauss"])
def test_estimate_offset_reference_200(offset):
    case = load_case("bg_offset_reference_200")
    exp, tol = case["expected"], case["tolerance"]
    pha = resolve(case, case["inputs"]["pha"])
    assert abs(pha.mean() - exp["mean_of_input"]) <= 1e-12
    bg = bg_estimate.estimate(pha, fit_offset=offset, fit_profile="offset",
                              border_px=5)
    key = "mean_pha_{}_float64".format(offset)
    assert abs(np.mean(pha - bg) - exp[key]) <= tol[key]["atol"]
    # the offset helpers on the border values give the same number
    mask = np.ones(pha.shape, dtype=bool)
    mask[5:-5, 5:-5] = False
    if offset == "mode":
        assert np.allclose(bg, bg_estimate.offset_mode(pha[mask]),
                           atol=1e-12)
    elif offset == "gauss":
        g = bg_estimate.offset_gaussian(pha[mask])
        assert isinstance(g, float)
        assert np.allclose(bg, g, atol=1e-7)


def test_profile_poly2o_exact():
    M, N = 12, 15
    x = np.arange(M)[:, None] - M // 2
    y = np.arange(N)[None, :] - N // 2
    data = 0.3 + 0.01 * x - 0.02 * y + 1e-3 * x ** 2 + 2e-3 * y ** 2 \
        + 5e-4 * x * y
    mask = np.ones((M, N), dtype=bool)
    assert np.allclose(bg_estimate.profile_poly2o(data, mask), data,
                       atol=1e-9)


def test_estimate_errors():
    data = np.zeros((10, 10))
    with pytest.raises(ValueError, match="fit_profile"):
        bg_estimate.estimate(data, fit_profile="peter", fit_offset="peter")
    with pytest.raises(ValueError, match="fit_offset"):
        bg_estimate.estimate(data, fit_offset="peter")
    with pytest.raises(ValueError):
        bg_estimate.estimate(data, fit_offset="fit", fit_profile="offset",
                             border_px=2)
    with pytest.raises(AssertionError):
        bg_estimate.estimate(data, from_mask=[[True]])
    with pytest.raises(ValueError):
        bg_estimate.offset_mode(np.array([1.0, np.nan]))
