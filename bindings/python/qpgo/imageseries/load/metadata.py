"""metadata tools for imageseries (upstream ``load.metadata``)"""
import os

import numpy as np
from numpy.typing import NDArray


def yamlmeta(meta, path=None) -> dict[str, NDArray[np.float64]]:
    """Image sequence metadata of a YAML dictionary

    *path* is a full path or directory used to find the relative location
    of files loaded via the trigger mechanism. A string "! load-numpy-array
    <filename>" is replaced by the array np.load reads from the file; the
    obsolescent "++np.array" marker takes the list under "<key>-array".
    """
    path = os.path.dirname(path) if path is not None else '.'
    metad = {}
    for k, v in list(meta.items()):
        words = v.split() if isinstance(v, str) else []
        istrigger = bool(words) and words[0] == "!" and len(words) > 1
        if v == '++np.array':
            newk = k + '-array'
            metad[k] = np.array(meta.pop(newk))
            metad.pop(newk, None)
        elif istrigger:
            if words[1] == "load-numpy-array":
                metad[k] = np.load(os.path.join(path, words[2]))
        else:
            metad[k] = v
    return metad
