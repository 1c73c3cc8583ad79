"""Named policy instruments: plans, projects, actions, regimes, pilots, campaigns,
brands and strategies (docs/annotation.md §5).

Three sources, all configured in ``kg/data``:

- quoted names judged by what follows the closing quote (“三教”改革, “职教高考”制度,
  “洹泉涌流”人才聚集计划) or by their shape (“文化素质+职业技能”);
- unquoted names ending with a scheme head (…建设工程, …行动计划, …试点, titles such as
  …示范县 or …精品课程), whose start is the verb or punctuation before them, and regimes
  a verb sets up (建立…评价制度, 推行A、B并重制度);
- national strategies and schemes from ``programs_lexicon.tsv`` (一带一路, 现代学徒制).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from kg.core.lexicon import alternation, load_tsv, load_yaml
from kg.core.model import Mention
from kg.core.regions import gazetteer, place_length_at
from kg.extraction.context import DocContext, Ranges, Unnested, after_outline_mark, scan_left
from kg.extraction.institutions import alias_declarations, alias_uses
from kg.extraction.institutions import kind_of as institution_kind

_QUOTED_RE = re.compile(r"“([^“”\n]{2,40})”")
_NAME_CHARS = r"[\u4e00-\u9fa5A-Za-z0-9+·()\-.]"
_HARD = frozenset(',，。;；:：、“”"《》!?！？\n\t【】[] ')


class _Conf(NamedTuple):
    head_re: re.Pattern
    heads: dict
    all_heads_re: re.Pattern
    all_heads: dict
    contest_re: re.Pattern
    contest_start_re: re.Pattern
    continues_re: re.Pattern
    level_re: re.Pattern
    short_quote_re: re.Pattern
    project_re: re.Pattern
    immediate_re: re.Pattern
    delayed_re: re.Pattern
    not_quoted_re: re.Pattern
    plus_re: re.Pattern
    boundary_re: re.Pattern
    generic: frozenset
    lexicon: dict
    campaign_re: re.Pattern
    regime_re: re.Pattern
    generic_regime_re: re.Pattern
    noise_re: re.Pattern
    generic_end_re: re.Pattern
    designation_re: re.Pattern
    founded_heads: frozenset
    founding_re: re.Pattern
    title_alias_re: re.Pattern
    owner_re: re.Pattern
    between_re: re.Pattern
    relational_re: re.Pattern
    code_re: re.Pattern
    code_tail_re: re.Pattern
    plus_tail_re: re.Pattern
    pilot_area_re: re.Pattern
    counted_re: re.Pattern
    counted_end_re: re.Pattern
    counted_name_re: re.Pattern
    counted_words_re: re.Pattern
    counted_plain_re: re.Pattern
    class_items_re: re.Pattern
    title_only_heads: frozenset
    title_verbs_re: re.Pattern
    relational_object_re: re.Pattern
    recurring_re: re.Pattern
    recurring_heads: dict
    recurring_markers_re: re.Pattern
    verb_lead_re: re.Pattern
    generic_modifiers_re: re.Pattern
    not_name_starts_re: re.Pattern
    drawn_up_re: re.Pattern
    drawn_up_heads: frozenset
    composed_regime_re: re.Pattern
    entry_regime_re: re.Pattern
    nominal_verbs_re: re.Pattern
    alias_lead_re: re.Pattern
    construction_re: re.Pattern
    class_fields: frozenset
    conferred_heads: dict
    listed_regime_verbs_re: re.Pattern
    listed_regime_joins_re: re.Pattern
    led_regime_re: re.Pattern
    strategy_leads_re: re.Pattern
    strategy_item_re: re.Pattern
    strategy_joins_re: re.Pattern
    served_scope_re: re.Pattern
    clause_regime_re: re.Pattern
    regime_modifier_re: re.Pattern
    regional_variant_re: re.Pattern
    governed_regime_re: re.Pattern
    governing_subject_re: re.Pattern
    listed_sibling_re: re.Pattern
    shared_head_re: re.Pattern
    award_re: re.Pattern
    qualified_regime_re: re.Pattern
    designated_period_re: re.Pattern
    generic_short_regime_re: re.Pattern
    paired_certificates_re: re.Pattern
    coordinated_short_re: re.Pattern
    framework_tail_re: re.Pattern
    conferred_res: tuple[re.Pattern, ...]
    conferred_levels_re: re.Pattern
    act_regime_re: re.Pattern
    national_regime_re: re.Pattern
    conferred_head_end_re: re.Pattern
    conferred_prefix_re: re.Pattern


@lru_cache(maxsize=1)
def _conf() -> _Conf:
    data = load_yaml("programs.yaml")
    heads = data["heads"]
    all_heads = {**data["quoted_only_heads"], **heads}
    boundaries = re.sub(r"\s+", "", data["boundaries"])
    lexicon = {r["name"]: r["kind"] for r in load_tsv("programs_lexicon.tsv")}
    regime = data["regime"].replace("{short_regime}", data["short_regime"])

    return _Conf(
        re.compile(alternation(heads)),
        heads,
        re.compile(f"(?:{alternation(all_heads)})$"),
        all_heads,
        re.compile(data["contest_heads"]),
        re.compile(data["contest_starts"]),
        re.compile(data["head_continues"]),
        re.compile(data["level_prefix"]),
        re.compile(data["short_quote_heads"]),
        re.compile(data["project_markers"]),
        re.compile(data["quote_heads_immediate"]),
        re.compile(data["quote_heads_delayed"]),
        re.compile(data["not_quoted"]),
        re.compile(data["plus_list"]),
        re.compile(f"(?:{boundaries})"),
        frozenset(data["generic_names"]),
        lexicon,
        re.compile(data["campaign_head"]),
        re.compile(f"(?P<verb>{data['regime_verbs']})" + data["regime_scope"] + data["regime_clause"] + regime),
        re.compile(data["generic_regimes"]),
        re.compile(data["name_prefix_noise"]),
        re.compile(data["generic_stem_end"]),
        re.compile(data["quote_designations"]),
        frozenset(data["founded_heads"]),
        re.compile(data["founding_verbs"]),
        re.compile(data["title_aliases"]),
        re.compile(data["owner_prefix"]),
        re.compile(data["between_classes"]),
        re.compile(f"(?:{data['regime_verbs']})" + data["relational_regime"]),
        re.compile(data["quoted_code"]),
        re.compile(data["code_tail"] + f"(?:{data['code_heads']})"),
        re.compile(data["code_tail"] + f"(?:{data['plus_code_heads']})"),
        re.compile(data["pilot_area_end"]),
        re.compile(f"(?:{data['counted_title']})$"),
        re.compile(data["counted_title_end"]),
        re.compile(data["counted_name"]),
        re.compile(data["counted_title_words"]),
        re.compile(data["counted_plain_classes"]),
        re.compile(data["class_items"]),
        frozenset(data["title_only_heads"]),
        re.compile(data["title_verbs"]),
        re.compile(data["relational_object"]),
        re.compile(f"(?:{alternation(data['recurring_heads'])})"),
        dict(data["recurring_heads"]),
        re.compile(data["recurring_markers"]),
        re.compile(f"(?:{data['regime_verbs']})|" + data["founding_verbs"].removesuffix("$")),
        re.compile(data["generic_modifiers"]),
        re.compile(data["not_name_starts"]),
        re.compile(data["drawn_up_verbs"]),
        frozenset(data["drawn_up_heads"]),
        re.compile(data["composed_regime"]),
        re.compile(data["entry_regime"]),
        re.compile(data["nominal_verbs"]),
        re.compile(data["alias_lead"]),
        re.compile(data["construction_works"]),
        frozenset(data["class_fields"]),
        {head: re.compile(p) for head, p in data["conferred_heads"].items()},
        re.compile(data["listed_regime_verbs"]),
        re.compile(data["listed_regime_joins"]),
        re.compile(data["led_regime"]),
        re.compile(data["strategy_leads"]),
        re.compile(data["strategy_item"]),
        re.compile(data["strategy_joins"]),
        re.compile(data["served_scope"]),
        re.compile(data["clause_regime"]),
        re.compile(data["regime_modifier"]),
        re.compile(data["regional_variant"]),
        re.compile(data["governed_regime"]),
        re.compile(data["governing_subject"]),
        re.compile(data["listed_sibling_end"]),
        re.compile(data["shared_head_class"]),
        re.compile(data["award"]),
        re.compile(data["qualified_regime"]),
        re.compile(data["designated_period"]),
        re.compile(data["generic_short_regimes"]),
        re.compile(data["paired_certificates"]),
        re.compile(f"(?:和|及|与|以及|、)(?P<name>{data['short_regime']})" + _REGIME_END),
        re.compile(data["framework_code_tail"]),
        tuple(re.compile(p.replace("{heads}", data["conferred_title_heads"])) for p in data["conferred_titles"]),
        re.compile(data["conferred_levels"]),
        re.compile(data["act_regime"]),
        re.compile(data["national_regime"]),
        re.compile(f"(?:{data['conferred_title_heads']})$"),
        re.compile(data["conferred_prefix"]),
    )


def lexicon() -> dict[str, str]:
    """National schemes and strategies by name (also jieba's user dictionary)."""
    return _conf().lexicon


def kind_of(name: str, head: str | None = None) -> str:
    conf = _conf()
    if name in conf.lexicon:
        return conf.lexicon[name]
    if head is None:
        m = conf.all_heads_re.search(name)
        head = m.group() if m else None
    if head in conf.all_heads:
        return conf.all_heads[head]
    if name.endswith("制"):
        return "system"
    return "other"


def _quoted(ctx: DocContext) -> list[tuple[int, int, str]]:
    conf = _conf()
    text = ctx.text
    out = []
    quotes = list(_QUOTED_RE.finditer(text, ctx.body_start, ctx.body_end))
    # “A”“B”项目: adjacent quoted names (a chain) share what follows the last one.
    chains: list[list[re.Match]] = []
    for m in quotes:
        if chains and chains[-1][-1].end() == m.start():
            chains[-1].append(m)
        else:
            chains.append([m])
    chain_of = {id(m): chain for chain in chains for m in chain}
    for m in quotes:
        a, b = m.start(1), m.end(1)
        name = text[a:b].strip()
        chain = chain_of[id(m)]
        last = chain[-1]
        after = text[last.end() : last.end() + 16]
        if conf.not_quoted_re.search(name):
            continue
        if conf.alias_lead_re.search(text, max(ctx.body_start, m.start() - 4), m.start()):
            continue  # (以下简称“行动计划”): the document's short name for a scheme, not another one
        has_head = conf.all_heads_re.search(name)
        immediate = conf.immediate_re.match(after)
        delayed = conf.delayed_re.match(after)
        plus = conf.plus_re.match(name) and _PLUS_RE.search(name)
        clause = _CLAUSE_BREAK_RE.split(after, maxsplit=1)[0]
        if _LISTED_ACTIVITIES_RE.match(clause) and len(name) >= 3:  # “文明风采”、…等活动
            out.append((a, b, "activity"))
            continue
        if "、" in name or "," in name:  # a quoted list is a scheme only with its head right after
            if immediate and immediate.group() in ("活动", "系列活动"):
                out.append((a, b, "activity"))
            elif _SLOGAN_REGIME_RE.match(after) and last is m:
                out.append((a, b, "system"))  # “先甲、后乙”的就业制度: the regime named by its slogan
            continue
        if len(name) <= 2 and not conf.short_quote_re.match(after):
            continue  # “双高”建设 is shorthand; “三教”改革 names the reform
        if (
            delayed
            and conf.class_items_re.match(after)
            and not any(conf.all_heads_re.search(x.group(1)) for x in chain)
        ):
            continue  # “A”“B”等非遗项目: items of a class; “X计划”“Y”等项目 are schemes
        code = conf.code_re.match(name)
        framework = conf.framework_tail_re.match(after) if code and plus and last is m else None
        if framework:  # “4+4+6”现代产业体系: the code and the framework it numbers
            out.append((m.start(), m.end() + framework.end(), "strategy"))
            continue
        if (plus and len(name) <= 3) or (code and not plus):  # “3+2”对口贯通培养试点, “5211”…制度
            tail = (conf.code_tail_re if not plus else conf.plus_tail_re).match(after)
            if tail and last is m:
                head = conf.all_heads_re.search(tail.group())
                kind = kind_of(tail.group(), head.group() if head else None)
                out.append((_qualifier_start(text, m.start(), ctx.body_start), m.end() + tail.end(), kind))
            elif delayed and plus:
                out.append((a, b, "system"))
            continue
        if has_head or (name.endswith("制") and len(name) >= 3):
            out.append((a, b, kind_of(name)))
        elif re.fullmatch(r"[一-龥]{4,12}(?:\d\.\d|20\d\d)", name):
            out.append((a, b, "strategy"))  # “某国工业4.0”, “某国制造2025”: a versioned national strategy
        elif name.endswith("+") and len(name) >= 3 and "+" not in name[:-1]:
            out.append((a, b, "other"))  # “互联网+”: the scheme of adding X to everything
        elif plus:
            out.append((a, b, "system" if re.search(r"制度|评价|考试", after[:6]) else "other"))
        elif immediate:
            word = immediate.group()
            kind = {"改革": "other", "建设": "strategy"}.get(word) or kind_of(word, word)
            out.append((a, b, conf.lexicon.get(name, kind)))
        elif delayed:
            head = conf.all_heads_re.search(delayed.group())
            out.append((a, b, kind_of(delayed.group(), head.group() if head else None)))
        elif conf.designation_re.match(after):  # “快乐校园”示范学校: the title that can be won
            out.append((a, b, "brand"))
        elif re.match(r"[(（][^()（）]{0,6}即", after) and len(name) >= 3:
            out.append((a, b, "other"))  # “三队两组”（三队即…）: a named arrangement, defined
    return out


def _qualifier_start(text: str, quote: int, floor: int) -> int:
    """Start of the qualifier before a quoted code (体育、艺术“2+1”项目): the words back to the
    governing verb or punctuation; short items joined by 、 stay."""
    i = scan_left(text, quote, floor, _HARD - {"、"}, max_len=16, paren_max=0)
    start = _after_boundaries(text, i, quote)
    if start == i and i > floor and text[i - 1] not in _HARD:
        return quote  # no verb or punctuation found: where the qualifier starts is unknown
    while text[start : start + 1] == "、":
        start += 1
    verb = _conf().verb_lead_re.match(text, start, quote)
    if verb and "、" not in text[start:quote]:
        start = verb.end()  # 建设“5211”工程: the verb governs the name, it is no qualifier
    items = text[start:quote].split("、")
    if any(not 1 <= len(x) <= 4 for x in items if text[start:quote]):
        return quote
    return start


def _quote_ranges(ctx: DocContext) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED_RE.finditer(ctx.text, ctx.body_start, ctx.body_end)]


