"""Image series and QPSeries on Dask (issue 17): a real LocalCluster with
two worker processes on the loopback interface.

Expected values: the single-process qpgo call (itself checked against
upstream elsewhere) compared bit for bit, and numpy's percentile and max,
which is what upstream hexrd computes (median is np.percentile(frames, 50,
axis=0).astype(np.float32)).
"""
import ctypes
import os
import pickle
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

distributed = pytest.importorskip(
    "distributed", reason="dask.distributed not installed (python3-distributed)")
import dask  # noqa: E402
import dask.array as da  # noqa: E402

from qpgo import _lib  # noqa: E402
from qpgo import imageseries  # noqa: E402
from qpgo.imageseries import stats  # noqa: E402
from qpgo.imageseries import _recipe  # noqa: E402
from qpgo.imageseries.process import ProcessedImageSeries  # noqa: E402
from qpgo.imageseries.omega import OmegaImageSeries  # noqa: E402
from qpgo.imageseries.load.hdf5 import HDF5ImageSeriesAdapter  # noqa: E402
from qpgo.imageseries.load.framecache import \
    FrameCacheImageSeriesAdapter  # noqa: E402
from qpgo.qpimage import QPImage, QPSeries  # noqa: E402
from qpgo.flimage import FLImage, FLSeries  # noqa: E402
from qpgo import _dask_series  # noqa: E402


def _bits(a):
    a = np.ascontiguousarray(a)
    return a.dtype, a.shape, a.tobytes()


def _frames(n, rows, cols, seed=0, dtype=np.uint16):
    """the reference.md frame stack: ~1 % spots 1000-3999, rest 100-131"""
    rng = np.random.default_rng(seed)
    a = rng.integers(100, 132, size=(n, rows, cols)).astype(dtype)
    m = rng.random((n, rows, cols)) < 0.01
    a[m] = rng.integers(1000, 4000, size=int(m.sum())).astype(dtype)
    return a


@pytest.fixture(scope="module")
def client():
    import cloudpickle
    # functions of this module travel by value (the workers cannot import
    # the test module)
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True,
        host="127.0.0.1", dashboard_address=None, silence_logs=40)
    c = distributed.Client(cluster, set_as_default=False)
    c.wait_for_workers(2)
    yield c
    c.close()
    cluster.close()
    cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("dask")
    a = _frames(120, 48, 40)
    src = imageseries.open(None, "array", data=a,
                           meta={"omega": np.column_stack(
                               [np.arange(120.), np.arange(1., 121.)])})
    h5 = str(d / "frames.h5")
    imageseries.write(src, h5, "hdf5", path="imgs")
    npz = str(d / "frames.npz")
    imageseries.write(src, npz, "frame-cache", threshold=120,
                      cache_file=npz, style="npz")
    fch5 = str(d / "frames.fch5")
    imageseries.write(src, fch5, "frame-cache", threshold=120,
                      cache_file=fch5, style="fch5")
    f = np.random.default_rng(3).normal(size=(60, 24, 20)).astype(np.float32)
    f[5, 3, 3] = np.nan
    f[7, 4, 4], f[2, 4, 4] = -0.0, 0.0
    fl = str(d / "float.h5")
    imageseries.write(imageseries.open(None, "array", data=f), fl, "hdf5",
                      path="imgs")
    return {"dir": d, "a": a, "h5": h5, "npz": npz, "fch5": fch5,
            "f": f, "float": fl}


