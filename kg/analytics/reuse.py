"""Clause-level text reuse: how much of each local measure is copied from its parent.

Reviews call provincial 产教融合 policies 高度雷同 (highly alike) without measuring it.
Here every measure of the graph is aligned character by character with its closest
measure in a document it cites (when that document is in the corpus), and failing that
with its closest measure elsewhere in the corpus; the share of its characters that sit in
aligned runs of at least ``MIN_RUN`` characters is its reuse share. Per document this
gives the share of its measure text copied from the parent, copied from elsewhere, and
written anew. Every figure keeps its evidence: both measures, and the reused runs as
spans into the document text.

The alignment (:func:`align`) chains maximal exact matches of at least ``MIN_RUN``
characters in order (a local alignment without gap costs: the copied runs, in the order
both texts have them). It reads the texts without whitespace, outline number and
responsibility clause (责任单位：…, which names local bodies, not policy), with full-width
forms folded to ASCII, so a re-punctuated or hard-wrapped copy is still a copy; offsets
map back to the text as read. On copied text it finds what ``difflib.SequenceMatcher``
finds, in a fraction of the time.

Candidates come from the measures of the cited documents (ranked by shared shingles) and,
for the corpus, from the MinHash/LSH pairs of :mod:`kg.resolution.similarity`, so a corpus
of thousands of documents never compares all pairs.

Every build computes it in its corpus step, from the measures' texts and citations it
holds (:class:`kg.corpus.graph.CorpusGraph`), and writes it into the graph
(:func:`reuse_triples`: ``vet:reuses`` and a ``vet:Reuse`` node with ``vet:reuseShare``,
``vet:reuseScope``, ``vet:reusedCharacters`` and the aligned runs, ``vet:reuseRuns``);
the report reads it back (:func:`stored_reuse`) instead of aligning again. A graph
without any ``vet:Reuse`` node is searched here (:func:`find_reuse`, the measures read
from the store by :func:`kg.analytics.policy_tools.measure_texts`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from kg.analytics.policy_tools import MeasureText, measure_texts
from kg.analytics.projections import _index
from kg.core.memo import Memo, text_key
from kg.rdf.ontology import RESOURCE, VET
from kg.resolution.similarity import MAX_PARTNERS, THRESHOLD, Sketches, shingles, similar_pairs, sketch
from kg.store.joins import scan, scans

MIN_RUN = 6  # characters: shorter common runs (产教融合, 职业院校) are shared vocabulary, not copying
MAX_OCCURRENCES = 40  # a k-gram seen more often in the source is skipped as an anchor (like difflib's junk)
PARENT_INDEXES = 64  # cited documents whose shingles are indexed at once (the most recently used)
PARENT_CANDIDATES = 3  # measures of the cited documents aligned per measure (most shared shingles first)
CORPUS_CANDIDATES = 3  # corpus partners aligned per measure (MinHash/LSH, highest Jaccard first)
CORPUS_THRESHOLD = THRESHOLD  # exact Jaccard a corpus partner needs: the build's similarity links' (0.15)
CORPUS_PARTNERS = MAX_PARTNERS  # partners kept per measure, as the similarity links keep
SKETCH_CHUNK = 500  # measures sketched at once (about 128 × 150,000 hashes, 150 MB)
MIN_SHARE = 0.2  # a parent match copying less than this is no match: the corpus is searched
METHOD = f"chained exact runs of at least {MIN_RUN} characters (whitespace removed, full-width forms folded)"
_SKIP = re.compile(  # not the policy's words: its number, and who carries it out (责任单位：…)
    r"^\s*(?:[(（][一二三四五六七八九十百\d]+[)）]|[一二三四五六七八九十百]+、|\d+[.．、]|第[一二三四五六七八九十百\d]+条)"
    r"|[(（]\s*(?:责任单位|牵头单位|责任部门|配合单位)\s*[:：][^)）]*[)）]"
    r"|[(（][^()（）。]{0,120}(?:负责|牵头|配合)[)）]"
)
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


# --- the alignment ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alignment:
    """Runs copied from ``source`` into ``local``: ``(local_start, local_end,
    source_start, source_end)`` in offsets of the two texts as given (a run may hold
    whitespace the other side lacks); ``reused`` counts the local characters in them
    (whitespace aside), ``length`` the local text's characters (whitespace aside)."""

    runs: tuple[tuple[int, int, int, int], ...]
    reused: int
    length: int

    @property
    def share(self) -> float:
        return round(self.reused / self.length, 4) if self.length else 0.0

    def local_spans(self, offset: int = 0) -> list[tuple[int, int]]:
        return [(offset + a, offset + b) for a, b, _, _ in self.runs]

    def source_spans(self, offset: int = 0) -> list[tuple[int, int]]:
        return [(offset + a, offset + b) for _, _, a, b in self.runs]


