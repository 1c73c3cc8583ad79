"""Parse the numbered outline of a policy into measures (docs/annotation.md §2).

Levels: parts ``一、``, sections ``(一)`` (numbered as printed, possibly continuing across
parts), items ``1.`` / ``1、``; only the finest numbered level is a measure. An attached
task list (序号 / 工作任务内容 / 责任单位, linearised one cell per line or from an HTML
table) becomes measures ``T1…Tn`` whose cells keep their spans for the extractor.

Regulations and rules (条例, 办法, 规定) are numbered by articles ``第X条``, optionally under
chapters ``第X章`` (GUIDELINES §10): chapter M is the part and article N the section
(key ``M.N``, articles counting across chapters), or, without chapters, article N is the
part (``N.0``); ``(一)`` items inside an article are one level below it. ``第X节`` headings
and a table of contents are not units. An unnumbered goal block (``主要目标：…``) before the
first numbered unit is measure ``0.0``.

Parsing runs on the normalised view (full-width forms folded), where a paragraph starts at
a line break or after a run of two or more spaces (scraped pages often flatten paragraphs
into one line separated by ideographic spaces).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from kg.core.lexicon import load_yaml
from kg.core.model import Document, Measure, MeasureLevel, Problem, Span
from kg.core.numerals import parse_int
from kg.parsing.metadata import SIGNATURE_DATE

_CN = "一二三四五六七八九十"
# An item number written without a dot (``1坚持…``, GUIDELINES §10): a number right before
# a Chinese word, not before a measure word or a unit (``3所学校``, ``5年``).
_UNDOTTED = r"(?=[\u4e00-\u9fa5])(?![个所家项名年月日号万亿元人次届批类倍周岁天小时分门种条款章节期级星])"
HEADING_RE = re.compile(
    rf"(?:^|(?<=  )|(?<=\t))[ \t]*(?:"
    rf"(?P<part>[{_CN}]{{1,3}})、|第(?P<part2>[{_CN}]{{1,3}})(?:部分|章)[ \t]*|"
    rf"\((?P<sec>[{_CN}]{{1,3}})\)[ \t]*|"
    rf"(?P<item>\d{{1,2}})(?:\.(?!\d)|、|{_UNDOTTED})[ \t]*)",
    re.M,
)
_BREAK_RE = re.compile(r"[\n\t]")
_SPACE_PAIR_RE = re.compile(r" (?= )")


def unit_starts(pattern: re.Pattern, text: str, start: int, end: int) -> Iterator[re.Match]:
    """``pattern.finditer(text, start, end)`` for a pattern that matches only where a unit
    can start — at a line's start, after a tab or after two spaces (``(?:^|(?<=  )|(?<=\\t))``)
    — and never matches empty: tried at those positions only, not at every character."""
    starts = {m.end() for m in _BREAK_RE.finditer(text, max(0, start - 1), end)}
    starts.update(m.end() + 1 for m in _SPACE_PAIR_RE.finditer(text, max(0, start - 2), end))
    if start == 0:
        starts.add(0)
    last = start
    for p in sorted(starts):
        if p >= last:
            m = pattern.match(text, p, end)
            if m:
                yield m
                last = m.end()


_DATE = re.sub(r"\((?!\?)", "(?:", SIGNATURE_DATE)  # the date pattern without its groups
# Where the body of the outline stops: annex line, publication note, signature date,
# a short signature line naming the issuing body, or a task-list header.
BODY_END_RE = re.compile(
    r"^[ \t]*(?:附\s*件\s*\d*\s*(?:[:：]|$)|\(此件公开发布\)|\(此件主动公开\)|"
    rf"(?:{_DATE})[ \t]*$|"
    r"[^\s:,、,;。]{2,24}(?:人民政府|人民政府办公室|人民政府办公厅|办公室|办公厅|委员会)[ \t]*$|"
    r"序号[ \t]*$)",
    re.M,
)
_SENTENCE_END = "。"


@dataclass
class _Heading:
    level: MeasureLevel  # part | section | item
    number: int
    start: int  # view offset of the number
    content: int  # view offset after the number
    part: int | None = None
    section: int | None = None
    measure: bool = True  # False: a heading that only ends the unit before it (第X章, 第X节)
    title_end: int | None = None  # where a heading set by its title alone ends (a goal block)


def _paragraph_end(text: str, pos: int, limit: int) -> int:
    """End of the paragraph starting at ``pos``: a line break or a run of 2+ spaces."""
    m = re.compile(r"\n|  |\t").search(text, pos, limit)
    return m.start() if m else limit


def _heading_span(text: str, content: int, limit: int) -> tuple[int, int]:
    """Heading = text after the number up to the first 。 or the end of its paragraph."""
    end = _paragraph_end(text, content, limit)
    stop = text.find(_SENTENCE_END, content, end)
    if stop != -1:
        end = stop
    while end > content and text[end - 1] in " \t。:;":  # 。, a heading line's colon, an item's ；
        end -= 1
    return content, end


# A chapter title printed without its number (``职业培训体系`` on a line of its own between
# two articles): no unit (GUIDELINES §10), and no text of the article before it.
_UNNUMBERED_TITLE_RE = re.compile(r"(?<=[。;；])[ \t]*\n[ \t]*\n[ \t]*[^\n。,，;；:：、!！?？\d()（）]{2,15}$")
_ARTICLE_AT_RE = re.compile(r"[ \t]*第[一二三四五六七八九十百零〇\d]{1,5}条")


def _without_chapter_title(text: str, a: int, b: int) -> int:
    """End of an article's text ``[a, b)`` without an unnumbered chapter title ending it."""
    m = _UNNUMBERED_TITLE_RE.search(text, a, b)
    return m.start() if m else b


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while b > a and text[b - 1].isspace():
        b -= 1
    while a < b and text[a].isspace():
        a += 1
    return a, b


