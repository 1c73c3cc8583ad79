"""Named schools, enterprises, groups, research bodies and platforms (docs/annotation.md §4).

A name ends with a suffix from ``kg/data/institutions.yaml`` (学院, 职教集团, 有限公司,
实训基地 …) and starts at a *specific* start — a division name (full or short), a country
or macro-region word, a Latin acronym — found after the last hard boundary (punctuation).
Without a specific start only strong endings (有限公司, 研究院) count, starting after a
verb or connective, and public-service platforms right after the verb that founds them
(本市建立…公共服务平台). Quoted names (“新能源汽车研究院”) count as they are. Ranks
(国家级…), generic classes (安阳市中等职业学校), the class nouns of
``kg/data/generic_heads.yaml`` (博物馆, 农村学校), titles a school can win (…示范学校: a
program) and clause fragments (某市作为中小学…) are not names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from kg.core.lexicon import alternation, load_yaml
from kg.core.model import Mention
from kg.core.regions import DIVISION_ALIAS, aliases, gazetteer, place_length_at
from kg.extraction.context import DocContext, Ranges, Unnested, after_outline_mark, scan_left

_HARD = frozenset(',，。;；:：、“”"《》!?！？\n\t 【】[]的')
_MAX_NAME = 32
_QUOTED_RE = re.compile(r"“([^“”\n]{4,40})”")


class _Conf(NamedTuple):
    suffix_re: re.Pattern
    kind_of: dict
    self_standing: tuple
    specific_re: re.Pattern
    not_after_re: re.Pattern
    generic: frozenset
    soft_re: re.Pattern
    not_inside_re: re.Pattern
    founded: tuple
    founding_re: re.Pattern
    continued: frozenset
    continues_re: re.Pattern
    min_stem: dict
    class_nouns: frozenset
    class_openers_re: re.Pattern
    class_after_place: frozenset
    clause_after_place_re: re.Pattern
    designations: tuple
    bare_level_heads: tuple
    system_words_re: re.Pattern
    generic_university_re: re.Pattern
    sector_words: frozenset
    designation_classes_re: re.Pattern
    class_followers_re: re.Pattern
    described_founding_re: re.Pattern
    founded_openers_re: re.Pattern


@lru_cache(maxsize=1)
def _conf() -> _Conf:
    data = load_yaml("institutions.yaml")
    generic = load_yaml("generic_heads.yaml")
    # Titles a school can win (…示范学校, …传承学校) are programs of kind brand (§5).
    designations = tuple(h for h, kind in load_yaml("programs.yaml")["heads"].items() if kind == "brand")
    kind_of = {s: kind for kind, items in data["suffixes"].items() for s in items}
    return _Conf(
        re.compile(alternation(kind_of)),
        kind_of,
        tuple(data["self_standing"]),
        re.compile(alternation(data["specific_starts"]) + "|" + data["macro_region"]),
        re.compile(data["not_after_start"]),
        frozenset(data["generic_classes"]),
        re.compile("(?:" + alternation(data["soft_boundaries"]) + ")"),
        re.compile(data["not_inside"]),
        tuple(data["founded_self_standing"]),
        re.compile(data["founding_verbs"]),
        frozenset(data["continued_suffixes"]),
        re.compile(data["suffix_continues"]),
        dict(data["min_stem"]),
        frozenset(generic["class_nouns"]),
        re.compile(generic["class_openers"]),
        frozenset(generic["class_nouns_after_place"]),
        re.compile(generic["clause_after_place"]),
        designations,
        tuple(data["bare_level_heads"]),
        re.compile(data["system_words"]),
        re.compile(data["generic_university"]),
        frozenset(data["sector_words"]),
        re.compile(data["designation_classes"]),
        re.compile(data["class_followers"]),
        re.compile(data["founded_after_description"]),
        re.compile(data["founded_openers"]),
    )


def kind_of(name: str) -> str | None:
    """Kind from the longest suffix the name ends with (None if it has none)."""
    if not name:
        return None
    kinds = _conf().kind_of
    for length in _suffix_lengths().get(name[-1], ()):
        if length <= len(name):
            kind = kinds.get(name[-length:])
            if kind:
                return kind
    return None


@lru_cache(maxsize=1)
def _suffix_lengths() -> dict[str, tuple[int, ...]]:
    """Lengths (at most 8) of the suffix words ending with each character, longest first:
    the only lengths worth trying at the end of a name."""
    lengths: dict[str, set[int]] = {}
    for suffix in _conf().kind_of:
        if 0 < len(suffix) <= 8:
            lengths.setdefault(suffix[-1], set()).add(len(suffix))
    return {ch: tuple(sorted(ns, reverse=True)) for ch, ns in lengths.items()}


def _specific_len(text: str, pos: int) -> int:
    """Length of a specific start at ``pos`` (0 if none)."""
    may = _may_start()
    if text[pos : pos + 2] not in may.pairs and text[pos : pos + 1] not in may.heads:
        return 0  # most positions: no name or word starts with these two characters
    n = place_length_at(text, pos)
    if n:
        return n
    m = _conf().specific_re.match(text, pos)
    if m:
        return m.end() - pos
    m = _ACRONYM_RE.match(text, pos)
    return m.end() - pos if m else 0


class _MayStart(NamedTuple):
    chars_re: re.Pattern  # the characters a specific start can begin with
    pairs: frozenset[str]  # the first two characters of every name and word
    heads: frozenset[str]  # characters that begin a start whatever follows them


@lru_cache(maxsize=1)
def _may_start() -> _MayStart:
    """What a specific start can begin with: a division name's or short name's first two
    characters, a specific start word's; a placeholder's, an acronym's or a macro-region's
    first character (``XX县``, ``某市``, ``AHK``, ``渝西``). Positions holding none are not
    tried one by one."""
    words = [*gazetteer(), *aliases(), *load_yaml("institutions.yaml")["specific_starts"]]
    data = load_yaml("institutions.yaml")
    macro_heads = re.match(r"\[([^\]]+)\]", data["macro_region"])  # the leading class
    heads = set(macro_heads.group(1) if macro_heads else "") | set("ABCDEFGHIJKLMNOPQRSTUVWXYZ某")
    heads |= {w for w in words if len(w) == 1}
    chars = {w[0] for w in words if w} | heads
    return _MayStart(
        re.compile("[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]"),
        frozenset(w[:2] for w in words if len(w) >= 2),
        frozenset(heads),
    )


def _specific_starts(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Every specific start in ``text[a:b]`` as (position, length)."""
    return [(p, n) for m in _may_start().chars_re.finditer(text, a, b) if (n := _specific_len(text, p := m.start()))]