# full-width forms fold to ASCII (（ → (, ： → :, ０ → 0): a copy re-typed with other
# punctuation is still a copy; one character for one, so offsets keep
_FOLD = {c: unicodedata.normalize("NFKC", chr(c)) for c in range(0xFF01, 0xFF5F)}
_KEPT = re.compile(r"\S+")


@lru_cache(maxsize=1024)
def _normalised(text: str) -> tuple[str, tuple[int, ...]]:
    """``text`` without whitespace, outline number and responsibility clause, full-width
    forms folded, with the offset of every kept character (cached: a measure is aligned
    with several candidates)."""
    masked = _SKIP.sub(lambda m: " " * len(m.group()), text).translate(_FOLD)
    parts: list[str] = []
    where: list[int] = []
    for m in _KEPT.finditer(masked):
        parts.append(m.group())
        where.extend(range(m.start(), m.end()))
    return "".join(parts), tuple(where)


@lru_cache(maxsize=512)
def _kgrams(text: str, k: int) -> dict[str, list[int]]:
    """Where each ``k``-gram of ``text`` starts (cached: a source is aligned with many
    measures)."""
    positions: dict[str, list[int]] = defaultdict(list)
    for j in range(len(text) - k + 1):
        positions[text[j : j + k]].append(j)
    return positions


def _anchors(a: str, b: str, k: int) -> list[tuple[int, int, int]]:
    """Maximal exact matches of at least ``k`` characters: ``(i, j, length)``."""
    if len(a) < k or len(b) < k:
        return []
    positions = _kgrams(b, k)
    out = []
    for i in range(len(a) - k + 1):
        js = positions.get(a[i : i + k])
        if not js or len(js) > MAX_OCCURRENCES:
            continue
        for j in js:
            if i and j and a[i - 1] == b[j - 1]:
                continue  # inside a longer match, found from its start
            n = k
            while i + n < len(a) and j + n < len(b) and a[i + n] == b[j + n]:
                n += 1
            out.append((i, j, n))
    return out


def _chain(anchors: list[tuple[int, int, int]], b_length: int) -> list[tuple[int, int, int]]:
    """The heaviest chain of anchors in the same order in both texts, none overlapping
    (dynamic programming, a Fenwick tree of prefix maxima over source end offsets)."""
    if not anchors:
        return []
    anchors = sorted(anchors)
    best = [0] * len(anchors)
    back = [-1] * len(anchors)
    tree: list[tuple[int, int]] = [(0, -1)] * (b_length + 1)
    by_end = sorted(range(len(anchors)), key=lambda x: anchors[x][0] + anchors[x][2])
    pending = 0
    for x, (i, j, n) in enumerate(anchors):
        while pending < len(by_end) and anchors[by_end[pending]][0] + anchors[by_end[pending]][2] <= i:
            y = by_end[pending]
            pos = anchors[y][1] + anchors[y][2]  # the source end of y (1-based in the tree)
            while pos <= b_length:
                if best[y] > tree[pos][0]:
                    tree[pos] = (best[y], y)
                pos += pos & -pos
            pending += 1
        value, prev, pos = 0, -1, j  # predecessors ending at or before j in the source
        while pos > 0:
            if tree[pos][0] > value:
                value, prev = tree[pos]
            pos -= pos & -pos
        best[x], back[x] = value + n, prev
    x = max(range(len(anchors)), key=lambda z: (best[z], -z))
    chain = []
    while x != -1:
        chain.append(anchors[x])
        x = back[x]
    return chain[::-1]