def _unquoted(ctx: DocContext, institutions: Sequence[tuple[int, int]]) -> list[tuple[int, int, str]]:
    conf = _conf()
    text = ctx.text
    out = []
    quotes = Ranges(_quote_ranges(ctx))
    not_names = Ranges(institutions)
    generic_lengths = sorted({len(g) for g in conf.generic if len(g) >= 2})
    for m in conf.head_re.finditer(text, ctx.body_start, ctx.body_end):
        ha, e = m.start(), m.end()
        if conf.continues_re.match(text, e):
            continue  # 工程师, 试点单位, 项目资金: the head is a modifier here
        if text[ha - 1 : ha] == "”" or quotes.surround(ha):
            continue  # the quoted name is the scheme (“洹泉涌流”人才聚集计划)
        i = after_outline_mark(text, scan_left(text, ha, ctx.body_start, _HARD, max_len=30, paren_max=16), ha)
        if text[i - 1 : i] == "”" or text[i - 2 : i] == "”(":
            continue  # “双导师”特聘计划, “双高计划”(…建设计划): the quoted name is the scheme
        # …试点工程: 试点 is part of the name.
        start = _after_boundaries(text, i, ha, lambda bm, ha=ha: bm.end() < ha or bm.group() != "试点")
        if start == ha and m.group() == "试点":
            # 职业技能等级认定试点: a verb right before the head is what the pilot does, when
            # words stand before it (开展试点, 申报试点: no name).
            inner = _after_boundaries(text, i, ha, lambda bm, ha=ha: bm.end() < ha)
            verb = _conf().boundary_re.search(text, inner, ha)
            if verb and verb.start() - inner >= 2 and _conf().nominal_verbs_re.fullmatch(verb.group()):
                start = inner
        if start == i and m.group() == "试点" and text[i - 1 : i] == "、":
            start = _listed_items_start(text, i, ctx.body_start)  # 开展A、B试点: one pilot of both
        verb_end = start
        if text.startswith(("一批", "一些"), start):
            start += 2  # 开设一批…精品课程: how many, not part of the name
        # Another scheme before this one: X项目建设和Y项目.
        for pm in _SCHEME_JOINED_RE.finditer(text[i:ha]):
            start = max(start, i + pm.end())
        # A quantity before the name: 申报2个省级…试点.
        quantities = list(_QUANTITY_RE.finditer(text[start:ha]))
        qm = quantities[-1] if quantities else None
        if qm:
            start = start + qm.end()
        head_kind = conf.heads[m.group()]
        if m.group() == "试点":
            area = conf.pilot_area_re.search(text[start:ha])
            if area:  # …实验区试点工作: the area is the pilot's name (产教融合实验区)
                if ha - start >= 5 and not ctx.in_title(start, ha):
                    out.append((start, ha, kind_of(text[start:ha])))
                continue
        level = conf.level_re.match(text[start:ha])
        if level and head_kind != "brand":  # 省级…精品课程: a title keeps its level
            start += level.end()
        elif text[start - 1 : start] in ("、", "和") and text[start : start + 1] in "省市县区" and ha - start > 4:
            start += 1  # 国家、省重点研发计划: the level qualifies a coordinated name
        if m.group() in conf.founded_heads:
            lead = _FOUNDING_LEAD_RE.match(text, start, ha)
            if lead:  # 建设技能大师工作室: the verb that founds it is not part of the name
                start = verb_end = lead.end()
        if m.group() in conf.founded_heads and not _founded(text, i, start, verb_end, e):
            continue  # 发挥…名师工作室的作用: studios in general, not one founded here
        if m.group() in conf.title_only_heads and not conf.title_verbs_re.search(text[max(i, verb_end - 6) : verb_end]):
            continue  # 建立…工作室: a studio set up, not a title
        owner = conf.owner_re.match(text[start:ha]) if head_kind != "brand" else None
        if owner and ha - start - owner.end() >= 4:
            start += owner.end()  # 职业院校教师素质提升计划: the plan is 教师素质提升计划
        if head_kind == "brand":
            alias = conf.title_alias_re.match(text, e)
            if alias and text[ha:e].endswith("县"):
                e = alias.end()  # …示范县(市、区): the title covers every kind of county
        name = text[start:e]
        stem = text[start:ha]
        if conf.contest_re.fullmatch(m.group()) and not conf.contest_start_re.match(name):
            continue
        if (
            len(stem) < 2
            or len(name) < 4
            or stem in conf.generic
            or _OF_RE.search(name)
            or conf.generic_end_re.search(stem)
            or _generic_stem(stem)
            or conf.not_name_starts_re.match(name)
            or (m.group() == "工程" and conf.construction_re.search(name))
            or (m.group() in conf.conferred_heads and not conf.conferred_heads[m.group()].match(name))
        ):
            continue
        if m.group() in conf.drawn_up_heads and conf.drawn_up_re.search(text, max(start - 40, ctx.body_start), start):
            continue  # 制定…保育员培训计划: a plan someone must draw up, not a named scheme
        # X和项目, 实现途径和重大项目: a coordination, not a name; X中心和Y项目: Y only.
        conjunctions = list(_AND_RE.finditer(stem))
        conj = conjunctions[-1] if conjunctions else None
        if conj:
            left, right = stem[: conj.start()], stem[conj.end() :]
            if not right or right in conf.generic:
                continue
            if re.search(
                r"(?:中心|基地|机构|措施|途径|路径|工作|活动|任务|经济圈|经济带|城市群)$", left
            ) or conf.all_heads_re.search(left):
                start += conj.end()
                name, stem = text[start:e], right
        if not _LEVELS_ONLY_RE.sub("", stem):
            continue  # 国家和省试点
        if any(
            stem[-n:] in conf.generic and re.search(r"(?:^|[和与及])$", stem[:-n])
            for n in generic_lengths
            if n <= len(stem)
        ):
            continue  # …就业与招生计划
        if m.group() == "项目" and not (
            conf.project_re.search(stem) or place_length_at(text, start) or not_names.cover(start)
        ):
            continue  # 重大科研项目, 真实生产项目: not named
        if _NOT_NAMED_RE.match(stem):
            continue
        if _CLAUSE_WORDS_RE.search(stem):
            continue  # 因国务院或者省人民政府批准重大建设工程: a clause, not a name
        if ctx.in_title(start, e):
            continue
        out.append((_joined_places_start(text, start, ctx.body_start), e, kind_of(name, m.group())))
    return out


