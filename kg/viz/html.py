"""The interactive graph: a pyvis (vis-network) HTML page that works offline.

Nodes are coloured by class (with a legend) and labelled in Chinese; node tooltips give
the type, the documents and an evidence sentence, edge tooltips the relation and role;
clicking a node greys out all but its neighbours. pyvis's select and filter menus are
kept. Everything is
inlined: pyvis 0.3.2's ``cdn_resources="in_line"`` still links Bootstrap from a CDN for its
menus, so that tag is replaced by a few lines of CSS, and the page is checked to hold no
remote resource. The responsibility, citation and diffusion views shape nodes by class,
size them by PageRank and let the browser's physics place them; past
:data:`LAYOUT_THRESHOLD` nodes they get positions from networkx and physics off (the
browser's physics stalls past about a thousand nodes).

The document view and the full view are laid out here, not by the browser's physics, so a
person can read them as they open (issue 21): a document is a tree read left to right
(document → its measures in outline order, a bracket per part → responsible units →
indicators → programs and institutions), each label in a box sized from the font's own
advance widths, so no two labels overlap at any zoom; it opens at a zoom where the labels
are readable. The full view puts each document's tree on an island of its own (by region
when there are many documents), captioned; it opens on the whole picture, labels appear as
one zooms in, and a document chosen in the legend (or a click on its island) opens at the
readable zoom. The page embeds the glyphs it shows from the CJK font vetkg ships
(``kg/data/fonts``), so Chinese is drawn on a machine without CJK fonts too.

Document text is untrusted: labels and tooltips are plain strings, which vis-network
renders as text (its own tooltip sets ``innerText``; pyvis's switch to an ``innerHTML``
popup when a title holds "href" is never taken, see :func:`_text_tooltips_page`), the
data sits in the page as JSON with ``<``, ``>`` and ``&`` escaped, and every other value
in the page is HTML-escaped, so markup in a document shows as text and never runs.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from pyvis.network import Network

from kg.analytics.diffusion import diffusion_links
from kg.analytics.projections import DCT, Index, citation_graph, entity_graph, responsibility_graph
from kg.core import lazy
from kg.core.atomic import write_text_atomic
from kg.errors import ViewError
from kg.rdf.ontology import VET

VIEWS = ("full", "responsibility", "citations", "diffusion", "document:ID")
LAYOUT_THRESHOLD = 500  # nodes: above this, networkx positions and no browser physics
MAX_PAGE_NODES = 5000  # nodes: `vetkg build` writes no bigger graph.html (a page that size is unusable)

STYLE = {  # node type: (colour, shape, legend label)
    "PolicyDocument": ("#d62728", "box", "policy document 政策文件"),
    "CitedDocument": ("#ff9896", "box", "cited document 引用文件"),
    "Measure": ("#aec7e8", "dot", "measure 措施"),
    "Department": ("#1f77b4", "diamond", "government body 政府部门"),
    "CollectiveUnit": ("#9edae5", "diamond", "collective unit 集合责任主体"),
    "School": ("#2ca02c", "triangle", "school 学校"),
    "Enterprise": ("#8c564b", "triangle", "enterprise 企业"),
    "EducationGroup": ("#98df8a", "triangle", "education group 职教集团"),
    "ResearchBody": ("#c49c94", "triangle", "research body 研究机构"),
    "Platform": ("#bcbd22", "triangle", "platform 平台/基地"),
    "Institution": ("#7f7f7f", "triangle", "other institution 机构"),
    "Program": ("#ff7f0e", "star", "program 政策项目"),
    "Indicator": ("#9467bd", "square", "indicator 指标"),
    "Region": ("#17becf", "ellipse", "region 行政区划"),
    "Keyword": ("#c7c7c7", "text", "keyword 关键词"),
    "Other": ("#cccccc", "dot", "other"),
}


def view_graph(graph, view: str = "full") -> nx.MultiDiGraph:
    """The networkx graph of a view: ``full`` (every relation between entities, mentions
    left out), ``responsibility``, ``citations``, ``diffusion`` (measures linked by
    reused text) or ``document:ID`` (one document: its measures and what they relate to;
    ID is the file stem, the 文号 or the IRI)."""
    ix = graph if isinstance(graph, Index) else Index(graph)
    if view == "full":
        g = entity_graph(ix, {"responsibleFor", "supports", "targets", "cites", "partOf"})
    elif view == "responsibility":
        g = nx.MultiDiGraph(responsibility_graph(ix))
    elif view == "citations":
        g = nx.MultiDiGraph(citation_graph(ix))
    elif view == "diffusion":
        g = _diffusion_graph(ix)
    elif view.startswith("document:"):
        g = _document_graph(ix, view.split(":", 1)[1])
    else:
        raise ViewError(f"unknown view {view!r}; views: {', '.join(VIEWS)}")
    if g.number_of_nodes() == 0:
        raise ViewError(f"the view {view!r} matches nothing in this graph")
    return g


def _diffusion_graph(ix: Index) -> nx.MultiDiGraph:

    g = nx.MultiDiGraph(name="diffusion")
    for r in diffusion_links(ix.graph):
        for m in (r["a"], r["b"]):
            attrs = ix.node_attrs(m)
            attrs["label"] = f"{attrs.get('region', '')} {attrs['label']}".strip()
            g.add_node(m, **attrs)
        g.add_edge(
            r["a"],
            r["b"],
            relation="similarTo",
            score=r["score"],
            evidence=f"text similarity {r['score']:.2f}",
            weight=r["score"],
        )
    return g


def _document_graph(ix: Index, ident: str) -> nx.MultiDiGraph:
    doc = None
    for d in ix.documents:
        ids = {d, str(ix.source.value(d, VET + "sourceId")), str(ix.source.value(d, DCT + "identifier"))}
        if ident in ids:
            doc = d
            break
    if doc is None:
        raise ViewError(f"no document {ident!r} in this graph (use its file stem, 文号 or IRI)")
    full = entity_graph(ix)
    measures = {m for m, d in ix.measure_document.items() if d == doc}
    keep = {doc} | measures
    for u, v in full.edges():
        if u in measures or v in measures or u == doc:
            keep |= {u, v}
    return nx.MultiDiGraph(full.subgraph(keep))


def tooltip(g: nx.MultiDiGraph, n: str, ix: Index | None = None) -> str:
    """Plain text (newlines, no HTML): type, label, region/function, documents, evidence."""
    d = g.nodes[n]
    lines = [f"{d.get('type', '')}: {d.get('label', n)}"]
    if d.get("function"):
        lines.append(f"function: {d['function']}")
    if d.get("region"):
        lines.append(f"region: {d['region']}")
    docs = sorted(
        {e.get("document") for _, _, e in g.edges(n, data=True) if e.get("document")}
        | {e.get("document") for _, _, e in g.in_edges(n, data=True) if e.get("document")}
    )
    if docs and ix is not None:
        lines.append("documents: " + "；".join(_short(ix.labels.get(x, x), 40) for x in docs[:5]))
    evidence = next(
        (
            e.get("evidence")
            for _, _, e in list(g.in_edges(n, data=True)) + list(g.edges(n, data=True))
            if e.get("evidence")
        ),
        "",
    )
    if evidence:
        lines.append("evidence: " + _short(evidence, 160))
    return "\n".join(lines)


def _short(s: str, n: int) -> str:
    s = re.sub(r"\s+", " ", s or "")
    return s if len(s) <= n else s[: n - 1] + "…"


def render(graph, view: str = "full", title: str = "vetkg", max_nodes: int | None = None) -> str:
    """The HTML page of a view (a string); raises :class:`ViewError` (also when the view
    has more than ``max_nodes`` nodes)."""
    ix = graph if isinstance(graph, Index) else Index(graph)
    if max_nodes is not None and view == "full" and len(ix.types) > max_nodes:
        # the full view holds every typed entity that takes part in a relation: a graph
        # with this many entities is refused before its view is built (minutes, gigabytes)
        raise ViewError(
            f"the graph has {len(ix.types):,} entities, more than one page can show "
            f"({max_nodes:,}); draw a smaller view (vetkg viz --view document:ID)"
        )
    g = view_graph(ix, view)
    if max_nodes is not None and g.number_of_nodes() > max_nodes:
        raise ViewError(
            f"the view {view!r} has {g.number_of_nodes():,} nodes, more than one page can "
            f"show ({max_nodes:,}); draw a smaller view (vetkg viz --view document:ID)"
        )
    net = Network(
        height="800px",
        width="100%",
        directed=True,
        select_menu=True,
        filter_menu=True,
        cdn_resources="in_line",
        heading="",
    )
    layout = _layout(g, ix, islands=view == "full") if view == "full" or view.startswith("document:") else None
    physics = layout is None and g.number_of_nodes() <= LAYOUT_THRESHOLD
    if layout is not None:
        _add_laid_out_nodes(net, g, ix, layout)
    else:
        _add_free_nodes(net, g, ix, physics)
    for u, v, e in sorted(g.edges(data=True), key=lambda t: (t[0], t[1], t[2].get("relation", ""))):
        rel = e.get("relation", "")
        label = rel + (f" ({e['role']})" if e.get("role") else "")
        kwargs: dict[str, Any] = {}
        if layout is not None and rel == "partOf":  # the tree's columns and brackets say it already
            kwargs["color"] = "#e4e4e4"
        net.add_edge(
            u,
            v,
            title=label + ("\n" + _short(e["evidence"], 160) if e.get("evidence") else ""),
            relation=rel,
            role=e.get("role") or "",
            arrows="to",
            width=1 + 3 * float(e.get("weight", 0) or 0) if rel == "similarTo" else 1,
            **kwargs,
        )
    options: dict[str, Any] = {
        "physics": {
            "enabled": physics,
            "stabilization": {"iterations": 200},
            "barnesHut": {"gravitationalConstant": -6000, "springLength": 120},
        },
        "interaction": {"hover": True, "tooltipDelay": 100, "navigationButtons": False},
        "edges": {"smooth": False, "color": {"inherit": False, "color": "#999999"}},
        "nodes": {"font": {"size": FONT_SIZE, "face": FONT_FACE}},
    }
    if layout is not None:
        options["edges"]["color"] = {"inherit": False, "color": "#b4b4b4", "highlight": "#e6550d", "hover": "#e6550d"}
        options["edges"]["arrows"] = {"to": {"scaleFactor": 0.6}}
        options["nodes"].update(
            shape="box",
            labelHighlightBold=False,  # a bold label is wider than its box was laid out for
            margin={"top": BOX_MARGIN, "right": BOX_MARGIN, "bottom": BOX_MARGIN, "left": BOX_MARGIN},
            scaling={"label": {"drawThreshold": DRAW_THRESHOLD}},
        )
    net.set_options(json.dumps(options))
    legend = _legend(g, title, view, layout)
    page = _text_tooltips_page(net, physics=physics)
    setup = _setup_script(layout)
    glyphs = "".join(str(x.get(k, "")) for x in (*net.nodes, *net.edges) for k in ("label", "title"))
    glyphs += legend + title + view + "".join(i.caption for i in (layout.islands if layout else ()))
    return _offline(page, legend, _font_css(glyphs) + setup)


def _add_free_nodes(net: Network, g: nx.MultiDiGraph, ix: Index, physics: bool) -> None:
    """Nodes placed by the browser's physics (or, for a large view, by a spring layout),
    shaped by class and sized by PageRank."""
    simple = nx.Graph(g)
    rank = nx.pagerank(simple) if simple.number_of_edges() else {n: 1.0 for n in simple}
    top = max(rank.values()) or 1.0
    pos = (
        {}
        if physics
        else nx.spring_layout(
            simple, seed=42, k=1.5 / max(1, len(simple)) ** 0.5, iterations=50 if len(simple) < 3000 else 15
        )
    )
    for n in sorted(g.nodes):
        d = g.nodes[n]
        colour, shape, _ = STYLE.get(d.get("type", "Other"), STYLE["Other"])
        kwargs: dict[str, Any] = {}
        if not physics:
            kwargs.update(x=float(pos[n][0]) * 2000, y=float(pos[n][1]) * 2000, physics=False)
        net.add_node(
            n,
            label=_short(d.get("label", n), 24),
            title=tooltip(g, n, ix),
            color=colour,
            shape=shape,
            size=10 + 30 * (rank.get(n, 0) / top) ** 0.5,
            type=d.get("type", "Other"),
            region=d.get("region", ""),
            **kwargs,
        )


def _add_laid_out_nodes(net: Network, g: nx.MultiDiGraph, ix: Index, layout: _Layout) -> None:
    """Nodes at the positions of :func:`_layout`: boxes in the colour of their class, the
    label wrapped as laid out, physics off."""
    for n in sorted(g.nodes):
        d = g.nodes[n]
        colour = STYLE.get(d.get("type", "Other"), STYLE["Other"])[0]
        x, y = layout.positions[n]
        net.add_node(
            n,
            label=layout.labels[n],
            title=tooltip(g, n, ix),
            color=colour,
            shape="box",
            font={"color": _text_colour(colour)},
            x=round(x, 1),
            y=round(y, 1),
            physics=False,
            type=d.get("type", "Other"),
            region=d.get("region", ""),
        )


def _text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (#rrggbb)."""
    r, g, b = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "#111111" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "#ffffff"


