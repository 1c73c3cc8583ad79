"""The graph's IRIs as pages (``vetkg serve``): what the front asks the engine about an
entity, and the HTML it shows a browser — the entity's label, types and facts, each fact
with the sentence it was read from and the quote marked, links onward to the neighbours
— plus the offline SPARQL query page.

Everything shown comes from the documents, which are untrusted: every text goes through
:func:`html.escape`, links are made only to validated ``/id/…`` paths and to ``http(s)``
IRIs, and the pages run no script of their own except the query page's, which fills its
table with ``textContent``. The entity's IRI enters a query only as a bound term (a
``VALUES`` row of an escaped IRI), built from a path that passed :func:`iri_of_path`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

from kg.rdf.namespaces import PREFIXES, RDF_TYPE, RESOURCE, VET
from kg.store.queries import inject_values
from kg.store.results import Result, Term

Select = Callable[[str], Result]

SKOS = PREFIXES["skos"]
RDFS = PREFIXES["rdfs"]
DCTERMS = PREFIXES["dcterms"]
ELI = PREFIXES["eli"]
PROV = PREFIXES["prov"]
# The properties that name a thing, best first for a heading (the brief's order) and for a
# link (the display label carries the region that tells two bodies of one name apart).
HEADING_LABELS = (SKOS + "prefLabel", VET + "displayLabel", RDFS + "label", DCTERMS + "title")
LINK_LABELS = (VET + "displayLabel", SKOS + "prefLabel", RDFS + "label", DCTERMS + "title")
PART_OF = (VET + "partOf", ELI + "is_part_of")
MAX_OUTGOING = 5000  # the entity's own facts shown on its page
MAX_INCOMING = 1000  # facts pointing at the entity shown on its page; the rest via SPARQL
MAX_EVIDENCE = 2000
LABEL_BATCH = 400

# A path under /id/: ASCII letters, digits, dot, underscore and hyphen in non-empty
# segments (the IRI policy's shapes: document/<hash>/measure/2.3, region/410500 …).
_PATH_RE = re.compile(r"^/id/([A-Za-z0-9_-][A-Za-z0-9._-]*(?:/[A-Za-z0-9_-][A-Za-z0-9._-]*)*)$")


def iri_of_path(path: str) -> str | None:
    """The graph IRI served at ``path`` (``/id/X`` → ``https://w3id.org/vetkg/id/X``), or
    None when the path is not one the IRI policy can form (so it never reaches a query)."""
    m = _PATH_RE.match(path)
    if m is None or any(seg in (".", "..") for seg in m.group(1).split("/")):
        return None
    return RESOURCE + m.group(1)


def path_of_iri(iri: str) -> str | None:
    """Where this server shows ``iri``: ``/id/X`` for the graph's own IRIs, else None."""
    if not iri.startswith(RESOURCE):
        return None
    path = "/id/" + iri[len(RESOURCE) :]
    return path if iri_of_path(path) == iri else None


def bound(query: str, iri: str) -> str:
    """``query`` with ``?x`` bound to ``iri`` (an escaped IRI term, never spliced text)."""
    return inject_values(query, {"x": Term("iri", iri)})


# --- what the engine is asked --------------------------------------------------------------
_OUTGOING = f"""
SELECT ?p ?o WHERE {{ ?x ?p ?o }} ORDER BY ?p ?o LIMIT {MAX_OUTGOING + 1}
"""
_INCOMING = f"""
PREFIX vet: <{VET}>
SELECT ?s ?p WHERE {{
  ?s ?p ?x .
  FILTER NOT EXISTS {{ ?s a vet:Assertion }}
  FILTER NOT EXISTS {{ ?s a vet:Evidence }}
}} ORDER BY ?p ?s LIMIT {MAX_INCOMING + 1}
"""
_EXISTS = "ASK WHERE { { ?x ?p ?o } UNION { ?s ?p ?x } }"
_EVIDENCE = f"""
PREFIX vet: <{VET}>
PREFIX prov: <{PROV}>
SELECT ?s ?p ?o ?role ?ev ?quote ?sentence ?start ?end ?sstart ?doc ?measure ?file WHERE {{
  {{ ?a vet:assertedSubject ?x ; vet:assertedPredicate ?p ; vet:assertedObject ?o . BIND(?x AS ?s) }}
  UNION
  {{ ?a vet:assertedObject ?x ; vet:assertedSubject ?s ; vet:assertedPredicate ?p . BIND(?x AS ?o) }}
  ?a prov:wasDerivedFrom ?ev .
  OPTIONAL {{ ?a vet:role ?role }}
  OPTIONAL {{ ?ev vet:quote ?quote }}
  OPTIONAL {{ ?ev vet:sentence ?sentence }}
  OPTIONAL {{ ?ev vet:startOffset ?start }}
  OPTIONAL {{ ?ev vet:endOffset ?end }}
  OPTIONAL {{ ?ev vet:sentenceStart ?sstart }}
  OPTIONAL {{ ?ev vet:document ?doc }}
  OPTIONAL {{ ?ev vet:inMeasure ?measure }}
  OPTIONAL {{ ?ev vet:sourceFile ?file }}
}} ORDER BY ?p ?s ?o ?start ?ev LIMIT {MAX_EVIDENCE + 1}
"""
_MEASURES = f"""
PREFIX vet: <{VET}>
PREFIX eli: <{ELI}>
SELECT DISTINCT ?m ?key ?heading WHERE {{
  ?m vet:partOf|eli:is_part_of ?x .
  OPTIONAL {{ ?m vet:measureKey ?key }}
  OPTIONAL {{ ?m vet:heading ?heading }}
}}
"""
_FILES = f"""
PREFIX vet: <{VET}>
PREFIX eli: <{ELI}>
SELECT DISTINCT ?file ?id ?checksum ?format WHERE {{
  {{ ?x eli:is_realized_by ?e }} UNION {{ ?e eli:realizes ?x }}
  ?file eli:embodies ?e .
  OPTIONAL {{ ?file vet:fileId ?id }}
  OPTIONAL {{ ?file vet:checksum ?checksum }}
  OPTIONAL {{ ?file vet:sourceFormat ?format }}
}} ORDER BY ?id ?file
"""
_LABELS = """
SELECT ?n ?p ?l WHERE { VALUES ?n { %s } VALUES ?p { %s } ?n ?p ?l }
"""
DESCRIPTION = "CONSTRUCT { ?x ?p ?o . ?s ?q ?x } WHERE { { ?x ?p ?o } UNION { ?s ?q ?x } }"


def description_query(iri: str) -> str:
    """The CONSTRUCT of ``iri``'s description: its triples and the triples pointing at it."""
    return bound(DESCRIPTION, iri)


@dataclass
class Evidence:
    """Where a fact was read: the sentence, the quote at its offsets, and its source."""

    iri: str
    quote: str = ""
    sentence: str = ""
    start: int | None = None
    end: int | None = None
    sentence_start: int | None = None
    document: str | None = None
    measure: str | None = None
    file: str | None = None
    role: str | None = None


@dataclass
class Fact:
    subject: Term
    predicate: str
    object: Term
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class EntityView:
    """What the page of one IRI shows."""

    iri: str
    types: list[str]
    outgoing: list[Fact]
    incoming: list[Fact]
    labels: dict[str, list[tuple[str, Term]]]  # IRI → (label property, label) pairs
    measures: list[tuple[str, str, str]] = field(default_factory=list)  # (IRI, key, heading)
    files: list[dict[str, str]] = field(default_factory=list)
    more_outgoing: bool = False
    more_incoming: bool = False
    more_evidence: bool = False
    own_evidence: Evidence | None = None  # the entity is itself a piece of evidence


def _int(t: Term | None) -> int | None:
    if t is None:
        return None
    try:
        return int(t.value)
    except ValueError:
        return None


def _text(t: Term | None) -> str:
    return t.value if t is not None else ""


def describe_entity(select: Select, iri: str) -> EntityView | None:
    """Everything the page of ``iri`` shows, asked of the engine; None if the graph holds
    no triple about it."""
    out = select(bound(_OUTGOING, iri))
    outgoing = [Fact(Term("iri", iri), row[0].value, row[1]) for row in out.rows if row[0] and row[1]]
    if not outgoing and not select(bound(_EXISTS, iri)).boolean:
        return None
    more_outgoing = len(outgoing) > MAX_OUTGOING
    outgoing = outgoing[:MAX_OUTGOING]
    types = [f.object.value for f in outgoing if f.predicate == RDF_TYPE and f.object.kind == "iri"]
    outgoing = [f for f in outgoing if f.predicate != RDF_TYPE]
    inc = select(bound(_INCOMING, iri))
    incoming = [Fact(row[0], row[1].value, Term("iri", iri)) for row in inc.rows if row[0] and row[1]]
    view = EntityView(iri, types, outgoing, incoming[:MAX_INCOMING], {}, more_incoming=len(incoming) > MAX_INCOMING)
    view.more_outgoing = more_outgoing

    # The evidence of each fact, from the assertions that qualify it.
    ev_result = select(bound(_EVIDENCE, iri))
    view.more_evidence = len(ev_result.rows) > MAX_EVIDENCE
    facts = {(f.subject, f.predicate, f.object): f for f in view.outgoing + view.incoming}
    col = {c: i for i, c in enumerate(ev_result.columns)}
    for row in ev_result.rows[:MAX_EVIDENCE]:
        s, p, o = row[col["s"]], row[col["p"]], row[col["o"]]
        if s is None or p is None or o is None:
            continue
        fact = facts.get((s, p.value, o))
        if fact is None:
            if view.more_incoming and s.value != iri:
                continue  # a fact past the page's limit
            # a qualified relation without its direct triple: shown all the same
            fact = facts[(s, p.value, o)] = Fact(s, p.value, o)
            (view.outgoing if s.value == iri else view.incoming).append(fact)
        ev_iri = _text(row[col["ev"]])
        if any(e.iri == ev_iri for e in fact.evidence):
            continue
        fact.evidence.append(
            Evidence(
                ev_iri,
                quote=_text(row[col["quote"]]),
                sentence=_text(row[col["sentence"]]),
                start=_int(row[col["start"]]),
                end=_int(row[col["end"]]),
                sentence_start=_int(row[col["sstart"]]),
                document=_text(row[col["doc"]]) or None,
                measure=_text(row[col["measure"]]) or None,
                file=_text(row[col["file"]]) or None,
                role=_text(row[col["role"]]) or None,
            )
        )

    # A lead role is also stated as vet:leads: the Responsibility's evidence is its evidence.
    for (subject, predicate, obj), fact in list(facts.items()):
        lead = facts.get((subject, VET + "leads", obj))
        if predicate == VET + "responsibleFor" and lead is not None and not lead.evidence:
            lead.evidence = [ev for ev in fact.evidence if ev.role == VET + "Lead"]

    if VET + "Evidence" in types:
        view.own_evidence = _evidence_from_facts(iri, view.outgoing)
    if set(types) & {VET + "PolicyDocument", ELI + "LegalResource", VET + "CitedDocument"}:
        for row in select(bound(_MEASURES, iri)).rows:
            if row[0] is not None:
                view.measures.append((row[0].value, _text(row[1]), _text(row[2])))
        view.measures.sort(key=lambda m: _natural(m[1] or m[0]))
        if view.measures:
            view.incoming = [f for f in view.incoming if f.predicate not in PART_OF]
        files = select(bound(_FILES, iri))
        view.files = [{c: _text(v) for c, v in zip(files.columns, row)} for row in files.rows]

    view.labels = _labels(select, _neighbours(view))
    return view


def _evidence_from_facts(iri: str, facts: list[Fact]) -> Evidence:
    values = {f.predicate: f.object for f in facts}
    return Evidence(
        iri,
        quote=_text(values.get(VET + "quote")),
        sentence=_text(values.get(VET + "sentence")),
        start=_int(values.get(VET + "startOffset")),
        end=_int(values.get(VET + "endOffset")),
        sentence_start=_int(values.get(VET + "sentenceStart")),
        document=_text(values.get(VET + "document")) or None,
        measure=_text(values.get(VET + "inMeasure")) or None,
        file=_text(values.get(VET + "sourceFile")) or None,
    )


def _natural(key: str) -> list:
    """``2.10`` after ``2.9``: digits compared as numbers."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", key) if part]


def _neighbours(view: EntityView) -> list[str]:
    """Every graph IRI the page names, to be labelled (the documents of measures too)."""
    seen: dict[str, None] = {view.iri: None}
    for fact in view.outgoing + view.incoming:
        for t in (fact.subject, fact.object):
            if t.kind == "iri" and t.value.startswith(RESOURCE):
                seen[t.value] = None
        for ev in fact.evidence:
            for x in (ev.document, ev.measure, ev.file):
                if x:
                    seen[x] = None
    for m, _, _ in view.measures:
        seen[m] = None
    if view.own_evidence is not None:
        for x in (view.own_evidence.document, view.own_evidence.measure, view.own_evidence.file):
            if x:
                seen[x] = None
    for iri in list(seen):
        doc = _document_of_measure(iri)
        if doc:
            seen[doc] = None
    return [iri for iri in seen if not _NOT_IN_IRI.search(iri)]  # only what a query can name


_NOT_IN_IRI = re.compile(r"[\x00-\x20<>\"{}|^`\\]")


def _document_of_measure(iri: str) -> str | None:
    head, sep, _ = iri.partition("/measure/")
    return head if sep and head.startswith(RESOURCE) else None


def _labels(select: Select, iris: list[str]) -> dict[str, list[tuple[str, Term]]]:
    props = " ".join(Term("iri", p).n3() for p in (*HEADING_LABELS, VET + "measureKey", VET + "fileId"))
    labels: dict[str, list[tuple[str, Term]]] = {}
    for i in range(0, len(iris), LABEL_BATCH):
        values = " ".join(Term("iri", x).n3() for x in iris[i : i + LABEL_BATCH])
        for row in select(_LABELS % (values, props)).rows:
            if row[0] is not None and row[1] is not None and row[2] is not None:
                labels.setdefault(row[0].value, []).append((row[1].value, row[2]))
    return labels


def pick_label(candidates: Iterable[tuple[str, Term]], order: tuple[str, ...]) -> str | None:
    """The best label: by property in ``order``, Chinese first, then the shortest."""
    ranked = [
        (order.index(p), t.lang != "zh", len(t.value), t.value) for p, t in candidates if p in order and t.value.strip()
    ]
    return min(ranked)[3] if ranked else None


# --- the vocabulary's own names --------------------------------------------------------------
@lru_cache(maxsize=1)
def vocabulary_labels() -> dict[str, str]:
    """Ontology term IRI → its Chinese label (rdfs:label or skos:prefLabel @zh; for the
    standard terms the graph uses most, a name of their own)."""
    import rdflib

    from kg.rdf import ontology

    graph = ontology.load()
    out: dict[str, str] = {PREFIXES[p] + local: name for p, local, name in STANDARD_NAMES}
    for prop in (rdflib.RDFS.label, rdflib.SKOS.prefLabel):
        for s, o in graph.subject_objects(prop):
            if isinstance(o, rdflib.Literal) and o.language == "zh" and isinstance(s, rdflib.URIRef):
                out.setdefault(str(s), str(o))
    return out


STANDARD_NAMES = (
    ("rdfs", "label", "名称"),
    ("skos", "prefLabel", "首选名称"),
    ("skos", "notation", "代码"),
    ("skos", "broader", "上位概念"),
    ("skos", "inScheme", "所属概念体系"),
    ("dcterms", "title", "标题"),
    ("dcterms", "identifier", "文号"),
    ("dcterms", "issued", "成文日期"),
    ("eli", "title", "标题 (ELI)"),
    ("eli", "id_local", "文号 (ELI)"),
    ("eli", "date_document", "成文日期 (ELI)"),
    ("eli", "date_publication", "发布日期"),
    ("eli", "passed_by", "发文机关 (ELI)"),
    ("eli", "is_part_of", "属于 (ELI)"),
    ("eli", "is_realized_by", "表达为"),
    ("eli", "realizes", "表达"),
    ("eli", "embodies", "载体"),
    ("eli", "type_document", "文种"),
    ("eli", "language", "语言"),
    ("org", "classification", "职能分类"),
    ("org", "subOrganizationOf", "上级机构"),
    ("prov", "wasDerivedFrom", "来源"),
    ("qudt", "numericValue", "数值"),
    ("qudt", "unit", "单位"),
)


def prefixed(iri: str) -> str:
    """``vet:cites`` for a namespaced IRI, else the IRI."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if best and re.fullmatch(r"[A-Za-z0-9_.-]*", iri[len(PREFIXES[best]) :]):
        return f"{best}:{iri[len(PREFIXES[best]) :]}"
    if iri == RDF_TYPE:
        return "rdf:type"
    return iri


# --- HTML -----------------------------------------------------------------------------------
STYLE = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
 margin:0;color:#1d2733;background:#fbfbf9;line-height:1.55}
header.top{background:#1f3a5a;color:#fff;padding:.5em 1.2em;font-size:.95em}
header.top a{color:#fff;margin-right:1.2em}
main{max-width:72em;margin:0 auto;padding:1em 1.2em 3em}
h1{font-size:1.6em;margin:.4em 0 .1em}
h2{font-size:1.15em;border-bottom:1px solid #ccd;padding-bottom:.2em;margin-top:1.8em}
.sub{color:#555;margin:.1em 0}
code,.iri{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;color:#445;word-break:break-all}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.35em .5em;border-bottom:1px solid #e4e4ea}
th{width:14em;font-weight:600}
th small,td small,.meta{color:#778;font-weight:normal;font-size:.8em}
blockquote{margin:.4em 0 .4em 0;padding:.3em .7em;border-left:3px solid #c9a227;background:#fffbea}
mark{background:#ffe066;padding:0 .1em}
.evidence cite{display:block;font-style:normal;font-size:.8em;color:#667}
.types a,.formats a{margin-right:.8em}
ol.measures{columns:2;column-gap:2em}
.note{color:#a04000}
"""


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _page(title: str, body: str, nonce: str, *, alternates: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} — vetkg</title>\n{alternates}"
        f'<style nonce="{_attr(nonce)}">{STYLE}</style>\n</head>\n<body>\n'
        '<header class="top"><a href="/">SPARQL 查询</a><a href="/.well-known/void">数据集描述 (VoID)</a></header>\n'
        f"<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


class _Namer:
    """Labels and links for the IRIs a page names."""

    def __init__(self, labels: dict[str, list[tuple[str, Term]]]):
        self.labels = labels
        self.vocab = vocabulary_labels()

    def label(self, iri: str) -> str | None:
        if iri in self.vocab:
            return self.vocab[iri]
        cands = self.labels.get(iri, [])
        key = pick_label(cands, (VET + "measureKey",))
        text = pick_label(cands, LINK_LABELS)
        if key:  # a measure: its number and heading, and the document it belongs to
            doc = _document_of_measure(iri)
            doc_label = pick_label(self.labels.get(doc, []), LINK_LABELS) if doc else None
            head = f"{key} {text}" if text and text != key else key
            return f"{head}（{doc_label}）" if doc_label else head
        if text is None and (file_id := pick_label(cands, (VET + "fileId",))):
            return file_id
        return text

    def link(self, iri: str) -> str:
        """An ``<a>`` to where the IRI can be read: the page here for the graph's own IRIs,
        the IRI itself for ``http(s)`` ones; just the text otherwise."""
        label = self.label(iri)
        shown = escape(label) if label else f'<span class="iri">{escape(prefixed(iri))}</span>'
        local = path_of_iri(iri)
        if local is not None:
            return f'<a href="{_attr(local)}">{shown}</a>'
        if re.match(r"^https?://", iri) and not re.search(r"[\x00-\x20\"'<>`]", iri):
            return f'<a href="{_attr(iri)}" rel="noreferrer">{shown}</a>'
        return shown

    def term(self, t: Term) -> str:
        if t.kind == "iri":
            return self.link(t.value)
        if t.kind == "bnode":
            return f'<span class="iri">_:{escape(t.value)}</span>'
        lang = f' lang="{_attr(t.lang)}"' if t.lang and re.fullmatch(r"[A-Za-z0-9-]+", t.lang) else ""
        kind = ""
        if t.datatype and not t.datatype.endswith("#string") and not t.lang:
            kind = f" <small>{escape(prefixed(t.datatype))}</small>"
        return f"<span{lang}>{escape(t.value)}</span>{kind}"

    def predicate(self, iri: str) -> str:
        name = self.vocab.get(iri)
        code = escape(prefixed(iri))
        return f"{escape(name)} <small>{code}</small>" if name else code


def highlight(ev: Evidence) -> str:
    """The evidence sentence with its quote in ``<mark>``, found at the offsets (or, if
    they do not fit the sentence, where the quote first occurs)."""
    sentence, quote = ev.sentence, ev.quote
    if not sentence:
        return f"<mark>{escape(quote)}</mark>" if quote else ""
    at = None
    if ev.start is not None and ev.end is not None and ev.sentence_start is not None:
        a, b = ev.start - ev.sentence_start, ev.end - ev.sentence_start
        if 0 <= a <= b <= len(sentence) and sentence[a:b] == quote:
            at = (a, b)
    if at is None and quote and quote in sentence:
        a = sentence.index(quote)
        at = (a, a + len(quote))
    if at is None:
        tail = f" <mark>{escape(quote)}</mark>" if quote else ""
        return escape(sentence) + tail
    a, b = at
    return f"{escape(sentence[:a])}<mark>{escape(sentence[a:b])}</mark>{escape(sentence[b:])}"


def _evidence_html(ev: Evidence, namer: _Namer) -> str:
    where = []
    if ev.role:
        where.append(f"角色 {namer.link(ev.role)}")
    if ev.measure:
        where.append(namer.link(ev.measure))
    elif ev.document:
        where.append(namer.link(ev.document))
    if ev.file:
        where.append(f"文件 {namer.link(ev.file)}")
    if ev.start is not None and ev.end is not None:
        where.append(f"字符 {ev.start}–{ev.end}")
    local = path_of_iri(ev.iri)
    if local:
        where.append(f'<a href="{_attr(local)}">证据</a>')
    cite = " · ".join(w for w in where if w)
    return f'<blockquote class="evidence" lang="zh">{highlight(ev)}<cite>{cite}</cite></blockquote>'


def _facts_table(facts: list[Fact], namer: _Namer, *, incoming: bool, shown: Evidence | None = None) -> str:
    """One row per fact with its evidence; the plain values of one property (keywords,
    labels) share a row."""
    rows: list[str] = []
    plain: dict[str, list[str]] = {}
    for fact in facts:
        other = fact.subject if incoming else fact.object
        evidence = [ev for ev in fact.evidence if shown is None or ev.iri != shown.iri]
        if not fact.evidence and other.kind == "literal":
            if fact.predicate not in plain:
                plain[fact.predicate] = []
                rows.append(fact.predicate)  # the row's place, filled below
            plain[fact.predicate].append(namer.term(other))
            continue
        note = " <small>（证据见上文原文）</small>" if len(evidence) < len(fact.evidence) else ""
        cites = "".join(_evidence_html(ev, namer) for ev in evidence)
        rows.append(f"<tr><th>{namer.predicate(fact.predicate)}</th><td>{namer.term(other)}{note}{cites}</td></tr>")
    rows = [f"<tr><th>{namer.predicate(r)}</th><td>{' · '.join(plain[r])}</td></tr>" if r in plain else r for r in rows]
    return "<table>\n" + "\n".join(rows) + "\n</table>" if rows else '<p class="meta">无</p>'


def entity_html(view: EntityView, nonce: str) -> str:
    """The page of one entity."""
    namer = _Namer(view.labels)
    own = view.labels.get(view.iri, [])
    heading = pick_label(own, HEADING_LABELS) or prefixed(view.iri)
    display = pick_label(own, (VET + "displayLabel",))
    key = pick_label(own, (VET + "measureKey",))
    parts = [f'<h1 lang="zh">{escape(heading)}</h1>']
    if display and display != heading:
        parts.append(f'<p class="sub" lang="zh">{escape(display)}</p>')
    if key:
        doc = _document_of_measure(view.iri)
        parts.append(f'<p class="sub">措施 {escape(key)}' + (f"，属于 {namer.link(doc)}" if doc else "") + "</p>")
    parts.append(f'<p class="iri">{escape(view.iri)}</p>')
    if view.types:
        parts.append('<p class="types">类型：' + "".join(namer.link(t) for t in sorted(view.types)) + "</p>")
    local = path_of_iri(view.iri) or ""
    parts.append(
        '<p class="formats meta">数据：'
        + "".join(
            f'<a href="{_attr(local)}?format={fmt}" rel="alternate" type="{kind}">{name}</a>'
            for fmt, kind, name in FORMAT_LINKS
        )
        + "</p>"
    )
    # The text itself: a piece of evidence, or a measure (the evidence of its inclusion).
    text = view.own_evidence
    if text is None:
        text = next((f.evidence[0] for f in view.outgoing if f.predicate in PART_OF and f.evidence), None)
    if text is not None and (text.sentence or text.quote):
        parts.append('<section id="text"><h2>原文</h2>' + _evidence_html(text, namer) + "</section>")
    more_out = f'<p class="note">只显示前 {MAX_OUTGOING} 条。</p>' if view.more_outgoing else ""
    parts.append(
        '<section id="facts"><h2>事实</h2>'
        + _facts_table(view.outgoing, namer, incoming=False, shown=text)
        + more_out
        + "</section>"
    )
    if view.measures:
        items = "".join(
            f'<li><a href="{_attr(path_of_iri(m) or "")}">{escape(k)} {escape(h)}</a></li>'
            if path_of_iri(m)
            else f"<li>{escape(k)} {escape(h)}</li>"
            for m, k, h in view.measures
        )
        parts.append(
            f'<section id="measures"><h2>措施（{len(view.measures)}）</h2><ol class="measures">{items}</ol></section>'
        )
    if view.files:
        rows = "".join(
            f"<tr><td>{namer.link(f['file'])}</td><td>{escape(f.get('id', ''))}</td>"
            f"<td><code>{escape(f.get('checksum', ''))}</code></td><td>{escape(f.get('format', ''))}</td></tr>"
            for f in view.files
        )
        parts.append(
            '<section id="files"><h2>文件</h2><table><tr><th>文件</th><th>编号</th><th>SHA-1</th><th>格式</th></tr>'
            f"{rows}</table></section>"
        )
    more = (
        f'<p class="note">只显示前 {MAX_INCOMING} 条；其余请用 <a href="/">SPARQL</a> 查询。</p>'
        if view.more_incoming
        else ""
    )
    parts.append(
        '<section id="incoming"><h2>指向它的事实</h2>'
        + _facts_table(view.incoming, namer, incoming=True)
        + more
        + "</section>"
    )
    if view.more_evidence:
        parts.append(f'<p class="note">证据只显示前 {MAX_EVIDENCE} 条。</p>')
    alternates = "".join(
        f'<link rel="alternate" type="{kind}" href="{_attr(local)}?format={fmt}">\n' for fmt, kind, _ in FORMAT_LINKS
    )
    return _page(heading, "\n".join(parts), nonce, alternates=alternates)


FORMAT_LINKS = (
    ("ttl", "text/turtle", "Turtle"),
    ("jsonld", "application/ld+json", "JSON-LD"),
    ("nt", "application/n-triples", "N-Triples"),
)


def message_html(status: int, message: str, nonce: str) -> str:
    """A page for a refused or unknown request (404 for an IRI the graph does not hold)."""
    title = "未找到" if status == 404 else "出错"
    body = f'<h1>{status} {title}</h1>\n<p>{escape(message)}</p>\n<p><a href="/">SPARQL 查询</a></p>'
    return _page(f"{status} {title}", body, nonce)


def void_html(turtle: str, nonce: str) -> str:
    """The VoID description for a browser: its Turtle, readable."""
    body = (
        "<h1>数据集描述 (VoID)</h1>\n"
        '<p class="meta">Turtle：<a href="/.well-known/void?format=ttl">/.well-known/void</a></p>\n'
        f"<pre><code>{escape(turtle)}</code></pre>"
    )
    return _page("VoID", body, nonce)


QUERY_SCRIPT = r"""
const form = document.getElementById('q');
const out = document.getElementById('results');
const examples = JSON.parse(document.getElementById('examples').textContent);
const pick = document.getElementById('example');
for (const [title, text] of examples) {
  const o = document.createElement('option'); o.textContent = title; o.value = text; pick.appendChild(o);
}
pick.addEventListener('change', () => { if (pick.value) form.query.value = pick.value; });
const BASE = %(base)s;
function cell(t) {
  const td = document.createElement('td');
  if (!t) return td;
  if (t.type === 'uri') {
    let href = null;
    if (t.value.startsWith(BASE) && /^[A-Za-z0-9._\/-]+$/.test(t.value.slice(BASE.length))) href = '/id/' + t.value.slice(BASE.length);
    else if (/^https?:\/\//.test(t.value)) href = t.value;
    if (href) { const a = document.createElement('a'); a.href = href; a.textContent = t.value; a.rel = 'noreferrer'; td.appendChild(a); return td; }
  }
  td.textContent = t.value;
  if (t['xml:lang']) td.lang = t['xml:lang'];
  return td;
}
function fail(text) {
  out.replaceChildren();
  const p = document.createElement('p'); p.className = 'error'; p.textContent = text; out.appendChild(p);
}
form.addEventListener('submit', async (e) => {
  e.preventDefault();
  out.replaceChildren(); const w = document.createElement('p'); w.className = 'meta'; w.textContent = '查询中…'; out.appendChild(w);
  const t0 = performance.now();
  let resp;
  try {
    resp = await fetch('/query', {method: 'POST',
      headers: {'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'application/sparql-results+json'},
      body: new URLSearchParams({query: form.query.value})});
  } catch (err) { fail('无法连接服务器: ' + err); return; }
  const text = await resp.text();
  if (!resp.ok) { fail(resp.status + ' ' + text); return; }
  let data;
  try { data = JSON.parse(text); } catch (err) { fail('答案不是 SPARQL JSON 结果 (CONSTRUCT/DESCRIBE 请用 /query 下载)'); return; }
  out.replaceChildren();
  const info = document.createElement('p'); info.className = 'meta'; out.appendChild(info);
  if ('boolean' in data) { info.textContent = 'ASK: ' + data.boolean; return; }
  const vars = data.head.vars, rows = data.results.bindings;
  info.textContent = rows.length + ' 行 · ' + Math.round(performance.now() - t0) + ' ms';
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const v of vars) { const th = document.createElement('th'); th.textContent = v; head.appendChild(th); }
  const body = table.createTBody();
  for (const b of rows) { const tr = body.insertRow(); for (const v of vars) tr.appendChild(cell(b[v])); }
  out.appendChild(table);
});
"""


def query_html(examples: list[tuple[str, str]], default_query: str, nonce: str) -> str:
    """The SPARQL query page: a form that posts to ``/query`` and shows the rows as a
    table, with no resource from elsewhere (it works offline)."""
    data = json.dumps(examples, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    data = data.replace("&", "\\u0026")
    script = QUERY_SCRIPT % {"base": json.dumps(RESOURCE)}
    body = f"""<h1>SPARQL 查询</h1>
<p class="meta">只读：查询发往 <code>/query</code>（SPARQL 1.1 协议）；更新、LOAD 和 SERVICE 被拒绝，每个查询有时间限制。
实体页面：<code>/id/…</code>；数据集描述：<a href="/.well-known/void">/.well-known/void</a>。</p>
<form id="q">
<p><label>示例 <select id="example"><option value="">—</option></select></label></p>
<textarea name="query" rows="20" spellcheck="false">{escape(default_query)}</textarea>
<p><button type="submit">运行</button></p>
</form>
<section id="results"></section>
<script type="application/json" id="examples">{data}</script>
<script nonce="{_attr(nonce)}">{script}</script>"""
    style = "textarea{width:100%;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}.error{color:#b00020;white-space:pre-wrap}"
    page = _page("SPARQL", body, nonce)
    return page.replace("</style>", style + "</style>", 1)