def _listed_items_start(text: str, i: int, floor: int) -> int:
    """``开展学分互认、弹性学制试点``: the items joined by 、 before a shared head, back to the
    verb that governs them, name one scheme (§5: the name is copied as written). Items with a
    head of their own, or long ones, are schemes or clauses of their own: ``i`` stays."""
    j = scan_left(text, i - 1, floor, _HARD - {"、"}, max_len=40, paren_max=0)
    start = _after_boundaries(text, j, i - 1)
    if start == j and j > floor and text[j - 1] not in _HARD:
        return i  # no verb or punctuation found: where the list starts is unknown
    items = text[start : i - 1].split("、")
    conf = _conf()
    if start >= i - 1 or any(
        not 2 <= len(x) <= 12 or conf.all_heads_re.search(x) or _OF_RE.search(x) or x in conf.generic for x in items
    ):
        return i
    return start


def _generic_stem(stem: str) -> bool:
    """A stem that is a class of scheme once its generic modifiers go (重点人才 → 人才,
    人才工程 → 人才): 重点人才工程, 人才工程项目 name no one scheme."""
    conf = _conf()
    if stem.endswith("工程") and (stem[:-2] in conf.generic or stem[:-2] in conf.class_fields):
        return True  # 产教融合工程项目: a class of project
    core = conf.generic_modifiers_re.sub("", stem)
    return core != stem and (not core or core in conf.class_fields)


