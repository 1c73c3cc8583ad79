"""The analysis report: tables as CSV, plots, ``report.md`` and a self-contained
``report.html`` (plots embedded as data URIs, no remote resource, all document text
escaped).

It reads the built graph only (``graph.nt``), through :mod:`kg.analytics`.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from kg import analytics as A
from kg.core import lazy
from kg.core.atomic import write_bytes_atomic, write_text_atomic
from kg.errors import QueryError


@dataclass
class Table:
    name: str  # file stem of its CSV
    title: str
    rows: list[dict]
    note: str = ""

    @property
    def columns(self) -> list[str]:
        cols: list[str] = []
        for r in self.rows:
            for k in r:
                if k not in cols:
                    cols.append(k)
        return cols

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


def analyze(graph) -> Report:
    """Every table, plot and finding of the report, from the RDF graph."""
    ix = A.Index(graph)
    if not ix.documents:
        raise QueryError("the graph holds no built document: nothing to analyse")
    rep = Report()
    load = A.load_by_function_region(ix)
    top = A.top_function_per_region(ix)
    if len(ix.relation("responsibleFor")) <= MAX_NETWORK_RESPONSIBILITIES:
        co = A.co_responsibility_graph(ix)
    else:  # the network grows with the square of units per measure: millions of edges
        co = nx.Graph(name="co-responsibility")
        rep.findings.append(
            f"The co-responsibility network (centrality, communities) is left out: more than "
            f"{MAX_NETWORK_RESPONSIBILITIES:,} responsibilities; analyse a region's documents on their own."
        )
    cent = A.centrality(co)
    inds = A.indicators(ix)
    links = A.diffusion_links(graph)
    rep.tables += [
        Table(
            "load_by_function_region",
            "Responsibility load by department function and region",
            load,
            "Measures each function's bodies are responsible for, in each region's documents; led = measures they lead.",
        ),
        Table("top_function_per_region", "The function carrying the most measures in each region", top),
        Table("lead_share", "Measures with a responsible and with a lead unit", A.lead_share(ix)),
        Table(
            "department_centrality",
            "Departments in the co-responsibility network",
            [{k: v for k, v in r.items() if k != "node"} for r in cent],
            "Weighted degree = measures shared with other bodies; betweenness and PageRank on the network weighted by shared measures.",
        ),
        Table(
            "department_communities",
            "Communities of departments that work together (Louvain, seeded)",
            A.department_communities(ix, co),
        ),
        Table("indicators", "Indicator comparison across regions (comparable indicators grouped)", inds),
        Table("citation_ranking", "Documents by the higher-level policies they cite", A.citation_ranking(ix)),
        Table("most_cited", "The most cited policies", A.most_cited(ix)),
        Table(
            "diffusion",
            "Measures whose text travels between documents",
            [{k: v for k, v in r.items() if k not in ("a", "b")} for r in links],
            "Exact Jaccard similarity of 4-character shingles (MinHash/LSH candidates), measures of different documents.",
        ),
    ]
    for r in top:
        rep.findings.append(
            f"{r['region']}: {r['function']} carries the most measures "
            f"({r['measures']}, {r['led']} led) — {r['bodies']}"
        )
    groups: dict[str, set[str]] = {}
    for r in inds:
        groups.setdefault(r["group"], set()).add(r["region"])
    shared = [g for g, regions in sorted(groups.items()) if len(regions) > 1 and g != "其他"]
    if shared:
        rep.findings.append("Indicators set by more than one region: " + "、".join(shared))
    for r in links[:5]:
        rep.findings.append(
            f"Reused text ({r['score']:.2f}): {r['region_a']} “{r['heading_a']}” ↔ {r['region_b']} “{r['heading_b']}”"
        )
    rep.figures = _figures(load, co, A.citation_graph(ix), links)
    return rep


# --- plots --------------------------------------------------------------------------------


def use_cjk_font() -> str | None:
    """Make matplotlib draw Chinese: the first CJK font it knows, or None if there is none
    (then labels show boxes). Returns the font's name."""
    plt = lazy.pyplot()
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    font = _cjk_font()
    if font:
        plt.rcParams["font.sans-serif"] = [font, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    return font


def _cjk_font() -> str | None:
    """A font with Chinese glyphs known to matplotlib, or None (labels then show boxes)."""
    font_manager = lazy.font_manager()
    wanted = (
        "WenQuanYi Zen Hei",
        "WenQuanYi Micro Hei",
        "Noto Sans CJK SC",
        "Noto Sans SC",
        "Source Han Sans SC",
        "SimHei",
        "Microsoft YaHei",
        "PingFang SC",
        "AR PL UMing CN",
    )
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in wanted if n in names), None)


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    lazy.pyplot().close(fig)
    return buf.getvalue()


