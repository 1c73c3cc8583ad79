"""Analytics over the projections: who carries the load, who works together, what each
region promises, which higher-level policies each document cites.

Pure functions returning lists of plain dicts (rows), so the report, the notebooks and the
CSV exports share them. Randomised algorithms are seeded: the same graph gives the same
communities.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from functools import lru_cache
from heapq import heappop, heappush
from itertools import count
from typing import Any

import networkx as nx

from kg.analytics.projections import Index, _index, co_responsibility_graph
from kg.core.lexicon import load_yaml
from kg.rdf.ontology import VET

SEED = 42
BETWEENNESS_SAMPLES = 300  # past this many nodes, betweenness is estimated from sampled sources
EDGE_BUDGET = 3_000_000  # edge visits allowed for betweenness (sources × edges): Brandes'
# algorithm is O(nodes × edges) in pure Python, hours on a national corpus; this keeps it to a
# few seconds, exact on small networks and estimated from sampled sources on larger ones
MIN_SAMPLES = 10  # fewer sampled sources say too little: betweenness is then left out
MAX_COMMUNITY_EDGES = 500_000  # Louvain (pure Python) past this: not computed


def centrality(g: nx.Graph, weight: str = "weight", top: int | None = None) -> list[dict]:
    """Weighted degree, betweenness (weights read as closeness: distance = 1/weight;
    estimated from ``BETWEENNESS_SAMPLES`` seeded sources on larger networks) and
    PageRank of every node, highest PageRank first."""
    if g.number_of_nodes() == 0:
        return []
    simple = nx.Graph(g) if g.is_multigraph() or g.is_directed() else g
    for _, _, d in simple.edges(data=True):
        d.setdefault(weight, 1)
        d["distance"] = 1.0 / d[weight]
    degree = dict(simple.degree(weight=weight))
    k = min(len(simple), BETWEENNESS_SAMPLES, EDGE_BUDGET // max(1, simple.number_of_edges()))
    if k >= min(len(simple), MIN_SAMPLES):
        between: dict[Any, float | None] = dict(betweenness(simple, None if k == len(simple) else k, "distance", SEED))
    else:  # too large to estimate meaningfully within the budget
        between = dict.fromkeys(simple, None)
    rank = nx.pagerank(simple, weight=weight) if simple.number_of_edges() else {n: 1 / len(simple) for n in simple}
    rows = [
        {
            "node": n,
            "label": g.nodes[n].get("label", n),
            "type": g.nodes[n].get("type", ""),
            "weighted_degree": degree[n],
            "betweenness": None if (b := between[n]) is None else round(b, 6),
            "pagerank": round(rank[n], 6),
        }
        for n in g
    ]
    rows.sort(key=lambda r: (-r["pagerank"], r["label"], r["node"]))
    return rows[:top] if top else rows


def betweenness(g: nx.Graph, k: int | None, weight: str, seed: int) -> dict[Any, float]:
    """Normalised betweenness of an undirected graph (endpoints left out) with ``weight``
    as edge length, from every node or from ``k`` sources sampled with ``seed``: the very
    numbers of ``nx.betweenness_centrality(g, k, weight=weight, seed=seed)`` (the same
    sources, the same order of every sum), computed over integer-indexed adjacency lists —
    Brandes' algorithm in pure Python, without a dictionary lookup and a weight-function
    call per edge it runs about three times as fast."""
    nodes = list(g)
    n = len(nodes)
    at = {v: i for i, v in enumerate(nodes)}
    adj = [[(at[w], d.get(weight, 1)) for w, d in g[v].items()] for v in nodes]
    total = [0.0] * n
    if k == n:
        k = None
    sources = range(n) if k is None else [at[v] for v in random.Random(seed).sample(list(g.nodes()), k)]
    for s in sources:
        order: list[int] = []
        preds: list[list[int]] = [[] for _ in range(n)]
        sigma = [0.0] * n
        done = [False] * n
        seen: dict[int, float] = {s: 0}
        sigma[s] = 1.0
        c = count()
        queue: list[tuple[float, int, int, int]] = [(0, next(c), s, s)]
        while queue:
            dist, _, pred, v = heappop(queue)
            if done[v]:
                continue
            sigma[v] += sigma[pred]
            order.append(v)
            done[v] = True
            for w, length in adj[v]:
                vw = dist + length
                if not done[w] and (w not in seen or vw < seen[w]):
                    seen[w] = vw
                    heappush(queue, (vw, next(c), v, w))
                    sigma[w] = 0.0
                    preds[w] = [v]
                elif vw == seen[w]:
                    sigma[w] += sigma[v]
                    preds[w].append(v)
        delta: dict[int, float] = dict.fromkeys(order, 0)
        while order:
            w = order.pop()
            coeff = (1 + delta[w]) / sigma[w]
            for v in preds[w]:
                delta[v] += sigma[v] * coeff
            if w != s:
                total[w] += delta[w]
    between = dict(zip(nodes, total, strict=True))
    big_n = n - 1  # pairs (s, t), s != t, that can pass through a node
    if big_n < 2:
        return between
    if k is None:
        scale = 1 / (big_n * (big_n - 1))
        if scale != 1:
            for v in between:
                between[v] *= scale
        return between
    sampled = {nodes[s] for s in sources}
    scale_source = 1 / ((k - 1) * (big_n - 1)) if k > 1 else float("nan")
    scale_other = 1 / (k * (big_n - 1))
    for v in between:
        between[v] *= scale_source if v in sampled else scale_other
    return between


def communities(g: nx.Graph, weight: str = "weight", seed: int = SEED) -> list[list[str]]:
    """Louvain communities (seeded), largest first, members sorted; none for a network
    past ``MAX_COMMUNITY_EDGES`` edges."""
    if g.number_of_nodes() == 0 or g.number_of_edges() > MAX_COMMUNITY_EDGES:
        return []
    found = nx.community.louvain_communities(g, weight=weight, seed=seed)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c))


def department_communities(graph, co: nx.Graph | None = None) -> list[dict]:
    """Communities of the co-responsibility network (``co``, if already projected), with
    their members' labels."""
    g = co if co is not None else co_responsibility_graph(graph)
    return [
        {"community": i + 1, "size": len(c), "members": "、".join(g.nodes[n]["label"] for n in c)}
        for i, c in enumerate(communities(g))
    ]


