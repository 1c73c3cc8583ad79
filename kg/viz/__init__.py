"""Drawing stage: views of the graph as networkx graphs, offline pyvis pages, and exports
for Gephi, Cytoscape and Neo4j."""

from __future__ import annotations

from kg.viz.chains import chain_html, render_chain
from kg.viz.coissuing import coissuing_html, render_coissuing
from kg.viz.html import MAX_PAGE_NODES, VIEWS, render, tooltip, view_graph, write_html

__all__ = [
    "MAX_PAGE_NODES",
    "VIEWS",
    "chain_html",
    "coissuing_html",
    "render",
    "render_chain",
    "render_coissuing",
    "tooltip",
    "view_graph",
    "write_html",
]
