"""The co-issuing network as an offline interactive page (pyvis / vis-network).

Bodies are nodes (sized by the documents they issued, coloured by Louvain community),
edges the documents two bodies issued together (width: how many; tooltip: their titles).
The page is made as :mod:`kg.viz.html` makes the graph's views — every value escaped,
vis-network's own text tooltips, nothing fetched from the network — by its page helpers.
"""

from __future__ import annotations

import html
import json

import networkx as nx
from pyvis.network import Network

from kg.analytics.coissuing import coissuing_graph
from kg.analytics.graphs import sorted_subgraph
from kg.analytics.metrics import SEED, communities
from kg.viz.html import _offline, _short, _text_tooltips_page

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
LAYOUT_THRESHOLD = 500  # nodes: above this, networkx positions and no browser physics


def _legend(g: nx.Graph, title: str) -> str:
    e = html.escape
    joint = sum(1 for n in g if g.degree(n))
    return (
        f'<div id="vetkg-legend"><h1>{e(title)}</h1>'
        f"<div>{g.number_of_nodes()} bodies ({joint} issuing jointly), {g.number_of_edges()} pairs</div>"
        '<div style="margin-top:4px;color:#666">size: documents issued · width: documents issued together · '
        "colour: community</div></div>"
    )


def coissuing_html(g: nx.Graph, title: str = "co-issuing network 联合发文网络", joint_only: bool = False) -> str:
    """The page of a co-issuing network (:func:`kg.analytics.coissuing.coissuing_graph`);
    ``joint_only`` leaves out bodies that issued nothing jointly."""
    g = sorted_subgraph(g, [n for n in g if g.degree(n)] if joint_only else list(g))
    community = {n: i for i, members in enumerate(communities(g)) for n in members}
    large = g.number_of_nodes() > LAYOUT_THRESHOLD
    pos = nx.spring_layout(g, seed=SEED, iterations=30) if large else {}
    net = Network(
        height="800px", width="100%", directed=False, select_menu=True, filter_menu=True, cdn_resources="in_line"
    )
    for n in sorted(g.nodes):
        d = g.nodes[n]
        partners = sorted(g.nodes[m]["label"] for m in g.neighbors(n))
        tip = [
            f"{d.get('label', n)}",
            f"region: {d.get('region') or '—'}",
            f"documents: {d.get('documents', 0)} (jointly: {d.get('joint_documents', 0)})",
        ]
        if partners:
            tip.append(
                "with: " + "、".join(_short(p, 30) for p in partners[:12]) + (" …" if len(partners) > 12 else "")
            )
        extra = {"x": float(pos[n][0]) * 2000, "y": float(pos[n][1]) * 2000, "physics": False} if large else {}
        net.add_node(
            n,
            label=_short(d.get("label", n), 24),
            title="\n".join(tip),
            color=PALETTE[community.get(n, 0) % len(PALETTE)],
            shape="dot",
            size=8 + 4 * min(int(d.get("documents", 1)), 10),
            region=d.get("region", ""),
            **extra,
        )
    for u, v, e in g.edges(data=True):  # in order: sorted_subgraph
        titles = e.get("documents", [])
        net.add_edge(
            u,
            v,
            title=f"{e.get('weight', 1)} document(s) together\n" + "\n".join(_short(t, 60) for t in titles[:10]),
            width=1 + 2 * min(int(e.get("weight", 1)), 8),
            relation="co-issued",
        )
    options = {
        "physics": {"enabled": not large, "stabilization": {"iterations": 200}},
        "interaction": {"hover": True, "tooltipDelay": 100},
        "edges": {"smooth": False, "color": {"inherit": False, "color": "#999999"}},
        "nodes": {"font": {"size": 12}},
    }
    net.set_options(json.dumps(options))
    return _offline(_text_tooltips_page(net, physics=not large), _legend(g, title))


def render_coissuing(graph, start: str | None = None, end: str | None = None, joint_only: bool = True) -> str:
    """The co-issuing page of ``graph`` (all documents, or those dated ``start``–``end``)."""
    label = f" {start or ''}–{end or ''}" if start or end else ""
    return coissuing_html(coissuing_graph(graph, start, end), f"co-issuing network 联合发文网络{label}", joint_only)
