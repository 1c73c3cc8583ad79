"""Document metadata (docs/annotation.md §1): title, 发文字号, issuer, region, level, date.

Sources, in order of trust: the page's header fields (``[ 发文字号 ]``, ``成文日期``), the
forwarding notice (``X关于印发Y的通知``), the policy's own title line (the title-like
paragraph right before the preamble), and signature lines. A regulation's issuer and date
come from its adoption lines (``（2019年…日…市第…届人民代表大会常务委员会第…次会议通过）``,
GUIDELINES §10). All matching is on the normalised view; spans are reported in original
offsets.
"""

from __future__ import annotations

import datetime
import re
from typing import get_args

from kg.core.model import AdminLevel, Document, Genre, Metadata, WorkChange, WorkChangeKind
from kg.core.numerals import parse_int
from kg.core.regions import Region, aliases, gazetteer, leading_regions, leading_stem, level_from_suffix
from kg.core.span import Span
from kg.core.textview import normalize

DOC_NUMBER = r"[\u4e00-\u9fa5A-Za-z]{1,14}[〔\[【(]\d{4}[〕\]】)]?\s*(?:\d{1,4}|[X]{1,3})\s*号"
DOC_NUMBER_RE = re.compile(DOC_NUMBER)
_FIELD_DOC_NUMBER = re.compile(r"(?:发文字号|文\s*号)\s*[\]】]?\s*[:：]?\s*(" + DOC_NUMBER + ")")
# The 成文日期 (or 发文日期) field: 2021-12-04, 2021年12月4日, 2021.12.04 or 20211204.
_FIELD_DATE = re.compile(
    r"(?:成文日期|发文日期)\s*[\]】]?\s*[:：]?\s*(?:(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]"
    r"\s*(\d{1,2})|(\d{4})(\d{2})(\d{2})(?!\d))"
)
_FIELD_TITLE = re.compile(r"^[ \t\[]*(?:标\s*题|文件名称|名\s*称)\s*\]?\s*[:：]?\s*(\S.{4,}?)[ \t]*$", re.M)
# Zero as printed in a year in words: 〇, 零, a circle ○ or a letter O (二○一○年, 二O一O年).
_ZERO = "〇零○O"
# A signed date, in Arabic or Chinese numerals (2021年12月4日, 二〇二一年十二月四日).
SIGNATURE_DATE = (
    rf"(\d{{4}})年(\d{{1,2}})月(\d{{1,2}})日|([{_ZERO}一二三四五六七八九]{{4}})年"
    r"([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
_DATE_LINE = re.compile(rf"^[ \t]*(?:{SIGNATURE_DATE})[ \t]*$", re.M)
_GENRES = (
    "实施方案",
    "实施意见",
    "方案",
    "意见",
    "办法",
    "规划",
    "计划",
    "通知",
    "决定",
    "措施",
    "细则",
    "纲要",
    "规定",
    "要点",
    "行动",
    "条例",
    "规则",
    "守则",
    "决议",
    "若干政策",
    "政策",
    "指南",
    "清单",
)
_GENRE_RE = re.compile(
    r"(?:" + "|".join(_GENRES) + r"|^中华人民共和国\S{2,30}法)"
    r"(?:\s*\((?:试行|暂行|征求意见稿|\d{4}年?(?:修订|修正)?)\))?$"
)
_PREAMBLE_RE = re.compile(r"(?:为了?|根据|按照|依据|为深入|为全面|为进一步|为加快)\S")
# Adoption, revision, approval or publication of a regulation or rule, as printed above its
# text: ``2018年11月22日上海市第十五届人民代表大会常务委员会第七次会议修订``, ``…市人民政府
# 第45次常务会议通过``, ``…市人民政府令第318号公布``; or, in a 公告, ``由…第七次会议于
# 2018年11月22日修订通过``.
_CN_COUNT = "一二三四五六七八九十百零〇两"
_DATE_TEXT = (
    rf"\d{{4}}年\d{{1,2}}月\d{{1,2}}日|[{_ZERO}一二三四五六七八九]{{4}}年[一二三四五六七八九十]{{1,3}}月"
    r"[一二三四五六七八九十]{1,3}日"
)
# ``…第二十三次会议``, or with 会议 dropped before the verb (``…第二十三次通过``).
_MEETING = rf"(?:(?:第?[{_CN_COUNT}\d]+次?)?(?:全体|常务|主任)?会议|第[{_CN_COUNT}\d]+次(?=\s*(?:审议)?(?:通过|修订|修正|批准)))"
_ADOPTION_RE = re.compile(
    rf"(?P<date>{_DATE_TEXT})\s*(?:根据\s*)?(?P<body>[\u4e00-\u9fa5]{{2,40}}?)"
    rf"(?:{_MEETING}|(?:令|公告)\s*(?:第?[{_CN_COUNT}\d]+号)?|第[{_CN_COUNT}\d]+号)(?:(?!\d{{4}}年)[^。\n]){{0,200}}?"
    rf"(?P<verb>通过|修订|修正|制定|批准|公布|发布)|"
    rf"(?P<body2>[\u4e00-\u9fa5]{{2,40}}?){_MEETING}于(?P<date2>{_DATE_TEXT})\s*(?:审议)?"
    rf"(?P<verb2>修订|修正|通过|制定|批准)|"
    # a revision by a decision printed with no meeting (``2013年7月18日《国务院关于修改部分行政
    # 法规的决定》第一次修订``): the decision's issuer revised it
    rf"(?P<date3>{_DATE_TEXT})\s*(?:根据\s*)?《(?P<body3>[\u4e00-\u9fa5]{{2,30}}?)关于[^《》\n]{{2,80}}的决定》"
    rf"\s*(?:第[{_CN_COUNT}]+次)?(?P<verb3>修订|修正)"
)
# Other lines of a regulation's header: when it takes effect, or an adoption line broken
# after the place (``2017年7月28日 山东省`` / ``第十二届…会议…修正``).
_HEADER_LINE_RE = re.compile(
    rf"\(?(?:自\s*)?(?:{_DATE_TEXT})\s*(?:起\s*)?施行\)?|(?:{_DATE_TEXT})\s*[\u4e00-\u9fa5]{{0,12}}|"
    rf"\(?(?:根据)?\s*(?:{_DATE_TEXT}).{{0,60}}会议[^,，]*|"
    rf"[\u4e00-\u9fa5]{{0,12}}第[{_CN_COUNT}]+届.{{0,40}}会议[^,，]*|.{{0,100}}(?:的决定》?|》)\s*(?:第[{_CN_COUNT}]+次)?(?:修正|修订)\)?|"
    # broken before the day's 日 (``2014年9月26`` / ``日山东省…批准``) or after the body
    # (``2013年2月26日 某市第十五届人民代表大会常务委员会`` / ``第九次会议通过``)
    rf"\d{{4}}年\d{{1,2}}月\d{{1,2}}|\(?(?:{_DATE_TEXT})\s*[\u4e00-\u9fa5]{{2,40}}?(?:人民代表大会(?:常务委员会)?|人大常委会|人民政府)"
)
_TERM_COUNT_RE = re.compile(rf"第?[{_CN_COUNT}\d]+届")
# A rule's number as its decree or announcement gives it: ``江西省人民政府令第253号``,
# ``…人民政府公告(2019年第5号)``, ``市政府第45号令``, ``…公告2019年第5号``.
DECREE_NUMBER = (
    rf"[\u4e00-\u9fa5]{{2,30}}?(?:令|公告)\s*\(?\s*(?:\d{{4}}\s*年\s*)?第\s*[{_CN_COUNT}\d]{{1,5}}\s*号\s*\)?"
    rf"|[\u4e00-\u9fa5]{{2,30}}?第\s*[{_CN_COUNT}\d]{{1,5}}\s*号令"
)
# The number printed with a rule's publication in its header: ``2020年5月6日…人民政府令第196号公布``.
_PUBLISHED_AS_RE = re.compile(rf"(?:{_DATE_TEXT})\s*(?P<number>(?:{DECREE_NUMBER}))\s*(?:公布|发布)")
# (a title quoted whole after its number, ``京政办发〔2016〕26号《…关于印发…的通知》``, is one;
# a notice cited in a sentence, ``…,根据…《关于印发…的通知》``, is not, nor one a sentence
# that lost its quotation marks stands on: ``为贯彻落实X关于印发Y的通知精神``)
_CITING = r"(?!按照|根据|依据|遵照|为贯彻|贯彻|落实|结合)"
_NOTICE_RE = re.compile(
    rf"^(?P<issuer>(?:{_CITING}[^《》，,。；;：:]*?《)?(?:{_CITING}[^《》，,。；;：:])*?)关于(?:印发|转发|下发)《?(?P<inner>.+?)》?的通知"
)
# A notice that forwards without its own 关于: ``X转发Y等部门关于Z的通知``, ``X印发关于Z的通知``
# (the sender, if printed, on the line above or before the verb).
_FORWARD_RE = re.compile(
    r"^(?P<issuer>[^关《》]*?)(?:印发|转发|下发)[^《》关\x00]{0,40}?\x00?(?P<inner>关于.+?)的通知$"
)
_ORG_SUFFIX = (
    "人民政府办公室",
    "人民政府办公厅",
    "人民政府",
    "办公室",
    "办公厅",
    "委员会",
    "厅",
    "局",
    "部",
    "委",
    "政府",
    # national bodies whose names end otherwise
    "国务院",
    "中共中央",
    "党中央",
    "总署",
    "审计署",
)
_ISSUER_SPLIT_RE = re.compile(
    r".+?(?:人民政府办公室|人民政府办公厅|委员会|人民政府|办公厅|办公室|(?<!办公)厅|局|部|"
    # a party committee's department is one body (``中共成都市委社会工作部``, ``市委办公室``)
    r"(?<![省市县区州])委(?!员|办公)|(?<=[省市县区州])委(?!员|办公|[\u4e00-\u9fa5]{1,6}部))"
)
# A paragraph runs up to a line break, a tab or two spaces (at least one character): the
# characters between, read greedily (a lazy match testing the stop at every character is
# several times slower).
_PARAGRAPH_RE = re.compile(r"[^\n](?:[^\n\t ]+| (?! ))*")
_QUOTES = "《》“”\"'‘’「」 \t"


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    for m in _PARAGRAPH_RE.finditer(text, start, end):
        a, b = m.start(), m.end()
        while a < b and text[a] in " \t":
            a += 1
        if a < b:
            out.append((a, b))
    return out


def _is_title_like(s: str) -> bool:
    s = s.strip(_QUOTES)
    if "。" in s:
        return False
    return bool(_GENRE_RE.search(s)) if 6 <= len(s) <= 120 else bool(_SHORT_RULE_RE.fullmatch(s))


# A national rule's short name (信访条例, 博物馆条例): two or three characters and its genre;
# never the document naming itself (本办法) or a genre alone (实施办法, 若干规定).
_SHORT_RULE_RE = re.compile(r"(?!本|该|此|实施|暂行|若干|管理|有关|相关)[\u4e00-\u9fa5]{2,3}(?:条例|办法|规定)")


def _is_prose(s: str, short: bool = False) -> bool:
    """A sentence of text (``short``: a sentence of any length ending in 。), not a notice's
    forwarding line."""
    sentence = s.endswith("。") if short else "。" in s and len(s) > 30
    return sentence and not re.search(r"印发给你们|现印发|现将", s)


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    """The span without the quotation marks around it; a 《 that opens a work named at the
    start (``《…条例》实施办法``) stays, and so does a closing 》 whose 《 is inside."""
    a0, b0 = a, b
    while a < b and text[a] in _QUOTES:
        a += 1
    while b > a and text[b - 1] in _QUOTES:
        b -= 1
    inner = text[a:b]
    if a > a0 and text[a - 1] == "《" and inner.count("》") > inner.count("《"):
        a -= 1
    if b < b0 and text[b] == "》" and inner.count("《") > inner.count("》"):
        b += 1
    if text[a : a + 1] == "〈" and text[b - 1 : b] == "〉" and text.count("〈", a, b) == 1:
        a, b = a + 1, b - 1  # a name quoted inside another's title marks (``《…印发〈…要点〉的通知》``)
    return a, b


def _number_line(s: str) -> re.Match | None:
    """A line that is only a 文号, bare or in brackets (``(黔府办函〔2016〕269号)``)."""
    # a 号 typed twice (``…〔2020〕4号号``) is no part of the number
    m = re.fullmatch(r"\s*[(\[【]?\s*(" + DOC_NUMBER + r")号*\s*[)\]】]?\s*", s)
    return m if m and DOC_NUMBER_RE.fullmatch(m.group(1)) else None


_HEADER_FIELD_RE = re.compile(
    r"^[\[【]?\s*(?:发布时间|发布日期|发文日期|成文日期|印发日期|生效日期|施行日期|公布日期|"
    r"规范性文件登记号|登记号|登记编号|统一编号|索引号|主题分类|文件类型|发文机关|发布机构|"
    r"来源|信息来源|字号|有效性|时效性|阅读次数|浏览次数|发布部门|制定机关|实施日期|效力级别|法规类别|"
    r"发文字号|出自|信息名称|信息索引|信息类别|生成日期|发文机构|内容概述|所属主题|公开方式)\s*(?:[\]】]|[:：])"
)
# A date in brackets under a title or a signature (``（二○一○年四月二十六日）``).
_BRACKETED_DATE_RE = re.compile(rf"\(\s*(?:{SIGNATURE_DATE})\s*\)")


def _is_signature_line(s: str) -> bool:
    """A line of bodies signing a document (``省人力资源社会保障厅 省教育厅 省财政厅``)."""
    tokens = s.split()
    return (
        0 < len(tokens) <= 8
        and "关于" not in s
        and not _is_title_like(s)
        and all(len(t) <= 30 and _SIGNATORY_RE.fullmatch(t) for t in tokens)
    )


def _is_skippable(s: str) -> bool:
    """Lines between a title and its preamble: doc number, header fields (发布时间：,
    规范性文件登记号：), addressees, dates, notes."""
    s = s.strip()
    return (
        bool(_number_line(s))
        or s.endswith((":", "："))
        or bool(_DATE_LINE.match(s))
        or bool(_BRACKETED_DATE_RE.fullmatch(s))
        or bool(_HEADER_FIELD_RE.match(s))
        or _is_signature_line(s)
        or s.startswith("(此件")
        or len(s) <= 2
        or bool(re.fullmatch(r"目\s*录", s))
        or bool(re.fullmatch(r"(?:总|附)\s*则", s))  # a chapter title printed without its number
        or is_adoption_line(s)
    )


def is_adoption_line(s: str) -> bool:
    """A regulation's adoption or revision line, or its parenthesised block (which may also
    say when it takes effect: ``(…公布　自2019年8月1日起施行)``)."""
    if len(s) > 800 or "。" in s:  # prose (a preamble citing a meeting), not a header line
        return False
    return (
        bool(_ADOPTION_RE.search(s))
        or bool(_HEADER_LINE_RE.fullmatch(s))
        or bool(re.fullmatch(r"\(.{0,60}\d{4}年.{0,60}(?:通过|制定|施行|公布)\)", s))
        # pieces of an amending decision's title broken over lines (``〈…办法〉``, ``…〉的决定》修正``)
        or bool(
            re.fullmatch(
                r"〈[^。]*|[^。]*〉|[^。]*〉〈[^。]*|[^。]*〉的决定》?\s*(?:第[一二三四五六七八九十]+次)?(?:修正|修订)\)?",
                s,
            )
        )
        # the tail of an adoption line broken over lines (``常务委员会第三十次会议通过)``)
        or bool(re.fullmatch(r"[^。()]{0,60}(?:会议|决定》?)\s*(?:修订|修正|通过|制定|批准|公布)\)?", s))
    )


_FIRST_UNIT_RE = re.compile(r"(?:一、|\(一\)|1[.、])\S|第一(?:部分|章|节|条)(?![,、的之规款项])")
_UNIT_AT_RE = r"(?:^|(?<=  )|(?<=\t))[ \t]*"
_FIRST_ARTICLE_RE = re.compile(_UNIT_AT_RE + r"第一条", re.M)
_FIRST_CHAPTER_RE = re.compile(_UNIT_AT_RE + r"第一章", re.M)
_PLACELESS_RULE_RE = re.compile(
    r"(?!关于|[\u4e00-\u9fa5]{1,6}?(?:省|自治区|市|县|区|州|盟|旗))[\u4e00-\u9fa5《》〈〉、]{2,40}(?:条例|办法|规定|细则|规则)(?:\((?:试行|暂行)\))?"
)


def find_body_start(text: str, start: int = 0) -> int | None:
    """View offset where the policy proper starts (at or after ``start``): its preamble, or
    its first part, chapter or article."""
    for a, b in _paragraphs(text, start, len(text)):
        para = text[a:b]
        if (
            _PREAMBLE_RE.match(para)
            and len(para) >= 8
            # a forwarding paragraph is the notice's, not the policy's; unless the notice is the
            # policy itself, its items following (…印发给你们，并就有关事项通知如下)
            and (not re.search(r"印发给你们|现印发|现将|现予印发|请认真|请结合", para) or "通知如下" in para)
            and not is_adoption_line(para)
        ):
            return a
        if _FIRST_UNIT_RE.match(para):
            return _opening_chapter(text, a) if para.startswith("第一章") else a
    return None


def _opening_chapter(text: str, first_chapter: int) -> int:
    """The 第一章 that opens 第一条: a table of contents lists the chapters before it."""
    article = _FIRST_ARTICLE_RE.search(text, first_chapter)
    if article is None:
        return first_chapter
    chapters = [m.start() for m in _FIRST_CHAPTER_RE.finditer(text, first_chapter, article.start())]
    if not chapters:
        return first_chapter
    last = chapters[-1]
    return last + len(text[last:]) - len(text[last:].lstrip(" \t"))


def split_issuers(prefix: str) -> list[str]:
    """``北京市发展和改革委员会北京市教育委员会`` → the two bodies."""
    parts = _ISSUER_SPLIT_RE.findall(prefix)
    merged: list[str] = []
    for p in parts:
        if merged and (p in ("办公室", "办公厅") or len(p) <= 1):
            merged[-1] += p
        else:
            merged.append(p)
    if not merged or "".join(merged) != prefix:
        return [prefix]
    return merged


_JOINT_ISSUER_RE = re.compile(r"等\s*(?:\d+|[一二三四五六七八九十]+)?\s*个?(?:部门|单位)$")
# Issuers of national documents: the State Council, the Party centre, ministries.
_NATIONAL_RE = re.compile(
    r"^(?:中华人民共和国)?(?:国务院|中共中央|党中央|中央[\u4e00-\u9fa5]{1,8}|全国[\u4e00-\u9fa5]{1,12}|"
    r"国家[\u4e00-\u9fa5]{1,10}(?:局|委|部|署)|[\u4e00-\u9fa5]{1,10}部)(?:等|、|\s|$)"
)


def _ends_with_org(s: str) -> bool:
    """A body's name, or joint issuers (``教育部等8部门``)."""
    return s.endswith(_ORG_SUFFIX) or bool(_JOINT_ISSUER_RE.search(s))


def _iso(y: str, m: str, d: str) -> str | None:
    yi = int(y) if y.isdigit() else int("".join(str(parse_int(c) or 0) for c in y))
    mi, di = parse_int(m), parse_int(d)
    if not mi or not di or not (1 <= mi <= 12 and 1 <= di <= 31 and 1900 < yi < 2200):
        return None
    return f"{yi:04d}-{mi:02d}-{di:02d}"


_NUMBER_THEN_ADDRESSEES_RE = re.compile(r"(" + DOC_NUMBER + r")(?=各[\u4e00-\u9fa5])")


def _doc_number(text: str, head_end: int, paras) -> tuple[int, int] | None:
    """发文字号: a header field, else a standalone number line before the body."""
    m = _FIELD_DOC_NUMBER.search(text, 0, head_end)
    if m:
        return m.start(1), m.end(1)
    for a, b in paras:
        m = _number_line(text[a:b])
        if m:
            return a + m.start(1), a + m.end(1)
    for a, b in paras:  # the number run into the addressees (``…〔2015〕101号各县(市、区)人民政府，…：``)
        m = _NUMBER_THEN_ADDRESSEES_RE.match(text, a, b)
        if m and DOC_NUMBER_RE.fullmatch(m.group(1)):
            return m.start(1), m.end(1)
    return None


def _notice(text: str, paras):
    """The forwarding notice (X关于印发Y的通知, X转发Y关于Z的通知) as (start, end, match), if
    there is one; a notice title broken over up to four short lines is read as one (the
    match then runs over the line breaks, read as NUL characters: same offsets)."""
    for i, (a, b) in enumerate(paras):
        nm = _NOTICE_RE.search(text[a:b])
        if nm:
            return a, b, nm
        end = b
        for j in range(i, min(i + 4, len(paras))):
            a2, b2 = paras[j]
            if j > i and (a2 - end > 3 or text[end:a2].strip()):
                break
            if len(text[a2:b2]) >= (60 if j == i else 120) or "。" in text[a2:b2]:
                break
            end = b2
            joined = text[a:end].replace("\n", "\x00")
            nm = _NOTICE_RE.search(joined) if j > i else None
            if nm and "\x00" not in nm.group("issuer"):
                return a, end, nm
            fm = _FORWARD_RE.search(joined)
            if fm and _forwarding_sender(fm.group("issuer")):
                return a, end, fm
    return None


def _forwarding_sender(prefix: str) -> bool:
    """The text before a notice's 转发/印发 is nothing, or a body's name on a line of its own."""
    prefix = prefix.strip()
    if not prefix:
        return True
    parts = [p.strip() for p in prefix.split("\x00")]
    return all(p and _ends_with_org(p) for p in parts[:-1]) and (not parts[-1] or _ends_with_org(parts[-1]))


def _title(text: str, head_end: int, paras, notice, opens_outline: bool) -> tuple[int, int] | None:
    """The title-like paragraph closest before the body (the inner title if that is a
    forwarding notice); else the header field; else the notice's inner title."""
    title = None
    unread = 0
    for i in range(len(paras) - 1, -1, -1):
        a, b = paras[i]
        s = text[a:b].strip()
        if _is_skippable(s) or (opens_outline and (_is_prose(s) or _is_prose(s, short=True))):
            continue  # a preamble that does not open with 为/根据 (近年来，…)
        if unread and _BREADCRUMB_RE.search(s):
            break  # above unread lines, a page's path or field line is no title
        if _is_title_like(s):
            title = (_title_start(text, paras, i), b)
        elif copy := _printed_before(text, paras, a, b):  # ``…发展`` / ``监督条例`` printed above whole
            title = (copy[0], b)
        elif (tail := _title_tail(s)) and i > 0:  # ``（2020—2023年）`` under its title
            a0, b0 = paras[i - 1]
            if _is_title_like(text[a0:b0].strip()) and not text[b0:a].strip() and a - b0 <= 4:
                title = (_title_start(text, paras, i - 1), a + tail)
        elif unread < _UNREAD_LINES and _passable(s):
            # a line the search does not read (a mistyped number, a paragraph of prose
            # before a preamble) does not hide the title above it
            unread += 1
            continue
        break
    inner = (notice[0] + notice[2].start("inner"), notice[0] + notice[2].end("inner")) if notice else None
    if title and notice and notice[0] <= title[0] and title[1] == notice[1]:  # the notice, or its tail lines
        return inner
    if title is None:
        fm = _FIELD_TITLE.search(text, 0, head_end)
        return (fm.start(1), fm.end(1)) if fm else inner
    return title


# A page's path (``首页 > 通知公告 > 通知``) or a field with its label (``栏目：通知``).
_BREADCRUMB_RE = re.compile(r"[>›»|]|^[\u4e00-\u9fa5\s]{1,8}[:：]")
# Lines the title search passes over when it does not read them, at most this many.
_UNREAD_LINES = 2


def _passable(s: str) -> bool:
    """A line between a title and the body that is no title itself: a short line with no
    sentence in it (``杭政办函〔2020〕4号号``, a page's stray label), or a paragraph of
    prose (a resolution's opening paragraph before its 为…, 特作出如下决议); never a
    notice's forwarding sentence (``现将《…》印发给你们``) nor a line naming a work."""
    if re.search(r"印发给你们|现印发|现将|现予印发|转发给你们", s):
        return False
    return (len(s) <= 40 and not re.search(r"[。；;《》]", s)) or _is_prose(s)


def _opens_with_place_stem(title: str) -> bool:
    """``上海港口条例``, ``杭州西湖…``: a division's name without its suffix opens the title."""
    names = gazetteer()
    return any(
        title[:n] + suffix in names for n in (2, 3, 4) for suffix in ("省", "市", "县", "区", "自治区", "自治州")
    )


def _printed_before(text: str, paras, a: int, b: int) -> tuple[int, str] | None:
    """When the title ending at ``b`` is the last line of a copy printed again above (a
    header line, then the same name broken over lines or spaced out before the text): the
    copy's start and the name as printed the first time."""
    ends = [i for i, (_, pb) in enumerate(paras) if pb == b]
    if not ends:
        return None
    i = ends[0]
    for k in range(3):
        if i - k < 0 or (k and (paras[i - k + 1][0] - paras[i - k][1] > 4)):
            break
        start = min(a, paras[i - k][0])
        joined = _SPACES_RE.sub("", text[start:b]).strip(_QUOTES)
        for pa, pb in paras[: i - k]:
            first = text[pa:pb].strip().strip(_QUOTES)
            if first == joined and text[start:b].strip(_QUOTES) != joined and _is_title_like(first):
                return start, joined
    return None


# A title's bracketed tail on a line of its own: its years (（2020—2023年）) or its status.
_TITLE_TAIL_LINE_RE = re.compile(r"\((?:\d{4}\s*[-—–－~至到]+\s*\d{4}年?|\d{4}年?|试行|暂行|征求意见稿)\)")


def _title_tail(s: str) -> int:
    """Length of a title's bracketed tail opening line ``s``, when the line is that tail
    alone or the tail and the body that drafted the text (``（2009—2020年）省教育厅``); else 0."""
    m = _TITLE_TAIL_LINE_RE.match(s)
    if m is None:
        return 0
    rest = s[m.end() :].strip()
    return (
        m.end()
        if not rest or (len(rest) <= 30 and _ends_with_org(rest) and not re.search(r"[,，。;；:：]", rest))
        else 0
    )


# A year inside a title's words (``关于做好2010年普通高校``, ``2021—2025年``): not a number line.
_YEAR_IN_WORDS_RE = re.compile(r"\d{4}(?:\s*[-—–－~至到]+\s*\d{4})?年(?=[\u4e00-\u9fa5])")


def _title_start(text: str, paras, i: int) -> int:
    """Start of a title broken over lines (``平凉市加强和改进学校美育`` / ``工作的实施方案``):
    the title-like paragraph ``i`` takes in the short, unpunctuated lines right above it."""
    start = paras[i][0]
    for j in range(i - 1, max(-1, i - 3), -1):
        a, b = paras[j]
        s = text[a:b].strip()
        gap = text[b:start]
        if (
            len(s) > 40
            or re.search(r"[。,，;；:：!！?？、《》()\[\]【】|]", s)
            or (_is_skippable(s) and not _is_signature_line(s))
            or _is_title_like(s)
            or re.search(r"\d", _YEAR_IN_WORDS_RE.sub("", s))
            or s in ("附件",)
            or len(gap) > 4
            or gap.strip()
        ):
            break
        if len(s) + len(text[start : paras[i][1]]) > 120:
            break
        start = a
    return start


def _issuer(text: str, head_end: int, paras, notice, title: str | None) -> str | None:
    """The forwarding notice's sender (on its line or the line above), else the prefix of
    the title before 关于, else the signature under the notice, else 发布机构."""
    if notice:
        a, _, nm = notice
        prefix = _field_value(nm.group("issuer").replace("\x00", "")).strip()
        # a page's heading that prints the number before the notice's name (``京政办发〔2016〕26号《…``)
        prefix = re.sub(r"^\s*" + DOC_NUMBER, "", prefix).strip(_QUOTES)
        prev = [p for p in paras if p[1] <= a]
        if not prefix and prev and _ends_with_org(text[prev[-1][0] : prev[-1][1]].strip()):
            prefix = text[prev[-1][0] : prev[-1][1]].strip()
        if prefix:
            return prefix
    title = normalize(title) if title else title  # a title printed in traditional script
    if title and "关于" in title:
        prefix = _field_value(title.split("关于", 1)[0]).strip()
        # a title quoting another (…贯彻〈国务院关于…〉的办法) names no issuer before its 关于
        if prefix and _ends_with_org(prefix) and not re.search(r"[《〈<>〉》]", prefix):
            return prefix
    if notice:
        for a, b in paras:
            line = text[a:b].strip()
            if a > notice[1] and len(line) <= 30 and _ends_with_org(line) and not re.search(r"[:：,，、;；。\s]", line):
                return line
    signed = _closing_signature(text) or _head_signature(text, head_end)
    if signed:
        return signed
    fm = re.search(r"(?:发布机构|发文机关|发布部门|制定机关)\s*[\]】]?\s*[:：]?\s*(\S+)", text[:head_end])
    return fm.group(1) if fm and _ends_with_org(fm.group(1)) else None


# A page's field label and tag before a value on the same line (``名称：``, ``标题 【政策】``).
_FIELD_LABEL_RE = re.compile(r"^.*[:：]|^[^【\[]{0,8}[【\[][^】\]]{1,8}[】\]]")


def _field_value(prefix: str) -> str:
    """The value of a header field read with its label (``废止时间：…名称：太湖县人民政府``
    → ``太湖县人民政府``): what follows the last colon or bracketed tag."""
    return _FIELD_LABEL_RE.sub("", prefix)


def _head_signature(text: str, head_end: int) -> str | None:
    """The body signed above a date line in the header, before the plan's text (a notice
    printed without its own title, its sender signed under its paragraph)."""
    for dm in _DATE_LINE.finditer(text, 0, head_end):
        line = text[: dm.start()].rstrip().rsplit("\n", 1)[-1].strip()
        if 4 <= len(line) <= 30 and _ends_with_org(line) and not re.search(r"[:：,，、;；。\s()（）]", line):
            return line
    return None


def _closing_signature(text: str) -> str | None:
    """The one body signed above the document's last date line, when that line closes the
    text (a plan that carries its issuer's signature at its end, not in its title)."""
    lines = list(_DATE_LINE.finditer(text))
    last = lines[-1] if lines else None
    if last is None or text[last.end() :].strip():
        return None
    line = text[: last.start()].rstrip().rsplit("\n", 1)[-1].strip()
    if 4 <= len(line) <= 30 and _ends_with_org(line) and not re.search(r"[:：,，、;；。\s()（）]", line):
        return line
    return None


def _adoptions(text: str, end: int) -> list[tuple[str, str, str]]:
    """(ISO date, enacting body, verb) of each adoption, revision, approval or publication
    printed before ``end``; the body without its term count (``第十五届``), as GUIDELINES §10
    asks."""
    out = []
    joined = re.sub(r"[ \t]*\n[ \t\n]*", "", text[:end])  # an adoption line may be broken
    for m in _ADOPTION_RE.finditer(joined):
        date_text = m.group("date") or m.group("date2") or m.group("date3")
        body = m.group("body") or m.group("body2") or m.group("body3")
        verb = m.group("verb") or m.group("verb2") or m.group("verb3")
        if verb != "批准" and joined.startswith("批准", m.end()):
            verb = "批准"  # ``…会议通过批准的《…的决定》修正``: the approving body, not the enacting one
        dm = re.fullmatch(SIGNATURE_DATE, date_text)
        iso = dm and (_iso(*dm.groups()[:3]) if dm.group(1) else _iso(*dm.groups()[3:]))
        body = _TERM_COUNT_RE.sub("", re.sub(r"^(?:已由|已经|业经|经|由)", "", body))
        body = re.sub(r"人大(常委会)?$", lambda m: "人民代表大会" + ("常务委员会" if m.group(1) else ""), body)
        body = re.sub(r"人民代表大会常委会$", "人民代表大会常务委员会", body)
        if iso and len(body) >= 2:
            out.append((iso, body, verb))
    return out


def _enacted(events: list[tuple[str, str, str]]) -> tuple[str | None, str | None]:
    """Issuer and date of a regulation from its adoption events: the body of the latest
    adoption or revision, the date of the latest adoption, revision or approval (a
    publication only when nothing else is printed)."""
    acts = [e for e in events if e[2] not in ("公布", "发布")] or events
    enacting = [e for e in acts if e[2] != "批准"] or acts
    issuer = max(enacting, key=lambda e: e[0])[1]
    # ``市人民政府第45次常务会议`` names the body without its place; a publication line
    # (``杭州市人民政府令…公布``) may name it in full.
    fuller = [e[1] for e in events if e[1] != issuer and _short_body(e[1]).endswith(_short_body(issuer))]
    placeless = issuer[:1] in "省市县区州"  # 国务院 is named in full without 中华人民共和国
    return (fuller[0] if fuller and placeless else issuer), max(e[0] for e in acts)


# A text that names no place may still speak of its own jurisdiction: 我县, 全县 (a county's
# plan), 我市/全市, 我省/全省. 本市 is no evidence: regulations of a municipality and of a city
# both say it; 我区/全区 make the text undecidable: a district's and an autonomous region's word
# alike, and a district's plan mentions 全市 and 全县 besides.
_SELF_LEVEL_RE = re.compile(r"(?P<how>[我全])(?P<level>[省市县区])")
_SELF_LEVELS: dict[str, AdminLevel] = {"省": "province", "市": "city", "县": "county"}


def _self_level(text: str) -> AdminLevel | None:
    """The level a placeless text speaks of as its own, when one clearly dominates (我X counts
    twice, 全X once: a city's plan may mention 全省 in passing) and the text's 我X, if any, says
    the same; else none (a wrong level is worse than none)."""
    weight: dict[str, int] = {}
    mine: dict[str, int] = {}
    for m in _SELF_LEVEL_RE.finditer(text):
        weight[m["level"]] = weight.get(m["level"], 0) + (2 if m["how"] == "我" else 1)
        if m["how"] == "我":
            mine[m["level"]] = mine.get(m["level"], 0) + 1
    if not weight or "区" in weight:
        return None
    ranked = sorted(weight.values(), reverse=True)
    if len(ranked) > 1 and ranked[1] * 2 > ranked[0]:
        return None  # no level clearly the text's own
    top = max(weight, key=weight.__getitem__)
    if mine and (len(mine) > 1 or top not in mine):
        return None  # 我市 in a text that speaks mostly of 全省: a city quoting its province
    return _SELF_LEVELS[top]


def _short_body(body: str) -> str:
    """A body's name as often shortened (``市人民政府`` written ``市政府``), to compare two names."""
    return body.replace("人民政府", "政府")


# A zone named by its city's short name (深圳经济特区, 株洲高新区, 昆山经济技术开发区): no
# division of its own (its 管委会 is the city's agency), so the city is the jurisdiction.
_ZONE_RE = re.compile(
    r"(?P<stem>[\u4e00-\u9fa5]{2,4}?)(?:经济特区|高新技术产业开发区|高新区|经济技术开发区|经济开发区|经开区|新区)"
)


def _places(source: str) -> list[tuple[str, Region | None]]:
    """The divisions named at the start of ``source`` (:func:`leading_regions`); for a zone
    named after its city, that city under its full name."""
    found = leading_regions(source)
    if found:
        return found
    zm = _ZONE_RE.match(source)
    region = aliases().get(zm.group("stem")) if zm else None
    return [(region.name, region)] if region else []


def _placed(body: str, title: str | None) -> str:
    """``市人民代表大会常务委员会`` (an adoption line that names the level, not the place)
    with the place from the title: ``宁波市人民代表大会常务委员会``."""
    level = re.match(r"(?:省|自治区|自治州|自治县|自治旗|市|区|县|州|盟|旗)", body)
    if not level or not title:
        return body
    for name, _region in _places(title):
        # ``州人民政府``, or ``自治州人民代表大会`` under ``恩施州…办法`` (a short form)
        lv = level.group()
        if name.endswith(lv) or (lv in ("自治州", "自治县", "自治旗") and name.endswith(lv[-1])):
            return name + body[level.end() :]
    return body


def _field_value_date(value: str) -> str | None:
    """A field's date value: 2020-09-16, 2020年9月16日, 2020.09.16 or 20200916."""
    m = re.fullmatch(_DATE_VALUE, value.strip())
    return _field_date(m) if m else None


def _date(text: str) -> str | None:
    """成文日期 field, else the first standalone signature date."""
    dm = _FIELD_DATE.search(text)
    if dm:
        groups = dm.groups()
        return _iso(*groups[:3]) if groups[0] else _iso(*groups[3:])
    for dm in _DATE_LINE.finditer(text):
        groups = dm.groups()
        iso = _iso(*groups[:3]) if groups[0] else _iso(*groups[3:])
        if iso:
            return iso
    for dm in _BARE_DATE_LINE.finditer(text):  # a scrape that lost 年月日: 20181224 under its signature
        above = text[: dm.start()].rstrip().rsplit("\n", 1)[-1].strip()
        if _ends_with_org(above) and len(above) <= 30 and not re.search(r"[:：]", above):  # not 联系单位：…
            return _iso(*dm.groups())
    return None


# A signed date whose 年, 月 and 日 a scrape dropped, on a line of its own.
_BARE_DATE_LINE = re.compile(r"^[ \t]*(\d{4})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[ \t]*$", re.M)
_DECREE_SERIAL = rf"\(?\s*(?:(?P<year>\d{{4}})\s*年\s*)?第\s*(?P<n>[{_CN_COUNT}\d]{{1,5}})\s*号\s*\)?"
_DECREE_RE = re.compile(rf"(?P<body>[\u4e00-\u9fa5]{{2,30}}?)(?P<kind>令|公告)\s*(?:{_DECREE_SERIAL})?")
_DECREE_NUMBER_RE = re.compile(_DECREE_SERIAL)


def _decree(text: str, paras) -> tuple[str, str, str, tuple[int, int]] | None:
    """A rule's decree or a congress's announcement heading the text (``浙江省人民政府令`` /
    ``第388号``, ``…常务委员会公告（第78号）``, ``…人民政府令`` / ``（2019年第5号）``): (body,
    令 or 公告, its number with its year if printed (``2019年第5号``), span)."""
    for i, (a, b) in enumerate(paras[:6]):
        m = _DECREE_RE.fullmatch(text[a:b].strip())
        if not m or not _ends_with_org(m.group("body")):
            continue
        serial, end = m, b
        if m.group("n") is None and i + 1 < len(paras):
            a2, b2 = paras[i + 1]
            nm = _DECREE_NUMBER_RE.fullmatch(text[a2:b2].strip())
            if nm:
                serial, end = nm, b2
        if serial.group("n") is None:  # a page's 通知公告 menu, not a decree
            continue
        year = f"{serial.group('year')}年" if serial.group("year") else ""
        return m.group("body"), m.group("kind"), f"{year}第{serial.group('n')}号", (a, end)
    return None


def _toc_start(text: str, head_end: int) -> int | None:
    """Start of a table of contents before the body: a 目录 line, or chapter headings
    listed before the 第一章 that opens the text."""
    toc = re.compile(r"^[ \t]*目[ \t]*录[ \t]*$", re.M).search(text, 0, head_end)
    if toc:
        return toc.start()
    chapter = _FIRST_CHAPTER_RE.search(text, 0, head_end)
    return chapter.start() if chapter else None


_SPACES_RE = re.compile(r"\s+")


def _wrapped_plan_start(text: str, body_start: int | None) -> int | None:
    """Where the plan wrapped by a forwarding notice starts, when the notice has paragraphs
    of its own (numbered requirements) before it: the plan's title standing on its own
    line after the notice (GUIDELINES §10: the notice's paragraphs are not measures)."""
    if body_start is None:
        return None
    head = _paragraphs(text, 0, body_start)
    notice = _notice(text, head)
    if notice is None:
        return None
    inner = _SPACES_RE.sub("", notice[2].group("inner").replace("\x00", "")).strip(_QUOTES)
    for a, b in _paragraphs(text, body_start, min(len(text), body_start + 20000)):
        if _SPACES_RE.sub("", text[a:b]).strip(_QUOTES) == inner:
            return a
    return None


# A page's field table exported as pipe-separated cells (``发文机构： | 教育部等九部门 |``):
# each label, then its value in the next cell.
_PIPE_FIELD_RE = re.compile(
    r"(?:^|\|)\s*(?P<label>[\u4e00-\u9fa5](?:[ \t]?[\u4e00-\u9fa5]){1,7})\s*[:：]?\s*\|\s*(?P<value>[^|]*?)\s*(?=\||$)"
)


def _page_fields(doc: Document, head_end: int) -> dict[str, tuple[str, Span]]:
    """Fields of a pipe-separated header table above the text (the reader masks such rows
    as web chrome): label → (value, the row's span). The first value of a label wins."""
    fields: dict[str, tuple[str, Span]] = {}
    for span, line in _original_lines(doc, doc.view.to_original(0, head_end).end):
        if line.count("|") < 1:
            continue
        printed = doc.slice(span)
        for m in _PIPE_FIELD_RE.finditer(line):
            value = m.group("value").strip()
            if value and not re.fullmatch(r"[\u4e00-\u9fa5]{2,8}[:：]", value):
                if len(printed) == len(line):  # the value as printed (a page in traditional script)
                    value = printed[m.start("value") : m.end("value")].strip()
                label = re.sub(r"[ \t]", "", m.group("label"))  # ``文 号``
                fields.setdefault(label, (value, span))
    return fields


def _as_written(doc: Document, text: str, value: str) -> str:
    """A body's name read on the normalised view as the document prints it, where the two
    differ only in their ideographs (a page in traditional script: ``安徽省人民政府办公厅``
    → ``安徽省人民政府辦公廳``)."""
    parts = []
    for part in value.split(" "):
        at = text.find(part)
        printed = doc.slice(doc.view.to_original(at, at + len(part))) if at >= 0 else part
        same_shape = len(printed) == len(part) and all(
            a == b or ("\u4e00" <= a <= "\u9fff" and "\u4e00" <= b <= "\u9fff") for a, b in zip(printed, part)
        )
        parts.append(printed if same_shape and normalize(printed) == part else part)
    return " ".join(parts)


def extract_metadata(doc: Document) -> Metadata:
    view = doc.view
    text = view.text
    meta = Metadata()
    body_start = find_body_start(text)
    wrapped = _wrapped_plan_start(text, body_start)
    if wrapped is not None:  # a notice with paragraphs of its own before the plan
        body_start = find_body_start(text, wrapped)
    # The body may open straight with its outline (no 为/根据 preamble found).
    opens_outline = body_start is not None and not _PREAMBLE_RE.match(text, body_start)
    head_end = body_start if body_start is not None else min(len(text), 2000)
    paras = _paragraphs(text, 0, head_end)

    number = _doc_number(text, head_end, paras)
    decree = _decree(text, paras)
    fields = _page_fields(doc, head_end)
    field_number = fields.get("发文字号") or fields.get("文号")
    if number is None and field_number and DOC_NUMBER_RE.fullmatch(normalize(re.sub(r"\s+", "", field_number[0]))):
        meta.doc_number_span = field_number[1]
        meta.doc_number = re.sub(r"\s+", "", field_number[0])
    elif number:
        meta.doc_number_span = view.to_original(*number)
        meta.doc_number = re.sub(r"\s+", "", doc.slice(meta.doc_number_span))
    elif decree:
        meta.doc_number_span = view.to_original(*decree[3])
        meta.doc_number = f"{decree[0]}{decree[1]}{decree[2]}"

    notice = _notice(text, paras)
    toc = _toc_start(text, head_end)
    before_toc = [p for p in paras if p[1] <= toc] if toc is not None else paras
    title = _title(text, head_end, before_toc, notice, opens_outline)
    if title:
        a, b = _strip(text, *title)
        meta.title_span = view.to_original(a, b)
        meta.title = re.sub(r"\s*\n\s*", "", doc.slice(meta.title_span).strip())
        # a space typed before or inside title marks (``实施 《…法》办法``) is no part of the name
        meta.title = re.sub(r"[ \t\u3000]+(?=[《〈》〉])|(?<=[《〈》〉])[ \t\u3000]+", "", meta.title)
        doubled = re.fullmatch(r"(\S{4,})[ \t\u3000]+\1", meta.title)
        if doubled:  # a flattened page prints its title twice on one line
            meta.title_span = Span(meta.title_span.start, meta.title_span.start + len(doubled.group(1)))
            meta.title = doubled.group(1)
        copy = _printed_before(text, paras, a, b)
        if copy:  # the title printed twice, the later copy broken over lines or spaced
            meta.title_span = view.to_original(copy[0], b)
            printed = _SPACES_RE.sub("", doc.slice(meta.title_span)).strip(_QUOTES)
            meta.title = printed if normalize(printed) == copy[1] else copy[1]
        if opens_outline:  # a preamble between the title and the outline is body too
            after = [p for p in paras if p[0] >= b and not _is_skippable(text[p[0] : p[1]])]
            if after and _is_prose(text[after[0][0] : after[0][1]]):
                body_start = after[0][0]
    elif doc.page_title:  # an HTML page's <title>, minus the site name after _ | - —
        candidate = re.split(r"\s*(?:_|\||-{1,2}|—{1,2})\s*", doc.page_title)[0].strip()
        if _is_title_like(normalize(candidate)):
            meta.title = candidate

    # A regulation or rule (no forwarding notice) names its enacting body and dates in its
    # adoption lines.
    events = _adoptions(text, head_end) if notice is None else []
    enacted_date = None
    if events:
        issuer, enacted_date = _enacted(events)
        issuer = _placed(issuer, meta.title) if issuer else None
        if issuer and decree and _short_body(decree[0]).endswith(_short_body(issuer)):
            issuer = decree[0]  # ``市政府第38次常务会议`` under ``成都市人民政府令``: the decree's name
        if meta.doc_number is None:
            published = list(_PUBLISHED_AS_RE.finditer(text, 0, head_end))
            if published:  # the latest publication's number
                a, b = published[-1].span("number")
                meta.doc_number_span = view.to_original(a, b)
                meta.doc_number = re.sub(r"[\s()（）]", "", doc.slice(meta.doc_number_span))
    else:
        field_issuer = next((fields[k][0] for k in ("发文机构", "发文机关", "发布机构") if k in fields), None)
        if field_issuer and not _ends_with_org(re.sub(r"\s+", "", field_issuer)):
            field_issuer = None
        issuer = _issuer(text, head_end, paras, notice, meta.title) or field_issuer or (decree[0] if decree else None)
    if issuer:
        meta.issuer = _as_written(doc, text, " ".join(split_issuers(re.sub(r"\s+", "", issuer))))

    # Region: the deepest division named at the start of the issuer, else of the title (of
    # the title first for a regulation: its enacting body may be the province approving
    # it); a national body there (国务院, 教育部等8部门) makes it a national document.
    for source in (meta.title, meta.issuer) if events else (meta.issuer, meta.title):
        if not source:
            continue
        source = normalize(source).lstrip(_QUOTES)  # ＸＸ县 as XX县; 《…条例》实施办法 from its place
        found = _places(source.split(" ")[0])
        if found:
            name, region = found[-1]
            meta.region = name
            meta.admin_level = region.level if region else level_from_suffix(name)
            break
        if _NATIONAL_RE.match(source):
            meta.region, meta.admin_level = "全国", "national"
            break

    # A regulation or rule whose name opens with its province or city without the suffix
    # (``上海港口条例``) or in brackets (``中国(上海)自由贸易试验区条例``).
    if meta.region is None and meta.title and (events or _FIRST_ARTICLE_RE.search(text)):
        stem = leading_stem(normalize(meta.title).lstrip(_QUOTES))
        if stem:
            meta.region, meta.admin_level = stem.name, stem.level

    # A regulation or rule numbered by articles whose name opens with no place (a local one
    # always names its place first: ``XX省…条例``) and no issuer says otherwise is national.
    if (
        meta.region is None
        and meta.title
        and _PLACELESS_RULE_RE.fullmatch(normalize(meta.title))
        and not _opens_with_place_stem(meta.title)
        and _FIRST_ARTICLE_RE.search(text)
    ):
        meta.region, meta.admin_level = "全国", "national"

    if meta.region is None:
        meta.admin_level = _self_level(text)

    field_date = next((_field_value_date(fields[k][0]) for k in ("成文日期", "发文日期") if k in fields), None)
    meta.date = enacted_date or field_date or _date(text)

    end = len(text)
    for span in doc.boilerplate:  # a masked footer ends the body
        if span.end == view.original_length:
            end = view.to_view(span)[0]
    start = body_start if body_start is not None else 0
    meta.body = view.to_original(start, max(start, end))
    _own_facts(doc, meta, head_end, events)
    return meta


# --- the document's own facts (issue 20): issuers, genre, dates, what it repeals or amends ---

# Genres by the end of the title, the longer (more specific) first.
_GENRE_ENDINGS: tuple[Genre, ...] = tuple(sorted(get_args(Genre), key=lambda g: (-len(g), g)))
_TITLE_TAIL_RE = re.compile(r"(?:\s*\([^()]{1,30}\))+$")  # (试行), (2020—2023年), (2018年修订)
_JOINT_COUNT_RE = re.compile(r"等\s*(\d+|[一二三四五六七八九十两]+)\s*个?(?:部门|单位)$")
# A signatory: a body's name as signed under a joint document (教育部, 国务院国资委, 中华全国总工会).
_SIGNATORY_RE = re.compile(r"[\u4e00-\u9fa5]{1,30}(?:部|委|局|署|厅|办|院|会|行|联|中央|政府|室|社)")
_DATE_VALUE = r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})日?|(\d{4})(\d{2})(\d{2})(?!\d)"
_FIELD_PUBLISHED = re.compile(
    r"(?:发布日期|发布时间|公布日期|公布时间|印发日期)\s*[\]】]?\s*[:：]?\s*(?:" + _DATE_VALUE + ")"
)
_FIELD_IN_FORCE = re.compile(r"(?:施行日期|实施日期|生效日期|生效时间)\s*[\]】]?\s*[:：]?\s*(?:" + _DATE_VALUE + ")")
_FIELD_EXPIRES = re.compile(r"(?:失效日期|失效时间|废止日期|有效期至)\s*[\]】]?\s*[:：]?\s*(?:" + _DATE_VALUE + ")")
_CN_DIGITS = _ZERO + "一二三四五六七八九十"
_TEXT_DATE = rf"\d{{4}}年\d{{1,2}}月\d{{1,2}}日|[{_CN_DIGITS}]{{4}}年[{_CN_DIGITS}]{{1,3}}月[{_CN_DIGITS}]{{1,3}}日"
# The document speaking of itself: 本办法, 本实施意见, 本条例 …
_SELF = r"本(?:" + "|".join(sorted(get_args(Genre), key=lambda g: (-len(g), g))) + r"|规则|文件)"
# 自2020年5月1日起施行, 自印发之日起实施, 自发布之日起执行
_IN_FORCE_RE = re.compile(
    rf"自\s*(?:(?P<date>{_TEXT_DATE})|(?P<rel>印发|发布|公布|颁布|下发|签发|发文)之?日)\s*起\s*(?:正式)?(?:施行|实施|执行|生效)"
)
_UNTIL_RE = re.compile(
    rf"有效期(?:为|是)?\s*(?:(?:自|从)\s*(?P<from>{_TEXT_DATE})\s*(?:起)?\s*)?(?:至|到)\s*"
    rf"(?:(?P<until>{_TEXT_DATE})|(?P<year>\d{{4}})年(?:底|末)?(?!\d{{1,2}}月))"
    rf"|有效期(?:为|是)?\s*(?P<years>\d{{1,2}}|[一二三四五六七八九十两]{{1,2}})\s*年"
)
_QUOTED = r"《[^《》\n]{2,120}》(?:\s*\([^()\n]{0,30}\))?"
_QUOTED_LIST = rf"(?:原)?{_QUOTED}(?:\s*(?:[、,，]|和|及|与|以及)\s*(?:原)?{_QUOTED})*"
_REPEAL_AFTER_RE = re.compile(
    rf"(?P<titles>{_QUOTED_LIST})\s*(?:等(?:文件|[{_CN_DIGITS}\d]+件文件)?)?\s*(?:自[^。;；\n《》]{{0,24}}?起)?\s*"
    rf"(?:同时|即行|一并|相应)?\s*(?:予以)?(?:废止|停止执行|不再执行|同时失效)"
)
_REPEAL_BEFORE_RE = re.compile(rf"(?:同时|并|一并)(?:予以)?废止\s*(?P<titles>{_QUOTED_LIST})")
_AMEND_BODY_RE = re.compile(
    rf"对(?P<titles>{_QUOTED_LIST})\s*(?:的?部分条款|部分内容)?\s*(?:作出?如下|进行了?|予以)(?:修改|修订|修正)"
)
_AMEND_TITLE_RE = re.compile(r"关于修改(?P<titles>(?:[《〈][^《》〈〉]{2,120}[》〉][、和]?)+)")
_AMENDED_BY_RE = re.compile(
    # 根据…《…的决定》修正, or as a collection prints the adoption line: …会议批准的《…的决定》
    # 第二次修正, …会议《关于修改部分地方性法规的决定》修正
    r"(?:根据[^《\n]{0,80}?|(?:批准|通过)的\s*|会议\s*)(?P<titles>《[^《》\n]{2,160}》)\s*"
    r"(?:第[一二三四五六七八九十]+次)?修正"
)
_TITLE_IN_LIST_RE = re.compile(
    r"[《〈](?P<title>[^《》〈〉\n]{2,160}|[^《》\n]{2,160})[》〉](?:\s*\((?P<paren>[^()\n]{0,30})\))?"
)


