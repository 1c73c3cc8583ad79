"""Measures whose text is reused across documents (policy diffusion), found at build time.

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

import itertools
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

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
    return {text[i : i + k] for i in range(max(0, len(text) - k + 1))}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


@lru_cache(maxsize=1)
def _permutations():

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
    signatures: list[np.ndarray] = field(default_factory=list)  # arrays (n, NUM_PERM) uint32
    hashes: list[np.ndarray] = field(default_factory=list)  # uint32 arrays, one per measure

    def __len__(self) -> int:
        return len(self.measures)

    def extend(self, other: Sketches) -> None:
        self.measures += other.measures
        self.documents += other.documents
        self.evidence += other.evidence
        self.signatures += other.signatures
        self.hashes += other.hashes


def sketch(items: list[tuple[str, str, str, str]] | list[tuple[str, str, str, str, int]], k: int = SHINGLE) -> Sketches:
    """Sketches of ``(measure, document, evidence, text)`` items (texts with fewer than
    ``MIN_SHINGLES`` shingles are left out; anything after the text is ignored)."""

    out = Sketches()
    for item in items:
        measure, doc, ev, text = item[:4]
        grams = shingles(text, k)
        if len(grams) < MIN_SHINGLES:
            continue
        out.measures.append(measure)
        out.documents.append(doc)
        out.evidence.append(ev)
        out.hashes.append(np.array(sorted(set(map(zlib.crc32, map(str.encode, grams)))), np.uint32))  # UTF-8
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

    out = np.empty(len(i))
    bounds = np.flatnonzero(np.r_[True, i[1:] != i[:-1], True]) if len(i) else np.empty(0, np.intp)
    for s, e in itertools.pairwise(bounds):
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

    a.sort()
    return a[np.r_[True, a[1:] != a[:-1]]] if len(a) else a


def similar_pairs(
    sk: Sketches, threshold: float = THRESHOLD, max_partners: int = MAX_PARTNERS
) -> list[tuple[int, int, float]]:
    """``(i, j, score)`` for measures ``i < j`` of different documents whose exact
    Jaccard is at least ``threshold``, each measure keeping its ``max_partners`` best."""

    n = len(sk)
    if n < 2:
        return []
    sigs = np.concatenate(sk.signatures)
    _, docs = np.unique(np.array(sk.documents, dtype=object).astype(str), return_inverse=True)
    codes = np.zeros(0, np.int64)
    for band in range(BANDS):
        cols = sigs[:, band * ROWS : (band + 1) * ROWS]
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
    estimate = np.concatenate(
        [
            np.count_nonzero(sigs[i[c : c + 500_000]] == sigs[j[c : c + 500_000]], axis=1) / NUM_PERM
            for c in range(0, len(codes), 500_000)
        ]
    )
    near = estimate >= threshold * 0.7
    i, j, estimate = i[near], j[near], estimate[near]
    chosen = _top_per_measure(i, j, estimate, max_partners + 2)
    i, j = i[chosen], j[chosen]
    exact = _exact_jaccard(sk.hashes, i, j)
    good = exact >= threshold
    i, j, exact = i[good], j[good], exact[good]
    kept = _top_per_measure(i, j, exact, max_partners)
    return sorted((int(i[c]), int(j[c]), round(float(exact[c]), 4)) for c in kept)
