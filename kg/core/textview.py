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

from kg.core.script import to_simplified, traditional_folds
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
    return traditional_folds().get(ord(ch)) or unicodedata.normalize("NFKC", ch)


class _Folds:
    """The folds of every character met so far, so that a text's characters are looked up
    once per process rather than once per text."""

    __slots__ = ("folding", "seen", "table")

    def __init__(self) -> None:
        self.seen: set[str] = {chr(c) for c in range(128)}  # ASCII never folds
        self.table: dict[int, str] = {}  # code point -> its fold, for the characters that fold
        self.folding: set[str] = set()  # those characters

    def among(self, chars: set[str]) -> set[str]:
        """The characters of ``chars`` that fold."""
        new = chars - self.seen
        for ch in new:
            folded = _fold_char(ch)
            if folded != ch:
                self.table[ord(ch)] = folded
                self.folding.add(ch)
        self.seen |= new
        return chars & self.folding


_FOLDS_LIMIT = 60_000  # characters remembered before starting afresh (a hostile text)
_folds = _Folds()


def _current_folds() -> _Folds:
    global _folds
    if len(_folds.seen) > _FOLDS_LIMIT:
        _folds = _Folds()  # rebound, never cleared: a text being folded keeps its table
    return _folds


def normalize(text: str) -> str:
    """The normalised form of a string, as used for matching and for scoring names."""
    return _folded(text)[0] if len(text) > _LONG else _fold_text(text)[0]


_LONG = 2000  # a document's text, normalised by the reader and again by its view: cached
# Characters that fold to themselves: ASCII and the CJK ideographs (most of a Chinese text),
# left out before the characters present are collected one by one.
_NEVER_FOLD_RE = re.compile(r"[\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff]+")


def _fold_text(text: str) -> tuple[str, bool]:
    """``text`` folded, and whether every character folded to exactly one character
    (traditional ideographs fold to simplified ones one for one: :mod:`kg.core.script`)."""
    text = to_simplified(text)
    folds = _current_folds()
    present = folds.among(set(_NEVER_FOLD_RE.sub("", text)))
    if not present:
        return text, True
    one_to_one = all(len(folds.table[ord(ch)]) == 1 for ch in present)
    if len(present) > 16:
        return text.translate(folds.table), one_to_one
    for ch in present:  # a few characters to fold: replacing is faster than translating
        text = text.replace(ch, folds.table[ord(ch)])  # (a fold never folds again)
    return text, one_to_one


_folded = lru_cache(maxsize=4)(_fold_text)


_NOT_NEWLINE_RE = re.compile(r"[^\n]")


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

    def __init__(
        self,
        original: str,
        masked: Iterable[Span] = (),
        soft_breaks: Iterable[int] = (),
        lost_breaks: Iterable[int] = (),
    ):
        """``soft_breaks``: offsets of characters deleted from the view — line breaks inside
        paragraphs of hard-wrapped text and page furniture; ``lost_breaks``: offsets of the
        spaces a flattened page has for its line breaks, shown as ``\\n`` one for one
        (:mod:`kg.reading.unwrap`)."""
        soft = frozenset(soft_breaks)
        text, one_to_one = _folded(original) if len(original) > _LONG else _fold_text(original)
        if one_to_one and not soft and "\r" not in original:
            self._to_orig = self._to_view = None
        else:
            text = self._build_maps(original, soft)
        text = self._restore(text, lost_breaks)
        self.text = self._blank(text, masked)
        self.original_length = len(original)

    def _restore(self, text: str, lost_breaks: Iterable[int]) -> str:
        """``text`` with the spaces at ``lost_breaks`` (original offsets) as line breaks."""
        chars: list[str] | None = None
        for offset in lost_breaks:
            at = self._view_offset(offset)
            if at < len(text) and text[at] == " ":
                chars = chars or list(text)
                chars[at] = "\n"
        return "".join(chars) if chars else text

    def _blank(self, text: str, masked: Iterable[Span]) -> str:
        """``text`` with the masked ranges blanked out, newlines kept."""
        ranges: list[list[int]] = []
        for a, b in sorted(self.to_view(span) for span in masked):
            if ranges and a <= ranges[-1][1]:
                ranges[-1][1] = max(ranges[-1][1], b)
            elif a < b:
                ranges.append([a, b])
        if not ranges:
            return text
        pieces, pos = [], 0
        for a, b in ranges:
            pieces.append(text[pos:a])
            pieces.append(_NOT_NEWLINE_RE.sub(" ", text[a:b]))
            pos = b
        pieces.append(text[pos:])
        return "".join(pieces)

    def _build_maps(self, original: str, soft: frozenset = frozenset()) -> str:
        parts: list[str] = []
        to_orig = array("l")
        to_view = array("l")
        pos = 0
        for i, ch in enumerate(original):
            to_view.append(pos)
            if i in soft:
                continue  # a soft break or page furniture: nothing in the view
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
            return Span(start, end if end > start else start)
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
