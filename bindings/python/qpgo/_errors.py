"""Result codes of the C ABI -> Python exceptions (the one table).

This is a bottom module: it imports only the generated ``_prototypes``, so ``_lib`` and every
API package can use it. The exception classes that upstream defines in
its API modules (qpimage's ``IntegrityCheckError`` and
``MetaDataMissingError``) are defined here and re-exported there, so there
is one class object whichever name it is caught by.

Each package family raises what its upstream raises: qpimage/flimage
(``"qpimage"``) and hexrd imageseries (``"imageseries"``) differ in what a
failed integrity check of a file is (qpimage: its ``IntegrityCheckError``;
imageseries: ``OSError`` as h5py/numpy raise for a damaged file).
"""

# the result codes come from the header through the generated _prototypes
# (itself a bottom module: it imports only ctypes)
from ._prototypes import (  # noqa: F401
    QPGO_OK, QPGO_ERR_INTERNAL, QPGO_ERR_ARG, QPGO_ERR_KEY, QPGO_ERR_NOT_FOUND,
    QPGO_ERR_META_MISSING, QPGO_ERR_IO, QPGO_ERR_INTEGRITY, QPGO_ERR_CANCELLED,
    QPGO_ERR_HANDLE, QPGO_ERR_UNSUPPORTED, QPGO_ERR_BUFFER, QPGO_ERR_RUNTIME)


class CancelledError(RuntimeError):
    """A progress callback asked the library to stop (QPGO_ERR_CANCELLED)."""


class IntegrityCheckError(BaseException):
    """Raised when an integrity check fails.

    A BaseException subclass as upstream (spec §10 D5): ``except
    Exception`` does not catch it.
    """
    pass


class MetaDataMissingError(BaseException):
    """Raised when meta data is missing.

    Note: a BaseException subclass as upstream (spec §10 D5), so
    ``except Exception`` does not catch it.
    """
    pass


_COMMON = {
    QPGO_ERR_INTERNAL: RuntimeError,
    QPGO_ERR_ARG: ValueError,
    QPGO_ERR_KEY: KeyError,
    QPGO_ERR_NOT_FOUND: KeyError,
    QPGO_ERR_IO: OSError,
    QPGO_ERR_CANCELLED: CancelledError,
    QPGO_ERR_HANDLE: ValueError,
    QPGO_ERR_UNSUPPORTED: NotImplementedError,
    QPGO_ERR_BUFFER: RuntimeError,
    QPGO_ERR_RUNTIME: RuntimeError,
}

#: family -> {result code: exception class}
TABLES = {
    "qpimage": {**_COMMON, **{
        QPGO_ERR_META_MISSING: MetaDataMissingError,
        QPGO_ERR_INTEGRITY: IntegrityCheckError,
    }},
    "imageseries": {**_COMMON, **{
        # missing metadata (e.g. no omega): KeyError as a dict lookup
        QPGO_ERR_META_MISSING: KeyError,
        # a damaged file: what h5py/numpy raise, an Exception
        QPGO_ERR_INTEGRITY: OSError,
    }},
}


def exception(rc, msg, family="qpimage"):
    """The exception object for result code `rc` with message `msg`."""
    table = TABLES[family]
    cls = table.get(rc)
    if cls is None:
        return RuntimeError("unknown qpgo result code {}: {}".format(rc, msg))
    return cls(msg)