def align(local: str, source: str, min_run: int = MIN_RUN) -> Alignment:
    """The runs of ``local`` copied from ``source`` (at least ``min_run`` characters each,
    in the same order in both), with the share of ``local`` they cover."""
    a, wa = _normalised(local)
    b, wb = _normalised(source)
    if a and a == b:
        chain = [(0, 0, len(a))]
    else:
        chain = _chain(_anchors(a, b, min_run), len(b))
    runs = tuple((wa[i], wa[i + n - 1] + 1, wb[j], wb[j + n - 1] + 1) for i, j, n in chain)
    return Alignment(runs, sum(n for _, _, n in chain), len(a))


# --- reuse in the graph -----------------------------------------------------------------------------


@dataclass
class Reuse:
    """A measure and its closest measure elsewhere (``source`` None when nothing is
    reused): ``scope`` ``parent`` (a document it cites) or ``corpus``."""

    measure: MeasureText
    source: MeasureText | None
    scope: str
    alignment: Alignment

    @property
    def share(self) -> float:
        return self.alignment.share if self.source is not None else 0.0

    @property
    def reused(self) -> int:
        return self.alignment.reused if self.source is not None else 0


_NONE = Alignment((), 0, 0)


def find_reuse(
    graph,
    min_run: int = MIN_RUN,
    min_share: float = MIN_SHARE,
    corpus_threshold: float = CORPUS_THRESHOLD,
    measures: list[MeasureText] | None = None,
    corpus: bool = True,
    partners: dict[str, list[str]] | None = None,
    cites: dict[str, set[str]] | None = None,
    memo: Memo | None = None,
) -> list[Reuse]:
    """Every measure of the built documents with its closest measure in a document it
    cites (when that document is in the corpus and the match reuses at least
    ``min_share`` of it), else in the rest of the corpus (MinHash/LSH candidates with
    Jaccard ≥ ``corpus_threshold``; not the documents citing this one, which copy from
    it), aligned; measures without a match have no source.
    ``graph`` may also be a list of :class:`MeasureText` with ``cites`` unknown (corpus
    matches only); ``measures``, the graph's measures when already read
    (:func:`kg.analytics.policy_tools.measure_texts`); ``corpus=False``: the cited
    documents only (no MinHash over every measure); ``partners``, each measure's corpus
    candidates when known (measure IRI → IRIs, most similar first: the graph's
    ``vet:similarTo`` links, :func:`kg.analytics.diffusion.diffusion_links`), else they
    are found by MinHash/LSH by the links' own rule (Jaccard ≥ ``CORPUS_THRESHOLD``, the
    ``CORPUS_PARTNERS`` most similar per measure); ``cites``, with a list of measures,
    the documents each document cites (document IRI → IRIs of built documents);
    ``memo``, alignments kept from an earlier build (:mod:`kg.core.memo`)."""
    if isinstance(graph, list):
        measures = graph
        cites = {doc: {c for c in cited if c != doc} for doc, cited in (cites or {}).items()}
    else:
        cites = defaultdict(set)
        ix = _index(graph)
        if measures is None:
            measures = measure_texts(ix)
        built = set(ix.documents)
        for doc, cited in ix.relation("cites"):
            if cited in built and cited != doc:
                cites[doc].add(cited)
    citers: dict[str, set[str]] = defaultdict(set)
    for doc, parents in cites.items():
        for parent in parents:
            citers[parent].add(doc)
    by_doc: dict[str, list[int]] = defaultdict(list)
    for n, m in enumerate(measures):
        by_doc[m.document].append(n)
    postings = _Postings(measures, by_doc)
    if not corpus:
        candidates: dict[int, list[int]] = {}
    elif partners is not None:
        at = {m.measure: n for n, m in enumerate(measures)}
        candidates = {at[m]: [at[x] for x in xs if x in at] for m, xs in partners.items() if m in at}
    else:
        candidates = _corpus_partners(measures, corpus_threshold)
    out = []
    for n, m in enumerate(measures):
        best: tuple[float, int, Alignment] | None = None
        cited_docs = tuple(sorted(doc for doc in cites.get(m.document, ()) if by_doc.get(doc)))
        if cited_docs:
            ranked = postings.ranked(cited_docs, shingles(m.text))
            best = _best(m, ranked[:PARENT_CANDIDATES], measures, min_run, memo)
        if best is not None and best[0] >= min_share:
            out.append(Reuse(m, measures[best[1]], "parent", best[2]))
            continue
        children = citers.get(m.document, set())  # they copy from this document, not the reverse
        others = [x for x in candidates.get(n, []) if measures[x].document not in children]
        found = _best(m, others[:CORPUS_CANDIDATES], measures, min_run, memo)
        if found is not None and found[0] > 0:
            out.append(Reuse(m, measures[found[1]], "corpus", found[2]))
        else:
            out.append(Reuse(m, None, "", _NONE))
    _kgrams.cache_clear()  # a few hundred MB on a large corpus: not kept past the search
    _normalised.cache_clear()
    return out


