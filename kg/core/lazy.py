"""The one place where heavy third-party modules are imported on first use.

Everything else in vetkg imports at module top. These few are deferred because they cost
a noticeable part of a second at import (measured with ``python -X importtime`` on the
2-core development machine, after ``import kg``) and many runs never need them: a build
of plain-text documents needs no PDF reader, a query needs no plotting, ``vetkg --help``
needs none. Each accessor imports once (Python caches modules) and returns the module.
"""

from __future__ import annotations

import contextlib
import io
import logging
from types import ModuleType


def pypdf() -> ModuleType:
    """pypdf (+~110 ms): only PDF inputs need it."""
    import pypdf as module

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed-but-readable files warn
    return module


def rjieba() -> ModuleType:
    """rjieba (+~105 ms): the keyword step's segmenter."""
    import rjieba as module

    return module


def cn2an() -> ModuleType:
    """cn2an (+~120 ms): only Chinese numerals beyond the small ones need it."""
    import cn2an as module

    return module


def jionlp() -> ModuleType:
    """jionlp (+~150 ms, and a banner it prints on import): the region gazetteer."""
    with contextlib.redirect_stdout(io.StringIO()):
        import jionlp as module
    return module


def pyshacl() -> ModuleType:
    """pySHACL (+~140 ms): only ``vetkg validate`` needs it."""
    import pyshacl as module

    return module


def pyplot() -> ModuleType:
    """matplotlib's pyplot on the Agg backend (+~1 s): only drawing the report needs it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def font_manager() -> ModuleType:
    """matplotlib's font manager (with pyplot): the report's CJK font lookup."""
    from matplotlib import font_manager as module

    return module


def dask_bag() -> ModuleType:
    """dask.bag: an optional dependency (the ``distributed`` extra), only for
    :mod:`kg.corpus.distributed`."""
    import dask.bag as module

    return module


def font_subset() -> ModuleType:
    """fontTools.subset (+~340 ms; matplotlib brings fontTools): only the interactive pages
    need it, to embed the glyphs of the CJK font vetkg ships that they show."""
    from fontTools import subset as module

    return module
