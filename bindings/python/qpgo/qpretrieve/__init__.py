"""qpgo.qpretrieve: drop-in for qpretrieve 0.3.2 (hologram and QLSI
phase retrieval), numerics in libqpgo (Go core/holo).

    import qpgo.qpretrieve as qpretrieve
    field = qpretrieve.OffAxisHologram(data).run_pipeline()
"""
# flake8: noqa: F401
from ._version import version as __version__
from .interfere import OffAxisHologram, QLSInterferogram
from . import filter
from . import fourier
