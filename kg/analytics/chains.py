"""Implementation chains (vertical diffusion): for a parent policy, named by 文号 or title,
every document of the corpus that cites it, and below each the documents that cite that
one in turn (a city plan citing its province's plan citing the State Council's), by level
(national → province → city → district/county), with the lag in days from each
document's parent.

Pure functions over the graph's store (:mod:`kg.analytics.source`). A document's date is
its own (``dcterms:issued``, the date it was signed), else its publication date; a parent
the corpus only cites takes the dates of the reference table of national documents
(``kg/data/national_documents.tsv``) when the build found it there
(``vet:dateSource``). Each row carries the sentence that cites its parent (evidence).
"""

from __future__ import annotations

import datetime
from collections import defaultdict, deque
from typing import Any

import networkx as nx

from kg.analytics.projections import _index
from kg.analytics.source import source_of
from kg.rdf.ontology import VET
from kg.resolution.entities import normalize_name, real_doc_number

# Administrative levels from the top: a chain runs down them.
LEVEL_RANK = {"national": 0, "province": 1, "municipality": 1, "city": 2, "district": 3, "county": 3}
UNKNOWN_RANK = 4

_DOCUMENTS = f"""PREFIX vet: <{VET}>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?document ?title ?number ?level ?region ?issued ?published ?date_source ?source WHERE {{
  ?document a vet:PolicyDocument .
  OPTIONAL {{ ?document dcterms:title ?title }}
  OPTIONAL {{ ?document dcterms:identifier ?number }}
  OPTIONAL {{ ?document vet:adminLevel ?level }}
  OPTIONAL {{ ?document vet:jurisdiction/skos:prefLabel ?region }}
  OPTIONAL {{ ?document dcterms:issued ?issued }}
  OPTIONAL {{ ?document eli:date_publication ?published }}
  OPTIONAL {{ ?document vet:dateSource ?date_source }}
  OPTIONAL {{ ?document vet:sourceId ?source }}
}}"""
_COLUMNS = ("document", "title", "number", "level", "region", "issued", "published", "date_source", "source")


def _documents(source) -> dict[str, dict[str, Any]]:
    """Every policy document (built or cited) by IRI: title, 文号, level, region, date
    (its own, else its publication date), where the date comes from, whether built."""
    out: dict[str, dict[str, Any]] = {}
    for row in source.store.query(_DOCUMENTS):
        v: dict[str, str | None] = {k: (row[k].value if row[k] is not None else None) for k in _COLUMNS}
        node = str(v["document"])  # bound in every row
        d = out.setdefault(node, {"node": node})
        for key in ("title", "number", "level", "region", "issued", "published", "date_source", "source"):
            if v[key] is not None and (d.get(key) is None or v[key] < d[key]):  # one answer whatever the order
                d[key] = v[key]
    for d in out.values():
        d["date"] = d.get("issued") or d.get("published")
        d["built"] = d.get("source") is not None
        if d["date"] is None:
            d["date_source"] = None
        elif d.get("date_source") is None:
            d["date_source"] = "document" if d["built"] else None
    return out


def _lag(later: str | None, earlier: str | None) -> int | None:
    if not later or not earlier:
        return None
    return (datetime.date.fromisoformat(later) - datetime.date.fromisoformat(earlier)).days


def _rank(doc: dict) -> int:
    return LEVEL_RANK.get(doc.get("level") or "", UNKNOWN_RANK)


def parents_of(graph, ref: str) -> list[str]:
    """The documents a reference names: by 文号 (normalised: ``国办发[2017]95号`` is
    ``国办发〔2017〕95号``), else by title (normalised)."""
    docs = _documents(source_of(graph))
    return _find(_Names(docs), ref)


class _Names:
    """The documents by normalised 文号 and by normalised title, indexed once."""

    def __init__(self, docs: dict[str, dict]):
        self.by_number: dict[str, list[str]] = defaultdict(list)
        self.by_title: dict[str, list[str]] = defaultdict(list)
        for n in sorted(docs):
            d = docs[n]
            number = real_doc_number(d["number"]) if d.get("number") else None
            if number:
                self.by_number[number].append(n)
            if d.get("title"):
                self.by_title[normalize_name(d["title"])].append(n)


