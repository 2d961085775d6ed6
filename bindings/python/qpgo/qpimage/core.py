"""QPImage (upstream ``qpimage.core``) backed by a libqpgo handle."""
import ctypes
import json
import pathlib
import warnings

import numpy as np

from .. import _lib
from .._handle import _ImageBase, array_property, h5file_arg, h5_options, \
    split_meta as _split_meta
from .image_data import Amplitude, Phase, VALID_BG_KEYS
from .meta import MetaDict, DATA_KEYS, META_KEYS  # noqa: F401

#: valid combinations for keyword argument `which_data` (the library's
#: list, qpgo_describe_json; the library validates)
VALID_INPUT_DATA = [tuple(v) if isinstance(v, list) else v
                    for v in _lib.describe()["qpimage"]["valid_input_data"]]


def divmod_neg(a, b):
    """Return divmod with closest result to zero"""
    q, r = divmod(a, b)
    # make sure r is close to zero
    sr = np.sign(r)
    if np.abs(r) > b/2:
        q += sr
        r -= b * sr
    return q, r


def _which_data_arg(which_data):
    """(C-ABI kind, layout) of a which_data argument, normalised and
    validated by the library (qpgo_which_data): the kind is "phase",
    "phase,amplitude", ...; the layout the same with tuples as tuples."""
    if isinstance(which_data, (list, tuple)):
        arg = json.dumps(list(which_data), default=str)
    elif isinstance(which_data, str):
        arg = which_data
    elif which_data is None:
        arg = ""
    else:
        raise ValueError(
            "unknown type for `which_data`: {}".format(which_data))
    kind = _lib.get_string("qpgo_which_data", _lib.cstr(arg, "which_data"))
    new = _lib.describe()["qpimage"]["deprecated_input"].get(kind)
    if new is not None:
        warnings.warn("The '{}' data type is deprecated, please use '{}' "
                      "instead!".format(kind, new), DeprecationWarning)
    return kind, tuple(kind.split(",")) if "," in kind else kind


def _layout(data, which, what="data", shape=None):
    """Flat float64 buffer and dims of `data` in the qpi_new layout.

    ``shape``: the image shape the array must have (or be broadcastable
    to, for backgrounds).
    """
    if data is None:
        raise ValueError("`{}` must not be None".format(what))
    if which == "field":
        try:
            arr = np.ascontiguousarray(data, dtype=np.complex128)
        except (TypeError, ValueError) as exc:
            raise ValueError("`{}` cannot be converted to a complex array: "
                             "{}".format(what, exc)) from None
        if shape is not None and arr.shape != tuple(shape):
            arr = _broadcast(arr, shape, what)
        flat = arr.view(np.float64)
        return flat, arr.shape
    if isinstance(which, tuple):
        try:
            n = len(data)
        except TypeError:
            raise ValueError("`{}` must be a sequence (phase, {}) for "
                             "which_data {}".format(what, which[1], which)) \
                from None
        if n != 2:
            raise ValueError("`{}` must hold 2 arrays (phase, {}) for "
                             "which_data {}, got {}".format(
                                 what, which[1], which, n))
        pha = _lib.as_f64(data[0], what + "[0]")
        amp = _lib.as_f64(data[1], what + "[1]")
        ref = tuple(shape) if shape is not None else pha.shape
        if pha.shape != ref:
            pha = _broadcast(pha, ref, what + "[0]")
        if amp.shape != ref:
            amp = _broadcast(amp, ref, what + "[1]")
        arr = np.ascontiguousarray(np.stack([pha, amp]))
        return arr, arr.shape
    arr = _lib.as_f64(data, what)
    if shape is not None and arr.shape != tuple(shape) and \
            which == "phase":
        arr = _broadcast(arr, shape, what)
    return arr, arr.shape


