"""qpgo.imageseries against the hexrd imageseries fixtures."""
import json
import shutil

import h5py
import numpy as np
import pytest

from conftest import fixtures_dir
from qpgo import imageseries
from qpgo.imageseries import stats
from qpgo.imageseries.process import ProcessedImageSeries
from qpgo.imageseries.omega import (OmegaImageSeries, OmegaWedges,
                                    OmegaSeriesError)


def case(name):
    d = fixtures_dir() / "imageseries" / name
    c = json.loads((d / "case.json").read_text())
    c["_dir"] = d
    return c


def npy(c, fname):
    return np.load(c["_dir"] / fname, allow_pickle=False)


def input_meta(c):
    out = {}
    for k, tv in c["inputs"].get("metadata", {}).items():
        out[k] = expected_value(c, tv)
    return out


def expected_value(c, tv):
    t = tv["type"]
    if t == "ndarray":
        return npy(c, tv["npy"])
    if t == "numpy.bytes_":
        return np.bytes_(tv["value"].encode("latin-1"))
    if t.startswith("numpy."):
        return np.dtype(tv["dtype"]).type(tv["value"])
    return tv["value"]


def check_metadata(c, meta, expected):
    assert sorted(meta) == sorted(expected)
    for k, tv in expected.items():
        want = expected_value(c, tv)
        got = meta[k]
        if isinstance(want, np.ndarray):
            assert isinstance(got, np.ndarray), k
            assert got.dtype == want.dtype, (k, got.dtype, want.dtype)
            assert got.shape == want.shape, k
            assert np.array_equal(got, want), k
        else:
            assert type(got) is type(want), (k, type(got), type(want))
            assert got == want, k


def check_series(c, ims, metadata=True):
    exp = c["expected"]
    assert len(ims) == exp["len"]
    assert ims.shape == tuple(exp["shape"])
    assert ims.dtype == np.dtype(exp["dtype"])
    frames = npy(c, exp["frames"])
    for i in range(len(ims)):
        f = ims[i]
        assert f.dtype == frames.dtype
        assert np.array_equal(f, frames[i]), i
    assert np.array_equal(ims[-1], frames[-1])
    assert np.array_equal(np.stack(list(ims)), frames)
    if metadata and "metadata" in exp:
        check_metadata(c, ims.metadata, exp["metadata"])




# --- adapters ----------------------------------------------------------------
def test_array_basic():
    c = case("array_basic")
    frames = npy(c, c["inputs"]["frames"])
    ims = imageseries.open(None, "array", data=frames, meta=input_meta(c))
    check_series(c, ims)
    assert np.array_equal(ims.metadata["omega"],
                          npy(c, "inputs_meta_omega.npy"))
    two = imageseries.open(None, "array", data=frames[0])
    exp = c["expected"]
    assert len(two) == exp["two_d_input"]["len"]
    assert two.shape == tuple(exp["two_d_input"]["shape"])
    with pytest.raises(RuntimeError, match="ndim=4"):
        imageseries.open(None, "array", data=frames[None])
    with pytest.raises(RuntimeError, match="zero length imageseries"):
        imageseries.open(None)
    with pytest.raises(KeyError):
        imageseries.open("x", "no-such-format")
    # indexing contract
    with pytest.raises(IndexError):
        ims[len(ims)]
    with pytest.raises(IndexError):
        ims[-len(ims) - 1]
    assert np.array_equal(ims[np.int64(1)], frames[1])  # spec I7
    assert np.array_equal(ims[1, 2:4, 1:3], frames[1, 2:4, 1:3])
    assert np.array_equal(ims[0:2], frames[0:2])
    assert np.array_equal(ims.get_region(2, ((1, 3), (2, 5))),
                          frames[2, 1:3, 2:5])


def test_framecache_npz_read(tmp_path):
    c = case("framecache_npz_uint16")
    shutil.copy(c["_dir"] / "cache.npz", tmp_path / "cache.npz")
    ims = imageseries.open(tmp_path / "cache.npz", "frame-cache",
                           style="npz")
    check_series(c, ims)
    gr = c["expected"]["get_region"]
    assert np.array_equal(ims.get_region(gr["frame"], gr["region"]),
                          npy(c, gr["result"]))
    fi = c["expected"]["fancy_index"]
    got = ims[fi["frame"], np.array(fi["rows"]), np.array(fi["cols"])]
    assert np.array_equal(got, npy(c, fi["result"]))


