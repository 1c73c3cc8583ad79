"""Projections of the RDF knowledge graph onto networkx graphs.

Pure functions: each takes the built ``rdflib.Graph`` (not the extractor's records) and
returns a networkx graph whose nodes are IRIs (strings) carrying ``label``, ``type`` and,
where it applies, ``function``, ``region`` and ``documents``. Later analytics, the report,
the interactive view and the exports all start from these.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cached_property
from typing import Any

import networkx as nx

from kg.analytics.source import source_of
from kg.rdf.ontology import VET

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"

# Node types shown to users, most specific first (a vet:School is shown as School).
NODE_TYPES = (
    "School",
    "Enterprise",
    "EducationGroup",
    "ResearchBody",
    "Platform",
    "Institution",
    "Department",
    "CollectiveUnit",
    "Program",
    "Indicator",
    "Measure",
    "CitedDocument",
    "PolicyDocument",
    "Region",
)


class Index:
    """What the projections need of an RDF graph, read once: types, labels, the document
    and region of every measure, and the qualified assertions with their evidence.
    ``graph``: an rdflib graph or a :mod:`kg.analytics.source` (an Oxigraph store)."""

    def __init__(self, graph: Any) -> None:
        self.graph = graph
        self.source = source_of(graph)
        self._assertions: dict[str | None, list[dict]] = {}
        self._relations: dict[str, set[tuple[str, str]]] = {}
        self._values: dict[str, dict[str, str]] = {}
        self.memo: dict[str, Any] = {}  # tables computed once per index (several report parts share them)
        if self.source is graph:  # the analytics given this source read it through this index
            graph.index = self

    def _pairs(self, p: str) -> Iterable[tuple[str, str]]:
        return self.source.pairs(p)

    def values(self, p: str) -> dict[str, str]:
        """Subject → object of the property ``p`` (a full IRI), read once: the indicator,
        target and policy-tool tables read the same values (an index scan each)."""
        if p not in self._values:
            self._values[p] = dict(self._pairs(p))
        return self._values[p]

    @cached_property
    def types(self) -> dict[str, str]:
        """IRI → the most specific vetkg type name (of the types shown to users)."""
        out: dict[str, str] = {}
        for t in reversed(NODE_TYPES):  # the most specific last, so it wins
            for s in self.source.subjects(RDF_TYPE, VET + t):
                out[s] = t
        return out

    def label(self, node: str | None, default: str = "") -> str:
        """The label of ``node`` (``default`` for no node or no label)."""
        return self.labels.get(node, default) if node is not None else default

    @cached_property
    def labels(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for p in (SKOS + "prefLabel", DCT + "title", VET + "heading", "http://www.w3.org/2000/01/rdf-schema#label"):
            for s, o in self._pairs(p):
                out.setdefault(s, o)
        for s, o in self.values(VET + "measureKey").items():  # measures: "2.1 heading"
            out[s] = f"{o} {out.get(s, '')}".strip()
        return out

    @cached_property
    def measure_document(self) -> dict[str, str]:
        return dict(self._pairs(VET + "partOf"))

    @cached_property
    def jurisdiction(self) -> dict[str, str]:
        return dict(self._pairs(VET + "jurisdiction"))

    @cached_property
    def functions(self) -> dict[str, str]:
        """Department IRI → function notation (``education``)."""
        notation = dict(self._pairs(SKOS + "notation"))
        return {s: notation.get(o, o.rsplit("/", 1)[-1]) for s, o in self._pairs(VET + "function")}

    @cached_property
    def documents(self) -> list[str]:
        """The documents built from the corpus (not merely cited): the policy documents with
        a source id (the files read carry one too, and are not documents)."""
        policies = set(self.source.subjects(RDF_TYPE, VET + "PolicyDocument"))
        return sorted({s for s, _ in self._pairs(VET + "sourceId") if s in policies})

    def region_of(self, node: str) -> str | None:
        """The region label of a document, a measure's document, or a body."""
        doc = self.measure_document.get(node, node)
        region = self.jurisdiction.get(doc)
        return self.labels.get(region) if region else None

    @property
    def assertions(self) -> list[dict]:
        """Every qualified relation: subject, predicate (local name), object, role,
        and its evidence (document, quote, sentence, offsets)."""
        if None not in self._assertions:
            self._assertions[None] = self.source.assertions()
        return self._assertions[None]

    def by_predicate(self, name: str) -> list[dict]:
        """The qualified relations of one predicate (read on their own: a large store
        is never read whole)."""
        if name not in self._assertions:
            if None in self._assertions:
                self._assertions[name] = [a for a in self._assertions[None] if a["predicate"] == name]
            else:
                self._assertions[name] = self.source.assertions(name)
        return self._assertions[name]

    def relation(self, name: str) -> set[tuple[str, str]]:
        """The plain ``(subject, object)`` pairs of a vetkg property (``responsibleFor``,
        ``leads`` …): an index scan, where :meth:`by_predicate` reads every qualified
        assertion with its evidence text (millions of rows in a large store)."""
        if name not in self._relations:
            self._relations[name] = set(self._pairs(VET + name))
        return self._relations[name]

    def node_attrs(self, node: str) -> dict:
        attrs = {"label": self.labels.get(node, node.rsplit("/", 1)[-1]), "type": self.types.get(node, "Other")}
        if node in self.functions:
            attrs["function"] = self.functions[node]
        region = self.region_of(node)
        if region:
            attrs["region"] = region
        return attrs


