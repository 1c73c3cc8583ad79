"""Build the RDF knowledge graph from extractions (the stage after entity resolution).

One node per real entity (IRIs minted from :mod:`kg.resolve` keys), every relation both
as a direct triple and as a qualified :class:`vet:Assertion` node that carries its role
and ``prov:wasDerivedFrom`` a ``vet:Evidence`` node (document, character offsets, quoted
clause, sentence). IRIs are deterministic and never contain raw text: keys are hashed.
"""
from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from functools import lru_cache
from typing import Iterable, Optional

from kg import ontology
from kg.lexicon import load_tsv
from kg.model import Extraction, Span
from kg.resolve import Entity, Key, Resolution, resolve_corpus

PREFIXES = {
    "vet": ontology.VET, "vfn": ontology.FUNCTION, "vkg": ontology.RESOURCE,
    "prov": "http://www.w3.org/ns/prov#", "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#", "org": "http://www.w3.org/ns/org#",
    "eli": "http://data.europa.eu/eli/ontology#", "qudt": "http://qudt.org/schema/qudt/",
    "unit": "http://qudt.org/vocab/unit/", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}
_SAFE_KEY_RE = re.compile(r"^[A-Za-z0-9.]{1,40}$")


def iri(key: Key) -> str:
    """The IRI of a resolved key: ``vkg:<type>/<hash>``; a region with an admin code and a
    measure (under its document) keep a readable tail when it is plain ASCII."""
    kind = key[0]
    if kind == "region" and len(key) == 2 and _SAFE_KEY_RE.match(key[1]):
        return f"{ontology.RESOURCE}region/{key[1]}"
    if kind == "measure" and _SAFE_KEY_RE.match(key[-1]):
        return f"{iri(('document', *key[1:-1]))}/measure/{key[-1]}"
    digest = hashlib.sha1("\x1f".join(key).encode("utf-8")).hexdigest()[:20]
    return f"{ontology.RESOURCE}{kind}/{digest}"


@lru_cache(maxsize=1)
def _qudt_units() -> dict[str, tuple[str, Decimal]]:
    return {r["unit"]: (PREFIXES["unit"] + r["qudt"], Decimal(r["scale"]))
            for r in load_tsv("units_qudt.tsv")}