def _scan_headings(text: str, start: int, end: int) -> list[_Heading]:
    """Candidate headings in reading order, kept only where their numbering is in sequence."""
    out: list[_Heading] = []
    part: int | None = None
    section: int | None = None
    last_section = 0
    last_item = 0  # within the current section
    prev_item = 0  # last item anywhere: numbering may continue across sections
    for m in unit_starts(HEADING_RE, text, start, end):
        num_start = m.start() + len(m.group()) - len(m.group().lstrip(" \t"))
        if m.group("part") or m.group("part2"):
            n = parse_int(m.group("part") or m.group("part2"))
            if n is None or n != (part or 0) + 1:
                continue
            part, section, last_item = n, None, 0
            out.append(_Heading("part", n, num_start, m.end(), part=n))
        elif m.group("sec"):
            n = parse_int(m.group("sec"))
            if n is None:
                continue
            new_part = section is None
            if not (n == last_section + 1 or (n == 1 and new_part)):
                continue
            section, last_section, last_item = n, n, 0
            out.append(_Heading("section", n, num_start, m.end(), part=part, section=n))
        else:
            n = int(m.group("item"))
            if not (n == last_item + 1 or (last_item == 0 and n == prev_item + 1)):
                continue
            if part is None and section is None:
                continue  # numbered lines outside any part: lists in preambles, not measures
            last_item = prev_item = n
            out.append(_Heading("item", n, num_start, m.end(), part=part, section=section))
    return out


def _key(h: _Heading) -> str:
    p = h.part if h.part is not None else 0
    if h.level == "part":
        return f"{p}.0"
    if h.level == "section":
        return f"{p}.{h.number}"
    if h.section is None:  # items directly under a part: the section level is 0, as in P.0
        return f"{p}.0.{h.number}"
    return f"{p}.{h.section}.{h.number}"


def _is_leaf(headings: list[_Heading], i: int) -> bool:
    h = headings[i]
    nxt = headings[i + 1] if i + 1 < len(headings) else None
    if nxt is None:
        return True
    rank = {"part": 0, "section": 1, "item": 2}
    return rank[nxt.level] <= rank[h.level]


