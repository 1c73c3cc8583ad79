"""Policy diffusion read from the graph: measures whose text is reused across documents.

The links are made at build time (:mod:`kg.resolution.similarity`); this module reads
them back as rows with headings, documents, regions and the policies both documents cite.
"""

from __future__ import annotations

from collections import defaultdict

from kg.analytics.projections import _index
from kg.rdf.mapping import similarity_node
from kg.rdf.ontology import VET
from kg.resolution.similarity import MAX_PARTNERS, THRESHOLD, similar_pairs, sketch


def measure_texts(graph) -> dict[str, str]:
    """Measure IRI → its text (the quoted evidence of its inclusion in the document)."""
    ix = _index(graph)
    return {a["subject"]: a["quote"] or "" for a in ix.by_predicate("partOf")}


def similar_measures(graph, threshold: float = THRESHOLD, max_partners: int = MAX_PARTNERS) -> list[dict]:
    """Pairs of measures of different documents whose texts overlap: score (exact
    Jaccard), both headings, documents and regions, and the policies both documents cite
    (the likely common parent). Each measure keeps its ``max_partners`` most similar
    partners (a pair stays when either side keeps it)."""
    ix = _index(graph)
    sk = sketch([(m, ix.measure_document.get(m, ""), "", text) for m, text in sorted(measure_texts(ix).items())])
    cites = _citations(ix)
    pairs = []
    for a_i, b_i, score in similar_pairs(sk, threshold, max_partners):
        m, other = sk.measures[a_i], sk.measures[b_i]
        da, db = ix.measure_document.get(m), ix.measure_document.get(other)
        pairs.append(
            {
                "a": m,
                "b": other,
                "score": score,
                "heading_a": ix.labels.get(m, ""),
                "heading_b": ix.labels.get(other, ""),
                "document_a": ix.label(da),
                "document_b": ix.label(db),
                "region_a": ix.region_of(m) or "",
                "region_b": ix.region_of(other) or "",
                "shared_citations": _shared(ix, cites, da, db),
            }
        )
    return sorted(pairs, key=lambda r: (-r["score"], r["a"], r["b"]))


def _citations(ix) -> dict[str, set[str]]:
    """Who cites whom: the plain ``vet:cites`` pairs (an index scan; each has its
    qualified assertion, an invariant of the graph, whose evidence is not needed here)."""
    cites: dict[str, set[str]] = defaultdict(set)
    for s, o in ix.relation("cites"):
        cites[s].add(o)
    return cites


def _shared(ix, cites: dict[str, set[str]], da: str | None, db: str | None) -> str:
    """The policies both documents cite: the likely common parent of a reused text."""
    return "；".join(
        sorted(
            ix.labels.get(c, c)
            for c in (cites.get(da, set()) if da else set()) & (cites.get(db, set()) if db else set())
        )
    )


def diffusion_links(graph, threshold: float | None = None) -> list[dict]:
    """The similarity pairs already in the graph (``vet:Similarity`` nodes), as rows."""
    ix = _index(graph)
    src = ix.source
    cites = _citations(ix)
    scores = dict(src.pairs(VET + "score"))  # index scans, not a lookup per node
    rows = []
    # a link is one vet:similarTo triple and its node is named by the pair
    # (kg.rdf.mapping.similarity_node): half the triples to read of the node's two members
    for a, b in {(s, o) if s < o else (o, s) for s, o in src.pairs(VET + "similarTo")}:
        node = similarity_node(a, b)
        if node not in scores:
            continue
        score = float(scores[node])
        if threshold is not None and score < threshold:
            continue
        da, db = ix.measure_document.get(a), ix.measure_document.get(b)
        rows.append(
            {
                "a": a,
                "b": b,
                "score": score,
                "heading_a": ix.labels.get(a, ""),
                "heading_b": ix.labels.get(b, ""),
                "document_a": ix.label(ix.measure_document.get(a)),
                "document_b": ix.label(ix.measure_document.get(b)),
                "region_a": ix.region_of(a) or "",
                "region_b": ix.region_of(b) or "",
                "shared_citations": _shared(ix, cites, da, db),
            }
        )
    return sorted(rows, key=lambda r: (-r["score"], r["a"], r["b"]))
