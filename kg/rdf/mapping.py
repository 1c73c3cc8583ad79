"""Build the RDF knowledge graph from extractions (the stage after entity resolution).

One node per real entity (IRIs minted from :mod:`kg.resolution.entities` keys), every relation both
as a direct triple and as a qualified :class:`vet:Assertion` node that carries its role
and ``prov:wasDerivedFrom`` a ``vet:Evidence`` node (document, character offsets, quoted
clause, sentence). IRIs are deterministic and never contain raw text: keys are hashed.

The graph is written as text, document by document, so a corpus never has to fit in
memory: :func:`document_graph` is the pure per-document part (its triples as N-Triples
and Turtle, what it says of shared entities, the sketches of its measures), and
:class:`CorpusGraph` streams those to files and adds, at the end, what needs the whole
corpus — the shared entities with their labels counted over every document, citations
by title resolved to built documents, and the diffusion links. Small graphs are then
read into rdflib (:func:`build_graph`); large ones are bulk-loaded into Oxigraph.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import rdflib
from rdflib.namespace import RDF, SKOS
from rdflib.term import Identifier

from kg.core.lexicon import load_tsv
from kg.core.model import Extraction, Mention, Span
from kg.rdf import ontology
from kg.resolution.entities import (
    Entity,
    Key,
    Resolution,
    cited_ref,
    department_key,
    is_cited_ref,
    mention_ref,
    normalize_name,
    real_doc_number,
    relation_ref,
    resolve_document,
)
from kg.resolution.entities import split_issuers as split_printed_issuers
from kg.resolution.similarity import Sketches

PREFIXES = {
    "vet": ontology.VET,
    "vfn": ontology.FUNCTION,
    "vkg": ontology.RESOURCE,
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "qudt": "http://qudt.org/schema/qudt/",
    "unit": "http://qudt.org/vocab/unit/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "oa": "http://www.w3.org/ns/oa#",
}
_SAFE_KEY_RE = re.compile(r"^[A-Za-z0-9.]{1,40}$")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_NNI = PREFIXES["xsd"] + "nonNegativeInteger"


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
    return {r["unit"]: (PREFIXES["unit"] + r["qudt"], Decimal(r["scale"])) for r in load_tsv("units_qudt.tsv")}


ELI = PREFIXES["eli"]
WIKIDATA = "http://www.wikidata.org/entity/"
REGION_WIKIDATA = "region_wikidata.tsv"
NATIONAL_DOCUMENTS = "national_documents.tsv"
# What a document says it does to another work → the ELI property that states it.
_CHANGE_PROPERTIES = {"repeals": ELI + "repeals", "amends": ELI + "amends", "amended_by": ELI + "amended_by"}


@lru_cache(maxsize=1)
def region_wikidata() -> dict[str, str]:
    """Admin code (``410000``) → the division's Wikidata item IRI, from the table shipped
    as data (``kg/data/region_wikidata.tsv``, which names its source): no network."""
    return {r["admin_code"]: WIKIDATA + r["wikidata"] for r in load_tsv(REGION_WIKIDATA) if r["wikidata"]}


def national_documents() -> tuple[dict[str, str], ...]:
    """The reference table of national documents (``kg/data/national_documents.tsv``):
    文号, title, aliases, issuer, date (成文) and publication date; empty cells as ""."""
    return load_tsv(NATIONAL_DOCUMENTS)


@lru_cache(maxsize=1)
def _national_index() -> dict[str, dict[str, str]]:
    """The table's rows by normalised 文号 and by normalised title and alias."""
    out: dict[str, dict[str, str]] = {}
    for row in national_documents():
        number = real_doc_number(row["doc_number"])
        if number:
            out.setdefault("n:" + number, row)
        for title in [row["title"], *row["aliases"].split("|")]:
            if title.strip():
                out.setdefault("t:" + normalize_name(title.strip()), row)
    return out


def national_document(number: str | None, title: str | None) -> dict[str, str] | None:
    """The reference row of a national document cited by 文号 or title, if the table has it."""
    index = _national_index()
    n = real_doc_number(number)
    if n and "n:" + n in index:
        return index["n:" + n]
    return index.get("t:" + normalize_name(title)) if title else None


