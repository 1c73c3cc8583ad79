"""Where the analytics read the graph from: an rdflib graph in memory, or an Oxigraph
store on disk (a large build's ``graph.oxigraph/``).

Both answer the same few questions — the subject/object pairs of a predicate, a node's
values, the qualified assertions of one predicate with their evidence — with IRIs as
``str`` and literals as Python values, so :class:`kg.analytics.Index` and everything built
on it does not care which it is given. The Oxigraph side asks in SPARQL, so a store of
tens of millions of triples is read one predicate at a time, never whole.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, Optional

from kg.ontology import VET

PROV = "http://www.w3.org/ns/prov#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + t for t in ("integer", "nonNegativeInteger", "positiveInteger", "int", "long")}


def source_of(graph):
    """The source for ``graph``: itself if it is one, else an rdflib wrapper."""
    if isinstance(graph, (RdflibSource, OxigraphSource)):
        return graph
    return RdflibSource(graph)


class RdflibSource:
    def __init__(self, graph):
        self.graph = graph

    def pairs(self, p: str) -> Iterator[tuple[str, str]]:
        import rdflib

        for s, o in self.graph.subject_objects(rdflib.URIRef(p)):
            yield str(s), str(o)

    def subjects(self, p: str, o: str) -> Iterator[str]:
        import rdflib

        return (str(s) for s in self.graph.subjects(rdflib.URIRef(p), rdflib.URIRef(o)))

    def objects(self, s: str, p: str) -> Iterator[str]:
        import rdflib

        return (str(o) for o in self.graph.objects(rdflib.URIRef(s), rdflib.URIRef(p)))

    def value(self, s: str, p: str):
        import rdflib

        v = self.graph.value(rdflib.URIRef(s), rdflib.URIRef(p))
        if v is None:
            return None
        return v.toPython() if isinstance(v, rdflib.Literal) else str(v)

    def assertions(self, predicate: Optional[str] = None) -> list[dict]:
        """Qualified assertions (of ``predicate``'s local name, or all) with evidence."""
        subj = dict(self.pairs(VET + "assertedSubject"))
        pred = dict(self.pairs(VET + "assertedPredicate"))
        obj = dict(self.pairs(VET + "assertedObject"))
        role_iri = dict(self.pairs(VET + "role"))
        ev_of = dict(self.pairs(PROV + "wasDerivedFrom"))
        quote = dict(self.pairs(VET + "quote"))
        sentence = dict(self.pairs(VET + "sentence"))
        ev_doc = dict(self.pairs(VET + "document"))
        start = dict(self.pairs(VET + "startOffset"))
        out = []
        for a in sorted(subj):
            name = pred[a].rsplit("#", 1)[-1]
            if predicate is not None and name != predicate:
                continue
            ev = ev_of.get(a)
            out.append({"assertion": a, "subject": subj[a], "predicate": name,
                        "object": obj.get(a), "role": role_iri.get(a, "").rsplit("#", 1)[-1].lower() or None,
                        "document": ev_doc.get(ev), "quote": quote.get(ev), "sentence": sentence.get(ev),
                        "start": int(start[ev]) if ev in start else None})
        return out


class OxigraphSource:
    """A pyoxigraph store (in memory, or opened read-only from a folder)."""

    def __init__(self, store):
        self.store = store

    @classmethod
    def open(cls, folder: str | Path) -> "OxigraphSource":
        import pyoxigraph as ox

        return cls(ox.Store.read_only(str(folder)))

    @staticmethod
    def _py(term):
        import pyoxigraph as ox

        if isinstance(term, ox.Literal):
            dt = term.datatype.value if term.datatype is not None else ""
            if dt == _XSD + "decimal":
                from decimal import Decimal

                return Decimal(term.value)
            if dt in _INTEGERS:
                return int(term.value)
            return term.value
        return term.value

    def pairs(self, p: str) -> Iterator[tuple[str, str]]:
        import pyoxigraph as ox

        for q in self.store.quads_for_pattern(None, ox.NamedNode(p), None):
            yield q.subject.value, q.object.value

    def subjects(self, p: str, o: str) -> Iterator[str]:
        import pyoxigraph as ox

        return (q.subject.value for q in self.store.quads_for_pattern(None, ox.NamedNode(p), ox.NamedNode(o)))

    def objects(self, s: str, p: str) -> Iterator[str]:
        import pyoxigraph as ox

        return (q.object.value for q in self.store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None))

    def value(self, s: str, p: str):
        import pyoxigraph as ox

        for q in self.store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None):
            return self._py(q.object)
        return None

    def assertions(self, predicate: Optional[str] = None) -> list[dict]:
        import pyoxigraph as ox

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
            v = {name: (row[name].value if row[name] is not None else None)
                 for name in ("a", "s", "p", "o", "role", "doc", "quote", "sentence", "start")}
            out.append({"assertion": v["a"], "subject": v["s"], "predicate": v["p"].rsplit("#", 1)[-1],
                        "object": v["o"], "role": (v["role"] or "").rsplit("#", 1)[-1].lower() or None,
                        "document": v["doc"], "quote": v["quote"], "sentence": v["sentence"],
                        "start": int(v["start"]) if v["start"] is not None else None})
        out.sort(key=lambda r: r["assertion"])
        return out
