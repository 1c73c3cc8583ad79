"""The analysis report: tables as CSV, plots, ``report.md`` and a self-contained
``report.html`` (plots embedded as data URIs, no remote resource, all document text
escaped).

It reads the built graph only (``graph.nt``), through :mod:`kg.analytics`. People read
the report in their language (``lang``: Chinese by default, or English): department
functions and node types by their ontology labels, columns by their names. The CSV files
are for scripts and keep the codes (``human_resources_social_security``) and column names.

The same graph gives the same bytes, whatever ``PYTHONHASHSEED``, the machine's fonts or
the user's matplotlibrc: rows are totally ordered, graphs are drawn from sorted nodes and
edges with seeded layouts, the plots use the font vetkg ships (``kg/data/fonts``) under
matplotlib's default style, and the PNGs carry no software or date stamp.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

import networkx as nx

from kg import analytics as A
from kg.analytics import chains, coissuing, policy_tools, reuse, targets
from kg.analytics.fonts import FONT_FAMILY as FONT_FAMILY  # the report's font, as before
from kg.analytics.fonts import FONT_FILE as FONT_FILE
from kg.analytics.fonts import MISSING_GLYPH as MISSING_GLYPH
from kg.analytics.fonts import drawable as _drawable
from kg.analytics.fonts import font_path as font_path
from kg.analytics.fonts import plot_style as _style
from kg.analytics.fonts import use_cjk_font as use_cjk_font
from kg.analytics.graphs import sorted_subgraph
from kg.analytics.labels import DEFAULT_LANGUAGE, check_language, function_labels, type_labels
from kg.core import lazy
from kg.core.atomic import AtomicFile, write_bytes_atomic, write_text_atomic
from kg.core.csvtext import csv_lines
from kg.core.memo import Memo, digest
from kg.errors import QueryError

if TYPE_CHECKING:  # typing.Unpack is Python 3.11+; only the type checker reads it
    from typing_extensions import Unpack


@dataclass
class Table:
    name: str  # file stem of its CSV
    title: str
    rows: list[dict]
    note: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # column → its name on the page
    shown: dict[str, dict[str, str]] = field(default_factory=dict)  # column → {code: what the page shows}
    csv_only: tuple[str, ...] = ()  # columns for scripts (file stems, IRIs): in the CSV, not on the page
    page: str = ""  # the interactive page it goes with (a key of Report.pages)
    page_rows: int = 0  # rows shown on the page (0: PAGE_ROWS); every row is in the CSV
    # a table with a row per code or measure keeps only the rows the page shows: ``every``
    # gives all of them again, one at a time, for the CSV (never held at once), ``total`` counts them
    every: Callable[[], Iterable[dict]] | None = None
    total: int | None = None

    @property
    def columns(self) -> list[str]:
        cols: list[str] = []
        for r in self.rows:
            for k in r:
                if k not in cols:
                    cols.append(k)
        return cols

    @property
    def page_columns(self) -> list[str]:
        """The columns a reader sees on the page."""
        return [c for c in self.columns if c not in self.csv_only]

    @property
    def limit(self) -> int:
        return self.page_rows or PAGE_ROWS

    def header(self, column: str) -> str:
        """The column's name for a reader (the CSV keeps ``column``)."""
        return self.headers.get(column, column)

    def cell(self, row: dict, column: str) -> str:
        """The value as a reader sees it: a code shown by its label."""
        value = row.get(column)
        if value is None:
            return ""
        text = value if isinstance(value, str) else str(value)
        return self.shown.get(column, {}).get(text, text)

    @property
    def size(self) -> int:
        """The rows of the CSV."""
        return len(self.rows) if self.total is None else self.total

    def csv_lines(self) -> Iterator[str]:
        """The CSV, line by line: every row (all of them, not only those shown)."""
        return csv_lines(self.rows if self.every is None else self.every(), self.columns)

    def to_csv(self) -> str:
        return "".join(self.csv_lines())


@dataclass
class Report:
    tables: list[Table] = field(default_factory=list)
    figures: list[tuple[str, str, bytes]] = field(default_factory=list)  # (name, caption, PNG)
    findings: list[str] = field(default_factory=list)
    lang: str = DEFAULT_LANGUAGE
    # the interactive pages next to the report, by key (``coissuing``, ``chains``, ``reuse``)
    # → file name: filled by the build (kg.corpus), which draws them with kg.viz
    pages: dict[str, str] = field(default_factory=dict)
    # what the pages are drawn from, computed once by analyze
    data: WorkbenchData = field(default_factory=lambda: WorkbenchData())


@dataclass
class WorkbenchData:
    """What the workbench's interactive pages are drawn from, computed once by
    :func:`analyze`: the co-issuing network of the whole corpus, the chain trees
    (:func:`kg.analytics.chains.chain_tree`) and every measure's reuse. Read by field;
    ``data["coissuing"]`` and ``"chains" in data`` (a field that is set) still work."""

    coissuing: nx.Graph | None = None
    chains: list[dict] | None = None
    reuse: list[reuse.Reuse] | None = None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in _DATA_KEYS and getattr(self, key) is not None

    def __getitem__(self, key: str) -> Any:
        if key not in self:
            raise KeyError(key)
        return getattr(self, key)


_DATA_KEYS = ("coissuing", "chains", "reuse")


# --- words ----------------------------------------------------------------------------------
# Everything the report says, in each language it speaks: (zh, en).

