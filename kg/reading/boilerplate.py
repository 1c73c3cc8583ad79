"""Find web-page boilerplate (banners, share widgets, comment boxes, footers) in scraped text.

Boilerplate is returned as spans, not removed: the text view blanks them out, so parsing
skips them while every offset still points into the original text. The patterns live in
``kg/data/boilerplate.yaml``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.core.lexicon import load_yaml
from kg.core.model import Span
from kg.core.textview import normalize


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    data = load_yaml("boilerplate.yaml")
    line = re.compile("|".join(f"(?:{p})" for p in data["line"]))
    tail = re.compile("|".join(f"(?:{p})" for p in data["tail"]))
    return line, tail


def find_boilerplate(text: str) -> list[Span]:
    """Spans of boilerplate lines; a footer marker in the second half masks the rest."""
    line_re, tail_re = _patterns()
    spans: list[Span] = []
    half = len(text) // 2
    for m in re.finditer(r"[^\n]+", text):
        line = normalize(m.group()).strip()
        if not line:
            continue
        if m.start() >= half and tail_re.match(line):
            spans.append(Span(m.start(), len(text)))
            break
        if line_re.search(line):
            spans.append(Span(m.start(), m.end()))
    return spans