def load_by_function_region(graph) -> list[dict]:
    """Responsibilities per department function per region (the region of the document):
    measures, of which led, and the bodies."""
    ix = _index(graph)
    if "load_by_function_region" not in ix.memo:  # top_function_per_region reads it too
        ix.memo["load_by_function_region"] = _load_by_function_region(ix)
    return [dict(r) for r in ix.memo["load_by_function_region"]]


def _load_by_function_region(ix: Index) -> list[dict]:
    rows: dict[tuple[str, str], dict] = {}
    leads = ix.relation("leads")  # a unit leads a measure: its responsibility's role is Lead
    for unit, measure in ix.relation("responsibleFor"):
        if ix.types.get(unit) != "Department":
            continue
        key = (ix.region_of(measure) or "", ix.functions.get(unit, "other"))
        row = rows.setdefault(
            key, {"region": key[0], "function": key[1], "measures": set(), "led": set(), "bodies": set()}
        )
        row["measures"].add(measure)
        if (unit, measure) in leads:
            row["led"].add(measure)
        row["bodies"].add(ix.labels.get(unit, unit))
    out = [
        {
            "region": r["region"],
            "function": r["function"],
            "measures": len(r["measures"]),
            "led": len(r["led"]),
            "bodies": "、".join(sorted(r["bodies"])),
        }
        for r in rows.values()
    ]
    out.sort(key=lambda r: (r["region"], -r["measures"], r["function"]))  # (region, function) is unique
    return out


def top_function_per_region(graph) -> list[dict]:
    """The department function carrying the most measures in each region (of two with as
    many, the first by code: the rows come sorted so)."""
    best: dict[str, dict] = {}
    for row in load_by_function_region(graph):
        if row["region"] not in best or row["measures"] > best[row["region"]]["measures"]:
            best[row["region"]] = row
    return [best[r] for r in sorted(best)]


def lead_share(graph) -> list[dict]:
    """Per document: measures, measures with any responsible unit, with a lead unit."""
    ix = _index(graph)
    measures: dict[str, set[str]] = defaultdict(set)
    for m, d in ix.measure_document.items():
        measures[d].add(m)
    responsible = {m for _, m in ix.relation("responsibleFor")}
    led = {m for _, m in ix.relation("leads")}
    out = []
    for doc in ix.documents:
        ms = measures.get(doc, set())
        n = len(ms)
        out.append(
            {
                "document": ix.labels.get(doc, doc),
                "region": ix.region_of(doc) or "",
                "measures": n,
                "with_responsible": len(ms & responsible),
                "with_lead": len(ms & led),
                "lead_share": round(len(ms & led) / n, 4) if n else 0.0,
            }
        )
    return out


