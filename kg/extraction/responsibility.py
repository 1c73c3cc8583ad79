"""Who is responsible for which measure (docs/annotation.md §7), from explicit clauses only.

Shapes: labelled lists (``(责任单位:…)``, ``【牵头单位:X;配合单位:Y】``, also with a missing
bracket), unit lists closed by a verb phrase (``(X、Y按照职责分工负责)``, ``(X牵头负责)``,
``(X会同有关部门负责)``, ``(X牵头,Y配合)``), bare parenthesised unit lists ending a measure,
and the responsibility cells of a task list. Labels and verb phrases live in
``kg/data/responsibility.yaml``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, NamedTuple

from kg.core.lexicon import load_yaml
from kg.core.model import Measure, Relation, ResponsibilityShape, Role
from kg.extraction.context import DocContext

_SEPARATORS = re.compile(r"[、,，;；]|\s+")
_LEAD_MARK_RE = re.compile(r"[(\[〔【]?牵头[)\]〕】]?$")  # X牵头, X(牵头), X〔牵头〕
_ROLE_WORD_RE = re.compile(r"牵头|配合|负责")
_SUB_CLAUSE_RE = re.compile(r"[^,，;；]+")
_UNCLOSED_RE = re.compile(r"[(\[【]([^()\[\]【】\n]{2,200}?)[ \t。]*$")
_OTHER_LABEL_RE = re.compile(r"[;；,，]\s*[\u4e00-\u9fa5]{2,6}\s*[:：]")
_OPEN, _CLOSE = "([【〔", ")]】〕"
_GROUP_OPEN_RE = re.compile(r"[(\[【]")


def _depths(text: str, start: int, end: int) -> list[int]:
    """Bracket depth at every offset of ``text[start:end]`` (0 outside any bracket)."""
    out, depth = [], 0
    for ch in text[start:end]:
        if ch in _CLOSE and depth:
            depth -= 1
        out.append(depth)
        if ch in _OPEN:
            depth += 1
    return out


def _groups(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Top-level bracket groups ``(…)`` in ``text[start:end]`` as (open, close) offsets,
    inner groups included in their outer one; 2–400 characters of content, one line."""
    out = []
    opener = _GROUP_OPEN_RE.search(text, start, end)
    while opener:
        i = opener.start()
        close = _clause_end(text, i + 1, min(end, i + 402), stops="\n")
        if close is not None and text[close] in _CLOSE and close - i - 1 >= 2:
            out.append((i, close))
            opener = _GROUP_OPEN_RE.search(text, close + 1, end)
        else:
            opener = _GROUP_OPEN_RE.search(text, i + 1, end)
    return out


# A verb phrase's role (responsibility.yaml): "lead_if_single" is lead for a lone unit.
_TailRole = Literal["lead", "responsible", "lead_if_single"]


class _Conf(NamedTuple):
    label_re: re.Pattern[str]
    labels: dict[str, Role]
    tails: tuple[tuple[re.Pattern[str], _TailRole, bool], ...]  # pattern, role, units by shape only
    not_units: frozenset[str]
    unit_end_re: re.Pattern[str]


@lru_cache(maxsize=1)
def _conf() -> _Conf:
    data = load_yaml("responsibility.yaml")
    labels = data["labels"]
    label_re = re.compile(r"(" + "|".join(sorted(labels, key=len, reverse=True)) + r")\s*[:：]\s*")
    tails = tuple((re.compile(t["pattern"]), t["role"], bool(t.get("unit_shape"))) for t in data["tails"])
    ends = sorted(data["unit_endings"], key=len, reverse=True)
    return _Conf(label_re, labels, tails, frozenset(data["not_units"]), re.compile("(?:" + "|".join(ends) + r")$"))


class _Unit(NamedTuple):
    name: str
    start: int  # view offsets
    end: int
    role: Role


def split_units(text: str, start: int, end: int, role: Role) -> list[_Unit]:
    """Units of a list ``text[start:end]`` separated by 、 , ; or spaces; 等 dropped."""
    conf = _conf()
    out: list[_Unit] = []
    pos = start
    depth = _depths(text, start, end)  # 各县(市、区)人民政府 is one unit: no split inside brackets
    seps = [m for m in _SEPARATORS.finditer(text, start, end) if depth[m.start() - start] == 0]
    for m in [*seps, None]:
        a, b = pos, (m.start() if m else end)
        pos = m.end() if m else end
        unit_role: Role = role
        seg = text[a:b]
        lead_mark = _LEAD_MARK_RE.search(seg)
        if lead_mark and lead_mark.start() > 0:
            b -= len(lead_mark.group())
            unit_role = "lead"
        while b > a and text[b - 1] in "等 \t":
            b -= 1
        while a < b and text[a] in " \t由":
            a += 1
        name = text[a:b]
        if len(name) < 2 or name in conf.not_units or len(name) > 40:
            continue
        out.append(_Unit(name, a, b, unit_role))
    return out


