"""Where the analytics read the graph: the Oxigraph store (in memory, or a build's
``graph.oxigraph/`` on disk).

It answers a few questions — the subject/object pairs of a predicate, a node's values,
the qualified assertions of one predicate with their evidence — with IRIs as ``str`` and
literals as Python values, for :class:`kg.analytics.Index` and everything built on it.
Assertions are asked in SPARQL, so a store of tens of millions of triples is read one
predicate at a time, never whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib

from kg.rdf.ontology import VET
from kg.store import OxigraphStore
from kg.store.joins import scans

PROV = "http://www.w3.org/ns/prov#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + t for t in ("integer", "nonNegativeInteger", "positiveInteger", "int", "long")}


def source_of(graph: Any) -> OxigraphSource:
    """The source for ``graph``: itself if it is one; an Oxigraph store (a
    :class:`kg.store.OxigraphStore` or a ``pyoxigraph.Store``) wrapped; an
    ``rdflib.Graph`` copied into an in-memory Oxigraph store (so analytics have one engine)."""
    if isinstance(graph, OxigraphSource):
        return graph
    if isinstance(graph, OxigraphStore):
        return OxigraphSource(graph.store)
    if isinstance(graph, ox.Store):
        return OxigraphSource(graph)
    if isinstance(graph, rdflib.Graph):
        return OxigraphSource(OxigraphStore.from_ntriples(graph.serialize(format="nt", encoding="utf-8")).store)
    raise TypeError(f"cannot read a graph from {type(graph).__name__}")


class OxigraphSource:
    """A pyoxigraph store (in memory, or opened read-only from a folder)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.index: Any = None  # the kg.analytics.Index reading this source, once one is made

    @classmethod
    def open(cls, folder: str | Path) -> OxigraphSource:
        return cls(OxigraphStore.open(folder).store)

    @staticmethod
    def _py(term):
        if isinstance(term, ox.Literal):
            dt = term.datatype.value if term.datatype is not None else ""
            if dt == _XSD + "decimal":
                return Decimal(term.value)
            if dt in _INTEGERS:
                return int(term.value)
            return term.value
        return term.value

    def pairs(self, p: str) -> Iterator[tuple[str, str]]:
        for q in self.store.quads_for_pattern(None, ox.NamedNode(p), None):
            yield q.subject.value, q.object.value

    def subjects(self, p: str, o: str) -> Iterator[str]:
        return (q.subject.value for q in self.store.quads_for_pattern(None, ox.NamedNode(p), ox.NamedNode(o)))

    def objects(self, s: str, p: str) -> Iterator[str]:
        return (q.object.value for q in self.store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None))

    def value(self, s: str, p: str):
        for q in self.store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None):
            return self._py(q.object)
        return None

    def assertion_pairs(self, predicate: str) -> list[tuple[str, str]]:
        """``(subject, object)`` of every qualified assertion of one vetkg predicate, once
        per evidence node — the rows of :meth:`assertions`, without reading the evidence
        texts and offsets (each evidence node has them all: the mapping writes them
        together, the shapes require them), in the same order. On a large on-disk store
        this is several times faster."""
        node = ox.NamedNode(VET + predicate)  # a term of the ontology, never document text
        query = f"""PREFIX vet: <{VET}> PREFIX prov: <{PROV}>
        SELECT ?a ?s ?o WHERE {{
          {scans("?a", ("vet:assertedPredicate", str(node)), ("vet:assertedSubject", "?s"), ("vet:assertedObject", "?o"), ("prov:wasDerivedFrom", "?ev"))}
        }}"""  # each pattern scanned once and hash-joined (kg.store.joins): 11.6 → 2.9 s at 1,000 documents
        rows = [(r[0].value, r[1].value, r[2].value) for r in self.store.query(query)]
        rows.sort(key=lambda r: r[0])
        return [(s, o) for _, s, o in rows]

    def assertions(self, predicate: str | None = None) -> list[dict]:
        query = f"""PREFIX vet: <{VET}> PREFIX prov: <{PROV}>
        SELECT ?a ?s ?p ?o ?role ?doc ?quote ?sentence ?start WHERE {{
          ?a vet:assertedPredicate ?p ; vet:assertedSubject ?s ; vet:assertedObject ?o ;
             prov:wasDerivedFrom ?ev .
          ?ev vet:document ?doc ; vet:quote ?quote ; vet:sentence ?sentence ; vet:startOffset ?start .
          OPTIONAL {{ ?a vet:role ?role }}
        }}"""  # plain joins (the shapes require each of these): nested OPTIONALs made Oxigraph
        # build a table of every evidence node, minutes and gigabytes on a large store
        bindings = {ox.Variable("p"): ox.NamedNode(VET + predicate)} if predicate else None
        out = []
        for row in self.store.query(query, substitutions=bindings):
            v = {
                name: (row[name].value if row[name] is not None else None)
                for name in ("a", "s", "p", "o", "role", "doc", "quote", "sentence", "start")
            }
            out.append(
                {
                    "assertion": v["a"],
                    "subject": v["s"],
                    "predicate": (v["p"] or "").rsplit("#", 1)[-1],
                    "object": v["o"],
                    "role": (v["role"] or "").rsplit("#", 1)[-1].lower() or None,
                    "document": v["doc"],
                    "quote": v["quote"],
                    "sentence": v["sentence"],
                    "start": int(v["start"]) if v["start"] is not None else None,
                }
            )
        out.sort(key=lambda r: str(r["assertion"]))
        return out