_TABLES: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {  # name → ((title), (note))
    "load_by_function_region": (
        ("各地区各部门职能承担的措施", "Responsibility load by department function and region"),
        (
            "各职能的部门在各地区文件中负责的措施数；牵头措施数 = 其中由该职能部门牵头的措施。",
            "Measures each function's bodies are responsible for, in each region's documents; led = measures they lead.",
        ),
    ),
    "top_function_per_region": (
        ("各地区承担措施最多的部门职能", "The function carrying the most measures in each region"),
        ("", ""),
    ),
    "lead_share": (("有责任单位与有牵头单位的措施", "Measures with a responsible and with a lead unit"), ("", "")),
    "department_centrality": (
        ("共同负责网络中的部门", "Departments in the co-responsibility network"),
        (
            "加权度 = 与其他部门共同负责的措施数；中介中心性与 PageRank 在以共同措施数加权的网络上计算。",
            "Weighted degree = measures shared with other bodies; betweenness and PageRank on the network weighted by shared measures.",
        ),
    ),
    "department_communities": (
        (
            "协同工作的部门群落（Louvain 算法，固定随机种子）",
            "Communities of departments that work together (Louvain, seeded)",
        ),
        ("", ""),
    ),
    "indicators": (
        ("各地区指标比较（可比的指标归为一组）", "Indicator comparison across regions (comparable indicators grouped)"),
        ("", ""),
    ),
    "citation_ranking": (("各文件引用的上级政策", "Documents by the higher-level policies they cite"), ("", "")),
    "most_cited": (("被引用最多的政策", "The most cited policies"), ("", "")),
    "diffusion": (
        ("在文件之间流传的措施文本", "Measures whose text travels between documents"),
        (
            "不同文件的措施之间 4 字片段的精确 Jaccard 相似度（候选对由 MinHash/LSH 找出）。",
            "Exact Jaccard similarity of 4-character shingles (MinHash/LSH candidates), measures of different documents.",
        ),
    ),
    # --- the researcher's workbench (issue 20) ---
    "coissuing_periods": (
        ("各年份的联合发文", "Co-issuing by year"),
        (
            "每年的文件数、其中由两个及以上部门联合发布的文件数、发文部门数与联合发文的部门对数。",
            "Documents of each year, those issued by two or more bodies together, the bodies issuing, "
            "and the pairs of bodies issuing together.",
        ),
    ),
    "coissuing_pairs": (
        ("联合发文的部门对", "Pairs of bodies issuing documents together"),
        (
            "两个部门共同发布的文件数，最早与最近的日期，以及这些文件的标题（证据）。",
            "Documents two bodies issued together, the first and last of their dates, and their titles (the evidence).",
        ),
    ),
    "coissuing_bodies": (
        ("联合发文网络中的部门", "Bodies in the co-issuing network"),
        (
            "合作部门数 = 网络中的度；加权度 = 与各合作部门共同发布的文件数之和；中介中心性与群落"
            "（Louvain 算法，固定随机种子）在整个语料的联合发文网络上计算。",
            "Partners = degree; weighted degree = documents issued with each partner, summed; betweenness and "
            "communities (Louvain, seeded) on the co-issuing network of the whole corpus.",
        ),
    ),
    "implementation_chains": (
        ("政策落实链（纵向扩散）", "Implementation chains (vertical diffusion)"),
        (
            "语料中被最多文件直接引用的上级政策（至多 {parents} 项）；每项下列出引用它的文件（直接引用，或经由引用它的"
            "其他文件），按层级与日期排列，并给出与上级政策、与所经文件相隔的天数（两个日期都已知时）。",
            "The policies the most documents of the corpus cite (at most {parents}); under each, every document "
            "citing it (directly, or through another document that does), by level and date, with the lag in days "
            "from the parent and from the document it cites on the way (when both dates are known).",
        ),
    ),
    "policy_tool_matrix": (
        ("政策工具 × 作用对象", "Policy tool × stakeholder"),
        (
            "每格 = 使用该政策工具（Rothwell–Zegveld 分类）且涉及该对象的措施数；一项措施可有多个工具与多个对象。"
            "编码由可编辑的词表给出，每个编码的触发词见“政策工具编码及其证据”。",
            "Each cell: measures using the tool (Rothwell–Zegveld) and addressing the stakeholder; a measure may "
            "have several of each. Coded by an editable lexicon; each code's words are in the evidence table.",
        ),
    ),
    "policy_tool_matrix_regions": (
        ("各地区的政策工具 × 作用对象", "Policy tool × stakeholder per region"),
        ("", ""),
    ),
    "policy_tool_shares": (
        ("各文件的供给型、环境型、需求型工具", "Supply, environment and demand tools per document"),
        (
            "使用至少一个该类工具的措施数及其占文件措施的比例。",
            "Measures using at least one tool of the category, and their share of the document's measures.",
        ),
    ),
    "policy_tool_codes": (
        ("政策工具编码及其证据", "Policy-tool codes with their evidence"),
        (
            "每个编码一行：文件、措施、工具，以及触发它的词在文件文本中的起止位置（字符偏移）。",
            "One row per code: document, measure, tool, and the words that triggered it, with their start and end "
            "offsets in the document text.",
        ),
    ),
    "reuse_documents": (
        ("各文件措施文本的复用比例", "Reuse shares per document"),
        (
            "措施文本（去除空白、序号与责任单位）中，与所引文件的措施逐字相同（连续至少 {run} 字）的比例、与语料中"
            "其他文件相同的比例，以及新写的比例。语料中的候选措施为相似度链接（4 字片段 Jaccard ≥ {threshold}，"
            "每项措施至多 {partners} 个）。",
            "Of each document's measure text (whitespace, numbers and responsibility clauses aside), the share "
            "copied from a document it cites (runs of at least {run} identical characters), from elsewhere in the "
            "corpus, and written anew. Corpus candidates: the similarity links (Jaccard of 4-character shingles "
            "≥ {threshold}, at most {partners} per measure).",
        ),
    ),
    "reuse_measures": (
        ("各措施最接近的来源措施", "Each measure's closest source"),
        (
            "复用的字符在两份文件文本中的位置（起-止）；逐字对照见复用对照页。",
            "Where the reused characters sit in both documents' texts (start-end); side by side on the reuse page.",
        ),
    ),
    "targets_compared": (
        ("目标比较（按指标组、地区、年份）", "Targets compared (by indicator group, region and year)"),
        (
            "每个数值的证据（文件、措施、原文位置）见下表“目标数值及其证据”。",
            "The evidence of each value (document, measure, place in the text) is in the next table.",
        ),
    ),
    "target_values": (
        ("目标数值及其证据", "Target values with their evidence"),
        ("", ""),
    ),
}

