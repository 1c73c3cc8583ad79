"""Analytics, diffusion, the report and the exports, checked against values counted by
hand on a two-document fixture (tests/fixtures/analytics): Anyang's and Hebi's plans, one
measure copied between them, both citing 国办发〔2017〕95号."""

from __future__ import annotations

import csv

import networkx as nx
import pytest
from conftest import ROOT, run_cli

from kg import analytics as A
from kg import viz
from kg.analytics.diffusion import similar_measures
from kg.analytics.report import analyze, write_report
from kg.analytics.source import OxigraphSource, source_of
from kg.corpus.build import build
from kg.corpus.graph import build_graph
from kg.rdf.validate import validate_graph
from kg.resolution.similarity import jaccard, shingles
from kg.store import OxigraphStore
from kg.viz.export import export

FIXTURE = ROOT / "tests" / "fixtures" / "analytics"


@pytest.fixture(scope="module")
def graph():
    """The fixture's graph with its similarity links, as rdflib (for SHACL)."""
    return build_graph(build([FIXTURE], keep=True).extractions, diffusion=True)


@pytest.fixture(scope="module")
def store(graph):
    """The same graph in an in-memory Oxigraph store: what the analytics read."""
    return OxigraphStore.from_ntriples(graph.serialize(format="nt", encoding="utf-8"))


@pytest.fixture(scope="module")
def ix(store):
    return A.Index(store)


def test_every_kind_of_source_reads_the_same_graph(graph, store):
    """An rdflib graph is copied into Oxigraph; a store, a pyoxigraph store and a source
    are read as they are: the same triples, the same tables."""
    sources = [source_of(graph), source_of(store), source_of(store.store), source_of(OxigraphSource(store.store))]
    assert sources[1].store is sources[2].store is store.store
    assert all(len(s.store) == len(graph) for s in sources)
    assert len({repr(A.load_by_function_region(s)) for s in sources}) == 1
    with pytest.raises(TypeError):
        source_of(42)


def test_similarity_links_made_at_build_time_match_the_read_back_pairs(graph, store):
    """The links build_graph(diffusion=True) writes are the pairs similar_measures finds."""
    made = {(r["a"], r["b"]) for r in A.diffusion_links(store)}
    found = {tuple(sorted((r["a"], r["b"]))) for r in similar_measures(store)}
    assert made and made == found
    plain = build_graph(build([FIXTURE], keep=True).extractions)
    assert not A.diffusion_links(plain) and len(plain) < len(graph)


def by_label(g: nx.Graph, label: str, region: str) -> str:
    return next(n for n, d in g.nodes(data=True) if d["label"] == label and d.get("region") == region)


def test_responsibility_projection(ix):
    g = A.responsibility_graph(ix)
    # Anyang: 3 measures, 5 (unit, measure) pairs; Hebi: 2 measures, 3 pairs.
    assert g.number_of_edges() == 8
    units = [n for n, d in g.nodes(data=True) if d["bipartite"] == 0]
    assert len(units) == 5  # two 市教育局, two 市财政局, one 市人社局: one node per body per city
    edu = by_label(g, "市教育局", "安阳市")
    assert sorted(d["role"] for _, _, d in g.edges(edu, data=True)) == ["lead", "responsible"]


def test_co_responsibility_and_centrality(ix):
    g = A.co_responsibility_graph(ix)
    edges = sorted((*sorted((g.nodes[u]["label"], g.nodes[v]["label"])), d["weight"]) for u, v, d in g.edges(data=True))
    assert edges == [("市人社局", "市教育局", 1), ("市教育局", "市财政局", 1), ("市教育局", "市财政局", 1)]
    rows = {(r["label"], g.nodes[r["node"]]["region"]): r for r in A.centrality(g)}
    edu = rows[("市教育局", "安阳市")]
    assert edu["weighted_degree"] == 2
    # Betweenness: Anyang's bureau is on the one shortest path 财政局–人社局; normalised
    # over 5 nodes: 1 / ((5-1)(5-2)/2) = 1/6.
    assert edu["betweenness"] == pytest.approx(1 / 6, abs=1e-6)
    assert rows[("市人社局", "安阳市")]["betweenness"] == 0
    assert max(rows.values(), key=lambda r: r["pagerank"]) is edu


def test_communities_are_the_two_cities_and_stable(ix):
    first = A.department_communities(ix)
    assert first == A.department_communities(ix)
    assert [c["size"] for c in first] == [3, 2]


