"""Find web-page boilerplate (banners, share widgets, comment boxes, footers) in scraped text.

Boilerplate is returned as spans, not removed: the text view blanks them out, so parsing
skips them while every offset still points into the original text. The patterns live in
``kg/data/boilerplate.yaml``: whole lines (page fields, legal-database export headers), a
footer that masks the rest of the page, and markup (Markdown ``#`` marks, HTML comments)
of which only the mark itself is masked, so an exported ``# title`` reads as a title line.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.core.lexicon import load_yaml
from kg.core.model import Span
from kg.core.textview import normalize


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    data = load_yaml("boilerplate.yaml")

    def either(patterns: list[str]) -> re.Pattern:
        return re.compile("|".join(f"(?:{p})" for p in patterns))

    return either(data["line"]), either(data["tail"]), either(data["markup"])


def find_boilerplate(text: str) -> list[Span]:
    """Spans of boilerplate lines and marks; a footer marker in the second half masks the rest."""
    line_re, tail_re, markup_re = _patterns()
    spans: list[Span] = []
    half = len(text) // 2
    for m in re.finditer(r"[^\n]+", text):
        raw = m.group()
        line = normalize(raw).strip()
        if not line:
            continue
        if m.start() >= half and tail_re.match(line):
            spans.append(Span(m.start(), len(text)))
            break
        if line_re.search(line):
            spans.append(Span(m.start(), m.end()))
            continue
        stripped = raw.lstrip()
        indent = len(raw) - len(stripped)
        mark = markup_re.match(stripped)
        if mark:
            spans.append(Span(m.start() + indent, m.start() + indent + mark.end()))
    return spans