@pytest.mark.parametrize("name", ["hdf5_default_uint16",
                                  "hdf5_float32_path_options",
                                  "hdf5_int32_uncompressed"])
def test_hdf5_read(name, tmp_path):
    c = case(name)
    shutil.copy(c["_dir"] / "ims.h5", tmp_path / "ims.h5")
    o = c["call"]["open"]
    kw = {k: v for k, v in o.items() if k not in ("format", "filename")}
    with imageseries.open(tmp_path / "ims.h5", "hdf5", **kw) as ims:
        check_series(c, ims, metadata=False)
        # what the library reads right: scalars and 1-d non-int32 arrays
        exp = c["expected"]["metadata"]
        ok = {k: tv for k, tv in exp.items()
              if tv["type"] != "ndarray" or (len(tv["shape"]) == 1 and
                                             tv["dtype"] != "<i4")}
        meta = ims.metadata
        check_metadata(c, {k: meta[k] for k in ok}, ok)


@pytest.mark.parametrize("name", ["hdf5_default_uint16",
                                  "hdf5_read_2d_dataset"])
def test_hdf5_read_metadata(name, tmp_path):
    c = case(name)
    o = c["call"]["open"]
    shutil.copy(c["_dir"] / o["filename"], tmp_path / "f.h5")
    kw = {k: v for k, v in o.items() if k not in ("format", "filename")}
    with imageseries.open(tmp_path / "f.h5", "hdf5", **kw) as ims:
        check_metadata(c, ims.metadata, c["expected"]["metadata"])


def test_hdf5_read_2d_dataset(tmp_path):
    c = case("hdf5_read_2d_dataset")
    shutil.copy(c["_dir"] / "foreign.h5", tmp_path / "foreign.h5")
    ims = imageseries.open(tmp_path / "foreign.h5", "hdf5", path="frame",
                           dataname="images")
    check_series(c, ims, metadata=False)
    assert ims.metadata["detector"] == np.bytes_(b"dexela")
    assert type(ims.metadata["exposure"]) is np.float32
    with pytest.raises(IndexError):
        ims[1]


def test_open_errors(tmp_path):
    with pytest.raises(OSError):
        imageseries.open(tmp_path / "missing.h5", "hdf5", path="x")
    c = case("hdf5_default_uint16")
    f = tmp_path / "ims.h5"
    shutil.copy(c["_dir"] / "ims.h5", f)
    with pytest.raises(KeyError):
        imageseries.open(f, "hdf5")  # no path
    with pytest.raises(KeyError):
        imageseries.open(f, "hdf5", path="imageseries", dataname="nope")
    with pytest.raises(TypeError):
        imageseries.open(f, "frame-cache", style="zip")


# --- writers ------------------------------------------------------------------
def _src(c):
    return imageseries.open(None, "array", data=npy(c, c["inputs"]["frames"]),
                            meta=input_meta(c))


def test_write_hdf5_2d_metadata(tmp_path):
    c = case("hdf5_default_uint16")
    imageseries.write(_src(c), tmp_path / "w.h5", "hdf5", path="x")


def test_write_hdf5_read_by_h5py(tmp_path):
    c = case("hdf5_default_uint16")
    meta = input_meta(c)
    del meta["omega"]  # 2-d attributes: see test_write_hdf5_2d_metadata
    src = imageseries.open(None, "array",
                           data=npy(c, c["inputs"]["frames"]), meta=meta)
    out = tmp_path / "w.h5"
    imageseries.write(src, out, "hdf5", path="imageseries")
    frames = npy(c, c["expected"]["frames"])
    with h5py.File(out, "r") as h5:
        ds = h5["imageseries/images"]
        assert ds.dtype == frames.dtype and ds.shape == frames.shape
        assert np.array_equal(ds[:], frames)
        assert ds.chunks == (1,) + frames.shape[1:]
        assert ds.compression == "gzip" and ds.shuffle
        attrs = h5["imageseries"].attrs
        assert sorted(attrs) == sorted(meta)
        for k, tv in c["expected"]["metadata"].items():
            if k in meta and k != "labels":  # see test below
                want = expected_value(c, tv)
                assert attrs[k].dtype == np.asarray(want).dtype, k
                assert np.array_equal(attrs[k], want), k
    # and read back by qpgo
    with imageseries.open(out, "hdf5", path="imageseries") as ims:
        check_series(c, ims, metadata=False)