@lru_cache(maxsize=1)
def genre_concepts() -> dict[str, str]:
    """Genre (``实施意见``: its skos:notation) → its concept in vet:DocumentGenreScheme."""
    onto = ontology.load()
    scheme = rdflib.URIRef(ontology.VET + "DocumentGenreScheme")
    return {str(onto.value(c, SKOS.notation)): str(c) for c in onto.subjects(SKOS.inScheme, scheme)}


# --- terms and triples as text ----------------------------------------------------------

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile('[\\\\"\x00-\x1f\x7f\ud800-\udfff]')
_TURTLE_LOCAL = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def _escape(m: re.Match) -> str:
    c = m.group()
    if c in _ESCAPES:
        return _ESCAPES[c]
    if "\ud800" <= c <= "\udfff":  # a lone surrogate cannot be written as UTF-8
        return "\\uFFFD"
    return f"\\u{ord(c):04X}"


class Literal(str):
    """An RDF literal, already in N-Triples (and Turtle) syntax."""


def literal(text: str, lang: str | None = None, datatype: str | None = None) -> Literal:
    body = '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'
    if lang:
        return Literal(f"{body}@{lang}")
    if datatype:
        return Literal(f"{body}^^<{PREFIXES['xsd']}{datatype}>")
    return Literal(body)


@lru_cache(maxsize=4096)
def _vocab_term(name: str) -> str:
    """``<IRI>`` of a curie (``vet:Measure``) or full IRI of the vocabulary."""
    if name.startswith("http"):
        return f"<{name}>"
    prefix, local = name.split(":", 1)
    return f"<{PREFIXES[prefix]}{local}>"


@lru_cache(maxsize=4096)
def _turtle_term(term: str) -> str:
    """A vocabulary ``<IRI>`` as a prefixed name when Turtle allows one, else as is."""
    for prefix, ns in PREFIXES.items():
        if term.startswith("<" + ns):
            local = term[len(ns) + 1 : -1]
            if _TURTLE_LOCAL.match(local):
                return f"{prefix}:{local}"
    return term


class Triples:
    """Triples of one part of the graph, as N-Triples terms, in the order added."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, str], None] = {}  # ordered, each triple once
        self.deferred: list[tuple[str, str, Key]] = []  # objects resolved with the corpus
        self.vocab = ontology.vocabulary()

    def add(self, s: str, p: str, o: str | None) -> None:
        """``s``: a resource IRI; ``p``: a curie or IRI; ``o``: a :class:`Literal`, a
        resource IRI or a vocabulary curie; ``None`` adds nothing."""
        if o is None:
            return
        if not isinstance(o, Literal):
            o = f"<{o}>" if o.startswith(ontology.RESOURCE) else _vocab_term(o)
        self.rows[(f"<{s}>", _vocab_term(p), o)] = None

    def row(self, s: str, p: str, o: str) -> None:
        """A triple of terms already in N-Triples syntax (each triple is kept once)."""
        self.rows[(s, p, o)] = None

    def defer(self, s: str, p: str, key: Key) -> None:
        t = (f"<{s}>", _vocab_term(p), key)
        if t not in self.deferred:
            self.deferred.append(t)

    def a(self, s: str, cls: str) -> None:
        self.add(s, RDF_TYPE, cls)

    @staticmethod
    def zh(text: str | None) -> Literal | None:
        return literal(text, lang="zh") if text else None

    @staticmethod
    def lit(value: str | int | float | Decimal | None, datatype: str = "string") -> Literal | None:
        if value is None:
            return None
        if datatype == "string":  # a plain literal: RDF 1.1's xsd:string, as sh:in compares
            return literal(str(value))
        if type(value) is int and datatype == "nonNegativeInteger":  # offsets: most literals
            return Literal(f'"{value}"^^<{_XSD_NNI}>')
        if datatype == "decimal":
            value = format(Decimal(str(value)).normalize(), "f")
        return literal(str(value), datatype=datatype)

    def ntriples(self) -> str:
        return "".join(f"{s} {p} {o} .\n" for s, p, o in self.rows)

    def turtle(self) -> str:
        """The same triples in Turtle (statements of one subject grouped; no prefixes)."""
        out: list[str] = []
        last = None
        for s, p, o in self.rows:
            if not o.startswith('"'):
                o = _turtle_term(o)
            p = "a" if p == f"<{RDF_TYPE}>" else _turtle_term(p)
            if s == last:
                out.append(f" ;\n    {p} {o}")
            else:
                if last is not None:
                    out.append(" .\n")
                out.append(f"{s} {p} {o}")
                last = s
        if last is not None:
            out.append(" .\n")
        return "".join(out)


def turtle_prefixes() -> str:
    return "".join(f"@prefix {k}: <{v}> .\n" for k, v in sorted(PREFIXES.items())) + "\n"


def similarity_node(a: str, b: str) -> str:
    """The IRI of the ``vet:Similarity`` node of measures ``a`` and ``b`` (a < b)."""
    digest = hashlib.sha1(f"{a}\x1f{b}".encode()).hexdigest()[:20]
    return f"{ontology.RESOURCE}similarity/{digest}"


# --- one document ------------------------------------------------------------------------


@dataclass
class DocumentGraph:
    """The graph of one document, as text, and what the corpus needs to finish it."""

    doc_id: str
    key: Key
    number: str | None
    title: str | None
    ntriples: str
    turtle: str | None  # None when not asked for
    triples: int
    deferred: list[tuple[str, str, Key]] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)  # this document's view of shared entities
    # its measures' (measure, document, evidence, text, start): the similarity sketches and the text reuse
    texts: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    sketches: Sketches | None = None  # their MinHash sketches, added by the corpus stage


def document_graph(ex: Extraction, *, turtle: bool = True) -> DocumentGraph:
    """The per-document part of the graph: a pure function of one extraction (its
    Turtle only if ``turtle``: large builds write N-Triples alone)."""
    res = Resolution()
    resolve_document(res, ex)
    w = Triples()
    texts: list[tuple[str, str, str, str, int]] = []
    _add_document(w, ex, res, texts)
    meta = ex.parsed.metadata
    return DocumentGraph(
        ex.document.doc_id,
        res.documents[ex.document.doc_id],
        meta.doc_number,
        meta.title,
        w.ntriples(),
        w.turtle() if turtle else None,
        len(w.rows),
        w.deferred,
        [e for e in res.entities.values() if e.kind != "indicator"],
        texts,
    )


def load_rdflib(ntriples: str) -> rdflib.Graph:
    """An ``rdflib.Graph`` of N-Triples text, with the project's prefixes bound."""
    graph = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, rdflib.Namespace(ns), override=True)
    graph.parse(data=ntriples, format="nt")
    return graph


