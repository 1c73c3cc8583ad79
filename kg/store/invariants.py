"""The graph's invariants, checked as SPARQL on the store.

The README promises things about every graph vetkg builds: a direct triple and its
qualified assertion come together, a lead role goes with ``vet:leads``, a quote is the text
at its offsets, one policy is one node. The SHACL shapes state most of them too, but
pySHACL needs minutes per 100,000 triples (hours at 10,000 documents); the same checks as
SPARQL on Oxigraph take seconds, so every build can run them.

Each invariant is a SELECT whose every row is a violation. Absence is written with MINUS
(a hash anti-join), not FILTER NOT EXISTS, which Oxigraph evaluates row by row: 0.1 s
instead of 5 s on the seeds. Several properties of one node are joined as subqueries
(:func:`kg.store.joins.scan`), which Oxigraph hash-joins, not as one basic graph pattern, which it
evaluates as a loop of index lookups: on 1,000 generated documents (7.6 million triples)
the ten checks went from 413 s to 46 s (a machine under load). Every build runs them
(:mod:`kg.corpus.publish`).

What grows faster than the corpus is a join whose key is shared by many nodes: the 文号
check joined every pair of nodes in one region (0.2 s at 200 documents, 14.5 s at 1,000),
the measure check looked each measure's ``vet:partOf`` up (0.5 s, 9.7 s; 59 s at 10,000).
Now both join per-node subqueries (0.1 s at 1,000, 1.2 s at 10,000). The lead-role checks
start from the few lead roles, yet still grow faster than the corpus (0.2 s at 1,000, 14 s
and 9 s at 10,000). Measured check by check on two cores shared with other jobs:
1,000 generated documents (7.9 million triples) 29 s before, 19 s after (load 1–2; 121 s
and 74 s at load 5–7); 10,000 (75.8 million triples, a 5.5 GB store) 478 s, where the old
checks were stopped after 39 minutes. At 10,000 the two evidence-text checks are two
thirds of it (quote at its offsets 218 s, selector 127 s): they decode 2.4 million quotes
and sentences from the store, some 20 µs a string. That part is per document and could
move to the document stage.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox

from kg.store.joins import scan, scans
from kg.store.results import Result


class Queryable(Protocol):
    """Any of vetkg's stores (embedded, on disk, an endpoint)."""

    def query(self, text: str) -> Result: ...


_VET = "https://w3id.org/vetkg/ontology#"
_PREFIXES = """
PREFIX vet: <https://w3id.org/vetkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
"""
# The direct properties that a vet:Assertion qualifies (vet:leads is qualified by the
# responsibility's role instead).
_QUALIFIED = "vet:responsibleFor vet:supports vet:targets vet:cites vet:mentions vet:partOf"
_CHANGES = "eli:repeals eli:amends eli:amended_by"  # relations between works, qualified too


@dataclass(frozen=True)
class Invariant:
    name: str
    statement: str  # the promise, as the README words it
    query: str  # every row a violation: ?focus and ?detail
    # Decided by the triples of the focus node's own document (its evidence, assertions,
    # measures, lead roles) and by the corpus part's links (:func:`links_hold`): a rebuild
    # checks these on the documents that changed and on those links only.
    per_document: bool = False


_OFFSETS = (("vet:startOffset", "?start"), ("vet:endOffset", "?end"))
_EVIDENCE = scans(
    "?focus",
    *_OFFSETS,
    ("vet:quote", "?quote"),
    ("vet:sentence", "?sentence"),
    ("vet:sentenceStart", "?sstart"),
    ("vet:sentenceEnd", "?send"),
)
_SELECTOR = scans(
    "?focus",
    ("a", "oa:TextPositionSelector"),
    ("a", "oa:TextQuoteSelector"),
    ("oa:start", "?start"),
    ("oa:end", "?end"),
    ("oa:exact", "?exact"),
    ("vet:quote", "?quote"),
)


# A built document's 文号 and region, joined on the document: as one basic graph pattern of
# two documents Oxigraph joined every pair of nodes in a region first (14 s at 1,000
# documents, growing with the square of the corpus), as subqueries it is 0.1 s.
def _work(w: str) -> str:
    pairs = (("vet:sourceId", f"{w}_id"), ("dcterms:identifier", "?n"), ("vet:jurisdiction", "?r"))
    return f"{{ SELECT {w} ?n ?r WHERE {{ {scans(w, *pairs)} }} }}"


