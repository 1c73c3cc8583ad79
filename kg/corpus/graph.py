"""The corpus step of the graph: what needs every document.

:class:`CorpusGraph` streams document graphs (:func:`kg.rdf.mapping.document_graph`), in
order, to open text files and, on :meth:`CorpusGraph.finish`, appends the triples that
need the whole corpus — the shared entities with their labels counted over every
document, citations by title resolved to built documents, the diffusion links
between similar measures (MinHash sketches, :mod:`kg.resolution.similarity`), and the
clause-level text reuse: each measure's closest measure in a document it cites, else in
the corpus, aligned (:mod:`kg.analytics.reuse`: ``vet:reuses`` and ``vet:Reuse`` nodes).
"""

from __future__ import annotations

import hashlib
import io
import sys
from collections.abc import Iterable, Iterator
from typing import Protocol

from kg.analytics.policy_tools import MeasureText
from kg.analytics.reuse import ALIGNMENTS, find_reuse, reuse_statements
from kg.core.memo import Memo
from kg.core.model import Extraction
from kg.rdf.mapping import (
    DocumentGraph,
    Triples,
    _add_concepts,
    _add_entity,
    document_graph,
    iri,
    load_rdflib,
    similarity_node,
    turtle_prefixes,
)
from kg.rdf.ontology import RESOURCE, VET
from kg.resolution.entities import CorpusIndex, Entity, Key, Resolution, display_label, is_cited_ref
from kg.resolution.similarity import METHOD, Sketches, similar_pairs, sketch


class TextSink(Protocol):
    """Where graph text goes: an open file, an atomic output file, a pipe to the loader."""

    def write(self, text: str) -> object: ...