def _add_concepts(w: Triples) -> None:
    """The ontology's SKOS concepts (department functions, roles) and their schemes, so
    the graph answers ``vet:function/skos:notation`` without the ontology loaded."""
    onto = ontology.load()
    nodes = {
        n
        for cls in (SKOS.Concept, SKOS.ConceptScheme)
        for n in onto.subjects(RDF.type, cls)
        if isinstance(n, Identifier)
    }  # every subject is one (URIRef or BNode)
    for node in sorted(nodes):
        pairs = [
            (p, o) for p, o in onto.predicate_objects(node) if isinstance(p, Identifier) and isinstance(o, Identifier)
        ]
        for p, o in sorted(pairs):
            if p == rdflib.RDFS.comment:
                continue
            term: str
            if isinstance(o, rdflib.Literal):
                term = literal(str(o), lang=o.language, datatype=str(o.datatype).split("#")[-1] if o.datatype else None)
            else:
                term = f"<{o}>"
            w.row(f"<{node}>", f"<{p}>", term)


def _labels(w: Triples, node: str, entity: Entity) -> None:
    w.add(node, "skos:prefLabel", w.zh(entity.label))
    for label in sorted(entity.labels):
        w.add(node, "rdfs:label", w.zh(label))


def _add_entity(w: Triples, e: Entity, display: str | None = None) -> None:
    """The entity's triples; ``display``, the label that tells it apart from namesakes
    (:func:`kg.resolution.entities.display_label`), when the corpus is known."""
    node = iri(e.key)
    v = w.vocab
    if display and e.kind in ("department", "collective"):  # the kinds whose names repeat across regions
        w.add(node, "vet:displayLabel", w.zh(display))
    if e.kind == "department":
        w.a(node, v["department"])
        w.a(node, "vet:Actor")
        w.a(node, "org:Organization")
        w.add(node, "vet:function", ontology.functions().get(e.attrs.get("function", "other")))
        w.add(node, "org:classification", ontology.functions().get(e.attrs.get("function", "other")))
        if e.attrs.get("jurisdiction"):
            w.add(node, "vet:jurisdiction", iri(e.attrs["jurisdiction"]))
        else:  # a body of a document whose region is unknown: scoped by that document
            w.add(node, "vet:scopeDocument", iri(e.attrs["scope_document"]))
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
        # the same division in Wikidata, by its code: skos:exactMatch, not owl:sameAs,
        # which would merge every statement of either node into the other (docs/identity.md)
        w.add(node, "skos:exactMatch", region_wikidata().get(e.attrs.get("admin_code") or ""))
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
            # a national document the corpus cites but does not hold: its dates from the
            # reference table, saying so (the lag of an implementation chain needs them)
            row = national_document(e.attrs.get("doc_number"), e.label)
            if row and (row["date"] or row["published"]):
                w.add(node, "dcterms:issued", w.lit(row["date"] or None, "date"))
                w.add(node, "eli:date_document", w.lit(row["date"] or None, "date"))
                w.add(node, "eli:date_publication", w.lit(row["published"] or None, "date"))
                w.add(node, "vet:dateSource", w.lit(NATIONAL_DOCUMENTS))
        for issuer in e.attrs.get("issuers", ()):
            w.add(node, "vet:issuedBy", iri(issuer))
            w.add(node, "eli:passed_by", iri(issuer))
        if e.attrs.get("jurisdiction"):
            w.add(node, "vet:jurisdiction", iri(e.attrs["jurisdiction"]))
    if e.kind in ("department", "institution", "program", "collective", "region"):
        _labels(w, node, e)
    elif e.kind == "document":
        w.add(node, "rdfs:label", w.zh(e.label))