# --- pickling (recipes) -----------------------------------------------------
def test_file_backed_adapters_and_series_pickle_by_path(files):
    h5 = HDF5ImageSeriesAdapter(files["h5"], path="imgs")
    npz = FrameCacheImageSeriesAdapter(files["npz"], style="npz")
    fch5 = FrameCacheImageSeriesAdapter(files["fch5"], style="fch5")
    for ad in (h5, npz, fch5):
        blob = pickle.dumps(ad)
        assert len(blob) < 4096  # a path, not the frames
        back = pickle.loads(blob)
        assert type(back) is type(ad)
        assert back._hd.h != ad._hd.h  # a handle of its own
        assert _bits(back[7]) == _bits(ad[7])
    ims = imageseries.open(files["h5"], "hdf5", path="imgs")
    back = pickle.loads(pickle.dumps(ims))
    assert len(back) == 120 and _bits(back[119]) == _bits(files["a"][119])
    om = OmegaImageSeries(ims)
    back = pickle.loads(pickle.dumps(om))
    assert isinstance(back, OmegaImageSeries) and back.nwedges == om.nwedges


def test_processed_and_array_series_pickle(files):
    ims = imageseries.open(files["h5"], "hdf5", path="imgs")
    p = ProcessedImageSeries(ims, [("dark", files["a"][0]), ("flip", "v")],
                             frame_list=[3, 1, 4, 1, 5])
    back = pickle.loads(pickle.dumps(p))
    assert len(back) == 5
    for i in range(5):
        assert _bits(back[i]) == _bits(p[i])
    small = imageseries.open(None, "array", data=files["a"][:4])
    back = pickle.loads(pickle.dumps(small))
    assert _bits(back[3]) == _bits(files["a"][3])
    big = imageseries.open(None, "array",
                           data=np.zeros((65, 1024, 1024), np.uint8))
    with pytest.raises(_recipe.NotDistributableError,
                       match="write it to a file first"):
        pickle.dumps(big)


def test_dask_not_imported_until_used():
    code = ("import sys, numpy as np\n"
            "from qpgo import imageseries\n"
            "from qpgo.imageseries import stats\n"
            "import qpgo.qpimage, qpgo.flimage\n"
            "stats.median(np.ones((3, 4, 5), np.uint16))\n"
            "assert 'dask' not in sys.modules, 'dask imported'\n"
            "assert 'distributed' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True,
                   env=dict(os.environ))


# --- to_dask ----------------------------------------------------------------
def test_to_dask_any_scheduler(files, client):
    ims = imageseries.open(files["h5"], "hdf5", path="imgs")
    arr = imageseries.to_dask(ims, frames_per_chunk=32)
    assert isinstance(arr, da.Array)
    assert arr.shape == (120, 48, 40) and arr.dtype == np.uint16
    assert arr.chunks[0] == (32, 32, 32, 24)
    want = files["a"]
    assert _bits(arr.compute(scheduler="threads")) == _bits(want)
    assert _bits(arr.compute(scheduler="sync")) == _bits(want)
    assert _bits(client.compute(arr[50:70]).result()) == _bits(want[50:70])
    # a processed series is rebuilt in the worker from its recipe
    p = ProcessedImageSeries(ims, [("dark", want[0]), ("flip", "h")])
    got = client.compute(imageseries.to_dask(p)).result()
    assert _bits(got) == _bits(np.stack([p[i] for i in range(len(p))]))
    # the default chunking: about 64 MiB per chunk
    assert imageseries.to_dask(ims).chunks[0] == (120,)


def test_to_dask_processes_scheduler(files):
    ims = imageseries.open(files["npz"], "frame-cache", style="npz")
    arr = imageseries.to_dask(ims, frames_per_chunk=60)
    got = arr.sum(axis=0).compute(scheduler="processes", num_workers=2)
    # (the cache keeps the values above its threshold)
    dense = np.stack([ims[i] for i in range(len(ims))])
    assert dense.sum() < files["a"].sum()
    assert _bits(got) == _bits(dense.sum(axis=0, dtype=np.uint64))


def test_to_dask_big_in_memory_series_stays_local(client):
    a = np.zeros((65, 1024, 1024), np.uint8)
    a[:, 0, 0] = np.arange(65)
    arr = imageseries.to_dask(imageseries.open(None, "array", data=a))
    # the threaded scheduler uses the series itself
    assert int(arr[:, 0, 0].sum().compute(scheduler="threads")) == 2080
    with pytest.raises(_recipe.NotDistributableError, match="65.0 MiB"):
        stats.median(a, client=client)


