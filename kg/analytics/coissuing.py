"""The co-issuing network (联合发文): government bodies linked by the documents they issue
together, per period (each year, or a span of dates), with each body's degree,
betweenness and community.

Pure functions over the graph's store (:mod:`kg.analytics.source`), returning networkx
graphs or lists of plain dicts (rows) for the report, the notebooks and the CSV exports.
A body is its node (two cities' 市教育局 are two bodies), shown by its ``vet:displayLabel``
(which names its region) or else its ``skos:prefLabel``. Every edge keeps the documents
that make it (their titles and source ids: the evidence). Inputs are sorted and the
randomised algorithms seeded (:data:`kg.analytics.metrics.SEED`), so the same graph gives
the same tables.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from kg.analytics.metrics import centrality, communities
from kg.analytics.source import source_of
from kg.rdf.ontology import VET

ALL = "all"
UNDATED = "undated"  # the period of documents that state no date, when grouped by year

_ISSUINGS = f"""PREFIX vet: <{VET}>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?document ?source ?title ?issued ?published ?issuer ?label ?display ?region WHERE {{
  ?document vet:sourceId ?source .
  OPTIONAL {{ ?document dcterms:title ?title }}
  OPTIONAL {{ ?document dcterms:issued ?issued }}
  OPTIONAL {{ ?document eli:date_publication ?published }}
  OPTIONAL {{
    ?document vet:issuedBy ?issuer .
    OPTIONAL {{ ?issuer skos:prefLabel ?label }}
    OPTIONAL {{ ?issuer vet:displayLabel ?display }}
    OPTIONAL {{ ?issuer vet:jurisdiction/skos:prefLabel ?region }}
  }}
}}"""


@dataclass
class Issued:
    """One built document and the bodies that issued it."""

    document: str
    source: str
    title: str
    date: str | None  # its own date (成文), else its publication date
    issuers: set[str] = field(default_factory=set)


def issued_documents(graph) -> tuple[list[Issued], dict[str, dict[str, str]]]:
    """Every built document with its issuers (sorted by document; none when it names
    none), and every issuer's ``label`` and ``region`` (the smallest, should a store give
    several)."""
    source = source_of(graph)
    docs: dict[str, Issued] = {}
    labels: dict[str, set[str]] = defaultdict(set)
    regions: dict[str, set[str]] = defaultdict(set)
    columns = ("document", "source", "title", "issued", "published", "issuer", "label", "display", "region")
    for row in source.store.query(_ISSUINGS):
        v: dict[str, str | None] = {k: (row[k].value if row[k] is not None else None) for k in columns}
        document = str(v["document"])  # bound in every row
        doc = docs.get(document)
        if doc is None:
            date = v["issued"] or v["published"]
            doc = docs[document] = Issued(document, v["source"] or "", v["title"] or "", date)
        if v["issuer"] is None:
            continue
        issuer = str(v["issuer"])
        doc.issuers.add(issuer)
        labels[issuer].add(v["display"] or v["label"] or issuer.rsplit("/", 1)[-1])
        if v["region"]:
            regions[issuer].add(v["region"])
    bodies = {n: {"label": min(labels[n]), "region": min(regions[n], default="")} for n in labels}
    return [docs[k] for k in sorted(docs)], bodies


def period_of(date: str | None, by: str) -> str:
    """The period a document dated ``date`` falls in: ``all``, or its year (``undated``)."""
    if by == ALL:
        return ALL
    if by == "year":
        return date[:4] if date else UNDATED
    raise ValueError(f"unknown period {by!r}: use 'all' or 'year' (or a start and end date)")


def _span_label(start: str | None, end: str | None) -> str:
    return f"{start or ''}–{end or ''}"


def _periods(graph, by: str, start: str | None, end: str | None) -> tuple[dict[str, list[Issued]], dict]:
    """The documents of each period: by ``by`` (``all``, ``year``), or, given ``start``
    and/or ``end`` (ISO dates, inclusive), the dated documents of that one span."""
    documents, bodies = issued_documents(graph)
    return group_periods(documents, by, start, end), bodies


def group_periods(
    documents: list[Issued], by: str = ALL, start: str | None = None, end: str | None = None
) -> dict[str, list[Issued]]:
    """The documents of :func:`issued_documents` by period (as :func:`coissuing_periods`
    groups them), in order of period."""
    periods: dict[str, list[Issued]] = defaultdict(list)
    if start or end:
        label = _span_label(start, end)
        periods[label] = [
            d for d in documents if d.date and (not start or d.date >= start) and (not end or d.date <= end)
        ]
    else:
        for d in documents:
            periods[period_of(d.date, by)].append(d)
    return dict(sorted(periods.items()))


def networks_of(periods: dict[str, list[Issued]], bodies: dict[str, dict[str, str]]) -> dict[str, nx.Graph]:
    """The co-issuing network of each period of :func:`group_periods`."""
    return {label: _network(docs, bodies, f"co-issuing {label}") for label, docs in periods.items()}


def _network(documents: list[Issued], bodies: dict[str, dict[str, str]], name: str) -> nx.Graph:
    """Bodies (every issuer of the documents) linked by the documents they issued
    together: ``weight`` = documents, ``documents`` = their titles, ``sources`` = their ids."""
    g = nx.Graph(name=name)
    issued: dict[str, int] = defaultdict(int)
    joint: dict[str, int] = defaultdict(int)
    edges: dict[tuple[str, str], list[Issued]] = defaultdict(list)
    for d in documents:
        issuers = sorted(d.issuers)
        for u in issuers:
            issued[u] += 1
            if len(issuers) > 1:
                joint[u] += 1
        for i, u in enumerate(issuers):
            for v in issuers[i + 1 :]:
                edges[u, v].append(d)
    for n in sorted(issued):
        g.add_node(
            n,
            label=bodies[n]["label"],
            region=bodies[n]["region"],
            type="Department",
            documents=issued[n],
            joint_documents=joint[n],
        )
    for (u, v), docs in sorted(edges.items()):
        docs = sorted(docs, key=lambda d: (d.title, d.document))
        g.add_edge(
            u,
            v,
            weight=len(docs),
            documents=[d.title for d in docs],
            sources=[d.source for d in docs],
            dates=[d.date for d in docs],
        )
    return g


def coissuing_graph(graph, start: str | None = None, end: str | None = None) -> nx.Graph:
    """The co-issuing network of the whole corpus, or of the documents dated between
    ``start`` and ``end`` (ISO dates, inclusive)."""
    periods, bodies = _periods(graph, ALL, start, end)
    (label, documents), *_ = periods.items() or [(ALL, [])]
    return _network(documents, bodies, f"co-issuing {label}")


def coissuing_networks(
    graph, by: str = "year", start: str | None = None, end: str | None = None
) -> dict[str, nx.Graph]:
    """The co-issuing network of each period (``by``: ``year`` or ``all``; or the one span
    ``start``–``end``), by period label in order."""
    periods, bodies = _periods(graph, by, start, end)
    return networks_of(periods, bodies)


def coissuing_table(graph, by: str = ALL, start: str | None = None, end: str | None = None) -> list[dict]:
    """One row per body and period: documents it issued, of them issued jointly, partners
    (degree), weighted degree (documents shared with partners, counted per partner),
    betweenness (exact on small networks, seeded samples past
    :data:`kg.analytics.metrics.BETWEENNESS_SAMPLES` nodes) and its Louvain community."""
    return table_rows(coissuing_networks(graph, by, start, end))


def table_rows(networks: dict[str, nx.Graph]) -> list[dict]:
    """The rows of :func:`coissuing_table` from the networks of each period."""
    rows: list[dict] = []
    for period, g in networks.items():
        between = {r["node"]: r["betweenness"] for r in centrality(g)}
        community = {n: i + 1 for i, members in enumerate(communities(g)) for n in members}
        part: list[dict] = []
        for n, d in g.nodes(data=True):
            part.append(
                {
                    "period": period,
                    "label": d["label"],
                    "region": d["region"],
                    "documents": d["documents"],
                    "joint_documents": d["joint_documents"],
                    "partners": g.degree(n),
                    "weighted_degree": g.degree(n, weight="weight"),
                    "betweenness": between.get(n),
                    "community": community.get(n),
                    "node": n,
                }
            )
        part.sort(key=lambda r: (-r["weighted_degree"], -r["documents"], r["label"], r["node"]))
        rows += part
    return rows


def coissuing_pairs(graph, by: str = ALL, start: str | None = None, end: str | None = None) -> list[dict]:
    """One row per pair of bodies and period: how many documents they issued together,
    their titles and source ids (the evidence), the first and last of their dates."""
    return pair_rows(coissuing_networks(graph, by, start, end))


def pair_rows(networks: dict[str, nx.Graph]) -> list[dict]:
    """The rows of :func:`coissuing_pairs` from the networks of each period."""
    rows: list[dict] = []
    for period, g in networks.items():
        part = []
        for u, v, e in g.edges(data=True):
            dates = sorted(x for x in e["dates"] if x)
            part.append(
                {
                    "period": period,
                    "issuer_a": g.nodes[u]["label"],
                    "issuer_b": g.nodes[v]["label"],
                    "documents": e["weight"],
                    "first": dates[0] if dates else None,
                    "last": dates[-1] if dates else None,
                    "titles": " | ".join(e["documents"]),
                    "sources": " | ".join(e["sources"]),
                    "a": u,
                    "b": v,
                }
            )
        part.sort(key=lambda r: (-r["documents"], r["issuer_a"], r["issuer_b"], r["a"], r["b"]))
        rows += part
    return rows


def coissuing_periods(graph, by: str = "year", start: str | None = None, end: str | None = None) -> list[dict]:
    """One row per period: its documents (every built document, whether it names its
    issuer or not), those issued by two or more bodies together, the bodies issuing, and
    the pairs of bodies issuing together."""
    periods, bodies = _periods(graph, by, start, end)
    return period_rows(periods, networks_of(periods, bodies))


def period_rows(periods: dict[str, list[Issued]], networks: dict[str, nx.Graph]) -> list[dict]:
    """The rows of :func:`coissuing_periods` from the documents and networks of each period."""
    rows = []
    for period, documents in periods.items():
        g = networks[period]
        rows.append(
            {
                "period": period,
                "documents": len(documents),
                "joint_documents": sum(1 for d in documents if len(d.issuers) > 1),
                "bodies": g.number_of_nodes(),
                "pairs": g.number_of_edges(),
            }
        )
    return rows
