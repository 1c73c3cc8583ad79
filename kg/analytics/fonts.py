"""The font of the plots: the CJK font vetkg ships (``kg/data/fonts``), so every machine
draws Chinese, and the same pixels, whatever fonts it has; the rcParams every plot is
drawn with; document text as those fonts can draw it.

Used by the report (:mod:`kg.analytics.report`) and by the plots of
:mod:`kg.analytics.policy_tools` and :mod:`kg.analytics.targets`; in a notebook,
:func:`use_cjk_font` sets matplotlib up the same way.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from kg.core import lazy

FONT_FAMILY = "VetKG Sans SC"  # the subset of Noto Sans CJK SC in kg/data/fonts (OFL)
FONT_FILE = "VetKGSansSC-Regular.otf"
MISSING_GLYPH = "〓"  # the geta mark: typesetters' sign for a character the font lacks
SYSTEM_CJK_FONTS = (  # only if the shipped font was left out of an install
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)


def font_path() -> Path:
    """The CJK font vetkg ships for its plots."""
    return Path(str(resources.files("kg").joinpath("data").joinpath("fonts").joinpath(FONT_FILE)))


@cache
def plot_fonts() -> tuple[tuple[str, ...], frozenset[int]]:
    """The font families of the plots, first choice first, and the code points they draw.

    The shipped font first, so a machine without any CJK font (a fresh server, a
    container) draws Chinese, and every machine draws the same pixels; DejaVu Sans (which
    matplotlib brings) for what it lacks."""
    font_manager = lazy.font_manager()
    families: list[str] = []
    if font_path().is_file():
        font_manager.fontManager.addfont(str(font_path()))
        families.append(FONT_FAMILY)
    else:
        known = {f.name for f in font_manager.fontManager.ttflist}
        families += [name for name in SYSTEM_CJK_FONTS if name in known][:1]
    families.append("DejaVu Sans")
    covered: set[int] = set()
    for family in families:
        found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        covered.update(font_manager.get_font(found).get_charmap())
    return tuple(families), frozenset(covered)


def use_cjk_font() -> str | None:
    """Make matplotlib draw Chinese (in a notebook, say) with the font the report uses.
    Returns the font's name (None only if vetkg's font is missing and no CJK font is known)."""
    plt = lazy.pyplot()
    families, _ = plot_fonts()
    plt.rcParams["font.sans-serif"] = [*families, *plt.rcParams["font.sans-serif"]]
    plt.rcParams["axes.unicode_minus"] = False
    return families[0] if len(families) > 1 else None


def plot_style() -> dict:
    """The rcParams every plot is drawn with (over matplotlib's defaults, not the user's)."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": list(plot_fonts()[0]),
        "axes.unicode_minus": False,
        "svg.hashsalt": "vetkg",  # stable ids, should a figure ever be saved as SVG
    }


def drawable(text: str) -> str:
    """``text`` as the plot fonts can draw it: a character none of them has becomes
    ``MISSING_GLYPH`` (no empty box, no "Glyph missing" warning), a ``$`` stays a dollar
    sign (not the start of a formula)."""
    covered = plot_fonts()[1]
    return "".join(c if ord(c) in covered or c == "\n" else MISSING_GLYPH for c in text).replace("$", r"\$")


__all__ = [
    "FONT_FAMILY",
    "FONT_FILE",
    "MISSING_GLYPH",
    "drawable",
    "font_path",
    "plot_fonts",
    "plot_style",
    "use_cjk_font",
]