# --- layout: documents as trees ----------------------------------------------------------
FONT_SIZE = 14  # px at zoom 1
FONT_FAMILY = "vetkg-cjk"  # the @font-face of the glyphs embedded from kg/data/fonts
# no double quotes: vis-network strips them from a font string
FONT_FACE = f"{FONT_FAMILY}, 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
BOX_MARGIN = 5  # px around a label inside its box (vis-network's default)
LINE_EMS = 12.0  # a label line holds at most this many CJK characters' width
DRAW_THRESHOLD = 9  # labels smaller than about 8 px on screen are not drawn (noise, not text)
COLUMN_GAP = 64.0  # between the columns of a tree (room for the part brackets)
ROW_GAP = 8.0  # between boxes in a column
PART_GAP = 18.0  # more between the measures of two parts
ISLANDS_BY_DOCUMENT = 24  # documents: more than this, the full view groups them by region
OVERVIEW = (1100.0, 760.0)  # px: the frame beside the legend that the full view is arranged for
CAPTION_PX = 13  # the islands' captions, in px on screen
# Columns of a tree, left to right, by node type (types not listed: the last column).
TREE_COLUMNS = {
    "PolicyDocument": 0,
    "CitedDocument": 0,
    "Region": 0,
    "Measure": 1,
    "Department": 2,
    "CollectiveUnit": 2,
    "Indicator": 3,
}
LAST_COLUMN = 4
MAX_LINES = {"PolicyDocument": 3, "CitedDocument": 3}  # other types: 2
SHARED = "\x00shared"  # the island of nodes that belong to more than one group