class _Postings:
    """The measures of each cited document by shingle (an inverted index per document,
    the ``PARENT_INDEXES`` most recently used kept), to rank a measure's candidates by
    shared shingles without comparing it with every measure of a national plan that
    every document cites, nor keeping the shingles of the whole corpus."""

    def __init__(self, measures: list[MeasureText], by_doc: dict[str, list[int]]):
        self.measures, self.by_doc = measures, by_doc
        self.indexes: dict[str, dict[str, list[int]]] = {}

    def index(self, doc: str) -> dict[str, list[int]]:
        found = self.indexes.pop(doc, None)
        if found is None:
            found = defaultdict(list)
            for x in self.by_doc[doc]:
                for g in shingles(self.measures[x].text):
                    found[g].append(x)
            if len(self.indexes) >= PARENT_INDEXES:
                del self.indexes[next(iter(self.indexes))]  # the least recently used
        self.indexes[doc] = found
        return found

    def ranked(self, parents: tuple[str, ...], grams: set[str]) -> list[int]:
        """The measures of the ``parents`` sharing a shingle with ``grams``, the most
        shared first (containment in ``grams``), ties by position."""
        if not grams:
            return []
        shared: dict[int, int] = defaultdict(int)
        for doc in parents:
            index = self.index(doc)
            for g in grams:
                for x in index.get(g, ()):
                    shared[x] += 1
        return sorted(shared, key=lambda x: (-shared[x], x))


def _best(m: MeasureText, candidates: list[int], measures: list[MeasureText], min_run: int, memo: Memo | None = None):
    """``(share, index, alignment)`` of the candidate ``m`` reuses most (the first of
    equals), None without candidates; looked up in ``memo`` under the texts aligned (a
    rebuild realigns only the measures whose text or candidates changed)."""
    if not candidates:
        return None
    key = text_key(str(min_run), m.text, *(measures[x].text for x in candidates)) if memo is not None else ""
    if memo is not None:
        held: Any = memo.get(ALIGNMENTS, key)
        try:  # a miss, or an entry of another shape (a damaged or planted file): aligned anew
            pos, runs, reused, length = held
            al = Alignment(tuple((int(a), int(b), int(c), int(d)) for a, b, c, d in runs), int(reused), int(length))
            if 0 <= pos < len(candidates):
                return al.share, candidates[pos], al
        except (TypeError, ValueError, OverflowError):
            pass
    best = None
    for pos, x in enumerate(candidates):
        al = align(m.text, measures[x].text, min_run)
        if best is None or al.share > best[0]:
            best = (al.share, x, al, pos)
    assert best is not None
    if memo is not None:
        memo.put(ALIGNMENTS, key, [best[3], [list(r) for r in best[2].runs], best[2].reused, best[2].length])
    return best[:3]


ALIGNMENTS = "alignments"  # the memo table of :func:`_best`


