from .base import Refocus


class RefocusNumpy1D(Refocus):
    """Refocus a 1D field (FFTs in libqpgo)

    .. versionadded:: 0.3.0

    Parameters as :class:`nrefocus.iface.base.Refocus`, with a 1D `field`;
    the kernels are the 1D forms
    :math:`\\exp(id(\\sqrt{k_\\mathrm{m}^2 - k_\\mathrm{x}^2} - k_\\mathrm{m}))`
    and :math:`\\exp(-idk_\\mathrm{x}^2/2k_\\mathrm{m})`.
    """