@dataclass
class _Island:
    """A group of nodes laid out together: its captions, bounding box and the width of its
    cell in the grid (page units)."""

    caption: str
    short: str
    nodes: list[str]
    box: tuple[float, float, float, float]
    room: float


@dataclass
class _Layout:
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # as drawn: wrapped, shortened
    islands: list[_Island] = field(default_factory=list)
    parts: list[dict] = field(default_factory=list)  # brackets beside the measures of a part
    row_gap: float = 0.0  # between rows of islands: the room for their captions
    captions: bool = False  # islands captioned (the full view)


@functools.lru_cache(maxsize=1)
def _font_file() -> Path | None:
    """The CJK font vetkg ships (``kg/data/fonts``), if this install has it."""
    folder = resources.files("kg").joinpath("data").joinpath("fonts")
    try:
        found = sorted(str(f) for f in folder.iterdir() if f.name.lower().endswith((".otf", ".ttf")))
    except (FileNotFoundError, NotADirectoryError):
        return None
    return Path(found[0]) if found else None


@functools.lru_cache(maxsize=1)
def _advances() -> dict[int, float]:
    """Code point → advance width in ems, from the shipped font (empty without it)."""
    path = _font_file()
    if path is None:
        return {}
    try:
        font = lazy.font_subset().load_font(str(path), lazy.font_subset().Options(), lazy=True)
    except (ImportError, OSError, ValueError):
        return {}
    em = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    return {cp: metrics[glyph][0] / em for cp, glyph in font.getBestCmap().items() if glyph in metrics}


