"""Document metadata (docs/annotation.md §1): title, 发文字号, issuer, region, level, date.

Sources, in order of trust: the page's header fields (``[ 发文字号 ]``, ``成文日期``), the
forwarding notice (``X关于印发Y的通知``), the policy's own title line (the title-like
paragraph right before the preamble), and signature lines. All matching is on the
normalised view; spans are reported in original offsets.
"""

from __future__ import annotations

import re

from kg.core.model import Document, Metadata
from kg.core.numerals import parse_int
from kg.core.regions import leading_regions, level_from_suffix
from kg.core.textview import normalize

DOC_NUMBER = r"[\u4e00-\u9fa5A-Za-z]{1,14}[〔\[【(]\d{4}[〕\]】)]?\s*(?:\d{1,4}|[X]{1,3})\s*号"
DOC_NUMBER_RE = re.compile(DOC_NUMBER)
_FIELD_DOC_NUMBER = re.compile(r"(?:发文字号|文\s*号)\s*\]?\s*[:：]?\s*(" + DOC_NUMBER + ")")
# The 成文日期 (or 发文日期) field: 2021-12-04, 2021年12月4日, 2021.12.04 or 20211204.
_FIELD_DATE = re.compile(
    r"(?:成文日期|发文日期)\s*\]?\s*[:：]?\s*(?:(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]"
    r"\s*(\d{1,2})|(\d{4})(\d{2})(\d{2})(?!\d))"
)
_FIELD_TITLE = re.compile(r"^[ \t\[]*(?:标\s*题|文件名称|名\s*称)\s*\]?\s*[:：]?\s*(\S.{4,}?)[ \t]*$", re.M)
# A signed date, in Arabic or Chinese numerals (2021年12月4日, 二〇二一年十二月四日).
SIGNATURE_DATE = (
    r"(\d{4})年(\d{1,2})月(\d{1,2})日|([〇零一二三四五六七八九]{4})年"
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
    "若干政策",
    "政策",
    "指南",
    "清单",
)
_GENRE_RE = re.compile(r"(?:" + "|".join(_GENRES) + r")(?:\s*\((?:试行|暂行|征求意见稿)\))?$")
_PREAMBLE_RE = re.compile(r"(?:为了?|根据|按照|依据|为深入|为全面|为进一步|为加快)\S")
_NOTICE_RE = re.compile(r"^(?P<issuer>.*?)关于(?:印发|转发|下发)《?(?P<inner>.+?)》?的通知")
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
)
_ISSUER_SPLIT_RE = re.compile(
    r".+?(?:人民政府办公室|人民政府办公厅|委员会|人民政府|办公厅|办公室|(?<!办公)厅|局|部|委(?!员))"
)
_PARAGRAPH_RE = re.compile(r"[^\n]+?(?=\n|  |\t|$)")
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
    return 6 <= len(s) <= 120 and "。" not in s and bool(_GENRE_RE.search(s))


def _is_prose(s: str) -> bool:
    return "。" in s and len(s) > 30 and not re.search(r"印发给你们|现印发|现将", s)


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in _QUOTES:
        a += 1
    while b > a and text[b - 1] in _QUOTES:
        b -= 1
    return a, b


def _number_line(s: str) -> re.Match | None:
    """A line that is only a 文号, bare or in brackets (``(黔府办函〔2016〕269号)``)."""
    m = re.fullmatch(r"\s*[(\[【]?\s*(" + DOC_NUMBER + r")\s*[)\]】]?\s*", s)
    return m if m and DOC_NUMBER_RE.fullmatch(m.group(1)) else None


_HEADER_FIELD_RE = re.compile(
    r"^[\[【]?\s*(?:发布时间|发布日期|发文日期|成文日期|印发日期|生效日期|施行日期|公布日期|"
    r"规范性文件登记号|登记号|登记编号|统一编号|索引号|主题分类|文件类型|发文机关|发布机构|"
    r"来源|信息来源|字号|有效性|时效性|阅读次数|浏览次数)\s*[\]】]?\s*[:：]"
)


def _is_skippable(s: str) -> bool:
    """Lines between a title and its preamble: doc number, header fields (发布时间：,
    规范性文件登记号：), addressees, dates, notes."""
    s = s.strip()
    return (
        bool(_number_line(s))
        or s.endswith((":", "："))
        or bool(_DATE_LINE.match(s))
        or bool(_HEADER_FIELD_RE.match(s))
        or s.startswith("(此件")
        or len(s) <= 2
    )


def find_body_start(text: str) -> int | None:
    """View offset where the policy proper starts: its preamble, or its first part."""
    for a, b in _paragraphs(text, 0, len(text)):
        para = text[a:b]
        if (
            _PREAMBLE_RE.match(para)
            and len(para) >= 8
            and not re.search(r"印发给你们|现印发|现将|现予印发|请认真|请结合", para)
        ):
            return a
        if re.match(r"(?:一、|\(一\)|1[.、]|第一[章条部])\S", para):
            return a
    return None


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
    r"^(?:国务院|中共中央|党中央|中央[\u4e00-\u9fa5]{1,8}|全国[\u4e00-\u9fa5]{1,10}|"
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


def _doc_number(text: str, head_end: int, paras) -> tuple[int, int] | None:
    """发文字号: a header field, else a standalone number line before the body."""
    m = _FIELD_DOC_NUMBER.search(text, 0, head_end)
    if m:
        return m.start(1), m.end(1)
    for a, b in paras:
        m = _number_line(text[a:b])
        if m:
            return a + m.start(1), a + m.end(1)
    return None


