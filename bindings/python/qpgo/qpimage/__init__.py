"""qpimage 0.9.3 API on top of libqpgo (drop-in subset).

``__version__`` is the upstream version whose behaviour and file format
this package reproduces ("0.9.3"; it is also what the library writes as
the "qpimage version" attribute), so scripts that compare
``qpimage.__version__`` keep working. The version of the qpgo library
itself is ``qpgo.__version__``.
"""
from . import bg_estimate  # noqa: F401
from . import core  # noqa: F401
from . import image_data  # noqa: F401
from . import integrity_check  # noqa: F401
from . import meta  # noqa: F401
from . import series  # noqa: F401
from .core import QPImage  # noqa: F401
from .meta import META_KEYS, MetaDict  # noqa: F401
from .series import QPSeries  # noqa: F401

__version__ = "0.9.3"
