#!/usr/bin/env python3
"""Hostile-file suite (issue 18): damaged and crafted files of every kind
qpgo reads, each opened and fully read through Python and through C
(reader.c), one case at a time in long-lived worker processes with a
per-case watchdog.

Per case and reader the outcome is one of
  clean error  - an exception of an Exception class (Python) / an error
                 code with a message (C)
  correct      - read completely (the same data as the undamaged file or
                 the data the damaged file holds)
  crash        - the worker died (signal, Go fatal error, abort)
  over time    - no answer within --timeout seconds (default 2): killed
  over memory  - peak RSS of the case above --max-rss-mb (default 1024)
  changed      - the sha256 of an input file changed
  wrong class  - (Python) a BaseException that is not an Exception
Crash, over time, over memory and changed fail the suite; wrong class
fails it with --strict-classes.

Mutants are generated from the fixtures in ../shared/fixtures (relative to
the checkout) with fixed seeds: bit flips, overwritten and zeroed blocks,
truncation, copied blocks and rewritten structure (fields after HDF5
signatures, zip headers, npy shapes, YAML lines). Crafted cases cover huge
declared shapes, negative and inconsistent sizes, wrong element types,
links and cycles, zip/deflate bombs and YAML alias bombs.

  run.py [--per-kind N] [--seed S] [--kinds a,b] [--save-failures DIR]
  run.py --fuzz SECONDS --save-failures tests/hostile/corpus   (make fuzz)
Cases saved in tests/hostile/corpus/<name>/ (case.json + files) are
replayed on every run.
"""
import argparse
import hashlib
import json
import os
import random
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIX = os.path.join(os.path.dirname(ROOT), "shared", "fixtures")
CORPUS = os.path.join(HERE, "corpus")

# kind: (fixture dir, file to open, reader kind, ims format, options, files to mutate)
KINDS = {
    "qpimage": ("h5_qpimage_full", "qpimage.h5", "qpi", "", "", ["qpimage.h5"]),
    "qpseries": ("h5_qpseries", "qpseries.h5", "qps", "", "", ["qpseries.h5"]),
    "flimage": ("fl_image_file", "flimage.h5", "fli", "", "", ["flimage.h5"]),
    "flseries": ("fl_series_file", "flseries.h5", "fls", "", "", ["flseries.h5"]),
    "ims_hdf5": ("imageseries/hdf5_default_uint16", "ims.h5", "ims", "hdf5",
                 {"path": "imageseries"}, ["ims.h5"]),
    "ims_hdf5_blosc": ("imageseries/hdf5_blosc_uint16", "ims.h5", "ims", "hdf5",
                       {"path": "imageseries"}, ["ims.h5"]),
    "npz": ("imageseries/framecache_npz_uint16", "cache.npz", "ims", "frame-cache",
            {"style": "npz"}, ["cache.npz"]),
    "fch5": ("imageseries/framecache_fch5_uint16", "cache.fch5", "ims", "frame-cache",
             {"style": "fch5"}, ["cache.fch5"]),
    "legacy_yml": ("imageseries/framecache_yml_legacy", "cache.yml", "ims", "frame-cache",
                   {"style": "yml"}, ["cache.npz", "cache.npz", "cache.yml"]),
    "raw": ("imageseries/rawimage_uint16_bigendian", "raw.yml", "ims", "raw-image", "",
            ["frames.raw", "raw.yml"]),
    "image_files_tif": ("imageseries/imagefiles_tif_uint16", "files.yml", "ims", "image-files", "",
                        ["img_000.tif", "img_001.tif", "files.yml"]),
    "image_files_ge": ("imageseries/imagefiles_ge_multiframe", "files.yml", "ims", "image-files", "",
                       ["img_000.ge2", "files.yml"]),
}

H5_SIGS = [b"\x89HDF", b"OHDR", b"OCHK", b"TREE", b"HEAP", b"SNOD", b"GCOL", b"BTHD",
           b"BTIN", b"BTLF", b"FRHP", b"FHDB", b"FHIB", b"FSHD", b"FSSE", b"SMTB", b"SMLI"]
