"""Policy diffusion: measures whose text is reused across documents.

Local policies copy national templates and each other (拓宽企业参与途径, 深化“引企入教”改革 …).
Every measure's text (the evidence of its ``vet:partOf``) is cut into character shingles;
MinHash signatures and LSH (datasketch) propose candidate pairs from different documents,
and the exact Jaccard similarity of their shingle sets decides. Links go back into the
graph as ``vet:similarTo`` with a ``vet:Similarity`` node carrying the score, derived from
the two measures' evidence.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from typing import Optional

from kg.analytics.projections import PROV, _index
from kg.ontology import RESOURCE, VET

SHINGLE = 4  # characters: specific enough in Chinese, short enough to survive local edits
THRESHOLD = 0.15  # exact Jaccard of shingle sets (identical headings with rewritten text score ~0.17–0.2)
NUM_PERM = 128
MAX_PARTNERS = 5  # links kept per measure (its most similar): a template copied by every
# document of a large corpus would otherwise give a quadratic number of links
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)
_MARKER = re.compile(r"^[(（]?[一二三四五六七八九十\d]+[)）、.．]?")


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """Character k-grams of a measure's text, without its outline number, punctuation
    and spaces (NFKC)."""
    text = _MARKER.sub("", unicodedata.normalize("NFKC", text).strip())
    text = _DROP.sub("", text)
    return {text[i:i + k] for i in range(max(0, len(text) - k + 1))}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def measure_texts(graph) -> dict[str, str]:
    """Measure IRI → its text (the quoted evidence of its inclusion in the document)."""
    ix = _index(graph)
    return {a["subject"]: a["quote"] or "" for a in ix.by_predicate("partOf")}


def similar_measures(graph, threshold: float = THRESHOLD, k: int = SHINGLE,
                     num_perm: int = NUM_PERM, max_partners: int = MAX_PARTNERS) -> list[dict]:
    """Pairs of measures of different documents whose texts overlap: score (exact
    Jaccard), both headings, documents and regions, and the policies both documents cite
    (the likely common parent). Each measure keeps its ``max_partners`` most similar
    partners (a pair stays when either side keeps it)."""
    from datasketch import MinHash, MinHashLSH

    ix = _index(graph)
    texts = measure_texts(ix)
    sets = {m: shingles(t, k) for m, t in sorted(texts.items())}
    sets = {m: s for m, s in sets.items() if len(s) >= 8}
    lsh = MinHashLSH(threshold=max(0.05, threshold * 0.7), num_perm=num_perm)
    sigs = {}
    for m, s in sets.items():
        mh = MinHash(num_perm=num_perm, seed=1)
        for sh in sorted(s):
            mh.update(sh.encode("utf-8"))
        sigs[m] = mh
        lsh.insert(m, mh)
    cites = _citations(ix)
    scored: dict[tuple[str, str], float] = {}
    best: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for m, mh in sigs.items():
        for other in lsh.query(mh):
            if other <= m or ix.measure_document.get(m) == ix.measure_document.get(other):
                continue
            score = jaccard(sets[m], sets[other])
            if score >= threshold:
                scored[(m, other)] = score
                best[m].append((-score, other))
                best[other].append((-score, m))
    keep = set()
    for m, partners in best.items():
        for _, other in sorted(partners)[:max_partners]:
            keep.add((min(m, other), max(m, other)))
    pairs = []
    for (m, other), score in scored.items():
        if (m, other) not in keep:
            continue
        da, db = ix.measure_document.get(m), ix.measure_document.get(other)
        pairs.append({
            "a": m, "b": other, "score": round(score, 4),
            "heading_a": ix.labels.get(m, ""), "heading_b": ix.labels.get(other, ""),
            "document_a": ix.labels.get(da, ""), "document_b": ix.labels.get(db, ""),
            "region_a": ix.region_of(m) or "", "region_b": ix.region_of(other) or "",
            "shared_citations": _shared(ix, cites, da, db)})
    return sorted(pairs, key=lambda r: (-r["score"], r["a"], r["b"]))


def _citations(ix) -> dict[str, set[str]]:
    cites: dict[str, set[str]] = defaultdict(set)
    for a in ix.by_predicate("cites"):
        cites[a["subject"]].add(a["object"])
    return cites


def _shared(ix, cites: dict[str, set[str]], da: Optional[str], db: Optional[str]) -> str:
    """The policies both documents cite: the likely common parent of a reused text."""
    return "；".join(sorted(ix.labels.get(c, c) for c in cites.get(da, set()) & cites.get(db, set())))


def add_similarity(graph, pairs: list[dict]) -> int:
    """Write the pairs into ``graph``: ``a vet:similarTo b`` (symmetric) and a
    ``vet:Similarity`` node with ``vet:score`` derived from both measures' evidence.
    Returns the number of links added."""
    import rdflib
    from rdflib.namespace import RDF, XSD

    V = rdflib.Namespace(VET)
    ev_of = {str(s): o for s, o in graph.subject_objects(rdflib.URIRef(PROV + "wasDerivedFrom"))}
    inclusion_ev = {}
    for a, m in graph.subject_objects(V.assertedSubject):
        if (a, V.assertedPredicate, V.partOf) in graph and str(a) in ev_of:
            inclusion_ev[str(m)] = ev_of[str(a)]
    for p in pairs:
        a, b = rdflib.URIRef(p["a"]), rdflib.URIRef(p["b"])
        graph.add((a, V.similarTo, b))
        digest = hashlib.sha1(f"{p['a']}\x1f{p['b']}".encode()).hexdigest()[:20]
        node = rdflib.URIRef(f"{RESOURCE}similarity/{digest}")
        graph.add((node, RDF.type, V.Similarity))
        graph.add((node, V.similarityOf, a))
        graph.add((node, V.similarityOf, b))
        graph.add((node, V.score, rdflib.Literal(str(p["score"]), datatype=XSD.decimal)))
        graph.add((node, V.method, rdflib.Literal(f"minhash-lsh, {SHINGLE}-character shingles, exact Jaccard")))
        for m in (p["a"], p["b"]):
            if m in inclusion_ev:
                graph.add((node, rdflib.URIRef(PROV + "wasDerivedFrom"), inclusion_ev[m]))
    return len(pairs)


def diffusion_links(graph, threshold: Optional[float] = None) -> list[dict]:
    """The similarity pairs already in the graph (``vet:Similarity`` nodes), as rows."""
    import rdflib

    ix = _index(graph)
    V = rdflib.Namespace(VET)
    cites = _citations(ix)
    rows = []
    for node in graph.subjects(rdflib.RDF.type, V.Similarity):
        ms = sorted(str(m) for m in graph.objects(node, V.similarityOf))
        if len(ms) != 2:
            continue
        score = float(graph.value(node, V.score))
        if threshold is not None and score < threshold:
            continue
        a, b = ms
        da, db = ix.measure_document.get(a), ix.measure_document.get(b)
        rows.append({"a": a, "b": b, "score": score,
                     "heading_a": ix.labels.get(a, ""), "heading_b": ix.labels.get(b, ""),
                     "document_a": ix.labels.get(ix.measure_document.get(a), ""),
                     "document_b": ix.labels.get(ix.measure_document.get(b), ""),
                     "region_a": ix.region_of(a) or "", "region_b": ix.region_of(b) or "",
                     "shared_citations": _shared(ix, cites, da, db)})
    return sorted(rows, key=lambda r: (-r["score"], r["a"], r["b"]))