def test_write_hdf5_unicode_array_attr(tmp_path):
    labels = np.array(["a", "bc", "def"])
    src = imageseries.open(None, "array", data=np.zeros((2, 3, 4), np.uint16),
                           meta={"labels": labels})
    imageseries.write(src, tmp_path / "w.h5", "hdf5", path="x")
    with h5py.File(tmp_path / "w.h5", "r") as h5:
        assert h5["x"].attrs["labels"].dtype == np.dtype("S3")


def test_write_framecache_npz_read_by_numpy(tmp_path):
    c = case("framecache_npz_uint16")
    src = _src(c)
    out = tmp_path / "cache.npz"
    imageseries.write(src, out, "frame-cache", threshold=50, style="npz")
    ref = np.load(c["_dir"] / "cache.npz", allow_pickle=False)
    got = np.load(out, allow_pickle=False)
    assert sorted(got.files) == sorted(ref.files)
    for k in ref.files:
        assert got[k].dtype == ref[k].dtype, k
        assert np.array_equal(got[k], ref[k]), k
    ims = imageseries.open(out, "frame-cache")
    check_series(c, ims)


def test_write_errors(tmp_path):
    src = imageseries.open(None, "array",
                           data=np.ones((2, 4, 5), np.uint16))
    f = tmp_path / "e.h5"
    with pytest.raises(ValueError):
        imageseries.write(src, f, "hdf5", path="x", gzip=10)
    with pytest.raises(KeyError):
        imageseries.write(src, f, "hdf5")
    with pytest.raises(KeyError):
        imageseries.write(src, tmp_path / "e.npz", "frame-cache")
    with pytest.raises(TypeError):
        imageseries.write(src, f, "frame-cache", threshold=1, style="zip")
    with pytest.raises(KeyError):
        imageseries.write(src, f, "tiff")


# --- process --------------------------------------------------------------------
def _oparg(c, data):
    if isinstance(data, dict) and "npy" in data:
        return npy(c, data["npy"])
    if isinstance(data, list):
        return tuple(tuple(x) if isinstance(x, list) else x for x in data)
    return data


@pytest.mark.parametrize("name", ["process_dark_then_rectangle",
                                  "process_chain_framelist",
                                  "process_flip_r90", "process_add_int",
                                  "process_gauss_laplace_scalar_sigma",
                                  "process_add_row"])
def test_process(name):
    c = case(name)
    pr = c["call"]["process"]
    base = _src(c)
    oplist = [(k, _oparg(c, d)) for k, d in pr["oplist"]]
    ps = ProcessedImageSeries(base, oplist, frame_list=pr["frame_list"])
    exp = c["expected"]
    tol = c["tolerance"].get("frames", c["tolerance"]["default"])
    assert len(ps) == exp["len"]
    assert ps.shape == tuple(exp["shape"])
    assert ps.dtype == np.dtype(exp["dtype"])
    frames = npy(c, exp["frames"])
    for i in range(len(ps)):
        assert ps[i].dtype == frames.dtype
        assert np.allclose(ps[i], frames[i], atol=tol["atol"],
                           rtol=tol["rtol"]), i
    if "metadata" in exp:
        check_metadata(c, ps.metadata, exp["metadata"])


# --- stats ----------------------------------------------------------------------
STATS = ["stats_u16_max_nf0", "stats_u16_max_nf5", "stats_u16_min_nf0",
         "stats_u16_sum_nf5", "stats_u16_average_nf0", "stats_u16_median_nf0",
         "stats_u16_median_nf5", "stats_u16_percentile_90_nf0",
         "stats_u16_percentile_99_nf5", "stats_f32_percentile_33p3_nf4",
         "stats_f32_median_nf4"]


@pytest.mark.parametrize("name", STATS)
def test_stats(name):
    c = case(name)
    frames = npy(c, c["inputs"]["frames"])
    ims = imageseries.open(None, "array", data=frames)
    fn = getattr(stats, c["call"]["function"].split(".")[1])
    res = fn(ims, **c["call"]["args"])
    exp = c["expected"]
    want = npy(c, exp["result"])
    assert res.dtype == np.dtype(exp["dtype"])
    tol = c["tolerance"].get("result", c["tolerance"]["default"])
    assert np.allclose(res, want, atol=tol["atol"], rtol=tol["rtol"])
    # a 3-d ndarray works too
    assert np.array_equal(fn(frames, **c["call"]["args"]), res)


@pytest.mark.parametrize("name", ["stats_u16_max_iter_nchunk3",
                                  "stats_u16_median_iter_nchunks4_nframes7"])