def _own_facts(doc: Document, meta: Metadata, head_end: int, events: list[tuple[str, str, str]]) -> None:
    """Fill in the facts the document states about itself beyond the gold's fields."""
    text = doc.view.text
    meta.issuers, meta.issuer_count = _all_issuers(text, meta.issuer)
    meta.genre = genre_of(meta.title)
    _stated_dates(doc, meta, head_end, events)
    meta.changes = _work_changes(doc, meta, head_end)


def genre_of(title: str | None) -> Genre | None:
    """The genre a title ends in (``…的实施意见`` → 实施意见), its (试行)/(2020—2023年) aside."""
    if not title:
        return None
    t = _TITLE_TAIL_RE.sub("", normalize(title).strip(_QUOTES))
    if re.fullmatch(r"(?:中华人民共和国)?\S{2,30}(?<![办方])法", t) and not t.endswith(
        ("办法", "方法", "做法", "说法")
    ):
        return "法律"
    for g in _GENRE_ENDINGS:
        if t.endswith(g) and g != "法律":
            return g
    return None


def _all_issuers(text: str, issuer: str | None) -> tuple[list[str], int | None]:
    """Every issuer, and how many the document says there are: the joint name
    (``教育部等8部门``) replaced by its signatories when a signature lists them (as many as
    it says, the lead first), else kept as one issuer with its count."""
    if not issuer:
        return [], None
    named = issuer.split(" ")
    joint = _JOINT_COUNT_RE.search(named[-1]) if len(named) == 1 else None
    if joint is None and not (len(named) == 1 and _JOINT_ISSUER_RE.search(named[0])):
        return named, len(named)
    count = parse_int(joint.group(1)) if joint else None
    lead = _JOINT_ISSUER_RE.sub("", named[0])
    for signed in _signature_blocks(text):
        if signed[0] == lead and (count is None or len(signed) == count):
            return signed, len(signed)
    return named, count


