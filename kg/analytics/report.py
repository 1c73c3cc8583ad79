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
import csv
import html
import io
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import networkx as nx

from kg import analytics as A
from kg.analytics.labels import DEFAULT_LANGUAGE, check_language, function_labels, type_labels
from kg.core import lazy
from kg.core.atomic import write_bytes_atomic, write_text_atomic
from kg.errors import QueryError


@dataclass
class Table:
    name: str  # file stem of its CSV
    title: str
    rows: list[dict]
    note: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # column → its name on the page
    shown: dict[str, dict[str, str]] = field(default_factory=dict)  # column → {code: what the page shows}

    @property
    def columns(self) -> list[str]:
        cols: list[str] = []
        for r in self.rows:
            for k in r:
                if k not in cols:
                    cols.append(k)
        return cols

    def header(self, column: str) -> str:
        """The column's name for a reader (the CSV keeps ``column``)."""
        return self.headers.get(column, column)

    def cell(self, row: dict, column: str) -> str:
        """The value as a reader sees it: a code shown by its label."""
        value = row.get(column)
        if value is None:
            return ""
        if isinstance(value, str):
            return self.shown.get(column, {}).get(value, value)
        return str(value)

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=self.columns, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        for r in self.rows:
            w.writerow({k: "" if v is None else v for k, v in r.items()})
        return buf.getvalue()


@dataclass
class Report:
    tables: list[Table] = field(default_factory=list)
    figures: list[tuple[str, str, bytes]] = field(default_factory=list)  # (name, caption, PNG)
    findings: list[str] = field(default_factory=list)
    lang: str = DEFAULT_LANGUAGE


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
}

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
}


def _say(key: str, lang: str, **values) -> str:
    text = _WORDS[key][_LANG_INDEX[lang]]
    return text.format(**values) if values else text


_LANG_INDEX = {"zh": 0, "en": 1}


def _table(name: str, rows: list[dict], lang: str, shown: dict[str, dict[str, str]] | None = None) -> Table:
    (title, note) = (part[_LANG_INDEX[lang]] for part in _TABLES[name])
    headers = {col: words[_LANG_INDEX[lang]] for col, words in _COLUMNS.items()}
    return Table(name, title, rows, note, headers, shown or {})


# --- the analysis -----------------------------------------------------------------------------


def analyze(graph, lang: str = DEFAULT_LANGUAGE) -> Report:
    """Every table, plot and finding of the report, from the RDF graph, for a reader of
    ``lang`` (``zh`` or ``en``)."""
    lang = check_language(lang)
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
    cent = A.centrality(co)
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
    rep.figures = _figures(load, co, A.citation_graph(ix), links, lang)
    return rep


# --- plots --------------------------------------------------------------------------------

FONT_FAMILY = "VetKG Sans SC"  # the subset of Noto Sans CJK SC in kg/data/fonts (OFL)
FONT_FILE = "VetKGSansSC-Regular.otf"
MISSING_GLYPH = "〓"  # the geta mark: typesetters' sign for a character the font lacks
_SYSTEM_CJK_FONTS = (  # only if the shipped font was left out of an install
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)


def font_path() -> Path:
    """The CJK font vetkg ships for its plots."""
    return Path(str(resources.files("kg").joinpath("data").joinpath("fonts").joinpath(FONT_FILE)))


@cache
def _plot_fonts() -> tuple[tuple[str, ...], frozenset[int]]:
    """The font families of the plots, first choice first, and the code points they draw.

    The shipped font first, so a machine without any CJK font (a fresh server, a
    container) draws Chinese, and every machine draws the same pixels; DejaVu Sans (which
    matplotlib brings) for what it lacks."""
    font_manager = lazy.font_manager()
    families: list[str] = []
    if font_path().is_file():
        font_manager.fontManager.addfont(str(font_path()))
        families.append(FONT_FAMILY)
    else:
        known = {f.name for f in font_manager.fontManager.ttflist}
        families += [name for name in _SYSTEM_CJK_FONTS if name in known][:1]
    families.append("DejaVu Sans")
    covered: set[int] = set()
    for family in families:
        found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        covered.update(font_manager.get_font(found).get_charmap())
    return tuple(families), frozenset(covered)