def _joined_places_start(text: str, start: int, floor: int) -> int:
    """``A、B、C融合发展示范区``: places joined by 、 before a name that opens with a place
    belong to the name (the area of all three), not to a list before it."""
    if text[start - 1 : start] != "、" or not any(_is_place_word(text[start : start + n]) for n in (2, 3, 4)):
        return start
    while text[start - 1 : start] == "、":
        words = [n for n in (4, 3, 2) if start - 1 - n >= floor and _is_place_word(text[start - 1 - n : start - 1])]
        if not words:
            break
        start -= 1 + words[0]
    return start


def _is_place_word(word: str) -> bool:
    """A division's name, or its short form (江津 for 江津区, 泸州 for 泸州市)."""
    names = gazetteer()
    return bool(word) and (
        place_length_at(word, 0) == len(word) or any(word + suffix in names for suffix in ("市", "区", "县"))
    )


_PERIOD_END_RE = re.compile(r"[(（][^()（）]*[)）]$")
_CLAUSE_WORDS_RE = re.compile(r"人民政府|或者|应当|按照|依照|批准|达到|^处")
_PLUS_RE = re.compile(r"[+ ]")
_BUILT_RE = re.compile(r"建设|发展|改革|试点|制度")
_CLAUSE_BREAK_RE = re.compile(r"[,，。;；]")
_SLOGAN_REGIME_RE = re.compile(r"的[一-龥]{0,6}制度")
_LISTED_ACTIVITIES_RE = re.compile(r"、.*等(?:系列)?活动")
_SCHEME_JOINED_RE = re.compile(r"(?:计划|工程|项目|行动|试点|制度)(?:建设)?(?:和|及|与)")
_QUANTITY_RE = re.compile(r"\d+[个项所家批门种套](?:左右|以上|余)?")
_OF_RE = re.compile(r"[的及]")
_AND_RE = re.compile(r"[和与]")
_LEVELS_ONLY_RE = re.compile(r"[国家省市县区级和及与]")
_NOT_NAMED_RE = re.compile(r"各|有关|相关|该|其|这|此|一批|部分|所需|年度|本(?:市|区|县|省|地|单位)")
_FOUNDING_LEAD_RE = re.compile(
    r"(?:\([一二三四五六七八九十\d]{1,3}\))?(?:建设|建立|设立|组建|成立|创建|打造|培育|遴选|开设|评选)(?:一批|一些)?"
)
_QUANTITY_END_RE = re.compile(
    r"(?:\d+(?:[至到—~\-]\d+)?|[一二两三四五六七八九十百千]+)[个所家批项支名]?(?:左右|以上|余)?$"
)


def _founded(text: str, i: int, start: int, verb_end: int, e: int) -> bool:
    """A studio founded here: a founding verb before its name (建设2至3个…工作室, 建立…工作室),
    a verb that confers it as a title (命名一批…工作室), or 建设 right after it (推进…名师工作室建设)."""
    conf = _conf()
    verb = text[max(i, verb_end - 6) : verb_end]
    if conf.founding_re.search(verb) or conf.title_verbs_re.search(verb):
        return True
    before = _QUANTITY_END_RE.sub("", text[max(i, start - 12) : start])
    return bool(conf.founding_re.search(before)) or text.startswith("建设", e)


def _after_boundaries(text: str, start: int, end: int, keep=lambda bm: True) -> int:
    """Where a name starts: after the last governing verb or boundary word in
    ``text[start:end]`` (``开展`` in 开展高雅艺术进校园)."""
    for bm in _conf().boundary_re.finditer(text, start, end):
        if keep(bm):
            start = max(start, bm.end())
    return start


def _campaigns(ctx: DocContext) -> list[tuple[int, int, str]]:
    """``高雅艺术进校园``, ``大国工匠、劳动模范进校园``: the items after the governing verb."""
    conf = _conf()
    text = ctx.text
    out = []
    for m in conf.campaign_re.finditer(text, ctx.body_start, ctx.body_end):
        i = scan_left(text, m.start(), ctx.body_start, _HARD - {"、"}, max_len=24, paren_max=0)
        start = _after_boundaries(text, i, m.start())
        level = conf.level_re.match(text[start : m.start()])
        if level:
            start += level.end()
        # 大国工匠、劳动模范进校园 is one campaign; in 艺术展演、精品艺术进校园 only the last
        # item is: earlier items count only while short.
        items = text[start : m.start()].split("、")
        keep = 1  # the last item, and the short items right before it
        while keep < len(items) and 2 <= len(items[-keep - 1]) <= 4:
            keep += 1
        for dropped in items[:-keep]:
            start += len(dropped) + 1
        items = items[-keep:]
        if (
            start >= m.start()
            or any(len(x) < 2 or re.search(r"[和与及]|活动", x) for x in items)
            or ctx.in_title(start, m.end())
        ):
            continue
        out.append((start, m.end(), "activity"))
    return out


def _designated_periods(ctx: DocContext) -> list[tuple[int, int, str]]:
    """A period the text names as a recurring activity (每年…为本市某某活动周)."""
    conf = _conf()
    return [
        (m.start("name"), m.end("name"), "activity")
        for m in conf.designated_period_re.finditer(ctx.text, ctx.body_start, ctx.body_end)
        if not ctx.in_title(m.start("name"), m.end("name"))
    ]