class _Writer:
    """Adds triples to an rdflib graph with the project's terms and literal types."""

    def __init__(self):
        import rdflib
        from rdflib.namespace import RDF, RDFS, XSD

        self.rdflib, self.RDF, self.RDFS, self.XSD = rdflib, RDF, RDFS, XSD
        self.graph = rdflib.Graph()
        for prefix, ns in PREFIXES.items():
            self.graph.bind(prefix, rdflib.Namespace(ns), override=True)
        self.vocab = ontology.vocabulary()

    def term(self, curie: str):
        prefix, local = curie.split(":", 1)
        return self.rdflib.URIRef(PREFIXES[prefix] + local)

    def add(self, s: str, p: str, o) -> None:
        """``o``: an IRI str (``vet:…`` curies are expanded), or an rdflib Literal."""
        if o is None:
            return
        if not isinstance(o, self.rdflib.term.Identifier):  # Literal is a str too
            o = self.term(o) if not o.startswith("http") else self.rdflib.URIRef(o)
        pred = self.term(p) if not p.startswith("http") else self.rdflib.URIRef(p)
        self.graph.add((self.rdflib.URIRef(s), pred, o))

    def a(self, s: str, cls: str) -> None:
        self.add(s, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", cls)

    def zh(self, text: Optional[str]):
        return self.rdflib.Literal(text, lang="zh") if text else None

    def lit(self, value, datatype: str = "string"):
        if value is None:
            return None
        if datatype == "string":  # a plain literal: RDF 1.1's xsd:string, as sh:in compares
            return self.rdflib.Literal(value)
        if datatype == "decimal":
            value = Decimal(str(value))
        return self.rdflib.Literal(value, datatype=self.XSD[datatype])


def build_graph(extractions: Iterable[Extraction], resolution: Optional[Resolution] = None):
    """The knowledge graph (an ``rdflib.Graph``) of a corpus of extractions."""
    extractions = list(extractions)
    res = resolution or resolve_corpus(extractions)
    w = _Writer()
    _add_concepts(w)
    for entity in sorted(res.entities.values(), key=lambda e: e.key):
        _add_entity(w, entity)
    for ex in sorted(extractions, key=lambda e: e.document.doc_id):
        _add_document(w, ex, res)
    return w.graph


def _add_concepts(w: _Writer) -> None:
    """The ontology's SKOS concepts (department functions, roles) and their schemes, so
    the graph answers ``vet:function/skos:notation`` without the ontology loaded."""
    import rdflib
    from rdflib.namespace import RDF, SKOS

    onto = ontology.load()
    nodes = set(onto.subjects(RDF.type, SKOS.Concept)) | set(onto.subjects(RDF.type, SKOS.ConceptScheme))
    for node in sorted(nodes):
        for p, o in sorted(onto.predicate_objects(node)):
            if p != rdflib.RDFS.comment:
                w.graph.add((node, p, o))


def _labels(w: _Writer, node: str, entity: Entity) -> None:
    w.add(node, "skos:prefLabel", w.zh(entity.label))
    for label in sorted(entity.labels):
        w.add(node, "rdfs:label", w.zh(label))


def _add_entity(w: _Writer, e: Entity) -> None:
    node = iri(e.key)
    v = w.vocab
    if e.kind == "department":
        w.a(node, v["department"])
        w.a(node, "vet:Actor")
        w.a(node, "org:Organization")
        w.add(node, "vet:function", ontology.functions().get(e.attrs.get("function", "other")))
        w.add(node, "vet:jurisdiction", iri(e.attrs["jurisdiction"]))
    elif e.kind == "institution":
        kind = e.attrs.get("kind") or "other"
        w.a(node, ontology.institution_classes().get(kind, v["institution"]))
        w.a(node, v["institution"])
        w.a(node, "vet:Actor")
        w.a(node, "org:Organization")
        w.add(node, "vet:kind", w.lit(kind))
    elif e.kind == "program":
        w.a(node, v["program"])
        w.add(node, "vet:kind", w.lit(e.attrs.get("kind") or "other"))
    elif e.kind == "collective":
        w.a(node, v["collective"])
        w.a(node, "vet:Actor")
        if e.attrs.get("jurisdiction"):
            w.add(node, "vet:jurisdiction", iri(e.attrs["jurisdiction"]))
    elif e.kind == "region":
        w.a(node, v["region"])
        w.add(node, "vet:adminLevel", w.lit(e.attrs.get("level")))
        w.add(node, "vet:adminCode", w.lit(e.attrs.get("admin_code")))
        if e.attrs.get("within"):
            w.add(node, "vet:within", iri(e.attrs["within"]))
    elif e.kind == "document":
        w.a(node, v["document"])
        if e.attrs.get("cited"):
            w.a(node, v["cited_document"])
        w.a(node, "eli:LegalResource")
        if not e.attrs.get("in_corpus"):  # a built document's title comes from its metadata
            w.add(node, "dcterms:title", w.zh(e.label))
            w.add(node, "dcterms:identifier", w.lit(e.attrs.get("doc_number")))
        for issuer in e.attrs.get("issuers", ()):
            w.add(node, "vet:issuedBy", iri(issuer))
        if e.attrs.get("jurisdiction"):
            w.add(node, "vet:jurisdiction", iri(e.attrs["jurisdiction"]))
    if e.kind in ("department", "institution", "program", "collective", "region"):
        _labels(w, node, e)
    elif e.kind == "document":
        w.add(node, "rdfs:label", w.zh(e.label))


def _add_document(w: _Writer, ex: Extraction, res: Resolution) -> None:
    doc = ex.document
    meta = ex.parsed.metadata
    doc_key = res.documents[doc.doc_id]
    node = iri(doc_key)
    w.add(node, "dcterms:title", w.zh(meta.title))
    w.add(node, "dcterms:identifier", w.lit(meta.doc_number))
    w.add(node, "dcterms:issued", w.lit(meta.date, "date"))
    w.add(node, "vet:adminLevel", w.lit(meta.admin_level))
    w.add(node, "vet:sourceId", w.lit(doc.doc_id))
    w.add(node, "vet:checksum", w.lit(doc.checksum))
    w.add(node, "vet:sourceFormat", w.lit(f"{doc.format};{doc.encoding}"))

    def measure_node(key: Optional[str]) -> str:
        return iri(("measure", *doc_key[1:], key)) if key else node

    for m in ex.parsed.measures:
        mn = measure_node(m.key)
        w.a(mn, w.vocab["measure"])
        w.add(mn, "vet:measureKey", w.lit(m.key))
        w.add(mn, "vet:measureLevel", w.lit(m.level))
        w.add(mn, "vet:heading", w.zh(doc.slice(m.heading).strip()))
        w.add(mn, "rdfs:label", w.zh(doc.slice(m.heading).strip() or m.key))
        for word in ex.keywords.get(m.key, ()):
            w.add(mn, "vet:keyword", w.zh(word))

    def evidence(span: Span, sentence: Span, measure: Optional[str]) -> str:
        ev = iri(("evidence", *doc_key[1:], str(span.start), str(span.end)))
        w.a(ev, "vet:Evidence")
        w.add(ev, "vet:document", node)
        if measure:
            w.add(ev, "vet:inMeasure", measure_node(measure))
        w.add(ev, "vet:startOffset", w.lit(span.start, "nonNegativeInteger"))
        w.add(ev, "vet:endOffset", w.lit(span.end, "nonNegativeInteger"))
        w.add(ev, "vet:quote", w.zh(doc.slice(span)))
        w.add(ev, "vet:sentence", w.zh(doc.slice(sentence)))
        w.add(ev, "vet:sentenceStart", w.lit(sentence.start, "nonNegativeInteger"))
        w.add(ev, "vet:sentenceEnd", w.lit(sentence.end, "nonNegativeInteger"))
        return ev

    def assertion(s: str, prop: str, o: str, ev: str, role: Optional[str] = None) -> None:
        w.add(s, prop, o)
        a = iri(("assertion", s, prop, o, ev))
        w.a(a, ontology.assertion_classes()[prop])
        w.a(a, "vet:Assertion")
        w.add(a, "vet:assertedSubject", s)
        w.add(a, "vet:assertedPredicate", prop)
        w.add(a, "vet:assertedObject", o)
        w.add(a, "vet:role", role)
        w.add(a, "prov:wasDerivedFrom", ev)

    mentions_prop = w.vocab["mentions"]
    for i, m in enumerate(ex.mentions):
        key = res.mentions.get((doc.doc_id, i))
        if key is None:
            continue
        target = iri(key)
        if m.entity == "indicator":
            _add_indicator(w, target, m)
            if m.measure:
                continue  # stated by its measure: the targets relation carries it
        ev = evidence(m.span, m.sentence, m.measure)
        assertion(measure_node(m.measure), mentions_prop, target, ev)

    for i, r in enumerate(ex.relations):
        s_key = res.subjects.get((doc.doc_id, i))
        o_key = res.objects.get((doc.doc_id, i))
        if s_key is None or o_key is None:
            continue
        prop = w.vocab[r.predicate]
        s, o = iri(s_key), iri(o_key)
        ev = evidence(r.evidence, r.sentence, r.measure)
        role = None
        if r.predicate == "responsible_for":
            lead = r.attrs.get("role") == "lead"
            role = "vet:Lead" if lead else "vet:Responsible"
            if lead:
                w.add(s, "vet:leads", o)
        assertion(s, prop, o, ev, role)


def _add_indicator(w: _Writer, node: str, m) -> None:
    at = m.attrs
    w.a(node, w.vocab["indicator"])
    w.add(node, "rdfs:label", w.zh(at.get("text") or m.name))
    w.add(node, "vet:subject", w.zh(at.get("subject")))
    w.add(node, "vet:value", w.lit(at.get("value"), "decimal"))
    w.add(node, "vet:valueMax", w.lit(at.get("value_max"), "decimal"))
    w.add(node, "vet:unit", w.lit(at.get("unit")))
    w.add(node, "vet:comparator", w.lit(at.get("comparator")))
    if at.get("year"):
        w.add(node, "vet:targetYear", w.lit(str(at["year"]), "gYear"))
    unit = _qudt_units().get(at.get("unit") or "")
    if unit and at.get("value") is not None:
        w.add(node, "qudt:numericValue", w.lit(Decimal(str(at["value"])) * unit[1], "decimal"))
        w.add(node, "qudt:unit", unit[0])


# --- serialisation ----------------------------------------------------------------------

FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}


def _canonical_jsonld(text: str) -> str:
    """rdflib's JSON-LD with nodes ordered by ``@id`` and every value list sorted, so the
    same graph always gives the same bytes."""
    import json

    def order(value):
        if isinstance(value, dict):
            return {k: order(v) for k, v in value.items()}
        if isinstance(value, list):
            items = [order(v) for v in value]
            return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
        return value

    data = order(json.loads(text))
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def serialize(graph, fmt: str) -> str:
    """The graph as text in ``fmt`` (``ttl``, ``nt`` or ``jsonld``), byte-identical for the
    same graph: N-Triples lines are sorted, Turtle and JSON-LD are written in rdflib's
    sorted subject order."""
    if fmt == "nt":
        lines = graph.serialize(format="nt").splitlines()
        return "\n".join(sorted(ln for ln in lines if ln.strip())) + "\n"
    if fmt == "jsonld":
        return _canonical_jsonld(graph.serialize(format="json-ld", context=dict(PREFIXES)))
    if fmt == "ttl":
        return graph.serialize(format="turtle")
    raise ValueError(f"unknown graph format {fmt!r} (one of {', '.join(FORMATS)})")
