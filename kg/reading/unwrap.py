"""Hard-wrapped text: find the line breaks that fall inside a paragraph.

Text taken out of a PDF, or a page saved with fixed-width lines, breaks every line at the
same width wherever it falls — inside a sentence, a name, a number, a bracket or an
outline marker (``（\\n七）``, ``市发展\\n改革委``, ``2\\n0家``). Such a document is recognised
by its shape: many lines of about one width (counted in characters, or in display
columns where CJK characters are two wide — whichever the lines agree on better), most of
them ending mid-sentence. A break after a full-width line is then a *soft* break, which
the matching view deletes (:class:`kg.core.textview.TextView`), keeping offsets into the text
as read; a break after a shorter line is a real paragraph or heading break and stays.

Text out of a PDF also carries each page's furniture between its pages: the page number
(``- 3 -``, ``— 3 —``, ``第3页 共12页``) and a running header or footer. These lines, with
the breaks around them, are deleted from the view too, so a sentence, a responsibility
clause or a name cut by a page break reads whole, and the header is no heading or name.

The opposite damage — a page flattened onto one line, its paragraph breaks turned into single
spaces (``…制定本方案。 一、总体要求 (一)指导思想。…``) — is undone the same way: the spaces
before its outline markers are *lost* breaks, which the view shows as line breaks
(:func:`lost_breaks`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

_SENTENCE_END = tuple("。；;：:！？!?")
_OUTLINE_START = re.compile(
    r"\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[.．、](?!\d)"
    r"|第[一二三四五六七八九十百]+[章节条])"
)
_GENRE_END = re.compile(r"(?:实施方案|实施意见|意见|方案|通知|办法|规划|计划|决定|措施|细则|要点)$")
_FIELD_LINE = re.compile(r"\s*[\[【]\s*[\u4e00-\u9fa5 ]{2,10}[\]】]")
# A line that is only a 文号 or a date stands alone under a title.
_NUMBER_LINE = re.compile(r"\s*[(（]?([\u4e00-\u9fa5]{1,14})[〔\[【(（]\d{4}[〕\]】)）]\d{1,4}号[)）]?\s*$")
_DATE_LINE = re.compile(r"\s*\d{4}年\d{1,2}月\d{1,2}日\s*$")


def columns(line: str) -> int:
    """Display width: CJK and other wide characters take two columns."""
    if line.isascii():
        return len(line)
    if _ASTRAL_RE.search(line):  # outside the table below: character by character
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
    return 2 * len(line) - len(_narrow_bmp_re().findall(line))  # Chinese text: few narrow ones


_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


@lru_cache(maxsize=1)
def _narrow_bmp_re() -> re.Pattern:
    """The characters of the Basic Multilingual Plane that are not wide (W, F)."""
    ranges: list[list[int]] = []
    for cp in range(0x80, 0x10000):
        if unicodedata.east_asian_width(chr(cp)) in "WF":
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    return re.compile("[^" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges) + "\\U00010000-\\U0010ffff]")


class Wrap(NamedTuple):
    size: Callable[[str], int]  # len or columns
    width: int
    slack: int  # a line this much shorter than the width is still full

    def is_full(self, line: str) -> bool:
        return self.size(line) >= self.width - self.slack


def detect_wrap(lines: list[str]) -> Wrap | None:
    """How a document's lines were wrapped, or None when they were not."""
    texts = [line for line in lines if line.strip()]
    if len(texts) < 6:
        return None
    best: tuple[float, Wrap] | None = None
    for size, slack, floor in ((len, 3, 16), (columns, 4, 32)):
        counts = Counter(s for s in map(size, texts) if s >= floor)
        if not counts:
            continue
        # The width with most lines near it (wrappers that vary the width a little, or
        # count columns, give lines of a few sizes around it).
        around = {
            w: counts.get(w - 2, 0) + counts.get(w - 1, 0) + counts[w] + counts.get(w + 1, 0) + counts.get(w + 2, 0)
            for w in counts
        }
        width = max(counts, key=lambda w: (around[w], w))
        near = around[width] / len(texts)
        if best is None or near > best[0]:
            best = (near, Wrap(size, width, slack))
    if best is None:
        return None
    near, wrap = best
    full = [line for line in texts if wrap.is_full(line)]
    longer = sum(1 for line in texts if wrap.size(line) > wrap.width + 2 * wrap.slack)
    if near < 0.3 or len(full) < 4 or len(full) < 0.3 * len(texts) or longer > 0.1 * len(texts):
        return None  # unwrapped text: paragraphs run far past any common line length
    mid_sentence = sum(1 for line in full if not line.endswith(_SENTENCE_END))
    return wrap if mid_sentence >= 0.6 * len(full) else None


# A page number on a line of its own: ``- 3 -``, ``— 3 —``, ``第 3 页``, ``第3页 共12页``. (A bare
# ``3`` or ``3/12`` could be a task list's row number or a table cell.)
_PAGE_NUMBER = re.compile(
    r"\s*(?:[-—–－─]{1,2}\s*(\d{1,4})\s*[-—–－─]{1,2}|第\s*(\d{1,4})\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?)\s*"
)
_RUNNING_MAX = 40  # a running header or footer is one short line