INVARIANTS: tuple[Invariant, ...] = (
    Invariant(
        "direct_has_assertion",
        "every direct relation is also stated as a qualified assertion with its evidence",
        f"""SELECT ?focus ?detail WHERE {{
  VALUES ?p {{ {_QUALIFIED} }}
  ?focus ?p ?o .
  MINUS {{
  {scans("?a", ("vet:assertedSubject", "?focus"), ("vet:assertedPredicate", "?p"), ("vet:assertedObject", "?o"))}
  }}
  BIND(CONCAT(STR(?p), " ", STR(?o)) AS ?detail)
}}""",
        per_document=True,
    ),
    Invariant(
        "assertion_has_direct",
        "every qualified assertion has its direct triple",
        f"""SELECT ?focus ?detail WHERE {{
  {scans("?focus", ("vet:assertedSubject", "?s"), ("vet:assertedPredicate", "?p"), ("vet:assertedObject", "?o"))}
  MINUS {{ VALUES ?p {{ {_QUALIFIED} {_CHANGES} }} ?s ?p ?o }}  # the direct triples only, not the store
  BIND(STR(?p) AS ?detail)
}}""",
        per_document=True,
    ),
    Invariant(
        "assertion_has_evidence",
        "every qualified assertion is derived from evidence",
        f"""SELECT ?focus ?detail WHERE {{
  ?focus a vet:Assertion .
  MINUS {{ {scan("?focus", "prov:wasDerivedFrom", "?e")} {scan("?e", "a", "vet:Evidence")} }}
  BIND("no evidence" AS ?detail)
}}""",
        per_document=True,
    ),
    Invariant(
        "lead_role_has_leads",
        "a responsibility with the lead role comes with vet:leads",
        """SELECT ?focus ?detail WHERE {
  { SELECT ?focus WHERE { ?focus vet:role vet:Lead } }  # few: the lead roles drive the lookups
  ?focus vet:assertedPredicate vet:responsibleFor ; vet:assertedSubject ?s ; vet:assertedObject ?m .
  MINUS { ?s vet:leads ?m }
  BIND(STR(?m) AS ?detail)
}""",
        per_document=True,
    ),
    Invariant(
        "leads_has_lead_role",
        "vet:leads is stated only with a lead-role responsibility",
        """SELECT ?focus ?detail WHERE {
  ?focus vet:leads ?m .
  MINUS { { SELECT ?a WHERE { ?a vet:role vet:Lead } } ?a vet:assertedSubject ?focus ; vet:assertedObject ?m }
  BIND(STR(?m) AS ?detail)
}""",
        per_document=True,
    ),
    Invariant(
        "quote_matches_offsets",
        "an evidence quote is the text at its offsets (inside its sentence)",
        f"""SELECT ?focus ?detail WHERE {{
  {_EVIDENCE}
  FILTER(?start > ?end || ?sstart > ?start || ?end > ?send
         || SUBSTR(STR(?sentence), ?start - ?sstart + 1, ?end - ?start) != STR(?quote))
  BIND(CONCAT(STR(?start), "-", STR(?end)) AS ?detail)
}}""",
        per_document=True,
    ),
    Invariant(
        "evidence_is_its_selector",
        "every evidence is the Web Annotation selector of its text: oa:start, oa:end and oa:exact "
        "are its offsets and its quote",
        f"""SELECT ?focus ?detail WHERE {{
  {scans("?focus", ("a", "vet:Evidence"), *_OFFSETS)}
  MINUS {{
  {_SELECTOR}
    FILTER(STR(?exact) = STR(?quote))
  }}
  BIND(CONCAT(STR(?start), "-", STR(?end)) AS ?detail)
}}""",
        per_document=True,
    ),
    Invariant(
        "evidence_names_its_file",
        "every evidence names the document and the file its offsets index",
        f"""SELECT ?focus ?detail WHERE {{
  ?focus a vet:Evidence .
  MINUS {{
  {scans("?focus", ("vet:document", "?d"), ("vet:sourceFile", "?f"))}
  {scan("?f", "vet:checksum", "?c")}
  }}
  BIND("no document or file" AS ?detail)
}}""",
        per_document=True,
    ),
    Invariant(
        "measure_in_one_document",
        "every measure is part of exactly one document",
        f"""SELECT ?focus (CONCAT(STR(COUNT(DISTINCT ?d)), " documents") AS ?detail) WHERE {{
  {scan("?focus", "a", "vet:Measure")}
  OPTIONAL {{ {scan("?focus", "vet:partOf", "?d")} }}  # a hash left join, not a lookup per measure
}} GROUP BY ?focus HAVING (COUNT(DISTINCT ?d) != 1)""",
        per_document=True,
    ),
    Invariant(
        "one_work_per_identifier",
        "one policy is one node: no two built documents share a 文号 and a region",
        f"""SELECT ?focus ?detail WHERE {{
  {_work("?focus")}
  {_work("?other")}
  FILTER(STR(?focus) < STR(?other) && !REGEX(?n, "[A-Za-zＡ-Ｚａ-ｚ×＊*□○〇]|某"))  # placeholders identify nothing
  BIND(CONCAT(?n, " also ", STR(?other)) AS ?detail)
}}""",
    ),
)


@dataclass
class Violation:
    invariant: str
    statement: str
    count: int
    examples: list[tuple[str, str]]  # (focus node, detail)


def check(store: Queryable, limit: int = 5, invariants: tuple[Invariant, ...] = INVARIANTS) -> list[Violation]:
    """Every invariant (of ``invariants``) that does not hold in ``store``, with a count
    and a few examples."""
    out = []
    for inv in invariants:
        rows = store.query(_PREFIXES + inv.query).values()
        if rows:
            examples = [(str(focus), str(detail)) for focus, detail in rows[:limit]]
            out.append(Violation(inv.name, inv.statement, len(rows), examples))
    return out


