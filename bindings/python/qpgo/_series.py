"""Private base of the numbered image series (QPSeries, FLSeries).

A series is a ``<prefix>_*`` handle ("qps", "fls") whose members are
images of ``_member`` (QPImage, FLImage) returned as live views; the
upstream-visible names, signatures and docstrings stay on the public
classes.
"""
import ctypes
import json
import pathlib
import weakref

from . import _lib
from ._handle import _HandleObject, h5_options


class _SeriesBase(_HandleObject):
    #: member image class (QPImage or FLImage)
    _member = None
    #: ValueError message for a non-list member list
    _list_msg = None
    #: ValueError message for meta data with h5mode "r"
    _readonly_msg = None
    #: KeyError message (index, length) for a missing member index
    _missing_msg = None
    _views = {}

    @property
    def _word(self):
        """member name in the C ABI functions ("qpimage", "flimage")"""
        return self._member._kind.lower()

    def _h5file_arg(self, h5file):
        raise NotImplementedError

    def _meta_json(self, meta_data):
        """JSON-able meta data (ValueError for non-finite values)"""
        raise NotImplementedError

    def _init_series(self, members, meta_data, h5file, h5mode, identifier):
        self._h = 0
        self._views = weakref.WeakValueDictionary()
        if members and not isinstance(members, list):
            msg = self._list_msg
            if isinstance(members, (str, pathlib.Path)):
                msg += " Did you mean `h5file={}`?".format(members)
            raise ValueError(msg)
        h5file = self._h5file_arg(h5file)
        # upstream rejects meta data for mode "r" before checking its keys
        if meta_data and h5mode == "r":
            raise ValueError(self._readonly_msg)
        meta = self._meta_json(meta_data)
        opts = {}
        if identifier:
            opts["identifier"] = str(identifier)
        opts.update(h5_options(h5file, h5mode))
        self._h5ref = h5file
        out = _lib.c_handle(0)
        _lib.call(self._fn("new"), _lib.cstr(_lib.to_json(opts)),
                  ctypes.byref(out))
        self._adopt(out.value)
        try:
            add = getattr(self, "add_" + self._word)
            for member in (members or []):
                add(member)
            if meta:
                # upstream writes meta_data into every member present
                for ii in range(len(self)):
                    self._get_member(ii)._write_meta(meta, {})
        except BaseException:
            self.close()
            raise

    # --- handle management ------------------------------------------------
    def _release(self):
        views, self._views = self._views, weakref.WeakValueDictionary()
        for v in list(views.values()):
            v._h = 0  # <prefix>_close releases the member handles
        super(_SeriesBase, self)._release()

    def close(self):
        """Release the series (and close its file); member views become
        invalid. Idempotent."""
        self._release()

    # --- container protocol -----------------------------------------------
    def _contains(self, ident):
        if not isinstance(ident, str):
            return False
        return self._flag("contains", _lib.cstr(ident))

    def __getitem__(self, index):
        return self._get_member(index)

    def __iter__(self):
        # one library iterator: on a read-only file it decodes the images
        # the loop reads for the next members on the other cores
        it = _lib.c_handle(0)
        self._call("iter_new", ctypes.byref(it))
        try:
            while True:
                out = _lib.c_handle(0)
                _lib.call(self._fn("iter_next"), it.value, ctypes.byref(out))
                if not out.value:
                    return
                yield self._adopt_member(out.value)
        finally:
            # the series' close may have released the iterator already
            getattr(_lib.lib(), self._fn("iter_close"))(it.value)

    def __len__(self):
        n = ctypes.c_int64(0)
        self._call("len", ctypes.byref(n))
        return int(n.value)

    def _identifier(self):
        return self._string("identifier") or None

    @property
    def identifiers(self):
        """identifiers of the members in index order (None if unset)"""
        return json.loads(self._string("identifiers_json"))

    def _require_member(self, obj):
        if not isinstance(obj, self._member):
            raise ValueError("`fli` must be instance of {}!".format(
                self._member._kind))

    def _add_member(self, obj, identifier, *extra):
        self._require_member(obj)
        self._call("add_" + self._word, obj._handle,
                   _lib.cstr(identifier) if identifier else None, *extra)

    def _get_member(self, index):
        out = _lib.c_handle(0)
        if isinstance(index, str):
            rc = getattr(_lib.lib(), self._fn("get_{}_by_id".format(
                self._word)))(self._handle, _lib.cstr(index),
                              ctypes.byref(out))
            if rc == _lib.QPGO_ERR_NOT_FOUND:
                raise KeyError("{} identifier '{}' not found!".format(
                    self._member._kind, index))
            _lib.check(rc)
        else:
            index = int(index)
            # one call on the hot path (the library checks the bounds:
            # ValueError below -len); the length only for upstream's
            # KeyError message of this class
            rc = getattr(_lib.lib(), self._fn("get_" + self._word))(
                self._handle, index, ctypes.byref(out))
            if rc == _lib.QPGO_ERR_NOT_FOUND:
                raise KeyError(self._missing_msg.format(index, len(self)))
            _lib.check(rc)
        return self._adopt_member(out.value)

    def _adopt_member(self, handle):
        """the member object of a view handle from the library"""
        member = self._member._from_handle(handle)
        member._do_h5_cleanup = True  # releases the view, not the file
        self._views[handle] = member
        return member