def _find(names: _Names, ref: str) -> list[str]:
    number = real_doc_number(ref)
    if number and names.by_number.get(number):
        return list(names.by_number[number])
    return list(names.by_title.get(normalize_name(ref), ()))


def _citations(source) -> tuple[dict[str, set[str]], dict[tuple[str, str], str]]:
    """Who cites whom (``cites[document]`` = the documents it cites) and the sentence of
    each citation (the first in the text)."""
    ix = _index(source)  # the report's index when there is one: the citations read once
    cites: dict[str, set[str]] = defaultdict(set)
    for s, o in ix.relation("cites"):
        cites[s].add(o)
    sentence: dict[tuple[str, str], tuple[int, str]] = {}
    for a in ix.by_predicate("cites"):
        key = (a["subject"], a["object"])
        at = (a["start"] if a["start"] is not None else 0, a["sentence"] or a["quote"] or "")
        if key not in sentence or at < sentence[key]:
            sentence[key] = at
    return cites, {k: v[1] for k, v in sentence.items()}


def implementation_chain(graph, parent: str) -> list[dict]:
    """Every built document that cites the parent (文号 or title), directly or through
    other built documents that do, one row each, by level then date: its depth below the
    parent, whether it cites the parent itself (``direct``), the document above it in the
    chain (``via``: of the documents it cites on the way, the most local, then the
    latest), the lags in days from the parent and from ``via``, and the sentence that
    cites ``via`` (``evidence``). An unknown parent gives no rows."""
    return _chain(graph, parent)[1]


def chain_tree(graph, parent: str) -> dict:
    """The chain as a tree: the parent (``number``, ``title``, ``date``, ``date_source``)
    with ``children``, each a row of :func:`implementation_chain` with its own
    ``children``."""
    return _tree(*_chain(graph, parent))


def _tree(root: dict, rows: list[dict]) -> dict:
    nodes: dict[str, dict] = {r["document"]: {**r, "children": []} for r in rows}
    top: list[dict] = []
    for r in rows:
        # a parent's node (depth 0) is not a row: a row under it goes on top
        above = nodes.get(r["via"]) if r["via"] != r["document"] else None
        (top if r["depth"] == 1 or above is None else above["children"]).append(nodes[r["document"]])
    return {**root, "children": top}


def _depths(roots: list[str], cited_by: dict[str, set[str]]) -> dict[str, int]:
    """Each document's depth below the parent: the longest chain of citations that leads
    to it (a county plan citing both its city's plan and the parent sits under the city).
    Documents citing each other in a circle share a depth (the graph's condensation)."""
    reach = set(roots)
    queue = deque(sorted(roots))
    while queue:
        for child in sorted(cited_by.get(queue.popleft(), ())):
            if child not in reach:
                reach.add(child)
                queue.append(child)
    g = nx.DiGraph()
    g.add_nodes_from(sorted(reach))
    g.add_edges_from((n, child) for n in sorted(reach) for child in sorted(cited_by.get(n, ())) if child not in roots)
    dag = nx.condensation(g)
    members = dag.graph["mapping"]  # node -> its component
    level: dict[int, int] = {}
    for c in nx.topological_sort(dag):
        preds = list(dag.predecessors(c))
        level[c] = max((level[p] + 1 for p in preds), default=0)
    return {n: 0 if n in roots else max(1, level[members[n]]) for n in sorted(reach)}


def most_cited_parents(graph, limit: int = 10) -> list[str]:
    """The 文号 of the policies the most built documents cite directly (ties by 文号),
    at most ``limit``: the parents whose chains a report shows."""
    source = source_of(graph)
    return _most_cited(_documents(source), _citations(source)[0], limit)


def _most_cited(docs: dict[str, dict], cites: dict[str, set[str]], limit: int) -> list[str]:
    citing: dict[str, set[str]] = defaultdict(set)
    for s, objects in cites.items():
        if docs.get(s, {}).get("built"):
            for o in objects:
                number = real_doc_number(docs.get(o, {}).get("number") or "")
                if number and o != s:
                    citing[number].add(s)
    return sorted(citing, key=lambda n: (-len(citing[n]), n))[:limit]


