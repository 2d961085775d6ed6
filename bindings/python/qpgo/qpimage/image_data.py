"""Image data access (upstream ``qpimage.image_data``), read-mostly.

``Amplitude`` and ``Phase`` here are thin views on a QPImage held by the C
library (upstream: views on the HDF5 groups). Writing single background
datasets (``set_bg``) runs ``qpi_set_bg``; ``estimate_bg`` is
``QPImage.compute_bg`` for one image.
"""
import ctypes
import numbers
import warnings

import numpy as np

from .. import _lib

#: default hdf5 compression keyword arguments (informational: the library
#: always writes gzip level 9 + fletcher32 to disk files)
COMPRESSION = {"compression": "gzip",
               "compression_opts": 9,
               }

#: valid background data identifiers (the library's, qpgo_describe_json)
VALID_BG_KEYS = list(_lib.describe()["qpimage"]["valid_bg_keys"])

_IMAGE_ATTRS = ("CLASS", "IMAGE_VERSION", "IMAGE_SUBCLASS")


class ImageData(object):
    """Base class: background-corrected view of one image of a QPImage."""
    #: "phase" or "amplitude" (the image name in the C ABI)
    _name = None
    _get_raw = None
    _get_bg = None

    def __init__(self, qpi):
        self._qpi = qpi

    def __repr__(self):
        shape = self._qpi.shape
        return "{name} image, {x}x{y}px".format(
            name=self.__class__.__name__, x=shape[0], y=shape[1])

    @property
    def h5dtype(self):
        return np.dtype(self._qpi.h5dtype)

    @property
    def raw(self):
        """raw (uncorrected) image data"""
        return getattr(self._qpi, "raw_" + self._short)

    @property
    def bg(self):
        """combined background image data"""
        return getattr(self._qpi, "bg_" + self._short)

    @property
    def image(self):
        """background corrected image data"""
        return getattr(self._qpi, self._short)

    @property
    def info(self):
        """list of background correction parameters"""
        prefix = "{} background ".format(self._name)
        return [(k, v) for (k, v) in self._qpi.info if k.startswith(prefix)]

    def _has_bg(self, key):
        try:
            self._qpi._get_bg(self._name, key)
        except KeyError:
            return False
        return True

    def del_bg(self, key):
        """Remove the background image data"""
        if key not in VALID_BG_KEYS:
            raise ValueError("Invalid bg key: {}".format(key))
        if not self._qpi._clear_bg_one(self._name, key):
            msg = "No bg data to clear for '{}' in {}.".format(key, self)
            warnings.warn(msg)

    def get_bg(self, key=None, ret_attrs=False):
        """Get the background data

        With ``ret_attrs`` the attributes of "fit" are those of the info
        entries of this image that are not HDF5 IMAGE attributes (qpimage
        writes attributes only to "fit"); "data" gives an empty dict.
        """
        if key is None:
            if ret_attrs:
                raise ValueError("No attributes for combined background!")
            return self.bg
        if key not in VALID_BG_KEYS:
            raise ValueError("Invalid bg key: {}".format(key))
        try:
            data = self._qpi._get_bg(self._name, key)
        except KeyError:
            raise KeyError("No background data for {}!".format(key)) \
                from None
        if not ret_attrs:
            return data
        attrs = {}
        if key == "fit":
            prefix = "{} background ".format(self._name)
            for k, v in self.info:
                a = k[len(prefix):]
                if a not in _IMAGE_ATTRS and a != "from mask":
                    attrs[a] = v
        return data, attrs

    def set_bg(self, bg, key="data", attrs={}):
        """Set the background data

        Parameters
        ----------
        bg: numbers.Real or 2d ndarray
            Background data (broadcastable to the image shape); None
            removes the dataset. h5py datasets (hard links upstream) are
            not supported: pass the array.
        key: str
            One of :const:`VALID_BG_KEYS`
        attrs: dict
            Dataset attributes (written in dict order)
        """
        if key not in VALID_BG_KEYS:
            raise ValueError("Invalid bg key: {}".format(key))
        if bg is None:
            data, ndim, dims = None, 0, None
        elif isinstance(bg, (numbers.Real, np.ndarray)) and \
                not isinstance(bg, (bool, np.bool_)):
            data = np.ascontiguousarray(bg, dtype=np.float64)
            ndim = data.ndim
            dims = (ctypes.c_int64 * max(ndim, 1))(*data.shape)
        else:
            raise ValueError("Unknown background data type: {}".format(bg))
        _lib.call("qpi_set_bg", self._qpi._handle, _lib.cstr(self._name),
                  _lib.cstr(key), _lib.ptr(data), ndim, dims,
                  _lib.cstr(_lib.to_json(dict(attrs or {}))))

    def estimate_bg(self, fit_offset="mean", fit_profile="tilt",
                    border_px=0, from_mask=None, ret_mask=False):
        """Estimate the image background (upstream ImageData.estimate_bg):
        the "fit" background of this image, computed and stored by the
        library as QPImage.compute_bg(which_data=<this image>) does."""
        return self._qpi.compute_bg(which_data=self._name,
                                    fit_offset=fit_offset,
                                    fit_profile=fit_profile,
                                    border_px=border_px,
                                    from_mask=from_mask, ret_mask=ret_mask)


class Amplitude(ImageData):
    """Amplitude image data: background correction divides."""
    _name = "amplitude"
    _short = "amp"


class Phase(ImageData):
    """Phase image data: background correction subtracts."""
    _name = "phase"
    _short = "pha"


def write_image_dataset(group, key, data, h5dtype=None):
    """Write an image to an h5py group as a dataset (upstream
    write_image_dataset: IMAGE attributes for HDFView, one chunk, deflate and
    Fletcher-32), written by libqpgo into h5py's own object (same libhdf5 in
    this process). Returns the h5py dataset."""
    data = np.asarray(data)
    dt = np.dtype(h5dtype if h5dtype is not None else data.dtype)
    arr = np.require(data, dtype=dt.newbyteorder("="), requirements=["C", "A"])
    dims = (ctypes.c_int64 * arr.ndim)(*arr.shape)
    # a dtype without a code is passed as -1: the library says it is not
    # supported (it validates shape and type)
    _lib.call("qpgo_write_image_dataset", group.id.id, _lib.cstr(key),
              _lib.ptr(arr), _lib.DTYPE_CODES.get(arr.dtype.name, -1),
              arr.ndim, dims)
    return group[key]


__all__ = ["COMPRESSION", "VALID_BG_KEYS", "ImageData", "Amplitude",
           "Phase", "write_image_dataset"]