def _total(row: dict) -> tuple:
    """Every value of a row, as a sort key's last part: rows that tie on what they are
    sorted by keep one order, whatever order the store or a set gave them in."""
    return tuple((v is None, type(v).__name__, str(v)) for v in row.values())


@lru_cache(maxsize=1)
def _groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((name, tuple(words)) for name, words in load_yaml("indicator_groups.yaml")["groups"].items())


def indicator_group(text: str) -> str:
    for name, words in _groups():
        if any(w in text for w in words):
            return name
    return "其他"


def indicators(graph) -> list[dict]:
    """Every indicator with its region, document, measure and typed values, grouped with
    the comparable ones (every “双师型” share, every 学徒制 share …)."""
    ix = _index(graph)
    values = {
        p: ix.values(VET + p)  # index scans: a lookup per node is slow on a big store
        for p in ("value", "valueMax", "targetYear", "subject", "unit", "comparator", "measureKey")
    }

    def value(node, prop):
        return values[prop].get(node)

    rows = []
    documents = set(ix.documents)
    # Numbers no measure states (the lead of an article whose items are the measures, a
    # preamble): the document mentions them; their rows have no measure key.
    stated_by_documents = sorted(
        (doc, ind) for doc, ind in ix.relation("mentions") if doc in documents and ind in values["value"]
    )
    for measure, ind in ix.source.assertion_pairs("targets") + stated_by_documents:  # no evidence texts needed
        text = ix.labels.get(ind, "")
        v, vmax, year = value(ind, "value"), value(ind, "valueMax"), value(ind, "targetYear")
        rows.append(
            {
                "group": indicator_group(text),
                "region": ix.region_of(measure) or "",
                "document": ix.label(ix.measure_document.get(measure, measure)),
                "measure": value(measure, "measureKey"),
                "subject": value(ind, "subject") or "",
                "value": float(v) if v is not None else None,
                "value_max": float(vmax) if vmax is not None else None,
                "unit": value(ind, "unit") or "",
                "comparator": value(ind, "comparator") or "",
                "year": int(str(year)[:4]) if year is not None else None,
                "text": text,
            }
        )
    rows.sort(key=lambda r: (r["group"], r["region"], r["measure"] or "", r["text"], _total(r)))
    return rows


def citation_ranking(graph) -> list[dict]:
    """Documents ranked by how many higher-level policies they cite, with the cited
    policies they share with other documents of the corpus."""
    ix = _index(graph)
    cites: dict[str, set[str]] = defaultdict(set)
    for s, o in ix.relation("cites"):  # the plain pairs: no evidence needed
        cites[s].add(o)
    citers = Counter(c for cs in cites.values() for c in cs)
    out: list[dict[str, Any]] = []
    for doc in ix.documents:
        cs = cites.get(doc, set())
        shared = sorted(ix.labels.get(c, c) for c in cs if citers[c] > 1)
        out.append(
            {
                "document": ix.labels.get(doc, doc),
                "region": ix.region_of(doc) or "",
                "cites": len(cs),
                "shared_with_others": len(shared),
                "shared": "；".join(shared),
            }
        )
    out.sort(key=lambda r: (-r["cites"], r["document"], _total(r)))
    return out


def most_cited(graph) -> list[dict]:
    """Cited policies by the number of corpus documents citing them."""
    ix = _index(graph)
    by: dict[str, set[str]] = defaultdict(set)
    for s, o in ix.relation("cites"):  # the plain pairs: no evidence needed
        by[o].add(s)
    rows: list[dict[str, Any]] = [
        {
            "cited": ix.labels.get(c, c),
            "documents": len(ds),
            "regions": "、".join(sorted({ix.region_of(d) or "" for d in ds})),
        }
        for c, ds in by.items()
    ]
    rows.sort(key=lambda r: (-r["documents"], r["cited"], _total(r)))
    return rows


__all__ = [
    "Index",
    "centrality",
    "citation_ranking",
    "communities",
    "department_communities",
    "indicator_group",
    "indicators",
    "lead_share",
    "load_by_function_region",
    "most_cited",
    "top_function_per_region",
]