def _soft_ends(text: str, a: int, b: int) -> set[int]:
    """Ends of every soft boundary word in ``text[a:b]``, overlapping ones included
    (统筹建立: 筹建 and 建立 both end a boundary; the name starts after 建立)."""
    return {m.end(1) for m in _soft_any_re().finditer(text, a, b)}


@lru_cache(maxsize=1)
def _soft_any_re() -> re.Pattern:
    return re.compile(f"(?=({_conf().soft_re.pattern}))")


def _hard_start(text: str, end: int, floor: int) -> int:
    return after_outline_mark(text, scan_left(text, end, floor, _HARD, _MAX_NAME, paren_max=10), end)


_ACRONYM_RE = re.compile(r"[A-Z]{2,}")
_JOINERS = frozenset("与和及、同")
_LEVEL_COUNT_RE = re.compile(r"[省市县区乡镇村][两二三四五]级")
_LEVELS_BEFORE_RE = re.compile(rf"(?<![\u4e00-\u9fa5])[省市县区](?:{DIVISION_ALIAS})?[、和与及]$")
_ACTOR_FOUNDS_RE = re.compile(
    r"(?:办公室|政府|部门|局|厅|委)(?:应当|要|负责|统一|牵头)?(?:建立健全|建立|建设|设立|组建|成立|搭建|打造|建成)"
    r"(?:(?:和|并|及)(?:完善|健全|管理|运营|维护))?"
)


@lru_cache(maxsize=1)
def _stem_named() -> tuple[frozenset, re.Pattern]:
    """Kinds named by the proper word before them (三峡职业技术学院) and the words that make
    that word a class instead (民办, 高水平, 各): ``institutions.yaml`` ``stem_named``."""
    data = load_yaml("institutions.yaml")["stem_named"]
    return frozenset(data["heads"]), re.compile(f"(?:{data['class_words']})$")


_BODY_WORD_RE = re.compile(r"[局厅委府院门]")


def _last_actor_founds(text: str, a: int, b: int) -> int | None:
    """End of the last ``X部门(应当)建立`` in ``text[a:b]`` (the body founding what follows), or None."""
    end = None
    for m in _ACTOR_FOUNDS_RE.finditer(text, a, b):
        end = m.end()
    return end