# Columns that mean something else in one table than in the others.
_TABLE_COLUMNS: dict[str, dict[str, tuple[str, str]]] = {
    "coissuing_periods": {
        "documents": ("文件数", "documents"),
        "joint_documents": ("联合发布的文件数", "issued jointly"),
        "bodies": ("发文部门数", "bodies issuing"),
    },
    "coissuing_pairs": {"documents": ("共同发文数", "documents together")},
    "coissuing_bodies": {"documents": ("发文数", "documents issued")},
    "implementation_chains": {"title": ("文件", "document"), "number": ("文号", "文号"), "date": ("日期", "date")},
    "policy_tool_matrix": {"measures": ("使用该工具的措施数", "measures using the tool")},
    "policy_tool_matrix_regions": {"scope": ("地区", "region")},
    "policy_tool_shares": {"measures": ("措施数", "measures")},
    "reuse_documents": {"chars": ("措施文本字数", "characters of measure text")},
    "reuse_measures": {"chars": ("措施字数", "characters")},
    "target_values": {"text": ("指标", "indicator")},
}

_COLUMNS: dict[str, tuple[str, str]] = {
    "region": ("地区", "region"),
    "function": ("部门职能", "department function"),
    "measures": ("措施数", "measures"),
    "led": ("牵头措施数", "led"),
    "bodies": ("部门", "bodies"),
    "document": ("文件", "document"),
    "with_responsible": ("有责任单位的措施", "with a responsible unit"),
    "with_lead": ("有牵头单位的措施", "with a lead unit"),
    "lead_share": ("牵头比例", "lead share"),
    "label": ("名称", "name"),
    "type": ("类型", "type"),
    "weighted_degree": ("加权度", "weighted degree"),
    "betweenness": ("中介中心性", "betweenness"),
    "pagerank": ("PageRank", "PageRank"),
    "community": ("群落", "community"),
    "size": ("部门数", "size"),
    "members": ("成员", "members"),
    "group": ("指标组", "indicator group"),
    "measure": ("措施编号", "measure"),
    "subject": ("指标对象", "subject"),
    "value": ("数值", "value"),
    "value_max": ("上限", "maximum"),
    "unit": ("单位", "unit"),
    "comparator": ("比较", "comparator"),
    "year": ("目标年份", "target year"),
    "text": ("原文", "text"),
    "cites": ("引用政策数", "policies cited"),
    "shared_with_others": ("与其他文件共同引用的政策数", "shared with other documents"),
    "shared": ("共同引用的政策", "policies shared"),
    "cited": ("被引政策", "cited policy"),
    "documents": ("引用文件数", "citing documents"),
    "regions": ("地区", "regions"),
    "score": ("相似度", "similarity"),
    "heading_a": ("措施甲", "measure A"),
    "heading_b": ("措施乙", "measure B"),
    "document_a": ("文件甲", "document A"),
    "document_b": ("文件乙", "document B"),
    "region_a": ("地区甲", "region A"),
    "region_b": ("地区乙", "region B"),
    "shared_citations": ("两文件共同引用的政策", "policies both cite"),
    "period": ("时期", "period"),
    "joint_documents": ("联合发文数", "issued jointly"),
    "pairs": ("部门对数", "pairs"),
    "issuer_a": ("部门甲", "body A"),
    "issuer_b": ("部门乙", "body B"),
    "first": ("最早日期", "first date"),
    "last": ("最近日期", "last date"),
    "titles": ("文件标题（证据）", "titles (evidence)"),
    "partners": ("合作部门数", "partners"),
    "parent_number": ("上级政策文号", "parent 文号"),
    "parent_title": ("上级政策", "parent policy"),
    "parent_date": ("上级政策日期", "parent's date"),
    "depth": ("层次", "depth"),
    "level": ("行政层级", "level"),
    "title": ("标题", "title"),
    "number": ("文号", "文号"),
    "date": ("日期", "date"),
    "lag_days": ("距上级政策天数", "days after the parent"),
    "direct": ("直接引用", "cites it directly"),
    "via_number": ("所经文件文号", "via (文号)"),
    "via_title": ("所经文件", "via"),
    "via_lag_days": ("距所经文件天数", "days after via"),
    "evidence": ("证据", "evidence"),
    "tool": ("政策工具", "policy tool"),
    "category": ("工具类型", "tool category"),
    "dimension": ("作用对象", "stakeholder"),
    "start": ("起", "start"),
    "end": ("止", "end"),
    "words": ("触发词", "matched words"),
    "supply": ("供给型措施", "supply measures"),
    "supply_share": ("供给型比例", "supply share"),
    "environment": ("环境型措施", "environment measures"),
    "environment_share": ("环境型比例", "environment share"),
    "demand": ("需求型措施", "demand measures"),
    "demand_share": ("需求型比例", "demand share"),
    "chars": ("字数", "characters"),
    "parent_chars": ("来自所引文件的字数", "characters from a cited document"),
    "corpus_chars": ("来自语料中其他文件的字数", "characters from the corpus"),
    "parent_share": ("来自所引文件", "from a cited document"),
    "corpus_share": ("来自语料中其他文件", "from the corpus"),
    "new_share": ("新写", "written anew"),
    "source_document": ("来源文件", "source document"),
    "source_region": ("来源地区", "source region"),
    "source_measure": ("来源措施", "source measure"),
    "scope": ("来源范围", "found in"),
    "share": ("复用比例", "share reused"),
    "reused_chars": ("复用字数", "characters reused"),
    "local_spans": ("复用位置（本文件）", "reused spans (this document)"),
    "source_spans": ("复用位置（来源文件）", "reused spans (source)"),
    "year_of": ("年份含义", "year is"),
    "targets": ("目标数", "targets"),
    "values": ("数值", "values"),
    "subjects": ("指标对象", "subjects"),
    "document_year": ("文件年份", "document year"),
    "target_year": ("目标年份", "target year"),
    "quote": ("原文", "quote"),
}

_LEVELS = {
    "national": ("国家", "national"),
    "province": ("省", "province"),
    "municipality": ("直辖市", "municipality"),
    "city": ("市", "city"),
    "district": ("区", "district"),
    "county": ("县", "county"),
}
_PERIODS = {"all": ("全部", "all"), "undated": ("未注明日期", "undated")}
_SCOPES = {"parent": ("所引文件", "a cited document"), "corpus": ("语料中其他文件", "elsewhere in the corpus")}
_YEAR_OF = {"target": ("目标年份", "the target's year"), "document": ("文件年份", "the document's year")}
_BOOLEANS = {"True": ("是", "yes"), "False": ("否", "no")}

_COMPARATORS = {">=": ("≥", "≥"), "<=": ("≤", "≤"), "~": ("约", "about"), "range": ("区间", "range")}