_REGULATION_RE = re.compile(
    rf"(?:^|(?<=  )|(?<=\t))[ \t]*(?:第(?P<n>[{_CN}百零〇\d]{{1,5}})(?P<unit>章|节|条)(?![,、的之规款项])|"
    rf"\((?P<item>[{_CN}]{{1,3}})\))[ \t]*",
    re.M,
)
_MIN_ARTICLES = 3  # articles in sequence from 第一条 that make a document a regulation
# The latest article a damaged copy may open with (its 第一条 and 第二条 lost), read as the
# start of the sequence when no 第一条 is printed.
_LATE_FIRST_ARTICLE = 9
_FEW_ARTICLES = 2  # as many, when no other numbering is found (a short 办法 of two articles)
_LATE_MIN_ARTICLES = 4  # articles a damaged copy (no 第一条) must print to be read as one
_FIRST_PART_RE = re.compile(r"(?:^|(?<=  )|(?<=\t))[ \t]*一、", re.M)
# An article glued to the end of the one before it on its line (``…的继续教育。 第十八条继续
# 教育实行…``): after a sentence's end and one space. Taken only when it continues the
# sequence exactly (a cross-reference ``第十八条规定的`` is excluded by what follows it).
_GLUED_ARTICLE_RE = re.compile(
    rf"(?<=。[ \u3000])第(?P<num>[{_CN}百零〇\d]{{1,5}})(?P<unit>条)(?![,，、的之规款项所中])[ \t]*"
)
_ARTICLE_IN_LINE_RE = re.compile(r"第[一二三四五六七八九十百零〇\d]{1,5}条")
_SENTENCE_PUNCT_RE = re.compile(r"[。;；]")


def _regulation_headings(text: str, start: int, end: int, least: int = _MIN_ARTICLES) -> list[_Heading]:
    """Chapters, articles and their (一) items, when the document is numbered by articles
    (at least ``least`` in sequence from 第一条); else nothing.

    Scanning starts at the chapter heading that opens 第一条 (a table of contents lists
    the chapters before it). Chapters and 节 only end the unit before them; 节 never enters
    a key."""
    found = [
        (m, m.group("unit") or "item", parse_int(m.group("n") or m.group("item")))
        for m in unit_starts(_REGULATION_RE, text, start, end)
    ]
    glued: set[int] = set()  # where articles glued to the sentence before them start
    if text.find("。 第", start, end) >= 0 or text.find("。\u3000第", start, end) >= 0:
        for m in _GLUED_ARTICLE_RE.finditer(text, start, end):
            glued.add(m.start())
            found.append((m, "条", parse_int(m.group("num"))))
        found.sort(key=lambda f: f[0].start())
    first = next((i for i, (_, unit, n) in enumerate(found) if unit == "条" and n == 1), None)
    late = first is None
    if late:  # a damaged copy that lost its first articles: the sequence starts later
        first = next(
            (i for i, (_, unit, n) in enumerate(found) if unit == "条" and n and n <= _LATE_FIRST_ARTICLE), None
        )
        # ... unless the text has an outline of its own before it (a notice or a 修改决定
        # quoting 第四条…第六条 under its 一、二、三、)
        if first is not None and _FIRST_PART_RE.search(text, start, found[first][0].start()):
            return []
    if first is None:
        return []
    opening = (found[first][2] or 1) - 1  # articles lost before the first one printed
    begin = first
    for i in range(first - 1, -1, -1):
        if found[i][1] == "章" and found[i][2] == 1:
            begin = i
            break
    found = found[begin:]
    chapters = any(unit == "章" for _, unit, _ in found)
    out: list[_Heading] = []
    chapter: int | None = None
    if chapters and found[0][1] != "章":  # articles before the first chapter printed: a copy
        # that lost its 第一章 heading (the 总则's articles, then 第二章): they are chapter 1
        printed = next(n for _, unit, n in found if unit == "章")
        chapter = printed - 1 if printed and printed > 1 else None
    article, item = opening, 0
    for m, unit, n in found:
        if n is None:
            continue
        num_start = m.start() + len(m.group()) - len(m.group().lstrip(" \t"))
        if unit == "章":
            if not (chapter or 0) < n <= (chapter or 0) + 2:  # as printed; one heading may be lost
                continue
            if not _is_chapter_heading(text, m.end("unit")):  # 第三章第二节所列…: a cross-reference
                continue
            chapter, item = n, 0
            out.append(_Heading("part", n, num_start, m.end(), part=n, measure=False))
        elif unit == "节":
            item = 0
            out.append(_Heading("part", n, num_start, m.end(), part=chapter, measure=False))
        elif unit == "条":
            if not article < n <= article + 2:  # as printed; one article may be missing
                continue
            if m.start() in glued and n != article + 1:  # glued mid-line: only the next one
                continue
            article, item = n, 0
            if chapters:
                out.append(_Heading("section", n, num_start, m.end(), part=chapter, section=n))
            else:
                out.append(_Heading("part", n, num_start, m.end(), part=n))
        else:  # an (一) item inside an article
            if article == opening or n != item + 1:
                continue
            item = n
            if chapters:
                out.append(_Heading("item", n, num_start, m.end(), part=chapter, section=article))
            else:
                out.append(_Heading("section", n, num_start, m.end(), part=article, section=n))
    if late and article - opening < _LATE_MIN_ARTICLES:
        return []  # a few quoted articles are no damaged regulation
    return out if article - opening >= least else []