def _corpus_partners(measures: list[MeasureText], threshold: float) -> dict[int, list[int]]:
    """Measure index → its partners in other documents (MinHash/LSH, exact Jaccard ≥
    ``threshold``), most similar first."""
    sk = Sketches()
    for start in range(0, len(measures), SKETCH_CHUNK):  # MinHash holds (permutations × shingles) at once
        chunk = measures[start : start + SKETCH_CHUNK]
        sk.extend(sketch([(str(start + n), m.document, "", m.text) for n, m in enumerate(chunk)]))
    pairs: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for i, j, score in similar_pairs(sk, threshold, CORPUS_PARTNERS):
        a, b = int(sk.measures[i]), int(sk.measures[j])
        pairs[a].append((score, b))
        pairs[b].append((score, a))
    return {n: [x for _, x in sorted(ps, key=lambda p: (-p[0], p[1]))] for n, ps in pairs.items()}


def _spans(spans: list[tuple[int, int]]) -> str:
    return ";".join(f"{s}-{e}" for s, e in spans)


def reuse_rows(reuses: list[Reuse]) -> list[dict]:
    """One row per measure: its document, region, key and span, its closest source
    (document, region, key, scope ``parent``/``corpus``), the share and number of its
    characters reused, and the reused runs as spans into both documents."""
    return list(iter_reuse_rows(reuses))


def iter_reuse_rows(reuses: list[Reuse]) -> Iterator[dict]:
    """The rows of :func:`reuse_rows`, in its order, one at a time (one per measure of
    the corpus: the report writes them as they come)."""
    for r in sorted(reuses, key=lambda r: (r.measure.doc_id, r.measure.start)):
        m, s = r.measure, r.source
        yield (
            {
                "doc_id": m.doc_id,
                "document": m.title,
                "region": m.region,
                "measure": m.key,
                "start": m.start,
                "end": m.end,
                "source_doc_id": s.doc_id if s else "",
                "source_document": s.title if s else "",
                "source_region": s.region if s else "",
                "source_measure": s.key if s else "",
                "scope": r.scope,
                "share": r.share,
                "reused_chars": r.reused,
                "chars": r.alignment.length if s else len(_normalised(m.text)[0]),
                "local_spans": _spans(r.alignment.local_spans(m.start)) if s else "",
                "source_spans": _spans(r.alignment.source_spans(s.start)) if s else "",
                "measure_iri": m.measure,
                "source_iri": s.measure if s else "",
            }
        )


def document_shares(reuses: list[Reuse]) -> list[dict]:
    """Per document: its measures' characters, the share copied from a cited document
    (``parent_share``), from elsewhere in the corpus (``corpus_share``), and written anew
    (``new_share``), with the parent documents its copied measures come from."""
    docs: dict[str, dict[str, Any]] = {}
    for r in reuses:
        m = r.measure
        d = docs.setdefault(
            m.doc_id,
            {"doc_id": m.doc_id, "document": m.title, "region": m.region, "measures": 0, "chars": 0, "parent": 0,
             "corpus": 0, "sources": set()},
        )  # fmt: skip
        d["measures"] += 1
        d["chars"] += r.alignment.length if r.source else len(_normalised(m.text)[0])
        if r.source is not None:
            d[r.scope] += r.reused
            d["sources"].add(r.source.doc_id)
    rows = []
    for d in sorted(docs.values(), key=lambda d: d["doc_id"]):
        chars = d["chars"]
        parent = round(d["parent"] / chars, 4) if chars else 0.0
        corpus = round(d["corpus"] / chars, 4) if chars else 0.0
        rows.append(
            {
                "doc_id": d["doc_id"],
                "document": d["document"],
                "region": d["region"],
                "measures": d["measures"],
                "chars": chars,
                "parent_chars": d["parent"],
                "corpus_chars": d["corpus"],
                "parent_share": parent,
                "corpus_share": corpus,
                "new_share": round(max(0.0, 1 - parent - corpus), 4),
                "sources": ";".join(sorted(d["sources"])),
            }
        )
    return rows


# --- RDF ---------------------------------------------------------------------------------------------


def reuse_node(local: str, source: str) -> str:
    """The IRI of the ``vet:Reuse`` node of ``local`` copying ``source``."""
    digest = hashlib.sha1(f"{local}\x1f{source}".encode()).hexdigest()[:20]
    return f"{RESOURCE}reuse/{digest}"


