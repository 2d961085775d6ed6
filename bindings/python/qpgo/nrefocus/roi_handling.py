"""Region-of-interest arguments of the autofocus functions (nrefocus 0.5.3)"""
import numbers


class ROIValueError(ValueError):
    pass


def parse_roi(roi):
    """Turn a region of interest into slices

    Parameters
    ----------
    roi: list or tuple or slice or None
        - ``[axis_0_start, axis_1_start, axis_0_end, axis_1_end]`` (entries
          may be None), or ``[start, end]`` for 1D data
        - a slice or a list/tuple of slices (used as given, as tuple)
        - None: the whole field

    Returns
    -------
    roi: None, slice or tuple of slices

    Raises
    ------
    ROIValueError
        for any other value
    """
    if roi is None or isinstance(roi, slice):
        return roi
    msg = f"Unexpected value for `roi`: '{roi}'"
    if all(isinstance(item, slice) for item in roi):
        return tuple(roi)
    if isinstance(roi, (list, tuple)) and all(
            item is None or isinstance(item, numbers.Number) for item in roi):
        if len(roi) == 2:
            return slice(roi[0], roi[1])
        if len(roi) == 4:
            return slice(roi[0], roi[2]), slice(roi[1], roi[3])
    raise ROIValueError(msg)
