"""Adapter for Dectris Eiger stream v2 HDF5 files (upstream
``load.eiger_stream_v2``), decoded by libqpgo.

Options ``threshold_setting`` ('threshold_1' (default), 'threshold_2',
'man_diff': ``threshold_1 - multiplier * threshold_2`` as float64) and
``multiplier`` (float, default 1), settable with :meth:`set_option`; the
values are validated by libqpgo (the series is re-opened with them, the
metadata dict stays the same object)."""
from typing import Any

from ._native import NativeAdapter, h5_target

_OPTIONS = ['threshold_setting', 'multiplier']


class EigerStreamV2ImageSeriesAdapter(NativeAdapter):
    """collection of images in an Eiger stream v2 file"""
    format = 'eiger-stream-v2'
    _scalar_0d = True

    def __init__(self, fname, threshold_setting='threshold_1',
                 multiplier=1, **kwargs):
        # an open h5py.File is read through its file name
        self._fname = fname = h5_target(fname)[0]
        self._threshold_setting = threshold_setting
        self._multiplier = float(multiplier)
        self._init_handle(self._reopen())

    def _reopen(self):
        opts = {"threshold_setting": self._threshold_setting,
                "multiplier": self._multiplier}
        try:
            return self._open(self._fname, self.format, opts)
        except (KeyError, ValueError) as exc:
            if "threshold_setting" in str(exc):
                raise NotImplementedError(
                    exc.args[0] if exc.args else str(exc)) from None
            raise

    def _set(self, key, value):
        old = (self._threshold_setting, self._multiplier)
        setattr(self, "_" + key, value)
        try:
            hd = self._reopen()
        except BaseException:
            self._threshold_setting, self._multiplier = old
            raise
        meta = self.metadata  # the same dict after re-opening
        self._hd.close()
        self._init_handle(hd)
        self._meta = meta

    @property
    def threshold_setting(self) -> str:
        """'threshold_1', 'threshold_2' or 'man_diff' (threshold_1 -
        multiplier * threshold_2)"""
        return self._threshold_setting

    @threshold_setting.setter
    def threshold_setting(self, v: str):
        self._set("threshold_setting", v)

    @property
    def multiplier(self) -> float:
        """used by 'man_diff' only (converted to float)"""
        return self._multiplier

    @multiplier.setter
    def multiplier(self, v):
        self._set("multiplier", float(v))

    def set_option(self, key: str, value: Any):
        if key not in _OPTIONS:
            raise NotImplementedError('"{}" not in possible options: '
                                      '{}'.format(key, ', '.join(_OPTIONS)))
        setattr(self, key, value)

    def option_values(self) -> dict:
        return {k: getattr(self, k) for k in _OPTIONS}