def _counted_titles(ctx: DocContext) -> list[tuple[int, int, str]]:
    """Titles counted in schools: ``3所某省体育传统项目校`` (a title several schools hold)."""
    conf = _conf()
    text = ctx.text
    out = []
    p = text.find("所", ctx.body_start, ctx.body_end)
    while p != -1:  # the literal first: the count's pattern is slow to try everywhere
        a = p + 1
        p = text.find("所", a, ctx.body_end)
        # The count right before the name (in 2所、3所…特色校 the 3所).
        if not conf.counted_re.search(text[max(ctx.body_start, a - 8) : a]) or not place_length_at(text, a):
            continue
        nm = conf.counted_name_re.match(text, a)
        if (
            nm
            and conf.counted_end_re.search(nm.group())
            and conf.counted_words_re.search(nm.group())
            and not conf.counted_plain_re.search(nm.group())
            and not ctx.in_title(a, nm.end())
        ):
            out.append((a, nm.end(), "brand"))
    return out


def _recurring(ctx: DocContext) -> list[tuple[int, int, str]]:
    """Activities named by a head that needs a recurrence before it: 每两年开展1次…评选."""
    conf = _conf()
    text = ctx.text
    out = []
    for m in conf.recurring_re.finditer(text, ctx.body_start, ctx.body_end):
        ha, e = m.start(), m.end()
        if conf.continues_re.match(text, e) or text.startswith("活动", e):
            continue
        i = after_outline_mark(text, scan_left(text, ha, ctx.body_start, _HARD, max_len=30, paren_max=0), ha)
        marks = list(conf.recurring_markers_re.finditer(text, i, ha))
        if not marks:
            continue
        start = _after_boundaries(text, marks[-1].end(), ha)
        stem = text[start:ha]
        if len(stem) < 4 or re.search(r"[的和及与]", stem) or ctx.in_title(start, e):
            continue
        out.append((start, e, conf.recurring_heads[m.group()]))
    return out


# What may follow a regime's name: the clause's end or a regime joined to it (not 制定, 制度).
_REGIME_END = r"(?![度定作造品订约衡])(?=[,，。;；、和及与]|$)"
_COORDINATED_REGIME_RE = re.compile(
    r"(?:和|及|与|以及|、)(?P<name>[一-龥A-Za-z0-9+]{3,28}?制度)(?=[,，。;；、和及与]|$)"
)
# 建立健全下列制度：(一)A制度；(二)B制度。 — a verb that sets up the regimes listed after it.
_LISTED_REGIMES_RE = re.compile(
    r"(?:建立|健全|完善|实行|推行|执行|落实)[^。;；:：\n]{0,16}?(?:下列|以下|如下)[^。;；:：\n]{0,4}?制度[:：]"
)
_REGIME_ITEM_RE = re.compile(
    r"\s*\([一二三四五六七八九十]{1,3}\)[ \t]*(?P<name>[一-龥A-Za-z0-9+]{3,28}?制度)[;；。]?[ \t]*(?=\n|$)"
)


# 质量监测和督导制度: two two-character activities share one 制度 (the regime names both).
_SHARED_REGIME_RE = re.compile(r"[一-龥]{2,10}[一-龥]{2}[和与][一-龥]{2}制度|[一-龥]{2}[和与][一-龥]{4,6}制度")


def _coordinated_regimes(text: str, end: int) -> list[re.Match]:
    """``建立A制度和B制度``: the regimes joined to the one a verb sets up (no verb of their own);
    after a short regime ending in 制, short ones too (实行弹性学制和学分制)."""
    conf = _conf()
    out = []
    short = text[end - 1 : end] == "制"
    m = _COORDINATED_REGIME_RE.match(text, end) or (conf.coordinated_short_re.match(text, end) if short else None)
    while m and not conf.verb_lead_re.match(m.group("name")):
        out.append(m)
        short = m.group("name").endswith("制")
        m = _COORDINATED_REGIME_RE.match(text, m.end()) or (
            conf.coordinated_short_re.match(text, m.end()) if short else None
        )
    return out


def _listed_regimes(ctx: DocContext) -> list[tuple[int, int]]:
    """Regimes listed as items after ``建立健全下列制度：`` (a regulation's article)."""
    text = ctx.text
    out = []
    for m in _LISTED_REGIMES_RE.finditer(text, ctx.body_start, ctx.body_end):
        item = _REGIME_ITEM_RE.match(text, m.end())
        while item and item.end() <= ctx.body_end:
            out.append((item.start("name"), item.end("name")))
            item = _REGIME_ITEM_RE.match(text, item.end())
    return out


def _entry_regimes(ctx: DocContext) -> list[tuple[int, int]]:
    """Entry regimes named without a verb that sets them up (严格就业准入制度, 实行就业准入控制的
    工种): from the verb or punctuation before them."""
    text = ctx.text
    out = []
    p = text.find("准入", ctx.body_start, ctx.body_end)
    while p != -1:  # the literal first: most texts name none
        b = p + 4
        if text.startswith(("制度", "控制"), p + 2):
            i = scan_left(text, p, ctx.body_start, _HARD, max_len=14, paren_max=0)
            m = _conf().entry_regime_re.fullmatch(text, _after_boundaries(text, i, p), b)
            if m:
                out.append((m.start("name"), b))
        p = text.find("准入", p + 2, ctx.body_end)
    return out


def _regime_modifiers(ctx: DocContext) -> list[tuple[int, int]]:
    """Regimes ending in 制 named as what a training runs under (参加一定期限的X制培训):
    from the verb or punctuation before them."""
    text = ctx.text
    out = []
    for lit in ("制培训", "制培养"):
        p = text.find(lit, ctx.body_start, ctx.body_end)
        while p != -1:  # the literal first: most texts name none
            b = p + 1
            i = scan_left(text, b, ctx.body_start, _HARD, max_len=20, paren_max=0)
            m = _conf().regime_modifier_re.match(text, _after_boundaries(text, i, b))
            if m and m.end() == b:
                out.append((m.start("name"), b))
            p = text.find(lit, b, ctx.body_end)
    return out


def _regional_strategies(ctx: DocContext) -> list[tuple[int, int, str]]:
    """Regional variants of a national strategy named after the country (科教兴国 → 实施科教兴X
    战略, 人才强省战略): the name with 战略."""
    conf = _conf()
    text = ctx.text
    out = []
    for name, kind in conf.lexicon.items():
        if kind != "strategy" or not name.endswith("国"):
            continue
        stem = name[:-1]
        p = text.find(stem, ctx.body_start, ctx.body_end)
        while p != -1:  # the literal first: most texts name none
            q = p + len(stem)
            variant = conf.regional_variant_re.match(text, q)
            if variant:
                # 人才强X战略 with its 战略; 推进人才强X建设, 人才强X和Y战略 (a shared 战略): without
                end = q + 3 if text.startswith("战略", q + 1) else q + 1
                if not ctx.in_title(p, end):
                    out.append((p, end, kind))
            p = text.find(stem, q, ctx.body_end)
    return out


def _last_match(pattern: re.Pattern, text: str, start: int, end: int) -> re.Match | None:
    """The last of ``pattern``'s matches in ``text[start:end]`` (None if there is none)."""
    matches = list(pattern.finditer(text, start, end))
    return matches[-1] if matches else None


_LISTED_REGIME_END_RE = re.compile(r"(?:制度|负责制)(?=[,，。;；])")
_JOINED_ITEMS_RE = re.compile(r"[、和及与]|\(")
# Items of a listed regime are noun phrases: not a regime, a mechanism or a class closed by 等.
_NOT_ITEM_RE = re.compile(r"制度|机制|体制|(?<![中高初同平])等(?!级)")