def _figures(load: list[dict], co, citations, links: list[dict]) -> list[tuple[str, str, bytes]]:
    plt = lazy.pyplot()
    use_cjk_font()
    out = []
    cell = {(r["region"], r["function"]): r["measures"] for r in load}
    per_region: Counter[str] = Counter()
    per_function: Counter[str] = Counter()
    for (region, function), n in cell.items():
        per_region[region] += n
        per_function[function] += n
    # a legible plot: the regions with the most measures (every region is in the table)
    regions = sorted(sorted(per_region, key=lambda reg: (-per_region[reg], reg))[:PLOT_REGIONS])
    functions = sorted(per_function, key=lambda f: (-per_function[f], f))
    if load:
        fig, ax = plt.subplots(figsize=(10, 4.5))
        width = 0.8 / max(1, len(regions))
        for i, region in enumerate(regions):
            vals = [cell.get((region, f), 0) for f in functions]
            ax.bar([x + i * width for x in range(len(functions))], vals, width, label=region)
        ax.set_xticks([x + 0.4 - width / 2 for x in range(len(functions))])
        ax.set_xticklabels(functions, rotation=45, ha="right", fontsize=8)
        ax.set_ylabel("measures")
        ax.legend(fontsize=8)
        ax.set_title("Responsibility load by department function and region")
        out.append(("load_bars", "Measures per department function, by region", _png(fig)))

        fig, ax = plt.subplots(figsize=(10, 0.6 + 0.45 * len(regions)))
        matrix = [[cell.get((reg, f), 0) for f in functions] for reg in regions]
        im = ax.imshow(matrix, cmap="YlOrRd", aspect="auto")
        ax.set_yticks(range(len(regions)))
        ax.set_yticklabels(regions)
        ax.set_xticks(range(len(functions)))
        ax.set_xticklabels(functions, rotation=45, ha="right", fontsize=8)
        for y, row in enumerate(matrix):
            for x, v in enumerate(row):
                if v:
                    ax.text(x, y, str(v), ha="center", va="center", fontsize=7)
        fig.colorbar(im, ax=ax, label="measures")
        ax.set_title("Region × function heatmap")
        out.append(("load_heatmap", "Region × department function: measures", _png(fig)))

    if citations.number_of_nodes() > PLOT_NODES:  # a legible plot: the most cited and citing
        keep = sorted(citations, key=lambda n: (-citations.degree(n), n))[:PLOT_NODES]
        citations = citations.subgraph(keep).copy()
    if citations.number_of_nodes():
        fig, ax = plt.subplots(figsize=(10, 7))
        pos = nx.spring_layout(citations, seed=42, k=0.9)
        colors = ["#d62728" if citations.nodes[n].get("in_corpus") else "#1f77b4" for n in citations]
        sizes = [200 + 150 * citations.in_degree(n) for n in citations]
        nx.draw_networkx(
            citations,
            pos,
            ax=ax,
            node_color=colors,
            node_size=sizes,
            arrows=True,
            labels={n: _short(citations.nodes[n]["label"]) for n in citations},
            font_size=7,
            edge_color="#999999",
        )
        ax.set_title("Citation network (red: documents of the corpus; blue: cited policies)")
        ax.axis("off")
        out.append(("citations", "Which documents cite which policies", _png(fig)))

    if links:
        g = nx.Graph()
        for r in links[:PLOT_LINKS]:
            a = f"{r['region_a']} {_short(r['heading_a'], 14)}"
            b = f"{r['region_b']} {_short(r['heading_b'], 14)}"
            g.add_edge(a, b, weight=r["score"])
        fig, ax = plt.subplots(figsize=(10, 6))
        pos = nx.spring_layout(g, seed=42, k=1.2)
        nx.draw_networkx(
            g,
            pos,
            ax=ax,
            node_color="#2ca02c",
            node_size=300,
            font_size=7,
            width=[1 + 6 * g[u][v]["weight"] for u, v in g.edges],
        )
        nx.draw_networkx_edge_labels(
            g, pos, ax=ax, font_size=6, edge_labels={(u, v): f"{d['weight']:.2f}" for u, v, d in g.edges(data=True)}
        )
        ax.set_title("Diffusion: measures whose text travels between regions")
        ax.axis("off")
        out.append(("diffusion", "Reused measure texts between documents (Jaccard)", _png(fig)))
    return out


