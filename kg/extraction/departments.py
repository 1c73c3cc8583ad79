"""Government and party bodies named as actors (docs/annotation.md §3).

A body is found by its own name (``教育局``, ``人力资源社会保障局``, ``委组织部`` — rows of
``kg/data/department_functions.tsv``) plus what precedes it: a chain of division names
(``江津区``, ``国家税务总局北京市``), a short name (``北京``), or a bare level (``市``/``县``/
``区``). Bodies inside 《》 titles, collectives (``各县区政府``) and signature lines are not
mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from kg.core.lexicon import load_tsv, load_yaml
from kg.core.model import Mention
from kg.core.regions import DIVISION_ALIAS, place_length_at, place_start_before
from kg.extraction.context import DocContext, Unnested
from kg.extraction.institutions import alias_declarations, alias_uses

try:  # the regular-expression parser: Python 3.11 moved it into the re package
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse

LEVEL_CHARS = "省市县区州旗镇乡"
_NATIONAL_RE = re.compile(r"(?:中共中央|中华全国|中央|国家|国务院)$")
_LEVELS_JOINED_RE = re.compile(rf"[省市县区州旗镇乡](?:{DIVISION_ALIAS})?(?:和|与|及|、)$")
_EVERY_LEVEL_RE = re.compile(r"各[^,，。;；、\s()]{0,5}(?:以上|以下)$")
# A level named by its class, not by one body: 省、自治区、直辖市人民政府, 设区的市人民政府,
# 省辖市人民政府, 县级以上地方人民政府; and a level after an aliased one (县(市)区人民政府).
_LEVEL_CLASS_RE = re.compile(
    rf"(?:直辖|设区的|不设区的|省辖|地级|县级|副省级|计划单列|自治区、|[省市县区州旗]{DIVISION_ALIAS})$"
)
# The approval formula of a notice (经省政府同意，现将…印发; 经市政府同意，结合…，现提出…):
# the approval is followed by what the notice itself does. In a rule's text (经市人民政府
# 批准后实施, 经国务院学位委员会批准，可以…) the approving body acts (§3).
_APPROVED_RE = re.compile(r"(?:研究)?(?:同意|批准)[,，][^。；;\n]{0,20}?(?:现|特|提出|印发|下发|制定)")
# The rank of a level character, and of the level a document governs: a bare level below the
# document's own (区人民政府 in a municipality's regulation) names every body of that level.


class _Row(NamedTuple):
    pattern: re.Pattern
    function: str
    needs_prefix: bool
    needs: tuple[str, ...]  # literals one of which every match holds (empty: none named)
    by_first: tuple[re.Pattern, ...]  # a list of names split by first character (empty: not split)
    starts: re.Pattern | None  # the characters a match starts with, when the engine cannot skip to them


_LITERALS_RE = re.compile(r"[\u4e00-\u9fff]+(?:\|[\u4e00-\u9fff]+)*")
_MAX_FIRST = 4  # more first characters than this: one pass testing each character is cheaper


def _by_first(pattern: str) -> tuple[re.Pattern, ...]:
    """A row that is a plain list of names (``财政局|财政厅|商务局``) as one pattern per first
    character, the names kept in their order: each is searched for its first character
    directly, where the whole list would test every character against a set."""
    if not _LITERALS_RE.fullmatch(pattern):
        return ()
    groups: dict[str, list[str]] = {}
    for name in pattern.split("|"):
        groups.setdefault(name[0], []).append(name)
    if not 1 < len(groups) <= _MAX_FIRST:
        return ()
    return tuple(re.compile("|".join(names)) for names in groups.values())


@lru_cache(maxsize=1)
def _rows() -> tuple[_Row, ...]:
    return tuple(
        _Row(
            re.compile(r["pattern"]),
            r["function"],
            r.get("prefix") == "yes",
            tuple(w for w in (r.get("needs") or "").split("|") if w),
            _by_first(r["pattern"]),
            _starts(r["pattern"]),
        )
        for r in load_tsv("department_functions.tsv")
    )


def _starts(pattern: str) -> re.Pattern | None:
    """For a pattern opening with an optional part (``(?:中国)?人民银行…``), which the regex
    engine tries at every character, the class of characters every match starts with; None
    when the engine skips to its first characters itself or they are not known."""
    tree = _sre_parse.parse(pattern)
    parsed = list(tree)
    if not parsed or _skips_by_itself(parsed[0]) or tree.state.flags & re.IGNORECASE:
        return None
    chars = _first_chars(parsed)
    return re.compile("[" + "".join(map(re.escape, sorted(chars))) + "]") if chars else None


def _skips_by_itself(item: tuple) -> bool:
    """The engine searches for the first character of a pattern opening with a literal, a
    class or alternatives that each open with a literal."""
    op, av = item
    if op is _sre_parse.BRANCH:
        return all(alt and alt[0][0] is _sre_parse.LITERAL for alt in av[1])
    return op is _sre_parse.LITERAL or op is _sre_parse.IN


def _first_chars(items) -> set[str] | None:
    """The characters a match of the parsed sequence ``items`` can start with; None when
    unknown or when it can match the empty string."""
    out: set[str] = set()
    for op, av in items:
        if op is _sre_parse.LITERAL:
            return out | {chr(av)}
        if op is _sre_parse.BRANCH:
            for alt in av[1]:
                first = _first_chars(alt)
                if first is None:
                    return None
                out |= first
            return out
        if op is _sre_parse.SUBPATTERN:
            if av[1] & re.IGNORECASE:
                return None  # (?i:…): a letter stands for both cases
            first = _first_chars(av[-1])
            return None if first is None else out | first
        if op in (_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT):
            low, _, item = av
            first = _first_chars(item)
            if first is None:
                return None
            out |= first
            if low == 0:
                continue  # optional: the characters after it may start the match too
            return out
        if op in (_sre_parse.AT, _sre_parse.ASSERT, _sre_parse.ASSERT_NOT):
            continue  # zero-width: the next item gives the first character
        return None
    return None  # the whole sequence can be empty


def _row_matches(row: _Row, text: str, start: int, end: int) -> Iterator[re.Match]:
    """The row's matches in ``text[start:end]``, as ``finditer`` finds them; a row that
    needs a literal is tried only on the lines holding one."""
    if row.by_first:
        yield from _first_of(row.by_first, text, start, end)
        return
    if row.starts is not None and not row.needs:
        last = start
        for c in row.starts.finditer(text, start, end):  # a match is tried where one can start
            if c.start() >= last:
                m = row.pattern.match(text, c.start(), end)
                if m:
                    yield m
                    last = m.end()
        return
    if not row.needs:
        yield from row.pattern.finditer(text, start, end)
        return
    pos = start
    while True:
        found = [at for at in (text.find(w, pos, end) for w in row.needs) if at != -1]
        if not found:
            return
        at = min(found)
        line_start = max(start, text.rfind("\n", 0, at) + 1)
        line_end = text.find("\n", at, end)
        line_end = end if line_end == -1 else line_end
        for m in row.pattern.finditer(text, line_start, end):
            if m.start() >= line_end:
                break
            yield m
        pos = line_end


def _first_of(patterns: tuple[re.Pattern, ...], text: str, start: int, end: int) -> Iterator[re.Match]:
    """Matches of the alternation of ``patterns``, as its ``finditer`` finds them, when no
    two patterns can match at the same position (their names start differently): the
    leftmost next match of any pattern, then each pattern searched again past it."""
    ahead = [p.search(text, start, end) for p in patterns]
    while True:
        m = min((n for n in ahead if n), key=lambda n: n.start(), default=None)
        if m is None:
            return
        yield m
        pos = m.end()
        ahead = [p.search(text, pos, end) if n and n.start() < pos else n for p, n in zip(patterns, ahead)]


def split_name(name: str) -> tuple[str, str, str]:
    """``(prefix, body, function)`` of a department surface form: the body is the longest
    row match ending the name (``县工信商务局`` → ``县``, ``工信商务局``, industry_it);
    with no match the whole name is the body and the function ``other``."""
    best = (len(name), "other")
    for row in _rows():
        for m in row.pattern.finditer(name):
            if m.end() == len(name) and m.start() < best[0]:
                best = (m.start(), row.function)
    start, function = best
    if start == len(name):
        start = 0
    return name[:start], name[start:], function


def function_of(name: str) -> str:
    """function (docs/annotation.md §3) of a department surface form (``县工信商务局`` → industry_it)."""
    return split_name(name)[2]


def _prefix_start(text: str, a: int) -> int:
    """Start of the region/level prefix that ends at ``a`` (``a`` if there is none)."""
    start = place_start_before(text, a)
    if start == a and text[max(0, a - 3) : a] in ("自治州", "自治县", "自治区", "自治旗"):
        start = a - 3  # 自治州人民政府: the autonomous prefecture's own government
    elif start == a and a > 0 and text[a - 1] in LEVEL_CHARS:
        start = a - 1
    if start == a:  # 国家发展改革委, 中央编办: central bodies
        national = _NATIONAL_RE.search(text, max(0, a - 4), a)
        if national:
            start = a - len(national.group())
    return start


def _is_collective(text: str, start: int) -> bool:
    """``各县区政府``, ``各区人民政府``: levels preceded by 各 are collectives, not bodies."""
    i = start
    while i > 0 and text[i - 1] in LEVEL_CHARS:
        i -= 1
    if (i > 0 and text[i - 1] == "各") or text[start : start + 1] == "各":
        return True
    if text[max(0, i - 2) : i] == "所在":
        return True  # 报所在市发展改革委: every applicant's own city's body, not one body
    if start - i >= 1 and text[start : start + 1] in LEVEL_CHARS and place_length_at(text, i) == 0:
        return True  # 市州人民政府, 县区教育局: every body of those levels, not one body
    if text[i : i + 1] in LEVEL_CHARS and _LEVELS_JOINED_RE.search(text, max(0, i - 10), i):
        return True  # 市和区人民政府, 县(市)、区人民政府: every body of those levels, not one body
    if text[start : start + 1] in LEVEL_CHARS and _LEVEL_CLASS_RE.search(text, max(0, i - 8), i):
        return True  # 设区的市人民政府, 省辖市人民政府, 县(市)区人民政府: a class of body
    return bool(_EVERY_LEVEL_RE.search(text, max(0, start - 8), start))


_SIGNATORY_RE = re.compile(r"\S+(?:部|委|局|厅|办|会|院|署|行|政府|办公室|办公厅)")


def _is_signature_line(ctx: DocContext, a: int, b: int, lines: dict[tuple[int, int], bool]) -> bool:
    """A line that is only the body's name (a signature), or only issuers' names separated
    by spaces (``教育部　国家发展改革委　财政部``) — signatories, not actors. ``lines``
    remembers the second answer per line (a line names many bodies)."""
    text = ctx.text
    line_start = text.rfind("\n", 0, a) + 1
    line_end = text.find("\n", b)
    line_end = len(text) if line_end == -1 else line_end
    name = text[a:b]
    if (
        _BLANK_RE.fullmatch(text, line_start, a)
        and _BLANK_RE.fullmatch(text, b, line_end)
        and name == name.strip()
        and ctx.measure_at(a) is None
    ):
        return True  # the stripped line is the name
    signatories = lines.get((line_start, line_end))
    if signatories is None:
        names = text[line_start:line_end].split()
        signatories = len(names) >= 3 and all(_SIGNATORY_RE.fullmatch(n) for n in names)
        lines[(line_start, line_end)] = signatories
    return signatories


_BLANK_RE = re.compile(r"\s*")
# A committee's second name in brackets right after it (department_bodies.yaml ``bracketed_alias``).
_BRACKETED_ALIAS_RE = re.compile(load_yaml("department_bodies.yaml")["bracketed_alias"])


def _is_approval(text: str, a: int, b: int) -> bool:
    """``经省政府同意``: the formula naming who approved the document, like its issuer (§3:
    not an actor of the policy)."""
    return text[max(0, a - 2) : a].endswith("经") and _APPROVED_RE.match(text, b, b + 30) is not None


def _below_document(ctx: DocContext, start: int, a: int) -> bool:
    """A bare level below the document's own (``区人民政府应当…`` in a city's or a
    municipality's text): the governments of that level, not one body (a bureau of that
    level, ``县市场监督管理局``, stays: a plan names the one that carries a task out)."""
    text = ctx.text
    if a - start != 1 or (start > 0 and text[start - 1] in LEVEL_CHARS):
        return False
    return ctx.below_own_level(text[start])


class _Coordinating(NamedTuple):
    head_re: re.Pattern
    not_after_re: re.Pattern
    clause_re: re.Pattern
    units_re: re.Pattern


@lru_cache(maxsize=1)
def _coordinating_conf() -> _Coordinating:
    data = load_yaml("department_bodies.yaml")
    return _Coordinating(
        re.compile(data["coordinating_heads"]),
        re.compile(data["coordinating_not_after"]),
        re.compile(f"(?:{data['coordinating_clause_words']})"),
        re.compile(data["government_units"]),
    )


_COORD_HARD = frozenset(',，。;；:：、“”"《》!?！？\n\t【】[]() ')
_CONJUNCTIONS = frozenset({"和", "与", "及"})
_NAMED_START_RE = re.compile(r"(?:中共中央|党中央|国务院|中央|国家|全国)")


def _coordinating(ctx: DocContext) -> list[tuple[int, int, str | None]]:
    """Leading groups and joint meetings named by their level or place and remit
    (``省职业教育工作领导小组``, ``国务院职业教育工作部际联席会议``): one body, so the body
    named at its start (国务院) is no mention of its own. The regime named after one
    (``…联席会议制度``) is a program: its range is returned with no function, taken from
    the departments without giving one."""
    conf = _coordinating_conf()
    text = ctx.text
    out: list[tuple[int, int, str | None]] = []
    if "小组" not in text and "联席会议" not in text and "委员会" not in text:
        return out
    for m in conf.head_re.finditer(text, ctx.body_start, ctx.body_end):
        ha, e = m.start(), m.end()
        i = ha
        while i > ctx.body_start and ha - i < 24 and text[i - 1] not in _COORD_HARD:
            i -= 1
        committee = m.group().endswith("委员会")
        for cm in conf.clause_re.finditer(text, i, ha):
            if committee and cm.group() in _CONJUNCTIONS:
                continue  # 市甲建设与乙促进委员会: a committee's remit may join two fields
            i = max(i, cm.end())
        if ha - i < 3:
            continue
        named = place_length_at(text, i) or (text[i] in LEVEL_CHARS and text[i + 1] not in "级场域内外")
        if not named and not _NAMED_START_RE.match(text, i):
            continue  # no level or place: the kind of group, not one body
        if _is_collective(text, i):
            continue
        regime = conf.not_after_re.match(text, e)
        out.append((i, e, None if regime else "other"))
    return out


def find_departments(ctx: DocContext) -> list[Mention]:
    text = ctx.text
    found: list[tuple[int, int, str | None]] = list(_coordinating(ctx))  # (start, end, function)
    for row in _rows():
        for m in _row_matches(row, text, ctx.body_start, ctx.body_end):
            a, b = m.start(), m.end()
            if text[b : b + 1] == "门":  # 人力资源社会保障部门: a generic reference
                continue
            start = _prefix_start(text, a)
            if row.function == "government":
                unit = _coordinating_conf().units_re.match(text, b)
                if unit:  # 国务院教育行政部门, 县人民政府有关部门: a generic unit, not the government
                    found.append((start, unit.end(), None))
                    continue
            # A pattern may swallow its own prefix (市产教融合工作领导小组, 鹤壁市…领导小组).
            prefixed = start < a or (b - a > 4 and (text[a] in LEVEL_CHARS or place_length_at(text, a) > 0))
            if row.needs_prefix and not prefixed:
                continue
            if not _is_collective(text, start) and not (
                row.function == "government" and _below_document(ctx, start, a)
            ):
                found.append((start, b, row.function))
    # Longest match wins where matches overlap (工信商务局 over 商务局).
    taken = Unnested()
    mentions: list[Mention] = []
    lines: dict[tuple[int, int], bool] = {}
    for a, b, function in sorted(found, key=lambda t: (-(t[1] - t[0]), t[0])):
        if taken.overlap(a, b):
            continue
        taken.add(a, b)
        if function is None:
            continue  # …联席会议制度: a regime's name (a program); 国务院有关部门: a generic unit
        if ctx.in_title(a, b) or _is_signature_line(ctx, a, b, lines) or _is_approval(text, a, b):
            continue
        mentions.append(ctx.mention("department", a, b, function=function))
        second = _BRACKETED_ALIAS_RE.match(text, b) if text.endswith(("委员会", "领导小组"), a, b) else None
        if second and not taken.overlap(second.start(1), second.end(1)):  # 某招生委员会(某考试委员会)
            taken.add(second.start(1), second.end(1))
            mentions.append(ctx.mention("department", second.start(1), second.end(1), function=function))
    mentions.extend(_alias_mentions(ctx, mentions, taken))
    mentions.sort(key=lambda m: m.span.start)
    return _without_cited_issuers(ctx, mentions)


def _alias_mentions(ctx: DocContext, mentions: list[Mention], taken: Unnested) -> list[Mention]:
    """Later uses of a short name declared right after a body's name (…部际联席会议（以下简称
    联席会议）): that body, under its name. A short name that is a body's name by itself
    (（以下简称市人社局）) is read as a surface form of its own (§3)."""
    decls = alias_declarations(ctx)
    if not decls:
        return []
    by_end = {ctx.view.to_view(m.span)[1]: m for m in mentions}
    out = []
    for d in decls:
        named = by_end.get(d.start)
        if named is None or taken.overlap(d.alias_start, d.alias_end):
            continue
        for a, b in alias_uses(ctx, d, taken):
            out.append(
                ctx.mention("department", a, b, name=named.name, function=named.attrs.get("function") or "other")
            )
    return out


# A title that lost its 《》 (department_bodies.yaml ``unquoted_title``).
_UNQUOTED_TITLE_RE = re.compile(load_yaml("department_bodies.yaml")["unquoted_title"])
_CITED_JOINERS = frozenset("、和")


def _without_cited_issuers(ctx: DocContext, mentions: list[Mention]) -> list[Mention]:
    """Drop bodies written as part of a citation: ``市政府办公厅《关于…》`` (and every body of
    ``A、B《…》``) names the cited document's issuer, like a body inside its title (§3); so
    does a body heading a title written without its 《》 (``某省政府办公厅关于印发…的通知``).
    A body that *does* something (``A印发《…》``) stays an actor."""
    text = ctx.text
    out: list[Mention] = []
    follows_cited = False  # the mention to the right is a cited document's issuer
    right_start = -1
    for m in reversed(mentions):
        a, b = ctx.view.to_view(m.span)
        cited = (
            text[b : b + 1] == "《"
            or _UNQUOTED_TITLE_RE.match(text, b) is not None
            or (follows_cited and text[b : b + 1] in _CITED_JOINERS and right_start == b + 1)
        )
        if not cited:
            out.append(m)
        follows_cited, right_start = cited, a
    out.reverse()
    return out