_ACTOR_FOUNDED_RE = re.compile(_ACTOR_FOUNDS_RE.pattern + "$")


def _founded_by_actor(text: str, a: int) -> bool:
    """A name right after a body's founding verb (``市某部门应当建立…``)."""
    return _ACTOR_FOUNDED_RE.search(text, max(0, a - 14), a) is not None


_COMPANY_RE = re.compile(r"(?:有限公司|有限责任公司|股份公司)$")
_HAN_STEM_RE = re.compile(r"[\u4e00-\u9fff]{2,10}")
_SCHOOL_INSIDE_RE = re.compile(r"大学(?!生)|学院|学校")
_LEVEL_RE = re.compile(r"^(?:国家级|省级|市级|区级|县级|校级)")


def _school_inside(text: str, p: int, spec: int, sa: int) -> bool:
    """A school's name inside a platform's (某学院合作平台: the school's own platform, found as
    the school); a bare class word after the place (某省学校美育专家库) names no school."""
    return any(m.start() > p + spec for m in _SCHOOL_INSIDE_RE.finditer(text, p, sa))


_JOINT_VERB_RE = re.compile(r"(?:共建|共同|联合|合作|携手|共办|合办|开展|建设|举办|牵头|成立|组建|设立|打造)")
_JOINED_RE = re.compile("[与和及、]")
_SCHOOL_WORD_RE = re.compile(r"(?:大学|学院|学校|中学)")
_COMPANY_INSIDE_RE = re.compile(r"(?:有限公司|有限责任公司|股份公司)")
_SLOGAN_RE = re.compile(r"[,，、;；]|^[一二两三四五六七八九十]")
_ALIAS_RE = re.compile(r"\((?:联盟|集团|中心|基地|学校|学院)\)")
_AND_COMPANIES_RE = re.compile(r"等(?:各类)?企业")


@lru_cache(maxsize=1)
def _clause_breaks_re() -> re.Pattern:
    data = load_yaml("institutions.yaml")
    return re.compile(f"{data['clause_breaks']}|{data['batch_words']}")


def _valid(name: str, spec_len: int, founded: bool = False) -> bool:
    conf = _conf()
    if len(name) < 4 or "的" in name or conf.not_inside_re.search(name):
        return False
    if _clause_breaks_re().search(name, 2):
        return False  # 某联社某副处长对…集团, 某管委会召开…联合体: words of the sentence, not a name;
        # 某市第三批…实训基地: the projects of one batch of a designation, not one body
    if name in conf.class_nouns or _LEVEL_RE.sub("", name) in conf.class_nouns or name.endswith(conf.designations):
        return False  # 博物馆, 市级文化馆: kinds of venue; …传承学校: a title (a program)
    if conf.designation_classes_re.match(name):
        return False  # 国家实验室, 国家技术创新中心: a designation a body can hold, not a body
    if any(name[:n] in conf.kind_of for n in (2, 3, 4) if n < len(name) - 1):
        return False  # 集团股份有限公司: a name does not start with a suffix word
    for sm in conf.suffix_re.finditer(name, 4, len(name) - 2):
        if name[sm.end()] in "向在为对从到把将给由":
            return False  # 某系统向乡村学校: a name, a preposition, then the clause goes on
    inner = _COMPANY_INSIDE_RE.search(name)
    if inner and inner.end() < len(name) and not name.endswith("分公司"):
        return False  # …股份有限公司共建实训基地: the company is the name, found on its own
    rest = name[spec_len:]
    if spec_len and (
        conf.not_after_re.match(rest) or conf.clause_after_place_re.match(rest) or conf.soft_re.match(rest)
    ):
        return False  # 国家级…: a rank; 某市作为中小学…, 某区设立…中心: a clause's subject, not a name
    if conf.class_openers_re.match(rest) and not (founded and conf.founded_openers_re.match(rest)):
        return False  # 区域性…平台: a kind of platform (市某部门建立统一…平台: the one it founds)
    if rest in ("集团", "公司") and spec_len == 2 and not place_length_at(name, 0):
        return True  # 鲁南集团, 苏北集团: a two-character trade name read as a direction, then 集团
    return not (rest in conf.generic or name in conf.generic or rest in conf.class_after_place)


_NAME_END_RE = re.compile(r"(?:有限责任公司|有限公司|股份公司|工作室)(?!分)")