def _parse_tailed(text: str, a: int, b: int) -> list[_Unit] | None:
    """``X、Y按照职责分工负责`` / ``X牵头,Y配合`` → units with roles, or None."""
    conf = _conf()
    content = text[a:b]
    for pattern, role, unit_shape in conf.tails:
        m = pattern.search(content)
        if not m or m.start() == 0:
            continue
        head = content[: m.start()]
        if not _ROLE_WORD_RE.search(head):
            units = split_units(text, a, a + m.start(), "lead" if role == "lead" else "responsible")
            if unit_shape and not all(conf.unit_end_re.search(u.name) for u in units):
                return None
            if role == "lead_if_single":
                units = [u._replace(role="lead" if len(units) == 1 else "responsible") for u in units]
            return units or None
        break
    # Several sub-clauses: X牵头,Y配合 / X负责,Y参与; a generic one (有关部门按职责分工负责,
    # 有关部门参与) names no unit (§7) and is skipped.
    parts = [(p.start(), p.end()) for p in _SUB_CLAUSE_RE.finditer(content)]
    if len(parts) < 2:
        return None
    combined: list[_Unit] = []
    for pa, pb in parts:
        sub = _parse_tailed(text, a + pa, a + pb) or _joining(text, a + pa, a + pb)
        if sub is None:
            if _generic_clause(text[a + pa : a + pb]):
                continue
            return None
        combined.extend(sub)
    return combined or None


def _joining(text: str, a: int, b: int) -> list[_Unit] | None:
    """``Y参与`` as a further sub-clause (X牵头,Y参与): units by shape only."""
    content = text[a:b]
    if not content.endswith("参与") or len(content) <= 2 or _ROLE_WORD_RE.search(content):
        return None
    units = split_units(text, a, b - 2, "responsible")
    conf = _conf()
    return units if units and all(conf.unit_end_re.search(u.name) for u in units) else None


def _generic_clause(content: str) -> bool:
    """A sub-clause naming only generic bodies: ``有关部门按职责分工负责``, ``各有关部门配合``."""
    conf = _conf()
    content = content.strip(" \t")
    for generic in sorted(conf.not_units, key=len, reverse=True):
        if content.startswith(generic):
            rest = content[len(generic) :]
            return rest in ("参与", "配合") or any(p.match(rest) for p, _, _ in conf.tails)
    return False


def _looks_like_units(units: list[_Unit], departments: set[str]) -> bool:
    conf = _conf()
    return (
        bool(units)
        and all(conf.unit_end_re.search(u.name) for u in units)
        and any(u.name in departments for u in units)
    )


def _relations(
    ctx: DocContext, measure: Measure, units: list[_Unit], a: int, b: int, shape: ResponsibilityShape
) -> list[Relation]:
    out = []
    for u in units:
        rel = ctx.relation(
            "responsible_for",
            u.name,
            measure.key,
            a,
            b,
            measure=measure.key,
            role=u.role,
            shape=shape,
            unit_span=ctx.view.to_original(u.start, u.end).to_json(),
        )
        out.append(rel)
    return out


def _clause_end(text: str, start: int, limit: int, stops: str = "。\n") -> int | None:
    """Where a bracketed list that starts at ``start`` ends: the bracket that closes it
    (stepping over nested groups such as 各县(市、区)人民政府), or the first of ``stops``;
    None when neither comes before ``limit``."""
    depth = 0
    marks = _marks_re(stops)
    m = marks.search(text, start, limit)
    while m:  # from one stop or bracket to the next, not character by character
        i = m.start()
        ch = text[i]
        if ch in stops:
            return i
        if ch in _OPEN:
            depth += 1
        elif depth == 0:  # a closing bracket
            return i
        else:
            depth -= 1
        m = marks.search(text, i + 1, limit)
    return None


@lru_cache(maxsize=8)
def _marks_re(stops: str) -> re.Pattern:
    """The stops and the brackets, the characters :func:`_clause_end` stops at."""
    return re.compile("[" + "".join(map(re.escape, sorted(set(stops + _OPEN + _CLOSE)))) + "]")


