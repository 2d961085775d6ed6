"""Write imageseries (upstream ``hexrd.imageseries.save``).

Writers register themselves on their ``fmt`` (metaclass), as upstream;
``write(ims, fname, fmt, **kwargs)`` instantiates the writer and calls
``write()``. The files are written by libqpgo from any ImageSeries (qpgo
series directly, others frame by frame through a callback).
"""
import abc
import collections.abc
import ctypes
import logging
import multiprocessing
import os
import warnings

import numpy as np
import yaml

from .. import _h5py, _lib
from . import _capi

logger = logging.getLogger(__name__)

MAX_NZ_FRACTION = 0.1  # 10% sparsity trigger for frame-cache write

#: typedef void (*qpgo_warn_fn)(const char *msg, void *user)
_WARN_FN = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_void_p)


def write(ims, fname, fmt, **kwargs):
    """write imageseries to file with options

    Parameters
    ----------
    ims: Imageseries
       the imageseries to write
    fname: str
       the name of the HDF5 file to write
    fmt: str
       format name of the imageseries
    kwargs: dict
       options specific to format
    """
    wcls = _Registry.getwriter(fmt)
    w = wcls(ims, fname, **kwargs)
    w.write()


# Registry
class _RegisterWriter(abc.ABCMeta):
    def __init__(cls, name, bases, attrs):
        abc.ABCMeta.__init__(cls, name, bases, attrs)
        _Registry.register(cls)


class _Registry(object):
    """Registry for imageseries writers"""

    writer_registry = dict()

    @classmethod
    def register(cls, wcls):
        """Register writer class"""
        if wcls.__name__ != 'Writer':
            cls.writer_registry[wcls.fmt] = wcls

    @classmethod
    def getwriter(cls, name):
        """return instance associated with name"""
        return cls.writer_registry[name]


class Writer(object, metaclass=_RegisterWriter):
    """Base class for writers

    Parameters
    ----------
    ims: Imageseries
       the imageseries to write
    fname: str
       the name of the file to write
    kwargs: dict
       options specific to format
    """
    fmt: str | None = None

    def __init__(self, ims, fname, **kwargs):
        if isinstance(ims, np.ndarray):
            from .load.array import ArrayImageSeriesAdapter
            from .baseclass import ImageSeries
            ims = ImageSeries(ArrayImageSeriesAdapter(None, data=ims))
        self._ims = ims
        self._shape = ims.shape
        self._dtype = ims.dtype
        self._nframes = len(ims)
        self._meta = ims.metadata
        self._fname = fname
        self._opts = kwargs
        # an open h5py.File/Group (the HDF5 writers write into it)
        filename = _h5_filename(fname)
        tmp = os.path.split(os.fspath(filename))
        self._fname_dir = tmp[0]
        tmp = os.path.splitext(tmp[1])
        self._fname_base = tmp[0]
        self._fname_suff = tmp[1]

    @property
    def fname(self):
        return self._fname

    @property
    def fname_dir(self):
        return self._fname_dir

    @property
    def opts(self):
        return self._opts

    def _go_write(self, options, strict=True, fname=None):
        """ims_write_warn of the series (to `fname`, default the writer's
        file); the writer's warnings become UserWarnings"""
        hd = _capi.native(self._ims, strict=strict)
        msgs = []
        cb = _WARN_FN(lambda m, u: msgs.append(m.decode("utf-8", "replace")))
        fname = self._fname if fname is None else fname
        if _h5_filename(fname) is not fname:
            # written into the caller's open h5py object (borrowed)
            ref = _h5py.H5Ref(fname)
            options = dict(options, h5group_id=str(ref.hid))
            fname = _h5_filename(fname)
        try:
            _capi.run(hd, "ims_write_warn", _lib.cstr(os.fspath(fname)),
                      _lib.cstr(self.fmt), _lib.cstr(_lib.to_json(options)),
                      ctypes.cast(cb, ctypes.c_void_p), None)
        finally:
            for m in msgs:
                warnings.warn(m, UserWarning, stacklevel=4)


def _h5_filename(obj):
    """the file name of an open h5py.File/Group; anything else as is"""
    if type(obj).__module__.startswith("h5py") and hasattr(obj, "file"):
        return obj.file.filename
    return obj


def _compression(c):
    """an h5py-style filter mapping (hdf5plugin.Blosc(...), ...) as the
    {"id", "params"} option of ims_write"""
    if isinstance(c, collections.abc.Mapping) and "compression" in c and \
            not isinstance(c.get("compression"), str):
        return {"id": int(c["compression"]),
                "params": [int(v) for v in c.get("compression_opts", ())]}
    return c