PER_DOCUMENT = tuple(inv for inv in INVARIANTS if inv.per_document)
_Q = {f"{_VET}{p[4:]}" for p in _QUALIFIED.split()}
_C = {f"http://data.europa.eu/eli/ontology#{p[4:]}" for p in _CHANGES.split()}
_ASSERTED = ox.NamedNode(_VET + "assertedObject")
_SUBJECT = ox.NamedNode(_VET + "assertedSubject")
_PREDICATE = ox.NamedNode(_VET + "assertedPredicate")
_LINKS = _Q | _C
_LEADS = {_VET + p for p in ("role", "leads", "responsibleFor")}
_OA = "http://www.w3.org/ns/oa#"
# What else the per-document invariants read: met outside a document's own lines, such a
# triple could decide one of them, so the whole store is checked instead.
_OWN = {
    *_LEADS,
    *(_VET + p for p in ("assertedSubject", "assertedPredicate", "startOffset", "endOffset", "quote")),
    *(_VET + p for p in ("sentence", "sentenceStart", "sentenceEnd", "document", "sourceFile", "checksum")),
    *(_OA + p for p in ("start", "end", "exact")),
    "http://www.w3.org/ns/prov#wasDerivedFrom",
}
_OWN_TYPES = {
    _VET + "Assertion",
    _VET + "Evidence",
    _VET + "Measure",
    _OA + "TextPositionSelector",
    _OA + "TextQuoteSelector",
}
_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _alternatives(iris) -> bytes:
    return b"|".join(re.escape(i.encode()) for i in sorted(iris))


# The N-Triples lines links_hold reads from the corpus part's entities and links: the links,
# and any triple the per-document invariants read.
LINK_LINE_RE = re.compile(
    rb"^<[^>\n]*> (?:<(?:"
    + _alternatives(_LINKS | _OWN | {_VET + "assertedObject"})
    + rb")> [^\n]*|<"
    + re.escape(_TYPE.encode())
    + rb"> <(?:"
    + _alternatives(_OWN_TYPES)
    + rb")> \.)$",
    re.M,
)


def links_hold(store: ox.Store, lines: bytes) -> bool:
    """Whether the direct triples and qualified assertions that ``lines`` touch keep the
    two invariants that tie them (``direct_has_assertion``, ``assertion_has_direct``) in
    ``store``, and no lead-role triple is among them.

    ``lines`` are the lines of the corpus part of ``graph.nt`` (before and after a
    rebuild) that :data:`LINK_LINE_RE` picks from its entities and links: the links a build
    resolves across documents, a citation and a mention of another document, with the
    ``vet:assertedObject`` of their assertions (whose subject and predicate are stated by
    the citing document). Every other direct triple and assertion lies inside one
    document and is checked with it; a line the per-document invariants read otherwise
    (an offset, a quote, a measure's type …) is not expected here, and makes this False.
    The rest of the corpus part (similarity and reuse nodes) holds none of these
    predicates (a test checks it). Looked up triple by triple, never a scan: a
    few thousand index lookups where the full check reads every assertion."""
    directs: set[tuple] = set()
    asserted: set = set()
    for t in ox.parse(lines, ox.RdfFormat.N_TRIPLES):
        p = t.predicate.value
        if p in _OWN or p == _TYPE:
            return False  # no build puts these in the corpus part: the full check decides
        if p in _Q or p in _C:
            directs.add((t.subject, t.predicate, t.object))
        elif t.predicate == _ASSERTED:
            asserted.add(t.subject)

    def values(s, p) -> list:
        return [q.object for q in store.quads_for_pattern(s, p, None)]

    stated: set[tuple] = set()  # (subject, predicate, object) of the assertions
    for a in asserted:
        for s in values(a, _SUBJECT):
            for p in values(a, _PREDICATE):
                for o in values(a, _ASSERTED):
                    if not isinstance(p, ox.NamedNode) or p.value not in _LINKS:
                        return False
                    stated.add((s, p, o))
    for s, p, o in stated | directs:
        exists = ox.Quad(s, p, o) in store
        if (s, p, o) in stated and not exists:
            return False  # an assertion without its direct triple
        if exists and p.value in _Q and (s, p, o) not in stated and not _asserted(store, s, p, o):
            return False  # a direct triple without its assertion
    return True


def _asserted(store: ox.Store, s, p, o) -> bool:
    """Some assertion states ``s p o`` (lookups from the subject's assertions)."""
    for q in store.quads_for_pattern(None, _SUBJECT, s):
        a = q.subject
        if ox.Quad(a, _PREDICATE, p) in store and ox.Quad(a, _ASSERTED, o) in store:
            return True
    return False


ACROSS_DOCUMENTS = tuple(inv for inv in INVARIANTS if not inv.per_document)
# What a stored check was made by: a check made by other queries is not taken over.
DEFINITION = hashlib.sha1("\n".join(f"{i.name}\n{i.query}\n{i.per_document}" for i in INVARIANTS).encode()).hexdigest()
