"""Background estimation constants (upstream ``qpimage.bg_estimate``).

The estimation itself runs in the C library (``QPImage.compute_bg``).
"""
#: valid values for background fitting offset
VALID_FIT_OFFSETS = ["fit", "gauss", "mean", "mode"]
#: valid values for background fitting profile
VALID_FIT_PROFILES = ["offset", "poly2o", "tilt"]
