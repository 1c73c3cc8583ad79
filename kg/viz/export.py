"""Exports of a view for other tools: GraphML (Gephi, Cytoscape, yEd), GEXF (Gephi) and
CSV in ``neo4j-admin database import`` form (``nodes.csv`` with ``:ID``/``:LABEL``,
``relationships.csv`` with ``:START_ID``/``:END_ID``/``:TYPE``)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx

from kg.core.atomic import write_text_atomic

FORMATS = ("graphml", "gexf", "csv")


def _plain(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Attribute values as strings or numbers (GraphML and GEXF take no None)."""
    h = nx.MultiDiGraph()
    for n, d in g.nodes(data=True):
        h.add_node(n, **{k: v for k, v in d.items() if v is not None and not isinstance(v, (set, list, dict))})
    for u, v, k, d in g.edges(keys=True, data=True):
        h.add_edge(
            u, v, key=str(k), **{a: b for a, b in d.items() if b is not None and not isinstance(b, (set, list, dict))}
        )
    return h


def export(g: nx.MultiDiGraph, fmt: str, out: str | Path) -> list[Path]:
    """Write ``g`` in ``fmt``; ``out`` is a file (graphml, gexf) or a folder (csv)."""
    out = Path(out)
    h = _plain(g)
    if fmt == "graphml":
        buf = io.BytesIO()
        nx.write_graphml(h, buf, encoding="utf-8")
        write_text_atomic(out, buf.getvalue().decode("utf-8"))
        return [out]
    if fmt == "gexf":
        buf = io.BytesIO()
        nx.write_gexf(h, buf, encoding="utf-8")
        write_text_atomic(out, buf.getvalue().decode("utf-8"))
        return [out]
    if fmt == "csv":
        return _neo4j_csv(h, out)
    raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")


def _neo4j_csv(g: nx.MultiDiGraph, folder: Path) -> list[Path]:
    # raw values, no spreadsheet apostrophe (kg.core.csvtext): neo4j-admin imports them as data
    node_keys = sorted({k for _, d in g.nodes(data=True) for k in d} - {"type"})
    edge_keys = sorted({k for _, _, d in g.edges(data=True) for k in d} - {"relation"})
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id:ID", *node_keys, ":LABEL"])
    for n, d in sorted(g.nodes(data=True)):
        w.writerow([n] + [d.get(k, "") for k in node_keys] + [d.get("type", "Node")])
    nodes = buf.getvalue()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([":START_ID", ":END_ID", *edge_keys, ":TYPE"])
    for u, v, d in sorted(g.edges(data=True), key=lambda t: (t[0], t[1], str(t[2].get("relation")))):
        w.writerow([u, v] + [d.get(k, "") for k in edge_keys] + [d.get("relation", "RELATED")])
    paths = [folder / "nodes.csv", folder / "relationships.csv"]
    write_text_atomic(paths[0], nodes)
    write_text_atomic(paths[1], buf.getvalue())
    return paths