def use_cjk_font() -> str | None:
    """Make matplotlib draw Chinese (in a notebook, say) with the font the report uses.
    Returns the font's name (None only if vetkg's font is missing and no CJK font is known)."""
    plt = lazy.pyplot()
    families, _ = _plot_fonts()
    plt.rcParams["font.sans-serif"] = [*families, *plt.rcParams["font.sans-serif"]]
    plt.rcParams["axes.unicode_minus"] = False
    return families[0] if len(families) > 1 else None


def _style() -> dict:
    """The rcParams every plot is drawn with (over matplotlib's defaults, not the user's)."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": list(_plot_fonts()[0]),
        "axes.unicode_minus": False,
        "svg.hashsalt": "vetkg",  # stable ids, should a figure ever be saved as SVG
    }


def _drawable(text: str) -> str:
    """``text`` as the plot fonts can draw it: a character none of them has becomes
    ``MISSING_GLYPH`` (no empty box, no "Glyph missing" warning), a ``$`` stays a dollar
    sign (not the start of a formula)."""
    covered = _plot_fonts()[1]
    return "".join(c if ord(c) in covered or c == "\n" else MISSING_GLYPH for c in text).replace("$", r"\$")


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    lazy.pyplot().close(fig)
    return buf.getvalue()


def _sorted_graph(g):
    """A copy of ``g`` with its nodes and edges in sorted order. A spring layout and the
    drawing follow insertion order, and a subgraph's order is that of a Python set (it
    changes with PYTHONHASHSEED): sorted, the same graph gives the same picture."""
    h = g.__class__()
    h.add_nodes_from(sorted(g.nodes(data=True), key=lambda node: node[0]))
    h.add_edges_from(sorted(g.edges(data=True), key=lambda edge: (edge[0], edge[1])))
    return h


def _figures(load: list[dict], co, citations, links: list[dict], lang: str) -> list[tuple[str, str, bytes]]:
    plt = lazy.pyplot()
    with plt.rc_context():
        plt.rcdefaults()  # the same figures whatever the user's matplotlibrc says
        plt.rcParams.update(_style())
        return _draw(plt, load, citations, links, lang)


def _draw(plt, load: list[dict], citations, links: list[dict], lang: str) -> list[tuple[str, str, bytes]]:
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
    if load:
        fig, ax = plt.subplots(figsize=(10, 4.5))
        width = 0.8 / max(1, len(regions))
        for i, region in enumerate(regions):
            vals = [cell.get((region, f), 0) for f in functions]
            ax.bar([x + i * width for x in range(len(functions))], vals, width, label=_drawable(region))
        ax.set_xticks([x + 0.4 - width / 2 for x in range(len(functions))])
        ax.set_xticklabels(function_names, rotation=45, ha="right", fontsize=8)
        ax.set_ylabel(_say("measures_axis", lang))
        ax.legend(fontsize=8)
        ax.set_title(_say("load_bars_title", lang))
        out.append(("load_bars", _say("load_bars_caption", lang), _png(fig)))

        fig, ax = plt.subplots(figsize=(10, 0.6 + 0.45 * len(regions)))
        matrix = [[cell.get((reg, f), 0) for f in functions] for reg in regions]
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
        out.append(("load_heatmap", _say("heatmap_caption", lang), _png(fig)))

    if citations.number_of_nodes() > PLOT_NODES:  # a legible plot: the most cited and citing
        keep = sorted(citations, key=lambda n: (-citations.degree(n), n))[:PLOT_NODES]
        citations = citations.subgraph(keep)
    citations = _sorted_graph(citations)
    if citations.number_of_nodes():
        fig, ax = plt.subplots(figsize=(10, 7))
        pos = nx.spring_layout(citations, seed=LAYOUT_SEED, k=0.9)
        colors = ["#d62728" if citations.nodes[n].get("in_corpus") else "#1f77b4" for n in citations]
        sizes = [200 + 150 * citations.in_degree(n) for n in citations]
        nx.draw_networkx(
            citations,
            pos,
            ax=ax,
            node_color=colors,
            node_size=sizes,
            arrows=True,
            labels={n: _drawable(_short(citations.nodes[n]["label"])) for n in citations},
            font_size=7,
            edge_color="#999999",
        )
        ax.set_title(_say("citations_title", lang))
        ax.axis("off")
        out.append(("citations", _say("citations_caption", lang), _png(fig)))

    if links:
        g = nx.Graph()
        for r in links[:PLOT_LINKS]:
            a = f"{r['region_a']} {_short(r['heading_a'], 14)}"
            b = f"{r['region_b']} {_short(r['heading_b'], 14)}"
            g.add_edge(a, b, weight=r["score"])
        g = _sorted_graph(g)
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
        out.append(("diffusion", _say("diffusion_caption", lang), _png(fig)))
    return out


PLOT_NODES = 60  # nodes in the citation-network plot
PLOT_REGIONS = 40  # regions in the load plots
PLOT_LINKS = 40  # strongest diffusion links in their plot
LAYOUT_SEED = 42  # spring layouts: the same graph, the same picture
MAX_NETWORK_RESPONSIBILITIES = 200_000  # past this, no co-responsibility network in the report
PAGE_ROWS = 500  # rows of a table shown in report.html / report.md (every row is in its CSV)


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
        cols = t.columns
        lines.append("| " + " | ".join(_md(t.header(c)) for c in cols) + " |")
        lines.append("|" + "---|" * len(cols))
        for r in t.rows[:PAGE_ROWS]:
            lines.append("| " + " | ".join(_md(t.cell(r, c)) for c in cols) + " |")
        csv_path = f"tables/{t.name}.csv"
        lines += ["", f"{_more(t, lang)}[{csv_path}]({csv_path})", ""]
    return "\n".join(lines)


def _more(t: Table, lang: str) -> str:
    """How much of the table the page shows, before the link to the whole of it."""
    if len(t.rows) <= PAGE_ROWS:
        return _say("csv", lang)
    return _say("first_rows", lang, shown=PAGE_ROWS, total=len(t.rows))


def _md(v) -> str:
    return "" if v is None else str(v).replace("|", "\\|").replace("\n", " ")


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
        cols = t.columns
        parts.append("<table><tr>" + "".join(f"<th>{e(t.header(c))}</th>" for c in cols) + "</tr>")
        for r in t.rows[:PAGE_ROWS]:
            parts.append("<tr>" + "".join(f"<td>{e(t.cell(r, c))}</td>" for c in cols) + "</tr>")
        csv_path = f"tables/{t.name}.csv"
        parts.append(f'</table><p><small>{e(_more(t, lang))}<a href="{e(csv_path)}">{e(csv_path)}</a></small></p>')
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(rep: Report, out: str | Path) -> list[Path]:
    """``report.html``, ``report.md``, ``tables/*.csv`` and ``figures/*.png`` (atomic)."""
    out = Path(out)
    written = []
    for t in rep.tables:
        p = out / "tables" / f"{t.name}.csv"
        write_text_atomic(p, t.to_csv())
        written.append(p)
    for name, _, png in rep.figures:
        p = out / "figures" / f"{name}.png"
        write_bytes_atomic(p, png)
        written.append(p)
    for name, text in (("report.md", to_markdown(rep)), ("report.html", to_html(rep))):
        write_text_atomic(out / name, text)
        written.append(out / name)
    return written