_WORDS: dict[str, tuple[str, str]] = {
    "report": ("vetkg 分析报告", "vetkg report"),
    "findings": ("发现", "Findings"),
    "none": ("（无）", "(none)"),
    "csv": ("CSV：", "CSV: "),
    "first_rows": (
        "共 {total:,} 行，此处列出前 {shown:,} 行；全部见 CSV：",
        "First {shown:,} of {total:,} rows; all in CSV: ",
    ),
    "no_network": (
        "共同负责网络（中心性、群落）未计算：责任关系超过 {limit:,} 条；请单独分析一个地区的文件。",
        "The co-responsibility network (centrality, communities) is left out: more than {limit:,} responsibilities; "
        "analyse a region's documents on their own.",
    ),
    "top": (
        "{region}：{function}承担的措施最多（{measures} 项，其中牵头 {led} 项）——{bodies}",
        "{region}: {function} carries the most measures ({measures}, {led} led) — {bodies}",
    ),
    "shared_indicators": ("多个地区都设定的指标：", "Indicators set by more than one region: "),
    "reused": (
        "文本复用（{score:.2f}）：{region_a}“{heading_a}” ↔ {region_b}“{heading_b}”",
        "Reused text ({score:.2f}): {region_a} “{heading_a}” ↔ {region_b} “{heading_b}”",
    ),
    "measures_axis": ("措施数", "measures"),
    "load_bars_title": ("各地区各部门职能承担的措施", "Responsibility load by department function and region"),
    "load_bars_caption": ("各部门职能承担的措施数（按地区）", "Measures per department function, by region"),
    "heatmap_title": ("地区 × 部门职能", "Region × function heatmap"),
    "heatmap_caption": ("地区 × 部门职能：措施数", "Region × department function: measures"),
    "citations_title": (
        "引用网络（红：语料中的文件；蓝：被引用的政策）",
        "Citation network (red: documents of the corpus; blue: cited policies)",
    ),
    "citations_caption": ("哪些文件引用了哪些政策", "Which documents cite which policies"),
    "diffusion_title": ("政策扩散：在地区之间流传的措施文本", "Diffusion: measures whose text travels between regions"),
    "diffusion_caption": (
        "文件之间复用的措施文本（Jaccard 相似度）",
        "Reused measure texts between documents (Jaccard)",
    ),
    "page": ("交互页面：", "Interactive page: "),
    "page_coissuing": ("联合发文网络", "the co-issuing network"),
    "page_chains": ("政策落实链（树形）", "the implementation chains as trees"),
    "page_reuse": ("复用文本逐字对照", "reused text side by side"),
    "coissuing_title": ("联合发文网络（颜色：群落）", "Co-issuing network (colour: community)"),
    "coissuing_caption": ("共同发文的部门（线宽：共同发文数）", "Bodies issuing documents together (width: documents)"),
    "tools_caption": ("政策工具 × 作用对象：措施数", "Policy tool × stakeholder: measures"),
    "targets_caption": ("各地区的目标（按指标组）", "Targets across regions, by indicator group"),
    "top_pair": (
        "联合发文最多的部门：{issuer_a}与{issuer_b}（{documents} 份文件）",
        "Bodies issuing the most documents together: {issuer_a} and {issuer_b} ({documents})",
    ),
    "chain": (
        "{number}被语料中 {children} 份文件落实（直接引用 {direct} 份）",
        "{number} is implemented by {children} documents of the corpus ({direct} citing it directly)",
    ),
    "most_reused": (
        "措施文本来自所引文件比例最高的文件：{document}（{share:.0%}）",
        "The document whose measures copy the most from the documents it cites: {document} ({share:.0%})",
    ),
}


def _say(key: str, lang: str, **values) -> str:
    text = _WORDS[key][_LANG_INDEX[lang]]
    return text.format(**values) if values else text


_LANG_INDEX = {"zh": 0, "en": 1}


class _TableOptions(TypedDict, total=False):
    csv_only: tuple[str, ...]
    page: str
    page_rows: int


def _table(
    name: str,
    rows: list[dict],
    lang: str,
    shown: dict[str, dict[str, str]] | None = None,
    **options: Unpack[_TableOptions],
) -> Table:
    (title, note) = (part[_LANG_INDEX[lang]] for part in _TABLES[name])
    headers = {col: words[_LANG_INDEX[lang]] for col, words in {**_COLUMNS, **_TABLE_COLUMNS.get(name, {})}.items()}
    return Table(name, title, rows, note, headers, shown or {}, **options)


def _evidence_table(
    name: str,
    every: Callable[[], Iterable[dict]],
    lang: str,
    shown: dict[str, dict[str, str]] | None = None,
    **options: Unpack[_TableOptions],
) -> Table:
    """A table with a row per code, value or measure: the page's ``EVIDENCE_ROWS`` rows
    kept, every row read again from ``every`` when the CSV is written."""
    t = _table(name, list(itertools.islice(every(), EVIDENCE_ROWS)), lang, shown, **options)
    t.page_rows = EVIDENCE_ROWS
    t.every = every
    t.total = sum(1 for _ in every())
    return t


def _in(words: dict[str, tuple[str, str]], lang: str) -> dict[str, str]:
    return {code: pair[_LANG_INDEX[lang]] for code, pair in words.items()}


# --- the analysis -----------------------------------------------------------------------------