# --- statistics ---------------------------------------------------------------
@pytest.mark.parametrize("key", ["h5", "fch5", "float"])
def test_stats_distributed_bit_for_bit(files, client, key):
    if key == "float":
        ims = imageseries.open(files["float"], "hdf5", path="imgs")
    elif key == "fch5":
        ims = imageseries.open(files["fch5"], "frame-cache", style="fch5")
    else:
        ims = imageseries.open(files["h5"], "hdf5", path="imgs")
    for name, args in (("max", ()), ("min", ()), ("sum", ()),
                       ("average", ()), ("median", ()),
                       ("percentile", (99,)), ("percentile", (12.5,))):
        for nframes in (0, 37):
            want = getattr(stats, name)(ims, *args, nframes=nframes)
            got = getattr(stats, name)(ims, *args, nframes=nframes,
                                       client=client)
            assert _bits(got) == _bits(want), (key, name, args, nframes)
    # what upstream computes, with numpy
    data = np.stack([ims[i] for i in range(len(ims))])
    got = stats.median(ims, client=client)
    assert _bits(got) == _bits(  # upstream: percentile 50
        np.percentile(data, 50, axis=0).astype(np.float32))
    got = stats.percentile(ims, 99, client=client)
    assert _bits(got) == _bits(
        np.percentile(data, 99, axis=0).astype(np.float32))
    if key != "float":
        assert _bits(stats.max(ims, client=client)) == _bits(data.max(0))


def test_stats_distributed_waves_and_errors(files, client):
    ims = imageseries.open(files["h5"], "hdf5", path="imgs")
    want = stats.median(ims)
    # a buffer of a few rows: many waves, each reading the frames once
    with dask.config.set({"qpgo.stats-buffer": 120 * 40 * 2 * 3}):
        assert _bits(stats.median(ims, client=client)) == _bits(want)
        p = ProcessedImageSeries(ims, [("flip", "t")])
        assert _bits(stats.average(p, client=client)) == \
            _bits(stats.average(p))
    with pytest.raises(Exception) as local:
        stats.percentile(ims, 101)
    with pytest.raises(type(local.value), match="range"):
        stats.percentile(ims, 101, client=client)


def test_stats_inside_a_client_context(files, client):
    ims = imageseries.open(files["h5"], "hdf5", path="imgs")
    want = stats.median(ims)
    with distributed.Client(client.cluster) as c2:
        with distributed.get_task_stream(c2) as ts:
            got = stats.median(ims)  # the default client
        assert _bits(got) == _bits(want)
        assert len(ts.data) > 0
        # in-memory data stay local under an implicit client
        with distributed.get_task_stream(c2) as ts:
            stats.median(files["a"])
        assert len(ts.data) == 0


def _worker_pids(client):
    return client.run(os.getpid)


def _kill_one_when_busy(client, marker, timeout=30.0):
    """SIGKILL a worker process once it runs a task whose key contains
    `marker` (its results so far are lost with it)"""
    pids = _worker_pids(client)
    t0 = time.time()
    while time.time() - t0 < timeout:
        busy = [w for w, ts in client.processing().items()
                if any(marker in str(k) for k in ts)]
        if busy:
            os.kill(pids[busy[0]], signal.SIGKILL)
            return busy[0]
        time.sleep(0.005)
    raise AssertionError("no task {} started".format(marker))


def test_worker_killed_during_median(files, client):
    ims = imageseries.open(files["h5"], "hdf5", path="imgs")
    want = stats.median(ims)
    res = {}

    def run():
        with dask.config.set({"qpgo.stats-buffer": 120 * 40 * 2 * 2}):
            res["got"] = stats.median(ims, client=client)

    th = threading.Thread(target=run)
    th.start()
    # killed while band tasks run: the pieces read there are lost and
    # read again from the file
    killed = _kill_one_when_busy(client, "qpgo-band")
    th.join(60)
    assert _bits(res["got"]) == _bits(want)
    client.wait_for_workers(2, timeout=30)
    assert killed not in _worker_pids(client)