def _broadcast(arr, shape, what):
    # Upstream stores a broadcastable background as given; the C ABI takes
    # backgrounds of the image shape, so it is broadcast here (same values).
    try:
        return np.ascontiguousarray(np.broadcast_to(arr, tuple(shape)))
    except ValueError:
        raise ValueError("`{}` of shape {} does not match the image shape "
                         "{}".format(what, arr.shape, tuple(shape))) from None


def _dims(shape):
    return (ctypes.c_int64 * max(len(shape), 1))(*shape)


def _image_shape(which, shape):
    if isinstance(which, tuple):
        return tuple(shape[1:])
    return tuple(shape)


#: messages of path checks of `copy` and `refocus`
_H5PY_SHORT = ("`h5file` as an h5py object is not supported by qpgo: pass "
               "a file path")
_H5TYPE_SHORT = "`h5file` must be a path or None"


class QPImage(_ImageBase):
    # counts instances as upstream (used there to name in-memory files)
    _instances = 0
    _prefix = "qpi"
    _kind = "QPImage"
    _meta_class = MetaDict
    _meta_keys = META_KEYS
    _key_what = "key"

    def __init__(self, data=None, bg_data=None, which_data="phase",
                 meta_data=None, qpretrieve_kw=None, holo_kw=None,
                 proc_phase=True, h5file=None, h5mode="a",
                 h5dtype="float32"):
        """Quantitative phase image manipulation (see upstream qpimage).

        ``h5file`` is a path (str or pathlib.Path) or None (in memory);
        h5py File/Group objects are not supported: pass the file path
        instead (the library does its own HDF5 I/O).
        """
        self._h = 0
        self._do_h5_cleanup = True
        if qpretrieve_kw is None:
            qpretrieve_kw = {}
        else:
            qpretrieve_kw = dict(qpretrieve_kw)
        if holo_kw:
            warnings.warn("`holo_kw` is deprecated! Please use "
                          "`qpretrieve_kw` instead", DeprecationWarning)
            for key, value in holo_kw.items():
                if key == "sideband":
                    if value in [-1, 1]:
                        qpretrieve_kw["invert_phase"] = bool(value == -1)
                    else:
                        qpretrieve_kw["sideband_freq"] = tuple(value)
                        qpretrieve_kw["invert_phase"] = False
                elif key == "zero_pad":
                    qpretrieve_kw["padding"] = value
                else:
                    qpretrieve_kw[key] = value
        if (data is not None and
                not isinstance(data, (np.ndarray, list, tuple))):
            msg = "`data` must be numpy.ndarray!"
            if isinstance(data, (str, pathlib.Path)):
                msg += " Did you mean `h5file={}`?".format(data)
            raise ValueError(msg)
        h5file = h5file_arg(
            h5file, "`h5file` as an h5py object is not supported by qpgo: "
            "pass the file path (str or pathlib.Path) instead, or None for "
            "an in-memory image")
        if not isinstance(h5mode, str):
            raise ValueError("`h5mode` must be a str, got {!r}".format(h5mode))
        dtname = np.dtype(h5dtype).name
        meta = MetaDict(meta_data if meta_data is not None else {})
        meta_json, meta_special = _split_meta(meta)

        self.qpretrieve_kw = qpretrieve_kw
        self.h5dtype = h5dtype

        out = _lib.c_handle(0)
        if data is None:
            if h5file is None:
                # an image without data (upstream QPImage()): qpi_new with
                # data NULL creates the empty in-memory tree
                opts = {"h5dtype": dtname, "meta_data": meta_json}
                _lib.call("qpi_new", None, None, 0, None, None,
                          _lib.cstr(_lib.to_json(opts)), ctypes.byref(out))
                self._adopt(out.value)
                if meta_special:
                    self._write_meta({}, meta_special)
                return
            if isinstance(h5file, str):
                _lib.call("qpi_open", _lib.cstr(h5file, "h5file"),
                          _lib.cstr(h5mode, "h5mode"), ctypes.byref(out))
            else:  # h5py object: an image in that very group
                opts = {"h5dtype": dtname}
                opts.update(h5_options(h5file, h5mode))
                _lib.call("qpi_new", None, None, 0, None, None,
                          _lib.cstr(_lib.to_json(opts)), ctypes.byref(out))
                self._h5ref = h5file
            self._adopt(out.value)
            if meta:
                self._write_meta(meta_json, meta_special)
            return
        wd, which = _which_data_arg(which_data)
        arr, shape = _layout(data, which, "data")
        bg = None
        if bg_data is not None:
            bg, _ = _layout(bg_data, which, "bg_data",
                            shape=_image_shape(which, shape))
        opts = {"proc_phase": bool(proc_phase),
                "h5dtype": dtname,
                "meta_data": meta_json,
                "qpretrieve_kw": qpretrieve_kw}
        opts.update(h5_options(h5file, h5mode))
        self._h5ref = h5file
        _lib.call("qpi_new", _lib.cstr(wd), _lib.ptr(arr), len(shape),
                  _dims(shape), _lib.ptr(bg), _lib.cstr(_lib.to_json(opts)),
                  ctypes.byref(out))
        self._adopt(out.value)
        if meta_special:
            self._write_meta({}, meta_special)

    # --- handle management ------------------------------------------------
    @classmethod
    def _from_handle(cls, h, h5dtype="float32", qpretrieve_kw=None):
        obj = super(QPImage, cls)._from_handle(h, h5dtype)
        obj.qpretrieve_kw = dict(qpretrieve_kw or {})
        return obj

    def _derived(self, h):
        return QPImage._from_handle(h, qpretrieve_kw=self.qpretrieve_kw)

    def _checked_meta(self, meta):
        return _split_meta(meta)

    # upstream raises AttributeError in __eq__ for non-QPImages (spec §10
    # D2); qpgo returns False

    info = property(_ImageBase._info,
                    doc="list of tuples with QPImage meta data")

    # --- arrays -----------------------------------------------------------
    dtype = property(_ImageBase._dtype, doc="dtype of the phase data array")
    amp = array_property("qpi_get_amp",
                         "background-corrected amplitude image")
    pha = array_property("qpi_get_pha", "background-corrected phase image")
    bg_amp = array_property("qpi_get_bg_amp", "background amplitude image")
    bg_pha = array_property("qpi_get_bg_pha", "background phase image")
    raw_amp = array_property("qpi_get_raw_amp",
                             "raw amplitude image (storage dtype)", raw=True)
    raw_pha = array_property("qpi_get_raw_pha",
                             "raw phase image (storage dtype)", raw=True)

    @property
    def field(self):
        """background-corrected complex field"""
        shape = self.shape
        out = np.empty(shape + (2,), dtype=np.float64)
        _lib.call("qpi_get_field", self._handle, _lib.ptr(out), out.size)
        return out.view(np.complex128).reshape(shape)

    def _get_bg(self, image, key):
        """One stored background dataset (KeyError when absent)."""
        return _lib.get_array("qpi_get_bg", self._handle, self.shape,
                              _lib.cstr(image), _lib.cstr(key))

    @property
    def _amp(self):
        return Amplitude(self)

    @property
    def _pha(self):
        return Phase(self)

    # --- background -------------------------------------------------------
    def _clear_bg_one(self, image, key):
        """Delete bg_data/<key> of one image; False if it was absent."""
        needed = ctypes.c_int64(0)
        buf = ctypes.create_string_buffer(4096)
        _lib.call("qpi_clear_bg", self._handle, _lib.cstr(image),
                  _lib.cstr(key), ctypes.addressof(buf), len(buf),
                  ctypes.byref(needed))
        return needed.value <= 1  # a warning line means "absent"

    def clear_bg(self, which_data=("amplitude", "phase"), keys="fit"):
        """Clear background correction"""
        which_data = QPImage._conv_which_data(which_data)
        if isinstance(keys, str):
            # make sure keys is a list of strings
            keys = [keys]
        imdats = []
        if which_data is not None and "amplitude" in which_data:
            imdats.append(self._amp)
        if which_data is not None and "phase" in which_data:
            imdats.append(self._pha)
        if not imdats:
            msg = "`which_data` must contain 'phase' or 'amplitude'!"
            raise ValueError(msg)
        for imdat in imdats:
            for key in keys:
                imdat.del_bg(key)

    def compute_bg(self, which_data="phase",
                   fit_offset="mean", fit_profile="tilt",
                   border_m=0, border_perc=0, border_px=0,
                   from_mask=None, ret_mask=False):
        """Compute background correction (upstream semantics, run by the
        library: validation, border conversion, fit, storage)."""
        # normalised and validated by the library
        opts = {"which_data": list(which_data)
                if isinstance(which_data, tuple) else which_data,
                "fit_offset": fit_offset, "fit_profile": fit_profile,
                "border_m": border_m, "border_perc": border_perc,
                "border_px": border_px}
        if opts["which_data"] is None:
            raise ValueError("`which_data` must contain 'phase' or "
                             "'amplitude'!")
        shape = self.shape
        fm = None
        if from_mask is not None:
            if not isinstance(from_mask, np.ndarray):
                raise AssertionError("`from_mask` must be a numpy array")
            if from_mask.dtype != bool:
                # spec D4: non-boolean masks are rejected
                raise ValueError("`from_mask` must be a boolean array, got "
                                 "dtype {}".format(from_mask.dtype))
            if from_mask.shape != shape:
                raise ValueError("`from_mask` of shape {} does not match "
                                 "the image shape {}".format(
                                     from_mask.shape, shape))
            fm = np.ascontiguousarray(from_mask, dtype=np.uint8)
        mask = np.zeros(shape, dtype=np.uint8)
        _lib.call("qpi_compute_bg", self._handle,
                  _lib.cstr(_lib.to_json(opts)), _lib.ptr(fm),
                  _lib.ptr(mask), mask.size)
        if ret_mask:
            return mask.astype(bool)

    def set_bg_data(self, bg_data, which_data=None, proc_phase=True):
        """Set background amplitude and phase data"""
        if isinstance(bg_data, QPImage):
            if which_data is not None:
                msg = "`which_data` must not be set if `bg_data` is QPImage!"
                raise ValueError(msg)
            _lib.call("qpi_set_bg_data_qpi", self._handle, bg_data._handle)
            return
        if bg_data is None:
            _lib.call("qpi_set_bg_data", self._handle, b"phase", None, 0,
                      None, int(bool(proc_phase)))
            return
        wd, which = _which_data_arg(which_data)
        arr, shape = _layout(bg_data, which, "bg_data")
        _lib.call("qpi_set_bg_data", self._handle, _lib.cstr(wd),
                  _lib.ptr(arr), len(shape), _dims(shape),
                  int(bool(proc_phase)))

    # --- copies -----------------------------------------------------------
    def copy(self, h5file=None):
        """Create a copy of the current instance (in memory or a file)"""
        h5file = h5file_arg(h5file, _H5PY_SHORT, _H5TYPE_SHORT)
        c = QPImage._from_handle(self._copy_handle(h5file),
                                 h5dtype=self.h5dtype,
                                 qpretrieve_kw=self.qpretrieve_kw)
        c._h5ref = h5file
        return c

    def refocus(self, distance, kernel="helmholtz", padding=True,
                h5file=None, h5mode="a", ret_refocus_iface=False,
                method=None):
        """Compute a numerically refocused QPImage

        Parameters
        ----------
        distance: float
            Focusing distance [m]
        kernel: str
            Propagation kernel, "helmholtz" or "fresnel"
        padding: bool
            Whether to perform padding during refocusing
        h5file: None, str or pathlib.Path
            Path to an HDF5 file where the QPImage is stored; None: in
            memory (h5py objects are not supported)
        h5mode: str
            Mode in which the file `h5file` is opened
        ret_refocus_iface: bool
            Also return the refocusing interface object
            (:class:`qpgo.nrefocus.RefocusPyFFTW`, the class of
            ``qpgo.nrefocus.get_best_interface()``) set up with this
            image's field, wavelength, pixel size, medium index, `kernel`
            and `padding`, e.g. for a quick refocusing series
            (``rf.propagate(d)``) or autofocusing (``rf.autofocus``).
        method: str
            Deprecated alias of `kernel`

        Returns
        -------
        qpi: qpgo.qpimage.QPImage
            Refocused phase and amplitude data (identifier
            ``"<identifier>@<k><distance:.5e>m"``, no background data)
        rf: qpgo.nrefocus.RefocusPyFFTW
            The refocusing interface (only if `ret_refocus_iface` is True;
            then ``(qpi, rf)`` is returned)

        See Also
        --------
        nrefocus: the upstream library used by qpimage
        """
        if method is not None:
            warnings.warn("`method` is deprecated, use `kernel` instead!",
                          DeprecationWarning)
            kernel = method
        opts = {"kernel": kernel, "padding": bool(padding)}
        if h5file is not None:
            opts["h5file"] = h5file_arg(h5file, _H5PY_SHORT, _H5TYPE_SHORT)
            opts["h5mode"] = h5mode
        out = _lib.c_handle(0)
        _lib.call("qpi_refocus", self._handle, float(distance),
                  _lib.cstr(_lib.to_json(opts)), ctypes.byref(out))
        qpi2 = QPImage._from_handle(out.value, h5dtype=self.h5dtype,
                                    qpretrieve_kw=self.qpretrieve_kw)
        if not ret_refocus_iface:
            return qpi2
        from .. import nrefocus
        field = self.field
        rf = getattr(self, "_refocuser", None)
        if (rf is None or rf.kernel != kernel or rf.padding != padding
                or rf.origin.shape != field.shape
                or not np.all(rf.origin == field)):
            rf = nrefocus.get_best_interface()(
                field=field, wavelength=self["wavelength"],
                pixel_size=self["pixel size"],
                medium_index=self["medium index"], distance=0,
                kernel=kernel, padding=padding)
            self._refocuser = rf
        return qpi2, rf

    @staticmethod
    def _conv_which_data(which_data):
        """Convert which data to string or tuple"""
        if isinstance(which_data, str):
            which_data = which_data.lower().strip()
            if which_data.count(","):
                # convert comma string to list
                which_data = [w.strip() for w in which_data.split(",")]
                # remove empty strings
                which_data = [w for w in which_data if w]
                if len(which_data) == 1:
                    return which_data[0]
                else:
                    # convert to tuple
                    return tuple(which_data)
            else:
                return which_data
        elif isinstance(which_data, (list, tuple)):
            which_data = [w.lower().strip() for w in which_data]
            return tuple(which_data)
        elif which_data is None:
            return None
        else:
            msg = "unknown type for `which_data`: {}".format(which_data)
            raise ValueError(msg)


def copyh5(inh5, outh5=None):
    """Recursively copy all hdf5 data from one group to another

    Data from links is copied.

    Parameters
    ----------
    inh5: str, h5py.File, or h5py.Group
        The input hdf5 data
    outh5: str, h5py.File, h5py.Group, or None
        The output hdf5 data (None: a new in-memory h5py.File; h5py on
        the same libhdf5 as qpgo)

    Returns
    -------
    outh5: h5py.Group or str
        The output (the file name for a path `outh5`)
    """
    from .._h5py import copyh5 as _copyh5
    return _copyh5(inh5, outh5)


__all__ = ["QPImage", "VALID_INPUT_DATA", "divmod_neg", "VALID_BG_KEYS",
           "copyh5"]
