"""Upstream (hexrd.imageseries) names the writers and adapters expose
beside write()/open(): the h5py keywords of WriteH5 (h5opts), the
frame-cache writer's parts (_write_frames*, _check_sparsity,
_process_meta) and the deprecated YAML output (spec I1: upstream raises
AttributeError there; qpgo writes the 0.9.0 layout, which the YAML reader
opens again), raw-image typechars, the Eiger payload decoder. Expected
values are upstream's, written as literals (h5opts, typechars) or decoded
by Dectris' own library when the oracle is installed."""
import os
import warnings

import numpy as np
import pytest
import yaml

from qpgo import imageseries
from qpgo.imageseries import save
from qpgo.imageseries.load import eiger
from qpgo.imageseries.load.rawimage import RawImageSeriesAdapter

SHIM = "/tmp/qpgo-ref/_shim_hexrd"


def _series():
    data = np.zeros((3, 6, 5), np.uint16)
    data[:, 1, 2] = [5, 6, 7]
    data[1, 4, 4] = 9
    return data, imageseries.open(None, "array", data=data,
                                  meta={"omega": np.arange(6.).reshape(3, 2),
                                        "nested": {"a": 1}, "label": "x"})


def test_h5opts_as_upstream():
    _, ims = _series()
    w = save.WriteH5(ims, "t.h5", path="p")
    assert w.h5opts == {"shuffle": True, "compression": "gzip",
                        "compression_opts": 1, "chunks": (1, 6, 5)}
    w = save.WriteH5(ims, "t.h5", path="p", gzip=0, chunk_rows=2,
                     shuffle=False)
    assert w.h5opts == {"shuffle": False, "chunks": (1, 2, 5)}
    w = save.WriteH5(ims, "t.h5", path="p", chunk_rows=99)
    assert w.h5opts["chunks"] == (1, 6, 5)
    blosc = {"compression": 32001, "compression_opts": (0, 0, 0, 0, 5, 1, 5)}
    assert save.WriteH5(ims, "t.h5", path="p", compression=blosc).h5opts == \
        dict(blosc, chunks=(1, 6, 5))