def _notice(text: str, paras):
    """The forwarding notice (X关于印发Y的通知) as (start, end, match), if there is one; a
    notice title broken over two lines is read as one (the match then runs over the
    line break, which the caller's slices keep)."""
    for i, (a, b) in enumerate(paras):
        nm = _NOTICE_RE.search(text[a:b])
        if nm:
            return a, b, nm
        if "关于" in text[a:b] and i + 1 < len(paras) and len(text[a:b]) < 60:
            a2, b2 = paras[i + 1]
            if a2 - b <= 3 and not text[b:a2].strip():
                joined = text[a:b2]
                nm = _NOTICE_RE.search(joined.replace("\n", "\x00"))  # same offsets
                if nm and "\x00" not in nm.group("issuer"):
                    return a, b2, nm
    return None


def _title(text: str, head_end: int, paras, notice, opens_outline: bool) -> tuple[int, int] | None:
    """The title-like paragraph closest before the body (the inner title if that is a
    forwarding notice); else the header field; else the notice's inner title."""
    title = None
    for i in range(len(paras) - 1, -1, -1):
        a, b = paras[i]
        s = text[a:b].strip()
        if _is_skippable(s) or (opens_outline and _is_prose(s)):
            continue  # a preamble that does not open with 为/根据 (近年来，…)
        if _is_title_like(s):
            title = (_title_start(text, paras, i), b)
        break
    inner = (notice[0] + notice[2].start("inner"), notice[0] + notice[2].end("inner")) if notice else None
    if title and notice and title == notice[:2]:
        return inner
    if title is None:
        fm = _FIELD_TITLE.search(text, 0, head_end)
        return (fm.start(1), fm.end(1)) if fm else inner
    return title


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
            or _is_skippable(s)
            or _is_title_like(s)
            or re.search(r"\d", s)
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
        prefix = nm.group("issuer").strip()
        prev = [p for p in paras if p[1] <= a]
        if not prefix and prev and _ends_with_org(text[prev[-1][0] : prev[-1][1]].strip()):
            prefix = text[prev[-1][0] : prev[-1][1]].strip()
        if prefix:
            return prefix
    if title and "关于" in title:
        prefix = title.split("关于", 1)[0].strip()
        if prefix and _ends_with_org(prefix):
            return prefix
    if notice:
        for a, b in paras:
            line = text[a:b].strip()
            if a > notice[1] and len(line) <= 30 and _ends_with_org(line) and not re.search(r"[:：,，、;；。\s]", line):
                return line
    fm = re.search(r"(?:发布机构|发文机关)\s*\]?\s*[:：]?\s*(\S+)", text[:head_end])
    return fm.group(1) if fm and _ends_with_org(fm.group(1)) else None


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
    return None


def extract_metadata(doc: Document) -> Metadata:
    view = doc.view
    text = view.text
    meta = Metadata()
    body_start = find_body_start(text)
    # The body may open straight with its outline (no 为/根据 preamble found).
    opens_outline = body_start is not None and not _PREAMBLE_RE.match(text, body_start)
    head_end = body_start if body_start is not None else min(len(text), 2000)
    paras = _paragraphs(text, 0, head_end)

    number = _doc_number(text, head_end, paras)
    if number:
        meta.doc_number_span = view.to_original(*number)
        meta.doc_number = re.sub(r"\s+", "", doc.slice(meta.doc_number_span))

    notice = _notice(text, paras)
    title = _title(text, head_end, paras, notice, opens_outline)
    if title:
        a, b = _strip(text, *title)
        meta.title_span = view.to_original(a, b)
        meta.title = re.sub(r"\s*\n\s*", "", doc.slice(meta.title_span).strip())
        if opens_outline:  # a preamble between the title and the outline is body too
            after = [p for p in paras if p[0] >= b and not _is_skippable(text[p[0] : p[1]])]
            if after and _is_prose(text[after[0][0] : after[0][1]]):
                body_start = after[0][0]
    elif doc.page_title:  # an HTML page's <title>, minus the site name after _ | - —
        candidate = re.split(r"\s*(?:_|\||-{1,2}|—{1,2})\s*", doc.page_title)[0].strip()
        if _is_title_like(normalize(candidate)):
            meta.title = candidate

    issuer = _issuer(text, head_end, paras, notice, meta.title)
    if issuer:
        meta.issuer = " ".join(split_issuers(re.sub(r"\s+", "", issuer)))

    # Region: the deepest division named at the start of the issuer, else of the title;
    # a national body there (国务院, 教育部等8部门) makes it a national document.
    for source in (meta.issuer, meta.title):
        if not source:
            continue
        found = leading_regions(source.split(" ")[0])
        if found:
            name, region = found[-1]
            meta.region = name
            meta.admin_level = region.level if region else level_from_suffix(name)
            break
        if _NATIONAL_RE.match(source):
            meta.region, meta.admin_level = "全国", "national"
            break

    meta.date = _date(text)

    end = len(text)
    for span in doc.boilerplate:  # a masked footer ends the body
        if span.end == view.original_length:
            end = view.to_view(span)[0]
    start = body_start if body_start is not None else 0
    meta.body = view.to_original(start, max(start, end))
    return meta
