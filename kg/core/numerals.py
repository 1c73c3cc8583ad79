"""Chinese and Arabic numerals → numbers (outline numbers, indicator values, dates).

cn2an does the conversion of Chinese numerals (一百二十、两、〇); this module only adds the
policy-text conventions around it: full-width digits, ``两`` in counts, and a fast path
for the small numerals of outline numbering.
"""

from __future__ import annotations

import warnings
from functools import lru_cache

from kg.core import lazy

_SMALL = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}

CHINESE_DIGITS = "零〇一二两三四五六七八九十百千万亿"

# A round unit written alone counts it once: 百支 is a hundred teams, 万个 ten thousand.
_ROUND = {"百": 100, "千": 1000, "万": 10000}
# Two digits side by side that people read as "one or two", "three to five" (一两项,
# 三五年), not as the number they would spell in a date (一二 → 12).
_WORD_RANGES = {("三", "五"): (3, 5)}


@lru_cache(maxsize=4096)
def parse_number(text: str) -> float | None:
    """Value of an Arabic or Chinese numeral string, or ``None`` if it is not one."""
    s = text.strip().replace(",", "").replace("，", "")
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        pass
    if len(s) == 1 and s in _SMALL:
        return float(_SMALL[s])
    if len(s) == 1 and s in _ROUND:
        return float(_ROUND[s])
    if len(s) <= 3 and s.startswith("十") and all(c in _SMALL for c in s):  # 十一 … 十九
        return float(10 + (_SMALL[s[1]] if len(s) > 1 else 0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for mode in ("strict", "smart"):
            try:
                return float(lazy.cn2an().cn2an(s.replace("两", "二"), mode))
            except (ValueError, KeyError, TypeError, IndexError):
                continue
    return None


def word_range(text: str) -> tuple[int, int] | None:
    """``(low, high)`` of a range written as two neighbouring digits (一两 → 1–2, 两三 →
    2–3, 三五 → 3–5), else ``None``: such pairs are approximate counts, never twelve."""
    if len(text) != 2 or text[0] not in _SMALL or text[1] not in _SMALL:
        return None
    if (text[0], text[1]) in _WORD_RANGES:
        return _WORD_RANGES[text[0], text[1]]
    low, high = _SMALL[text[0]], _SMALL[text[1]]
    if 1 <= low < 9 and high == low + 1 and "十" not in text:
        return low, high
    return None


def share_of(denominator: str, numerator: str) -> float | None:
    """Percentage a fraction in words or digits names (``三分之二`` is ``share_of("三", "二")``
    → 66.67, ``千分之五`` → 0.5), rounded to two decimals; ``None`` if either part is no
    number or the share is not a proper fraction. (An indicator written per hundred or per
    thousand keeps the unit it is written in: 百分之六十 is 60 %, 千分之五 is 5 ‰.)"""
    den, num = parse_number(denominator), parse_number(numerator)
    if not den or num is None or not 0 < num < den:
        return None
    return round(100 * num / den, 2)


def parse_int(text: str) -> int | None:
    value = parse_number(text)
    if value is None or value != int(value):
        return None
    return int(value)


def as_number(value: float) -> int | float:
    """``3.0`` → ``3`` for output; keeps real fractions."""
    return int(value) if value == int(value) else value