def _is_chapter_heading(text: str, at: int) -> bool:
    """The rest of a 第X章 line is a chapter's title (``总则``, ``法律责任``), perhaps
    followed by its first article; not a sentence that refers to the chapter."""
    end = text.find("\n", at)
    rest = text[at : end if end >= 0 else len(text)]
    article = _ARTICLE_IN_LINE_RE.search(rest)
    rest = rest[: article.start()] if article else rest
    return (
        len(rest.strip()) <= 30
        and not _SENTENCE_PUNCT_RE.search(rest)
        and not rest.startswith(("第", "中", "所", "规定", "的", "和", "及", "至"))  # a title is set off by a space
    )


def _top_level_items(text: str, start: int, end: int) -> list[_Heading]:
    """A document numbered only 1．2．3． (若干措施): those numbers are its top level, read
    as parts (keys P.0) when at least three run in sequence."""
    out: list[_Heading] = []
    for m in unit_starts(HEADING_RE, text, start, end):
        dotted = m.group("item") and not m.group().rstrip(" \t")[-1].isdigit()
        n = int(m.group("item")) if dotted else None
        if n == len(out) + 1:
            num_start = m.start() + len(m.group()) - len(m.group().lstrip(" \t"))
            out.append(_Heading("part", n, num_start, m.end(), part=n))
    return out if len(out) >= 3 else []


_GOAL_RE = re.compile(
    r"(?:^|(?<=  )|(?<=\t))[ \t]*(?P<title>[\u4e00-\u9fa5]{0,8}?(?:目标|指标)(?:任务)?)[ \t]*(?::|。|$)",
    re.M,
)
_TARGET_RE = re.compile(r"\d|百分之|[一二三四五六七八九十两百千万]+(?:个|所|家|项|名|支|万)")


def _goal_block(text: str, start: int, first: int) -> _Heading | None:
    """An unnumbered goal block (``主要目标：…`` holding targets) between the body start and
    the first numbered unit: measure 0.0, its heading the block's title (GUIDELINES §10)."""
    m = _GOAL_RE.search(text, start, first)
    if m is None or not _TARGET_RE.search(text, m.end(), first):
        return None
    return _Heading("part", 0, m.start("title"), m.start("title"), title_end=m.end("title"))


_CHAPTER_AT_RE = re.compile(rf"第[{_CN}百零〇\d]{{1,5}}章")


