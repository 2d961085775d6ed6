"""qpgo.flimage: FLImage/FLSeries files, bleach correction, denoising,
progress and cancellation."""
import multiprocessing
import shutil

import numpy as np
import pytest

import qpgo
from conftest import load_case, resolve, assert_close, typed_equal
from qpgo.flimage import FLImage, FLSeries, META_KEYS_FL
from qpgo.flimage import meta as flmeta
from qpgo.qpimage.meta import MetaDataMissingError


def _check_meta(meta, expected):
    assert sorted(meta) == sorted(expected)
    for k, tv in expected.items():
        assert typed_equal(meta[k], tv["value"], tv["type"]), k


def test_meta_keys():
    assert META_KEYS_FL == [
        'pixel size', 'time', 'angle', 'date', 'device', 'flimage version',
        'focus', 'identifier', 'numerical aperture', 'pos x', 'pos y',
        'qpimage version', 'sim center', 'sim model', 'sim radius',
        'software']
    md = flmeta.FLMetaDict()
    with pytest.raises(KeyError):
        md["wavelength"] = 1
    with pytest.raises(MetaDataMissingError):
        md["time"]
    assert issubclass(flmeta.MetaDataMissingError, BaseException)
    assert not issubclass(flmeta.MetaDataMissingError, Exception)


def test_image_file(tmp_path):
    case = load_case("fl_image_file")
    exp, tol = case["expected"], case["tolerance"]
    path = tmp_path / "flimage.h5"
    shutil.copy(case["_dir"] / exp["file"], path)
    with FLImage(h5file=path, h5mode="r") as fli:
        for key in ["raw_fl", "bg_fl", "fl"]:
            assert_close(getattr(fli, key), resolve(case, exp[key]),
                         tol[key], key)
        assert fli.raw_fl.dtype == np.float32
        _check_meta(fli.meta, exp["meta"])
        info = fli.info
        assert len(info) == len(exp["info"])
        for (k, v), (ek, ev, et) in zip(info, exp["info"]):
            assert k == ek and typed_equal(v, ev, et), k
        assert repr(fli) == exp["repr"]
        assert "time" in fli and "wavelength" not in fli
        assert fli["identifier"] == "img_a"


def test_image_write_like_upstream(tmp_path):
    case = load_case("fl_image_file")
    exp, tol = case["expected"], case["tolerance"]
    fl = resolve(case, case["inputs"]["fl"])
    bg = resolve(case, case["inputs"]["bg"])
    path = tmp_path / "f.h5"
    with FLImage(data=fl, meta_data={'pixel size': 2e-7, 'time': 1.5,
                                     'identifier': 'img_a',
                                     'date': '2024-01-02', 'angle': 0.1},
                 h5file=path, h5mode="w") as fli:
        fli.set_bg_data(bg)
    with FLImage(h5file=path, h5mode="r") as fli:
        assert_close(fli.fl, resolve(case, exp["fl"]), tol["fl"], "fl")
        _check_meta(fli.meta, exp["meta"])
        assert repr(fli) == exp["repr"]


def test_image_api():
    data = np.arange(50 * 50, dtype=float).reshape(50, 50)
    fli = FLImage(data=data, meta_data={"pixel size": 1e-7, "time": 1.0})
    assert np.allclose(fli.fl, data)
    s = fli[25:50, 10:15]
    assert s.shape == (25, 5) and np.allclose(s.fl, data[25:50, 10:15])
    assert fli[25:50].shape == (25, 50)
    with pytest.raises(ValueError):
        fli[0]
    c = fli.copy()
    assert c == fli
    c["pixel size"] = 2e-7
    assert c != fli and c["pixel size"] == 2e-7
    with pytest.raises(KeyError):
        fli["wavelength"] = 1
    with pytest.raises(ValueError, match="h5file"):
        FLImage(data="file.h5")
    # F1: lists are accepted
    assert FLImage(data=data.tolist()) == FLImage(data=data)
    # background from an FLImage / removal
    fli.set_bg_data(FLImage(data=np.ones((50, 50))))
    assert np.allclose(fli.fl, data - 1)
    fli.set_bg_data(None)
    assert np.allclose(fli.fl, data)
    assert FLImage().meta["flimage version"] == "0.3.3"
    assert repr(fli._fl).startswith("Fluorescence image")