def page_furniture(lines: list[str]) -> set[int]:
    """Indices of the lines that are page furniture: page numbers that count up through
    the document, and the line next to them (a running header or footer) when the same
    line stands elsewhere in the document too (at another page break, or atop page one)."""
    numbers: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        m = _PAGE_NUMBER.fullmatch(line)
        if m:
            numbers.append((i, int(next(g for g in m.groups() if g))))
    rising = sum(1 for (_, a), (_, b) in pairwise(numbers) if b > a)
    if len(numbers) < 2 or rising < (len(numbers) - 1) / 2:
        return set()
    furniture = {i for i, _ in numbers}
    counts = Counter(line.strip() for line in lines)
    for step in (1, -1):  # the header after a page number, the footer before it
        beside: dict[str, list[int]] = {}
        for i, _ in numbers:
            j = i + step
            while 0 <= j < len(lines) and not lines[j].strip():
                j += step
            if 0 <= j < len(lines) and j not in furniture and len(lines[j].strip()) <= _RUNNING_MAX:
                beside.setdefault(lines[j].strip(), []).append(j)
        for text, found in beside.items():
            if len(found) >= 2 or counts[text] > len(found):
                furniture.update(found)
    return furniture


def soft_breaks(text: str) -> list[int]:
    """Offsets of the characters in ``text`` that the matching view leaves out: the ``\\n``
    that break a line inside a paragraph (when the text is hard-wrapped) and page furniture
    with the breaks around it (empty for text as typed)."""
    lines = [line.rstrip("\r ") for line in text.split("\n")]
    furniture = page_furniture(lines)
    wrap = detect_wrap([line for i, line in enumerate(lines) if i not in furniture])
    if wrap is None and not furniture:
        return []
    starts = [0, *(m.end() for m in re.finditer("\n", text))]  # where each line starts
    out: list[int] = []
    if wrap is not None:
        for i in range(len(lines) - 1):
            if i not in furniture and i + 1 not in furniture and _is_soft(wrap, i, lines[i], lines[i + 1]):
                out.append(starts[i + 1] - 1)
    i = 0
    while i < len(lines):  # each run of furniture (and blank lines) between two pages
        if i not in furniture:
            i += 1
            continue
        before, after = i - 1, i
        while before >= 0 and not lines[before].strip():
            before -= 1
        while after < len(lines) and (after in furniture or not lines[after].strip()):
            after += 1
        gap_start = starts[before + 1] - 1 if before >= 0 else 0  # the \n ending the page's last line
        gap_end = starts[after] if after < len(lines) else len(text)
        if before < 0 or after >= len(lines) or _page_break_is_soft(wrap, before, lines[before], lines[after]):
            out.extend(range(gap_start, gap_end))
        else:  # a paragraph ends with the page: one line break stays
            out.extend(range(gap_start + 1, gap_end))
        i = after
    return sorted(set(out))


def _page_break_is_soft(wrap: Wrap | None, i: int, line: str, nxt: str) -> bool:
    """The page's last line (the ``i``-th) runs on into the next page's first line."""
    if wrap is not None:
        return _is_soft(wrap, i, line, nxt)
    if line.endswith(_SENTENCE_END) or _OUTLINE_START.match(nxt):
        return False
    return not (_OUTLINE_START.match(line) and len(line.strip()) <= 30)  # a heading alone


def _is_soft(wrap: Wrap, i: int, line: str, nxt: str) -> bool:
    """The break between ``line`` (the ``i``-th) and ``nxt`` falls inside a paragraph."""
    if not wrap.is_full(line) or not nxt.strip():
        return False  # a short line ends a paragraph; a blank line follows a paragraph
    if _OUTLINE_START.match(nxt):
        return False  # an outline marker starts a line: a paragraph filled its last line
    if _DATE_LINE.match(nxt) or _standalone_number(line, nxt):
        return False  # a 文号 or date line under a title
    if _FIELD_LINE.match(nxt) or (
        _FIELD_LINE.match(line) and line[-1:].isascii() and not re.match(r"[〕\]】)）\d号年月日.:/-]", nxt)
    ):
        return False  # a page's header fields ([ 成文日期 ] 2022-04-22 …) are lines of their own
    if line.endswith(_SENTENCE_END) and not wrap.is_full(nxt) and re.search(r"[\u4e00-\u9fa5]$", nxt):
        return False  # a sentence ends the line and a short unpunctuated one follows: a
        # table cell or a heading (区教委、职业院校等), not the paragraph's tail
    if re.fullmatch(r"\s*\d{1,3}\s*", nxt):
        return False  # a task list's row number on its own line
    # A title at the head of the document that fills its line is a line of its own.
    return not (i < 20 and _GENRE_END.search(line) and not re.match(r"[》)）”的之]", nxt))


def _standalone_number(line: str, nxt: str) -> bool:
    """``nxt`` is a 文号 line of its own — not the tail of one broken after its first
    characters (``发文字号 鹤政`` / ``办〔2022〕1号``)."""
    m = _NUMBER_LINE.match(nxt)
    if not m:
        return False
    trailing = re.search(r"[\u4e00-\u9fa5]*$", line)  # always matches (maybe empty)
    tail = trailing.group() if trailing else ""
    return len(tail) + len(m.group(1)) > 10


# A line this long that holds several outline markers after single spaces was flattened.
_FLATTENED_LINE = 200
_LOST_BREAK_RE = re.compile(
    r"(?<=\S) (?=[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[.．、][\u4e00-\u9fa5]"
    r"|第[一二三四五六七八九十百]+[章节条])"
    # and the break between a title and the preamble under it (…实施方案 为贯彻落实…)
    r"|(?<=方案|意见|通知|办法|规划|计划|措施|细则) (?=为|根据|按照|依据)"
)


def lost_breaks(text: str) -> list[int]:
    """Offsets of the spaces that stand for lost line breaks in ``text``: before the outline
    markers of a line of ``_FLATTENED_LINE`` characters or more holding at least two of them
    (a page flattened onto one line). Empty for text as typed."""
    out: list[int] = []
    pos = 0
    for line in text.split("\n"):
        if len(line) >= _FLATTENED_LINE:
            found = [pos + m.start() for m in _LOST_BREAK_RE.finditer(line)]
            if len(found) >= 2:
                out.extend(found)
        pos += len(line) + 1
    return out