def analyze(graph, lang: str = DEFAULT_LANGUAGE, memo: Memo | None = None) -> Report:
    """Every table, plot and finding of the report, from the RDF graph, for a reader of
    ``lang`` (``zh`` or ``en``). ``memo``: figures and policy-tool codes of an earlier
    report, by the digest of what they were made from (:mod:`kg.core.memo`: a rebuild
    redraws only the figures whose rows changed and codes only the measure texts that
    changed); without one, everything is made anew."""
    lang = check_language(lang)
    memo = memo if memo is not None else Memo()
    ix = A.Index(graph)
    if not ix.documents:
        raise QueryError("the graph holds no built document: nothing to analyse")
    rep = Report(lang=lang)
    functions = function_labels(lang)
    load = A.load_by_function_region(ix)
    top = A.top_function_per_region(ix)
    if len(ix.relation("responsibleFor")) <= MAX_NETWORK_RESPONSIBILITIES:
        co = A.co_responsibility_graph(ix)
    else:  # the network grows with the square of units per measure: millions of edges
        co = nx.Graph(name="co-responsibility")
        rep.findings.append(_say("no_network", lang, limit=MAX_NETWORK_RESPONSIBILITIES))
    # betweenness is the costliest number here: computed again only when the network changed
    spec = ("centrality", [(n, d) for n, d in co.nodes(data=True)], [(u, v, d) for u, v, d in co.edges(data=True)])
    key = digest(*spec)
    cent = memo.get(RESULTS, key)
    if not (isinstance(cent, list) and all(isinstance(r, dict) and r.keys() == _CENTRALITY for r in cent)):
        cent = A.centrality(co.copy())  # not computed before, or an entry of another shape (a copy: co stays as read)
        memo.put(RESULTS, key, cent)
    inds = A.indicators(ix)
    links = A.diffusion_links(graph)
    comparators = {code: words[_LANG_INDEX[lang]] for code, words in _COMPARATORS.items()}
    rep.tables += [
        _table("load_by_function_region", load, lang, {"function": functions}),
        _table("top_function_per_region", top, lang, {"function": functions}),
        _table("lead_share", A.lead_share(ix), lang),
        _table(
            "department_centrality",
            [{k: v for k, v in r.items() if k != "node"} for r in cent],
            lang,
            {"type": type_labels(lang)},
        ),
        _table("department_communities", A.department_communities(ix, co), lang),
        _table("indicators", inds, lang, {"comparator": comparators}),
        _table("citation_ranking", A.citation_ranking(ix), lang),
        _table("most_cited", A.most_cited(ix), lang),
        _table("diffusion", [{k: v for k, v in r.items() if k not in ("a", "b")} for r in links], lang),
    ]
    for r in top:
        rep.findings.append(_say("top", lang, **{**r, "function": functions.get(r["function"], r["function"])}))
    groups: dict[str, set[str]] = {}
    for r in inds:
        groups.setdefault(r["group"], set()).add(r["region"])
    shared = [g for g, regions in sorted(groups.items()) if len(regions) > 1 and g != "其他"]
    if shared:
        rep.findings.append(_say("shared_indicators", lang) + "、".join(shared))
    for r in links[:5]:
        rep.findings.append(_say("reused", lang, **r))
    rep.figures = _figures(load, A.citation_graph(ix), links, lang, memo)
    _workbench(ix, rep, links, memo)
    return rep


# --- the researcher's workbench: co-issuing, chains, policy tools, reuse, targets ------------


def _workbench(ix, rep: Report, links: list[dict], memo: Memo) -> None:
    """The workbench's tables, figures and findings (issue 20), added to ``rep``; what the
    interactive pages are drawn from goes to ``rep.data``."""
    lang = rep.lang
    periods = _in(_PERIODS, lang)

    # co-issuing network: per year, the pairs, the bodies (degree, betweenness, community);
    # the store read once, each network built once
    documents, bodies = coissuing.issued_documents(ix.source)
    by_year = coissuing.group_periods(documents, "year")
    whole = coissuing.group_periods(documents, coissuing.ALL)
    whole_networks = coissuing.networks_of(whole, bodies)
    rep.tables.append(
        _table(
            "coissuing_periods",
            coissuing.period_rows(by_year, coissuing.networks_of(by_year, bodies)),
            lang,
            {"period": periods},
        )
    )
    pairs = coissuing.pair_rows(whole_networks)
    rep.tables.append(
        _table(
            "coissuing_pairs",
            [{k: v for k, v in r.items() if k not in ("a", "b")} for r in pairs],
            lang,
            {"period": periods},
            csv_only=("sources",),
            page="coissuing",
        )
    )
    rep.tables.append(
        _table(
            "coissuing_bodies",
            [{k: v for k, v in r.items() if k != "node"} for r in coissuing.table_rows(whole_networks)],
            lang,
            {"period": periods},
            page="coissuing",
        )
    )
    network = whole_networks.get(coissuing.ALL) or nx.Graph(name=f"co-issuing {coissuing.ALL}")
    rep.data.coissuing = network
    if pairs:
        rep.findings.append(_say("top_pair", lang, **pairs[0]))

    # implementation chains of the most cited parents
    found = chains.implementation_chains(ix.source, limit=CHAIN_PARENTS)
    rep.data.chains = [tree for tree, _ in found]
    chain_rows = []
    for tree, rows in found:
        for r in rows:
            chain_rows.append(
                {
                    "parent_number": tree.get("number") or tree.get("ref"),
                    "parent_title": tree.get("title"),
                    "parent_date": tree.get("date"),
                    **{k: r[k] for k in _CHAIN_COLUMNS},
                }
            )
        if rows:
            direct = sum(1 for r in rows if r["direct"])
            rep.findings.append(
                _say("chain", lang, number=tree.get("number") or tree.get("ref"), children=len(rows), direct=direct)
            )
    t = _table(
        "implementation_chains",
        chain_rows,
        lang,
        {"level": _in(_LEVELS, lang), "direct": _in(_BOOLEANS, lang)},
        csv_only=("source_id",),
        page="chains",
    )
    t.note = t.note.format(parents=CHAIN_PARENTS)
    rep.tables.append(t)

    facts = policy_tools.document_facts(ix)  # read once, for the measures and the targets
    measures = policy_tools.measure_texts(ix, facts)
    _policy_tools(measures, rep, memo)

    # text reuse: per document, per measure (the side-by-side page from rep.data), as the
    # build wrote it into the graph (vet:Reuse nodes: nothing aligned again); a graph
    # without any is searched here, its corpus candidates the build's similarity links
    # or, without any, found by the same rule (reuse's MinHash/LSH, the same threshold
    # and partners per measure)
    reuses = reuse.stored_reuse(ix, measures)
    if reuses is None:
        reuses = reuse.find_reuse(ix, measures=measures, partners=_partners(links) if links else None)
    rep.data.reuse = reuses
    shares = reuse.document_shares(reuses)
    t = _table("reuse_documents", shares, lang, csv_only=("doc_id", "sources"), page="reuse")
    t.note = t.note.format(run=reuse.MIN_RUN, threshold=reuse.CORPUS_THRESHOLD, partners=reuse.CORPUS_PARTNERS)
    rep.tables.append(t)
    rep.tables.append(
        _evidence_table(
            "reuse_measures",
            lambda: reuse.iter_reuse_rows(reuses),
            lang,
            {"scope": _in(_SCOPES, lang)},
            csv_only=("doc_id", "source_doc_id", "measure_iri", "source_iri"),
            page="reuse",
        )
    )
    copied = [r for r in shares if r["parent_share"] > 0]
    if copied:
        top = min(copied, key=lambda r: (-r["parent_share"], r["doc_id"]))
        rep.findings.append(
            _say("most_reused", lang, document=top["document"] or top["doc_id"], share=top["parent_share"])
        )

    # targets compared, each value with its evidence
    values = targets.target_values(ix, facts)
    comparators = _in(_COMPARATORS, lang)
    rep.tables.append(
        _table(
            "targets_compared",
            targets.compare_targets(values),
            lang,
            {"year_of": _in(_YEAR_OF, lang)},
            csv_only=("evidence",),
        )
    )
    rep.tables.append(
        _evidence_table(
            "target_values",
            lambda: iter(values),
            lang,
            {"comparator": comparators},
            csv_only=("doc_id", "measure_iri", "indicator_iri"),
        )
    )
    if any(targets.plotted(r) for r in values):  # the rows plot_targets draws (其他 is not a panel)
        fields = ("group", "region", "unit", "value", "value_max", "target_year", "document_year")
        spec = (lang, [[r[k] for k in fields] for r in values if r["value"] is not None])
        png = memo.blob(_figure_key("targets", spec), lambda: targets.plot_targets(values, lang=lang))
        rep.figures.append(("targets", _say("targets_caption", lang), png))
    fig = _coissuing_figure(network, lang, memo)
    if fig is not None:
        rep.figures.append(fig)


