"""Quantitative targets and norms (docs/annotation.md §8): value, range, unit, comparator, year.

A number (Arabic, full-width, or Chinese: ``一所`` → 1) followed by a unit from
``kg/data/indicators.yaml`` is a candidate; ranges (``1.5%—2.5%``, ``3—5个``) give value and
value_max. Numbers inside names (``1+X``, ``5G``, ``2.0``), titles, dates and years are
skipped. The comparator comes from the nearest word before the number in its clause or
the word after the unit; the year from the last deadline phrase before it in its sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from kg.core.lexicon import load_yaml
from kg.core.model import Comparator, Measure, Mention
from kg.core.numerals import as_number, parse_number
from kg.extraction.context import DocContext

_CN_NUM = "一二两三四五六七八九十百千万"
_CLAUSE_STOP = ",，;；。:：、!?！？\n"
_SENTENCE_STOP = "。!?！？\n"


class _Conf(NamedTuple):
    regex: re.Pattern
    cn_units: frozenset
    weak_units: frozenset
    before: dict[str, Comparator]
    before_re: re.Pattern
    after_re: re.Pattern
    after: dict[str, Comparator]
    deadline_re: re.Pattern
    periods: dict
    status_re: re.Pattern
    frequency_units: frozenset
    frequency_re: re.Pattern
    after_ge_re: re.Pattern


@lru_cache(maxsize=1)
def _conf() -> _Conf:
    data = load_yaml("indicators.yaml")
    units = "|".join(re.escape(u) for u in sorted(data["units"], key=len, reverse=True))
    num = rf"\d+(?:\.\d+)?|[{_CN_NUM}]+"
    regex = re.compile(
        rf"(?P<a>{num})(?P<ua>%)?(?:[ \t]*(?:[—–~～]+|-{{1,2}}|至)[ \t]*(?P<b>{num}))?"
        rf"(?P<more>余|多)?[ \t]*(?P<unit>{units})"
    )
    before = data["before"]
    after = data["after"]
    return _Conf(
        regex,
        frozenset(data["chinese_numeral_units"]),
        frozenset(data["weak_units"]),
        before,
        re.compile("|".join(sorted(map(re.escape, before), key=len, reverse=True))),
        re.compile("(" + "|".join(sorted(map(re.escape, after), key=len, reverse=True)) + ")"),
        after,
        re.compile(data["deadline"]),
        data["plan_periods"],
        re.compile(data["status_markers"]),
        frozenset(data["frequency_units"]),
        re.compile(data["frequency_frame"]),
        re.compile("|".join(sorted(data["after_ge"], key=len, reverse=True))),
    )


def _clause_start(text: str, pos: int, floor: int) -> int:
    i = pos
    while i > floor and text[i - 1] not in _CLAUSE_STOP:
        i -= 1
    return i


def _deadline_year(m: re.Match) -> int:
    """The year a deadline match names (the deadline pattern has one group per form)."""
    return int(next(g for g in m.groups() if g))


def _frame_year(ctx: DocContext, measure: Measure, conf: _Conf) -> int | None:
    """Year of a deadline that opens the measure's text (``目标。到2025年，…``): it frames
    every sentence of the measure, not only its own."""
    _, b = ctx.view.to_view(measure.heading)
    _, body_b = ctx.view.to_view(measure.body)
    pos = b
    while pos < body_b and ctx.text[pos] in "。 \t\n":
        pos += 1
    opening = ctx.text[pos : pos + 16]
    m = conf.deadline_re.match(opening)
    if m:
        return _deadline_year(m)
    for name, year in conf.periods.items():
        if opening.lstrip('“"').startswith(name):
            return year
    return None


def _year(ctx: DocContext, pos: int, floor: int, conf: _Conf) -> int | None:
    text = ctx.text
    start = pos
    while start > floor and text[start - 1] not in _SENTENCE_STOP:
        start -= 1
    best: tuple[int, int | None] = (-1, None)
    for m in conf.deadline_re.finditer(text, start, pos):
        best = max(best, (m.start(), _deadline_year(m)))
    for name, year in conf.periods.items():
        i = text.rfind(name, start, pos)
        if i > best[0]:
            best = (i, year)
    return best[1]


def _skip_number(text: str, a: int, b: int, m: re.Match, conf: _Conf) -> bool:
    """Numbers that are parts of names, dates, ordinals or document numbers."""
    unit = m.group("unit")
    raw = m.group("a")
    prev = text[a - 1] if a > 0 else ""
    nxt = text[b : b + 1]
    if prev in "+第〔[·.-" or (prev.isascii() and prev.isalnum()) or nxt in "+号":
        return True
    if prev in "“”\"'‘’「」":  # “四个意识”, “…”四个基地: slogans and counts of quoted items
        return True
    if raw[0] in _CN_NUM:
        frequency = (
            unit in conf.frequency_units
            and nxt != "性"
            and conf.frequency_re.search(text, _clause_start(text, a, max(0, a - 40)), a)
        )
        if (unit not in conf.cn_units and not frequency) or prev in "第每其之这那哪几的" or prev in _CN_NUM:
            return True
        if text[b : b + 1] and text[b] in _CN_NUM:  # 一校一品, 一专业一品牌: slogans
            return True
    return unit == "年" and (len(raw) == 4 or text[b : b + 1] in "级度")


class _Found(NamedTuple):
    start: int
    end: int
    comparator: Comparator
    from_prefix: bool


def find_indicators(ctx: DocContext, institution_ends: frozenset = frozenset()) -> list[Mention]:
    conf = _conf()
    text = ctx.text
    out: list[Mention] = []
    for ma, mb, measure in ctx.measures():
        previous: _Found | None = None
        frame_year = _frame_year(ctx, measure, conf)
        for m in conf.regex.finditer(text, ma, mb):
            a, b = m.start(), m.end()
            if _skip_number(text, a, b, m, conf) or ctx.in_title(a, b) or a in institution_ends:
                continue
            value = parse_number(m.group("a"))
            value_max = parse_number(m.group("b")) if m.group("b") else None
            if value is None or (m.group("b") and value_max is None):
                continue
            if conf.status_re.search(text, _clause_start(text, a, ma), a):
                continue  # 目前全市共有…12所: the present state, not a target
            unit = m.group("unit")
            measure_word = conf.after_ge_re.match(text, b) if unit == "个" else None
            if measure_word:  # 16个学时, 6个学分: 个 is a classifier, the unit follows it
                unit = measure_word.group()
                b += len(unit)
            clause = _clause_start(text, a, ma)
            comparator: Comparator = "="
            from_prefix = False
            if previous and previous.end > clause:  # X所…和Y个: nearest number bounds lookback
                clause_floor = previous.end
            else:
                clause_floor = clause
            hits = list(conf.before_re.finditer(text, clause_floor, a))
            if hits:
                comparator, from_prefix = conf.before[hits[-1].group()], True
            elif (
                previous
                and previous.end > clause
                and previous.from_prefix
                and re.fullmatch(r"[^,，;；。]*?(?:和|及|与|或|以及)[^,，;；。]*", text[previous.end : a])
            ):
                comparator, from_prefix = previous.comparator, True
            tail = conf.after_re.match(text, b)
            end = b
            if tail:
                comparator = conf.after[tail.group(1)] if comparator in ("=", "~") or tail.group(1) != "以上" else ">="
                end = tail.end()
            if m.group("more") and comparator == "=":
                comparator = ">"  # 100余人, 20多家: more than the number
            if value_max is not None:
                comparator = "range"
            if unit in conf.weak_units and comparator == "=":
                continue
            previous = _Found(a, end, comparator, from_prefix)
            year = _year(ctx, a, ma, conf) or frame_year
            clause_end = end
            while clause_end < mb and text[clause_end] not in _CLAUSE_STOP:
                clause_end += 1
            subject = _subject(text, clause, a, end, clause_end)
            mention = ctx.mention(
                "indicator",
                clause,
                end,
                name=ctx.original(clause, end).strip(),
                value=as_number(value),
                value_max=None if value_max is None else as_number(value_max),
                unit=unit,
                comparator=comparator,
                year=year,
                text=ctx.original(clause, end).strip(),
                subject=subject,
                value_span=ctx.view.to_original(a, b).to_json(),
            )
            mention.measure = measure.key
            out.append(mention)
    return out


_LEAD_VERBS = re.compile(
    r"^(?:全[省市区县]|各地|每个[^,，]{0,6}?)?(?:要)?(?:力争|确保|推动|努力|争取|重点|统筹规划|集中力量)?(?:建设|建成|打造|创建|培育|"
    r"申报|开发建设|开发|修订开发|建好办好|办好|筹建|共建|引进|设立|组建|认定|遴选)"
)


def _subject(text: str, clause: int, a: int, end: int, clause_end: int) -> str:
    """What is measured: the noun after ``N个`` or the words before the number."""
    before = text[clause:a].strip()
    after = text[end:clause_end].strip()
    before_core = re.sub(
        r"(?:不得低于|不低于|不少于|不得少于|至少|不超过|不得超过|超过|低于|少于|达到|"
        r"提升至|提高到|约|大体|占|为|的)+$",
        "",
        before,
    ).strip()
    if after and (not before_core or _LEAD_VERBS.match(before_core)):
        return re.sub(r"^的", "", after)
    return before_core or after