def test_check_sparsity_text():
    _, ims = _series()
    w = save.WriteFrameCache(ims, "x.npz", threshold=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w._check_sparsity(0, 10, 100)  # 10 % kept: no warning
    # spec I8: upstream's trigger and "X% sparse" text, the true cutoff
    with pytest.warns(UserWarning,
                      match=r"^frame 3 is 80\.00% sparse \(cutoff is 90%\)$"):
        w._check_sparsity(3, 20, 100)


def test_write_frames_dispatch_writes_the_style(tmp_path):
    data, ims = _series()
    for style in ("npz", "fch5"):
        fn = str(tmp_path / ("c." + style))
        w = save.WriteFrameCache(ims, fn, style=style, threshold=0)
        w._write_frames()
        back = imageseries.open(fn, "frame-cache", style=style)
        np.testing.assert_array_equal(back[1], data[1])


def test_deprecated_yaml_output_round_trip(tmp_path):
    """spec I1: write(output_yaml=True) warns and writes the YAML + npz
    layout of §2.4, arrays as <base>-<key>.npy triggers, nested dicts
    dropped; the YAML reader opens it again"""
    data, ims = _series()
    yml = str(tmp_path / "fc.yml")
    w = save.WriteFrameCache(ims, yml, threshold=0, cache_file="fc-cache.npz")
    with pytest.warns(DeprecationWarning, match="deprecated"):
        w.write(output_yaml=True)
    with open(yml) as f:
        doc = yaml.safe_load(f)
    assert doc["data"] == {"file": "fc-cache.npz", "dtype": "uint16",
                           "nframes": 3, "shape": [6, 5]}
    npy = os.path.join(str(tmp_path), "fc-omega.npy")
    assert doc["meta"] == {"omega": "! load-numpy-array " + npy,
                           "label": "x"}
    np.testing.assert_array_equal(np.load(npy), ims.metadata["omega"])
    back = imageseries.open(yml, "frame-cache", style="yml")
    for i in range(3):
        np.testing.assert_array_equal(back[i], data[i])
    np.testing.assert_array_equal(back.metadata["omega"],
                                  ims.metadata["omega"])


def test_typechars_as_upstream():
    t = RawImageSeriesAdapter.typechars
    assert [t("i", 1, True, True), t("i", 2, False, False),
            t("i", 4, True, True), t("f", 4, True, True),
            t("d", 8, True, False), t("b", 1, True, True),
            t("i", 2, True, True)] == ["<b", ">H", "<i", "<f", ">d", "<?",
                                       "<h"]
    # spec I10: 8 bytes everywhere ('l' where a C long has 8 bytes, as
    # upstream on Linux; 'q' elsewhere)
    c8 = t("i", 8, True, True)
    assert np.dtype(c8).itemsize == 8 and np.dtype(c8).kind == "i"
    assert c8 == ("<l" if np.dtype("l").itemsize == 8 else "<q")
    assert np.dtype(t("i", 8, False, False)) == np.dtype(">u8")


def _bslz4(raw, es, block):
    """a bslz4 payload made with python-lz4 and numpy (not our encoder)"""
    lz4_block = pytest.importorskip("lz4.block")
    cut = len(raw) - len(raw) % (8 * es)
    out = [len(raw).to_bytes(8, "big"), block.to_bytes(4, "big")]
    for off in range(0, cut, block):
        blk = np.frombuffer(raw[off:min(off + block, cut)], np.uint8)
        n = len(blk) // es
        bits = np.unpackbits(blk.reshape(n, es), axis=1, bitorder="little")
        sh = np.packbits(bits.T, axis=1, bitorder="little").tobytes()
        c = lz4_block.compress(sh, store_size=False)
        out += [len(c).to_bytes(4, "big"), c]
    return b"".join(out) + raw[cut:]


@pytest.mark.parametrize("dtype", ["<u2", "<u4", ">i4", "|u1"])
def test_bslz4_decoded_in_go(dtype):
    rng = np.random.default_rng(3)
    arr = rng.integers(0, 120, size=(37, 29)).astype(dtype)
    payload = _bslz4(arr.tobytes(), arr.dtype.itemsize, 8 * 8 * 4 * 3)
    if os.path.isdir(SHIM):
        import sys
        sys.path.insert(0, SHIM)
        try:
            from dectris.compression import decompress
        finally:
            sys.path.remove(SHIM)
        # the payload is what Dectris' decoder reads
        assert decompress(payload, "bslz4",
                          elem_size=arr.dtype.itemsize) == arr.tobytes()
    else:
        print("oracle not installed: the payload is checked by our decoder "
              "only")
    d = {"compression_type": "bslz4", "data": np.void(payload),
         "shape": arr.shape, "dtype": arr.dtype.str,
         "elem_size": arr.dtype.itemsize}
    out = eiger.decompress_frame(d)
    assert out.dtype == arr.dtype
    np.testing.assert_array_equal(out, arr)
    d["data"] = np.void(payload[:-7])
    with pytest.raises(OSError):
        eiger.decompress_frame(d)


def test_unsigned_dark_clamps_not_wraps():
    """spec I4 (a known upstream defect, §6): upstream's uint16 0 - 4 wraps
    to 65532 and its clamp at 0 has no effect; qpgo clamps at 0 and keeps
    upstream's result dtype. Compared live with hexrd when installed."""
    from qpgo.imageseries.process import ProcessedImageSeries
    img = np.array([[[0, 10], [3, 4]]], np.uint16)
    dark = np.array([[4, 4], [4, 4]], np.uint16)
    ims = imageseries.open(None, "array", data=img)
    out = ProcessedImageSeries(ims, [("dark", dark)])[0]
    assert out.dtype == np.uint16
    np.testing.assert_array_equal(out, [[0, 6], [0, 0]])
    if not os.path.isdir(SHIM):
        print("oracle not installed: upstream's wrap-around not compared")
        return
    import subprocess
    import sys
    code = ("import numpy as np\n"
            "from hexrd.core import imageseries\n"
            "from hexrd.core.imageseries.process import "
            "ProcessedImageSeries\n"
            "img = np.array([[[0, 10], [3, 4]]], np.uint16)\n"
            "ims = imageseries.open(None, 'array', data=img)\n"
            "o = ProcessedImageSeries(ims, [('dark', np.full((2, 2), 4, "
            "np.uint16))])[0]\n"
            "print(o.dtype, o.ravel().tolist())\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True,
                       text=True, env=dict(os.environ, PYTHONPATH=SHIM))
    if r.returncode != 0:
        pytest.skip("oracle hexrd not importable: " + r.stderr[-300:])
    assert r.stdout.split(None, 1) == ["uint16", "[65532, 6, 65535, 0]\n"]


def test_hdf5_bad_gzip_leaves_the_truncated_file(tmp_path):
    """as h5py: the file is created before the dataset options fail"""
    ims = imageseries.open(None, "array", data=np.zeros((2, 3, 4)))
    fn = tmp_path / "g.h5"
    with pytest.raises(ValueError, match="GZIP setting must be an integer "
                                         "from 0-9, not 10"):
        imageseries.write(ims, str(fn), "hdf5", path="p", gzip=10)
    assert fn.exists()


def test_imagefiles_fabio_and_fileinfo():
    """load.imagefiles.fabio.open reads one image file through libqpgo
    (fabio's image API); FileInfo, _checkvalue and the GEL scaling as
    upstream. The TIFF data come from the fixture's own inputs."""
    from conftest import fixtures_dir
    from qpgo.imageseries.load import imagefiles as imf
    case = fixtures_dir() / "imageseries" / "imagefiles_tif_dtype_maxtotal"
    raw = np.load(case / "inputs_image_data.npy")  # (file, frame, r, c)
    with imf.fabio.open(str(case / "a_001.tif")) as img:
        assert img.nframes == 1 and img.classname == "TifImage"
        np.testing.assert_array_equal(img.data, raw[1, 0])
        np.testing.assert_array_equal(img.getframe(0).data, raw[1, 0])
    info = imf.FileInfo(str(case / "a_000.tif"), empty=0, max_frames=0)
    assert (info.fabioclass, info.nframes, info.shape, info.dtype) == \
        ("TifImage", 1, raw.shape[2:], raw.dtype)
    assert "fabio class: TifImage" in str(info)
    with pytest.raises(ValueError, match="more empty frames than images"):
        imf.FileInfo(str(case / "a_000.tif"), empty=1)
    assert imf.ImageFilesImageSeriesAdapter._checkvalue(None, 5, "m") == 5
    with pytest.raises(ValueError, match="^inconsistent$"):
        imf.ImageFilesImageSeriesAdapter._checkvalue(3, 4, "inconsistent")
    gel = np.array([[0, 255], [128, 64]], np.uint8)
    # upstream: (~raw)**2 * 2.9452155399372724e-07
    np.testing.assert_allclose(
        imf._process_gel_data(gel),
        [[65025 * 2.9452155399372724e-07, 0.0],
         [127 ** 2 * 2.9452155399372724e-07,
          191 ** 2 * 2.9452155399372724e-07]], rtol=0, atol=0)


@pytest.mark.parametrize("fmt,kw", [
    ("frame-cache", dict(style="fch5", threshold=0)),
    ("hdf5", dict()),
])
def test_write_into_an_open_h5py_file_or_group(tmp_path, fmt, kw):
    """an open h5py.File/Group is written into (its own identifier,
    borrowed): the caller's object sees the result before it is closed"""
    h5py = pytest.importorskip("h5py")
    data, _ = _series()
    ims = imageseries.open(None, "array", data=data)
    fn = tmp_path / "state.h5"
    with h5py.File(fn, "w") as f:
        g = f.create_group("top")
        imageseries.write(ims, g, fmt, path="images/det", **kw)
        assert "images/det" in g
        imageseries.write(ims, f, fmt, path="again", **kw)
        assert "again" in f
    for p in ("top/images/det", "again"):
        back = imageseries.open(str(fn), fmt, path=p,
                                **({"style": "fch5"} if kw else {}))
        for i in range(len(data)):
            np.testing.assert_array_equal(back[i], data[i])


def test_framecache_load_metadata_legacy():
    from qpgo.imageseries.load.framecache import FrameCacheImageSeriesAdapter
    from conftest import fixtures_dir
    d = fixtures_dir() / "imageseries" / "framecache_npz_uint16"
    npz = next(p for p in d.iterdir() if p.suffix == ".npz")
    a = FrameCacheImageSeriesAdapter(str(npz), style="npz")
    meta = {'k-array': [1, 2], 'k': '++np.array', 'std': 1,
            'trig': '! unknown-trigger x'}
    res = a.load_metadata(meta)
    # as upstream: only "++np.array" is resolved, other values pass
    assert set(res) == {'k', 'std', 'trig'}
    np.testing.assert_array_equal(res['k'], [1, 2])
    assert res['std'] == 1 and res['trig'] == '! unknown-trigger x'
    assert 'k-array' not in meta
