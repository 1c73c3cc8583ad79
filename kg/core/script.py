"""Traditional characters read as simplified ones, for matching only.

Policies are also published, mirrored and scraped in traditional script (``關於印發…的通知``,
``青政辦〔2009〕226號``). Every pattern, lexicon and gazetteer here is written in simplified
characters, so the normalised view of a text (:mod:`kg.core.textview`) folds traditional
characters to simplified ones one for one: offsets do not move, and names, quotes and
provenance keep the characters the document prints. The table is jionlp's character table
(``tra2sim_char.txt``), read from the file itself (importing jionlp costs 150 ms); the
characters simplified text also writes stay as they are (``kg/data/traditional_kept.txt``),
and the few the table folds to a variant (餘 → 馀) take the standard character instead
(``kg/data/traditional_overrides.tsv``).
"""

from __future__ import annotations

import re
from functools import cache

from kg.core.lexicon import load_tsv, load_words, package_file


@cache
def traditional_folds() -> dict[int, str]:
    """Code point of a traditional character → its simplified character (one for one);
    empty when jionlp's table is not installed (the view then folds nothing)."""
    table = package_file("jionlp", "dictionary", "tra2sim_char.txt")
    if table is None:
        return {}
    try:
        lines = table.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    kept = load_words("traditional_kept.txt")
    out: dict[int, str] = {}
    for line in lines:
        pair = line.split("\t")
        if len(pair) == 2 and len(pair[0]) == 1 and len(pair[1]) == 1 and pair[0] != pair[1] and pair[0] not in kept:
            out[ord(pair[0])] = pair[1]
    for row in load_tsv("traditional_overrides.tsv"):  # 餘 → 余, not jionlp's 馀
        if len(row["traditional"]) == 1 and len(row["simplified"]) == 1:
            out[ord(row["traditional"])] = row["simplified"]
    return out


@cache
def _traditional_re() -> re.Pattern[str] | None:
    folds = traditional_folds()
    if not folds:
        return None
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(folds)) + "]")


def has_traditional(text: str) -> bool:
    """``text`` holds a character the view folds to simplified script."""
    pattern = _traditional_re()
    return pattern is not None and pattern.search(text) is not None


def to_simplified(text: str) -> str:
    """``text`` with its traditional characters in simplified form (same length)."""
    return text.translate(traditional_folds()) if has_traditional(text) else text