def test_series_file(tmp_path):
    case = load_case("fl_series_file")
    exp = case["expected"]
    path = tmp_path / "s.h5"
    shutil.copy(case["_dir"] / exp["file"], path)
    stack = resolve(case, exp["fl_stack"])
    with FLSeries(h5file=path, h5mode="r") as fls:
        assert len(fls) == exp["length"]
        assert fls.identifier == exp["identifier"]
        for ii, fli in enumerate(fls):
            assert np.array_equal(fli.fl, stack[ii].astype(np.float64))
            assert fli["time"] == exp["member_times"][ii]
            _check_meta(fli.meta, exp["member_meta"][ii])
        assert "frame3" in fls and fls["frame3"] == fls[3]
        assert fls[-1] == fls[len(fls) - 1]
        with pytest.raises(ValueError):
            fls[-7]
        with pytest.raises(KeyError):
            fls[6]
        with pytest.raises(KeyError):
            fls["nope"]


def test_series_api(tmp_path):
    a = FLImage(data=np.ones((4, 4)), meta_data={"identifier": "peter"})
    b = FLImage(data=np.zeros((4, 4)))
    fls = FLSeries(flimage_list=[a, b], meta_data={"pixel size": 3e-7})
    assert len(fls) == 2 and fls.identifier is None
    assert fls[1]["pixel size"] == 3e-7
    fls.add_flimage(b, identifier="c")
    assert fls[2]["identifier"] == "c"
    with pytest.raises(ValueError):
        fls.add_flimage(a)
    with pytest.raises(ValueError):
        FLSeries(flimage_list=[np.ones((3, 3))])
    with pytest.raises(ValueError, match="h5file"):
        FLSeries(flimage_list="x.h5")
    p = tmp_path / "img.h5"
    FLImage(data=np.ones((3, 3)), h5file=p).close()
    with pytest.raises(ValueError):
        FLSeries(h5file=p)
    with pytest.raises(ValueError):
        FLSeries(h5file=tmp_path / "x.h5", h5mode="r",
                 meta_data={"time": 1.0})


def _series_in(case, tmp_path):
    path = tmp_path / "series_in.h5"
    shutil.copy(case["_dir"] / case["inputs"]["series_file"], path)
    return FLSeries(h5file=path, h5mode="r")


@pytest.mark.parametrize("name", ["fl_bleach_border0", "fl_bleach_border4",
                                  "fl_bleach_border8"])
def test_bleach_correction(name, tmp_path):
    case = load_case(name)
    exp, tol = case["expected"], case["tolerance"]
    fls = _series_in(case, tmp_path)
    out = tmp_path / "series_out.h5"
    bg, flint, decay, times = fls.bleach_correction(
        h5out=out, border_px=case["params"]["border_px"])
    assert isinstance(bg, float)
    assert abs(bg - exp["bg"]) <= tol["bg"]["atol"] + \
        tol["bg"]["rtol"] * abs(exp["bg"])
    for key, val in [("flint", flint), ("decay", decay), ("times", times)]:
        assert_close(val, resolve(case, exp[key]), tol[key], key)
    corrected = resolve(case, exp["corrected"])
    with FLSeries(h5file=out, h5mode="r") as res:
        assert len(res) == len(corrected)
        for ii, fli in enumerate(res):
            assert_close(fli.fl, corrected[ii], tol["corrected"],
                         "corrected[{}]".format(ii))
            _check_meta(fli.meta, exp["corrected_meta"][ii])
    fls.close()


def test_bleach_without_output_and_flscorr(tmp_path):
    case = load_case("fl_bleach_border4")
    fls = _series_in(case, tmp_path)
    bg, flint, decay, times = fls.bleach_correction(border_px=4)
    assert np.allclose(decay, resolve(case, case["expected"]["decay"]),
                       rtol=1e-6, atol=1e-6)
    out = tmp_path / "o.h5"
    fls.bleach_correction(h5out=out, border_px=4, flscorr=fls)
    with FLSeries(h5file=out, h5mode="r") as res:
        assert len(res) == len(fls)
    with pytest.raises(ValueError):
        fls.bleach_correction(flscorr="peter")


