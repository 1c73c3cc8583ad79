"""Policy diffusion: measures whose text is reused across documents.

Local policies copy national templates and each other (拓宽企业参与途径, 深化“引企入教”改革 …).
Every measure's text (the evidence of its ``vet:partOf``) is cut into character shingles.
MinHash signatures (computed per document, in the document stage, so a corpus never
holds its texts) and LSH banding propose candidate pairs from different documents; the
signatures estimate their similarity, each measure keeps its best candidates, and the
exact Jaccard similarity of their shingle sets decides and scores. Links go into the
graph as ``vet:similarTo`` with a ``vet:Similarity`` node carrying the score, derived from
the two measures' evidence.

At scale the work stays bounded: banding is vectorised with numpy; within one LSH bucket
a measure is compared with its ``WINDOW`` nearest members only (a template copied by
thousands of documents is one bucket of thousands); every measure keeps its
``MAX_PARTNERS`` most similar partners.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from kg.analytics.projections import PROV, _index
from kg.ontology import RESOURCE, VET

SHINGLE = 4  # characters: specific enough in Chinese, short enough to survive local edits
THRESHOLD = 0.15  # exact Jaccard of shingle sets (identical headings with rewritten text score ~0.17–0.2)
MIN_SHINGLES = 8  # shorter texts (a bare heading) say too little to compare
NUM_PERM = 128
BANDS, ROWS = 64, 2  # LSH: a pair becomes a candidate near Jaccard (1/64)^(1/2) ≈ 0.125
MAX_PARTNERS = 5  # links kept per measure (its most similar): a template copied by every
# document of a large corpus would otherwise give a quadratic number of links
WINDOW = 2 * MAX_PARTNERS  # bucket members each measure is compared with
METHOD = f"minhash-lsh, {SHINGLE}-character shingles, exact Jaccard"
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


@lru_cache(maxsize=1)
def _permutations():
    import numpy as np

    rng = np.random.RandomState(1)
    a = rng.randint(0, 1 << 63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    return a, rng.randint(0, 1 << 63, size=NUM_PERM, dtype=np.uint64)


@dataclass
class Sketches:
    """MinHash sketches of measures: IRI, document, inclusion evidence, signature and the
    sorted CRC-32 hashes of the shingles (for the exact Jaccard). Documents append theirs;
    arrays are concatenated once, when pairs are asked for."""

    measures: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    signatures: list = field(default_factory=list)  # numpy arrays (n, NUM_PERM) uint32
    hashes: list = field(default_factory=list)  # numpy arrays, one per measure

    def __len__(self) -> int:
        return len(self.measures)

    def extend(self, other: "Sketches") -> None:
        self.measures += other.measures
        self.documents += other.documents
        self.evidence += other.evidence
        self.signatures += other.signatures
        self.hashes += other.hashes


def sketch(items: list[tuple[str, str, str, str]], k: int = SHINGLE) -> Sketches:
    """Sketches of ``(measure, document, evidence, text)`` items (texts with fewer than
    ``MIN_SHINGLES`` shingles are left out)."""
    import numpy as np

    out = Sketches()
    for measure, doc, ev, text in items:
        grams = shingles(text, k)
        if len(grams) < MIN_SHINGLES:
            continue
        out.measures.append(measure)
        out.documents.append(doc)
        out.evidence.append(ev)
        out.hashes.append(np.array(sorted({zlib.crc32(g.encode("utf-8")) for g in grams}), np.uint32))
    if out.hashes:
        a, b = _permutations()
        flat = np.concatenate(out.hashes).astype(np.uint64)
        starts = np.cumsum([0] + [len(h) for h in out.hashes[:-1]])
        values = np.multiply.outer(a, flat)  # (NUM_PERM, shingles): multiply-shift hashing, mod 2**64
        values += b[:, None]
        values >>= np.uint64(32)
        out.signatures = [np.minimum.reduceat(values, starts, axis=1).T.astype(np.uint32)]
    return out


def _top_per_measure(i, j, score, limit: int):
    """Indexes of the pairs that are among the ``limit`` best of either of their measures."""
    import numpy as np

    m = np.concatenate([i, j])
    other = np.concatenate([j, i])
    s = np.concatenate([score, score])
    pair = np.concatenate([np.arange(len(i)), np.arange(len(i))])
    order = np.lexsort((other, -s, m))
    m_sorted = m[order]
    starts = np.flatnonzero(np.r_[True, m_sorted[1:] != m_sorted[:-1]])
    rank = np.arange(len(m_sorted)) - np.repeat(starts, np.diff(np.r_[starts, len(m_sorted)]))
    return np.unique(pair[order][rank < limit])


def _exact_jaccard(hashes: list, i, j):
    """Exact Jaccard of the shingle-hash sets of pairs ``(i[c], j[c])``, ``i`` sorted: the
    partners of one measure are looked up in its sorted hashes at once."""
    import numpy as np

    out = np.empty(len(i))
    bounds = np.flatnonzero(np.r_[True, i[1:] != i[:-1], True]) if len(i) else []
    for s, e in zip(bounds[:-1], bounds[1:]):
        ha = hashes[i[s]]
        parts = [hashes[x] for x in j[s:e].tolist()]
        lens = np.fromiter(map(len, parts), np.int64, len(parts))
        cat = np.concatenate(parts)
        pos = np.searchsorted(ha, cat)
        pos[pos == len(ha)] = 0
        inter = np.add.reduceat(ha[pos] == cat, np.r_[0, np.cumsum(lens)[:-1]], dtype=np.int64)
        out[s:e] = inter / (len(ha) + lens - inter)
    return out


def sorted_unique(a):
    """``np.unique`` for a flat integer array, by sorting (numpy's hash-based unique is
    several times slower on the tens of millions of candidate codes of a large corpus)."""
    import numpy as np

    a.sort()
    return a[np.r_[True, a[1:] != a[:-1]]] if len(a) else a


def similar_pairs(sk: Sketches, threshold: float = THRESHOLD,
                  max_partners: int = MAX_PARTNERS) -> list[tuple[int, int, float]]:
    """``(i, j, score)`` for measures ``i < j`` of different documents whose exact
    Jaccard is at least ``threshold``, each measure keeping its ``max_partners`` best."""
    import numpy as np

    n = len(sk)
    if n < 2:
        return []
    sigs = np.concatenate(sk.signatures)
    _, docs = np.unique(np.array(sk.documents, dtype=object).astype(str), return_inverse=True)
    codes = np.zeros(0, np.int64)
    for band in range(BANDS):
        cols = sigs[:, band * ROWS:(band + 1) * ROWS]
        keys = cols[:, 0].astype(np.uint64) << np.uint64(32) | cols[:, 1].astype(np.uint64)
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        found = [codes]
        for d in range(1, min(WINDOW, n - 1) + 1):
            same = ordered[:-d] == ordered[d:]
            if not same.any():
                break
            a, b = order[:-d][same], order[d:][same]
            lo, hi = np.minimum(a, b), np.maximum(a, b)
            keep = docs[lo] != docs[hi]
            found.append(lo[keep].astype(np.int64) * n + hi[keep])
        codes = sorted_unique(np.concatenate(found))
    if not len(codes):
        return []
    i, j = codes // n, codes % n
    estimate = np.concatenate([
        np.count_nonzero(sigs[i[c:c + 500_000]] == sigs[j[c:c + 500_000]], axis=1) / NUM_PERM
        for c in range(0, len(codes), 500_000)])
    near = estimate >= threshold * 0.7
    i, j, estimate = i[near], j[near], estimate[near]
    chosen = _top_per_measure(i, j, estimate, max_partners + 2)
    i, j = i[chosen], j[chosen]
    exact = _exact_jaccard(sk.hashes, i, j)
    good = exact >= threshold
    i, j, exact = i[good], j[good], exact[good]
    kept = _top_per_measure(i, j, exact, max_partners)
    return sorted((int(i[c]), int(j[c]), round(float(exact[c]), 4)) for c in kept)


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
    sk = sketch([(m, ix.measure_document.get(m, ""), "", text)
                 for m, text in sorted(measure_texts(ix).items())])
    cites = _citations(ix)
    pairs = []
    for a_i, b_i, score in similar_pairs(sk, threshold, max_partners):
        m, other = sk.measures[a_i], sk.measures[b_i]
        da, db = ix.measure_document.get(m), ix.measure_document.get(other)
        pairs.append({
            "a": m, "b": other, "score": score,
            "heading_a": ix.labels.get(m, ""), "heading_b": ix.labels.get(other, ""),
            "document_a": ix.labels.get(da, ""), "document_b": ix.labels.get(db, ""),
            "region_a": ix.region_of(m) or "", "region_b": ix.region_of(other) or "",
            "shared_citations": _shared(ix, cites, da, db)})
    return sorted(pairs, key=lambda r: (-r["score"], r["a"], r["b"]))


def similarity_node(a: str, b: str) -> str:
    """The IRI of the ``vet:Similarity`` node of measures ``a`` and ``b`` (a < b)."""
    digest = hashlib.sha1(f"{a}\x1f{b}".encode()).hexdigest()[:20]
    return f"{RESOURCE}similarity/{digest}"


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
        node = rdflib.URIRef(similarity_node(p["a"], p["b"]))
        graph.add((node, RDF.type, V.Similarity))
        graph.add((node, V.similarityOf, a))
        graph.add((node, V.similarityOf, b))
        graph.add((node, V.score, rdflib.Literal(str(p["score"]), datatype=XSD.decimal)))
        graph.add((node, V.method, rdflib.Literal(METHOD)))
        for m in (p["a"], p["b"]):
            if m in inclusion_ev:
                graph.add((node, rdflib.URIRef(PROV + "wasDerivedFrom"), inclusion_ev[m]))
    return len(pairs)


def diffusion_links(graph, threshold: Optional[float] = None) -> list[dict]:
    """The similarity pairs already in the graph (``vet:Similarity`` nodes), as rows."""
    ix = _index(graph)
    src = ix.source
    cites = _citations(ix)
    members: dict[str, list[str]] = defaultdict(list)
    for node, m in src.pairs(VET + "similarityOf"):  # index scans, not a lookup per node
        members[node].append(m)
    scores = dict(src.pairs(VET + "score"))
    rows = []
    for node, ms in members.items():
        if len(ms) != 2 or node not in scores:
            continue
        score = float(scores[node])
        if threshold is not None and score < threshold:
            continue
        a, b = sorted(ms)
        da, db = ix.measure_document.get(a), ix.measure_document.get(b)
        rows.append({"a": a, "b": b, "score": score,
                     "heading_a": ix.labels.get(a, ""), "heading_b": ix.labels.get(b, ""),
                     "document_a": ix.labels.get(ix.measure_document.get(a), ""),
                     "document_b": ix.labels.get(ix.measure_document.get(b), ""),
                     "region_a": ix.region_of(a) or "", "region_b": ix.region_of(b) or "",
                     "shared_citations": _shared(ix, cites, da, db)})
    return sorted(rows, key=lambda r: (-r["score"], r["a"], r["b"]))
