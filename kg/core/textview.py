"""A normalised view of a document's text with exact offset maps back to the original.

Matching is done on NFKC-normalised text (full-width brackets, colons and digits become
ASCII, NBSP and ideographic spaces become plain spaces) in which web boilerplate is blanked
out with spaces. NFKC can expand one character into several (``…`` → ``...``), so the view
keeps two maps: view offset → original offset and original offset → view offset. Every span
found in the view is converted back with :meth:`TextView.to_original` before it is stored.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Iterable
from functools import lru_cache

from kg.core.span import Span

# Folds NFKC does not do but matching wants: dash variants used in ranges and dates.
_EXTRA_FOLDS = {
    "\u00a0": " ",  # NBSP (NFKC gives a space too; kept explicit)
    "\u3000": " ",  # ideographic space
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\u200b": "",  # en/em/thin/zero-width
    "\ufeff": "",  # stray BOM inside text
}


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if ch in _EXTRA_FOLDS:
        return _EXTRA_FOLDS[ch]
    return unicodedata.normalize("NFKC", ch)


def normalize(text: str) -> str:
    """The normalised form of a string, as used for matching and for scoring names."""
    table = {}
    for ch in set(text):
        if not ch.isascii():
            folded = _fold_char(ch)
            if folded != ch:
                table[ord(ch)] = folded
    return text.translate(table) if table else text


class TextView:
    """Normalised, boilerplate-masked text of one document plus offset maps.

    When every character folds to exactly one character (the usual case) the view is
    built with ``str.translate`` and the offset maps are the identity, stored as ``None``.
    """

    __slots__ = ("_to_orig", "_to_view", "original_length", "text")

    text: str
    _to_orig: array[int] | None  # view offset -> original offset (None: the identity)
    _to_view: array[int] | None  # original offset -> view offset
    original_length: int

    def __init__(self, original: str, masked: Iterable[Span] = (), soft_breaks: Iterable[int] = ()):
        """``soft_breaks``: offsets of line breaks inside paragraphs (hard-wrapped text,
        :mod:`kg.reading.unwrap`), deleted from the view."""
        table: dict[int, str] = {}
        soft = frozenset(soft_breaks)
        one_to_one = "\r" not in original and not soft
        for ch in set(original):
            if ch.isascii():
                continue
            folded = _fold_char(ch)
            if folded != ch:
                table[ord(ch)] = folded
                if len(folded) != 1:
                    one_to_one = False
        if one_to_one:
            text = original.translate(table)
            self._to_orig = self._to_view = None
        else:
            text = self._build_maps(original, soft)
        for span in masked:  # blank out masked ranges, keeping newlines
            a, b = self._view_offset(span.start), self._view_offset(span.end)
            text = text[:a] + re.sub(r"[^\n]", " ", text[a:b]) + text[b:]
        self.text = text
        self.original_length = len(original)

    def _build_maps(self, original: str, soft: frozenset = frozenset()) -> str:
        parts: list[str] = []
        to_orig = array("l")
        to_view = array("l")
        pos = 0
        for i, ch in enumerate(original):
            to_view.append(pos)
            if ch == "\n" and i in soft:
                continue  # a soft break: nothing in the view
            if ch.isascii() and ch != "\r":
                parts.append(ch)
                to_orig.append(i)
                pos += 1
                continue
            if ch == "\r":  # CRLF -> LF, lone CR -> LF (nothing before a soft break)
                folded = "" if original[i + 1 : i + 2] == "\n" else "\n"
            else:
                folded = _fold_char(ch)
            parts.append(folded)
            for _ in folded:
                to_orig.append(i)
            pos += len(folded)
        to_view.append(pos)
        to_orig.append(len(original))
        self._to_orig = to_orig
        self._to_view = to_view
        return "".join(parts)

    def _view_offset(self, original_offset: int) -> int:
        return original_offset if self._to_view is None else self._to_view[original_offset]

    def to_original(self, start: int, end: int) -> Span:
        """Original-text span for view range ``[start, end)``."""
        if self._to_orig is None:
            return Span(start, max(start, end))
        a = self._to_orig[start]
        if end <= start:
            return Span(a, a)
        b = self._to_orig[end - 1] + 1
        return Span(a, b)

    def to_view(self, span: Span) -> tuple[int, int]:
        """View range for an original-text span."""
        return self._view_offset(span.start), self._view_offset(span.end)

    def slice(self, span: Span) -> str:
        """Normalised text of an original-text span."""
        a, b = self.to_view(span)
        return self.text[a:b]


_QUOTE_RE = re.compile(r"[\s“”‘’\"'《》]")


def norm_name(s: str | None) -> str:
    """Comparison form of a name or unit: NFKC, no whitespace, no quotation marks."""
    return _QUOTE_RE.sub("", normalize(s or ""))
