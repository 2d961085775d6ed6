"""Decompression of Dectris Eiger stream frames (upstream ``load.eiger``).

``lz4`` and ``bslz4`` (bitshuffle + LZ4) payloads are decoded by libqpgo
(``ims_eiger_decompress``), so ``dectris-compression`` is not needed;
``csrnpz`` payloads are SciPy sparse archives (read with SciPy, as
upstream); ``None`` means raw bytes.
"""
from io import BytesIO

import numpy as np

from ... import _lib
from .. import _capi


def _decompress_csrnpz(d):
    from scipy.sparse import load_npz
    # the first 8 bytes are the uncompressed size (big-endian)
    array = load_npz(BytesIO(d['data'].tobytes()[8:]))
    return array.toarray()


def _decompress_lz4(d, compression_type):
    if not _lib.has("ims_eiger_decompress"):
        raise OSError("{} frame: this libqpgo has no Eiger decoder "
                      "(ims_eiger_decompress)".format(compression_type))
    dtype = np.dtype(d['dtype'])
    shape = tuple(int(x) for x in d['shape'])
    out = np.empty(shape, dtype=dtype)
    raw = np.frombuffer(d['data'].tobytes(), dtype=np.uint8)
    _capi.call("ims_eiger_decompress", compression_type.encode(),
                raw.ctypes.data, raw.size, int(d['elem_size']),
                out.ctypes.data, out.nbytes)
    return out


def decompress_frame(d: dict) -> np.ndarray:
    """the frame of an Eiger stream entry dict (compression_type, dtype,
    shape, data, elem_size)"""
    compression_type = d['compression_type']
    if compression_type is None:
        return np.frombuffer(d['data'], dtype=d['dtype']).reshape(d['shape'])
    if compression_type == "csrnpz":
        return _decompress_csrnpz(d)
    if compression_type in ("lz4", "bslz4"):
        return _decompress_lz4(d, compression_type)
    raise ValueError(f"Unsupported compression type: {compression_type}")


__all__ = ["decompress_frame"]
