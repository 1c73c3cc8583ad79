"""Hard-wrapped text: find the line breaks that fall inside a paragraph.

Text taken out of a PDF, or a page saved with fixed-width lines, breaks every line at the
same width wherever it falls — inside a sentence, a name, a number, a bracket or an
outline marker (``（\\n七）``, ``市发展\\n改革委``, ``2\\n0家``). Such a document is recognised
by its shape: many lines of about one width (counted in characters, or in display
columns where CJK characters are two wide — whichever the lines agree on better), most of
them ending mid-sentence. A break after a full-width line is then a *soft* break, which
the matching view deletes (:class:`kg.core.textview.TextView`), keeping offsets into the text
as read; a break after a shorter line is a real paragraph or heading break and stays.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
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
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


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
        width = max(counts, key=lambda w: (sum(counts.get(w + d, 0) for d in range(-2, 3)), w))
        near = sum(counts.get(width + d, 0) for d in range(-2, 3)) / len(texts)
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


def soft_breaks(text: str) -> list[int]:
    """Offsets of the ``\\n`` characters in ``text`` that break a line inside a paragraph
    (empty when the text is not hard-wrapped)."""
    lines = [line.rstrip("\r ") for line in text.split("\n")]
    wrap = detect_wrap(lines)
    if wrap is None:
        return []
    out = []
    for i, nl in enumerate(m.start() for m in re.finditer("\n", text)):
        line, nxt = lines[i], lines[i + 1]
        if not wrap.is_full(line) or not nxt.strip():
            continue  # a short line ends a paragraph; a blank line follows a paragraph
        if _OUTLINE_START.match(nxt):
            continue  # an outline marker starts a line: a paragraph filled its last line
        if _DATE_LINE.match(nxt) or _standalone_number(line, nxt):
            continue  # a 文号 or date line under a title
        if _FIELD_LINE.match(nxt) or (
            _FIELD_LINE.match(line) and line[-1:].isascii() and not re.match(r"[〕\]】)）\d号年月日.:/-]", nxt)
        ):
            continue  # a page's header fields ([ 成文日期 ] 2022-04-22 …) are lines of their own
        if line.endswith(_SENTENCE_END) and not wrap.is_full(nxt) and re.search(r"[\u4e00-\u9fa5]$", nxt):
            continue  # a sentence ends the line and a short unpunctuated one follows: a
            # table cell or a heading (区教委、职业院校等), not the paragraph's tail
        if re.fullmatch(r"\s*\d{1,3}\s*", nxt):
            continue  # a task list's row number on its own line
        if i < 20 and _GENRE_END.search(line) and not re.match(r"[》)）”的之]", nxt):
            continue  # a title at the head of the document that fills its line
        out.append(nl)
    return out


def _standalone_number(line: str, nxt: str) -> bool:
    """``nxt`` is a 文号 line of its own — not the tail of one broken after its first
    characters (``发文字号 鹤政`` / ``办〔2022〕1号``)."""
    m = _NUMBER_LINE.match(nxt)
    if not m:
        return False
    trailing = re.search(r"[\u4e00-\u9fa5]*$", line)  # always matches (maybe empty)
    tail = trailing.group() if trailing else ""
    return len(tail) + len(m.group(1)) > 10
