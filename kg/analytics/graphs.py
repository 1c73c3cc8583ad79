"""Graphs in a stable order: a spring layout, a drawing, Louvain's communities and a
pyvis page follow the order of nodes and edges, and a subgraph view iterates a Python set
(its order changes with PYTHONHASHSEED). Sorted, the same graph gives the same picture."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def sorted_subgraph(g: Any, nodes: Iterable | None = None) -> Any:
    """A copy of ``g`` (of the same class and graph attributes) restricted to ``nodes``
    (all when None), its nodes sorted and its edges in sorted order — each edge of an
    undirected graph as ``(u, v)`` with ``u < v``."""
    keep = set(g) if nodes is None else set(nodes)
    h = g.__class__()
    h.graph.update(g.graph)
    h.add_nodes_from((n, g.nodes[n]) for n in sorted(keep))
    directed = g.is_directed()
    edges = (
        (u, v, d) if directed or u <= v else (v, u, d) for u, v, d in g.edges(data=True) if u in keep and v in keep
    )
    h.add_edges_from(sorted(edges, key=lambda e: (e[0], e[1])))
    return h


__all__ = ["sorted_subgraph"]
