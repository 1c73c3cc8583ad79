"""The interactive graph: a pyvis (vis-network) HTML page that works offline.

Nodes are coloured and shaped by class (with a legend), sized by PageRank, labelled in
Chinese; node tooltips give the type, the documents and an evidence sentence, edge
tooltips the relation and role. pyvis's select and filter menus are kept. Everything is
inlined: pyvis 0.3.2's ``cdn_resources="in_line"`` still links Bootstrap from a CDN for its
menus, so that tag is replaced by a few lines of CSS, and the page is checked to hold no
remote resource. Large views get positions from networkx and physics off (the browser's
physics stalls past about a thousand nodes).

Document text is untrusted: labels and tooltips are plain strings, which vis-network
renders as text (its own tooltip sets ``innerText``; pyvis's switch to an ``innerHTML``
popup when a title holds "href" is never taken, see :func:`_text_tooltips_page`), the
data sits in the page as JSON with ``<``, ``>`` and ``&`` escaped, and every other value
in the page is HTML-escaped, so markup in a document shows as text and never runs.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
from pyvis.network import Network

from kg.analytics.diffusion import diffusion_links
from kg.analytics.projections import DCT, Index, citation_graph, entity_graph, responsibility_graph
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
    simple = nx.Graph(g)
    rank = nx.pagerank(simple) if simple.number_of_edges() else {n: 1.0 for n in simple}
    top = max(rank.values()) or 1.0
    large = g.number_of_nodes() > LAYOUT_THRESHOLD
    pos = (
        nx.spring_layout(
            simple, seed=42, k=1.5 / max(1, len(simple)) ** 0.5, iterations=50 if len(simple) < 3000 else 15
        )
        if large
        else {}
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
    for n in sorted(g.nodes):
        d = g.nodes[n]
        colour, shape, _ = STYLE.get(d.get("type", "Other"), STYLE["Other"])
        kwargs: dict[str, Any] = {}
        if large:
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
    for u, v, e in sorted(g.edges(data=True), key=lambda t: (t[0], t[1], t[2].get("relation", ""))):
        rel = e.get("relation", "")
        label = rel + (f" ({e['role']})" if e.get("role") else "")
        net.add_edge(
            u,
            v,
            title=label + ("\n" + _short(e["evidence"], 160) if e.get("evidence") else ""),
            relation=rel,
            role=e.get("role") or "",
            arrows="to",
            width=1 + 3 * float(e.get("weight", 0) or 0) if rel == "similarTo" else 1,
        )
    options = {
        "physics": {
            "enabled": not large,
            "stabilization": {"iterations": 200},
            "barnesHut": {"gravitationalConstant": -6000, "springLength": 120},
        },
        "interaction": {"hover": True, "tooltipDelay": 100, "navigationButtons": False},
        "edges": {"smooth": False, "color": {"inherit": False, "color": "#999999"}},
        "nodes": {"font": {"size": 12}},
    }
    net.set_options(json.dumps(options))
    return _offline(_text_tooltips_page(net, physics=not large), _legend(g, title, view))


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
body{font-family:system-ui,'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif;margin:0}
.card{border:1px solid #ddd;border-radius:4px;margin:4px}.card-body{padding:4px}
.row{display:flex;flex-wrap:wrap;gap:8px;padding:6px}.col-10,.col-2{flex:1}
#vetkg-legend{position:fixed;right:12px;top:12px;background:rgba(255,255,255,.93);border:1px solid #ccc;
padding:8px 10px;font-size:12px;z-index:10;max-width:260px}
#vetkg-legend h1{font-size:14px;margin:0 0 6px}#vetkg-legend span.sw{display:inline-block;width:11px;height:11px;
margin-right:6px;vertical-align:middle;border-radius:2px}
</style>"""


def _legend(g: nx.MultiDiGraph, title: str, view: str) -> str:
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
    return (
        f'<div id="vetkg-legend"><h1>{e(title)} — {e(view)}</h1>'
        f"<div>{g.number_of_nodes()} nodes, {g.number_of_edges()} edges</div>{rows}"
        f'<div style="margin-top:4px;color:#666">size: PageRank</div></div>'
    )


def _offline(page: str, legend: str) -> str:
    """Drop every remote <link>/<script> (pyvis's Bootstrap), add local CSS and the legend,
    and make sure nothing remote is left."""
    page = _REMOTE_TAG.sub("", page)
    page = page.replace("<head>", '<head>\n<meta name="referrer" content="no-referrer">' + _FALLBACK_CSS, 1)
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>", "", page)
    page = page.replace("<body>", "<body>\n" + legend, 1)
    remote = re.findall(r"(?:src|href)\s*=\s*[\"'](https?:)?//", page, re.I)
    if remote:
        raise RuntimeError("the generated page still references a remote resource")
    return page


def write_html(graph, out: str | Path, view: str = "full", title: str = "vetkg", max_nodes: int | None = None) -> Path:

    out = Path(out)
    write_text_atomic(out, render(graph, view, title, max_nodes))
    return out