def _name_ends(text: str, a: int, b: int) -> set[int]:
    """Ends of complete names in ``text[a:b]`` that another name may follow without a
    separator (某某有限公司某某职业技术学院, …技能大师工作室某某有限公司); a company's branch
    (某某有限公司某地分公司) is the company's name going on, so only when none follows."""
    if _BRANCH_RE.search(text, max(a, b - 8), b + 3):
        return set()
    return {m.end() for m in _NAME_END_RE.finditer(text, a, b)}


_BRANCH_RE = re.compile(r"分公司|分院|分厂")


def _below_document(ctx: DocContext, p: int) -> bool:
    """A bare level below the document's own (``区某某资源库`` in a city's regulation): that
    level's bodies each keep one, so the words name a kind, not one institution."""
    if p > 0 and ctx.text[p - 1] in "省市州区县":
        return False  # part of a longer level word
    return ctx.below_own_level(ctx.text[p])


def _start_allowed(text: str, p: int, hb: int, soft_ends: set[int]) -> bool:
    """A name starts after a boundary: punctuation, a verb or connective, or the end of
    another institution's suffix (重庆工程职业技术学院 + 重庆测绘…集团)."""
    if p == hb or p in soft_ends:
        return True
    return (
        bool(_conf().suffix_re.search(text[max(hb, p - 8) : p] + "\x00", 0))
        and kind_of(text[max(hb, p - 8) : p]) is not None
    )