def _listed_item_regimes(ctx: DocContext) -> list[tuple[int, int, str]]:
    """Regimes named by the list of what they cover, from the governing verb to the clause's
    end: 实行A证书、B证书和C证书制度 (items of one class, sharing their last word), 建立…的X设置
    和Y(Z)评聘制度 (a bracketed alternative marks the formal name; §5: copied as written), and
    governance regimes named by who leads them (实行…领导的校长负责制)."""
    conf = _conf()
    text = ctx.text
    out: list[tuple[int, int, str]] = []
    for m in _LISTED_REGIME_END_RE.finditer(text, ctx.body_start, ctx.body_end):
        b = m.end()
        i = scan_left(text, m.start(), ctx.body_start, _HARD - {"、"}, max_len=60, paren_max=8)
        verb = _last_match(conf.listed_regime_verbs_re, text, i, m.start())
        if verb is None:
            continue  # no verb sets it up: unquoted …制度 is mostly a generic arrangement
        related = conf.relational_re.search(text, verb.start(), b)
        if related and related.end() == b:
            continue  # A、B并重制度, A和B双证书制度: the relational regimes (_regimes) name them
        a = verb.end()
        name = text[a:b]
        if m.group() == "负责制":
            led = conf.led_regime_re.search(name)
            if (
                not led
                and conf.governed_regime_re.fullmatch(name)
                and conf.governing_subject_re.search(text, max(ctx.body_start, verb.start() - 8), verb.start())
            ):
                if not ctx.in_title(a, b):  # 某类学校实行校长负责制: a school's governance regime
                    out.append((a, b, "system"))
                continue
            if not led:
                continue  # 工作实行校长负责制: who answers for a task
            a += name.rfind("的", 0, led.start()) + 1  # 符合…的…领导的校长负责制
            if led.start() - (a - verb.end()) < 2:
                continue
        else:
            a += name.rfind("的") + 1  # 建立健全符合…要求的X制度: the name follows the last 的
            name = text[a:b]
            if not _JOINED_ITEMS_RE.search(name):
                continue  # one item: the verb-led regimes (_regimes) read it
            items = conf.listed_regime_joins_re.split(name[:-2])
            if (
                any(not 4 <= len(x) <= 16 or _NOT_ITEM_RE.search(x) for x in items)
                or conf.generic_regime_re.search(name)
                or conf.generic_regime_re.search(items[0] + "制度")
            ):
                continue  # 奖励和资助制度, 统计、分析和发布制度, …等实习实训制度, …管理制度
            if "(" not in name and len({x[-2:] for x in items}) > 1:
                continue  # 职称评审与职级晋升制度: two practices; A证书、B证书和C证书制度: one regime
            owner = conf.owner_re.match(name)
            if owner and len(name) - owner.end() >= 6:
                a += owner.end()  # 职业学校X和Y制度: the regime is X和Y制度 (as in _regimes)
        if not ctx.in_title(a, b):
            out.append((a, b, "system"))
    return out


def _act_regimes(ctx: DocContext) -> list[tuple[int, int, str]]:
    """Regimes in force named by the acts they bind (实行甲、乙和丙制度, 实行回避制度) and
    national regimes a practice follows (按照国家甲乙职务制度被聘任)."""
    conf = _conf()
    text = ctx.text
    out: list[tuple[int, int, str]] = []
    for pattern in (conf.act_regime_re, conf.national_regime_re):
        if pattern is conf.act_regime_re and "实行" not in text:
            continue
        for m in pattern.finditer(text, ctx.body_start, ctx.body_end):
            a, b = m.start("name"), m.end("name")
            name = m.group("name")
            if "的" in name or ctx.in_title(a, b):
                continue
            if len(name) == 4 and (
                conf.generic_regime_re.search(name)
                or conf.generic_short_regime_re.search(name[:2] + "制")
                or name[:2] in conf.generic
            ):
                continue  # 实行考核制度, 实行值班制度: generic arrangements
            if pattern is conf.national_regime_re and conf.generic_regime_re.search(name):
                continue
            out.append((a, b, "system"))
    return out


def _strategies_to_build(ctx: DocContext) -> list[tuple[int, int, str]]:
    """National strategies named as a country or society to build, listed after the verb that
    pursues them: 建设A强国、B强国和C型社会 (a …型社会 only in a list with a …强国)."""
    conf = _conf()
    text = ctx.text
    out: list[tuple[int, int, str]] = []
    done: set[int] = set()
    p = text.find("强国", ctx.body_start, ctx.body_end)
    while p != -1:  # the literal first: most texts name none
        i = scan_left(text, p, ctx.body_start, _HARD - {"、"}, max_len=40, paren_max=0)
        lead = _last_match(conf.strategy_leads_re, text, i, p)
        if lead is not None and lead.end() not in done:
            done.add(lead.end())
            items: list[re.Match] = []
            item = conf.strategy_item_re.match(text, lead.end(), ctx.body_end)
            while item:
                items.append(item)
                join = conf.strategy_joins_re.match(text, item.end(), ctx.body_end)
                item = conf.strategy_item_re.match(text, join.end(), ctx.body_end) if join else None
            if any(x.group("head") == "强国" for x in items):
                for x in items:
                    a, b = x.start("item"), x.end("item")
                    if text.startswith("战略", b) and text[a - 1 : a] != "、":
                        b += 2  # A强国战略 (not in A、B战略, where 战略 is shared)
                    if not ctx.in_title(a, b):
                        out.append((a, b, "strategy"))
        p = text.find("强国", p + 2, ctx.body_end)
    return out


@lru_cache(maxsize=1)
def _second_verb_re() -> re.Pattern:
    """A verb that sets up a regime, read as the start of its name when the verb before it
    took only its first half (建立|健全举报制度): programs.yaml ``second_regime_verbs``."""
    return re.compile(load_yaml("programs.yaml")["second_regime_verbs"])


