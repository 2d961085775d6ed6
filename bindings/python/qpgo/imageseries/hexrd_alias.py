"""hexrd's import paths for qpgo.imageseries.

:func:`install` makes ``import hexrd.core.imageseries`` and ``import
hexrd.imageseries`` (and every submodule: ``...load.hdf5``, ``...stats``,
``...save``, ...) give the qpgo modules themselves, so code written for
hexrd runs unchanged and classes/exceptions are the same objects whichever
name is used. A real hexrd package, when installed, keeps everything but
its ``imageseries`` subpackages; without one, empty ``hexrd`` and
``hexrd.core`` packages are made to hold them.
"""
import importlib
import importlib.abc
import importlib.util
import sys
import types

TARGET = "qpgo.imageseries"
#: the hexrd names of qpgo.imageseries
PREFIXES = ("hexrd.core.imageseries", "hexrd.imageseries")


def _target(name):
    for p in PREFIXES:
        if name == p or name.startswith(p + "."):
            return TARGET + name[len(p):]
    return None


class _Loader(importlib.abc.Loader):
    def __init__(self, target):
        self.target = target

    def create_module(self, spec):
        mod = importlib.import_module(self.target)
        self._spec = mod.__spec__
        return mod

    def exec_module(self, module):
        # the qpgo module is already executed: only its own spec is put
        # back (the import system set the hexrd one)
        module.__spec__ = self._spec


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        t = _target(name)
        if t is None:
            return None
        mod = importlib.import_module(t)
        spec = importlib.util.spec_from_loader(
            name, _Loader(t), is_package=hasattr(mod, "__path__"))
        return spec


_finder = _Finder()


def _parent(name):
    """the hexrd / hexrd.core package: the real one if installed, else an
    empty package"""
    if name in sys.modules:
        return sys.modules[name]
    try:
        return importlib.import_module(name)
    except ImportError:
        mod = types.ModuleType(name, "namespace for qpgo's hexrd aliases")
        mod.__path__ = []
        sys.modules[name] = mod
        return mod


def install():
    """Map hexrd's imageseries import paths to qpgo.imageseries
    (idempotent). Modules already imported under those names are
    replaced."""
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
    for name in list(sys.modules):
        if _target(name) is not None:
            del sys.modules[name]
    hexrd = _parent("hexrd")
    core = _parent("hexrd.core")
    hexrd.core = core
    core.imageseries = importlib.import_module("hexrd.core.imageseries")
    hexrd.imageseries = importlib.import_module("hexrd.imageseries")


def uninstall():
    """Undo :func:`install` for later imports."""
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    for name in list(sys.modules):
        if _target(name) is not None:
            del sys.modules[name]
