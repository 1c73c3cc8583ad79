"""Cited policy documents: every 《title》, with the 文号 in the parentheses after it (§6)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.core.model import Mention
from kg.core.textview import norm_name
from kg.extraction.context import DocContext
from kg.parsing.metadata import DECREE_NUMBER, DOC_NUMBER, is_adoption_line

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
# A 文号 whose year stands in other bracket glyphs than 〔〕 (``国办发„2009‟3号``): read as if in 〔〕.
_ODD_BRACKETS = str.maketrans("„‟‹›«»", "〔〕〔〕〔〕")
# A forwarding notice's own paragraph (``现将《…》印发给你们``) and its title when it issues
# several works at once (``关于印发《…》《…》的通知``): the lines above the body whose 《》 are
# cited too (GUIDELINES §6), except the work the notice forwards, which is the document itself.
_FORWARDING_RE = re.compile(r"现将|现予?(?:印发|转发)|(?:印发|转发)给你们")
_NOTICE_TITLE_RE = re.compile(r"关于(?:印发|转发)[^。]*《[^。]*的通知")
# A 《》 the notice stands on (``根据《…》精神``, ``按照《…》要求``), not one it forwards.
_GROUND_BEFORE_RE = re.compile(r"(?:根据|按照|依据|依照|贯彻|落实|遵照)[^,，;；。]*$")
_GROUND_AFTER_RE = re.compile(r"\s*(?:\([^()\n]{0,30}\))?\s*(?:等[^,，;；。]{0,6})?(?:的)?(?:精神|要求|部署|规定)")
_PAREN_RE = re.compile(r"\([^()]*\)|[()\s]")


def _titles(text: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
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


def _key(title: str) -> str:
    """A title without its bracketed tails (``(2018—2020年)``) and spaces, for comparison."""
    return _PAREN_RE.sub("", norm_name(title))


def _head_titles(ctx: DocContext) -> Iterator[tuple[int, int]]:
    """《》 above the body that are citations: in a regulation's adoption and revision lines
    (``…批准的《…关于修改〈…条例〉的决定》修正``), and in a forwarding notice's own paragraph
    or several-work title, less the work forwarded (the document's own title; when none
    matches it, the first work the notice forwards rather than stands on)."""
    text, own = ctx.text, _key(ctx.parsed.metadata.title or "")
    pos = 0
    while pos < ctx.body_start:
        end = text.find("\n", pos, ctx.body_start)
        end = ctx.body_start if end < 0 else end
        line = text[pos:end].strip()
        a0, pos = pos, end + 1
        if "《" not in line:
            continue
        if is_adoption_line(line):
            yield from _titles(text, a0, end)
            continue
        notice_title = bool(_NOTICE_TITLE_RE.search(line))
        if not (notice_title or ("。" in line and _FORWARDING_RE.search(line))):
            continue
        found = list(_titles(text, a0, end))
        if notice_title and len(found) < 2:
            continue  # a notice's title issuing one work: the document itself
        forwarded = [
            (a, b)
            for a, b in found
            if not _GROUND_BEFORE_RE.search(text, a0, a) and not _GROUND_AFTER_RE.match(text, b)
        ]
        itself = [t for t in forwarded if _key(ctx.original(t[0] + 1, t[1] - 1)) == own]
        skip = set(itself or forwarded[:1])
        yield from (t for t in found if t not in skip)


def find_citations(ctx: DocContext) -> list[Mention]:
    own = norm_name(ctx.parsed.metadata.title)
    out: list[Mention] = []
    for a, b in [*_head_titles(ctx), *_titles(ctx.text, ctx.body_start, ctx.body_end)]:
        title = ctx.original(a + 1, b - 1).strip()
        if not title or (own and norm_name(title) == own) or _CERTIFICATE_RE.search(title):
            continue
        number = None
        end = b
        m = _NUMBER_AFTER_RE.match(ctx.text[b : b + 80].translate(_ODD_BRACKETS))
        if m:
            number = re.sub(r"\s+", "", ctx.original(b + m.start(1), b + m.end(1)))
            end = b + m.end()
        mention = ctx.mention("cited_document", a, end, name=title, doc_number=number)
        out.append(mention)
    return out
