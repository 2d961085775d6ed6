"""h5py.File/h5py.Group objects as `h5file` (borrowed libhdf5 ids), the
`.h5` view and qpimage.core.copyh5, on our own data."""
import numpy as np
import pytest

h5py = pytest.importorskip("h5py")

from qpgo import flimage, qpimage  # noqa: E402

PHA = np.arange(20, dtype=float).reshape(4, 5) / 10


def test_qpimage_in_h5py_file_is_visible_to_caller(tmp_path):
    with h5py.File(tmp_path / "a.h5", "w") as h5:
        qpi = qpimage.QPImage(data=PHA, which_data="phase", h5file=h5,
                              meta_data={"wavelength": 550e-9})
        # written into the caller's own file object, no second open
        assert sorted(h5.keys()) == ["amplitude", "phase"]
        assert np.allclose(h5["phase"]["raw"][:], PHA)
        assert h5.attrs["wavelength"] == 550e-9
        qpi["wavelength"] = 600e-9
        assert h5.attrs["wavelength"] == 600e-9
    with qpimage.QPImage(h5file=tmp_path / "a.h5", h5mode="r") as q2:
        assert np.allclose(q2.pha, PHA)


def test_qpimage_in_h5py_group_and_copy(tmp_path):
    with h5py.File(tmp_path / "a.h5", "w") as h5:
        g = h5.create_group("sub")
        qpi = qpimage.QPImage(data=PHA, which_data="phase", h5file=g)
        assert sorted(g.keys()) == ["amplitude", "phase"]
        assert "phase" not in h5
        with h5py.File(tmp_path / "b.h5", "w") as h2:
            c = qpi.copy(h5file=h2)
            assert np.allclose(c.pha, PHA)
            assert np.allclose(h2["phase"]["raw"][:], PHA)


def test_h5_view(tmp_path):
    qpimage.QPImage(data=PHA, which_data="phase",
                    h5file=tmp_path / "a.h5", h5mode="w").__exit__(None, None, None)
    qpi = qpimage.QPImage(h5file=tmp_path / "a.h5", h5mode="r")
    v = qpi.h5
    assert isinstance(v, h5py.File)
    assert np.allclose(v["phase"]["raw"][:], PHA)
    assert np.allclose(qpi.pha, PHA)
    # as upstream's qpi.h5.close(), closing the view closes the file
    v.close()


def test_qpseries_and_flseries_in_h5py_file(tmp_path):
    qpi = qpimage.QPImage(data=PHA, which_data="phase")
    with h5py.File(tmp_path / "s.h5", "w") as h5:
        qps = qpimage.QPSeries(qpimage_list=[qpi], h5file=h5)
        assert "qpi_0" in h5
        assert isinstance(qps.h5, h5py.File)
    fli = flimage.FLImage(data=PHA)
    with h5py.File(tmp_path / "f.h5", "w") as h5:
        flimage.FLSeries(flimage_list=[fli], h5file=h5)
        assert "fli_0" in h5
        g = h5.create_group("one")
        f2 = flimage.FLImage(data=PHA, h5file=g)
        assert np.allclose(f2.fl, PHA)
        assert "fluorescence" in g


def test_copyh5_paths_and_groups(tmp_path):
    src = tmp_path / "a.h5"
    qpimage.QPImage(data=PHA, which_data="phase", h5file=src,
                    h5mode="w").__exit__(None, None, None)
    fn = qpimage.core.copyh5(inh5=src, outh5=tmp_path / "b.h5")
    assert fn == str(tmp_path / "b.h5")
    with qpimage.QPImage(h5file=fn, h5mode="r") as q:
        assert np.allclose(q.pha, PHA)
    mem = qpimage.core.copyh5(src)
    assert isinstance(mem, h5py.File)
    assert np.allclose(mem["phase"]["raw"][:], PHA)


def test_closed_or_bad_h5py_object(tmp_path):
    h5 = h5py.File(tmp_path / "a.h5", "w")
    h5.close()
    with pytest.raises(ValueError, match="closed h5py object"):
        qpimage.QPImage(data=PHA, h5file=h5)
    with h5py.File(tmp_path / "b.h5", "w") as h5:
        ds = h5.create_dataset("d", data=[1])
        with pytest.raises(TypeError, match="h5py.File or an h5py.Group"):
            qpimage.QPImage(data=PHA, h5file=ds)


def test_denoise_tv_chambolle_errors():
    """flimage.series.denoise_tv_chambolle (values: conformance fl_denoise)
    rejects bad input with clear errors."""
    from qpgo.flimage import series
    with pytest.raises(ValueError, match="2D"):
        series.denoise_tv_chambolle(np.zeros(3))
    with pytest.raises(ValueError, match="weight"):
        series.denoise_tv_chambolle(np.zeros((3, 3)), weight=-1)


def test_copy_into_own_subgroup_is_an_error(tmp_path):
    with h5py.File(tmp_path / "a.h5", "w") as h5:
        qpi = qpimage.QPImage(data=PHA, which_data="phase", h5file=h5)
        with pytest.raises(ValueError, match="inside the source"):
            qpi.copy(h5file=h5.create_group("cp"))


# upstream image_data.write_image_dataset (spec flimage.md "Every on-disk
# image dataset"): whole-image chunk, deflate 9, Fletcher-32 in that order,
# and the three HDFView IMAGE attributes as fixed-length NULLPAD ASCII.
_IMAGE_ATTRS = {"CLASS": b"IMAGE", "IMAGE_VERSION": b"1.2",
                "IMAGE_SUBCLASS": b"IMAGE_GRAYSCALE"}


