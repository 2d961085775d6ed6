"""Rotation-angle bookkeeping (upstream ``hexrd.imageseries.omega``).

``OmegaImageSeries.omega_to_frame`` and ``omegarange_to_frames`` run in
libqpgo (ims_omega_*). The wedge list of a series (``nwedges``,
``wedge(i)``, ``omegawedges``) is not exported by the C ABI yet: those
raise NotImplementedError. ``OmegaWedges`` (a builder of the (nframes, 2)
omega metadata array) is plain Python bookkeeping as upstream.
"""
import ctypes

import numpy as np

from .. import _lib
from .baseclass import ImageSeries

OMEGA_KEY = "omega"
TAU = 360


class OmegaSeriesError(Exception):
    pass


class OmegaImageSeries(ImageSeries):
    """ImageSeries with omega metadata ((nframes, 2) [start, stop] in
    degrees per frame)"""
    DFLT_TOL = 1.0e-6

    def __init__(self, ims):
        if not isinstance(ims, ImageSeries):
            raise TypeError("`ims` must be a qpgo ImageSeries")
        # share the handle of ims (ims stays the owner)
        super().__init__(ims._handle, [ims])
        self._owner = ims
        meta = ims.metadata
        if OMEGA_KEY not in meta:
            raise OmegaSeriesError("Imageseries has no omega metadata")
        om = np.asarray(meta[OMEGA_KEY])
        if om.ndim != 2 or om.shape[0] != len(ims):
            raise OmegaSeriesError(
                "omega array mismatch: array has {} frames, expecting "
                "{}".format(om.shape[0] if om.ndim else 0, len(ims)))
        self._omega = om
        # let the library validate (increasing omega) now, as upstream
        # does in the constructor
        self._call_omega_to_frame(float(om[0, 0]))

    def close(self):
        # the handle belongs to the wrapped series
        self._h = 0

    def __del__(self):
        pass

    @property
    def omega(self):
        """(nframes, 2) array of [start, stop] angles"""
        return self._omega

    def _call_omega_to_frame(self, om):
        frame = ctypes.c_int64(0)
        wedge = ctypes.c_int64(0)
        rc = _lib.lib().ims_omega_to_frame(self._handle, float(om),
                                           ctypes.byref(frame),
                                           ctypes.byref(wedge))
        if rc in (_lib.QPGO_ERR_ARG, _lib.QPGO_ERR_META_MISSING):
            raise OmegaSeriesError(_lib.errmsg())
        _lib.check(rc)
        return int(frame.value), int(wedge.value)

    def omega_to_frame(self, om):
        """(frame, wedge) for angle om [deg]; (-1, -1) if not covered"""
        return self._call_omega_to_frame(om)

    def omegarange_to_frames(self, omin, omax):
        """list of frames covering [omin, omax] ([] if not resolvable)"""
        count = ctypes.c_int64(0)
        args = (self._handle, float(omin), float(omax))
        _lib.call("ims_omega_range_to_frames", *args, None, 0,
                  ctypes.byref(count))
        n = int(count.value)
        if n == 0:
            return []
        frames = (ctypes.c_int64 * n)()
        _lib.call("ims_omega_range_to_frames", *args, frames, n,
                  ctypes.byref(count))
        return [int(f) for f in frames[:count.value]]

    def _no_wedges(self, *args):
        raise NotImplementedError(
            "the wedges of an OmegaImageSeries are not exported by the "
            "libqpgo C ABI (needs ims_omega_wedges_json)")

    nwedges = property(_no_wedges)
    omegawedges = property(_no_wedges)
    wedge = _no_wedges


class OmegaWedges(object):
    """List of wedges; builds the omega metadata array"""

    def __init__(self, nframes):
        self.nframes = nframes
        self._wedges = []

    @property
    def omegas(self):
        """(nframes, 2) array of [start, stop] angles"""
        if self.wframes != self.nframes:
            raise OmegaSeriesError(
                "number of frames (%s) does not match number of wedge "
                "frames (%s)" % (self.nframes, self.wframes))
        oa = np.zeros((self.nframes, 2))
        wstart = 0
        for w in self.wedges:
            ns = w['nsteps']
            wr = list(range(wstart, wstart + ns))
            wa0 = np.linspace(w['ostart'], w['ostop'], ns + 1)
            oa[wr, 0] = wa0[:-1]
            oa[wr, 1] = wa0[1:]
            wstart += ns
        return oa

    @property
    def nwedges(self):
        return len(self.wedges)

    @property
    def wedges(self):
        return self._wedges

    @property
    def wframes(self):
        return int(np.sum([w['nsteps'] for w in self.wedges]))

    def addwedge(self, ostart, ostop, nsteps, loc=None):
        d = dict(ostart=ostart, ostop=ostop, nsteps=nsteps)
        if loc is None:
            loc = self.nwedges
        self.wedges.insert(loc, d)

    def delwedge(self, i):
        self.wedges.pop(i)

    def save_omegas(self, fname):
        np.save(fname, self.omegas)


__all__ = ["OmegaImageSeries", "OmegaWedges", "OmegaSeriesError"]