def test_bleach_needs_time():
    fls = FLSeries(flimage_list=[FLImage(data=np.ones((8, 8)) * k)
                                 for k in range(1, 4)])
    with pytest.raises(MetaDataMissingError):
        fls.bleach_correction(border_px=2)


def test_denoise(tmp_path):
    case = load_case("fl_denoise")
    exp, tol = case["expected"], case["tolerance"]
    fls = _series_in(case, tmp_path)
    out = tmp_path / "dn.h5"
    fls.denoise(out)
    den = resolve(case, exp["denoised"])
    with FLSeries(h5file=out, h5mode="r") as res:
        assert len(res) == len(den)
        for ii, fli in enumerate(res):
            assert fli.dtype == np.float32
            assert_close(fli.fl, den[ii], tol["denoised"], str(ii))
            _check_meta(fli.meta, exp["denoised_meta"][ii])


def test_progress_value_objects(tmp_path):
    case = load_case("fl_bleach_border4")
    fls = _series_in(case, tmp_path)
    n = len(fls)
    count = multiprocessing.Value("i", 0)
    max_count = multiprocessing.Value("i", 5)  # += semantics
    fls.bleach_correction(h5out=tmp_path / "a.h5", border_px=4,
                          count=count, max_count=max_count)
    assert count.value == 3 * n
    assert max_count.value == 5 + 3 * n
    count.value, max_count.value = 0, 0
    fls.denoise(tmp_path / "b.h5", count=count, max_count=max_count)
    assert count.value == n and max_count.value == n
    with pytest.raises(TypeError):
        fls.denoise(tmp_path / "c.h5", count=object())


def test_progress_callable_and_cancel(tmp_path):
    case = load_case("fl_bleach_border4")
    fls = _series_in(case, tmp_path)
    n = len(fls)
    seen = []

    def progress(done, total):
        seen.append((done, total))
        return done >= 2 * n + 2  # cancel after two written images

    out = tmp_path / "cancel.h5"
    with pytest.raises(qpgo.CancelledError):
        fls.bleach_correction(h5out=out, border_px=4, count=progress)
    assert seen[0] == (1, 3 * n)
    with FLSeries(h5file=out, h5mode="r") as res:
        assert len(res) == 2
        assert res[1]["identifier"] == "frame1"
    # denoise: cancel after one image; the file stays valid
    out2 = tmp_path / "cancel_dn.h5"
    with pytest.raises(qpgo.CancelledError):
        fls.denoise(out2, count=lambda done, total: True)
    with FLSeries(h5file=out2, h5mode="r") as res:
        assert len(res) == 1
    assert issubclass(qpgo.CancelledError, RuntimeError)


def test_progress_exception_propagates(tmp_path):
    case = load_case("fl_bleach_border4")
    fls = _series_in(case, tmp_path)

    def progress(done, total):
        raise ZeroDivisionError("from the callback")

    with pytest.raises(ZeroDivisionError, match="from the callback"):
        fls.denoise(tmp_path / "x.h5", count=progress)


def test_flseries_iteration_equals_indexing(tmp_path):
    # `for fli in fls` steps fls_iter_next (read ahead on a read-only file)
    path = tmp_path / "fls_it.h5"
    rng = np.random.default_rng(8)
    with FLSeries(h5file=path, h5mode="w") as fls:
        for i in range(5):
            fls.add_flimage(FLImage(data=rng.random((9, 11)),
                                    meta_data={"time": float(i)}),
                            identifier="f{}".format(i))
    with FLSeries(h5file=path, h5mode="r") as fls:
        want = [fls[i].fl for i in range(len(fls))]
        got = [f.fl for f in fls]
        times = [f["time"] for f in fls]
    assert len(got) == 5 and times == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert all(np.array_equal(g, w) for g, w in zip(got, want))
