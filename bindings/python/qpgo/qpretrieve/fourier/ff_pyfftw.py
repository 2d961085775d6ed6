from .base import FFTFilter


class FFTFilterPyFFTW(FFTFilter):
    """The PyFFTW-named Fourier interface (transforms in libqpgo; pyfftw
    is not needed)"""
    is_available = True