def _add_document(w: Triples, ex: Extraction, res: Resolution, texts: list[tuple[str, str, str, str, int]]) -> None:
    """The document's own triples; ``texts`` receives (measure, document, evidence, text,
    start offset) of every measure, for the diffusion sketches and the text reuse."""
    doc = ex.document
    meta = ex.parsed.metadata
    doc_key = res.documents[doc.doc_id]
    node = iri(doc_key)
    w.add(node, "dcterms:title", w.zh(meta.title))
    w.add(node, "eli:title", w.zh(meta.title))
    w.add(node, "dcterms:identifier", w.lit(meta.doc_number))
    w.add(node, "eli:id_local", w.lit(meta.doc_number))
    w.add(node, "dcterms:issued", w.lit(meta.date, "date"))
    w.add(node, "eli:date_document", w.lit(meta.date, "date"))
    w.add(node, "eli:date_publication", w.lit(meta.date_published, "date"))
    w.add(node, "eli:first_date_entry_in_force", w.lit(meta.date_in_force, "date"))
    w.add(node, "eli:date_no_longer_in_force", w.lit(meta.date_expires, "date"))
    w.add(node, "eli:type_document", genre_concepts().get(meta.genre or ""))
    w.add(node, "vet:issuerCount", w.lit(meta.issuer_count, "nonNegativeInteger"))
    w.add(node, "vet:adminLevel", w.lit(meta.admin_level))
    w.add(node, "vet:sourceId", w.lit(doc.doc_id))
    _listed_issuers(ex, res, doc_key)
    # The work (node) is realised by its Chinese expression, embodied by each file read:
    # a re-posted copy is one work with two files, each with its checksum and its offsets.
    expression = iri(("expression", *doc_key[1:], "zho"))
    w.a(expression, "eli:LegalExpression")
    w.add(expression, "eli:realizes", node)
    w.add(node, "eli:is_realized_by", expression)
    w.add(expression, "eli:language", "http://publications.europa.eu/resource/authority/language/ZHO")
    source = iri(("file", doc.checksum))
    w.a(source, "eli:Format")
    w.a(source, "vet:SourceFile")
    w.add(source, "eli:embodies", expression)
    w.add(source, "vet:fileId", w.lit(doc.doc_id))
    w.add(source, "vet:checksum", w.lit(doc.checksum))
    w.add(source, "vet:sourceFormat", w.lit(f"{doc.format};{doc.encoding}"))

    # A key that names no measure is the lead of a unit whose items are the measures
    # (``第三十三条 …并处…罚款：（一）…``, docs/annotation.md §10): what it states belongs to the document.
    declared = {measure.key for measure in ex.parsed.measures}

    def measure_node(key: str | None) -> str:
        return iri(("measure", *doc_key[1:], key)) if key in declared else node

    for measure in ex.parsed.measures:
        mn = measure_node(measure.key)
        w.a(mn, w.vocab["measure"])
        if mn != node:
            w.a(mn, "eli:LegalResourceSubdivision")
            w.add(mn, "eli:is_part_of", node)
        w.add(mn, "vet:measureKey", w.lit(measure.key))
        w.add(mn, "vet:measureLevel", w.lit(measure.level))
        w.add(mn, "vet:heading", w.zh(doc.slice(measure.heading).strip()))
        w.add(mn, "rdfs:label", w.zh(doc.slice(measure.heading).strip() or measure.key))
        for word in ex.keywords.get(measure.key, ()):
            w.add(mn, "vet:keyword", w.zh(word))

    written: dict[tuple, str] = {}  # evidence already written (many facts share a span)

    def evidence(span: Span, sentence: Span, measure: str | None) -> str:
        seen = (span.start, span.end, sentence.start, sentence.end, measure)
        if seen in written:
            return written[seen]
        ev = written[seen] = iri(("evidence", doc.checksum, str(span.start), str(span.end)))
        w.a(ev, "vet:Evidence")
        w.add(ev, "vet:document", node)
        w.add(ev, "vet:sourceFile", source)
        if measure in declared:
            w.add(ev, "vet:inMeasure", measure_node(measure))
        w.add(ev, "vet:startOffset", w.lit(span.start, "nonNegativeInteger"))
        w.add(ev, "vet:endOffset", w.lit(span.end, "nonNegativeInteger"))
        w.add(ev, "vet:quote", w.zh(doc.slice(span)))
        w.add(ev, "vet:sentence", w.zh(doc.slice(sentence)))
        w.add(ev, "vet:sentenceStart", w.lit(sentence.start, "nonNegativeInteger"))
        w.add(ev, "vet:sentenceEnd", w.lit(sentence.end, "nonNegativeInteger"))
        # The evidence node is itself the W3C Web Annotation selector of its file's text
        # (both kinds at once: five triples, no second node): a Web Annotation client
        # targets [ oa:hasSource <its vet:sourceFile> ; oa:hasSelector <it> ].
        w.a(ev, "oa:TextPositionSelector")
        w.a(ev, "oa:TextQuoteSelector")
        w.add(ev, "oa:start", w.lit(span.start, "nonNegativeInteger"))
        w.add(ev, "oa:end", w.lit(span.end, "nonNegativeInteger"))
        w.add(ev, "oa:exact", w.lit(doc.slice(span)))  # xsd:string, the vocabulary's range
        return ev

    def assertion(s: str, prop: str, o_key: Key, ev: str, role: str | None = None) -> None:
        o = iri(o_key)
        a = iri(("assertion", s, prop, o, ev))
        if is_cited_ref(o_key):  # which node it is depends on the corpus: written at the end
            w.defer(s, prop, o_key)
            w.defer(a, "vet:assertedObject", o_key)
        else:
            w.add(s, prop, o)
            w.add(a, "vet:assertedObject", o)
        w.a(a, ontology.assertion_classes()[prop])
        w.a(a, "vet:Assertion")
        w.add(a, "vet:assertedSubject", s)
        w.add(a, "vet:assertedPredicate", prop)
        w.add(a, "vet:role", role)
        w.add(a, "prov:wasDerivedFrom", ev)

    # What the document repeals or amends: a relation between works, qualified by the
    # clause that states it (the other work is resolved with the corpus, like a citation).
    for change in meta.changes:
        work = cited_ref(change["title"], change["doc_number"])
        earlier = real_doc_number(change["doc_number"])
        if earlier and normalize_name(change["title"]) == normalize_name(meta.title or ""):
            # an earlier version under the same title (原《…》(文号) 同时废止): by its 文号
            # alone, or the corpus would resolve the title to this very document
            work = ("document", "number", earlier)
        res.add("document", work, change["title"], cited=True, doc_number=change["doc_number"])
        at = change["span"].start
        in_measure = next((m.key for m in ex.parsed.measures if m.span.start <= at < m.span.end), None)
        ev = evidence(change["span"], change["sentence"], in_measure)
        assertion(node, _CHANGE_PROPERTIES[change["relation"]], work, ev)

    mentions_prop = w.vocab["mentions"]
    for m in ex.mentions:
        key = res.mentions.get(mention_ref(doc.doc_id, m))
        if key is None:
            continue
        target = iri(key)
        if m.entity == "indicator":
            _add_indicator(w, target, m)
            if m.measure:
                continue  # stated by its measure: the targets relation carries it
        ev = evidence(m.span, m.sentence, m.measure)
        assertion(measure_node(m.measure), mentions_prop, key, ev)

    for r in ex.relations:
        ref = relation_ref(doc.doc_id, r)
        s_key = res.subjects.get(ref)
        o_key = res.objects.get(ref)
        if s_key is None or o_key is None:
            continue
        prop = w.vocab[r.predicate]
        s, o = iri(s_key), iri(o_key)
        ev = evidence(r.evidence, r.sentence, r.measure)
        if r.predicate == "targets" and r.subject not in declared:  # a unit's lead: see measure_node
            assertion(node, mentions_prop, o_key, ev)
            continue
        role = None
        if r.predicate == "responsible_for":
            lead = r.attrs.get("role") == "lead"
            role = "vet:Lead" if lead else "vet:Responsible"
            if lead:
                w.add(s, "vet:leads", o)
        assertion(s, prop, o_key, ev, role)
        if r.predicate == "part_of":
            texts.append((s, node, ev, doc.slice(r.evidence), r.evidence.start))