class CorpusGraph:
    """Streams document graphs, in order, to open text files (``nt`` and/or ``ttl``) and,
    on :meth:`finish`, appends the triples that need the whole corpus. Holds only the
    shared entities, the deferred citations, the measures' sketches and (for the text
    reuse) their texts. ``diffusion`` writes the similarity links and the text reuse;
    ``memo`` holds the alignments of an earlier build (:mod:`kg.core.memo`)."""

    def __init__(self, sinks: dict[str, TextSink], *, diffusion: bool = True, memo: Memo | None = None):
        self.sinks = sinks
        self.diffusion = diffusion
        self.memo = memo  # alignments kept from the previous build: only changed texts realigned
        # measure IRI -> (document IRI, doc_id, start, text, evidence IRI): one text per
        # measure (the text reuse), plain tuples with interned strings (10,000 documents)
        self.measures: dict[str, tuple[str, str, int, str, str]] = {}
        self.citations: list[tuple[str, Key]] = []  # (document IRI, cited key) of every vet:cites
        self.built: set[str] = set()  # the built documents' IRIs
        self.reuses = 0
        self.index = CorpusIndex()
        self.resolution = Resolution()
        self.cited: list[Entity] = []
        self.deferred: list[tuple[str, str, Key]] = []
        self.triples = 0
        self.links = 0
        # the N-Triples bytes of the shared entities and the resolved links (the first part
        # of finish): where a rebuild finds the links its invariants check (kg.corpus.publish)
        self.linking_bytes = 0
        self.digest = hashlib.sha1()  # of the corpus step's triples: with the documents' keys, the graph's identity
        self.sketches: Sketches | None = Sketches()
        if "ttl" in sinks:
            sinks["ttl"].write(turtle_prefixes())
        w = Triples()
        _add_concepts(w)
        self._write(w)

    def _write(self, w: Triples) -> int:
        """Write a part of the corpus step (and fold it into :attr:`digest`); its bytes as
        N-Triples."""
        self.triples += len(w.rows)
        text = w.ntriples()
        data = text.encode("utf-8")
        self.digest.update(data)
        if "nt" in self.sinks:
            self.sinks["nt"].write(text)
        if "ttl" in self.sinks:
            self.sinks["ttl"].write(w.turtle())
        return len(data)

    def add(self, dg: DocumentGraph) -> None:
        """Write the document's triples and fold in what the corpus needs of it."""
        if "nt" in self.sinks:
            self.sinks["nt"].write(dg.ntriples)
        if "ttl" in self.sinks:
            self.sinks["ttl"].write(dg.turtle or "")
        self.fold(dg)

    def fold(self, dg: DocumentGraph) -> None:
        """What the corpus needs of a document whose triples are written elsewhere (a
        rebuild copies them from the previous build)."""
        self.triples += dg.triples
        self.index.add(dg.key, dg.number, dg.title)
        for e in dg.entities:
            if is_cited_ref(e.key):
                self.cited.append(e)
                self.index.learn(e.key)
            else:
                self.resolution.merge(e)
        self.deferred += dg.deferred
        if self.diffusion and dg.sketches is not None and self.sketches is not None:
            self.sketches.extend(dg.sketches)
        if self.diffusion:
            self.built.add(iri(dg.key))
            self.citations += [(s[1:-1], key) for s, p, key in dg.deferred if p == _CITES]
            doc_id = sys.intern(dg.doc_id)
            for measure, doc, ev, text, start in dg.texts:
                # files sharing a 文号 share the measure IRIs: one text per IRI, the
                # smallest (doc_id, start, text, evidence), whatever order they come in
                held = (sys.intern(doc), doc_id, start, text, ev)
                old = self.measures.get(measure)
                if old is None or held[1:] < old[1:]:
                    self.measures[measure] = held

    def finish(self) -> int:
        """Write the shared entities, the resolved citations, the diffusion links and
        the text reuse; the number of triples written in all."""
        res = self.resolution
        cites: dict[str, set[str]] = {}
        for doc, key in self.citations:  # resolved before the entities are written: the same answer
            cited = iri(self.index.resolve(key))
            if cited in self.built and cited != doc:
                cites.setdefault(doc, set()).add(cited)
        self.citations = []
        for e in self.cited:
            res.merge(e, self.index.resolve(e.key))
        self.cited = []
        w = Triples()
        for entity in sorted(res.entities.values(), key=lambda e: e.key):
            _add_entity(w, entity, display_label(res, entity))
        for s, p, key in self.deferred:
            w.row(s, p, f"<{iri(self.index.resolve(key))}>")
        self.deferred = []
        self.linking_bytes = self._write(w)
        if self.diffusion and self.sketches is not None:
            links = _similarity_links(self.sketches)
            self.sketches = None  # not needed past here: free them before writing
            self.links = len(links)
            for part in _similarity_triples(links):
                self._write(part)
            self._reuse(cites, links)
        return self.triples

    def _reuse(self, cites: dict[str, set[str]], links: list) -> None:
        """Write the text reuse of every measure (its candidates in the corpus: the
        similarity links just written, as the report once read them back)."""
        held = self.measures
        self.measures = {}
        if not held:
            return
        measures = [
            MeasureText(measure, "", doc, doc_id, "", "", start, text)
            for measure, (doc, doc_id, start, text, _) in sorted(
                held.items(), key=lambda kv: (kv[1][1], kv[1][2], kv[0])
            )
        ]
        ranked: dict[str, list[tuple[float, str]]] = {}
        for a, b, _, _, score in links:
            ranked.setdefault(a, []).append((-score, b))
            ranked.setdefault(b, []).append((-score, a))
        partners = {m: [x for _, x in sorted(xs)] for m, xs in ranked.items()}
        # no links: no corpus candidates (a second MinHash pass by the same rule finds none)
        found = find_reuse(measures, partners=partners, cites=cites, memo=self.memo)
        if self.memo is not None:
            self.memo.flush(ALIGNMENTS)  # kept for the next build; not held through the report
        evidence = {m: held[m][4] for r in found if r.source is not None for m in (r.measure.measure, r.source.measure)}
        del held
        w = Triples()
        for subject, predicate, obj in reuse_statements(found, evidence):
            w.row(subject, predicate, obj)
        self.reuses = sum(1 for r in found if r.source is not None)
        self._write(w)