PLOT_NODES = 60  # nodes in the citation-network plot
PLOT_REGIONS = 40  # regions in the load plots
PLOT_LINKS = 40  # strongest diffusion links in their plot
MAX_NETWORK_RESPONSIBILITIES = 200_000  # past this, no co-responsibility network in the report
PAGE_ROWS = 500  # rows of a table shown in report.html / report.md (every row is in its CSV)


def _short(s: str, n: int = 12) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


# --- writing ------------------------------------------------------------------------------


def to_markdown(rep: Report) -> str:
    lines = ["# vetkg report", ""]
    if rep.findings:
        lines += ["## Findings", ""] + [f"- {f}" for f in rep.findings] + [""]
    for name, caption, _ in rep.figures:
        lines += [f"![{caption}](figures/{name}.png)", ""]
    for t in rep.tables:
        lines += [f"## {t.title}", ""]
        if t.note:
            lines += [t.note, ""]
        if not t.rows:
            lines += ["(none)", ""]
            continue
        cols = t.columns
        lines.append("| " + " | ".join(cols) + " |")
        lines.append("|" + "---|" * len(cols))
        for r in t.rows[:PAGE_ROWS]:
            lines.append("| " + " | ".join(_md(r.get(c)) for c in cols) + " |")
        lines += ["", _more(t), ""]
    return "\n".join(lines)


def _more(t: Table) -> str:
    """Where the whole table is, and how much of it the page leaves out."""
    if len(t.rows) <= PAGE_ROWS:
        return f"CSV: tables/{t.name}.csv"
    return f"First {PAGE_ROWS:,} of {len(t.rows):,} rows; all in CSV: tables/{t.name}.csv"


def _md(v) -> str:
    return "" if v is None else str(v).replace("|", "\\|").replace("\n", " ")


def to_html(rep: Report) -> str:
    e = html.escape
    parts = [
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>vetkg report</title><style>",
        "body{font-family:system-ui,'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif;margin:2em;max-width:1200px}",
        "table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}",
        "th{background:#f3f3f3}img{max-width:100%;border:1px solid #eee}figure{margin:1.5em 0}",
        "</style></head><body><h1>vetkg report</h1>",
    ]
    if rep.findings:
        parts.append("<h2>Findings</h2><ul>" + "".join(f"<li>{e(f)}</li>" for f in rep.findings) + "</ul>")
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
            parts.append("<p>(none)</p>")
            continue
        cols = t.columns
        parts.append("<table><tr>" + "".join(f"<th>{e(c)}</th>" for c in cols) + "</tr>")
        for r in t.rows[:PAGE_ROWS]:
            parts.append(
                "<tr>" + "".join(f"<td>{e('' if r.get(c) is None else str(r.get(c)))}</td>" for c in cols) + "</tr>"
            )
        parts.append(f"</table><p><small>{e(_more(t))}</small></p>")
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
