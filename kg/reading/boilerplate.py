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
from typing import NamedTuple

from kg.core.lexicon import load_yaml
from kg.core.model import Span
from kg.core.textview import normalize


class _Patterns(NamedTuple):
    line_start: re.Pattern  # the ``line`` patterns anchored with ^: tried at the start only
    line_anywhere: re.Pattern  # the others: searched for
    tail: re.Pattern
    markup: re.Pattern
    inline: re.Pattern


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    data = load_yaml("boilerplate.yaml")

    def either(patterns: list[str]) -> re.Pattern:
        return re.compile("|".join(f"(?:{p})" for p in patterns) or "(?!)")

    # One search over anchored and unanchored alternatives together tries every anchored
    # one at every position of every line: ten times the cost of a match plus a search.
    anchored = [p[1:] for p in data["line"] if _anchored(p)]
    anywhere = [p for p in data["line"] if not _anchored(p)]
    return _Patterns(
        either(anchored), either(anywhere), either(data["tail"]), either(data["markup"]), either(data["inline"])
    )


def _anchored(pattern: str) -> bool:
    """``^`` starts the pattern and governs all of it (no ``|`` outside brackets)."""
    if not pattern.startswith("^"):
        return False
    depth, i, in_class = 0, 1, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]":  # []…]: a leading ] is a member
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return False
        i += 1
    return True


def find_boilerplate(text: str) -> list[Span]:
    """Spans of boilerplate lines and marks; a footer marker in the second half masks the rest."""
    patterns = _patterns()
    spans: list[Span] = []
    half = len(text) // 2
    start = 0
    # Normalised once for the whole text: no character folds to or from a line break, so
    # its lines are the text's lines normalised.
    for raw, normal in zip(text.split("\n"), normalize(text).split("\n")):
        end = start + len(raw)
        line = normal.strip()
        if line:
            if start >= half and patterns.tail.match(line):
                spans.append(Span(start, len(text)))
                break
            if patterns.line_start.match(line) or patterns.line_anywhere.search(line):
                spans.append(Span(start, end))
            else:
                stripped = raw.lstrip()
                indent = len(raw) - len(stripped)
                mark = patterns.markup.match(stripped)
                if mark:
                    spans.append(Span(start + indent, start + indent + mark.end()))
                if "*" in raw:  # the literal first: most lines hold no emphasis
                    skip = indent + mark.end() if mark else 0
                    spans.extend(Span(start + m.start(), start + m.end()) for m in patterns.inline.finditer(raw, skip))
        start = end + 1
    return spans
