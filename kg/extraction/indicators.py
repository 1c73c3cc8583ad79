"""Quantitative targets and norms (docs/annotation.md §8): value, range, unit, comparator, year.

A number (Arabic, full-width, or Chinese: ``一所`` → 1) followed by a unit from
``kg/data/indicators.yaml`` is a candidate; ranges (``1.5%—2.5%``, ``3—5个``, in words
``一两项``, ``两到三年``) give value and value_max. Numbers as people write them count too:
``百支``, ``万个``, ``百分之一点五``, ``一半以上`` (50 %), ``超过三分之一`` (> 33.33 %),
``三年以上`` and ``不少于半年`` (bounded durations). Numbers inside names (``1+X``, ``5G``,
``2.0``), titles, dates, years and the counted parts of a slogan (``实现三个对接``) are
skipped. A number in the lead of a unit whose items are the measures (``第三十三条 有下列
情形之一的，…并处二千元以上二万元以下的罚款：（一）…``) is recorded under the unit's own key
(``5.33``; :attr:`DocContext.outside`); one elsewhere outside the outline is warned about,
not dropped in silence. The comparator comes from the nearest word before the number in its clause or
the word after the unit; the year from the last deadline phrase before it in its sentence,
else from a deadline that opens its paragraph or its measure (``到2025年，…。新增…``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from kg.core.lexicon import alternation, load_yaml
from kg.core.model import Comparator, Measure, Mention
from kg.core.numerals import as_number, parse_number, share_of, word_range
from kg.core.regions import DIVISION_ALIAS
from kg.extraction.context import DocContext

_CN_NUM = "一二两三四五六七八九十百千万"
_ROUND = "百千万"
_OUTLINE_NUMBER_RE = re.compile(
    r"[ \t]*(?:第[一二三四五六七八九十百零〇\d]+条|\(?[一二三四五六七八九十\d]+[)、.])[ \t]*"
)
_BULLETS = "—－-–●•·▪■◆ \t"  # unnumbered bullets (——, ●) before a clause
_NAMED_AFTER_RE = re.compile(r"计划|工程|行动|项目|活动|大会")
_CLAUSE_STOP = ",，;；。:：、!?！？\n"
_SENTENCE_STOP = "。!?！？\n"


class _Conf(NamedTuple):
    regex: re.Pattern
    words_re: re.Pattern
    cn_units: frozenset
    weak_units: frozenset
    before: dict[str, Comparator]
    before_re: re.Pattern
    after_re: re.Pattern
    after: dict[str, Comparator]
    deadline_re: re.Pattern
    periods: dict
    status_re: re.Pattern
    target_words_re: re.Pattern
    frequency_units: frozenset
    frequency_re: re.Pattern
    after_ge_re: re.Pattern
    duration_units: frozenset
    duration_before_re: re.Pattern
    duration_after_re: re.Pattern
    spelled_units: frozenset
    ratio_units: frozenset
    baseline_after_re: re.Pattern
    frame_after_re: re.Pattern
    share_words: dict[str, str]  # 百分之 → %, 千分之 → ‰: the unit a share in words is written in
    share_before_re: re.Pattern
    share_after_re: re.Pattern
    halves_re: re.Pattern
    count_verbs_re: re.Pattern
    opening_first: frozenset  # what a deadline opening a text starts with (到, 2025, “, 十四五)
    restated_as_re: re.Pattern  # 按 in 不足一万元的，按一万元计算
    restated_after_re: re.Pattern  # 计算 after it
    restated_bound: dict[str, Comparator]  # the threshold's comparator → the norm's (< → >=)
    deadline_units: frozenset  # 日, 天, 工作日: 内 alone bounds them (十五日内)
    deadline_after_re: re.Pattern
    deadline_back_re: re.Pattern  # 考试前 before 六十日: a time counted back from an event
    duration_norm_re: re.Pattern  # 学制一般为 before a duration: a norm without a bound


@lru_cache(maxsize=1)
def _conf() -> _Conf:
    data = load_yaml("indicators.yaml")
    units = alternation(data["units"])
    # 一点五倍, 零点三平方米: a decimal in words (the digits after 点 are read one by one).
    # 一百零五, 一千零二十: a 零 after a magnitude (a year's 二零二五 has none before its 零).
    num = rf"\d+(?:\.\d+)?|[{_CN_NUM}]+(?:(?<=[百千万])零[{_CN_NUM}]+)*(?:点[{_CN_NUM}零〇]+)?|零点[{_CN_NUM}零〇]+"
    regex = re.compile(
        rf"(?P<a>{num})(?P<ua>[%‰])?(?:[ \t]*(?:[—–~～]+|-{{1,2}}|至|到)[ \t]*(?P<b>{num}))?"
        rf"(?P<more>余|多)?[ \t]*(?P<unit>{units})"
    )
    # Shares written in words: 百分之一点五, 百分之二十至百分之三十, 千分之五 (per mille, as
    # written: 5 ‰), 一半以上, 三分之二以上, 过半.
    cn_decimal = rf"[{_CN_NUM}零〇点]+"
    per = alternation(data["share_words"])
    words_re = re.compile(
        rf"(?P<per>{per})(?P<a>{cn_decimal})(?:(?:至|到|—+|-)(?:(?P=per))?(?P<b>{cn_decimal}))?"
        r"|(?P<half>一半|半数|(?<!超)过半(?!数))"
        r"|(?P<den>[一二三四五六七八九十千万]+)分之(?P<num>[一二三四五六七八九])(?![十百千万])"
    )
    # Halves of a duration: 半年, 半个月, 一年半, 两个半月, 一个半小时.
    half_units = alternation(data["half_units"])
    halves_re = re.compile(
        rf"半(?P<u1>{half_units})|(?P<w>\d+|[{_CN_NUM}]+)(?:(?P<u2>年|天|小时)半|个半(?P<u3>月|小时))"
    )
    before = data["before"]
    after = data["after"]
    return _Conf(
        regex,
        words_re,
        frozenset(data["chinese_numeral_units"]),
        frozenset(data["weak_units"]),
        before,
        re.compile(alternation(before)),
        re.compile("(" + alternation(after) + ")"),
        after,
        re.compile(data["deadline"]),
        data["plan_periods"],
        re.compile(data["status_markers"]),
        re.compile(data["list_target_words"]),
        frozenset(data["frequency_units"]),
        re.compile(data["frequency_frame"]),
        re.compile("|".join(sorted(data["after_ge"], key=len, reverse=True))),
        frozenset(data["chinese_duration_units"]),
        re.compile(f"(?:{data['duration_bound_before']})$"),
        re.compile(data["duration_bound_after"]),
        frozenset(data["spelled_units"]),
        frozenset(data["ratio_units"]),
        re.compile(data["baseline_after"]),
        re.compile(data["frame_after"]),
        data["share_words"],
        re.compile(f"(?:{data['share_bound_before']})$"),
        re.compile(data["share_bound_after"]),
        halves_re,
        re.compile(data["count_target_verbs"]),
        frozenset('到至截力于在“"0123456789' + "".join(name[0] for name in data["plan_periods"])),
        re.compile(f"(?:{data['restated_as']})$"),
        re.compile(data["restated_after"]),
        data["restated_bound"],
        frozenset(data["deadline_units"]),
        re.compile(data["deadline_after"]),
        re.compile(data["deadline_back"]),
        re.compile(f"(?:{data['duration_norm']})$"),
    )


def _after_last(text: str, stops: str, floor: int, pos: int) -> int:
    """Where the run before ``pos`` without any of ``stops`` starts (not before ``floor``):
    one search per stop character rather than a step per character."""
    if pos <= floor:
        return pos
    return max(floor, *(text.rfind(ch, floor, pos) + 1 for ch in stops))


def _clause_start(text: str, pos: int, floor: int) -> int:
    i = pos
    while i > floor and (
        text[i - 1] not in _CLAUSE_STOP
        or (text[i - 1] == "、" and _ALIAS_OPEN_RE.search(text, max(floor, i - 9), i - 1))
    ):
        i -= 1
    return i


# 、 inside a division alias (县(市、区), 县(市、区、旗)): part of the clause, not its start.
_ALIAS_OPEN_RE = re.compile(DIVISION_ALIAS.removesuffix(r"\)") + "$")  # the alias still open


_LIST_STOP = ",，;；。:：!?！？\n"


def _list_status(text: str, pos: int, floor: int, conf: _Conf) -> bool:
    """A status marker that opens an enumeration (A、B、C) covers its later items too,
    unless a target word comes between it and the number."""
    i = _after_last(text, _LIST_STOP, floor, pos)
    marks = list(conf.status_re.finditer(text, i, pos))
    return (
        bool(marks)
        and "、" in text[marks[-1].end() : pos]
        and not conf.target_words_re.search(text, marks[-1].end(), pos)
    )


def _deadline_year(m: re.Match) -> int:
    """The year a deadline match names (the deadline pattern has one group per form)."""
    return int(next(g for g in m.groups() if g))


def _frame_year(ctx: DocContext, measure: Measure, conf: _Conf) -> int | None:
    """Year of a deadline that opens the measure's text (``目标。到2025年，…``): it frames
    every sentence of the measure, not only its own."""
    a, b = ctx.view.to_view(measure.heading)
    _, body_b = ctx.view.to_view(measure.body)
    pos = b
    while pos < body_b and ctx.text[pos] in "。 \t\n":
        pos += 1
    return _opening_year(ctx.text, pos, conf) or _opening_year(ctx.text, a, conf)


def _opening_year(text: str, pos: int, conf: _Conf) -> int | None:
    """Year of a deadline that opens the text at ``pos`` (``到2025年，``, ``到“十四五”末，``)."""
    if text[pos : pos + 1] not in conf.opening_first:
        return None
    opening = text[pos : pos + 16]
    m = conf.deadline_re.match(opening)
    if m:
        return _deadline_year(m)
    opening = opening.removeprefix("力争").lstrip("到至在")
    for name, year in conf.periods.items():
        if opening.lstrip('“"').startswith(name):
            return year
    return None


def _paragraph_year(text: str, pos: int, floor: int, conf: _Conf) -> int | None:
    """Year of a deadline that opens the paragraph of ``pos`` (``到2025年，建成…。新增…。``):
    it frames the paragraph's later sentences too. A deadline opening a later sentence
    (``…。到2019年底要配齐…。``) frames only its own sentence."""
    i = max(floor, text.rfind("\n", floor, pos) + 1)
    while i < pos and text[i] in " \t\u3000":
        i += 1
    number = _OUTLINE_NUMBER_RE.match(text, i, pos)
    if number:  # （一）到2025年，…
        i = number.end()
    return _opening_year(text, i, conf) if i < pos else None


def _year(ctx: DocContext, pos: int, floor: int, conf: _Conf) -> int | None:
    text = ctx.text
    start = _after_last(text, _SENTENCE_STOP, floor, pos)
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
    if unit == "日" and prev == "月":  # 8月1日, 十月一日: a date's day, not a time limit
        return True
    # 标准的十倍: a ratio is written after 的 (its base); elsewhere 的一项 is no count.
    ordinal_prev = "第每其之这那哪几" if unit in conf.ratio_units else "第每其之这那哪几的"
    if raw[0] in _CN_NUM or raw.startswith("零点"):
        if m.group("b") or word_range(raw):  # 一至两项, 两到三年, 一两项: ranges in words
            return prev in ordinal_prev or prev in _CN_NUM or prev in "零〇"  # not 二零二三年's 二三年
        if raw in _ROUND:  # 百支, 千支, 万个: a round count, not 一百 spelled out
            return (
                prev in "数几第每"
                or prev in _CN_NUM
                or text[b : b + 1] in _CN_NUM
                or bool(_NAMED_AFTER_RE.match(text, b))  # 千人计划, 万人工程: a scheme's name
            )
        frequency = (
            unit in conf.frequency_units
            and nxt != "性"
            and conf.frequency_re.search(text, _clause_start(text, a, max(0, a - 40)), a)
        )
        bounded = unit in conf.duration_units and (
            conf.duration_after_re.match(text, b)
            or conf.duration_before_re.search(text, max(0, a - 4), a)
            or (unit in conf.deadline_units and conf.deadline_after_re.match(text, b))  # 十五日内
            or _counted_back(text, a, unit, conf)  # 考试前六十日
            or _normative_duration(text, max(0, a - 12), a, conf)  # 学制一般为三年
        )
        spelled = unit in conf.spelled_units and (
            (len(raw) >= 2 and re.search("[十百千万亿]", raw) and not word_range(raw))
            or conf.duration_before_re.search(text, max(0, a - 4), a)
        )
        decimal = "点" in raw  # 零点三平方米: a decimal in words is spelled out, never an idiom
        if (
            (unit not in conf.cn_units and not frequency and not bounded and not spelled and not decimal)
            or prev in ordinal_prev
            or prev in _CN_NUM
        ):
            return True
        if text[b : b + 1] and text[b] in _CN_NUM:  # 一校一品, 一专业一品牌: slogans
            return True
        if conf.frame_after_re.match(text, b):  # 一个周期内, 四项基本原则: a frame or a slogan
            return True
    return unit == "年" and (len(raw) == 4 or text[b : b + 1] in "级度")


def _counted_back(text: str, a: int, unit: str, conf: _Conf) -> bool:
    """A time in days counted back from an event (``考试前六十日``, ``提前三十日``)."""
    return a > 0 and unit in conf.deadline_units and bool(conf.deadline_back_re.match(text, a - 1))


def _normative_duration(text: str, floor: int, a: int, conf: _Conf) -> bool:
    """A duration a head of length sets (``学制一般为三年``, ``任期为5年``, ``有效期为两年``):
    a norm with no bound. ``用3年时间``, ``近五年来``, ``三年行动计划`` have no such head."""
    return bool(conf.duration_norm_re.search(text, floor, a))


class _Number(NamedTuple):
    """One number in the text: where it is, its value (and high end) and its unit."""

    start: int
    end: int
    value: float
    value_max: float | None
    unit: str
    more: bool  # 100余人, 20多家


def _numbers(text: str, a: int, b: int, conf: _Conf, skip_ends: frozenset) -> list[_Number]:
    """Numbers with a unit in ``text[a:b]``, digits and words, in reading order."""
    out: list[_Number] = []
    halves = _halves(text, a, b, conf)
    half_starts = {h.start for h in halves}
    for m in conf.regex.finditer(text, a, b):
        start, end = m.start(), m.end()
        if _skip_number(text, start, end, m, conf) or start in skip_ends or start in half_starts:
            continue
        raw = m.group("a")
        unit = m.group("unit")
        if raw[-1] in "万亿" and len(raw) >= 2 and raw[0] in _CN_NUM and "万" + unit in conf.spelled_units:
            raw, unit = raw[:-1], raw[-1] + unit  # 两千万元, 三万人: the unit as written with digits
        pair = None if m.group("b") else word_range(raw)
        value: float | None
        value_max: float | None
        if pair:
            value, value_max = float(pair[0]), float(pair[1])
        else:
            value = parse_number(raw)
            value_max = parse_number(m.group("b")) if m.group("b") else None
        if value is None or (m.group("b") and value_max is None):
            continue
        out.append(_Number(start, end, value, value_max, unit, bool(m.group("more"))))
    out.extend(halves)
    if text.find("分之", a, b) < 0 and text.find("半", a, b) < 0:  # no share in words here
        return _joined_ranges(text, sorted(out))
    for m in conf.words_re.finditer(text, a, b):
        if m.group("half") or m.group("den"):
            if not _bounded_share(text, m, conf):
                continue
            share = 50.0 if m.group("half") else share_of(m.group("den"), m.group("num"))
            if share is not None:  # 过半: more than half
                out.append(_Number(m.start(), m.end(), share, None, "%", m.group("half") == "过半"))
            continue
        share = parse_number(m.group("a"))
        share_max = parse_number(m.group("b")) if m.group("b") else None
        if share is not None and (share_max is not None or not m.group("b")):
            out.append(_Number(m.start(), m.end(), share, share_max, conf.share_words[m.group("per")], False))
    return _joined_ranges(text, sorted(out))


def _bounded_share(text: str, m: re.Match, conf: _Conf) -> bool:
    """A share in words (一半, 三分之二) is a target only when bounded: 过半 itself, a bound
    after it (一半以上) or a comparator right before it (超过三分之一); 一半时间 is no share."""
    return (
        m.group("half") == "过半"
        or bool(conf.share_after_re.match(text, m.end()))
        or bool(conf.share_before_re.search(text, max(0, m.start() - 4), m.start()))
    )


def _halves(text: str, a: int, b: int, conf: _Conf) -> list[_Number]:
    """Durations with a half (不少于半年, 一年半以上, 两个半月): like every duration in
    words, a norm only with a bound before or after it."""
    out: list[_Number] = []
    if text.find("半", a, b) < 0:
        return out
    for m in conf.halves_re.finditer(text, a, b):
        start, end = m.start(), m.end()
        prev = text[start - 1] if start > 0 else ""
        if prev in "每上下前后第" or prev in _CN_NUM or (prev.isascii() and prev.isalnum()):
            continue  # 每半年一次, 上半年: a period, not a length
        if not (
            conf.duration_after_re.match(text, end) or conf.duration_before_re.search(text, max(0, start - 4), start)
        ):
            continue
        if m.group("u1"):
            value, unit = 0.5, m.group("u1")
        else:
            whole = parse_number(m.group("w"))
            if whole is None:
                continue
            value, unit = whole + 0.5, m.group("u2") or ("个月" if m.group("u3") == "月" else "小时")
        out.append(_Number(start, end, value, None, unit, False))
    return out


_RANGE_JOIN_RE = re.compile(r"[ \t]*(?:至|到|[—–~～]+|-{1,2})[ \t]*")
_BOUNDS_JOIN_RE = re.compile(r"及?以上")  # 一万元以上五万元以下: the bounds of one range
_UPPER_RE = re.compile(r"及?以下|以内")


def _joined_ranges(text: str, numbers: list[_Number]) -> list[_Number]:
    """``4000元至6000元``, ``四千元至六千元``, ``一万元以上五万元以下``: two numbers of one unit
    joined by a range word, or a lower and an upper bound, are one range."""
    out: list[_Number] = []
    for num in numbers:
        last = out[-1] if out else None
        same = num
        if last and last.unit + num.unit == "元万元":  # 三千元以上一万元以下: both in 元
            same = num._replace(value=num.value * 10000, unit="元")
        if (
            last
            and last.value_max is None
            and num.value_max is None
            and last.unit == same.unit
            and (
                _RANGE_JOIN_RE.fullmatch(text, last.end, num.start)
                or (_BOUNDS_JOIN_RE.fullmatch(text, last.end, num.start) and _UPPER_RE.match(text, num.end))
            )
        ):
            out[-1] = _Number(last.start, num.end, last.value, same.value, same.unit, num.more)
            continue
        out.append(num)
    return out


class _Found(NamedTuple):
    start: int
    end: int
    comparator: Comparator
    from_prefix: bool
    clause: int = 0  # where its clause starts
    value: float = 0.0
    unit: str = ""
    fixed: bool = False  # a single value (not a range)


def _restated(text: str, previous: _Found | None, clause: int, a: int, end: int, num: _Number, conf: _Conf) -> int:
    """End of ``按N计算`` when the number at ``a`` restates the threshold just before it as
    the value to use (``违法所得不足一万元的，按一万元计算``): one stated value, not two.
    0 when it does not."""
    if (
        previous is None
        or not previous.fixed
        or num.value_max is not None
        or previous.comparator not in conf.restated_bound
        or (previous.value, previous.unit) != (num.value, num.unit)
        or not re.fullmatch(r"的?[ \t]*[,，]", text[previous.end : clause])
        or not conf.restated_as_re.fullmatch(text, clause, a)
    ):
        return 0
    m = conf.restated_after_re.match(text, end)
    return m.end() if m else 0


_TASK_VERB_RE = re.compile(r"夯实|筑牢|打牢|巩固|加强|强化|完善|提升|优化|改善|改变|扭转")
_PART_LINE_RE = re.compile(r"^[ \t]*[一二三四五六七八九十]{1,3}、[^\n]*", re.M)
_SECTION_LINE_RE = re.compile(r"^[ \t]*\([一二三四五六七八九十]{1,3}\)[^\n]*", re.M)


def _background_ranges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """View ranges of the outline units (a part 一、 or a section (一)) whose heading, on a
    line of its own, names the state reviewed (``kg/data/indicators.yaml``
    background_headings), each up to the next heading of its level or above. A measure
    that opens with such a word and goes on (``（一）发展基础。目前…到2025年建成…``) is no
    review: its targets count."""
    heading_re = re.compile(r"(?:" + load_yaml("indicators.yaml")["background_headings"] + r")\s*$")
    parts = [m for m in _PART_LINE_RE.finditer(text, start, end)]
    sections = [m for m in _SECTION_LINE_RE.finditer(text, start, end)]
    out = []
    for m in parts + sections:
        title = re.sub(r"^[ \t]*(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\))", "", m.group())
        title = title.strip().rstrip("。").strip()
        if "。" in title or len(title) > 24 or not heading_re.search(title) or _TASK_VERB_RE.match(title):
            continue  # 夯实发展基础, 改善发展现状: a task, not a review
        closers = parts if m in parts else parts + sections
        nxt = min((c.start() for c in closers if c.start() > m.start()), default=end)
        out.append((m.start(), nxt))
    return out


def find_indicators(ctx: DocContext, institution_ends: frozenset = frozenset()) -> list[Mention]:
    conf = _conf()
    text = ctx.text
    out: list[Mention] = []
    units: list[tuple[int, int, str | None, int | None]] = [
        (ma, mb, measure.key, _frame_year(ctx, measure, conf)) for ma, mb, measure in ctx.measures()
    ]
    units.extend((a, b, key, None) for a, b, key in ctx.outside)  # leads of units with items
    background = _background_ranges(text, ctx.body_start, ctx.body_end)
    for ma, mb, key, frame_year in sorted(units, key=lambda u: u[0]):
        if any(ra <= ma < rb for ra, rb in background):
            continue  # 一、规划背景 / (一)…发展现状: the state reviewed, no target set
        previous: _Found | None = None
        numbers = _numbers(text, ma, mb, conf, institution_ends)
        for index, num in enumerate(numbers):
            a, b = num.start, num.end
            if ctx.in_title(a, b):
                continue
            value, value_max = num.value, num.value_max
            cs = _clause_start(text, a, ma)
            if conf.status_re.search(text, cs, a):
                continue  # 目前全市共有…12所: the present state, not a target
            if text[cs - 1 : cs] == "、" and _list_status(text, a, ma, conf):
                continue  # 发挥2所…、10所…的作用: the status opens the whole list
            if _baseline(text, cs, a, b, mb, conf):
                continue  # 以…7600多名持证残疾人为主要对象: whom the policy serves, not a target
            unit = num.unit
            measure_word = conf.after_ge_re.match(text, b) if unit == "个" else None
            if measure_word:  # 16个学时, 6个学分: 个 is a classifier, the unit follows it
                unit = measure_word.group()
                b += len(unit)
            clause = _clause_start(text, a, ma)
            number = _OUTLINE_NUMBER_RE.match(text, clause, a)
            if number:  # 第四十四条 企业按照…: the article's number is not the clause
                clause = number.end()
            while clause < a and text[clause] in _BULLETS:  # ——新建…: the bullet is no text
                clause += 1
            comparator: Comparator = "="
            from_prefix = False
            if previous and previous.end > clause:  # X所…和Y个: nearest number bounds lookback
                clause_floor = previous.end
            else:
                clause_floor = clause
            # 每超过一人五百元: 超过 after 每 bounds the base of a rate (一人, no indicator), not
            # its value (五百元, stated as is)
            hits = list(conf.before_re.finditer(text, clause_floor, a))
            if hits and hits[-1].end() == a and text[hits[-1].start() - 1 : hits[-1].start()] == "每":
                continue
            hits = [h for h in hits if text[h.start() - 1 : h.start()] != "每"]
            if hits:
                comparator, from_prefix = conf.before[hits[-1].group()], True
            elif _counted_back(text, a, unit, conf):
                comparator = ">="  # 考试前六十日公告: at least that long before the event
            elif (
                previous
                and previous.end > clause
                and previous.from_prefix
                and re.fullmatch(r"[^,，;；。]*?(?:和|及|与|或|以及)[^,，;；。]*", text[previous.end : a])
            ):
                comparator, from_prefix = previous.comparator, True
            tail = conf.after_re.match(text, b)
            end = b
            shared = None if tail or comparator != "=" else _shared_tail(text, end, numbers[index + 1 :], unit, conf)
            if shared:  # 女性四十周岁、男性五十周岁以上: the bound after the list covers each item
                comparator = conf.after[shared]
            if tail:
                comparator = conf.after[tail.group(1)] if comparator in ("=", "~") or tail.group(1) != "以上" else ">="
                end = tail.end()
            if num.more and comparator == "=":
                comparator = ">"  # 100余人, 20多家: more than the number
            if value_max is not None:
                comparator = "range"
            if (
                unit in conf.weak_units
                and comparator == "="
                and text[a - 2 : a] != "连续"
                and not (unit in conf.duration_units and _normative_duration(text, max(ma, a - 12), a, conf))
            ):
                continue  # 三年行动计划 is a period; 连续两年 a count of years; 学制为三年 a norm
            if _slogan_count(text, clause_floor, a, num, unit, comparator, conf):
                continue  # 实现三个对接, 把好两个关口: the parts of a slogan, not a target
            restated = _restated(text, previous, clause, a, end, num, conf)
            if restated and previous is not None and out:
                # 不足一万元的，按一万元计算: one norm, a floor (a cap after 超过), its text both clauses
                first = out[-1]
                first.attrs["comparator"] = conf.restated_bound[previous.comparator]
                first.name = first.attrs["text"] = ctx.original(previous.clause, restated).strip()
                first.span = ctx.view.to_original(previous.clause, restated)
                previous = previous._replace(end=restated, fixed=False)
                continue
            clause_end = end
            while clause_end < mb and text[clause_end] not in _CLAUSE_STOP:
                clause_end += 1
            previous = _Found(a, end, comparator, from_prefix, clause, value, unit, value_max is None)
            year = _year(ctx, a, ma, conf) or _paragraph_year(text, a, ma, conf) or frame_year
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
            if key is None:  # outside the outline (a preamble): no measure to state it
                ctx.warn(a, f"number outside any measure not recorded as an indicator: {mention.name}")
                continue
            mention.measure = key
            out.append(mention)
    return out


_LIST_ITEM_GAP = 8  # characters between a list's number and the next one's (、男性)


def _shared_tail(text: str, end: int, later: list[_Number], unit: str, conf: _Conf) -> str | None:
    """The bound after the last number of a short list (``女性四十周岁、男性五十周岁以上``)
    when the number ending at ``end`` is an earlier item of it: the next number follows
    after 、 and a few words, in the same unit, and carries the bound."""
    if not later or text[end : end + 1] != "、":
        return None
    nxt = later[0]
    gap = text[end + 1 : nxt.start]
    if (
        nxt.unit != unit
        or nxt.value_max is not None
        or len(gap) > _LIST_ITEM_GAP
        or any(ch in _CLAUSE_STOP for ch in gap)
    ):
        return None
    tail = conf.after_re.match(text, nxt.end)
    return tail.group(1) if tail and tail.group(1) != "内" else None


def _slogan_count(text: str, floor: int, a: int, num: _Number, unit: str, comparator: Comparator, conf: _Conf) -> bool:
    """A plain count in words with 个 (三个对接) that no verb of setting up (建成, 配备…)
    precedes in its clause: the parts of a slogan or a formula."""
    return (
        unit == "个"
        and comparator == "="
        and num.value_max is None
        and text[a] in _CN_NUM
        and not conf.count_verbs_re.search(text, floor, a)
    )


def _baseline(text: str, cs: int, a: int, b: int, mb: int, conf: _Conf) -> bool:
    """A number that counts the population a policy serves (以…N名…为主要对象)."""
    ce = b
    while ce < mb and ce - b < 30 and text[ce] not in _CLAUSE_STOP:
        ce += 1
    return bool(conf.baseline_after_re.search(text, b, ce)) and not conf.target_words_re.search(text, cs, a)


_LEAD_VERBS = re.compile(
    r"^(?:全[省市区县]|各地|每个[^,，]{0,6}?)?(?:要)?(?:力争|确保|推动|努力|争取|重点|统筹规划|集中力量)?(?:建设|建成|打造|创建|培育|"
    r"申报|开发建设|开发|修订开发|建好办好|办好|筹建|共建|引进|设立|组建|认定|遴选|建立|实施|开展|举办|扶持|资助|"
    r"培训|新增|新建|有)"
)


_COMPARATOR_TAIL_RE = re.compile(
    r"(?:不得低于|不低于|不少于|不得少于|至少|不超过|不得超过|超过|低于|少于|不足|不满|未年满|未满|年满|已满|未达到|达到|提升至|提高到|约|大体|"
    r"占|为|的)+$"
)
_SANCTION_LEAD_RE = re.compile(r"^(?:并处|处以)")  # 并处违法所得一倍以上…的罚款: the verb is no subject


def _subject(text: str, clause: int, a: int, end: int, clause_end: int) -> str:
    """What is measured: the noun after ``N个`` or the words before the number."""
    before = text[clause:a].strip()
    after = text[end:clause_end].strip()
    before_core = _SANCTION_LEAD_RE.sub("", _COMPARATOR_TAIL_RE.sub("", before).strip())
    if after and (not before_core or _LEAD_VERBS.match(before_core)):
        return after.removeprefix("的")
    return before_core or after