def _labelled(ctx: DocContext, measure: Measure, ma: int, mb: int, consumed: list[tuple[int, int]]) -> list[Relation]:
    conf = _conf()
    text = ctx.text
    out: list[Relation] = []
    labels = list(conf.label_re.finditer(text, ma, mb))
    for i, lm in enumerate(labels):
        role = conf.labels[lm.group(1)]
        limit = labels[i + 1].start() if i + 1 < len(labels) else mb
        other = _OTHER_LABEL_RE.search(text, lm.end(), limit)  # ；完成时限：2023年底
        if other:
            limit = other.start()
        close = _clause_end(text, lm.end(), limit)
        end = close if close is not None else limit
        if close is None or text[close] in "。\n":
            opened = text[max(ma, lm.start() - 1) : lm.start()] in ("(", "[", "【")
            if opened and (i + 1 == len(labels) or close is not None):
                ctx.warn(
                    lm.start(),
                    f"responsibility clause in measure {measure.key} has no "
                    f"closing bracket; read to the end of the line",
                )
        while end > lm.end() and text[end - 1] in ";；,，、 \t":
            end -= 1
        for pattern, _, _ in conf.tails:  # (责任单位:X、Y会同有关部门): the label gives the role
            t = pattern.search(text, lm.end(), end)
            if t and t.start() > lm.end():
                end = t.start()
                break
        units = split_units(text, lm.end(), end, role)
        start = lm.start() - 1 if text[lm.start() - 1 : lm.start()] in "([【" else lm.start()
        stop = close + 1 if close is not None and text[close] in _CLOSE else end
        consumed.append((start, stop))
        out.extend(_relations(ctx, measure, units, start, stop, "labelled"))
    return out


def _from_measure(ctx: DocContext, measure: Measure, ma: int, mb: int, departments: set[str]) -> list[Relation]:
    text = ctx.text
    consumed: list[tuple[int, int]] = []
    out = _labelled(ctx, measure, ma, mb, consumed)
    for ga, gb in _groups(text, ma, mb):  # (ga: the opening bracket, gb: the closing one)
        if any(a <= ga < b for a, b in consumed):
            continue
        if text[ga + 1 : ga + 2] == "由" and text[gb + 1 : gb + 2] not in ("", "。", "\n", ";", "；"):
            continue  # 建立联席会议制度(由市教育局负责),统筹…: an aside inside a sentence
        units = _parse_tailed(text, ga + 1, gb)
        if units:
            out.extend(_relations(ctx, measure, units, ga, gb + 1, "verb"))
            continue
        is_last = not text[gb + 1 : mb].strip(" \t\n。")
        if is_last:
            units = split_units(text, ga + 1, gb, "responsible")
            if _looks_like_units(units, departments):
                out.extend(_relations(ctx, measure, units, ga, gb + 1, "bare_list"))
    # An unclosed clause ending the measure: (X、Y按职责分工负责  — read to the end.
    tail = _UNCLOSED_RE.search(text[ma:mb])
    if tail and not any(a <= ma + tail.start() < b for a, b in consumed):
        a1, b1 = ma + tail.start(1), ma + tail.end(1)
        units = _parse_tailed(text, a1, b1)
        if units:
            ctx.warn(ma + tail.start(), f"responsibility clause in measure {measure.key} has no closing bracket")
            out.extend(_relations(ctx, measure, units, ma + tail.start(), b1, "verb"))
    return out


def _from_task_row(ctx: DocContext, measure: Measure) -> list[Relation]:
    out: list[Relation] = []
    roles: dict[str, Role] = {"units": "responsible", "lead_units": "lead", "co_units": "responsible"}
    for cell, role in roles.items():
        span = measure.cells.get(cell)
        if span is None:
            continue
        a, b = ctx.view.to_view(span)
        units = _parse_tailed(ctx.text, a, b) or split_units(ctx.text, a, b, role)
        out.extend(_relations(ctx, measure, units, a, b, "task_list"))
    return out


def find_responsibilities(ctx: DocContext, departments: set[str]) -> list[Relation]:
    """``responsible_for`` relations, one per (measure, unit); ``departments`` are the
    department names found in the document (a bare list must name at least one)."""
    out: list[Relation] = []
    for ma, mb, measure in ctx.measures():
        if measure.level == "task":
            out.extend(_from_task_row(ctx, measure))
        else:
            out.extend(_from_measure(ctx, measure, ma, mb, departments))
    seen: set[tuple[str, str]] = set()
    unique = []
    for r in out:
        if (r.object, r.subject) not in seen:
            seen.add((r.object, r.subject))
            unique.append(r)
    return unique