def _ems(text: str) -> float:
    """The width of ``text`` in ems: the shipped font's advances; for a character it lacks
    (drawn by some other font) a generous guess."""
    advances = _advances()
    total = 0.0
    for ch in text:
        width = advances.get(ord(ch))
        if width is None:  # drawn by a fallback font: its Latin may be wider than Noto's
            width = 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.72
        total += width
    return total


def _wrapped(label: str, max_lines: int) -> str:
    """``label`` on at most ``max_lines`` lines of :data:`LINE_EMS` ems each (a break at a
    space when one is near, else anywhere: Chinese has no spaces), "…" when cut."""
    text = re.sub(r"\s+", " ", label or "").strip()
    lines: list[str] = []
    while text and len(lines) < max_lines:
        width, cut = 0.0, len(text)
        for i, ch in enumerate(text):
            width += _ems(ch)
            if width > LINE_EMS:
                cut = i
                break
        if cut < len(text):
            space = text.rfind(" ", 0, cut + 1)
            if space > cut // 2:
                cut = space
        lines.append(text[:cut].strip())
        text = text[cut:].strip()
    if text:  # cut: room for the ellipsis on the last line
        last = lines[-1]
        while last and _ems(last + "…") > LINE_EMS:
            last = last[:-1]
        lines[-1] = last + "…"
    return "\n".join(lines) or " "


def _box(label: str) -> tuple[float, float]:
    """Width and height (page units at zoom 1) of the box vis-network draws around ``label``,
    rounded up so that the browser's own measure never exceeds it."""
    lines = label.split("\n")
    width = max(_ems(line) for line in lines) * FONT_SIZE * 1.02 + 2
    return width + 2 * BOX_MARGIN + 2, len(lines) * FONT_SIZE + 2 * BOX_MARGIN + 2


