"""Metadata <-> the typed JSON of the ims_* C ABI (ims_metadata_json)."""
import json
import math

import numpy as np


def _num(v):
    if isinstance(v, str):
        return float(v)  # "nan", "inf", "-inf"
    return v


def _jnum(f):
    f = float(f)
    if math.isnan(f):
        return "nan"
    if math.isinf(f):
        return "inf" if f > 0 else "-inf"
    return f


def _deep(v, fn):
    if isinstance(v, list):
        return [_deep(x, fn) for x in v]
    return fn(v)


def decode(tv):
    """A typed JSON value -> Python/numpy (as h5py/numpy would return)."""
    t = tv.get("type")
    v = tv.get("value")
    if t == "ndarray":
        dt = np.dtype(tv["dtype"])
        shape = tuple(tv["shape"])
        if v is None:
            return np.zeros(shape, dtype=dt)
        if dt.kind == "f" or dt.kind == "c":
            v = _deep(v, _num)
        elif dt.kind == "S":
            v = _deep(v, lambda s: s.encode("latin-1"))
        return np.array(v, dtype=dt).reshape(shape)
    if t in ("float64", "float"):
        return np.float64(_num(v))
    if t == "float32":
        return np.float32(_num(v))
    if t in ("int64", "int"):
        return np.int64(v)
    if t == "uint64":
        return np.uint64(v)
    if t == "bool":
        return bool(v)
    if t == "str":
        return str(v)
    if t == "None":
        return None
    if t == "dict":
        return {k: decode(x) for k, x in v.items()}
    if t == "list":
        return [decode(x) for x in v]
    raise ValueError("unknown typed metadata value {!r}".format(t))


def decode_all(text):
    raw = json.loads(text) if text else {}
    return {k: decode(v) for k, v in raw.items()}


def encode(v):
    """Python/numpy value -> typed JSON value."""
    if v is None:
        return {"type": "None", "value": None}
    if isinstance(v, (bool, np.bool_)):
        return {"type": "bool", "value": bool(v)}
    if isinstance(v, np.ndarray):
        a = v
        if a.dtype.kind == "O":
            raise ValueError("object arrays cannot be passed as metadata")
        if a.dtype.kind in "fc":
            val = _deep(a.tolist(), _jnum) if a.ndim else _jnum(a.item())
        elif a.dtype.kind == "S":
            val = _deep(a.tolist(), lambda b: b.decode("latin-1")) \
                if a.ndim else a.item().decode("latin-1")
        else:
            val = a.tolist()
        dt = a.dtype.newbyteorder("<") if a.dtype.byteorder == ">" \
            else a.dtype
        return {"type": "ndarray", "dtype": dt.str, "shape": list(a.shape),
                "value": val}
    if isinstance(v, np.bytes_):
        return encode(np.array(v))
    if isinstance(v, np.floating):
        if v.dtype == np.float32:
            return {"type": "float32", "value": _jnum(v)}
        if v.dtype == np.float64:
            return {"type": "float64", "value": _jnum(v)}
        return encode(np.array(v))
    if isinstance(v, np.integer):
        if v.dtype == np.int64:
            return {"type": "int64", "value": int(v)}
        if v.dtype == np.uint64:
            return {"type": "uint64", "value": int(v)}
        return encode(np.array(v))
    if isinstance(v, float):
        return {"type": "float64", "value": _jnum(v)}
    if isinstance(v, int):
        return {"type": "int64", "value": v}
    if isinstance(v, (str, np.str_)):
        return {"type": "str", "value": str(v)}
    if isinstance(v, bytes):
        return encode(np.bytes_(v))
    if isinstance(v, dict):
        return {"type": "dict",
                "value": {str(k): encode(x) for k, x in v.items()}}
    if isinstance(v, (list, tuple)):
        return {"type": "list", "value": [encode(x) for x in v]}
    raise ValueError("metadata value of type {} cannot be passed to "
                     "libqpgo".format(type(v).__name__))


def encode_all(meta, strict=True):
    """JSON of a metadata dict; strict=False leaves out the values that
    cannot cross the C boundary (the library only reads ``omega``)."""
    if not meta:
        return None
    out = {}
    for k, v in dict(meta).items():
        try:
            out[str(k)] = encode(v)
        except (ValueError, TypeError):
            if strict:
                raise
    return json.dumps(out, allow_nan=False)
