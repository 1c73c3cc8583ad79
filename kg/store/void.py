"""A VoID description of a served graph, counted through the engine (``vetkg serve``
answers it at ``/.well-known/void`` when the build folder holds no ``void.ttl`` of its own).

A linked-data client learns from it what the endpoint holds before it asks: how many
triples, entities, classes and properties, which vocabularies, where the IRIs live and
where the SPARQL endpoint is. The counts are SPARQL queries run like any other, under the
server's time limit; a count the limit stops is left out rather than guessed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.errors import QueryError
from kg.rdf.namespaces import PREFIXES, RESOURCE, VET, XSD
from kg.store.results import Result

VOID = "http://rdfs.org/ns/void#"
DCTERMS = PREFIXES["dcterms"]
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
FORMATS = "http://www.w3.org/ns/formats/"
ONTOLOGY = VET.rstrip("#")
# Prefixes for the Turtle the server writes; not the graph's own base (``vkg:``): its local
# names hold slashes, which Turtle can only write escaped.
TURTLE_PREFIXES = {
    **{p: ns for p, ns in PREFIXES.items() if ns != RESOURCE},
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "void": VOID,
    "dcat": "http://www.w3.org/ns/dcat#",
}

_COUNTS = {
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "entities": f'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{RESOURCE}")) }}',
    "distinctSubjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
    "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }",
}
_CLASSES = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"
_PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"
_EXAMPLE = f"SELECT ?d WHERE {{ ?d a <{VET}PolicyDocument> ; <{VET}sourceId> ?id }} ORDER BY ?id LIMIT 1"


@dataclass
class GraphStatistics:
    """What was counted (a count the time limit stopped is absent)."""

    counts: dict[str, int] = field(default_factory=dict)
    classes: list[tuple[str, int]] = field(default_factory=list)
    properties: list[tuple[str, int]] = field(default_factory=list)
    example: str | None = None


def gather(select: Callable[[str], Result]) -> GraphStatistics:
    """Count the graph with ``select`` (a query through the server's engine)."""
    stats = GraphStatistics()
    for name, query in _COUNTS.items():
        try:
            stats.counts[name] = int(select(query).rows[0][0].value)  # type: ignore[union-attr]
        except (QueryError, IndexError, AttributeError, ValueError):
            continue
    for query, target in ((_CLASSES, stats.classes), (_PROPERTIES, stats.properties)):
        try:
            result = select(query)
        except QueryError:
            continue
        target.extend((row[0].value, int(row[1].value)) for row in result.rows if row[0] and row[1])
    try:
        rows = select(_EXAMPLE).rows
        stats.example = rows[0][0].value if rows and rows[0][0] else None
    except QueryError:
        pass
    if "classes" not in stats.counts and stats.classes:
        stats.counts["classes"] = len(stats.classes)
    return stats


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut > 0 else iri


def void_turtle(stats: GraphStatistics, endpoint: str, dataset: str) -> str:
    """The description as Turtle: ``dataset`` (an IRI) described, queried at ``endpoint``."""
    ds = ox.NamedNode(dataset)
    triples: list[ox.Triple] = []

    def add(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        triples.append(ox.Triple(s, ox.NamedNode(p), o))

    def integer(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))

    add(ds, RDF_TYPE, ox.NamedNode(VOID + "Dataset"))
    add(ds, DCTERMS + "title", ox.Literal("vetkg knowledge graph", language="en"))
    add(ds, DCTERMS + "title", ox.Literal("职业教育政策知识图谱", language="zh"))
    add(ds, VOID + "sparqlEndpoint", ox.NamedNode(endpoint))
    add(ds, VOID + "uriSpace", ox.Literal(RESOURCE))
    add(ds, DCTERMS + "conformsTo", ox.NamedNode(ONTOLOGY))
    for fmt in ("Turtle", "JSON-LD", "N-Triples"):
        add(ds, VOID + "feature", ox.NamedNode(FORMATS + fmt))
    for name, n in stats.counts.items():
        add(ds, VOID + name, integer(n))
    if stats.example:
        add(ds, VOID + "exampleResource", ox.NamedNode(stats.example))
    vocabularies = {ONTOLOGY} | {_namespace(p) for p, _ in stats.properties if _namespace(p) != VET}
    for vocabulary in sorted(vocabularies):
        add(ds, VOID + "vocabulary", ox.NamedNode(vocabulary))
    for cls, n in stats.classes:
        part = ox.NamedNode(f"{dataset}-class-{hashlib.sha1(cls.encode()).hexdigest()[:12]}")
        add(ds, VOID + "classPartition", part)
        add(part, VOID + "class", ox.NamedNode(cls))
        add(part, VOID + "entities", integer(n))
    for prop, n in stats.properties:
        part = ox.NamedNode(f"{dataset}-property-{hashlib.sha1(prop.encode()).hexdigest()[:12]}")
        add(ds, VOID + "propertyPartition", part)
        add(part, VOID + "property", ox.NamedNode(prop))
        add(part, VOID + "triples", integer(n))
    triples.sort(key=lambda t: (t.subject != ds, str(t.subject)))  # stable: each subject's triples together
    return (ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES) or b"").decode("utf-8")


def with_endpoint(turtle: bytes, endpoint: str) -> str:
    """A build's own ``void.ttl`` with ``void:sparqlEndpoint`` added to each dataset it
    describes (the build cannot know where it will be served); QueryError if it does not
    parse."""
    try:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(turtle, format=ox.RdfFormat.TURTLE)]
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"the build's void.ttl does not parse: {exc}") from None
    dataset_class = ox.NamedNode(VOID + "Dataset")
    datasets = {t.subject for t in triples if t.predicate.value == RDF_TYPE and t.object == dataset_class}
    for ds in sorted(datasets, key=str):
        extra = ox.Triple(ds, ox.NamedNode(VOID + "sparqlEndpoint"), ox.NamedNode(endpoint))
        if extra not in triples:
            triples.append(extra)
    return (ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES) or b"").decode("utf-8")
