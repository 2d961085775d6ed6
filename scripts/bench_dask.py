#!/usr/bin/env python3
"""make bench: image-series medians on a dask.distributed LocalCluster.

- S7: median over 200 frames of 1024x1024 uint16 (the frame stack of
  ../shared/bench/reference.md) read from an HDF5 file: qpgo in one
  process, and on 2 worker processes; ratio upstream / qpgo.
- a 1000-frame median (512x512 uint16 unless --size) on 1 vs 2 workers.

Workers are processes with one thread and GOMAXPROCS=1 each, so "1 vs 2
workers" is the scaling over the machine's cores; results are checked
against the single-process call (bit for bit). Fastest of --repeat runs.
"""
import argparse
import os
import pathlib
import re
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "bindings" / "python"))

import numpy as np  # noqa: E402


def frames(n, size, seed):
    """reference.md frame stack: ~1 % spots 1000-3999, the rest 100-131"""
    rng = np.random.default_rng(seed)
    a = rng.integers(100, 132, size=(n, size, size), dtype=np.uint16)
    m = rng.random((n, size, size)) < 0.01
    a[m] = rng.integers(1000, 4000, size=int(m.sum()), dtype=np.uint16)
    return a


def write_file(path, n, size, seed=0):
    from qpgo import imageseries
    a = np.empty((n, size, size), np.uint16)
    for k in range(0, n, 50):
        a[k:k + 50] = frames(min(50, n - k), size, seed + k)
    imageseries.write(imageseries.open(None, "array", data=a), path, "hdf5",
                      path="imgs")


def upstream_s(rowid):
    ref = HERE.parent.parent / "shared" / "bench" / "reference.md"
    try:
        for line in ref.read_text().splitlines():
            cells = [c.strip() for c in line.split("|")]
            if len(cells) > 3 and cells[1] == rowid:
                return float(re.sub(r"[^0-9.]", "", cells[3]))
    except OSError:
        pass
    return None


def best(fn, repeat):
    t = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        t.append(time.perf_counter() - t0)
    return min(t), out


def cluster(n):
    import distributed
    c = distributed.LocalCluster(
        n_workers=n, threads_per_worker=1, processes=True,
        host="127.0.0.1", dashboard_address=None, silence_logs=40,
        env={"GOMAXPROCS": "1"})
    cl = distributed.Client(c, set_as_default=False)
    cl.wait_for_workers(n)
    return c, cl


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=512,
                    help="frame size of the 1000-frame median (512)")
    ap.add_argument("--frames", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("dask: python3-distributed not installed, skipped")
        return 0
    from qpgo import imageseries
    from qpgo.imageseries import stats

    tmp = tempfile.mkdtemp(prefix="qpgo-bench-dask-")
    s7 = os.path.join(tmp, "s7.h5")
    big = os.path.join(tmp, "big.h5")
    try:
        write_file(s7, 200, 1024)
        write_file(big, args.frames, args.size, seed=1000)
        ims7 = imageseries.open(s7, "hdf5", path="imgs")
        imsb = imageseries.open(big, "hdf5", path="imgs")
        t_local, want7 = best(lambda: stats.median(ims7), args.repeat)
        t_bl, wantb = best(lambda: stats.median(imsb), args.repeat)
        res = {}
        for nw in (1, 2):
            c, cl = cluster(nw)
            try:
                stats.median(imageseries.open(None, "array",
                                              data=np.zeros((2, 4, 4),
                                                            np.uint16)),
                             client=cl)  # warm up the workers
                t7, got7 = best(lambda: stats.median(ims7, client=cl),
                                args.repeat)
                tb, gotb = best(lambda: stats.median(imsb, client=cl),
                                args.repeat)
            finally:
                cl.close()
                c.close()
            if got7.tobytes() != want7.tobytes() or \
                    gotb.tobytes() != wantb.tobytes():
                print("FAIL: distributed median differs from the "
                      "single-process one")
                return 1
            res[nw] = (t7, tb)
    finally:
        for p in (s7, big):
            if os.path.exists(p):
                os.remove(p)
        os.rmdir(tmp)

    up = upstream_s("S7")

    def ratio(t):
        return "{:.2f}x".format(up / t) if up else "-"

    print("dask.distributed LocalCluster (workers: processes, 1 thread, "
          "GOMAXPROCS=1; fastest of {}):".format(args.repeat))
    print("{:<5} {:<44} {:>9} {:>11} {:>8}".format(
        "id", "workload", "qpgo s", "upstream s", "ratio"))
    print("{:<5} {:<44} {:>9.2f} {:>11} {:>8}".format(
        "S7", "median 200 frames, one process", t_local, up or "-",
        ratio(t_local)))
    for nw in (1, 2):
        print("{:<5} {:<44} {:>9.2f} {:>11} {:>8}".format(
            "S7", "median 200 frames, {} worker(s)".format(nw), res[nw][0],
            up or "-", ratio(res[nw][0])))
    name = "median {} frames {}x{}".format(args.frames, args.size,
                                           args.size)
    print("{:<5} {:<44} {:>9.2f}".format("-", name + ", one process", t_bl))
    for nw in (1, 2):
        print("{:<5} {:<44} {:>9.2f}".format(
            "-", "{}, {} worker(s)".format(name, nw), res[nw][1]))
    print("      scaling 1 -> 2 workers: S7 {:.2f}x, {} frames {:.2f}x".format(
        res[1][0] / res[2][0], args.frames, res[1][1] / res[2][1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