def inclusion_evidence(graph) -> dict[str, str]:
    """Measure IRI → the evidence node of its inclusion (its text in its document)."""
    ix = _index(graph)
    query = f"""PREFIX vet: <{VET}> PREFIX prov: <{PROV}>
    SELECT ?m ?ev WHERE {{ ?a a vet:Inclusion ; vet:assertedSubject ?m ; prov:wasDerivedFrom ?ev }}"""
    return {row["m"].value: row["ev"].value for row in ix.source.store.query(query)}


def runs_text(runs: tuple[tuple[int, int, int, int], ...]) -> str:
    """The aligned runs as ``vet:reuseRuns`` spells them: ``a-b:c-d`` (offsets into the
    reusing and the reused measure's text) joined by ``;``."""
    return ";".join(f"{a}-{b}:{c}-{d}" for a, b, c, d in runs)


def parse_runs(text: str) -> tuple[tuple[int, int, int, int], ...]:
    """The runs of :func:`runs_text` (a malformed run is left out)."""
    out = []
    for run in text.split(";"):
        m = re.fullmatch(r"(\d+)-(\d+):(\d+)-(\d+)", run.strip())
        if m:
            a, b, c, d = map(int, m.groups())
            out.append((a, b, c, d))
    return tuple(out)


def stored_reuse(graph, measures: list[MeasureText] | None = None) -> list[Reuse] | None:
    """The reuses the build wrote into the graph (``vet:Reuse`` nodes), as
    :func:`find_reuse` gives them, without aligning anything again: one per measure of
    ``measures`` (the graph's, :func:`kg.analytics.policy_tools.measure_texts`, when not
    given), without a source when the graph has none for it. None when the graph holds
    no ``vet:Reuse`` node at all (built before they were written, or without the corpus
    step's similarity): :func:`find_reuse` then searches it."""
    ix = _index(graph)
    node = scans(
        "?r",
        ("a", "vet:Reuse"),
        ("vet:reusingMeasure", "?local"),
        ("vet:reusedMeasure", "?source"),
        ("vet:reuseScope", "?scope"),
    )
    query = f"""PREFIX vet: <{VET}>
    SELECT ?local ?source ?scope ?reused ?runs WHERE {{
      {node}
      OPTIONAL {{ {scan("?r", "vet:reusedCharacters", "?reused")} }} OPTIONAL {{ {scan("?r", "vet:reuseRuns", "?runs")} }} }}"""
    found: dict[str, tuple[str, str, int, str]] = {}
    for row in ix.source.store.query(query):
        local, source, scope = row["local"].value, row["source"].value, row["scope"].value
        reused = int(row["reused"].value) if row["reused"] is not None else 0
        runs = row["runs"].value if row["runs"] is not None else ""
        candidate = (source, scope, reused, runs)
        if local not in found or candidate < found[local]:  # one per measure, whatever the order
            found[local] = candidate
    if not found:
        return None
    if measures is None:
        measures = measure_texts(ix)
    by_iri = {m.measure: m for m in measures}
    out = []
    for m in measures:
        hit = found.get(m.measure)
        source = by_iri.get(hit[0]) if hit else None
        if hit is None or source is None:
            out.append(Reuse(m, None, "", _NONE))
            continue
        _, scope, reused, runs = hit
        out.append(Reuse(m, source, scope, Alignment(parse_runs(runs), reused, len(_normalised(m.text)[0]))))
    _normalised.cache_clear()
    return out


