"""FLImage meta data keys (upstream ``flimage.meta``).

``MetaDataMissingError`` is qpimage's (a BaseException subclass, spec F3).
"""
from ..qpimage.meta import (MetaDict, DATA_DEF, OTHER_DEF,  # noqa: F401
                            MetaDataMissingError)

from .. import _lib

_D = _lib.describe()["flimage"]
#: optional FLImage meta data (the library's list, ``qpgo_describe_json``)
OTHER_DEF_FL = {k: _D["other_def"][k] for k in _D["other_keys"]}
OTHER_KEYS_FL = list(_D["other_keys"])

#: data-set defining FLImage meta data
DATA_DEF_FL = {k: _D["data_def"][k] for k in _D["data_keys"]}
DATA_KEYS_FL = list(_D["data_keys"])

#: valid :class:`qpgo.flimage.FLImage` meta data keys
META_KEYS_FL = list(_D["meta_keys"])
del _D


class FLMetaDict(MetaDict):
    """MetaDict accepting the FLImage keys :const:`META_KEYS_FL`"""
    valid_keys = META_KEYS_FL


__all__ = ["DATA_KEYS_FL", "OTHER_KEYS_FL", "META_KEYS_FL", "FLMetaDict",
           "MetaDataMissingError"]
