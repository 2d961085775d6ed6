"""Meta data keys and MetaDict (upstream ``qpimage.meta``).

The key lists are hard-coded in upstream order and are tested against the
fixture ``meta_keys`` and the lists of the Go library (``core/meta``).
"""
from collections import UserDict

#: data-set defining meta data (required, e.g. for integrity checks)
DATA_DEF = {
    "medium index": "refractive index of the medium",
    "pixel size": "detector pixel size [m]",
    "time": "acquisition time of the image [s]",
    "wavelength": "imaging wavelength [m]",
}

#: other (optional) meta data
OTHER_DEF = {
    "angle": "rotational angle (e.g. for tomography) [rad]",
    "date": "acquisition date ('YYYY-MM-DD')",
    "device": "imaging device",
    "focus": "focus position [m]",
    "identifier": "image identifier",
    "numerical aperture": "numerical aperture of the imaging system",
    "pos x": "x position of the image [m]",
    "pos y": "y position of the image [m]",
    "qpimage version": "qpimage software version used",
    "sim center": "simulation: center of object [px]",
    "sim index": "simulation: refractive index of object",
    "sim model": "simulation: model used",
    "sim radius": "simulation: object radius [m]",
    "software": "acquisition software and version",
}

#: list of valid data-defining meta data keys (sorted)
DATA_KEYS = sorted(DATA_DEF.keys())
#: list of other meta data keys (sorted)
OTHER_KEYS = sorted(OTHER_DEF.keys())
#: list of all valid meta data keys
META_KEYS = DATA_KEYS + OTHER_KEYS


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