_CITES = f"<{VET}cites>"  # the predicate of a deferred citation, as N-Triples spells it


def _similarity_links(sk) -> list[tuple[str, str, str, str, float]]:
    """``(a, b, evidence of a, evidence of b, score)`` for the similar measures, a < b, sorted."""
    best: dict[tuple[str, str], tuple[float, str, str]] = {}
    for i, j, score in similar_pairs(sk):
        (a, ea), (b, eb) = sorted([(sk.measures[i], sk.evidence[i]), (sk.measures[j], sk.evidence[j])])
        if a == b:  # two files sharing a 文号 share the measure IRIs: not a link
            continue
        # one link (one vet:Similarity node, one score) per pair of IRIs, whatever the order
        held = (-score, ea, eb)
        if (a, b) not in best or held < best[a, b]:
            best[a, b] = held
    return sorted((a, b, ea, eb, -neg) for (a, b), (neg, ea, eb) in best.items())


def _similarity_triples(links: list, chunk: int = 20_000) -> Iterator[Triples]:
    """``vet:similarTo`` links and ``vet:Similarity`` nodes, ``chunk`` links at a time (a
    large corpus has millions of these triples: never all in memory at once). The terms
    are spelled once, by :class:`Triples` itself, and each triple added as a row."""
    similar_to, rdf_type, similarity, member, score_of, method_of, derived, method = _similarity_terms()
    scores: dict[float, str] = {}
    for start in range(0, len(links), chunk):
        w = Triples()
        for a, b, ea, eb, score in links[start : start + chunk]:
            node = f"<{similarity_node(a, b)}>"
            term_a, term_b = _object(a), _object(b)
            if score not in scores:
                scores[score] = str(w.lit(score, "decimal"))
            w.row(term_a, similar_to, term_b)
            w.row(node, rdf_type, similarity)
            w.row(node, member, term_a)
            w.row(node, member, term_b)
            w.row(node, score_of, scores[score])
            w.row(node, method_of, method)
            for ev in (ea, eb):
                if ev:
                    w.row(node, derived, _object(ev))
        yield w


def _object(node: str) -> str:
    """A node as the object of a triple, as :meth:`Triples.add` writes it."""
    if node.startswith(RESOURCE):
        return f"<{node}>"
    probe = Triples()
    probe.add(f"{RESOURCE}probe", "vet:similarTo", node)
    return next(iter(probe.rows))[2]


def _similarity_terms() -> tuple[str, ...]:
    """The N-Triples terms of the similarity links, as :meth:`Triples.add` spells them."""
    probe = Triples()
    node, other = f"{RESOURCE}similarity/probe", f"{RESOURCE}measure/probe"
    probe.add(node, "vet:similarTo", other)
    probe.a(node, "vet:Similarity")
    probe.add(node, "vet:similarityOf", other)
    probe.add(node, "vet:score", probe.lit(0.5, "decimal"))
    probe.add(node, "prov:wasDerivedFrom", other)
    probe.add(node, "vet:method", probe.lit(METHOD))
    (_, similar_to, _), (_, rdf_type, similarity), (_, member, _), (_, score_of, _), (_, derived, _), rest = probe.rows
    _, method_of, method = rest
    return similar_to, rdf_type, similarity, member, score_of, method_of, derived, method


def graph_text(extractions: Iterable[Extraction], *, diffusion: bool = True) -> str:
    """The N-Triples of a corpus held in memory."""
    sink = io.StringIO()
    corpus = CorpusGraph({"nt": sink}, diffusion=diffusion)
    for ex in extractions:
        dg = document_graph(ex, turtle=False)
        if diffusion:
            dg.sketches = sketch(dg.texts)
        corpus.add(dg)
    corpus.finish()
    return sink.getvalue()


def build_graph(extractions: Iterable[Extraction], *, diffusion: bool = False):
    """The knowledge graph (an ``rdflib.Graph``) of a corpus of extractions held in
    memory; ``diffusion`` adds the similarity links between their measures."""
    return load_rdflib(graph_text(extractions, diffusion=diffusion))