def _signature_blocks(text: str) -> list[list[str]]:
    """The bodies signed above each date line (up to four lines of names separated by
    spaces), in the order they appear."""
    out = []
    for dm in _DATE_LINE.finditer(text):
        window = max(0, dm.start() - 800)
        lines = text[window : dm.start()].rstrip("\n").split("\n")[1 if window else 0 :]  # whole lines only
        names: list[str] = []
        for line in reversed(lines[-4:]):
            tokens = line.split()
            if not tokens or not all(_SIGNATORY_RE.fullmatch(t) for t in tokens):
                break
            names = [p for t in tokens for p in split_issuers(t)] + names
        if len(names) >= 2:
            out.append(names)
    return out


def _iso_text(date_text: str) -> str | None:
    dm = re.fullmatch(SIGNATURE_DATE, date_text)
    if not dm:
        return None
    return _iso(*dm.groups()[:3]) if dm.group(1) else _iso(*dm.groups()[3:])


def _field_date(m: re.Match) -> str | None:
    g = m.groups()
    return _iso(*g[:3]) if g[0] else _iso(*g[3:])


def _sentence_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``[start, end)``: from after the previous 。！？； or line break
    to the next one (included)."""
    a = max(text.rfind(c, 0, start) for c in "。！？;；\n") + 1
    ends = [i for i in (text.find(c, end) for c in "。！？;；\n") if i >= 0]
    b = min(ends) + 1 if ends else len(text)
    return a, b


def _speaks_of_itself(text: str, start: int, head_end: int) -> bool:
    """Whether the clause at ``start`` is about this document: in its header (a
    regulation's adoption block), or in a sentence on 本办法/本意见 … with no other work
    quoted before it, or in a sentence (an article) that opens with the clause."""
    if start < head_end:  # the header block, or the forwarding notice of the document itself
        return True
    a, _ = _sentence_at(text, start, start)
    before = text[a:start]
    if "《" in before:
        return False
    return bool(re.search(_SELF, before)) or not before.strip(" \t()、,，0123456789一二三四五六七八九十第条款")


def _original_lines(doc: Document, end: int) -> list[tuple[Span, str]]:
    """The lines of the original text before ``end``, each normalised, with its span."""
    out = []
    start = 0
    for line in doc.text[:end].split("\n"):
        out.append((Span(start, start + len(line)), normalize(line)))
        start += len(line) + 1
    return out


def _add_years(iso: str, years: int) -> str:
    """The last day of a term of ``years`` years starting on ``iso``."""
    d = datetime.date.fromisoformat(iso)
    try:
        end = d.replace(year=d.year + years)
    except ValueError:  # 29 February
        end = d.replace(year=d.year + years, day=28)
    return (end - datetime.timedelta(days=1)).isoformat()


def _stated_dates(doc: Document, meta: Metadata, head_end: int, events: list[tuple[str, str, str]]) -> None:
    """Publication, entry into force and expiry, each with the span that states it: header
    fields first, then the regulation's publication line, then the clauses on itself."""
    view = doc.view
    text = view.text
    spans: dict[str, Span] = {}
    head_lines = _original_lines(doc, view.to_original(0, head_end).end)
    for key, regex in (("published", _FIELD_PUBLISHED), ("in_force", _FIELD_IN_FORCE), ("expires", _FIELD_EXPIRES)):
        m = regex.search(text, 0, head_end)
        if m and _field_date(m):
            setattr(meta, f"date_{key}", _field_date(m))
            spans[key] = view.to_original(m.start(), m.end())
            continue
        for span, line in head_lines:  # a field the reader masked as web chrome (发布时间：…)
            m = regex.search(line)
            if m and _field_date(m):
                setattr(meta, f"date_{key}", _field_date(m))
                spans[key] = span
                break
    if meta.date_published is None:
        published = [e[0] for e in events if e[2] in ("公布", "发布")]
        if published:
            meta.date_published = max(published)
    if meta.date_in_force is None:
        for m in _IN_FORCE_RE.finditer(text):
            if not _speaks_of_itself(text, m.start(), head_end):
                continue
            if m.group("date"):
                day = _iso_text(m.group("date"))
            else:  # from the day it was issued (印发, 签发) or published (发布, 公布)
                day = (
                    meta.date
                    if m.group("rel") in ("印发", "下发", "签发", "发文")
                    else meta.date_published or meta.date
                )
            if day:
                meta.date_in_force = day
                spans["in_force"] = view.to_original(m.start(), m.end())
                break
    if meta.date_expires is None:
        for m in _UNTIL_RE.finditer(text):
            if not _speaks_of_itself(text, m.start(), head_end):
                continue
            if m.group("from") and meta.date_in_force is None:
                meta.date_in_force = _iso_text(m.group("from"))
                spans["in_force"] = view.to_original(m.start(), m.end())
            if m.group("until"):
                day = _iso_text(m.group("until"))
            elif m.group("year"):
                day = f"{m.group('year')}-12-31"
            else:
                years = parse_int(m.group("years"))
                base = meta.date_in_force or meta.date_published or meta.date
                day = _add_years(base, years) if base and years else None
            start = meta.date_in_force or meta.date
            if day and (start is None or day >= start):  # an expiry before its start is a misreading
                meta.date_expires = day
                spans["expires"] = view.to_original(m.start(), m.end())
                break
    meta.date_spans = spans


def _quoted_works(doc: Document, a: int, b: int) -> list[tuple[str, str | None]]:
    """(title, 文号) of each work quoted in view range ``[a, b)``, as printed."""
    view = doc.view
    out = []
    for m in _TITLE_IN_LIST_RE.finditer(view.text, a, b):
        title = re.sub(r"\s+", "", doc.slice(view.to_original(m.start("title"), m.end("title"))))
        number = None
        if m.group("paren") and DOC_NUMBER_RE.fullmatch(m.group("paren").strip()):
            number = re.sub(r"\s+", "", doc.slice(view.to_original(m.start("paren"), m.end("paren"))))
        out.append((title, number))
    return out


def _work_changes(doc: Document, meta: Metadata, head_end: int) -> list[WorkChange]:
    """The works this document repeals (同时废止《…》, 《…》同时废止), amends (关于修改《…》的决定,
    对《…》作如下修改) or is amended by (根据《…的决定》修正), each with its clause; never itself."""
    view = doc.view
    text = view.text
    found: list[tuple[int, WorkChange]] = []
    seen: set[tuple[str, str]] = set()
    own = normalize_title(meta.title)

    def add(relation: WorkChangeKind, m: re.Match, group: str = "titles") -> None:
        a, b = _sentence_at(text, m.start(), m.end())
        for title, number in _quoted_works(doc, m.start(group), m.end(group)):
            key = (relation, normalize_title(title))
            itself = key[1] == own and (number is None or number == meta.doc_number)
            if key in seen or itself:  # an earlier version of the same title needs its own 文号
                continue
            seen.add(key)
            change: WorkChange = {
                "relation": relation,
                "title": title,
                "doc_number": number,
                "span": view.to_original(m.start(), m.end()),
                "sentence": view.to_original(a, b),
            }
            found.append((m.start(), change))

    if meta.title and meta.title_span is not None:
        t0, _ = view.to_view(meta.title_span)
        m = _AMEND_TITLE_RE.search(text, t0, t0 + len(normalize(meta.title)) + 4)
        if m:
            add("amends", m)
    for m in _AMEND_BODY_RE.finditer(text):
        add("amends", m)
    for m in _AMENDED_BY_RE.finditer(text, 0, head_end):
        add("amended_by", m)
    for regex in (_REPEAL_AFTER_RE, _REPEAL_BEFORE_RE):
        for m in regex.finditer(text):
            add("repeals", m)
    return [c for _, c in sorted(found, key=lambda t: t[0])]


def normalize_title(title: str | None) -> str:
    """A title compared with another: normalised, without spaces or quotation marks."""
    return re.sub(r"[\s《》〈〉<>\"“”]", "", normalize(title or ""))