def _natural(key: str) -> tuple:
    """Outline order: 2.9 before 2.10, numbered keys before T-keys (tasks)."""
    parts = re.findall(r"\d+|\D+", key or "")
    return (0 if parts and parts[0].isdigit() else 1, *((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts))


def _part(key: str) -> str:
    """The part a measure key belongs to: "2" for 2.1 and 2.1.3, "T" for the tasks T1, T2 …"""
    found = re.match(r"\d+|[^\W\d]+", key)
    return found.group(0) if found else ""


def _layout(g: nx.MultiDiGraph, ix: Index, islands: bool) -> _Layout:
    """Positions for every node of ``g``: one tree (a document view), or one tree per
    document or region on a grid of islands, plus an island of what they share (the full
    view)."""
    layout = _Layout(captions=islands)
    for n in g.nodes:
        d = g.nodes[n]
        layout.labels[n] = _wrapped(d.get("label", n), MAX_LINES.get(d.get("type", ""), 2))
    keys = {m: k for m, k in ix.relation("measureKey") if m in g}
    groups = _groups(g, ix) if islands else {"": sorted(g.nodes)}
    trees = []
    for name in sorted(groups, key=lambda k: (k == SHARED, _group_caption(k, g, ix, groups[k]), k)):
        positions, size, parts = _tree(g, groups[name], layout.labels, keys, ix)
        trees.append((name, positions, size, parts))
    corners, cell_width, layout.row_gap = _grid([size for *_, size, _ in trees])
    for (name, positions, (w, h), parts), (dx, dy) in zip(trees, corners, strict=True):
        caption, short = _group_caption(name, g, ix, groups[name]) if islands else ("", "")
        island = _Island(caption, short, sorted(positions), (dx, dy, dx + w, dy + h), cell_width)
        layout.islands.append(island)
        layout.positions.update({n: (x + dx, y + dy) for n, (x, y) in positions.items()})
        layout.parts += [{**p, "x": p["x"] + dx, "y0": p["y0"] + dy, "y1": p["y1"] + dy} for p in parts]
    return layout


def _groups(g: nx.MultiDiGraph, ix: Index) -> dict[str, list[str]]:
    """The full view's islands: each document (by region when there are more than
    :data:`ISLANDS_BY_DOCUMENT`) with its measures and the nodes only its measures touch;
    the nodes of several groups together in :data:`SHARED`."""
    documents = sorted(d for d in ix.documents if d in g)
    by_region = len(documents) > ISLANDS_BY_DOCUMENT
    group_of = {d: ix.jurisdiction.get(d, "—") if by_region else d for d in documents}
    for m, d in ix.measure_document.items():
        if m in g and d in group_of:
            group_of[m] = group_of[d]
    members: dict[str, list[str]] = {}
    for n in sorted(g.nodes):
        if n in group_of:
            key = group_of[n]
        else:
            found = {group_of[x] for x in (*g.predecessors(n), *g.successors(n)) if x in group_of}
            key = found.pop() if len(found) == 1 else SHARED
        members.setdefault(key, []).append(n)
    return members


def _group_caption(key: str, g: nx.MultiDiGraph, ix: Index, nodes: list[str]) -> tuple[str, str]:
    """An island's caption, and a short one for when it is small on screen."""
    if key == SHARED:
        return f"共有 shared ({len(nodes)})", "共有"
    if key in nodes:  # a document's island
        title = re.sub(r"\s+", " ", ix.labels.get(key, key))
        return f"{_short(title, 40)} ({len(nodes)})", _short(title, 10)
    region = _short(ix.labels.get(key, key), 20)  # a region's island (its IRI; "—": no region)
    documents = len(set(nodes) & set(ix.documents))
    return f"{region} · {documents} document{'s' if documents != 1 else ''} 文件 ({len(nodes)})", region


def _tree(
    g: nx.MultiDiGraph, nodes: list[str], labels: dict[str, str], keys: dict[str, str], ix: Index
) -> tuple[dict[str, tuple[float, float]], tuple[float, float], list[dict]]:
    """A tidy tree of ``nodes``, read left to right: documents (what they cite and mention
    under them), their measures in outline order (a little room between parts), then
    responsible units, indicators, programs and institutions. Every other node hangs from
    its first measure (in outline order) and sits in that measure's rows, which grow to hold
    what hangs from them; its links to later measures are the graph's cross links. Each
    column is then swept top to bottom so that no two boxes overlap. Returns the box centres
    (the tree's top left at 0, 0), the tree's size and the part brackets."""
    inside = set(nodes)
    size = {n: _box(labels[n]) for n in nodes}
    kind = {n: g.nodes[n].get("type", "Other") for n in nodes}
    column = {n: TREE_COLUMNS.get(kind[n], LAST_COLUMN) for n in nodes}
    order = {t: i for i, t in enumerate(STYLE)}
    neighbours = {
        n: sorted({x for x in (*g.predecessors(n), *g.successors(n)) if x in inside and x != n}) for n in nodes
    }
    document_of = {n: ix.measure_document.get(n, "") for n in nodes if column[n] == 1}
    roots = sorted({d for d in document_of.values() if d in inside}, key=lambda d: (labels[d], d))
    root_rank = {d: i for i, d in enumerate(roots)}
    measures = sorted(
        document_of,
        key=lambda m: (root_rank.get(document_of[m], len(roots)), _natural(keys.get(m, labels[m])), m),
    )
    measure_rank = {m: i for i, m in enumerate(measures)}
    # the node each other node hangs from: a document for the context column, else its
    # first measure; failing both, any neighbour (placed before it)
    parent: dict[str, str] = {}
    for n in nodes:
        if n in measure_rank or n in root_rank:
            continue
        near_roots = sorted((x for x in neighbours[n] if x in root_rank), key=root_rank.__getitem__)
        near_measures = sorted((x for x in neighbours[n] if x in measure_rank), key=measure_rank.__getitem__)
        first = (near_roots + near_measures) if column[n] == 0 else (near_measures + near_roots)
        if first:
            parent[n] = first[0]
    hanging: dict[str, dict[int, list[str]]] = {m: {} for m in measures}
    for n, p in parent.items():
        if p in hanging:
            hanging[p].setdefault(column[n], []).append(n)
    wanted: dict[str, float] = {}  # the height each node would like (its centre)
    part_of = {m: (document_of[m], _part(keys.get(m, ""))) for m in measures}
    gaps = len(set(part_of.values())) < len(measures)  # parts with several measures
    spans: list[tuple[tuple[str, str], float, float]] = []
    y = 0.0
    for i, m in enumerate(measures):
        if i and part_of[m] != part_of[measures[i - 1]]:
            y += PART_GAP if gaps else 0.0
        top = y
        wanted[m] = top + size[m][1] / 2
        bottom = top + size[m][1]
        for children in hanging[m].values():
            children.sort(key=lambda child: (order.get(kind[child], 99), labels[child], child))
            cy = top
            for child in children:
                wanted[child] = cy + size[child][1] / 2
                cy += size[child][1] + ROW_GAP
            bottom = max(bottom, cy - ROW_GAP)
        if spans and spans[-1][0] == part_of[m]:
            spans[-1] = (part_of[m], spans[-1][1], top + size[m][1])
        else:
            spans.append((part_of[m], top, top + size[m][1]))
        y = bottom + ROW_GAP
    for m in reversed(measures):  # a document beside its first measure
        if document_of[m] in root_rank:
            wanted[document_of[m]] = wanted[m]
    for n in sorted((n for n in nodes if n not in wanted), key=lambda n: (n not in parent, column[n], n)):
        placed = [wanted[x] for x in ([parent[n]] if n in parent else neighbours[n]) if x in wanted]
        wanted[n] = placed[0] if placed else 0.0
    centres: dict[str, tuple[float, float]] = {}
    widths = {col: max(size[n][0] for n in nodes if column[n] == col) for col in sorted(set(column.values()))}
    left, lefts = 0.0, {}
    for col, w in widths.items():
        lefts[col] = left
        left += w + COLUMN_GAP
    for col in widths:
        below = -math.inf
        for n in sorted(
            (n for n in nodes if column[n] == col),
            key=lambda n: (wanted[n], n not in root_rank, order.get(kind[n], 99), labels[n], n),
        ):
            top = max(wanted[n] - size[n][1] / 2, below + ROW_GAP)
            centres[n] = (lefts[col] + size[n][0] / 2, top + size[n][1] / 2)
            below = top + size[n][1]
    x0 = min(centres[n][0] - size[n][0] / 2 for n in nodes)
    y0 = min(centres[n][1] - size[n][1] / 2 for n in nodes)
    x1 = max(centres[n][0] + size[n][0] / 2 for n in nodes)
    y1 = max(centres[n][1] + size[n][1] / 2 for n in nodes)
    parts = (
        [{"label": key[1], "x": lefts[1] - x0 - 12, "y0": a - y0, "y1": b - y0} for key, a, b in spans if key[1]]
        if gaps
        else []
    )
    return {n: (x - x0, y - y0) for n, (x, y) in centres.items()}, (x1 - x0, y1 - y0), parts


def _grid(sizes: list[tuple[float, float]]) -> tuple[list[tuple[float, float]], float, float]:
    """Top-left corners for boxes of ``sizes`` in rows of equal cells (in order), as many per
    row as makes the whole about as wide as :data:`OVERVIEW` (the frame beside the legend),
    with room between rows for a caption of :data:`CAPTION_PX` at the zoom that shows it
    all; and the cell width and row gap."""
    if len(sizes) == 1:
        return [(0.0, 0.0)], sizes[0][0], 0.0
    widest = max(w for w, _ in sizes)

    def arrange(per_row: int, row_gap: float) -> tuple[list[tuple[float, float]], float, float, float]:
        cell = widest + max(2 * COLUMN_GAP, 0.15 * widest)
        corners, y, row_height = [], 0.0, 0.0
        for i, (_, h) in enumerate(sizes):
            if i and i % per_row == 0:
                y, row_height = y + row_height + row_gap, 0.0
            corners.append(((i % per_row) * cell, y))
            row_height = max(row_height, h)
        width = (min(per_row, len(sizes)) - 1) * cell + widest
        height = y + row_height
        scale = min(OVERVIEW[0] / width, OVERVIEW[1] / height)
        return corners, width, height, scale

    def fitted(per_row: int) -> tuple[list[tuple[float, float]], float, float, float]:
        row_gap = 0.0
        for _ in range(3):  # the gap depends on the zoom, which depends on the gap
            row_gap = (CAPTION_PX + 10) / arrange(per_row, row_gap)[3]
        corners, width, height, _ = arrange(per_row, row_gap)
        return corners, width, height, row_gap

    def mismatch(per_row: int) -> float:
        _, width, height, _ = fitted(per_row)
        return abs(math.log(width / max(height, 1.0) / (OVERVIEW[0] / OVERVIEW[1])))

    best = min(range(1, len(sizes) + 1), key=lambda k: (mismatch(k), k))
    corners, _, _, row_gap = fitted(best)
    return corners, widest + max(2 * COLUMN_GAP, 0.15 * widest), row_gap


def _font_css(text: str) -> str:
    """An @font-face holding the glyphs of ``text`` (and ASCII) from the shipped CJK font,
    as a data: URL; empty without the font."""
    path = _font_file()
    if path is None:
        return ""
    try:
        subset = lazy.font_subset()
        options = subset.Options()
        options.layout_features = []  # plain horizontal text: no OpenType features needed
        options.name_IDs = ["*"]  # the copyright and licence names stay with the glyphs (OFL)
        font = subset.load_font(str(path), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(set(text) | {chr(c) for c in range(32, 127)} | {"…"})))
        subsetter.subset(font)
        buffer = io.BytesIO()
        font.save(buffer)
    except (ImportError, OSError, ValueError, KeyError):
        return ""
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<style>@font-face{{font-family:"{FONT_FAMILY}";'
        f'src:url(data:font/otf;base64,{data}) format("opentype");}}</style>\n'
    )


def _setup_script(layout: _Layout | None) -> str:
    """The page's own script: its data (JSON with ``<``, ``>``, ``&`` escaped) and the code
    that waits for the font, draws the graph, opens it at a readable zoom and draws the part
    brackets and island captions (canvas text: document text is never markup here)."""
    data: dict[str, Any] = {
        "mode": "free" if layout is None else ("islands" if layout.captions else "tree"),
        "font": FONT_FACE,
        "family": FONT_FAMILY,
        "fontSize": FONT_SIZE,
        "drawThreshold": DRAW_THRESHOLD,
        "islands": [
            {
                "caption": i.caption,
                "short": i.short,
                "box": [round(v, 1) for v in i.box],
                "room": round(i.room, 1),
                "nodes": i.nodes,
            }
            for i in (layout.islands if layout else [])
        ],
        "rowGap": round(layout.row_gap, 1) if layout else 0,
        "captionSize": CAPTION_PX,
        "parts": [
            {k: round(v, 1) if isinstance(v, float) else v for k, v in p.items()}
            for p in (layout.parts if layout else [])
        ],
    }
    blob = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f"<script>\nvar VETKG = {blob};\n{_SETUP_JS}</script>\n"


_SETUP_JS = r"""
var VETKG_MARGIN = 24, VETKG_MIN_SCALE = 0.75, VETKG_MAX_SCALE = 1.0;
function vetkgStart() {
    var started = false;
    var go = function () { if (started) return; started = true; drawGraph(); vetkgSetUp(network); };
    if (document.fonts && document.fonts.load) {
        document.fonts.load(VETKG.fontSize + 'px ' + VETKG.family, '中文').then(go, go);
        setTimeout(go, 3000);
    } else {
        go();
    }
}
function vetkgOpen(box) {
    // the box at a zoom where labels read well (its width fitted beside the legend, within
    // bounds), its top left corner at the top left of the frame
    var frame = document.getElementById('mynetwork');
    var legend = document.getElementById('vetkg-legend');
    var width = frame.clientWidth - (legend ? legend.offsetWidth + 16 : 0) - 2 * VETKG_MARGIN;
    var scale = Math.min(VETKG_MAX_SCALE, Math.max(VETKG_MIN_SCALE, width / Math.max(1, box[2] - box[0])));
    var x = box[0] - VETKG_MARGIN / scale + frame.clientWidth / 2 / scale;
    var y = box[1] - VETKG_MARGIN / scale + frame.clientHeight / 2 / scale;
    network.moveTo({position: {x: x, y: y}, scale: scale, animation: false});
}
function vetkgShowAll() {
    // every island in the frame, beside the legend
    var frame = document.getElementById('mynetwork');
    var legend = document.getElementById('vetkg-legend');
    var boxes = VETKG.islands.map(function (i) { return i.box; });
    var x0 = Math.min.apply(null, boxes.map(function (b) { return b[0]; }));
    var y0 = Math.min.apply(null, boxes.map(function (b) { return b[1]; }));
    var x1 = Math.max.apply(null, boxes.map(function (b) { return b[2]; }));
    var y1 = Math.max.apply(null, boxes.map(function (b) { return b[3]; }));
    var width = frame.clientWidth - (legend ? legend.offsetWidth + 16 : 0) - 2 * VETKG_MARGIN;
    var height = frame.clientHeight - 2 * VETKG_MARGIN - 24;  // room for the captions
    var scale = Math.min(VETKG_MAX_SCALE, width / Math.max(1, x1 - x0), height / Math.max(1, y1 - y0));
    var x = x0 - VETKG_MARGIN / scale + frame.clientWidth / 2 / scale;
    var y = y0 - (VETKG_MARGIN + 24) / scale + frame.clientHeight / 2 / scale;
    network.moveTo({position: {x: x, y: y}, scale: scale, animation: false});
}
function vetkgFitText(ctx, text, room) {
    if (ctx.measureText(text).width <= room) return text;
    var n = text.length;
    while (n > 0 && ctx.measureText(text.slice(0, n) + '…').width > room) n--;
    return n > 0 ? text.slice(0, n) + '…' : '';
}
function vetkgDecorate(ctx) {
    var scale = network.getScale();
    ctx.save();
    ctx.strokeStyle = '#9a9a9a';
    ctx.fillStyle = '#666666';
    ctx.lineWidth = 1.5 / scale;
    ctx.font = '12px ' + VETKG.font;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    VETKG.parts.forEach(function (p) {
        ctx.beginPath();
        ctx.moveTo(p.x + 6, p.y0); ctx.lineTo(p.x, p.y0); ctx.lineTo(p.x, p.y1); ctx.lineTo(p.x + 6, p.y1);
        ctx.stroke();
        if (12 * scale >= VETKG.drawThreshold - 1) ctx.fillText(p.label, p.x - 4, (p.y0 + p.y1) / 2);
    });
    ctx.restore();
    if (VETKG.mode !== 'islands') return;
    var ratio = network.canvas.pixelRatio || 1;
    var frame = document.getElementById('mynetwork').getBoundingClientRect();
    var size = VETKG.captionSize, drawn = [];
    if (VETKG.rowGap > 0) size = Math.min(size, VETKG.rowGap * scale - 8);  // between the rows
    window.vetkgCaptions = drawn;
    if (size < 9) return;  // zoomed out too far for text: the legend names the islands
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.font = 'bold ' + size + 'px ' + VETKG.font;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'bottom';
    VETKG.islands.forEach(function (island) {
        var a = network.canvasToDOM({x: island.box[0], y: island.box[1]});
        var room = island.room * scale - 12;
        var text = ctx.measureText(island.caption).width <= room ? island.caption : vetkgFitText(ctx, island.short, room);
        if (!text) return;
        var w = ctx.measureText(text).width, top = a.y - 6 - size - 2;
        ctx.fillStyle = 'rgba(255,255,255,0.9)';
        ctx.fillRect(a.x - 2, top, w + 4, size + 4);
        ctx.fillStyle = '#222222';
        ctx.fillText(text, a.x, a.y - 4);
        drawn.push({text: text, box: [frame.left + a.x - 2, frame.top + top, frame.left + a.x + w + 2, frame.top + top + size + 4]});
    });
    ctx.restore();
}
function vetkgSetUp(net) {
    window.vetkgCaptions = [];
    if (VETKG.mode === 'free') return;
    net.on('afterDrawing', vetkgDecorate);
    if (VETKG.mode === 'tree') vetkgOpen(VETKG.islands[0].box); else vetkgShowAll();
    document.querySelectorAll('#vetkg-legend button[data-island]').forEach(function (button) {
        button.addEventListener('click', function () {
            var i = Number(button.getAttribute('data-island'));
            if (i < 0) vetkgShowAll(); else vetkgOpen(VETKG.islands[i].box);
        });
    });
    net.on('click', function (params) {
        // a click on an island's empty space, zoomed out (labels not drawn): open it
        if (VETKG.mode !== 'islands' || params.nodes.length || params.edges.length) return;
        if (net.getScale() * VETKG.fontSize >= VETKG.drawThreshold - 1) return;
        var c = params.pointer.canvas;
        VETKG.islands.forEach(function (island) {
            var b = island.box;
            if (c.x >= b[0] && c.x <= b[2] && c.y >= b[1] && c.y <= b[3]) vetkgOpen(b);
        });
    });
}
"""


def _text_tooltips_page(net: Network, physics: bool) -> str:
    """pyvis's template rendered with vis-network's own tooltip, which sets a title as text,
    and every template value HTML-escaped.

    ``Network.generate_html`` is not used: pyvis 0.3 swaps in a popup filled with
    ``innerHTML`` as soon as one node title contains "href", and document text can (a
    document holding ``href<img onerror=…>`` ran its script on hover); its template also
    writes node ids into the select menu unescaped."""
    env = net.templateEnv
    env.autoescape = True  # node ids in <option>; the data is already |tojson, the options |safe
    nodes, edges, heading, height, width, options = net.get_network_data()
    page = env.get_template(net.path).render(
        height=height,
        width=width,
        nodes=nodes,
        edges=edges,
        heading=heading,
        options=options,
        physics_enabled=physics,
        use_DOT=False,
        dot_lang="",
        widget=False,
        bgcolor=net.bgcolor,
        conf=False,
        tooltip_link=False,
        neighborhood_highlight=net.neighborhood_highlight,
        select_menu=net.select_menu,
        filter_menu=net.filter_menu,
        notebook=False,
        cdn_resources=net.cdn_resources,
    )
    if _HTML_SINK.search(page):
        raise RuntimeError("the pyvis template fills an element from node data as HTML")
    return page


# pyvis's link-tooltip popup (``popup.innerHTML = nodeData[0].title``): must never be in a page
_HTML_SINK = re.compile(r"popup\.innerHTML\s*=")
_REMOTE_TAG = re.compile(
    r"<(?:link|script)\b[^>]*(?:href|src)\s*=\s*[\"']https?://[^>]*>(?:\s*</script>)?", re.I | re.S
)
_FALLBACK_CSS = """<style>
body{font-family:system-ui,vetkg-cjk,'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif;margin:0}
.card{border:1px solid #ddd;border-radius:4px;margin:4px}.card-body{padding:4px}
.row{display:flex;flex-wrap:wrap;gap:8px;padding:6px}.col-10,.col-2{flex:1}
#vetkg-legend{position:fixed;right:12px;top:12px;background:rgba(255,255,255,.93);border:1px solid #ccc;
padding:8px 10px;font-size:12px;z-index:10;max-width:260px}
#vetkg-legend h1{font-size:14px;margin:0 0 6px}#vetkg-legend span.sw{display:inline-block;width:11px;height:11px;
margin-right:6px;vertical-align:middle;border-radius:2px}
#vetkg-legend .islands{margin-top:6px;max-height:220px;overflow-y:auto}
#vetkg-legend .islands button{display:block;width:100%;text-align:left;margin:2px 0;font:inherit;cursor:pointer;
white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
</style>"""


def _legend(g: nx.MultiDiGraph, title: str, view: str, layout: _Layout | None = None) -> str:
    e = html.escape
    present = sorted(
        {d.get("type", "Other") for _, d in g.nodes(data=True)},
        key=lambda t: list(STYLE).index(t) if t in STYLE else 99,
    )
    rows = "".join(
        f'<div><span class="sw" style="background:{STYLE.get(t, STYLE["Other"])[0]}"></span>'
        f"{e(STYLE.get(t, STYLE['Other'])[2])}</div>"
        for t in present
    )
    if layout is None:
        note = "size: PageRank"
    elif layout.captions:
        note = "zoom in (or click an island) for the labels; click a node for its neighbours"
    else:
        note = "document → measures (by part) → units → indicators → programs; click a node for its neighbours"
    islands = ""
    if layout is not None and layout.captions:
        buttons = "".join(
            f'<button type="button" data-island="{i}" title="{e(island.caption)}">{e(_short(island.caption, 28))}</button>'
            for i, island in enumerate(layout.islands)
        )
        islands = (
            f'<div class="islands"><button type="button" data-island="-1">whole graph 全图</button>{buttons}</div>'
        )
    return (
        f'<div id="vetkg-legend"><h1>{e(title)} — {e(view)}</h1>'
        f"<div>{g.number_of_nodes()} nodes, {g.number_of_edges()} edges</div>{rows}"
        f'<div style="margin-top:4px;color:#666">{e(note)}</div>{islands}</div>'
    )


# pyvis's template ends by drawing the graph at once: the page's own script draws it once
# the embedded font is loaded (a label measured in a fallback font gets the wrong box)
_DRAW_CALL_END = re.compile(r"\s*</script>\s*</body>")


def _offline(page: str, legend: str, head: str = "") -> str:
    """Drop every remote <link>/<script> (pyvis's Bootstrap), add local CSS, the page's own
    font and script, and the legend, and make sure nothing remote is left."""
    page = _REMOTE_TAG.sub("", page)
    page = page.replace("<head>", '<head>\n<meta name="referrer" content="no-referrer">' + _FALLBACK_CSS + head, 1)
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>", "", page)
    page = page.replace("<body>", "<body>\n" + legend, 1)
    if head:
        call = page.rfind("drawGraph();")
        if call < 0 or not _DRAW_CALL_END.match(page, call + len("drawGraph();")):
            raise RuntimeError("the pyvis template no longer ends by calling drawGraph()")
        page = page[:call] + "vetkgStart();" + page[call + len("drawGraph();") :]
    remote = re.findall(r"(?:src|href)\s*=\s*[\"'](https?:)?//", page, re.I)
    if remote:
        raise RuntimeError("the generated page still references a remote resource")
    return page


def write_html(graph, out: str | Path, view: str = "full", title: str = "vetkg", max_nodes: int | None = None) -> Path:

    out = Path(out)
    write_text_atomic(out, render(graph, view, title, max_nodes))
    return out
