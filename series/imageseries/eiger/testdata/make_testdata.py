"""Writes the Eiger stream test files of package eiger with encoders that
are not ours: python-lz4 (lz4.block), the bit transposition with numpy's
unpackbits/packbits, scipy.sparse.save_npz; every lz4/bslz4 payload is
checked against Dectris' own decoder (dectris.compression, from the
oracle's hexrd shim: PYTHONPATH=$HEXRD_SHIM) before it is written. Run
with /usr/bin/python3 from this directory; the expected frames are stored
beside the payloads (/expect/...).

Framing (HDF5 LZ4 / bitshuffle filter, as the Eiger stream sends it):
8-byte big-endian decoded size, 4-byte big-endian block size, then per
block a 4-byte big-endian compressed size and an LZ4 block."""
import io

import h5py
import lz4.block
import numpy as np
import scipy.sparse
from dectris.compression import decompress


def _bitshuffle(raw, es):
    """bit row b*8+k holds bit k of byte b of every element"""
    n = len(raw) // es
    bits = np.unpackbits(np.frombuffer(raw, np.uint8).reshape(n, es),
                         axis=1, bitorder="little")
    return np.packbits(bits.T, axis=1, bitorder="little").tobytes()


def payload(arr, kind, block):
    raw = arr.tobytes()
    es = arr.dtype.itemsize
    body, tail = raw, b""
    if kind == "bslz4":
        cut = len(raw) - len(raw) % (8 * es)
        body, tail = raw[:cut], raw[cut:]
    out = [len(raw).to_bytes(8, "big"), block.to_bytes(4, "big")]
    for off in range(0, len(body), block):
        blk = body[off:off + block]
        if kind == "bslz4":
            blk = _bitshuffle(blk, es)
        c = lz4.block.compress(blk, store_size=False)
        if kind == "lz4" and len(c) >= len(blk):
            c = blk  # stored: compressed size == block size
        out += [len(c).to_bytes(4, "big"), c]
    p = b"".join(out) + tail
    back = decompress(p, kind, elem_size=es)
    assert back == raw, kind
    return p


def filter_payload(arr, compression):
    return payload(arr, *compression)


def csrnpz_payload(arr):
    bio = io.BytesIO()
    bio.write(arr.nbytes.to_bytes(8, "big"))
    scipy.sparse.save_npz(bio, scipy.sparse.csr_matrix(arr))
    return bio.getvalue()


def put(g, arr, kind, payload):
    if kind is not None:
        g.create_dataset("compression_type", data=kind)
    g.create_dataset("dtype", data=arr.dtype.str)
    g.create_dataset("shape", data=arr.shape)
    g.create_dataset("elem_size", data=arr.dtype.itemsize)
    g.create_dataset("data", data=np.void(payload))


def frames():
    rng = np.random.default_rng(13)
    out = []
    # bslz4 over several blocks (the filter's block is 8 KiB) with leftover
    # elements (rows*cols not a multiple of 8)
    a = rng.integers(0, 3000, size=(61, 67)).astype(np.uint32)
    out.append((a, "bslz4", filter_payload(
        a, ("bslz4", 4096))))
    b = rng.integers(0, 60000, size=(33, 40)).astype(np.uint16)
    out.append((b, "bslz4", filter_payload(
        b, ("bslz4", 1024))))
    c = (rng.random((50, 70)) * 100).astype(np.uint16)
    out.append((c, "lz4", filter_payload(c, ("lz4", 2000))))
    d = np.zeros((20, 30), np.uint16)
    d[3, 4], d[10, 29], d[19, 0] = 7, 65535, 1
    out.append((d, "csrnpz", csrnpz_payload(d)))
    e = rng.integers(0, 255, size=(9, 11)).astype(np.uint8)
    out.append((e, None, e.tobytes()))
    return out


def main():
    fr = frames()
    with h5py.File("stream_v1.h5", "w") as f:
        data = f.create_group("data")
        expect = f.create_group("expect")
        for i, (arr, kind, payload) in enumerate(fr):
            # v1 frames share one shape and dtype: each kind in its own
            # file would be many files; the Go test opens entries directly
            put(data.create_group(str(i)), arr, kind, payload)
            expect.create_dataset(str(i), data=arr)
        m = f.create_group("metadata")
        m.create_dataset("count_time", data=0.5)
        m.create_dataset("one", data=np.array([7], np.int32))
        m.create_dataset("name", data="eiger test")
        m.create_dataset("vec", data=np.arange(3.0))
        m.create_group("start").create_dataset("series", data=np.int64(4))
    rng = np.random.default_rng(7)
    with h5py.File("stream_v2.h5", "w") as f:
        data = f.create_group("data")
        for i in range(3):
            t1 = rng.integers(0, 4000, size=(24, 16)).astype(np.uint32)
            t2 = rng.integers(0, 4000, size=(24, 16)).astype(np.uint32)
            for name, arr in (("threshold_1", t1), ("threshold_2", t2)):
                put(data.create_group(f"{i}/{name}"), arr, "bslz4",
                    filter_payload(arr, ("bslz4", 8192)))
                f.create_dataset(f"expect/{i}/{name}", data=arr)
        f.create_group("metadata").create_dataset("output_metadata",
                                                  data="{}")


if __name__ == "__main__":
    main()
