"""Frame-cache adapter class (upstream ``load.framecache``): sparse frame
caches (npz, fch5, legacy YAML + npz) read by libqpgo."""

import numpy as np

from . import ImageSeriesAdapter  # noqa: F401 (upstream re-export)
from ._native import NativeAdapter, h5_target
from .metadata import yamlmeta  # noqa: F401 (upstream module attribute)

_STYLES = ('npz', 'fch5', 'yml', 'yaml', 'test')


class FrameCacheImageSeriesAdapter(NativeAdapter):
    """collection of images in a sparse frame cache

    Parameters
    ----------
    fname: str or pathlib.Path
        the frame-cache file (npz, fch5 or legacy YAML)
    style: str
        'npz' (default), 'fch5', 'yml' ('yaml', 'test')
    path: str
        fch5 group (optional)
    max_workers: int
        threads used to decode the frames
    max_alloc_bytes: int
        memory budget of this open (every style; qpgo extension,
        default: ``qpgo.set_limits``)
    """
    format = 'frame-cache'

    def __init__(self, fname, style='npz', **kwargs):
        if style not in _STYLES:
            raise TypeError(
                "Unknown style format for loading data: {}.Known style "
                "formats: 'npz', 'fch5' 'yml', 'yaml', 'test'".format(style))
        # an open h5py File/Group (fch5) is read through its file name
        fname, path = h5_target(fname, kwargs.get("path"))
        kwargs["path"] = path
        self._fname = fname
        self._style = style
        self._from_yml = style in ('yml', 'yaml', 'test')
        self._python_scalars = self._from_yml
        opts = {"style": "yml" if self._from_yml else style}
        for k in ("path", "max_workers", "max_alloc_bytes"):
            if kwargs.get(k) is not None:
                opts[k] = kwargs[k]
        self._init_handle(self._open(fname, self.format, opts))

    def load_metadata(self, indict):
        """metadata of a legacy YAML dict: a value "++np.array" takes the
        list under "<key>-array" (removed from `indict`) as an array; other
        values as they are (legacy helper; the reader itself resolves
        triggers with ``yamlmeta``)"""
        out = {}
        for k in list(indict):
            if k not in indict:
                continue  # an "-array" list taken already
            v = indict[k]
            if isinstance(v, str) and v == '++np.array':
                out[k] = np.array(indict.pop(k + '-array'))
                out.pop(k + '-array', None)
            else:
                out[k] = v
        return out
