"""flimage 0.3.3 API on top of libqpgo (FLImage, FLSeries).

``__version__`` is the upstream version whose behaviour and file format
this package reproduces ("0.3.3", also written as the "flimage version"
attribute).
"""
from . import core  # noqa: F401
from . import image_data  # noqa: F401
from . import meta  # noqa: F401
from . import series  # noqa: F401
from .core import FLImage  # noqa: F401
from .meta import META_KEYS_FL  # noqa: F401
from .series import FLSeries  # noqa: F401

__version__ = "0.3.3"