def _policy_tools(measures: list[policy_tools.MeasureText], rep: Report, memo: Memo) -> None:
    """The policy-tool tables and heat map (the evidence of the codes, a row per trigger
    of every measure, is not kept: the page shows its first rows, the CSV is written from
    the codings)."""
    lang = rep.lang
    tools, dims = policy_tools.load_tools(), policy_tools.load_stakeholders()
    codings = policy_tools.code_measures(measures, tools, dims, memo=memo)
    tool_names = {e.name: (e.zh, e.en)[_LANG_INDEX[lang]] for e in tools.entries}
    categories = {c: words.get(lang, c) for c, words in tools.groups.items()}
    dim_names = {e.name: (e.zh, e.en)[_LANG_INDEX[lang]] for e in dims.entries}
    tool_shown = {"tool": tool_names, "category": categories, "dimension": dim_names}
    long = policy_tools.tool_matrix(codings, by=None, tools=tools, stakeholders=dims)
    using = {r["tool"]: r["measures"] for r in policy_tools.tool_counts(codings, None, tools)}
    cells = {(r["tool"], r["dimension"]): r["measures"] for r in long}
    wide = [
        {
            "tool": e.name,
            "category": e.group,
            **{d.name: cells.get((e.name, d.name), 0) for d in dims.entries},
            "measures": using.get(e.name, 0),
        }
        for cat in tools.groups
        for e in tools.entries
        if e.group == cat
    ]
    t = _table("policy_tool_matrix", wide, lang, tool_shown)
    t.headers.update(dim_names)
    rep.tables.append(t)
    rep.tables.append(
        _table(
            "policy_tool_matrix_regions",
            policy_tools.tool_matrix(codings, by="region", tools=tools, stakeholders=dims),
            lang,
            tool_shown,
            csv_only=("evidence",),
            page_rows=EVIDENCE_ROWS,
        )
    )
    titles = {m.doc_id: m.title for m in measures}
    rep.tables.append(
        _table(
            "policy_tool_shares",
            [
                {"doc_id": r["scope"], "document": titles.get(r["scope"], ""), **r}
                for r in policy_tools.tool_shares(codings)
            ],
            lang,
            csv_only=("doc_id", "scope"),
        )
    )
    rep.tables.append(
        _evidence_table(
            "policy_tool_codes",
            lambda: policy_tools.iter_code_evidence(codings),
            lang,
            tool_shown,
            csv_only=("doc_id", "measure_iri"),
        )
    )
    if long:
        rep.figures.append(
            (
                "policy_tools",
                _say("tools_caption", lang),
                memo.blob(
                    _figure_key(
                        "policy_tools", (lang, sorted((r["tool"], r["dimension"], r["measures"]) for r in long))
                    ),
                    lambda: policy_tools.plot_tool_matrix(long, None, lang, tools, dims),
                ),
            )
        )


def _partners(links: list[dict]) -> dict[str, list[str]]:
    """Measure → its partners of the similarity links, most similar first."""
    partners: dict[str, list[tuple[float, str]]] = {}
    for r in links:
        partners.setdefault(r["a"], []).append((-r["score"], r["b"]))
        partners.setdefault(r["b"], []).append((-r["score"], r["a"]))
    return {m: [x for _, x in sorted(xs)] for m, xs in partners.items()}


_CHAIN_COLUMNS = (
    "depth",
    "level",
    "region",
    "title",
    "number",
    "date",
    "lag_days",
    "direct",
    "via_number",
    "via_title",
    "via_lag_days",
    "evidence",
    "source_id",
)


# --- plots --------------------------------------------------------------------------------


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    lazy.pyplot().close(fig)
    return buf.getvalue()


def _drawn(memo: Memo, name: str, spec: Any, draw: Callable[[Any], Any]) -> bytes:
    """The PNG of the figure ``draw(plt)`` makes from exactly what ``spec`` holds, drawn
    in the report's style — or, when a figure of the same ``spec`` was drawn before (a
    rebuild whose edit did not touch it), those bytes from ``memo``."""

    def make() -> bytes:
        plt = lazy.pyplot()
        with plt.rc_context():
            plt.rcdefaults()  # the same figures whatever the user's matplotlibrc says
            plt.rcParams.update(_style())
            return _png(draw(plt))

    return memo.blob(_figure_key(name, spec), make)


def _figure_key(name: str, spec: Any) -> str:
    """The memo key of a figure: what it draws (the memo's salt covers the code, the
    libraries and the font that draw it)."""
    return digest(name, spec)