def implementation_chains(graph, parents: list[str] | None = None, limit: int = 10) -> list[tuple[dict, list[dict]]]:
    """The chain of each parent (文号 or title; by default the ``limit`` policies the most
    built documents cite, :func:`most_cited_parents`) as ``(tree, rows)``: the tree of
    :func:`chain_tree` and the rows of :func:`implementation_chain`, the store read once
    for all of them."""
    corpus = _Corpus(source_of(graph))
    if parents is None:
        parents = _most_cited(corpus.docs, corpus.cites, limit)
    out = []
    for parent in parents:
        root, rows = corpus.chain(parent)
        out.append((_tree(root, rows), rows))
    return out


def _chain(graph, parent: str) -> tuple[dict, list[dict]]:
    return _Corpus(source_of(graph)).chain(parent)


class _Corpus:
    """What every chain is read from, read and indexed once: the documents, who cites
    whom (and who is cited by which built documents), the citing sentences, the names."""

    def __init__(self, source) -> None:
        self.docs = _documents(source)
        self.cites, self.sentences = _citations(source)
        self.cited_by: dict[str, set[str]] = defaultdict(set)
        for s, objects in self.cites.items():
            if self.docs.get(s, {}).get("built"):
                for o in objects:
                    self.cited_by[o].add(s)
        self.names = _Names(self.docs)

    def chain(self, parent: str) -> tuple[dict, list[dict]]:
        docs, cites = self.docs, self.cites
        roots = _find(self.names, parent)
        root_doc = min((docs[r] for r in roots), key=lambda d: (d.get("date") is None, d["node"]), default=None)
        root: dict[str, Any] = {
            "ref": parent,
            "number": (root_doc or {}).get("number"),
            "title": (root_doc or {}).get("title"),
            "date": (root_doc or {}).get("date"),
            "date_source": (root_doc or {}).get("date_source"),
            "nodes": roots,
        }
        if not roots:
            return root, []
        depth = _depths(roots, self.cited_by)
        via = _vias(depth, cites, docs)
        rows = []
        for n, k in depth.items():
            if k == 0:
                continue
            d = docs[n]
            v = docs.get(via[n], {"node": via[n]})
            rows.append(
                {
                    "depth": k,
                    "level": d.get("level"),
                    "region": d.get("region"),
                    "title": d.get("title"),
                    "number": d.get("number"),
                    "date": d.get("date"),
                    "lag_days": _lag(d.get("date"), root["date"]),
                    "direct": any(r in cites.get(n, ()) for r in roots),
                    "via_number": v.get("number"),
                    "via_title": v.get("title"),
                    "via_date": v.get("date"),
                    "via_lag_days": _lag(d.get("date"), v.get("date")),
                    "evidence": self.sentences.get((n, via[n]), ""),
                    "parent_number": root["number"],
                    "parent_date": root["date"],
                    "parent_date_source": root["date_source"],
                    "source_id": d.get("source"),
                    "document": n,
                    "via": via[n],
                }
            )
        rows.sort(key=lambda r: (_rank(r), r["date"] or "9999", r["region"] or "", r["title"] or "", r["document"]))
        return root, rows


def _vias(depth: dict[str, int], cites: dict[str, set[str]], docs: dict[str, dict]) -> dict[str, str]:
    """The document above each one in the chain: of the documents it cites at a smaller
    depth, the deepest, then the most local, then the latest. A document citing only its
    partners in a circle (documents citing each other share a depth) sits under a
    partner that has a document above it, the nearest in the circle."""

    def key(p: str) -> tuple:
        return (depth[p], _rank(docs.get(p, {})), docs.get(p, {}).get("date") or "", p)

    via: dict[str, str] = {}
    waiting: list[str] = []
    for n, k in depth.items():
        if k == 0:
            continue
        above = [p for p in cites.get(n, ()) if p != n and p in depth and depth[p] < k]
        if above:
            via[n] = max(above, key=key)
        else:
            waiting.append(n)
    while waiting:  # the circle's members, from those placed outwards
        placed = {
            n: max(ps, key=key)
            for n in waiting
            if (ps := [p for p in cites.get(n, ()) if p != n and p in via and depth[p] == depth[n]])
        }
        if not placed:  # not reached (never so: a member of a circle below the parent cites out of it)
            for n in waiting:
                via[n] = min((p for p in cites.get(n, ()) if p != n and p in depth), key=key, default=n)
            break
        via.update(placed)
        waiting = [n for n in waiting if n not in placed]
    return via
