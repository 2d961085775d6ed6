from .base import FFTFilter


class FFTFilterNumpy(FFTFilter):
    """The numpy-named Fourier interface (transforms in libqpgo)"""
    is_available = True