def _figures(load: list[dict], citations, links: list[dict], lang: str, memo: Memo) -> list[tuple[str, str, bytes]]:
    """The load, citation and diffusion figures, each drawn from the rows it shows."""
    out = []
    names = function_labels(lang)
    cell = {(r["region"], r["function"]): r["measures"] for r in load}
    per_region: Counter[str] = Counter()
    per_function: Counter[str] = Counter()
    for (region, function), n in cell.items():
        per_region[region] += n
        per_function[function] += n
    # a legible plot: the regions with the most measures (every region is in the table)
    regions = sorted(sorted(per_region, key=lambda reg: (-per_region[reg], reg))[:PLOT_REGIONS])
    functions = sorted(per_function, key=lambda f: (-per_function[f], f))
    function_names = [_drawable(names.get(f, f)) for f in functions]
    matrix = [[cell.get((reg, f), 0) for f in functions] for reg in regions]
    if load:
        spec = (lang, regions, function_names, matrix)

        def bars(plt):
            fig, ax = plt.subplots(figsize=(10, 4.5))
            width = 0.8 / max(1, len(regions))
            for i, region in enumerate(regions):
                ax.bar([x + i * width for x in range(len(functions))], matrix[i], width, label=_drawable(region))
            ax.set_xticks([x + 0.4 - width / 2 for x in range(len(functions))])
            ax.set_xticklabels(function_names, rotation=45, ha="right", fontsize=8)
            ax.set_ylabel(_say("measures_axis", lang))
            if ax.get_legend_handles_labels()[0]:  # no region recognised: no legend to draw
                ax.legend(fontsize=8)
            ax.set_title(_say("load_bars_title", lang))
            return fig

        def heatmap(plt):
            fig, ax = plt.subplots(figsize=(10, 0.6 + 0.45 * len(regions)))
            im = ax.imshow(matrix, cmap="YlOrRd", aspect="auto")
            ax.set_yticks(range(len(regions)))
            ax.set_yticklabels([_drawable(r) for r in regions])
            ax.set_xticks(range(len(functions)))
            ax.set_xticklabels(function_names, rotation=45, ha="right", fontsize=8)
            for y, row in enumerate(matrix):
                for x, v in enumerate(row):
                    if v:
                        ax.text(x, y, str(v), ha="center", va="center", fontsize=7)
            fig.colorbar(im, ax=ax, label=_say("measures_axis", lang))
            ax.set_title(_say("heatmap_title", lang))
            return fig

        out.append(("load_bars", _say("load_bars_caption", lang), _drawn(memo, "load_bars", spec, bars)))
        out.append(("load_heatmap", _say("heatmap_caption", lang), _drawn(memo, "load_heatmap", spec, heatmap)))

    if citations.number_of_nodes() > PLOT_NODES:  # a legible plot: the most cited and citing
        keep = sorted(citations, key=lambda n: (-citations.degree(n), n))[:PLOT_NODES]
        citations = citations.subgraph(keep)
    citations = sorted_subgraph(citations)
    if citations.number_of_nodes():
        nodes = [
            (n, citations.nodes[n]["label"], bool(citations.nodes[n].get("in_corpus")), citations.in_degree(n))
            for n in citations
        ]

        def cited(plt):
            fig, ax = plt.subplots(figsize=(10, 7))
            pos = nx.spring_layout(citations, seed=LAYOUT_SEED, k=0.9)
            nx.draw_networkx(
                citations,
                pos,
                ax=ax,
                node_color=["#d62728" if in_corpus else "#1f77b4" for _, _, in_corpus, _ in nodes],
                node_size=[200 + 150 * degree for _, _, _, degree in nodes],
                arrows=True,
                labels={n: _drawable(_short(label)) for n, label, _, _ in nodes},
                font_size=7,
                edge_color="#999999",
            )
            ax.set_title(_say("citations_title", lang))
            ax.axis("off")
            return fig

        drawn = _drawn(memo, "citations", (lang, nodes, list(citations.edges())), cited)
        out.append(("citations", _say("citations_caption", lang), drawn))

    if links:
        shown = [(r["region_a"], r["heading_a"], r["region_b"], r["heading_b"], r["score"]) for r in links[:PLOT_LINKS]]

        def diffusion(plt):
            g = nx.Graph()
            for region_a, heading_a, region_b, heading_b, score in shown:
                g.add_edge(f"{region_a} {_short(heading_a, 14)}", f"{region_b} {_short(heading_b, 14)}", weight=score)
            g = sorted_subgraph(g)
            fig, ax = plt.subplots(figsize=(10, 6))
            pos = nx.spring_layout(g, seed=LAYOUT_SEED, k=1.2)
            nx.draw_networkx(
                g,
                pos,
                ax=ax,
                node_color="#2ca02c",
                node_size=300,
                labels={n: _drawable(n) for n in g},
                font_size=7,
                width=[1 + 6 * g[u][v]["weight"] for u, v in g.edges],
            )
            nx.draw_networkx_edge_labels(
                g,
                pos,
                ax=ax,
                font_size=6,
                edge_labels={(u, v): f"{d['weight']:.2f}" for u, v, d in g.edges(data=True)},
            )
            ax.set_title(_say("diffusion_title", lang))
            ax.axis("off")
            return fig

        out.append(("diffusion", _say("diffusion_caption", lang), _drawn(memo, "diffusion", (lang, shown), diffusion)))
    return out


PLOT_NODES = 60  # nodes in the citation-network plot
RESULTS = "report"  # the memo table of the report's computed rows
_CENTRALITY = {"node", "label", "type", "weighted_degree", "betweenness", "pagerank"}
PLOT_REGIONS = 40  # regions in the load plots
PLOT_LINKS = 40  # strongest diffusion links in their plot
LAYOUT_SEED = 42  # spring layouts: the same graph, the same picture
MAX_NETWORK_RESPONSIBILITIES = 200_000  # past this, no co-responsibility network in the report
PAGE_ROWS = 500  # rows of a table shown in report.html / report.md (every row is in its CSV)
EVIDENCE_ROWS = 100  # rows of an evidence table (one per code, value, measure) on the page
CHAIN_PARENTS = 10  # implementation chains in the report: of the policies cited by the most documents
PLOT_BODIES = 60  # bodies in the co-issuing plot (the busiest joint issuers)