@pytest.mark.parametrize("h5dtype", [None, "float32", "uint16"])
def test_write_image_dataset_layout(tmp_path, h5dtype):
    from qpgo.qpimage.image_data import write_image_dataset
    data = np.arange(35, dtype=float).reshape(5, 7) * 3.25
    with h5py.File(tmp_path / "w.h5", "w") as h5:
        g = h5.create_group("img")
        dset = write_image_dataset(g, "raw", data, h5dtype=h5dtype)
        assert dset.name == "/img/raw"
        want = data.astype(h5dtype or data.dtype)
        assert dset.dtype == want.dtype
        assert np.array_equal(dset[:], want)
        assert dset.chunks == (5, 7)
        assert dset.compression == "gzip" and dset.compression_opts == 9
        assert dset.fletcher32
        plist = dset.id.get_create_plist()
        assert [plist.get_filter(i)[0] for i in range(plist.get_nfilters())] \
            == [h5py.h5z.FILTER_DEFLATE, h5py.h5z.FILTER_FLETCHER32]
        for k, v in _IMAGE_ATTRS.items():
            assert dset.attrs[k] == v
            t = dset.attrs.get_id(k).get_type()
            assert t.get_size() == len(v)
            assert t.get_strpad() == h5py.h5t.STR_NULLPAD
            assert t.get_cset() == h5py.h5t.CSET_ASCII
        # an existing key is replaced (upstream deletes it first)
        write_image_dataset(g, "raw", data[:2, :3])
        assert g["raw"].shape == (2, 3)
        assert np.array_equal(g["raw"][:], data[:2, :3])


def test_write_image_dataset_core_driver_is_plain():
    from qpgo.qpimage.image_data import write_image_dataset
    data = np.eye(4)
    with h5py.File("mem.h5", "w", driver="core", backing_store=False) as h5:
        dset = write_image_dataset(h5, "x", data)
        assert np.array_equal(dset[:], data)
        assert dset.chunks is None and dset.compression is None
        assert not dset.fletcher32
        assert "CLASS" not in dset.attrs  # upstream: attributes on disk only


def test_write_image_dataset_errors(tmp_path):
    from qpgo.qpimage.image_data import write_image_dataset
    with h5py.File(tmp_path / "w.h5", "w") as h5:
        with pytest.raises(ValueError, match="non-empty 2-d image"):
            write_image_dataset(h5, "x", np.zeros(4))
        with pytest.raises(ValueError, match="unsupported dtype"):
            write_image_dataset(h5, "x", np.array([["a"]]))
        g = h5.create_group("g")
    with pytest.raises(ValueError):  # closed group: libhdf5 id is invalid
        write_image_dataset(g, "x", np.zeros((2, 2)))


def test_image_data_estimate_bg_is_compute_bg():
    yy, xx = np.mgrid[:12, :10]
    pha = 0.01 * xx + 0.02 * yy + 0.3
    pha[4:8, 3:7] += 1.0
    mask = np.ones(pha.shape, dtype=bool)
    mask[4:8, 3:7] = False
    ref = qpimage.QPImage(data=pha, which_data="phase", proc_phase=False)
    ref.compute_bg(which_data="phase", fit_offset="fit", fit_profile="tilt",
                   from_mask=mask)
    qpi = qpimage.QPImage(data=pha, which_data="phase", proc_phase=False)
    qpi._pha.estimate_bg(fit_offset="fit", fit_profile="tilt",
                         from_mask=mask)
    assert np.array_equal(qpi.pha, ref.pha)
    # the tilted plane is removed: what is left is the step only
    assert np.allclose(qpi.pha[mask], 0, atol=1e-6)  # float32 storage
    assert np.allclose(qpi.pha[~mask], 1.0, atol=1e-6)



_H5PY_WRITE = """
import sys, numpy as np, h5py
def write(path):
    rng = np.random.default_rng(3)
    with h5py.File(path, "w") as f:
        f.create_dataset("a", data=rng.integers(0, 50, (300, 200), dtype="u2"),
                         chunks=(64, 64), compression="gzip",
                         compression_opts=4, shuffle=True)
        f.create_dataset("b", data=rng.random((100, 100)), chunks=(100, 100),
                         compression="gzip", fletcher32=True)
if __name__ == "__main__":
    write(sys.argv[1])
"""


def _chunks(path):
    with h5py.File(path, "r") as f:
        out = []
        for k in ("a", "b"):
            d = f[k]
            for i in range(d.id.get_num_chunks()):
                off = d.id.get_chunk_info(i).chunk_offset
                out.append(d.id.read_direct_chunk(off)[1])
        return out, f["a"][...], f["b"][...]


def test_h5py_in_the_same_process_stores_libhdf5s_bytes(tmp_path):
    # qpgo replaces libhdf5's deflate filter in this process (core/h5/
    # deflate.c): h5py's gzip datasets keep the bytes libhdf5 stores and
    # read back unchanged
    import subprocess
    import sys
    plain, here = str(tmp_path / "plain.h5"), str(tmp_path / "here.h5")
    subprocess.run([sys.executable, "-c", _H5PY_WRITE, plain], check=True)
    qpimage.QPImage(data=PHA, which_data="phase")  # libqpgo is loaded
    ns = {"__name__": "h5py_write"}
    exec(compile(_H5PY_WRITE, "h5py_write", "exec"), ns)
    ns["write"](here)
    cp, ap, bp = _chunks(plain)
    ch, ah, bh = _chunks(here)
    assert len(cp) == 5 * 4 + 1 and cp == ch
    assert np.array_equal(ap, ah) and np.array_equal(bp, bh)
