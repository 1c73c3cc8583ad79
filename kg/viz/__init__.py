"""Drawing stage: views of the graph as networkx graphs, offline pyvis pages, and exports
for Gephi, Cytoscape and Neo4j."""

from __future__ import annotations

from kg.viz.html import MAX_PAGE_NODES, VIEWS, render, tooltip, view_graph, write_html

__all__ = ["MAX_PAGE_NODES", "VIEWS", "render", "tooltip", "view_graph", "write_html"]
