"""The corpus step of the graph: what needs every document.

:class:`CorpusGraph` streams document graphs (:func:`kg.rdf.mapping.document_graph`), in
order, to open text files and, on :meth:`CorpusGraph.finish`, appends the triples that
need the whole corpus — the shared entities with their labels counted over every
document, citations by title resolved to built documents, and the diffusion links
between similar measures (MinHash sketches, :mod:`kg.analytics.similarity`).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Iterator
from typing import Protocol

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
from kg.resolution.entities import CorpusIndex, Entity, Key, Resolution, display_label, is_cited_ref
from kg.resolution.similarity import METHOD, Sketches, similar_pairs, sketch


class TextSink(Protocol):
    """Where graph text goes: an open file, an atomic output file, a pipe to the loader."""

    def write(self, text: str) -> object: ...


class CorpusGraph:
    """Streams document graphs, in order, to open text files (``nt`` and/or ``ttl``) and,
    on :meth:`finish`, appends the triples that need the whole corpus. Holds only the
    shared entities, the deferred citations and the measures' sketches."""

    def __init__(self, sinks: dict[str, TextSink], *, diffusion: bool = True):
        self.sinks = sinks
        self.diffusion = diffusion
        self.index = CorpusIndex()
        self.resolution = Resolution()
        self.cited: list[Entity] = []
        self.deferred: list[tuple[str, str, Key]] = []
        self.triples = 0
        self.links = 0
        self.digest = hashlib.sha1()  # of the corpus step's triples: with the documents' keys, the graph's identity
        self.sketches: Sketches | None = Sketches()
        if "ttl" in sinks:
            sinks["ttl"].write(turtle_prefixes())
        w = Triples()
        _add_concepts(w)
        self._write(w)

    def _write(self, w: Triples) -> None:
        """Write a part of the corpus step (and fold it into :attr:`digest`)."""
        self.triples += len(w.rows)
        text = w.ntriples()
        self.digest.update(text.encode("utf-8"))
        if "nt" in self.sinks:
            self.sinks["nt"].write(text)
        if "ttl" in self.sinks:
            self.sinks["ttl"].write(w.turtle())

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

    def finish(self) -> int:
        """Write the shared entities, the resolved citations and the diffusion links;
        the number of triples written in all."""
        res = self.resolution
        for e in self.cited:
            res.merge(e, self.index.resolve(e.key))
        self.cited = []
        w = Triples()
        for entity in sorted(res.entities.values(), key=lambda e: e.key):
            _add_entity(w, entity, display_label(res, entity))
        for s, p, key in self.deferred:
            w.row(s, p, f"<{iri(self.index.resolve(key))}>")
        self.deferred = []
        self._write(w)
        if self.diffusion and self.sketches is not None:
            links = _similarity_links(self.sketches)
            self.sketches = None  # not needed past here: free them before writing
            self.links = len(links)
            for part in _similarity_triples(links):
                self._write(part)
        return self.triples


def _similarity_links(sk) -> list[tuple[str, str, str, str, float]]:
    """``(a, b, evidence of a, evidence of b, score)`` for the similar measures, a < b, sorted."""
    links = []
    for i, j, score in similar_pairs(sk):
        (a, ea), (b, eb) = sorted([(sk.measures[i], sk.evidence[i]), (sk.measures[j], sk.evidence[j])])
        links.append((a, b, ea, eb, score))
    links.sort()
    return links


def _similarity_triples(links: list, chunk: int = 20_000) -> Iterator[Triples]:
    """``vet:similarTo`` links and ``vet:Similarity`` nodes, ``chunk`` links at a time (a
    large corpus has millions of these triples: never all in memory at once)."""
    for start in range(0, len(links), chunk):
        w = Triples()
        for a, b, ea, eb, score in links[start : start + chunk]:
            node = similarity_node(a, b)
            w.add(a, "vet:similarTo", b)
            w.a(node, "vet:Similarity")
            w.add(node, "vet:similarityOf", a)
            w.add(node, "vet:similarityOf", b)
            w.add(node, "vet:score", w.lit(score, "decimal"))
            w.add(node, "vet:method", w.lit(METHOD))
            for ev in (ea, eb):
                if ev:
                    w.add(node, "prov:wasDerivedFrom", ev)
        yield w


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