def _listed_issuers(ex: Extraction, res: Resolution, doc_key: Key) -> None:
    """A joint document whose signature lists its issuers (``教育部等8部门``: the eight
    signatories) is issued by each of them, not by the joint name: the document's
    issuers become the listed bodies, and the joint name's node goes unless something
    else names it."""
    meta = ex.parsed.metadata
    if not meta.issuers or meta.issuers == split_printed_issuers(meta.issuer):
        return
    own = res.regions.get(ex.document.doc_id)
    listed = tuple(sorted({department_key(name, own, res, doc_key) for name in meta.issuers}))
    document = res.entities[doc_key]
    printed = document.attrs.get("issuers", ())
    document.attrs["issuers"] = listed
    named = set(res.mentions.values()) | set(res.subjects.values()) | set(res.objects.values())
    for key in printed:
        if key not in listed and key not in named:
            del res.entities[key]


def _add_indicator(w: Triples, node: str, m: Mention) -> None:
    at = m.attrs
    w.a(node, w.vocab["indicator"])
    w.add(node, "rdfs:label", w.zh(at.get("text") or m.name))
    w.add(node, "vet:subject", w.zh(at.get("subject")))
    w.add(node, "vet:value", w.lit(at.get("value"), "decimal"))
    w.add(node, "vet:valueMax", w.lit(at.get("value_max"), "decimal"))
    w.add(node, "vet:unit", w.lit(at.get("unit")))
    w.add(node, "vet:comparator", w.lit(at.get("comparator")))
    year = at.get("year")
    if year:
        w.add(node, "vet:targetYear", w.lit(year, "integer"))
    unit = _qudt_units().get(at.get("unit") or "")
    if unit and at.get("value") is not None:
        w.add(node, "qudt:numericValue", w.lit(Decimal(str(at["value"])) * unit[1], "decimal"))
        w.add(node, "qudt:unit", unit[0])


# --- serialisation ----------------------------------------------------------------------

FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}


def _canonical_jsonld(text: str) -> str:
    """rdflib's JSON-LD with nodes ordered by ``@id`` and every value list sorted, so the
    same graph always gives the same bytes."""

    def order(value):
        if isinstance(value, dict):
            return {k: order(v) for k, v in value.items()}
        if isinstance(value, list):
            items = [order(v) for v in value]
            return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
        return value

    data = order(json.loads(text))
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def serialize(graph: rdflib.Graph, fmt: str) -> str:
    """An rdflib graph as text in ``fmt`` (``ttl``, ``nt`` or ``jsonld``), byte-identical
    for the same graph: N-Triples lines are sorted, Turtle and JSON-LD are written in
    rdflib's sorted subject order."""
    if fmt == "nt":
        lines = graph.serialize(format="nt").splitlines()
        return "\n".join(sorted(ln for ln in lines if ln.strip())) + "\n"
    if fmt == "jsonld":
        return _canonical_jsonld(graph.serialize(format="json-ld", context=dict(PREFIXES)))
    if fmt == "ttl":
        return graph.serialize(format="turtle")
    raise ValueError(f"unknown graph format {fmt!r} (one of {', '.join(FORMATS)})")