def test_load_by_function_region(ix):
    load = {(r["region"], r["function"]): (r["measures"], r["led"]) for r in A.load_by_function_region(ix)}
    assert load == {
        ("安阳市", "education"): (2, 1),
        ("安阳市", "human_resources_social_security"): (2, 0),
        ("安阳市", "finance"): (1, 0),
        ("鹤壁市", "education"): (2, 0),
        ("鹤壁市", "finance"): (1, 0),
    }
    top = {r["region"]: r["function"] for r in A.top_function_per_region(ix)}
    assert top == {"安阳市": "education", "鹤壁市": "education"}


def test_lead_share(ix):
    shares = {r["region"]: (r["measures"], r["with_responsible"], r["with_lead"]) for r in A.lead_share(ix)}
    assert shares == {"安阳市": (3, 3, 1), "鹤壁市": (2, 2, 0)}


def test_indicator_comparison_groups_double_qualified_teacher_shares(ix):
    rows = [r for r in A.indicators(ix) if r["group"] == "“双师型”教师占比"]
    assert sorted((r["region"], r["value"], r["unit"], r["comparator"], r["year"]) for r in rows) == [
        ("安阳市", 60.0, "%", ">=", 2025),
        ("鹤壁市", 50.0, "%", ">=", None),
    ]


def test_citations(ix):
    assert A.most_cited(ix) == [
        {"cited": "国务院办公厅关于深化产教融合的若干意见", "documents": 2, "regions": "安阳市、鹤壁市"}
    ]
    ranking = A.citation_ranking(ix)
    assert [r["cites"] for r in ranking] == [1, 1] and all(r["shared_with_others"] == 1 for r in ranking)


def test_diffusion_finds_the_copied_measure(store, ix):
    links = A.diffusion_links(store)
    top = links[0]
    assert (top["region_a"], top["region_b"]) in {("安阳市", "鹤壁市"), ("鹤壁市", "安阳市")}
    assert top["heading_a"] == top["heading_b"] == "1.1 建设实训基地"
    # The texts differ only in the responsibility clause: exact Jaccard checked by hand.
    a = "建设实训基地。统筹建设一批产教融合实训基地，推动职业院校与行业企业共建共享实训设施，提升学生实践能力和就业质量。"
    assert top["score"] == pytest.approx(
        jaccard(shingles(a + "（责任单位：市教育局、市财政局）"), shingles(a + "（责任单位：市教育局）")), abs=1e-3
    )
    assert all(r["score"] >= 0.15 for r in links)
    assert len(links) == len({(r["a"], r["b"]) for r in links})


def test_graph_with_similarity_still_conforms(graph):
    report = validate_graph(graph)
    assert report.conforms, report.text[:2000]


def test_report_writes_html_markdown_csv_and_plots(store, tmp_path):
    written = write_report(analyze(store), tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "http" not in html.split("<body>")[1].replace("https://w3id.org", "")
    assert (tmp_path / "report.md").exists()
    with open(tmp_path / "tables" / "load_by_function_region.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {"region": "安阳市", "function": "education", "measures": "2", "led": "1", "bodies": "市教育局"} in rows
    assert sum(p.suffix == ".png" for p in written) == 6  # with the policy-tool heat map and the targets


def test_exports(store, tmp_path):
    g = viz.view_graph(store, "responsibility")
    export(g, "graphml", tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert back.number_of_nodes() == g.number_of_nodes() and back.number_of_edges() == g.number_of_edges()
    export(g, "gexf", tmp_path / "g.gexf")
    assert nx.read_gexf(tmp_path / "g.gexf").number_of_edges() == g.number_of_edges()
    nodes, rels = export(g, "csv", tmp_path / "neo4j")
    with open(nodes, encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header[0] == "id:ID" and header[-1] == ":LABEL"
    with open(rels, encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        assert header[:2] == [":START_ID", ":END_ID"] and header[-1] == ":TYPE"
        assert sum(1 for _ in reader) == g.number_of_edges()


def test_cli_bad_input(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "graph.nt").write_text("", encoding="utf-8")
    for args in (
        ["analyze", "--graph", tmp_path / "missing"],
        ["viz", "--graph", tmp_path / "missing"],
        ["analyze", "--graph", empty],
        ["viz", "--graph", empty],
        ["export", "--format", "csv", "--graph", empty],
    ):
        proc = run_cli(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "error" in proc.stderr and "Traceback" not in proc.stderr
    assert not (empty / "graph.html").exists() and not (empty / "report.html").exists()