def test_stats_iter(name):
    c = case(name)
    frames = npy(c, c["inputs"]["frames"])
    ims = imageseries.open(None, "array", data=frames)
    fn = getattr(stats, c["call"]["function"].split(".")[1])
    ys = list(fn(ims, **c["call"]["args"]))
    exp = c["expected"]
    assert len(ys) == exp["n_yields"]
    want = npy(c, exp["yields"])
    tol = c["tolerance"].get("yields", c["tolerance"]["default"])
    for y, w in zip(ys, want):
        assert y.dtype == np.dtype(exp["dtype"])
        assert np.allclose(y, w, atol=tol["atol"], rtol=tol["rtol"])


# --- omega ----------------------------------------------------------------------
@pytest.mark.parametrize("name", ["omega_two_wedges_gap", "omega_wrap_360",
                                  "omega_single_wedge"])
def test_omega(name):
    c = case(name)
    om = npy(c, c["inputs"]["omega"])
    n = c["inputs"]["nframes"]
    ims = imageseries.open(None, "array", data=np.zeros((n, 2, 3), np.uint8),
                           meta={"omega": om})
    ois = OmegaImageSeries(ims)
    exp = c["expected"]
    assert len(ois) == exp["len"]
    assert np.array_equal(ois.omega, npy(c, exp["omega"]))
    for q in exp["omega_to_frame"]:
        assert ois.omega_to_frame(q["omega"]) == (q["frame"], q["wedge"]), q
    for r in exp["omegarange_to_frames"]:
        got = ois.omegarange_to_frames(r["omin"], r["omax"])
        assert list(got) == (r["frames"] or []), r


def test_omega_errors():
    c = case("omega_errors")
    n = c["inputs"]["nframes"]
    data = np.zeros((n, 2, 3), np.uint8)
    with pytest.raises(OmegaSeriesError, match="no omega"):
        OmegaImageSeries(imageseries.open(None, "array", data=data))
    for key, match in [("length_mismatch", "mismatch"),
                       ("decreasing", "increasing")]:
        om = npy(c, c["inputs"][key]["omega"])
        ims = imageseries.open(None, "array", data=data, meta={"omega": om})
        with pytest.raises(OmegaSeriesError, match=match):
            OmegaImageSeries(ims)


def test_omega_wedges_builder():
    c = case("omega_wedges_builder")
    ow = OmegaWedges(20)
    ow.addwedge(0, 10, 10)
    ow.addwedge(20, 30, 10)
    assert ow.nwedges == 2 and ow.wframes == 20
    om = ow.omegas
    assert om.shape == (20, 2) and om[10, 0] == 20
    ow.delwedge(1)
    with pytest.raises(OmegaSeriesError):
        ow.omegas


class _FakeImage(object):
    """a fabio image of 3 frames of 2x4 uint16 (frame k holds k)"""

    classname = "FakeImage"
    nframes = 3

    def __init__(self, name):
        self.name = name

    @property
    def data(self):
        return self.getframe(0).data

    def getframe(self, k):
        return type("F", (), {"data": np.full((2, 4), k, np.uint16)})

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_imagefiles_other_formats_through_fabio(tmp_path, monkeypatch):
    # a format libqpgo does not decode is read through fabio.open of the
    # imagefiles module, frame by frame; file list, empty frames, dtype
    # option and indexing stay libqpgo's
    import qpgo.imageseries.load.imagefiles as imf
    for n in ("s1.xyz", "s2.xyz"):
        (tmp_path / n).write_text("not an image libqpgo reads")
    doc = ("image-files:\n  directory: {}\n  files: '*.xyz'\n"
           "options: {{empty-frames: 1}}\nmeta: {{}}\n").format(tmp_path)
    monkeypatch.setattr(imf.fabio, "open", _FakeImage)
    ims = imageseries.open(doc, "image-files")
    assert len(ims) == 4 and ims.shape == (2, 4) and ims.dtype == np.uint16
    assert [int(ims[i][0, 0]) for i in range(4)] == [1, 2, 1, 2]
    assert ims._adapter._file_and_frame(3) == (1, 2)
    with pytest.raises(LookupError):
        ims._adapter._file_and_frame(4)
    assert float(stats.max(ims)[0, 0]) == 2.0

    def broken(name):
        raise IOError("cannot read {}".format(name))
    monkeypatch.setattr(imf.fabio, "open", broken)
    with pytest.raises(IOError, match="cannot read .*s1.xyz"):
        imageseries.open(doc, "image-files")