def _index(graph) -> Index:
    """The index of ``graph``: itself if it is one, the one already made for this source
    (the report's parts share what is read once), or a new one."""
    if isinstance(graph, Index):
        return graph
    shared = getattr(graph, "index", None)
    return shared if isinstance(shared, Index) and shared.source is graph else Index(graph)


def responsibility_graph(graph) -> nx.Graph:
    """Units ↔ measures (bipartite): an edge per responsibility, ``role`` lead/responsible,
    with the evidence sentence; measures carry their document and region."""
    ix = _index(graph)
    g = nx.Graph(name="responsibility")
    for a in ix.by_predicate("responsibleFor"):
        unit, measure = a["subject"], a["object"]
        g.add_node(unit, **ix.node_attrs(unit), bipartite=0)
        g.add_node(measure, **ix.node_attrs(measure), bipartite=1, document=ix.label(ix.measure_document.get(measure)))
        g.add_edge(unit, measure, relation="responsibleFor", role=a["role"], evidence=a["sentence"] or "")
    return g


def co_responsibility_graph(graph) -> nx.Graph:
    """Departments linked when they share measures; ``weight`` = shared measures."""
    ix = _index(graph)
    units_of: dict[str, set[str]] = defaultdict(set)
    for unit, measure in ix.relation("responsibleFor"):  # plain pairs: no evidence needed here
        if ix.types.get(unit) == "Department":
            units_of[measure].add(unit)
    weights: Counter[tuple[str, str]] = Counter()
    for units in units_of.values():
        ordered = sorted(units)
        for i, u in enumerate(ordered):
            for v in ordered[i + 1 :]:
                weights[u, v] += 1
    g = nx.Graph(name="co-responsibility")
    g.add_nodes_from((u, ix.node_attrs(u)) for u in sorted({u for units in units_of.values() for u in units}))
    # sorted edges: the set above iterates in an order that changes with PYTHONHASHSEED, and
    # PageRank's sums, Louvain's moves and sampled betweenness follow the adjacency order
    g.add_weighted_edges_from((u, v, w) for (u, v), w in sorted(weights.items()))
    return g


def citation_graph(graph) -> nx.DiGraph:
    """Documents → the documents they cite (built and external)."""
    ix = _index(graph)
    g = nx.DiGraph(name="citations")
    corpus = set(ix.documents)
    for a in ix.by_predicate("cites"):
        for n in (a["subject"], a["object"]):
            g.add_node(n, **ix.node_attrs(n), in_corpus=n in corpus)
        g.add_edge(a["subject"], a["object"], relation="cites", evidence=a["sentence"] or "")
    return g


def support_graph(graph) -> nx.DiGraph:
    """Documents → the institutions and programs their measures support;
    ``weight`` = supporting measures."""
    ix = _index(graph)
    g = nx.DiGraph(name="supports")
    for a in ix.by_predicate("supports"):
        doc = ix.measure_document.get(a["subject"])
        if doc is None:
            continue
        g.add_node(doc, **ix.node_attrs(doc))
        g.add_node(a["object"], **ix.node_attrs(a["object"]))
        w = g[doc][a["object"]]["weight"] + 1 if g.has_edge(doc, a["object"]) else 1
        g.add_edge(doc, a["object"], weight=w, relation="supports", evidence=a["sentence"] or "")
    return g


def keyword_graph(graph) -> nx.Graph:
    """Measures ↔ their topic keywords (keyword nodes are ``kw:<word>``)."""
    ix = _index(graph)
    g = nx.Graph(name="keywords")
    for m, o in ix.source.pairs(VET + "keyword"):
        kw = f"kw:{o}"
        g.add_node(m, **ix.node_attrs(m))
        g.add_node(kw, label=str(o), type="Keyword")
        g.add_edge(m, kw)
    return g


def entity_graph(graph, predicates: set[str] | None = None) -> nx.MultiDiGraph:
    """Every qualified relation as an edge between its two nodes (the full picture),
    optionally only some predicates; edges carry relation, role and evidence."""
    ix = _index(graph)
    g = nx.MultiDiGraph(name="full")
    if predicates is None:
        rows = ix.assertions
    else:  # only these predicates read (the mentions alone are half of all assertions)
        rows = sorted(
            (a for name in sorted(predicates) for a in ix.by_predicate(name)), key=lambda a: str(a["assertion"])
        )
    for a in rows:
        if a["object"] is None:
            continue
        for n in (a["subject"], a["object"]):
            if n not in g:
                g.add_node(n, **ix.node_attrs(n))
        g.add_edge(
            a["subject"],
            a["object"],
            key=a["assertion"],
            relation=a["predicate"],
            role=a["role"],
            evidence=a["sentence"] or "",
            document=a["document"],
        )
    return g