def reuse_triples(reuses: list[Reuse], evidence: dict[str, str] | None = None) -> list[ox.Triple]:
    """The RDF of every reuse with a source: ``local vet:reuses source`` and a
    ``vet:Reuse`` node naming both (``vet:reusingMeasure``, ``vet:reusedMeasure``) with
    ``vet:reuseShare`` (xsd:decimal), ``vet:reuseScope``, ``vet:reusedCharacters`` (the
    reusing measure's characters in the runs), ``vet:reuseRuns`` (:func:`runs_text`) and,
    when ``evidence`` (from :func:`inclusion_evidence`) is given, ``prov:wasDerivedFrom``
    both measures' texts. Sorted, so the same reuses give the same triples."""

    def iri(v: str) -> ox.NamedNode:
        return ox.NamedNode(v)

    out = []
    for r in reuses:
        if r.source is None:
            continue
        local, source = r.measure.measure, r.source.measure
        node = iri(reuse_node(local, source))
        out += [
            ox.Triple(iri(local), iri(VET + "reuses"), iri(source)),
            ox.Triple(node, iri(RDF_TYPE), iri(VET + "Reuse")),
            ox.Triple(node, iri(VET + "reusingMeasure"), iri(local)),
            ox.Triple(node, iri(VET + "reusedMeasure"), iri(source)),
            ox.Triple(node, iri(VET + "reuseShare"), ox.Literal(f"{r.share:.4f}", datatype=iri(XSD + "decimal"))),
            ox.Triple(node, iri(VET + "reuseScope"), ox.Literal(r.scope)),
            ox.Triple(
                node,
                iri(VET + "reusedCharacters"),
                ox.Literal(str(r.reused), datatype=iri(XSD + "nonNegativeInteger")),
            ),
            ox.Triple(node, iri(VET + "reuseRuns"), ox.Literal(runs_text(r.alignment.runs))),
        ]
        for m in (local, source):
            if evidence and m in evidence:
                out.append(ox.Triple(node, iri(PROV + "wasDerivedFrom"), iri(evidence[m])))
    out.sort(key=str)
    return out


def reuse_statements(reuses: list[Reuse], evidence: dict[str, str] | None = None) -> list[tuple[str, str, str]]:
    """:func:`reuse_triples` as N-Triples terms ``(subject, predicate, object)``, in the
    same order: what the corpus step writes for hundreds of thousands of reuses, where
    making pyoxigraph terms only to print them back cost seconds. The IRIs are minted by
    vetkg and the literals are digits and a scope word, spelled as Oxigraph spells them;
    a literal of any other text is spelled by Oxigraph itself."""
    reuses_p, rdf_type, reuse_class = f"<{VET}reuses>", f"<{RDF_TYPE}>", f"<{VET}Reuse>"
    reusing, reused, share_p = f"<{VET}reusingMeasure>", f"<{VET}reusedMeasure>", f"<{VET}reuseShare>"
    scope_p, chars_p, runs_p = f"<{VET}reuseScope>", f"<{VET}reusedCharacters>", f"<{VET}reuseRuns>"
    derived = f"<{PROV}wasDerivedFrom>"
    decimal, count = f"^^<{XSD}decimal>", f"^^<{XSD}nonNegativeInteger>"
    out = []
    for r in reuses:
        if r.source is None:
            continue
        local, source = f"<{r.measure.measure}>", f"<{r.source.measure}>"
        node = f"<{reuse_node(r.measure.measure, r.source.measure)}>"
        out += [
            (local, reuses_p, source),
            (node, rdf_type, reuse_class),
            (node, reusing, local),
            (node, reused, source),
            (node, share_p, f'"{r.share:.4f}"{decimal}'),
            (node, scope_p, _plain(r.scope)),
            (node, chars_p, f'"{r.reused}"{count}'),
            (node, runs_p, _plain(runs_text(r.alignment.runs))),
        ]
        for m in (r.measure.measure, r.source.measure):
            if evidence and m in evidence:
                out.append((node, derived, f"<{evidence[m]}>"))
    out.sort(key=lambda t: f"{t[0]} {t[1]} {t[2]}")  # as reuse_triples sorts (by str)
    return out


def _plain(text: str) -> str:
    """A plain literal as N-Triples spells it (by Oxigraph when it needs escaping)."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    return str(ox.Literal(text))


def reuse_ntriples(reuses: list[Reuse], evidence: dict[str, str] | None = None) -> str:
    """:func:`reuse_triples` as N-Triples text (one triple a line)."""
    return "".join(f"{t} .\n" for t in reuse_triples(reuses, evidence))


__all__ = [
    "MIN_RUN",
    "Alignment",
    "Reuse",
    "align",
    "document_shares",
    "find_reuse",
    "inclusion_evidence",
    "iter_reuse_rows",
    "parse_runs",
    "reuse_node",
    "reuse_ntriples",
    "reuse_rows",
    "reuse_statements",
    "reuse_triples",
    "runs_text",
    "stored_reuse",
]
