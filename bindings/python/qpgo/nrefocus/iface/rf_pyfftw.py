from .base import Refocus


class RefocusPyFFTW(Refocus):
    """Refocusing interface (nrefocus' FFTW interface; FFTs in libqpgo,
    which uses FFTW when it is installed, so pyfftw is not needed)

    .. versionadded:: 0.4.0
    """