ZIP_SIGS = [b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06", b"\x93NUMPY", b"'shape': ("]


# ---- mutation ---------------------------------------------------------------

def mutate(data, rng, name):
    """One deterministic mutation of data (bytes) chosen by rng."""
    b = bytearray(data)
    n = len(b)
    if n == 0:
        return bytes(b), "empty"
    text = name.endswith((".yml", ".yaml"))
    op = rng.choice(["flip", "flip", "overwrite", "zero", "truncate", "copy", "struct", "struct"]
                    + (["text", "text", "text"] if text else []))
    if op == "flip":
        k = rng.randint(1, 8)
        for _ in range(k):
            i = rng.randrange(n)
            b[i] ^= 1 << rng.randrange(8)
        return bytes(b), "flip%d" % k
    if op == "overwrite":
        i, k = rng.randrange(n), rng.randint(1, 64)
        b[i:i + k] = bytes(rng.randrange(256) for _ in range(min(k, n - i)))
        return bytes(b), "overwrite@%d+%d" % (i, k)
    if op == "zero":
        i, k = rng.randrange(n), rng.randint(1, 512)
        b[i:i + k] = bytes(min(k, n - i))
        return bytes(b), "zero@%d+%d" % (i, k)
    if op == "truncate":
        i = rng.randrange(n)
        return bytes(b[:i]), "truncate@%d" % i
    if op == "copy":
        i, j, k = rng.randrange(n), rng.randrange(n), rng.randint(4, 256)
        blk = b[i:i + k]
        b[j:j + len(blk)] = blk
        return bytes(b[:n]), "copy%d->%d+%d" % (i, j, k)
    if op == "text":
        lines = bytes(b).split(b"\n")
        i = rng.randrange(len(lines))
        how = rng.choice(["del", "dup", "num", "alias", "garbage"])
        if how == "del":
            del lines[i]
        elif how == "dup":
            lines.insert(i, lines[i])
        elif how == "num":
            lines[i] = re.sub(rb"\d+", lambda m: rng.choice(
                [b"-1", b"0", b"99999999999", b"1e308", b"-7", b"4294967297"]), lines[i], count=1)
        elif how == "alias":
            lines.insert(i, b"bomb: &a [x, x, x, x, x, x, x, x, x, x]")
            lines.insert(i + 1, b"bomb2: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]")
            lines.insert(i + 2, b"bomb3: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]")
        else:
            lines[i] = bytes(rng.randrange(32, 127) for _ in range(rng.randint(1, 40)))
        return b"\n".join(lines), "text-" + how
    # struct: rewrite bytes right after a structure signature
    sigs = H5_SIGS + ZIP_SIGS
    offs = [m.start() for s in sigs for m in re.finditer(re.escape(s), bytes(b))]
    if not offs:
        i = rng.randrange(n)
    else:
        i = rng.choice(offs) + rng.randint(4, 48)
    i = min(i, n - 1)
    k = rng.choice([1, 2, 4, 8])
    val = rng.choice([b"\xff" * k, bytes(k), bytes(rng.randrange(256) for _ in range(k)),
                      struct.pack("<Q", rng.choice([1 << 31, 1 << 40, (1 << 63) - 1, 2 ** 64 - 1]))[:k]])
    if bytes(b).find(b"'shape': (") >= 0 and rng.random() < 0.3:
        # npy header: a huge or odd shape
        new = rng.choice([b"'shape': (1073741824, ", b"'shape': (-5, ", b"'shape': (4294967296, 4294967296, ",
                          b"'shape': (0, ", b"'shape': (99999999999999999999, "])
        s = bytes(b).replace(b"'shape': (", new, 1)
        return s, "npy-shape"
    b[i:i + k] = val[:len(b[i:i + k])]
    return bytes(b), "struct@%d+%d" % (i, k)


# ---- crafted cases ------------------------------------------------------------

def npy_bytes(descr, shape, payload):
    sh = "(" + "".join("%d, " % s for s in shape) + ")" if len(shape) != 1 else "(%d,)" % shape[0]
    d = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, sh)
    d += " " * ((64 - (10 + len(d) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(d)) + d.encode() + payload


def npz_cache(members, deflate=()):
    """Bytes of an npz frame cache; members: name -> npy bytes."""
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for k, v in members.items():
            z.writestr(k + ".npy", v, compress_type=zipfile.ZIP_DEFLATED if k in deflate else zipfile.ZIP_STORED)
    return buf.getvalue()


def base_npz_members(rows=4, cols=5, n=1):
    m = {"shape": npy_bytes("<i8", [2], struct.pack("<2q", rows, cols)),
         "nframes": npy_bytes("<i8", [], struct.pack("<q", n)),
         "dtype": npy_bytes("|S6", [], b"uint16")}
    for i in range(n):
        m["%d_data" % i] = npy_bytes("<u2", [1], struct.pack("<H", 7))
        m["%d_row" % i] = npy_bytes("<u2", [1], struct.pack("<H", 1))
        m["%d_col" % i] = npy_bytes("<u2", [1], struct.pack("<H", 2))
    return m


def patch_zip_sizes(data, name, usize):
    """Rewrite the uncompressed size of member name in both zip headers."""
    b = bytearray(data)
    nb = name.encode()
    for sig, off_size, off_name in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        for m in re.finditer(re.escape(sig), bytes(b)):
            p = m.start()
            if bytes(b[p + off_name:p + off_name + len(nb)]) == nb:
                b[p + off_size:p + off_size + 4] = struct.pack("<I", usize)
    return bytes(b)


def crafted():
    """[(name, reader kind, main file, format, options, {file: bytes or callable(dir)})]"""
    import numpy as np
    out = []
    fc = ("ims", "cache.npz", "frame-cache", {"style": "npz"})

    def add(name, spec, files):
        out.append((name,) + spec + (files,))

    m = base_npz_members()
    m["huge_f8"] = npy_bytes("<f8", [1 << 30], bytes(16))
    add("npz_member_huge_f8", fc, {"cache.npz": npz_cache(m)})
    m = base_npz_members()
    m["huge_s0"] = npy_bytes("|S0", [1 << 30], b"")
    add("npz_member_huge_S0", fc, {"cache.npz": npz_cache(m)})
    m = base_npz_members()
    m["huge_u0"] = npy_bytes("<U0", [1 << 31, 1 << 31], b"")
    add("npz_member_huge_U0_2d", fc, {"cache.npz": npz_cache(m)})
    m = base_npz_members()
    m["overflow"] = npy_bytes("<f8", [1 << 32, 1 << 32, 16], bytes(8))
    add("npz_member_shape_overflow", fc, {"cache.npz": npz_cache(m)})
    m = base_npz_members()
    m["neg"] = npy_bytes("<f8", [-3], bytes(8))
    add("npz_member_negative_shape", fc, {"cache.npz": npz_cache(m)})
    m = base_npz_members()
    m["huge_fortran"] = npy_bytes("<f8", [1 << 20, 1 << 20], bytes(8)).replace(b"False", b"True ")
    add("npz_member_huge_fortran", fc, {"cache.npz": npz_cache(m)})
    m = base_npz_members(rows=1 << 20, cols=1 << 20)
    add("npz_frame_shape_huge", fc, {"cache.npz": npz_cache(m)})
    m = base_npz_members()
    m["shape"] = npy_bytes("<i8", [2], struct.pack("<2q", -4, 5))
    add("npz_frame_shape_negative", fc, {"cache.npz": npz_cache(m)})
    m = base_npz_members()
    m["nframes"] = npy_bytes("<i8", [], struct.pack("<q", 1 << 40))
    add("npz_nframes_huge", fc, {"cache.npz": npz_cache(m)})
    m = base_npz_members()
    m["nframes"] = npy_bytes("<f8", [], struct.pack("<d", 1e300))
    add("npz_nframes_float", fc, {"cache.npz": npz_cache(m)})
    m = base_npz_members()
    m["shape"] = npy_bytes("|S5", [2], b"abcdeabcde")
    add("npz_shape_wrong_type", fc, {"cache.npz": npz_cache(m)})
    m = base_npz_members()
    m["dtype"] = npy_bytes("<i8", [], bytes(8))
    add("npz_dtype_wrong_type", fc, {"cache.npz": npz_cache(m)})
    m = base_npz_members()
    m["0_row"] = npy_bytes("<u2", [1], struct.pack("<H", 60000))
    add("npz_row_out_of_range", fc, {"cache.npz": npz_cache(m)})
    m = base_npz_members()
    m["0_data"] = npy_bytes("<u2", [3], struct.pack("<3H", 1, 2, 3))
    add("npz_data_length_mismatch", fc, {"cache.npz": npz_cache(m)})
    # deflate bombs
    m = base_npz_members()
    m["bomb"] = npy_bytes("<f8", [50 << 20 >> 3], bytes(50 << 20))
    add("npz_deflate_bomb_50MB", fc, {"cache.npz": npz_cache(m, deflate={"bomb"})})
    m = base_npz_members()
    m["bomb"] = npy_bytes("<u1", [400 << 20], bytes(400 << 20))
    add("npz_deflate_bomb_400MB", fc, {"cache.npz": npz_cache(m, deflate={"bomb"})})
    m = base_npz_members()
    m["liar"] = npy_bytes("<u1", [64 << 20], bytes(64 << 20))
    add("npz_zip_size_lie_small", fc, {"cache.npz": patch_zip_sizes(npz_cache(m, deflate={"liar"}), "liar.npy", 1000)})
    m = base_npz_members()
    m["liar"] = npy_bytes("<u1", [1000], bytes(1000))
    add("npz_zip_size_over_ratio", fc,
        {"cache.npz": patch_zip_sizes(npz_cache(m, deflate={"liar"}), "liar.npy", 0xFFFFFFF0)})
    m = base_npz_members()
    add("npz_stored_size_lie", fc, {"cache.npz": patch_zip_sizes(npz_cache(m), "dtype.npy", 0x7FFFFFFF)})
    add("npz_empty_zip", fc, {"cache.npz": npz_cache({})})
    add("npz_not_zip", fc, {"cache.npz": b"PK\x03\x04" + bytes(100)})

    # legacy yml + npz, raw, image-files: YAML
    bomb = ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
            "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
            "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n")
    yl = ("ims", "cache.yml", "frame-cache", {"style": "yml"})
    good_npz = npz_cache(base_npz_members())
    dat = "  dtype: uint16\n  nframes: 1\n  shape: [4, 5]\n"
    add("yml_valid", yl, {"cache.yml": ("data:\n  file: cache.npz\n" + dat + "meta: {}\n").encode(),
                          "cache.npz": good_npz})
    add("yml_alias_bomb", yl, {"cache.yml": (bomb + "data:\n  file: cache.npz\n" + dat + "meta: {}\n").encode(),
                               "cache.npz": good_npz})
    add("yml_alias_bomb_meta", yl, {"cache.yml": (bomb + "data:\n  file: cache.npz\n" + dat + "meta:\n  x: *i\n").encode(),
                                    "cache.npz": good_npz})
    add("yml_recursive_alias", yl, {"cache.yml": ("data: &a\n  file: cache.npz\n" + dat + "  self: *a\nmeta: {}\n").encode(),
                                    "cache.npz": good_npz})
    add("yml_names_itself", yl, {"cache.yml": ("data:\n  file: cache.yml\n" + dat + "meta: {}\n").encode()})
    add("yml_names_dir", yl, {"cache.yml": ("data:\n  file: .\n" + dat + "meta: {}\n").encode()})
    add("yml_names_devzero", yl, {"cache.yml": ("data:\n  file: /dev/zero\n" + dat + "meta: {}\n").encode()})
    add("yml_nframes_huge", yl, {"cache.yml": ("data:\n  file: cache.npz\n  dtype: uint16\n  nframes: 1099511627776\n"
                                               "  shape: [4, 5]\nmeta: {}\n").encode(), "cache.npz": good_npz})
    add("yml_shape_huge", yl, {"cache.yml": ("data:\n  file: cache.npz\n  dtype: uint16\n  nframes: 1\n"
                                             "  shape: [1048576, 1048576]\nmeta: {}\n").encode(), "cache.npz": good_npz})
    add("yml_meta_devzero_array", yl, {"cache.yml": ("data:\n  file: cache.npz\n" + dat +
                                                     "meta:\n  om: '! load-numpy-array /dev/zero'\n").encode(),
                                       "cache.npz": good_npz})
    m = base_npz_members()
    m["0_data"] = npy_bytes("<u2", [1 << 31], bytes(8))
    add("yml_npz_member_huge", yl, {"cache.yml": ("data:\n  file: cache.npz\n" + dat + "meta: {}\n").encode(),
                                    "cache.npz": npz_cache(m)})
    rw = ("ims", "raw.yml", "raw-image", "")
    rawhead = "filename: frames.raw\nscalar:\n  type: i\n  bytes: 2\n  signed: false\n  endian: big\n"
    add("raw_shape_huge", rw, {"raw.yml": (rawhead + "shape: 1000000000 1000000000\nskip: 0\n").encode(),
                               "frames.raw": bytes(64)})
    add("raw_shape_negative", rw, {"raw.yml": (rawhead + "shape: -4 5\nskip: 0\n").encode(), "frames.raw": bytes(64)})
    add("raw_shape_zero", rw, {"raw.yml": (rawhead + "shape: 0 5\nskip: 0\n").encode(), "frames.raw": bytes(64)})
    add("raw_skip_beyond", rw, {"raw.yml": (rawhead + "shape: 2 2\nskip: 99999999999\n").encode(),
                                "frames.raw": bytes(64)})
    add("raw_skip_negative", rw, {"raw.yml": (rawhead + "shape: 2 2\nskip: -8\n").encode(), "frames.raw": bytes(64)})
    add("raw_bytes_huge", rw, {"raw.yml": rawhead.replace("bytes: 2", "bytes: 4294967296").encode()
                               + b"shape: 2 2\nskip: 0\n", "frames.raw": bytes(64)})
    add("raw_alias_bomb", rw, {"raw.yml": (bomb + rawhead + "shape: 2 2\nskip: 0\n").encode(), "frames.raw": bytes(64)})
    add("raw_devzero", rw, {"raw.yml": rawhead.replace("frames.raw", "/dev/zero").encode() + b"shape: 2 2\nskip: 0\n"})
    imf = ("ims", "files.yml", "image-files", "")
    add("imagefiles_alias_bomb", imf, {"files.yml": (bomb + "image-files:\n  directory: .\n  files: '*.tif'\n"
                                                     "options: {}\nmeta: {}\n").encode()})
    add("imagefiles_glob_none", imf, {"files.yml": b"image-files:\n  directory: .\n  files: '*.nothing'\noptions: {}\nmeta: {}\n"})
    add("imagefiles_huge_tif", imf, {"files.yml": b"image-files:\n  directory: .\n  files: 'a.tif'\noptions: {}\nmeta: {}\n",
                                     "a.tif": tiff_header(1 << 20, 1 << 20)})

    # HDF5 structures (h5py)
    def h5(build):
        def make(d, name):
            import h5py
            with h5py.File(os.path.join(d, name), "w", libver="earliest", track_order=False) as f:
                build(f)
        return make

    ih = ("ims", "ims.h5", "hdf5", {"path": "imageseries"})

    def ims_base(f, images=True):
        g = f.create_group("imageseries")
        if images:
            g.create_dataset("images", data=np.arange(2 * 4 * 5, dtype="u2").reshape(2, 4, 5), track_times=False)
        g.create_group("metadata")
        return g

    add("h5_ims_huge_extent", ih, {"ims.h5": h5(lambda f: ims_base(f, False).create_dataset(
        "images", shape=(1 << 20, 1 << 17, 1 << 17), chunks=(1, 64, 64), dtype="u2", track_times=False))})
    add("h5_ims_huge_metadata", ih, {"ims.h5": h5(lambda f: ims_base(f)["metadata"].create_dataset(
        "big", shape=(1 << 34,), chunks=(1 << 16,), dtype="f8", track_times=False))})
    add("h5_ims_images_string", ih, {"ims.h5": h5(lambda f: ims_base(f, False).create_dataset(
        "images", data=np.array([b"abc", b"de"]), track_times=False))})
    add("h5_ims_images_compound", ih, {"ims.h5": h5(lambda f: ims_base(f, False).create_dataset(
        "images", shape=(2, 3, 3), dtype=[("a", "u2"), ("b", "f4")], track_times=False))})
    add("h5_ims_images_1d", ih, {"ims.h5": h5(lambda f: ims_base(f, False).create_dataset(
        "images", data=np.arange(10, dtype="u2"), track_times=False))})

    def short_chunk(pad):
        # an extendible dataset (chunks larger than the extent) whose first
        # chunk inflates to 10 bytes: libhdf5's own deflate filter overreads
        # it (h5py: SIGSEGV for big chunks); pad > 16 MiB keeps the file's
        # data out of the validation child's reads
        def make(d, name):
            import zlib
            import h5py
            p = os.path.join(d, name)
            with h5py.File(p, "w", libver="earliest", track_order=False) as f:
                g = ims_base(f, False)
                g.create_dataset("images", data=np.arange(2 * 512 * 512, dtype="u2").reshape(2, 512, 512),
                                 maxshape=(None, None, None), chunks=(1, 1024, 1024), compression="gzip",
                                 track_times=False)
                if pad:
                    f.create_dataset("pad", data=np.random.default_rng(18).integers(0, 255, 17 << 20, "u1"),
                                     track_times=False)
                off = g["images"].id.get_chunk_info(0).byte_offset
            with open(p, "r+b") as fh:
                fh.seek(off)
                fh.write(zlib.compress(b"\0" * 10))
        return make

    add("h5_ims_chunk_inflates_short", ih, {"ims.h5": short_chunk(False)})
    add("h5_ims_chunk_inflates_short_over_16MiB", ih, {"ims.h5": short_chunk(True)})
    add("h5_ims_frame_over_budget", ih, {"ims.h5": h5(lambda f: ims_base(f, False).create_dataset(
        "images", shape=(2, 1 << 17, 1 << 17), chunks=(1, 1024, 1024), dtype="u2", track_times=False))})

    def meta_cycle(f):
        g = ims_base(f)
        g["metadata"]["loop"] = g["metadata"]
        g["metadata"]["root"] = f["/"]

    add("h5_ims_metadata_hardlink_cycle", ih, {"ims.h5": h5(meta_cycle)})

    def meta_is_link(f):
        g = ims_base(f)
        del g["metadata"]
        g["metadata"] = g

    add("h5_ims_metadata_is_parent", ih, {"ims.h5": h5(meta_is_link)})

    def soft_loop(f):
        import h5py
        g = ims_base(f)
        g["metadata"]["a"] = h5py.SoftLink("/imageseries/metadata/b")
        g["metadata"]["b"] = h5py.SoftLink("/imageseries/metadata/a")

    add("h5_ims_soft_link_loop", ih, {"ims.h5": h5(soft_loop)})

    def ext_link(f):
        import h5py
        g = ims_base(f, False)
        g["images"] = h5py.ExternalLink("/etc/passwd", "/x")
        g["metadata"]["e"] = h5py.ExternalLink("ims.h5", "/imageseries")

    add("h5_ims_external_links", ih, {"ims.h5": h5(ext_link)})

    def attr_huge(f):
        g = ims_base(f)
        g["metadata"].attrs.create("big", np.zeros(7000, "f8"))

    add("h5_ims_attr_big", ih, {"ims.h5": h5(attr_huge)})

    fh = ("ims", "cache.fch5", "frame-cache", {"style": "fch5"})

    def fch5(mutator):
        # the layout hexrd writes (HEXRD_FRAMECACHE_VERSION 1; shape, nframes
        # and dtype datasets at the root; frames as data/indices/frame_ids)
        def build(f):
            f.attrs["HEXRD_FRAMECACHE_VERSION"] = 1
            f.create_dataset("shape", data=np.array([4, 5]), track_times=False)
            f.create_dataset("nframes", data=np.int64(2), track_times=False)
            f.create_dataset("dtype", data="uint16", dtype=h5py_str(), track_times=False)
            f.create_dataset("data", data=np.arange(3, dtype="u2").reshape(3, 1), track_times=False)
            f.create_dataset("indices", data=np.zeros((3, 2), "u2"), track_times=False)
            f.create_dataset("frame_ids", data=np.array([0, 1, 1, 3], "u8"), track_times=False)
            f.create_group("metadata").create_dataset("omega", data=np.zeros((2, 2)), track_times=False)
            mutator(f, f)
        return build

    def h5py_str():
        import h5py
        return h5py.string_dtype()

    def fch5_attr(key, value):  # (replaces a root dataset)
        def m(f, g):
            del g[key]
            g.create_dataset(key, data=value, track_times=False)
        return m

    def fch5_ds(key, data):
        def m(f, g):
            del g[key]
            g.create_dataset(key, data=data, track_times=False)
        return m

    def fch5_meta_link(f, g):
        del g["metadata"]
        g["metadata"] = f["/"]

    def fch5_meta_ds_link(f, g):
        g["metadata"]["data"] = g["data"]
        g["metadata"]["self"] = g["metadata"]

    def fch5_version(v):
        def m(f, g):
            f.attrs["HEXRD_FRAMECACHE_VERSION"] = v
        return m

    def fch5_meta_huge(f, g):
        g["metadata"].create_dataset("big", shape=(1 << 34,), chunks=(1 << 16,), dtype="f8", track_times=False)

    add("fch5_nframes_huge", fh, {"cache.fch5": h5(fch5(fch5_attr("nframes", 1 << 40)))})
    add("fch5_shape_huge", fh, {"cache.fch5": h5(fch5(fch5_attr("shape", np.array([1 << 30, 1 << 30]))))})
    add("fch5_shape_negative", fh, {"cache.fch5": h5(fch5(fch5_attr("shape", np.array([-1, 5]))))})
    add("fch5_dtype_bad", fh, {"cache.fch5": h5(fch5(fch5_attr("dtype", np.bytes_("complex999"))))})
    add("fch5_nframes_negative", fh, {"cache.fch5": h5(fch5(fch5_attr("nframes", np.int64(-3))))})
    add("fch5_shape_string", fh, {"cache.fch5": h5(fch5(fch5_attr("shape", np.bytes_("4x5"))))})
    add("fch5_version_2", fh, {"cache.fch5": h5(fch5(fch5_version(2)))})
    add("fch5_metadata_huge_extent", fh, {"cache.fch5": h5(fch5(fch5_meta_huge))})
    add("fch5_valid", fh, {"cache.fch5": h5(fch5(lambda f, g: None))})
    add("fch5_frame_ids_range", fh, {"cache.fch5": h5(fch5(fch5_ds("frame_ids", np.array([0, 9, 9, 1 << 62], "u8"))))})
    add("fch5_indices_out_of_frame", fh, {"cache.fch5": h5(fch5(fch5_ds("indices", np.full((3, 2), 60000, "u2"))))})
    add("fch5_metadata_is_root", fh, {"cache.fch5": h5(fch5(fch5_meta_link))})
    add("fch5_metadata_hardlinks", fh, {"cache.fch5": h5(fch5(fch5_meta_ds_link))})

    qh = ("qpi", "qpimage.h5", "", "")

    def qpi_from_fixture(mut):
        def make(d, name):
            import h5py
            shutil.copy(os.path.join(FIX, "h5_qpimage_full", "qpimage.h5"), os.path.join(d, name))
            os.chmod(os.path.join(d, name), 0o644)
            with h5py.File(os.path.join(d, name), "r+") as f:
                mut(f)
        return make

    def q_phase_string(f):
        del f["phase/raw"]
        f.create_dataset("phase/raw", data=np.array([b"x"] * 4))

    def q_phase_huge(f):
        del f["phase/raw"]
        f.create_dataset("phase/raw", shape=(1 << 28, 1 << 28), chunks=(64, 64), dtype="f8")

    def q_cycle(f):
        f["phase"]["loop"] = f["/"]

    def q_soft(f):
        import h5py
        del f["amplitude/raw"]
        f["amplitude/raw"] = h5py.SoftLink("/amplitude/raw")

    def q_attr_type(f):
        for k in list(f.attrs):
            f.attrs[k] = np.array([b"\xff\xfe"] * 3)

    def q_phase_3d(f):
        del f["phase/raw"]
        f.create_dataset("phase/raw", data=np.zeros((2, 2, 2)))

    add("qpi_phase_string", qh, {"qpimage.h5": qpi_from_fixture(q_phase_string)})
    add("qpi_phase_huge", qh, {"qpimage.h5": qpi_from_fixture(q_phase_huge)})
    add("qpi_hardlink_cycle", qh, {"qpimage.h5": qpi_from_fixture(q_cycle)})
    add("qpi_soft_link_self", qh, {"qpimage.h5": qpi_from_fixture(q_soft)})
    add("qpi_attrs_wrong_type", qh, {"qpimage.h5": qpi_from_fixture(q_attr_type)})
    add("qpi_phase_3d", qh, {"qpimage.h5": qpi_from_fixture(q_phase_3d)})
    return out


def tiff_header(w, h):
    """A little-endian TIFF claiming w×h uint16 pixels and holding none."""
    ifd = [(256, 4, 1, w), (257, 4, 1, h), (258, 3, 1, 16), (259, 3, 1, 1), (262, 3, 1, 1),
           (273, 4, 1, 8), (277, 3, 1, 1), (278, 4, 1, h), (279, 4, 1, 2 * w * h & 0xFFFFFFFF)]
    b = b"II*\x00" + struct.pack("<I", 8)
    b += struct.pack("<H", len(ifd))
    for tag, typ, cnt, val in ifd:
        b += struct.pack("<HHI", tag, typ, cnt) + (struct.pack("<HH", val, 0) if typ == 3 else struct.pack("<I", val))
    return b + struct.pack("<I", 0) + bytes(16)


# ---- the Python reader (worker side) -------------------------------------

def py_read(kind, path, fmt, options):
    import numpy as np
    h = hashlib.sha256()

    def mix(x):
        a = np.ascontiguousarray(np.asarray(x))
        h.update(str(a.dtype).encode() + str(a.shape).encode())
        if a.dtype.kind in "biufc":
            # crc32 of the array's memory (no copy): the reader must not
            # cost more than the library's read of a 400 MB array
            h.update(b"%08x" % zlib.crc32(memoryview(a).cast("B") if a.size else b""))
        else:
            h.update(repr(a.tolist()).encode())

    def read_qpi(q):
        for k in ("pha", "amp", "bg_pha", "bg_amp"):
            try:
                mix(getattr(q, k))
            except KeyError:  # an image without data
                pass
        h.update(repr(sorted(dict(q.meta).items())).encode())

    if kind == "qpi":
        import qpgo.qpimage as qpimage
        with qpimage.QPImage(h5file=path, h5mode="r") as q:
            read_qpi(q)
    elif kind == "qps":
        import qpgo.qpimage as qpimage
        with qpimage.QPSeries(h5file=path, h5mode="r") as s:
            for i in range(len(s)):
                read_qpi(s.get_qpimage(i))
    elif kind == "fli":
        import qpgo.flimage as flimage
        with flimage.FLImage(h5file=path, h5mode="r") as f:
            mix(f.fl)
            h.update(repr(sorted(dict(f.meta).items())).encode())
    elif kind == "fls":
        import qpgo.flimage as flimage
        with flimage.FLSeries(h5file=path, h5mode="r") as s:
            for i in range(len(s)):
                f = s.get_flimage(i)
                mix(f.fl)
    elif kind == "ims":
        import qpgo.imageseries as imageseries
        ims = imageseries.open(path, fmt, **(options or {}))
        try:
            h.update(repr((len(ims), ims.shape, str(ims.dtype))).encode())
            for i in range(len(ims)):
                mix(ims[i])
            md = ims.metadata
            for k in sorted(md):
                mix(md[k]) if not isinstance(md[k], dict) else h.update(repr(md[k]).encode())
        finally:
            close = getattr(ims, "close", None)
            if close:
                close()
    return h.hexdigest()[:16]


def peak_rss_reset():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def peak_rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


# what hexrd's imageseries raises (NotImplementedError is a RuntimeError)
HEXRD_CLASSES = (ValueError, OSError, KeyError, IndexError, RuntimeError, TypeError)


def repeated(msg, k=16):
    """A part of the message said twice ("npy: bad descr: ...: npy: bad
    descr: ..."): the opening k characters again later, or a ": "-separated
    part of at least k characters twice. libhdf5's error stack (after
    "(HDF5: ") names related functions and is left out."""
    m = re.sub(r"\(HDF5: .*", "", msg)
    if len(m) >= 2 * k and m.find(m[:k], k) >= 0:
        return m[:k]
    seen = set()
    for part in (p.strip() for p in m.split(": ")):
        if len(part) >= k:
            if part in seen:
                return part
            seen.add(part)
    return None


def class_problem(kind, e, msg):
    """Why an Exception is the wrong one: a class hexrd's imageseries does not
    raise, qpimage's IntegrityCheckError outside qpimage, or a message that
    says the same thing twice."""
    name = type(e).__name__
    if kind == "ims" and (not isinstance(e, HEXRD_CLASSES) or name == "IntegrityCheckError"):
        return "not a hexrd imageseries class"
    if kind in ("fli", "fls") and name == "IntegrityCheckError":
        return "qpimage's IntegrityCheckError from flimage"
    r = repeated(msg)
    if r:
        return "message repeats %r" % r
    return None


def worker():
    sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
    import numpy  # noqa: F401  (imported before the first case: not counted in it)
    import qpgo.imageseries, qpgo.qpimage, qpgo.flimage  # noqa: F401,E401
    out = sys.stdout
    for line in sys.stdin:
        if line == "ping\n":  # ready (imports done): the runner starts timing after this
            out.write("pong\t0\n")
            out.flush()
            continue
        kind, d, name, fmt, opts = line.rstrip("\n").split("\t")
        os.chdir(d)
        peak_rss_reset()
        try:
            res = "OK " + py_read(kind, name, fmt, json.loads(opts) if opts else None)
        except Exception as e:  # noqa: BLE001 - classifying is the point
            msg = str(e).replace("\n", " ")
            res = "ERR %s %s" % (type(e).__name__, msg if msg else "(empty message)")
            why = class_problem(kind, e, msg)
            if why:
                res = "WRONGCLASS %s.%s (%s) %s" % (type(e).__module__, type(e).__name__, why, msg)
        except BaseException as e:  # noqa: BLE001
            res = "WRONGCLASS %s.%s %s" % (type(e).__module__, type(e).__name__, str(e).replace("\n", " "))
        out.write("%s\t%d\n" % (res, peak_rss_kb()))
        out.flush()


# ---- the runner ---------------------------------------------------------------

CLK = os.sysconf("SC_CLK_TCK")


class Worker:
    """A long-lived reader process answering one line per case."""

    def __init__(self, argv, env):
        self.argv, self.env, self.p = argv, env, None

    def start(self):
        self.p = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, env=self.env, bufsize=0)
        self.buf = b""
        # wait until it is ready (imports done), so that no case pays for them
        self.p.stdin.write(b"ping\n")
        self.p.stdin.flush()
        t0 = time.monotonic()
        while b"\n" not in self.buf and time.monotonic() - t0 < 60:
            r, _, _ = select.select([self.p.stdout.fileno()], [], [], 1)
            if r:
                chunk = os.read(self.p.stdout.fileno(), 65536)
                if not chunk:
                    break
                self.buf += chunk
        self.buf = self.buf.split(b"\n", 1)[1] if b"\n" in self.buf else b""

    def kill(self):
        if self.p:
            try:
                self.p.kill()
            except OSError:
                pass
            self.p.wait()
            self.p = None

    def _proc(self, name):
        with open("/proc/%d/%s" % (self.p.pid, name)) as f:
            return f.read()

    def rss_kb(self):
        try:
            for line in self._proc("status").splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def cpu_s(self):
        """CPU seconds of the worker (all threads) and its reaped children
        (the HDF5 validation child): user + system."""
        try:
            f = self._proc("stat").rsplit(")", 1)[1].split()
            return sum(int(x) for x in f[11:15]) / CLK
        except (OSError, IndexError, ValueError):
            return 0.0

    def run(self, line, timeout, wall_timeout, max_rss_kb):
        """(status, detail, CPU seconds, wall seconds, peak kB)"""
        if self.p is None or self.p.poll() is not None:
            self.start()
        t0, c0 = time.monotonic(), self.cpu_s()
        try:
            self.p.stdin.write(line.encode() + b"\n")
            self.p.stdin.flush()
        except OSError:
            self.kill()
            return "crash", "worker gone", 0.0, 0.0, 0
        peak = 0
        fd = self.p.stdout.fileno()
        while True:
            el = time.monotonic() - t0
            cpu = self.cpu_s() - c0
            if cpu > timeout or el > wall_timeout:
                self.kill()
                return "over time", "no answer after %.2f s CPU, %.1f s wall" % (cpu, el), cpu, el, peak
            r, _, _ = select.select([fd], [], [], 0.02) if b"\n" not in self.buf else ([fd], [], [])
            peak = max(peak, self.rss_kb())
            if peak > max_rss_kb:
                self.kill()
                return "over memory", "RSS %d MB" % (peak >> 10), cpu, el, peak
            if r:
                if b"\n" not in self.buf:
                    chunk = os.read(fd, 65536)
                    if not chunk:
                        rc = self.p.wait()
                        self.p = None
                        return "crash", "worker died (%s)" % (
                            "signal %d" % -rc if rc < 0 else "exit %d" % rc), cpu, time.monotonic() - t0, peak
                    self.buf += chunk
                if b"\n" in self.buf:
                    ans, self.buf = self.buf.split(b"\n", 1)
                    el = time.monotonic() - t0
                    cpu = self.cpu_s() - c0
                    ans = ans.decode(errors="replace")
                    res, _, kb = ans.rpartition("\t")
                    try:
                        peak = max(peak, int(kb))
                    except ValueError:
                        res = ans
                    if cpu > timeout:
                        return "over time", "answered after %.2f s CPU" % cpu, cpu, el, peak
                    if peak > max_rss_kb:
                        return "over memory", "peak RSS %d MB" % (peak >> 10), cpu, el, peak
                    if res.startswith("OK "):
                        return "correct", res[3:], cpu, el, peak
                    if res.startswith("ERR "):
                        return "clean error", res[4:], cpu, el, peak
                    if res.startswith("WRONGCLASS "):
                        return "wrong class", res[11:], cpu, el, peak
                    return "crash", "bad answer %r" % res[:200], cpu, el, peak


def sha_dir(d):
    out = {}
    for n in sorted(os.listdir(d)):
        p = os.path.join(d, n)
        if os.path.isfile(p):
            with open(p, "rb") as f:
                out[n] = hashlib.sha256(f.read()).hexdigest()
    return out


def write_case(d, base_dir, files):
    os.makedirs(d, exist_ok=True)
    if base_dir:
        for n in os.listdir(base_dir):
            if n == "case.json" or n.startswith("expected_") or n.endswith(".txt") or n.endswith("layout.json"):
                continue
            shutil.copy(os.path.join(base_dir, n), os.path.join(d, n))
    for n, v in files.items():
        p = os.path.join(d, n)
        if os.path.exists(p):
            os.remove(p)
        if callable(v):
            v(d, n)
        else:
            with open(p, "wb") as f:
                f.write(v)
    for n in os.listdir(d):
        os.chmod(os.path.join(d, n), 0o444)  # read-only opens must not need write access


def gen_cases(args, tmp):
    """Yields (name, dir, reader kind, main file, format, options json)."""
    kinds = args.kinds.split(",") if args.kinds else list(KINDS)
    for k in (k for k in kinds if k in KINDS):
        fixdir, main, rk, fmt, opts, targets = KINDS[k]
        base = os.path.join(FIX, fixdir)
        d = os.path.join(tmp, k, "orig")
        write_case(d, base, {})
        yield k + "/orig", d, rk, main, fmt, json.dumps(opts) if opts else ""
        for i in range(args.per_kind):
            rng = random.Random("%s/%d/%d" % (k, args.seed, i))
            t = rng.choice(targets)
            with open(os.path.join(base, t), "rb") as f:
                data = f.read()
            new, how = mutate(data, rng, t)
            if rng.random() < 0.15:  # a second mutation on top
                new, how2 = mutate(new, rng, t)
                how += "+" + how2
            d = os.path.join(tmp, k, "%04d" % i)
            write_case(d, base, {t: new})
            yield "%s/%04d(%s:%s)" % (k, i, t, how), d, rk, main, fmt, json.dumps(opts) if opts else ""
    if not args.kinds or "crafted" in kinds:
        for name, rk, main, fmt, opts, files in crafted():
            d = os.path.join(tmp, "crafted", name)
            write_case(d, None, files)
            yield "crafted/" + name, d, rk, main, fmt, json.dumps(opts) if opts else ""
    if os.path.isdir(CORPUS):
        for name in sorted(os.listdir(CORPUS)):
            cd = os.path.join(CORPUS, name)
            with open(os.path.join(cd, "case.json")) as f:
                c = json.load(f)
            d = os.path.join(tmp, "corpus", name)
            write_case(d, cd, {})
            os.chmod(d, 0o755)
            os.remove(os.path.join(d, "case.json")) if os.path.exists(os.path.join(d, "case.json")) else None
            yield "corpus/" + name, d, c["reader"], c["file"], c["format"], c["options"]


def fuzz_cases(args, tmp, deadline):
    """Open-ended mutation (make fuzz): random seeds until the deadline."""
    rng0 = random.Random(args.seed)
    i = 0
    while time.monotonic() < deadline:
        k = rng0.choice(list(KINDS))
        fixdir, main, rk, fmt, opts, targets = KINDS[k]
        base = os.path.join(FIX, fixdir)
        rng = random.Random(rng0.getrandbits(64))
        t = rng.choice(targets)
        with open(os.path.join(base, t), "rb") as f:
            data = f.read()
        new, how = data, ""
        for _ in range(rng.randint(1, 4)):
            new, h2 = mutate(new, rng, t)
            how += "+" + h2
        d = os.path.join(tmp, "fuzz", "%06d" % i)
        write_case(d, base, {t: new})
        yield "fuzz/%s/%06d(%s%s)" % (k, i, t, how), d, rk, main, fmt, json.dumps(opts) if opts else ""
        i += 1  # (the lane removes the case's directory unless it failed)


def build_reader(out):
    lib = os.environ.get("QPGO_LIBRARY", os.path.join(ROOT, "build", "libqpgo.so"))
    libdir = os.path.dirname(lib)
    subprocess.check_call(["gcc", "-std=c11", "-O1", "-Wall", "-Wextra", "-Werror",
                           "-I" + os.path.join(ROOT, "include"), "-o", out,
                           os.path.join(HERE, "reader.c"), "-L" + libdir, "-lqpgo",
                           "-Wl,-rpath," + libdir])
    return lib


BAD = ("crash", "over time", "over memory", "changed")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--per-kind", type=int, default=300)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--kinds", default="", help="comma-separated kinds (and 'crafted')")
    ap.add_argument("--timeout", type=float, default=2.0,
                    help="CPU seconds per case and reader (open + full read; the reader process and "
                         "its validation children)")
    ap.add_argument("--wall-timeout", type=float, default=30.0,
                    help="wall seconds per case and reader (catches waits that use no CPU)")
    ap.add_argument("--max-rss-mb", type=int, default=1024)
    ap.add_argument("--readers", default="python,c")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="cases run at once (each in both readers)")
    ap.add_argument("--strict-classes", action="store_true")
    ap.add_argument("--fuzz", type=float, default=0, help="open-ended mutation for this many seconds")
    ap.add_argument("--save-failures", default="", help="copy failing cases into this corpus dir")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if args.worker:
        return worker()
    if not os.path.isdir(FIX):
        print("hostile: SKIP: fixtures not found at %s" % FIX)
        return 0
    import queue
    import threading
    tmp = tempfile.mkdtemp(prefix="qpgo-hostile-")
    try:
        reader = os.path.join(tmp, "reader")
        lib = build_reader(reader)
        env = dict(os.environ, QPGO_LIBRARY=lib, PYTHONPATH=os.path.join(ROOT, "bindings", "python"))
        readers = [r for r in args.readers.split(",") if r in ("python", "c")]

        def make_worker(r):
            if r == "python":
                return Worker([sys.executable, os.path.abspath(__file__), "--worker"], env)
            return Worker([reader], env)

        counts = {r: dict.fromkeys(("tried", "clean error", "correct", "same as original") + BAD + ("wrong class",), 0)
                  for r in readers}
        results = []  # (seq, name, reader, status, detail, cpu, wall, kB, case)
        lock = threading.Lock()
        todo = queue.Queue(maxsize=2 * args.jobs)
        t0 = time.monotonic()

        def lane():
            # one worker per reader; the readers of a case run one after the other
            ws = {r: make_worker(r) for r in readers}
            try:
                while True:
                    item = todo.get()
                    if item is None:
                        return
                    seq, name, d, rk, main_file, fmt, opts = item
                    before = sha_dir(d)
                    line = "\t".join([rk, d, main_file, fmt, opts])
                    case_bad = False
                    for r in readers:
                        status, detail, cpu, el, kb = ws[r].run(line, args.timeout, args.wall_timeout,
                                                                args.max_rss_mb << 10)
                        if name.endswith("/orig") and status != "correct":
                            status, detail = "crash", "undamaged file not read: " + detail
                        if sha_dir(d) != before:
                            status, detail = "changed", "input modified"
                        bad = status in BAD or (args.strict_classes and status == "wrong class")
                        case_bad = case_bad or bad
                        with lock:
                            results.append((seq, name, r, status, detail, cpu, el, kb,
                                            (d, rk, main_file, fmt, opts)))
                            if args.verbose or bad:
                                print("  %-6s %-11s %5.2fs cpu %5.2fs %5d MB  %s: %s" % (
                                    r, status, cpu, el, kb >> 10, name, detail[:160]), flush=True)
                    if not args.keep and not case_bad and not name.startswith("corpus/") \
                            and not name.endswith("/orig"):
                        shutil.rmtree(d, ignore_errors=True)
            finally:
                for w in ws.values():
                    w.kill()

        lanes = [threading.Thread(target=lane, daemon=True) for _ in range(max(1, args.jobs))]
        for t in lanes:
            t.start()
        cases = fuzz_cases(args, tmp, time.monotonic() + args.fuzz) if args.fuzz else gen_cases(args, tmp)
        for seq, c in enumerate(cases):
            todo.put((seq,) + tuple(c))
        for _ in lanes:
            todo.put(None)
        for t in lanes:
            t.join()
        results.sort(key=lambda x: (x[0], readers.index(x[2])))
        orig = {(r, name.split("/")[0]): detail for _, name, r, status, detail, *_ in results
                if name.endswith("/orig") and status == "correct"}
        failures = []
        worst = {r: (0.0, "") for r in readers}
        worst_wall = {r: (0.0, "") for r in readers}
        for seq, name, r, status, detail, cpu, el, kb, case in results:
            c = counts[r]
            c["tried"] += 1
            c[status] += 1
            if status == "correct" and not name.endswith("/orig") and orig.get((r, name.split("/")[0])) == detail:
                c["same as original"] += 1
            if status in BAD or (args.strict_classes and status == "wrong class"):
                failures.append((r, name, status, detail) + case)
            worst[r] = max(worst[r], (cpu, name))
            worst_wall[r] = max(worst_wall[r], (el, name))
        print("hostile suite (%.0f s, %d jobs, limits per case: %.1f s CPU, %.0f s wall, %d MB RSS):" % (
            time.monotonic() - t0, args.jobs, args.timeout, args.wall_timeout, args.max_rss_mb))
        for r, c in counts.items():
            print("  %-6s tried %d / clean error %d / correct %d (same as original %d) / crash %d / over time %d"
                  " / over memory %d / changed %d / wrong class %d" % (
                      r, c["tried"], c["clean error"], c["correct"], c["same as original"], c["crash"],
                      c["over time"], c["over memory"], c["changed"], c["wrong class"]))
            print("  %-6s slowest: %.2f s CPU (%s), %.2f s wall (%s)" % (
                r, worst[r][0], worst[r][1], worst_wall[r][0], worst_wall[r][1]))
        if args.save_failures:
            for r, name, status, detail, d, rk, main_file, fmt, opts in failures:
                if name.startswith("corpus/") or not os.path.isdir(d):
                    continue
                cname = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:100]
                cd = os.path.join(args.save_failures, cname)
                if os.path.exists(cd):
                    continue
                shutil.copytree(d, cd)
                for n in os.listdir(cd):
                    os.chmod(os.path.join(cd, n), 0o644)
                with open(os.path.join(cd, "case.json"), "w") as f:
                    json.dump({"reader": rk, "file": main_file, "format": fmt, "options": opts,
                               "found": "%s %s: %s" % (r, status, detail)}, f, indent=1)
                print("  saved %s" % cd)
        return 1 if failures else 0
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("kept", tmp)


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