def _chains(starts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping or adjacent specific starts (XX县, 渝西川南, AHK) into chains."""
    chains: list[list[int]] = []
    for p, n in starts:
        if chains and p <= chains[-1][1]:
            chains[-1][1] = max(chains[-1][1], p + n)
        else:
            chains.append([p, p + n])
    return [(a, b - a) for a, b in chains]


def _candidate(text: str, sa: int, e: int, floor: int) -> tuple[int, int] | None:
    """Name ending at ``e`` whose suffix starts at ``sa``; returns its start and the length
    of its specific start (0 for self-standing names)."""
    conf = _conf()
    hb = _hard_start(text, sa, floor)
    soft_ends = _soft_ends(text, hb, sa)
    starts = _chains(_specific_starts(text, hb, sa))
    starts = [(p, n) for p, n in starts if _start_allowed(text, p, hb, soft_ends)]
    if not starts:  # a bare level right after a boundary: 县民族职业高级中学
        least = 1 if text[sa:e].endswith(conf.bare_level_heads) else 3
        for p in sorted(soft_ends | {hb}, reverse=True):
            if sa - p >= least and text[p] in "省市县区" and text[p + 1] not in "域场级内外直属属委":
                starts = [(p, 1)]
                break
    if starts:
        p, n = starts[-1]
        actor = _last_actor_founds(text, p + n, sa)
        if actor is not None:  # 市某办公室建立…服务平台: the body that founds it, then the platform's name
            return (actor, 0) if sa - actor >= 3 and kind_of(text[sa:e]) == "platform" else None
        # X大学Y学院: a branch named after its university keeps the university's name;
        # 某集团某地某有限公司: a group's subsidiary keeps the group's name.
        for q, qn in reversed(starts[:-1]):
            head = text[q:p]
            if kind_of(head) == "school" and head.endswith(("大学", "学院")):
                p, n = q, qn
                break
            if kind_of(head) == "enterprise" and (
                (head.endswith("集团") and _COMPANY_RE.search(text, sa, e))
                or (_COMPANY_RE.search(head) and text[sa - 1 : sa] == "分")
            ):
                p, n = q, qn  # …有限公司某地分公司: a branch keeps its company's name
                break
        return p, n
    actor = _last_actor_founds(text, hb, sa)
    if (
        actor is not None
        and sa - actor >= 3
        and text[sa:e].endswith("平台")
        and not _BODY_WORD_RE.search(text, actor, sa)
    ):
        return actor, 0  # 省级以上…部门会同有关部门建立X平台: the bodies that found it, then its name
    if text[sa:e].endswith(conf.self_standing):
        # The nearest boundary that leaves a stem: 为 in 华为技术有限公司 is part of the name,
        # but a verb of two characters or more ends any name (健全美育研究所: no name); so
        # does the end of another name run into it in a flattened table (…工作室某某有限公司).
        for p in sorted(soft_ends | {hb} | _name_ends(text, hb, sa), reverse=True):
            if sa - p >= 3:
                return p, 0
            if (
                sa - p == 2
                and text[p - 1 : p] in _JOINERS
                and _COMPANY_RE.search(text, sa, e)
                and _HAN_STEM_RE.fullmatch(text, p, sa)
            ):
                return p, 0  # 与劲牌有限公司, 、格力有限公司: after a joiner a two-character trade name
            if p == hb or conf.soft_re.fullmatch(text, p - 2, p) or conf.soft_re.fullmatch(text, p - 3, p):
                break
    heads, class_words = _stem_named()
    if text[sa:e] in heads and not class_words.search(text, max(hb, sa - 6), sa):
        p = max(soft_ends | {hb})  # 对三峡职业技术学院: a college named by the word before its kind
        if 2 <= sa - p <= 4 and _HAN_STEM_RE.fullmatch(text, p, sa):
            return p, 0
    if (
        text[sa:e] == "大学"
        and text[e : e + 1] not in ("生", "城", "科", "堂")
        and not conf.generic_university_re.search(text, max(hb, sa - 8), e)
    ):
        for p in sorted(soft_ends | {hb}, reverse=True):
            if sa - p >= 2:  # 依托清华大学: a university is named by what stands before 大学
                return (p, 0) if _HAN_STEM_RE.fullmatch(text, p, sa) else None
            if p == hb or conf.soft_re.fullmatch(text, p - 2, p) or conf.soft_re.fullmatch(text, p - 3, p):
                break
    if text[sa:e].endswith(conf.founded) and soft_ends:
        p = max(soft_ends)  # 本市建立X公共服务平台: founded here, so named here
        if sa - p >= 3 and conf.founding_re.search(text[max(hb, p - 4) : p]):
            return p, 0
    if (
        text[sa:e].endswith(conf.founded)
        and sa - hb >= 3
        and conf.described_founding_re.search(text, max(floor, hb - 12), hb)
    ):
        return hb, 0  # 建立健全开放共享的X信息服务平台: founded here, after a short description
    return None


class _Workshops(NamedTuple):
    head_re: re.Pattern  # the longest workshop head ending where a search stops
    surname_re: re.Pattern
    not_person_re: re.Pattern
    host_end_re: re.Pattern
    not_person_word_re: re.Pattern  # words (ranks, qualities) that a master's name never is


@lru_cache(maxsize=1)
def _workshops() -> _Workshops:
    data = load_yaml("institutions.yaml")["person_workshops"]
    return _Workshops(
        re.compile(f"(?:{alternation(data['heads'])})$"),
        re.compile(data["surnames"]),
        re.compile(data["not_person"]),
        re.compile(data["host_endings"]),
        re.compile(f"(?:{data['not_person_words']})"),
    )


_HOST_KIND_RE = re.compile(r"(?:\(集团\)|厂|矿)$")


def _person_workshop(text: str, e: int, floor: int) -> list[tuple[int, int, str]]:
    """A workshop named after its master (某某某技能大师工作室) ending at ``e``, and the host
    it is written after as one listed item (、某某集团某某某技能大师工作室: the workshop's name
    runs from the item's start; the host is a name too). None for the title (某市技能大师
    工作室, 国家级…, 一批…): no person's name right after a boundary."""
    w = _workshops()
    hm = w.head_re.search(text, max(floor, e - 8), e)
    if hm is None:
        return []
    h = hm.start()
    hb = _hard_start(text, h, floor)
    soft = _soft_ends(text, hb, h)
    for n in (3, 2):
        s = h - n
        person = text[s:h]
        if s < hb or not _HAN_STEM_RE.fullmatch(person) or not w.surname_re.match(person):
            continue
        if w.not_person_re.search(person) or _not_a_person(person):
            continue
        host_start = _host_start(text, hb, s, soft, floor)
        host = text[host_start:s]
        after_host = bool(w.host_end_re.search(host)) or bool(w.head_re.search(text, max(hb, s - 8), s))
        if not (s == hb or s in soft or text[s - 1] in ")）" or after_host):
            continue
        if host_start is None or not host or "工作室" in text[hb:s] or not w.host_end_re.search(host):
            return [(s, e, "platform")]
        if _conf().not_inside_re.search(host):
            return [(s, e, "platform")]
        host_kind = kind_of(host) or ("enterprise" if _HOST_KIND_RE.search(host) else None)
        if host_kind is None or host_kind == "platform" or len(host) < 3:
            return [(s, e, "platform")]
        return [(host_start, e, "platform"), (host_start, s, host_kind)]
    return []


def _not_a_person(person: str) -> bool:
    """Words read as a surname and a given name (成立, 高端, 金牌, 石化): a verb that
    founds or confers, a rank or quality, an industry; no master is named."""
    conf = _conf()
    verb = conf.soft_re.match(person)
    if verb is not None and verb.end() >= 2:
        return True
    if _workshops().not_person_word_re.match(person):
        return True
    return any(person.startswith(w) for w in conf.sector_words if len(w) >= 2)


def _host_start(text: str, hb: int, s: int, soft: set[int], floor: int) -> int | None:
    """Where the name of a workshop's host ending at ``s`` starts: where the host's own
    name rule starts it (推荐长沙某研究所: after the verb), else at the boundary when no verb
    stands between (、某某集团: a listed item). ``None`` when the words before the person
    are no name by those rules (依托市职业技术学院: a bare level and a class of school)."""
    conf = _conf()
    suffix = None
    for m in conf.suffix_re.finditer(text, max(hb, s - 12), s):
        if m.end() == s and (suffix is None or m.start() < suffix):
            suffix = m.start()
    if suffix is not None and suffix > hb:
        cand = _candidate(text, suffix, s, floor)
        if cand is not None and hb <= cand[0] < suffix:
            return cand[0]
    # Ends of verbs of two characters or more (one-character joiners such as 同 may open a name).
    verbs = [
        p for p in soft if hb < p < s and any(conf.soft_re.fullmatch(text, q, p) for q in range(max(hb, p - 4), p - 1))
    ]
    if verbs:
        return None if suffix is not None else max(verbs)
    return hb


def _split_groups(text: str, p: int, e: int) -> list[tuple[int, int]]:
    """A school followed by a group or company it runs or works with are two names
    (重庆工程职业技术学院[与]中建桥梁有限公司); a school followed by its own base or centre
    is one name; a school running into another school name is no name."""
    name = text[p:e]
    kind = kind_of(name)
    for jm in _JOINT_VERB_RE.finditer(name, 4, len(name) - 2):
        cut = p + jm.start()
        kind_before = kind_of(text[p:cut])
        if kind_before != "school" and _JOINED_RE.search(text, p, cut):
            continue  # 某学院与某集团共建…: two names, split below
        if kind_before in ("school", "group", "enterprise"):
            return [(p, cut)]  # 某区职业教育中心共建汽车实训中心, 某集团共建产业学院: the body, then what it builds
    for m in _SCHOOL_WORD_RE.finditer(name, 0, len(name) - 2):
        cut = p + m.end()
        if m.end() < 4 or kind_of(text[p:cut]) != "school":
            continue
        if kind in ("group", "enterprise"):
            rest = cut + 1 if text[cut] in "与和及、" else cut
            return [(p, cut), (rest, e)]
        if kind == "school" and _specific_len(text, cut) == 0:
            return []  # 重庆市江南职业学校试办社区学院
    return [(p, e)]


@lru_cache(maxsize=1)
def _enumeration_re() -> tuple[re.Pattern, dict, re.Pattern]:
    data = load_yaml("institutions.yaml")
    classes = data["enumeration_classes"]
    closing = re.compile(rf"(?<![中高初同平对])等(?:各类|知名|大型|重点)?({alternation(classes)})")
    return closing, classes, re.compile(data["not_enumeration_items"])


_ENUM_HARD = set(',，。;；:：“”"()\n\t ')


def _enumerated(ctx: DocContext) -> dict[tuple[int, int], str]:
    """Items of ``X、Y等企业`` enumerations: names without a suffix (东风小康, 华为)."""
    closing, classes, not_item = _enumeration_re()
    conf = _conf()
    text = ctx.text
    out: dict[tuple[int, int], str] = {}
    for m in closing.finditer(text, ctx.body_start, ctx.body_end):
        kind = classes[m.group(1)]
        end = m.start()
        i = end
        while i > ctx.body_start and end - i < 80 and text[i - 1] not in _ENUM_HARD:
            i -= 1
        for part in re.finditer(r"[^、和]+", text[i:end]):
            a, b = i + part.start(), i + part.end()
            soft = [x.end() for x in conf.soft_re.finditer(text, a, b) if x.end() < b - 1]
            a = max([a, *soft])
            name = text[a:b]
            if not 2 <= len(name) <= 14 or _specific_len(text, a) >= len(name):
                continue  # 瑞典、德国等高校: places, not organisations
            if name in conf.class_nouns or name in conf.generic or (kind == "other" and not kind_of(name)):
                continue  # 博物馆、文化馆等机构: kinds of venue; 技能鉴定等机构: functions
            if name in conf.sector_words:
                continue  # 汽车、电子信息等企业: industries, the kind of firm meant
            if not not_item.search(name) and not conf.not_inside_re.search(name) and "的" not in name:
                out[(a, b)] = kind_of(name) or kind
    return out


# (以下简称X), （以下称“X”）, (简称X): the short name a document gives the name before it.
_ALIAS_DECL_RE = re.compile(
    r"[(（](?:以下简称|以下统称|以下称|下称|简称)[:：]?[“\"]?([^()（）“”\"、,，。;；:：\s]{2,16})[”\"]?[)）]"
)


class AliasDecl(NamedTuple):
    start: int  # the bracket
    end: int
    alias_start: int  # the short name inside it
    alias_end: int


def alias_declarations(ctx: DocContext) -> list[AliasDecl]:
    """Short names the document declares in brackets (``某市职业教育集团（以下简称职教集团）``):
    no names of their own, and their later uses mean the name before the bracket."""
    text = ctx.text
    if "称" not in text:
        return []
    return [
        AliasDecl(m.start(), m.end(), m.start(1), m.end(1))
        for m in _ALIAS_DECL_RE.finditer(text, ctx.body_start, ctx.body_end)
    ]


def alias_uses(ctx: DocContext, decl: AliasDecl, taken: Unnested) -> list[tuple[int, int]]:
    """Later uses of a declared short name that no other name holds or meets (each is then
    taken, so a use is read once)."""
    text = ctx.text
    alias = text[decl.alias_start : decl.alias_end]
    out = []
    p = text.find(alias, decl.end, ctx.body_end)
    while p != -1:
        q = p + len(alias)
        if not taken.overlap(p, q) and not ctx.in_title(p, q):
            out.append((p, q))
            taken.add(p, q)
        p = text.find(alias, q, ctx.body_end)
    return out


def find_institutions(ctx: DocContext, exclude: Sequence[tuple[int, int]] = ()) -> list[Mention]:
    """Institution mentions in the body; ``exclude`` are view ranges already taken by
    departments."""
    conf = _conf()
    text = ctx.text
    found: dict[tuple[int, int], str] = {}
    hosts: dict[tuple[int, int], str] = {}  # a workshop's host, inside the workshop's name
    for m in conf.suffix_re.finditer(text, ctx.body_start, ctx.body_end):
        sa, e = m.start(), m.end()
        if m.group() in conf.continued and conf.continues_re.match(text, e):
            continue  # 艺术团体, 平台型企业: the suffix word modifies what follows
        if conf.class_followers_re.match(text, e):
            continue  # 中国共产党职业学校基层组织: the class qualifies the organisation after it
        if m.group() == "工作室":  # named after its master, or a title (a program), never by place
            spans = _person_workshop(text, e, ctx.body_start)
            if spans:
                found.setdefault(spans[0][:2], spans[0][2])
                hosts.update({(a, b): kind for a, b, kind in spans[1:]})
            continue
        cand = _candidate(text, sa, e, ctx.body_start)
        if cand is None:
            continue
        p, spec = cand
        if sa - (p + spec) < conf.min_stem.get(m.group(), 0):
            continue  # 某市教育系统: a sector, not a system
        if m.group() == "系统" and not conf.system_words_re.search(text, p + spec, sa):
            continue  # 某市卫生健康系统: the sector again
        if m.group() in conf.continued and (_school_inside(text, p, spec, sa) or text[p + 1 : p + 2] == "("):
            continue  # 某学院合作平台: the school's own platform; 县(市、区)美育中心: every county's
        if text[p] in "省市县区" and _LEVELS_BEFORE_RE.search(text, max(0, p - 10), p):
            continue  # 市、区…资源库: every level's pool, not one named pool
        if spec == 1 and not _LEVEL_COUNT_RE.match(text, p) and _below_document(ctx, p):
            continue  # 区某某资源库 in a city's text: every district's pool, not one named pool
        for a, b in _split_groups(text, p, e):
            name = text[a:b]
            level_count = _LEVEL_COUNT_RE.match(name)
            if level_count:  # 市、县两级…平台: the levels that build one each, not part of a name
                a += level_count.end()
                name = text[a:b]
            founded = a == p and _founded_by_actor(text, a)
            if _valid(name, _specific_len(text, a) if a != p or level_count else spec, founded):
                found[(a, b)] = kind_of(name) or "other"
    for m in _QUOTED_RE.finditer(text, ctx.body_start, ctx.body_end):
        a, b = m.start(1), m.end(1)
        name = text[a:b]
        kind = kind_of(name)
        if (
            kind
            and len(name) >= 5
            and name not in conf.generic
            and not _SLOGAN_RE.search(name)  # “三通两平台”: a slogan
        ):
            found[(a, b)] = kind
    for span, kind in _enumerated(ctx).items():
        found.setdefault(span, kind)
    # Keep the longest of overlapping candidates, except names split on purpose.
    chosen: list[tuple[int, int, str]] = []
    kept = Unnested()
    decls = alias_declarations(ctx)
    taken = Ranges([*exclude, *((d.start, d.end) for d in decls)])  # a declared short name is no name
    for (a, b), kind in sorted(found.items(), key=lambda t: (-(t[0][1] - t[0][0]), t[0][0])):
        if taken.overlap(a, b):
            continue
        if kept.contain(a, b):
            continue
        chosen.append((a, b, kind))
        kept.add(a, b)
    chosen.extend(_short_uses(ctx, chosen, kept))
    picked = {(a, b) for a, b, _ in chosen}
    for (a, b), kind in hosts.items():
        if (a, b) not in picked and not taken.overlap(a, b) and kept.contain(a, b):
            chosen.append((a, b, kind))  # 、某集团某某某技能大师工作室: the host is named too
    out = []
    for a, b, kind in sorted(chosen):
        if ctx.in_title(a, b):
            continue
        alias = _ALIAS_RE.match(text, b, b + 6)
        if alias:  # 全国电梯职教集团(联盟)
            b = alias.end()
        if kind == "group" and _AND_COMPANIES_RE.match(text, b, b + 5):
            kind = "enterprise"  # 四川希望教育集团等企业
        out.append(ctx.mention("institution", a, b, kind=kind))
    if decls:
        out.extend(_alias_mentions(ctx, decls, out, exclude))
        out.sort(key=lambda m: m.span.start)
    return out


def _short_uses(ctx: DocContext, chosen: list[tuple[int, int, str]], kept: Unnested) -> list[tuple[int, int, str]]:
    """Other uses of a public-service platform the document names, in full or without its
    first words (建立…职业教育X信息服务平台 …通过X信息服务平台申报): the same platform, read
    where no other name holds the words and a boundary stands before them."""
    conf = _conf()
    text = ctx.text
    out: list[tuple[int, int, str]] = []
    for a, b, kind in list(chosen):
        name = text[a:b]
        suffix = next((s for s in conf.founded if name.endswith(s)), None)
        if kind != "platform" or suffix is None:
            continue
        tails = [name[k:] for k in range(len(name) - len(suffix) - 3)]  # four words at least
        for tail in tails:
            p = text.find(tail, ctx.body_start, ctx.body_end)
            while p != -1:
                q = p + len(tail)
                before = text[p - 1 : p]
                if not kept.overlap(p, q) and (
                    before in _HARD or any(conf.soft_re.fullmatch(text, p - n, p) for n in (1, 2, 3, 4))
                ):
                    out.append((p, q, kind))
                    kept.add(p, q)
                p = text.find(tail, q, ctx.body_end)
    return out


def _alias_mentions(
    ctx: DocContext, decls: list[AliasDecl], found: list[Mention], exclude: Sequence[tuple[int, int]]
) -> list[Mention]:
    """Later uses of a short name declared right after an institution's name: mentions of
    that institution, under its name."""
    ends = {ctx.view.to_view(m.span)[1]: m for m in found}
    taken = Unnested()
    for a, b in sorted({*((ctx.view.to_view(m.span)) for m in found), *exclude}, key=lambda r: (r[0] - r[1], r[0])):
        if not taken.overlap(a, b):
            taken.add(a, b)
    out = []
    for d in decls:
        named = ends.get(d.start)
        if named is None:
            continue
        for a, b in alias_uses(ctx, d, taken):
            out.append(ctx.mention("institution", a, b, name=named.name, kind=named.attrs.get("kind") or "other"))
    return out
