# flake8: noqa: F401
from .if_oah import OffAxisHologram
from .if_qlsi import QLSInterferogram