class WriteH5(Writer):
    """Write image series to an HDF5 file

    Parameters
    ----------
    ims: Imageseries
       the imageseries to write
    fname: str or Path
       name of file to write (truncated)
    path: str
       group to write the dataset "images" and the metadata into
    gzip: int
       compression level 0-9 (default 1)
    chunk_rows: int
       rows per chunk (0: the whole frame)
    shuffle: bool
       shuffle filter (default True)
    compression: mapping
       e.g. ``hdf5plugin.Blosc(...)``; replaces shuffle and gzip
    """
    fmt = 'hdf5'
    dflt_gzip = 1
    dflt_chrows = 0
    dflt_shuffle = True

    def __init__(self, ims, fname, **kwargs):
        Writer.__init__(self, ims, fname, **kwargs)
        self._path = self._opts['path']

    @property
    def h5opts(self):
        """the h5py ``create_dataset`` keywords the options stand for
        (what the file is written with): an explicit ``compression``
        mapping as is, else shuffle + gzip; chunks of ``chunk_rows`` rows
        (all rows if < 1 or more than the frame has)"""
        d = {}
        compression = self._opts.get('compression')
        if compression is not None:
            d.update(dict(compression))
        else:
            d['shuffle'] = self._opts.get('shuffle', self.dflt_shuffle)
            gz = self._opts.get('gzip', self.dflt_gzip)
            if gz > 0:
                d['compression'] = 'gzip'
                d['compression_opts'] = gz
        s0, s1 = self._shape
        chrows = self._opts.get('chunk_rows', self.dflt_chrows)
        if chrows < 1 or chrows > s0:
            chrows = s0
        d['chunks'] = (1, chrows, s1)
        return d

    def write(self):
        """Write imageseries to HDF5 file"""
        for v in self._meta.values():
            v.dtype  # every value is a numpy object (AttributeError else)
        opts = dict(self._opts)
        if opts.get("compression") is not None:
            opts["compression"] = _compression(opts["compression"])
        else:
            opts.pop("compression", None)
        self._go_write(opts)


class WriteFrameCache(Writer):
    """write frame cache imageseries (npz or fch5)

    Parameters
    ----------
    ims: Imageseries instance
       the imageseries to write
    fname: str or Path
       name of file to write
    threshold: float
       values at or below it are dropped
    cache_file: str or Path, optional
       name of the file holding the frames (relative: next to `fname`)
    style: str
       'npz' (default) or 'fch5'
    max_workers: int, optional
       worker threads (default: the number of CPUs)
    """
    fmt = 'frame-cache'

    def __init__(self, ims, fname, style='npz', **kwargs):
        Writer.__init__(self, ims, fname, **kwargs)
        self._thresh = self._opts['threshold']
        self._path = self._opts.get('path')
        self._cache, self.cachename = self._set_cache()
        ncpus = multiprocessing.cpu_count()
        self.max_workers = kwargs.get('max_workers', ncpus)
        supported_formats = ['npz', 'fch5']
        if style not in supported_formats:
            raise TypeError(
                f"Unknown file style for writing framecache: {style}. "
                f"Supported formats are {supported_formats}"
            )
        self.style = style

    def _set_cache(self):
        cf = self.opts.get('cache_file')
        if _h5_filename(self.fname) is not self.fname:
            # fch5 into an open h5py File/Group: no cache file
            return self.fname, _h5_filename(self.fname)
        if cf is None:
            cachename = cache = self.fname
        else:
            if os.path.isabs(cf):
                cache = cf
            else:
                cache = os.path.join(os.path.dirname(self.fname), cf)
            cachename = cf
        return cache, cachename

    @property
    def cache(self):
        return self._cache

    # --- the parts of write() (upstream's method names) -------------------
    def _check_sparsity(self, frame_id, count, buff_size):
        """warn when more than MAX_NZ_FRACTION of a frame is kept (the Go
        writer warns the same way for every frame it writes; the stated
        cutoff is 90 %, spec I8)"""
        fullness = count / float(buff_size)
        if fullness > MAX_NZ_FRACTION:
            sparseness = 100.0 * (1 - fullness)
            warnings.warn("frame %d is %4.2f%% sparse (cutoff is 90%%)"
                          % (frame_id, sparseness))

    def _write_frames_npz(self):
        """the npz frame cache (written by libqpgo)"""
        opts = dict(self._opts, style='npz')
        opts["threshold"] = float(self._thresh)
        self._go_write(opts, strict=False)  # to the cache file

    def _write_frames_fch5(self):
        """the fch5 frame cache (written by libqpgo)"""
        opts = dict(self._opts, style='fch5')
        opts["threshold"] = float(self._thresh)
        self._go_write(opts, strict=False)

    def _write_frames(self):
        if self.style == 'npz':
            self._write_frames_npz()
        elif self.style == 'fch5':
            self._write_frames_fch5()

    def _process_meta(self, save_omegas=False):
        """metadata for the deprecated YAML file: nested dicts dropped
        (logged), arrays saved as ``<base>-<key>.npy`` next to the cache
        with a ``! load-numpy-array`` trigger (with save_omegas)"""
        d = {}
        for k, v in list(self._meta.items()):
            if isinstance(v, dict):
                logger.warning(
                    'NPZ files do not support nested metadata. '
                    f'The metadata key "{k}" will not be written out.')
                continue
            if isinstance(v, np.ndarray) and save_omegas:
                fname = os.path.join(os.path.dirname(self._cache),
                                     "%s-%s.npy" % (self._fname_base, k))
                if not os.path.exists(fname):
                    np.save(fname, v)
                d[k] = "! load-numpy-array %s" % fname
            else:
                d[k] = v
        return d

    def _write_yml(self):
        """the deprecated YAML file (§2.4 layout, as hexrd 0.9.0 wrote it)"""
        info = {'data': {'file': os.fspath(self.cachename),
                         'dtype': str(np.dtype(self._ims.dtype)),
                         'nframes': len(self._ims),
                         'shape': list(self._ims.shape)},
                'meta': self._process_meta(save_omegas=True)}
        with open(self._fname, "w") as f:
            yaml.safe_dump(info, f)

    def write(self, output_yaml=False):
        """writes the frame cache; with output_yaml (deprecated) the frames
        go to the cache file and `fname` is the YAML file (spec I1: upstream
        fails here, qpgo writes the 0.9.0 layout)"""
        self._write_frames()
        if output_yaml:
            warnings.warn("YAML output for frame-cache is deprecated",
                          DeprecationWarning)
            self._write_yml()