# --- series of images -----------------------------------------------------------
def _tilt_bg(qpi):
    qpi.compute_bg(which_data="phase", fit_profile="tilt",
                   fit_offset="mean", border_px=4)
    return qpi


def _slow_tilt_bg(qpi):
    time.sleep(0.15)
    return _tilt_bg(qpi)


def _mk(n, h5file, rng, x, y):
    qps = QPSeries(h5file=h5file, h5mode="w") if h5file else QPSeries()
    for k in range(n):
        qps.add_qpimage(QPImage(data=0.01 * x - 0.02 * y + k +
                                rng.normal(0, 0.01, x.shape),
                                which_data="phase",
                                meta_data={"wavelength": 5.5e-7,
                                           "time": float(k)}),
                        identifier="frame-{:03d}".format(k))
    return qps


def test_qpseries_map_one_writer_and_killed_worker(files, client):
    d = files["dir"]
    qps = _mk_series(16, str(d / "in.h5"))
    want = qps.map(_tilt_bg)  # single process
    res = {}

    def run():
        res["out"] = qps.map(_slow_tilt_bg, client=client,
                             h5file=str(d / "out.h5"))

    th = threading.Thread(target=run)
    th.start()
    time.sleep(0.3)
    killed = _kill_one_when_busy(client, "_packed")
    th.join(90)
    out = res["out"]
    # every member once, in order, equal to the single-process result
    assert out.identifiers == ["frame-{:03d}".format(k) for k in range(16)]
    for k in range(16):
        assert _bits(out[k].pha) == _bits(want[k].pha)
        assert out[k]["time"] == float(k)
    out.close()
    with QPSeries(h5file=str(d / "out.h5"), h5mode="r") as back:
        assert len(back) == 16
        assert _bits(back[9].pha) == _bits(want[9].pha)
    client.wait_for_workers(2, timeout=30)
    assert killed not in _worker_pids(client)


def _mk_series(n, h5file):
    rng = np.random.default_rng(5)
    y, x = np.mgrid[:40, :48]
    return _mk(n, h5file, rng, x, y)


def _double(fli):
    return FLImage(data=2 * fli.fl, meta_data={"time": fli["time"]})


def test_flseries_map(client):
    fls = FLSeries()
    for k in range(5):
        fls.add_flimage(FLImage(data=np.full((8, 9), k + 0.5),
                                meta_data={"time": float(k)}))
    out = fls.map(_double, client=client)
    assert isinstance(out, FLSeries) and len(out) == 5
    for k in range(5):
        assert _bits(out[k].fl) == _bits(np.full((8, 9), 2 * k + 1.0))
        assert out[k]["time"] == float(k)


def _holo(n, size=64):
    """reference.md holograms (uint8)"""
    y, x = np.mgrid[:size, :size] - size / 2
    r = np.hypot(x, y)
    disk = 0.5 * (1 - np.tanh((r - size / 5) / 3))
    rng = np.random.default_rng(7)
    out = []
    for k in range(n):
        amp = 1 - 0.2 * disk
        holo = 1 + amp ** 2 + 2 * amp * np.cos(
            2 * np.pi * (-0.23 * x - 0.14 * y) + 2 * disk * (1 + 0.1 * k)) + \
            rng.normal(0, 0.02, x.shape)
        out.append(np.clip(np.round(60 * holo), 0, 255).astype(np.uint8))
    return np.stack(out)


def _retrieve(holo, index):
    return QPImage(holo, which_data="raw-oah",
                   meta_data={"wavelength": 6.33e-7, "time": float(index)})


