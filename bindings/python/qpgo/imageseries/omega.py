"""Rotation-angle bookkeeping (upstream ``hexrd.imageseries.omega``).

The wedges of an :class:`OmegaImageSeries` and the angle/frame lookups
are computed by libqpgo (ims_omega_*) from the series' ``omega``
metadata; any series works. :class:`OmegaWedges` (a builder of the
(nframes, 2) omega metadata array) is plain bookkeeping as upstream.
"""
import ctypes
import json

import numpy as np

from . import _capi
from .baseclass import ImageSeries
from .process import ProcessedImageSeries  # noqa: F401 (upstream name)

OMEGA_KEY = "omega"
TAU = 360


class OmegaSeriesError(Exception):
    def __init__(self, value):
        self.value = value

    def __str__(self):
        return repr(self.value)


class OmegaImageSeries(ImageSeries):
    """ImageSeries with omega metadata"""
    DFLT_TOL = 1.0e-6
    TAU = 360

    def __init__(self, ims):
        """This class is initialized with an existing imageseries"""
        meta = ims.metadata
        if OMEGA_KEY not in meta:
            raise OmegaSeriesError('Imageseries has no omega metadata')
        self._omega = meta[OMEGA_KEY]
        super(OmegaImageSeries, self).__init__(ims)
        # the wedges need only the length and the omega array: Go gets
        # them as a series of 1x1 frames (any series, whatever its frames)
        self._hd = _capi.from_array(np.zeros((len(ims), 1, 1), np.uint8),
                                    {OMEGA_KEY: self._omega})
        self._make_wedges()

    def _go(self, name, *args):
        """an ims_omega_* call; its errors as OmegaSeriesError"""
        try:
            return _capi.run(self._hd, name, *args)
        except (KeyError, ValueError) as exc:
            raise OmegaSeriesError(
                exc.args[0] if exc.args else str(exc)) from None

    def _make_wedges(self, tol=DFLT_TOL):
        try:
            text = _capi.get_string("ims_omega_wedges_json", self._hd.h)
        except (KeyError, ValueError) as exc:
            raise OmegaSeriesError(
                exc.args[0] if exc.args else str(exc)) from None
        wl = json.loads(text)
        self._omegawedges = OmegaWedges(len(self))
        for w in wl:
            self._omegawedges.addwedge(float(w["ostart"]), float(w["ostop"]),
                                       int(w["nsteps"]))
        self._wedge_om = np.array(
            [[w["ostart"], w["ostop"]] for w in wl], dtype=float)
        self._wedge_f = np.array([w["first_frame"] for w in wl], dtype=int)

    @property
    def omega(self):
        """return omega range array (nframes, 2)"""
        return self._omega

    @property
    def omegawedges(self):
        """OmegaWedges instance"""
        return self._omegawedges

    @property
    def nwedges(self):
        """number of omega wedges (angular sections)"""
        return self.omegawedges.nwedges

    def wedge(self, i):
        """return i'th wedge as a dictionary"""
        d = self.omegawedges.wedges[i]
        delta = (d['ostop'] - d['ostart']) / d['nsteps']
        d.update(delta=delta)
        return d

    def omega_to_frame(self, om):
        """Return frame and wedge which includes given omega, -1 if not
        found"""
        frame = ctypes.c_int64(0)
        wedge = ctypes.c_int64(0)
        self._go("ims_omega_to_frame", float(om), ctypes.byref(frame),
                 ctypes.byref(wedge))
        return int(frame.value), int(wedge.value)

    def omegarange_to_frames(self, omin, omax):
        """Return list of frames for range of omegas; () if the range
        cannot be resolved"""
        count = ctypes.c_int64(0)
        args = (float(omin), float(omax))
        self._go("ims_omega_range_to_frames", *args, None, 0,
                 ctypes.byref(count))
        n = int(count.value)
        if n == 0:
            return ()
        frames = (ctypes.c_int64 * n)()
        self._go("ims_omega_range_to_frames", *args, frames, n,
                 ctypes.byref(count))
        return [int(f) for f in frames[:count.value]]


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