def _regimes(ctx: DocContext) -> list[tuple[int, int, str]]:
    """Unquoted regimes set up by a verb: 建立学生课外活动记录制度, 实行学区走教制; the ones
    joined to them (建立A制度和B制度) and listed after them (建立下列制度：(一)…制度)."""
    conf = _conf()
    text = ctx.text
    spans: list[tuple[int, int, bool]] = []  # name start, end, relational
    whole: list[tuple[int, int]] = []  # names read as written: a scope or clause is part of them
    relational = {m.start(): m for m in conf.relational_re.finditer(text, ctx.body_start, ctx.body_end)}
    for m in [*conf.regime_re.finditer(text, ctx.body_start, ctx.body_end), *relational.values()]:
        related = m.re is conf.relational_re
        if not related and m.start() in relational:
            continue
        b = m.end("name")
        if not related and conf.clause_regime_re.fullmatch(text, m.end("verb"), b):
            whole.append((m.end("verb"), b))  # 实行劳动者…接受…教育的制度: the clause names it
            continue
        # 建立完善质量年报制度; a verb right before 制度 is its object (等级认定制度), and so is
        # one with less than three characters after it (建立完善…评选表彰制度).
        a = _after_boundaries(text, m.start("name"), b - 2, lambda bm, b=b: bm.end() < b - 4)
        if not related and (lead := _second_verb_re().match(text, a, b - 4)):
            a = lead.end()  # 建立健全举报制度: the verb split in two is no part of a short name
        if not related and conf.served_scope_re.fullmatch(text, m.end("verb"), a):
            whole.append((m.end("verb"), b))  # 建立健全面向全体劳动者的职业培训制度
            continue
        spans.append((a, b, related))
        if not related and not text.startswith(("完善", "健全", "落实", "执行", "推进"), m.start()):
            # a regime set up (建立, 实行) shares its verb; one improved (完善A和B) may be a practice
            spans.extend((n.start("name"), n.end("name"), False) for n in _coordinated_regimes(text, b))
    spans.extend((a, b, False) for a, b in _listed_regimes(ctx))
    for m in conf.composed_regime_re.finditer(text, ctx.body_start, ctx.body_end):
        spans.append((m.start("name"), m.end("name"), False))  # 建立由…组成的…联席会议制度
    spans.extend((a, b, False) for a, b in _entry_regimes(ctx))
    spans.extend((a, b, False) for a, b in _regime_modifiers(ctx))
    out = [(a, b, "system") for a, b in whole if not ctx.in_title(a, b)]
    for a, b, related in spans:
        between = list(conf.between_re.finditer(text, a, b))
        if between:  # A与B学分转换制度: the regime between two classes of school
            a = between[-1].end()
        obj = conf.relational_object_re.search(text, a, b) if related else None
        if obj and re.search("[、与和及]", text[a:b]):
            # A、B与C课程学分转换制度: the regime is named from what it converts (a single
            # scope before it stays: 某某教育学分转换制度, like its sibling …学分积累制度)
            a = obj.start()
        paired = conf.paired_certificates_re.search(text, a, b) if related else None
        if paired:  # 实行毕业生A证书和B证书双证书制度: the regime is 双证书制度 (§5, the shortest span)
            a = paired.start()
        owner = conf.owner_re.match(text[a:b])
        if owner and b - a - owner.end() >= 6:
            a += owner.end()  # 职业学校学生实习保险制度: the regime is 学生实习保险制度
        name = text[a:b]
        stem = re.sub(r"制度?$", "", name)
        generic = conf.generic_regime_re.search(name) and not conf.qualified_regime_re.fullmatch(name)
        generic = generic or bool(conf.generic_short_regime_re.search(name))
        shortest = 2 if name.endswith("制") or paired else 3  # 学分制, 双证制度, but not 督导制度
        if len(stem) < shortest or generic or stem in conf.generic or ctx.in_title(a, b):
            continue
        shared = _SHARED_REGIME_RE.fullmatch(name) and not conf.generic_regime_re.search(
            re.split("[和与]", name)[0] + "制度"
        )  # 质量监测和督导制度 names both (考核与奖补制度: 考核制度 is generic)
        # …等制度 closes a list; 高等, 中等 are words (高等教育经费…制度).
        if (
            re.search(r"的|(?<![中高初同平])等(?!级)" if related else r"[的和及与]|(?<![中高初同平])等(?!级)", name)
            and not shared
        ):
            continue
        out.append((a, b, "system"))
    return out


@lru_cache(maxsize=1)
def _lexicon_patterns() -> tuple[tuple[re.Pattern, str, str, str], ...]:
    """Each lexicon name as a pattern (pages often lose the + of 1+X证书制度), with its kind
    and the longest part of it every match holds as written (X证书制度)."""
    return tuple(
        (re.compile(re.escape(name).replace(r"\+", "[+ ]")), name, kind, max(name.split("+"), key=len))
        for name, kind in _conf().lexicon.items()
    )


def _lexicon_hits(ctx: DocContext) -> list[tuple[int, int, str]]:
    text = ctx.text
    out: list[tuple[int, int, str]] = []
    for pattern, name, kind, part in _lexicon_patterns():
        if text.find(part, ctx.body_start, ctx.body_end) == -1:
            continue  # most names are absent: a plain search says so faster than the pattern
        for m in pattern.finditer(text, ctx.body_start, ctx.body_end):
            a, b = m.start(), m.end()
            if len(name) <= 3 and not (text[a - 1 : a] == "“" or _BUILT_RE.match(text, b, b + 2)):
                out.extend((x, y, kind) for x, y in _listed_siblings(ctx, a, b))
                continue
            if institution_kind(text[b : b + 2]) or institution_kind(text[b : b + 3]):
                continue  # 乡村振兴学院: a kind of college, not the strategy
            if kind == "strategy" and text.startswith("战略", b) and text[a - 1 : a] != "、":
                b += 2  # 创新驱动发展战略 (not in A、B战略, where 战略 is shared)
            out.append((a, b, kind))
    return out


_LIST_JOIN_RE = re.compile(r"、")


def _listed_siblings(ctx: DocContext, a: int, b: int) -> list[tuple[int, int]]:
    """A short lexicon name as an item of a 、-list closed by 等 and the work they are
    (推动新甲科、新乙科等学科建设): the name and its siblings of the same shape (same length,
    same first and last character) in that list; nothing when it stands in no such list."""
    text = ctx.text
    conf = _conf()
    name = text[a:b]
    i = scan_left(text, a, ctx.body_start, _HARD - {"、"}, max_len=40, paren_max=0)
    start = _after_boundaries(text, i, a)
    if start != a and text[a - 1 : a] != "、":
        return []
    j = b
    while j < ctx.body_end and text[j] not in _HARD - {"、"}:
        j += 1
    end = conf.listed_sibling_re.search(text, b, j)
    if end is None or "、" not in text[start : end.start()]:
        return []
    out = []
    p = start
    for item in text[start : end.start()].split("、"):
        if len(item) == len(name) and item[0] == name[0] and item[-1] == name[-1]:
            out.append((p, p + len(item)))
        p += len(item) + 1
    return out if (a, b) in out else []


_SHARED_ITEM_JOIN_RE = re.compile(r"、|和|及|与")


def _shared_class_items(ctx: DocContext) -> list[tuple[int, int, str]]:
    """Names sharing one class of scheme after 等 (组织实施甲系列和乙系列等省级人才工程): the class
    names no one scheme; the items, sharing their last two characters, each name one."""
    conf = _conf()
    text = ctx.text
    out: list[tuple[int, int, str]] = []
    for m in conf.shared_head_re.finditer(text, ctx.body_start, ctx.body_end):
        head = conf.head_re.search(m.group())
        if head is None or conf.continues_re.match(text, m.end()):
            continue
        stem = m.group()[1 : head.start()]
        if not (_generic_stem(stem) or conf.generic_modifiers_re.sub("", stem) in conf.generic):
            continue  # 等教育教学综合改革工程: the class is itself a scheme
        s = m.start()
        i = scan_left(text, s, ctx.body_start, _HARD - {"、"}, max_len=30, paren_max=0)
        start = _after_boundaries(text, i, s)
        items = _SHARED_ITEM_JOIN_RE.split(text[start:s])
        if (
            len(items) < 2
            or any(not 3 <= len(x) <= 8 or _OF_RE.search(x) for x in items)
            or len({x[-2:] for x in items}) > 1
            or ctx.in_title(start, s)
        ):
            continue
        kind = conf.heads[head.group()]
        p = start
        for x in _SHARED_ITEM_JOIN_RE.finditer(text, start, s):
            out.append((p, x.start(), kind))
            p = x.end()
        out.append((p, s, kind))
    return out


