"""The analytics' faster paths give the very answers of the plain ones: betweenness over
indexed adjacency lists, the lean read of assertion pairs, one index shared by the parts
of a report, entities read for some predicates only."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from kg import analytics as A
from kg.analytics.metrics import betweenness
from kg.analytics.projections import _index, entity_graph
from kg.analytics.source import PROV, OxigraphSource
from kg.rdf.ontology import VET
from kg.store import OxigraphStore


def _graphs():
    for seed in range(40):
        rnd = random.Random(seed)
        g = nx.gnm_random_graph(rnd.randint(2, 60), rnd.randint(0, 200), seed=seed)
        for _, _, d in g.edges(data=True):
            d["distance"] = 1.0 / rnd.choice([1, 1, 2, 3, 5])  # equal lengths: many tied paths
        yield g
    g = nx.relabel_nodes(nx.karate_club_graph(), {i: f"https://example.org/{i:02d}" for i in range(34)})
    for _, _, d in g.edges(data=True):
        d["distance"] = 1.0 / d["weight"]
    yield g


@pytest.mark.parametrize("k", [None, 2, 5, 10])
def test_betweenness_is_networkx_betweenness_to_the_bit(k):
    for g in _graphs():
        if k is not None and k > len(g):
            continue
        expected = nx.betweenness_centrality(g, k=k, weight="distance", seed=42)
        got = betweenness(g, k, "distance", 42)
        assert list(got) == list(expected)
        assert got == expected  # equal floats, not merely close: the same sums in the same order


def _n(s: str) -> str:
    return f"<https://example.org/{s}>"


def _store() -> OxigraphSource:
    lines = []
    for a, p, s, o, evidence in [
        ("a1", "targets", "m1", "i1", ["e1"]),
        ("a2", "targets", "m2", "i2", ["e2", "e3"]),  # two evidence nodes: two rows
        ("a3", "cites", "d1", "d2", ["e4"]),
        ("a4", "mentions", "m1", "x", ["e5"]),
    ]:
        lines += [
            f"{_n(a)} <{VET}assertedPredicate> <{VET}{p}> .",
            f"{_n(a)} <{VET}assertedSubject> {_n(s)} .",
            f"{_n(a)} <{VET}assertedObject> {_n(o)} .",
        ]
        for e in evidence:
            lines += [
                f"{_n(a)} <{PROV}wasDerivedFrom> {_n(e)} .",
                f"{_n(e)} <{VET}document> {_n('d1')} .",
                f'{_n(e)} <{VET}quote> "q {e}" .',
                f'{_n(e)} <{VET}sentence> "s {e}" .',
                f'{_n(e)} <{VET}startOffset> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .',
            ]
    store = OxigraphStore.from_ntriples(("\n".join(lines) + "\n").encode())
    return OxigraphSource(store.store)


def test_assertion_pairs_are_the_subject_and_object_of_every_assertion_row():
    src = _store()
    for p in ("targets", "cites", "mentions", "supports"):
        assert src.assertion_pairs(p) == [(a["subject"], a["object"]) for a in src.assertions(p)]
    assert len(src.assertion_pairs("targets")) == 3


def test_the_parts_of_a_report_share_one_index():
    src = _store()
    ix = A.Index(src)
    assert _index(src) is ix
    assert _index(ix) is ix
    other = _store()
    assert _index(other) is not ix


def test_entities_of_some_predicates_follow_every_assertion_in_order():
    src = _store()
    wanted = {"targets", "cites"}
    rows = [a for a in src.assertions() if a["predicate"] in wanted]  # every assertion, filtered
    g = entity_graph(A.Index(src), wanted)
    edges = dict.fromkeys((a["subject"], a["object"], a["assertion"]) for a in rows)  # one per assertion
    assert list(g.edges(keys=True)) == list(edges)
    assert list(g) == list(dict.fromkeys(n for a in rows for n in (a["subject"], a["object"])))
    assert len(rows) == 4


def test_similarity_triples_are_spelled_as_triples_add_spells_them():
    from kg.corpus.graph import _similarity_triples
    from kg.rdf.mapping import Triples, similarity_node
    from kg.rdf.ontology import RESOURCE
    from kg.resolution.similarity import METHOD

    links = sorted(
        (
            f"{RESOURCE}measure/a{i}",
            f"{RESOURCE}measure/b{i}",
            f"{RESOURCE}ev/{i}" if i % 3 else "",
            f"{RESOURCE}ev/x{i}",
            s,
        )
        for i, s in enumerate([0.15, 0.2, 0.2, 0.33333, 1.0, 0.5] * 5)
    )
    expected = Triples()
    for a, b, ea, eb, score in links:
        node = similarity_node(a, b)
        expected.add(a, "vet:similarTo", b)
        expected.a(node, "vet:Similarity")
        expected.add(node, "vet:similarityOf", a)
        expected.add(node, "vet:similarityOf", b)
        expected.add(node, "vet:score", expected.lit(score, "decimal"))
        expected.add(node, "vet:method", expected.lit(METHOD))
        for ev in (ea, eb):
            if ev:
                expected.add(node, "prov:wasDerivedFrom", ev)
    parts = list(_similarity_triples(links, chunk=7))
    assert "".join(p.ntriples() for p in parts) == expected.ntriples()
    assert len(parts) == 5
