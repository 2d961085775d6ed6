from .base import Refocus


class RefocusNumpy(Refocus):
    """Refocusing interface (nrefocus' numpy interface; FFTs in libqpgo)

    .. versionadded:: 0.3.0
    """