def _outline_measures(doc: Document, start: int, end: int) -> list[Measure]:
    view = doc.view
    text = view.text
    headings = _regulation_headings(text, start, end)
    if not headings:
        scanned = _scan_headings(text, start, end)
        if scanned and all(h.level == "part" and _CHAPTER_AT_RE.match(text, h.start) for h in scanned):
            # nothing but chapter headings: a short regulation's (two articles under 第一章)
            headings = _regulation_headings(text, start, end, _FEW_ARTICLES) or scanned
        else:
            headings = (
                scanned or _top_level_items(text, start, end) or _regulation_headings(text, start, end, _FEW_ARTICLES)
            )
    if not headings:
        return []
    goal = _goal_block(text, start, headings[0].start)
    if goal is not None:
        headings.insert(0, goal)
    # The last measure stops at the first end-of-body marker after the last heading.
    tail = BODY_END_RE.search(text, headings[-1].content, end)
    body_end = tail.start() if tail else end
    measures: list[Measure] = []
    seen: set[str] = set()
    for i, h in enumerate(headings):
        if not h.measure or not _is_leaf(headings, i):
            continue
        nxt = headings[i + 1].start if i + 1 < len(headings) else body_end
        a, b = _trim(text, h.start, nxt)
        if i + 1 < len(headings) and _ARTICLE_AT_RE.match(text, nxt):
            b = _without_chapter_title(text, a, b)
        ha, hb = (h.content, h.title_end) if h.title_end is not None else _heading_span(text, h.content, b)
        key = _key(h)
        if key in seen:
            doc.warnings.append(
                Problem(
                    doc.path,
                    f"duplicate outline number {key} skipped",
                    offset=view.to_original(a, a).start,
                    line=doc.line_of(view.to_original(a, a).start),
                )
            )
            continue
        seen.add(key)
        measures.append(
            Measure(
                key=key,
                level=h.level,
                span=view.to_original(a, b),
                heading=view.to_original(ha, hb),
                body=view.to_original(*_trim(text, h.content, b)),
                part=h.part,
                section=h.section if h.level != "part" else None,
                item=h.number if h.level == "item" else None,
            )
        )
    return measures


# --- task lists ---------------------------------------------------------------------------

_LINE_RE = re.compile(r"[^\n]+")


@lru_cache(maxsize=1)
def _column_roles() -> tuple[tuple[str, re.Pattern], ...]:
    data = load_yaml("task_list.yaml")
    return tuple((role, re.compile(p)) for role, p in data["column_roles"].items())


def _role_of(header: str) -> str:
    for role, pattern in _column_roles():
        if pattern.search(header):
            return role
    return "other"


_CELL_SEP = re.compile(r"\t+|[ ]{2,}")


def find_task_list(doc: Document, start: int = 0) -> int | None:
    """View offset of a task-list header (序号 … 责任单位) at or after ``start``: one cell
    per line, or one row per line with cells separated by tabs or runs of spaces."""
    text = doc.view.text
    for m in re.finditer(r"^[ \t]*序号(?:\t|[ ]{2,})[^\n]*(?:责任|牵头)[^\n]*$", text[start:], re.M):
        return start + m.start()
    for m in re.finditer(r"^[ \t]*序号[ \t]*$", text[start:], re.M):
        window = text[start + m.end() : start + m.end() + 200]
        if re.search(r"责任|牵头|承担|负责", window):
            return start + m.start()
    return None


_TABLE_END_RE = re.compile(rf"[ \t]*(?:附\s*件|\(此件|(?:{_DATE})[ \t]*$)", re.M)


def _ends_table(text: str, cells: list[tuple[int, int]], j: int) -> bool:
    """A date, annex or publication line ends a table; so does a signature line (a body
    named on its own line) followed by a date. A cell naming a body is not an end."""
    a = cells[j][0]
    if _TABLE_END_RE.match(text, a):
        return True
    return bool(j + 1 < len(cells) and BODY_END_RE.match(text, a) and _TABLE_END_RE.match(text, cells[j + 1][0]))


def _task_measure(
    doc: Document, n: int, index: tuple[int, int], named: dict[str, tuple[int, int]], last: tuple[int, int]
) -> Measure:
    view = doc.view
    content = named.get("content") or next(iter(named.values()))
    ha, hb = _heading_span(view.text, content[0], content[1])
    cells_out = {"index": view.to_original(*index)}
    cells_out.update({role: view.to_original(*c) for role, c in named.items()})
    return Measure(
        key=f"T{n}",
        level="task",
        span=view.to_original(index[0], last[1]),
        heading=view.to_original(ha, hb),
        body=view.to_original(*content),
        item=n,
        cells=cells_out,
    )


