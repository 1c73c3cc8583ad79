"""Cited policy documents: every 《title》, with the 文号 in the parentheses after it (§6)."""

from __future__ import annotations

import re

from kg.core.model import Mention
from kg.core.textview import norm_name
from kg.extraction.context import DocContext
from kg.parsing.metadata import DECREE_NUMBER, DOC_NUMBER

_MARK_RE = re.compile(r"[《》\n]")  # all that matters to the pairing of 《》
# A licence or certificate in 《》 (《企业法人营业执照》, 《办学许可证》, 《职业资格证书》) is a
# paper someone holds, not a policy document.
_CERTIFICATE_RE = re.compile(r"(?:执照|证书|(?<![保论查验])证)$")
# The 文号 in the parentheses after a title, or a rule's decree or announcement number
# (``（贵州省人民政府令第131号）``, ``（市政府第45号令）``, ``（2019年第5号）``), also after the
# word that closes the reference (``《…》精神（京…〔2016〕29号）``).
_NUMBER_AFTER_RE = re.compile(
    r"(?:的?(?:精神|要求|规定))?[ \t]*\([ \t]*(" + DOC_NUMBER + "|" + DECREE_NUMBER + r"|\d{4}年第\d{1,4}号)[ \t]*\)"
)


def _titles(text: str, lo: int, hi: int):
    """Outermost 《…》 pairs in ``text[lo:hi]`` (nested 《》 stay inside their title)."""
    depth, start = 0, None
    for mark in _MARK_RE.finditer(text, lo, hi):
        i, ch = mark.start(), mark.group()
        if ch == "《":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0 and start is not None:
                yield start, i + 1
        elif ch == "\n":
            depth, start = 0, None  # an unclosed 《 never runs past its line


def find_citations(ctx: DocContext) -> list[Mention]:
    own = norm_name(ctx.parsed.metadata.title)
    out: list[Mention] = []
    for a, b in _titles(ctx.text, ctx.body_start, ctx.body_end):
        title = ctx.original(a + 1, b - 1).strip()
        if not title or (own and norm_name(title) == own) or _CERTIFICATE_RE.search(title):
            continue
        number = None
        end = b
        m = _NUMBER_AFTER_RE.match(ctx.text, b)
        if m:
            number = re.sub(r"\s+", "", ctx.original(m.start(1), m.end(1)))
            end = m.end()
        mention = ctx.mention("cited_document", a, end, name=title, doc_number=number)
        out.append(mention)
    return out
