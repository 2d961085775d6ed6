"""Meta data keys and MetaDict (upstream ``qpimage.meta``).

The key lists and their descriptions are the library's own (Go
``core/meta``, read through ``qpgo_describe_json``): no copy here.
"""
from collections import UserDict

from .. import _lib

_D = _lib.describe()["qpimage"]

#: data-set defining meta data (required, e.g. for integrity checks)
DATA_DEF = {k: _D["data_def"][k] for k in _D["data_keys"]}

#: other (optional) meta data
OTHER_DEF = {k: _D["other_def"][k] for k in _D["other_keys"]}

#: list of valid data-defining meta data keys (sorted)
DATA_KEYS = list(_D["data_keys"])
#: list of other meta data keys (sorted)
OTHER_KEYS = list(_D["other_keys"])
#: list of all valid meta data keys
META_KEYS = list(_D["meta_keys"])
del _D


# defined in the bottom module (one class for the result-code table)
from .._errors import MetaDataMissingError  # noqa: E402,F401


class MetaDict(UserDict):
    """A dictionary that only accepts valid meta data keys"""
    valid_keys = META_KEYS

    def __init__(self, *args, **kwargs):
        super(MetaDict, self).__init__(*args, **kwargs)
        # check for invalid keys
        for key in self:
            if key not in self.valid_keys:
                raise KeyError("Unknown meta key: '{}'".format(key))

    def __setitem__(self, key, value):
        """Set a meta data key

        The key must be a valid key defined in `self.valid_keys`.
        """
        if key not in self.valid_keys:
            raise KeyError("Unknown meta key: '{}'".format(key))
        super(MetaDict, self).__setitem__(key, value)

    def __getitem__(self, key):
        if key not in self.valid_keys:
            raise KeyError("Unknown meta key: '{}'".format(key))
        elif key not in self:
            msg = "No meta data was defined for '{}'! Please make sure " \
                  + "you passed the dictionary `meta_data` when you " \
                  + "loaded your data."
            raise MetaDataMissingError(msg.format(key))
        return super(MetaDict, self).__getitem__(key)