def _awards(ctx: DocContext) -> list[tuple[int, int, str]]:
    """Awards conferred by name (颁发某省杰出人才奖): titles that can be won (brand)."""
    conf = _conf()
    text = ctx.text
    out: list[tuple[int, int, str]] = []
    p = text.find("奖", ctx.body_start, ctx.body_end)
    while p != -1:  # the literal first: most texts name no award
        i = max(ctx.body_start, p - 13)
        for m in conf.award_re.finditer(text, i, min(ctx.body_end, p + 2)):
            if m.end("name") == p + 1 and not ctx.in_title(m.start("name"), m.end("name")):
                out.append((m.start("name"), m.end("name"), "brand"))
                break
        p = text.find("奖", p + 1, ctx.body_end)
    return out


def _conferred_titles(ctx: DocContext) -> list[tuple[int, int, str]]:
    """Designations conferred on their holders (入选国家…试点城市名单, 评审出的5个国家级…基地,
    为2023年某市…工作室): titles (brand), pilots or projects by their head."""
    conf = _conf()
    text = ctx.text
    out: list[tuple[int, int, str]] = []
    listing = "为:" in text or "为：" in text
    for pattern in conf.conferred_res:
        group = next(g for g in ("year_name", "listed", "name") if g in pattern.groupindex)
        if group == "listed" and not listing:
            continue  # N个…为：lists holders; most texts list none (the literal first)
        for m in pattern.finditer(text, ctx.body_start, ctx.body_end):
            a, b = m.start(group), m.end(group)
            name = text[a:b]
            if not (conf.conferred_levels_re.match(name) or place_length_at(text, a)):
                continue  # 入选产教融合型企业名单, 为2024年度重点帮扶企业: a class, no title a level confers
            prefix = conf.conferred_prefix_re.match(name)
            a += prefix.end() if prefix else 0  # 全国首批X: the batch and 全国 are no part of it
            name = text[a:b]
            level = conf.conferred_levels_re.match(name)
            head = conf.conferred_head_end_re.search(name)
            stem = name[level.end() if level else place_length_at(name, 0) : head.start() if head else len(name)]
            core = conf.generic_modifiers_re.sub("", stem)
            if not core or core in conf.generic or ctx.in_title(a, b):
                continue  # 市级重点建设项目, 省级实训基地: a plain class under a level
            # a lexicon name it ends with wins its kind (省级产教融合型城市: a pilot)
            inner = next((n for n in conf.lexicon if name.endswith(n)), name)
            kind = kind_of(inner)
            out.append((a, b, "brand" if kind == "other" else kind))
    return out


def find_programs(ctx: DocContext, institutions: Sequence[tuple[int, int]] = ()) -> list[Mention]:
    """Program mentions; ``institutions`` are view ranges that are not programs."""
    found: dict[tuple[int, int], str] = {}
    conf = _conf()

    def trimmed(cands):
        for a, b, kind in cands:
            noise = conf.noise_re.match(ctx.text, a, b)
            while noise and noise.end() < b - 3:  # 一批…示范学校, 我省大数据战略行动
                a = noise.end()
                noise = conf.noise_re.match(ctx.text, a, b)
            yield a, b, kind

    first = (
        _unquoted(ctx, institutions)
        + _lexicon_hits(ctx)
        + _regional_strategies(ctx)
        + _strategies_to_build(ctx)
        + _counted_titles(ctx)
        + _shared_class_items(ctx)
        + _conferred_titles(ctx)
    )
    for a, b, kind in trimmed(first + _quoted(ctx)):
        found[(a, b)] = kind  # quoted readings win for the same range
    # The longest reading wins where candidates nest (职业教育国家学分银行制度改革试点).
    chosen: list[tuple[int, int, str]] = []
    kept = Unnested()
    for (a, b), kind in sorted(found.items(), key=lambda t: (t[0][0] - t[0][1], t[0][0])):
        if not kept.contain(a, b):
            chosen.append((a, b, kind))
            kept.add(a, b)
    # Unquoted regimes and campaigns only where nothing else was read (生均拨款制度 stays
    # the name in 公办职业院校生均拨款制度).
    for a, b, kind in trimmed(
        _listed_item_regimes(ctx)
        + _act_regimes(ctx)
        + _regimes(ctx)
        + _campaigns(ctx)
        + _recurring(ctx)
        + _awards(ctx)
        + _designated_periods(ctx)
    ):
        if not kept.overlap(a, b):
            chosen.append((a, b, kind))
            kept.add(a, b)
    out = []
    title = ctx.parsed.metadata.title or ""
    # The document's own title, also without its period (…行动计划（2020—2023年）): §5.
    titles = {title, _PERIOD_END_RE.sub("", title)} - {""}
    # ... and without its region (荆某区第三期…行动计划 named in its own text as 第三期…行动计划)
    titles |= {t[place_length_at(t, 0) :] for t in titles if 0 < place_length_at(t, 0) < len(t) - 3}
    decls = alias_declarations(ctx)
    not_names = Ranges([*institutions, *((d.start, d.end) for d in decls)])  # (以下称X): no name of its own
    aliased = _aliased(ctx, decls, chosen, kept, not_names)
    for a, b, kind in sorted(chosen):
        if not_names.contain(a, b):
            continue
        if ctx.in_title(a, b):
            continue
        name = ctx.original(a, b).strip()
        if name[:1] == "“" and name[-1:] == "”" and name.count("“") == 1:
            name = name[1:-1]  # a wrapping pair of quotes is not part of the name
        name = aliased.get((a, b), name)
        if not name or name in titles:
            continue
        out.append(ctx.mention("program", a, b, name=name, kind=kind))
    return out


def _aliased(
    ctx: DocContext, decls: list, chosen: list[tuple[int, int, str]], kept: Unnested, not_names: Ranges
) -> dict[tuple[int, int], str]:
    """Later uses of a short name declared right after a program's name (实施…提升计划（以下称
    提升计划）): the program under its full name. Uses not read as a name yet join ``chosen``."""
    if not decls:
        return {}
    text = ctx.text
    by_end = {b: (a, kind) for a, b, kind in chosen}
    out: dict[tuple[int, int], str] = {}
    for d in decls:
        named = by_end.get(d.start)
        if named is None or not_names.contain(named[0], d.start):
            continue
        full = ctx.original(named[0], d.start).strip().strip("“”")
        alias = text[d.alias_start : d.alias_end]
        for a, b, _ in chosen:
            if a >= d.end and text[a:b] == alias:
                out[(a, b)] = full  # the use read as a name of its own
        for a, b in alias_uses(ctx, d, kept):
            chosen.append((a, b, named[1]))
            out[(a, b)] = full
    return out