def _parse_row_per_line(doc: Document, header_at: int) -> list[Measure]:
    """Rows written one per line, cells separated by tabs or runs of spaces."""
    text = doc.view.text
    lines = [(m.start(), m.end()) for m in _LINE_RE.finditer(text, header_at)]
    if not lines:
        return []

    def split(a: int, b: int) -> list[tuple[int, int]]:
        out, pos = [], a
        for m in [*_CELL_SEP.finditer(text, a, b), None]:
            end = m.start() if m else b
            if text[pos:end].strip():
                out.append(_trim(text, pos, end))
            pos = m.end() if m else b
        return out

    columns = [_role_of(h) for h in (text[a:b] for a, b in split(*lines[0])[1:])]
    if "content" not in columns:
        columns = ["content", *columns[1:]]
    measures: list[Measure] = []
    for a, b in lines[1:]:
        cells = split(a, b)
        if not cells or not re.fullmatch(rf"{len(measures) + 1}[.、]?", text[cells[0][0] : cells[0][1]]):
            if _TABLE_END_RE.match(text, a) or not measures:
                break
            continue
        row = cells[1:]
        used = columns[-len(row) :] if len(row) < len(columns) else columns
        named = dict(zip(used, row))
        if "content" not in named and row:
            named["content"] = row[0]
        measures.append(_task_measure(doc, len(measures) + 1, cells[0], named, cells[-1]))
    return measures


def parse_task_list(doc: Document, header_at: int) -> list[Measure]:
    """Rows of a task list: one cell per line (a bare row number, then its cells), or one
    row per line."""
    view = doc.view
    text = view.text
    first_line = text[header_at : text.find("\n", header_at) if "\n" in text[header_at:] else None]
    if _CELL_SEP.search(first_line.strip()):
        return _parse_row_per_line(doc, header_at)
    cells = [(m.start(), m.end()) for m in _LINE_RE.finditer(text, header_at) if m.group().strip()]
    cells = [_trim(text, a, b) for a, b in cells]

    def is_index(k: int, n: int) -> bool:
        return text[cells[k][0] : cells[k][1]] in (f"{n}", f"{n}.", f"{n}、")

    # Header cells run until the first row number.
    header: list[str] = []
    i = 0
    while i < len(cells) and not is_index(i, 1):
        header.append(text[cells[i][0] : cells[i][1]])
        i += 1
        if len(header) > 12:
            return []
    columns = [_role_of(h) for h in header[1:]]  # header[0] is 序号
    if "content" not in columns:
        columns = ["content", *columns[1:]] if columns else ["content", "units"]
    measures: list[Measure] = []
    expected = 1
    while i < len(cells):
        a, b = cells[i]
        if not is_index(i, expected):
            break
        j = i + 1
        row: list[tuple[int, int]] = []
        while j < len(cells):
            cell = text[cells[j][0] : cells[j][1]]
            if is_index(j, expected + 1) or re.match(r"(备注|注)\s*[:：]", cell) or _ends_table(text, cells, j):
                break
            row.append(cells[j])
            j += 1
        if not row:
            break
        # Extra lines belong to the first (content) column; columns map from the right.
        # After the last row, lines beyond the columns are not part of the table.
        named: dict[str, tuple[int, int]] = {}
        last_row = j >= len(cells) or not is_index(j, expected + 1)
        if last_row:
            row = row[: len(columns)]
        extra = len(row) - len(columns)
        if extra > 0:
            row = [(row[0][0], row[extra][1]), *row[extra + 1 :]]
        # Fewer cells than columns: merged (row-spanning) cells are the leading ones.
        used = columns[-len(row) :] if len(row) < len(columns) else columns
        if "content" not in used:
            used = ["content", *used[1:]]
        for role, cell_range in zip(used, row):
            if role in named:
                role = f"{role}_{len(named)}"
            named[role] = cell_range
        measures.append(_task_measure(doc, expected, (a, b), named, row[-1]))
        expected += 1
        i = j
    return measures


def parse_outline(doc: Document, body: Span | None = None) -> list[Measure]:
    """All measures of ``doc``: the numbered outline, then any task-list rows."""
    view = doc.view
    start, end = view.to_view(body) if body else (0, len(view.text))
    task_at = find_task_list(doc, start)
    outline_end = task_at if task_at is not None else end
    annex = re.compile(r"^[ \t]*附\s*件\s*\d*\s*(?:[:：].*)?$", re.M).search(view.text, start, outline_end)
    measures = _outline_measures(doc, start, annex.start() if annex else outline_end)
    if task_at is not None:
        measures.extend(parse_task_list(doc, task_at))
    if not measures:
        doc.warnings.append(Problem(doc.path, "no numbered outline found (一、 / (一) / 1.)"))
    return measures