def _coissuing_figure(g, lang: str, memo: Memo) -> tuple[str, str, bytes] | None:
    """The co-issuing network of the bodies that issue jointly (the busiest
    ``PLOT_BODIES``), coloured by community, edges as wide as their documents."""
    joint = [n for n in g if g.degree(n)]
    if not joint:
        return None
    keep = sorted(joint, key=lambda n: (-g.degree(n, weight="weight"), n))[:PLOT_BODIES]
    h = sorted_subgraph(g, keep)  # the same picture whatever the hash seed
    community = {n: i for i, members in enumerate(A.communities(h)) for n in members}
    palette = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22")
    nodes = [(n, h.nodes[n]["label"], int(h.nodes[n].get("documents", 1)), community.get(n, 0)) for n in h]
    edges = [(u, v, int(d.get("weight", 1))) for u, v, d in h.edges(data=True)]

    def draw(plt):
        fig, ax = plt.subplots(figsize=(10, 7))
        pos = nx.spring_layout(h, seed=LAYOUT_SEED, k=1.0)
        nx.draw_networkx(
            h,
            pos,
            ax=ax,
            node_color=[palette[c % len(palette)] for _, _, _, c in nodes],
            node_size=[200 + 80 * min(documents, 20) for _, _, documents, _ in nodes],
            labels={n: _drawable(_short(label, 16)) for n, label, _, _ in nodes},
            font_size=7,
            edge_color="#999999",
            width=[1 + 1.5 * min(weight, 8) for _, _, weight in edges],
        )
        ax.set_title(_say("coissuing_title", lang))
        ax.axis("off")
        return fig

    return ("coissuing", _say("coissuing_caption", lang), _drawn(memo, "coissuing", (lang, nodes, edges), draw))


def _short(s: str, n: int = 12) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


# --- writing ------------------------------------------------------------------------------


def to_markdown(rep: Report) -> str:
    lang = rep.lang
    lines = [f"# {_say('report', lang)}", ""]
    if rep.findings:
        lines += [f"## {_say('findings', lang)}", ""] + [f"- {_md(f)}" for f in rep.findings] + [""]
    for name, caption, _ in rep.figures:
        lines += [f"![{caption}](figures/{name}.png)", ""]
    for t in rep.tables:
        lines += [f"## {t.title}", ""]
        if t.note:
            lines += [t.note, ""]
        if not t.rows:
            lines += [_say("none", lang), ""]
            continue
        cols = t.page_columns
        lines.append("| " + " | ".join(_md(t.header(c)) for c in cols) + " |")
        lines.append("|" + "---|" * len(cols))
        for r in t.rows[: t.limit]:
            lines.append("| " + " | ".join(_md(t.cell(r, c)) for c in cols) + " |")
        csv_path = f"tables/{t.name}.csv"
        lines += ["", f"{_more(t, lang)}[{csv_path}]({csv_path})", ""]
        if t.page in rep.pages:
            lines += [f"{_say('page', lang)}[{_say('page_' + t.page, lang)}]({rep.pages[t.page]})", ""]
    return "\n".join(lines)


def _more(t: Table, lang: str) -> str:
    """How much of the table the page shows, before the link to the whole of it."""
    if t.size <= t.limit:
        return _say("csv", lang)
    return _say("first_rows", lang, shown=t.limit, total=t.size)


_MD_ESCAPES = str.maketrans({"|": "\\|", "[": "\\[", "]": "\\]", "`": "\\`", "\n": " ", "\r": " "})


def _md(v) -> str:
    """A table cell or finding in Markdown: document text shows as text — its HTML
    escaped (a Markdown viewer renders raw HTML), no link, code span or cell break."""
    return "" if v is None else html.escape(str(v), quote=False).translate(_MD_ESCAPES)


def to_html(rep: Report) -> str:
    e = html.escape
    lang = rep.lang
    parts = [
        f'<!DOCTYPE html><html lang="{e(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(_say('report', lang))}</title><style>",
        "body{font-family:system-ui,'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif;margin:2em;max-width:1200px}",
        "table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}",
        "th{background:#f3f3f3}img{max-width:100%;border:1px solid #eee}figure{margin:1.5em 0}",
        f"</style></head><body><h1>{e(_say('report', lang))}</h1>",
    ]
    if rep.findings:
        parts.append(
            f"<h2>{e(_say('findings', lang))}</h2><ul>" + "".join(f"<li>{e(f)}</li>" for f in rep.findings) + "</ul>"
        )
    for name, caption, png in rep.figures:
        data = base64.b64encode(png).decode("ascii")
        parts.append(
            f'<figure id="{e(name)}"><img alt="{e(caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{e(caption)}</figcaption></figure>"
        )
    for t in rep.tables:
        parts.append(f'<h2 id="{e(t.name)}">{e(t.title)}</h2>')
        if t.note:
            parts.append(f"<p>{e(t.note)}</p>")
        if not t.rows:
            parts.append(f"<p>{e(_say('none', lang))}</p>")
            continue
        cols = t.page_columns
        parts.append("<table><tr>" + "".join(f"<th>{e(t.header(c))}</th>" for c in cols) + "</tr>")
        for r in t.rows[: t.limit]:
            parts.append("<tr>" + "".join(f"<td>{e(t.cell(r, c))}</td>" for c in cols) + "</tr>")
        csv_path = f"tables/{t.name}.csv"
        parts.append(f'</table><p><small>{e(_more(t, lang))}<a href="{e(csv_path)}">{e(csv_path)}</a></small></p>')
        if t.page in rep.pages:
            href = rep.pages[t.page]
            parts.append(
                f'<p class="page">{e(_say("page", lang))}<a href="{e(href)}">{e(_say("page_" + t.page, lang))}</a></p>'
            )
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(rep: Report, out: str | Path) -> list[Path]:
    """``report.html``, ``report.md``, ``tables/*.csv`` and ``figures/*.png`` (atomic)."""
    out = Path(out)
    written = []
    for t in rep.tables:
        p = out / "tables" / f"{t.name}.csv"
        f = AtomicFile(p)  # written as its rows come: a table of millions of rows is never one string
        try:
            for line in t.csv_lines():
                f.write(line)
        except BaseException:
            f.discard()
            raise
        f.commit()
        written.append(p)
    for name, _, png in rep.figures:
        p = out / "figures" / f"{name}.png"
        write_bytes_atomic(p, png)
        written.append(p)
    for name, text in (("report.md", to_markdown(rep)), ("report.html", to_html(rep))):
        write_text_atomic(out / name, text)
        written.append(out / name)
    return written