def test_hologram_frames_and_acquisition_file(files, client):
    d = files["dir"]
    holos = _holo(6)
    hf = str(d / "holo.h5")
    imageseries.write(imageseries.open(None, "array", data=holos), hf,
                      "hdf5", path="holo")
    ims = imageseries.open(hf, "hdf5", path="holo")
    got = _dask_series.map_frames(ims, _retrieve, client=client,
                                  h5file=str(d / "ret.h5"))
    for k in range(6):
        want = _retrieve(holos[k], k)
        assert _bits(got[k].pha) == _bits(want.pha)
    got.close()
    # an acquisition file written through series/stream
    lib = _lib.lib()
    lib.qps_stream_create.argtypes = [ctypes.c_char_p, ctypes.c_int64,
                                      ctypes.c_int64, ctypes.c_char_p,
                                      ctypes.POINTER(ctypes.c_int64)]
    lib.qps_stream_append.argtypes = [ctypes.c_int64, ctypes.c_void_p,
                                      ctypes.c_void_p, ctypes.c_double,
                                      ctypes.c_void_p]
    lib.qps_stream_close.argtypes = [ctypes.c_int64]
    sf = str(d / "acq.h5")
    h = ctypes.c_int64(0)
    _lib.check(lib.qps_stream_create(sf.encode(), 40, 48, b'{"swmr": true}',
                                     ctypes.byref(h)))
    y, x = np.mgrid[:40, :48]
    phases = [0.01 * x + 0.03 * y + k for k in range(5)]
    for k, pha in enumerate(phases):
        amp = np.ones_like(pha)
        _lib.check(lib.qps_stream_append(h.value, pha.ctypes.data,
                                         amp.ctypes.data, 10.0 + k, None))
    _lib.check(lib.qps_stream_close(h.value))
    out = _dask_series.map_stream(sf, _tilt_bg, client=client,
                                  meta_data={"wavelength": 5e-7})
    local = _dask_series.map_stream(sf, _tilt_bg)
    assert len(out) == 5
    for k in range(5):
        assert _bits(out[k].pha) == _bits(local[k].pha)
        assert out[k]["time"] == 10.0 + k
        assert out[k]["wavelength"] == 5e-7
        # the tilt is removed: what is left is the noise-free offset
        assert np.abs(out[k].pha - out[k].pha.mean()).max() < 1e-3


# --- bounded memory -----------------------------------------------------------
def _start_rss(dask_worker):
    import psutil
    proc = psutil.Process()
    st = {"base": proc.memory_info().rss, "stop": False}
    st["peak"] = st["base"]

    def loop():
        while not st["stop"]:
            st["peak"] = max(st["peak"], proc.memory_info().rss)
            time.sleep(0.002)

    threading.Thread(target=loop, daemon=True).start()
    dask_worker._qpgo_rss = st


def _stop_rss(dask_worker):
    st = dask_worker._qpgo_rss
    time.sleep(0.01)
    st["stop"] = True
    return st["peak"] - st["base"]


def test_2000_frame_median_bounded_worker_memory(files, client):
    pytest.importorskip("psutil")
    a = _frames(2000, 128, 128, seed=11)  # 64 MiB of frames
    path = str(files["dir"] / "f2000.h5")
    imageseries.write(imageseries.open(None, "array", data=a), path, "hdf5",
                      path="imgs")
    del a
    ims = imageseries.open(path, "hdf5", path="imgs")
    want = stats.median(ims)
    client.run(_start_rss)
    with dask.config.set({"qpgo.stats-buffer": "8MiB"}):
        got = stats.median(ims, client=client)
    growth = client.run(_stop_rss)
    assert _bits(got) == _bits(want)
    stack = 2000 * 128 * 128 * 2
    for w, g in growth.items():
        # each worker holds about its 8 MiB buffer (measured: 17-25 MiB
        # of RSS growth in all; about 105 MiB in one wave without the
        # bound), never its share of the 64 MiB stack
        assert g < 0.6 * stack, (w, g / 2.0**20)
