"""Issue 20, clause-level text reuse in every build's graph: the corpus step aligns each
measure with its closest measure in a document it cites (else in the corpus) and writes
``vet:reuses`` and a scored ``vet:Reuse`` node into graph.nt and the store; an
incremental rebuild updates them; the report reads them back instead of aligning again.

The corpus: a provincial opinion and a city plan that cites it by 文号 and copies one of
its measures verbatim (the texts of tests/test_workbench_tools.py)."""

from __future__ import annotations

import pytest
import rdflib
from conftest import ROOT
from test_workbench_tools import CHILD, COPIED, PARENT

from kg.analytics import reuse as R
from kg.analytics.diffusion import diffusion_links
from kg.corpus.build import build
from kg.store import OxigraphStore

VET = "https://w3id.org/vetkg/ontology#"
PROV = "http://www.w3.org/ns/prov#"
REWRITTEN = "企业可以和学校一起盖实训楼，设备由企业出，学校出场地，学生在里面上课和练手，市里给点补贴。"

QUERY = f"""PREFIX vet: <{VET}> PREFIX prov: <{PROV}> PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?r ?local ?source ?share ?scope ?reused ?runs ?localdoc ?sourcedoc (COUNT(DISTINCT ?ev) AS ?evidence) WHERE {{
  ?local vet:reuses ?source .
  ?r a vet:Reuse ; vet:reusingMeasure ?local ; vet:reusedMeasure ?source ; vet:reuseShare ?share ;
     vet:reuseScope ?scope ; vet:reusedCharacters ?reused ; vet:reuseRuns ?runs ; prov:wasDerivedFrom ?ev .
  ?ev a vet:Evidence .
  ?local vet:partOf ?localdoc . ?localdoc vet:sourceId "child" .
  ?source vet:partOf ?sourcedoc . ?sourcedoc vet:sourceId "parent" .
}} GROUP BY ?r ?local ?source ?share ?scope ?reused ?runs ?localdoc ?sourcedoc"""


COLUMNS = ("r", "local", "source", "share", "scope", "reused", "runs", "localdoc", "sourcedoc")


def _reuses(store) -> list[dict]:
    return [{k: row[k].value for k in COLUMNS} | {"evidence": int(row["evidence"].value)} for row in store.query(QUERY)]


def _texts(store) -> dict[str, str]:
    """Measure IRI -> its text (the oa:exact of the evidence of its vet:partOf)."""
    q = f"""PREFIX vet: <{VET}> PREFIX prov: <{PROV}> PREFIX oa: <http://www.w3.org/ns/oa#>
    SELECT ?m ?exact WHERE {{ ?a a vet:Inclusion ; vet:assertedSubject ?m ; prov:wasDerivedFrom ?ev .
      ?ev oa:exact ?exact }}"""
    return {row["m"].value: row["exact"].value for row in store.query(q)}


@pytest.fixture
def folder(tmp_path):
    src = tmp_path / "corpus"
    src.mkdir()
    (src / "parent.txt").write_text(PARENT, encoding="utf-8")
    (src / "child.txt").write_text(CHILD, encoding="utf-8")
    return src


def test_the_build_writes_the_copied_measure_as_a_scored_reuse(folder, tmp_path):
    out = tmp_path / "out"
    result = build([folder], out, views=False)
    assert result.ok, result.errors
    store = OxigraphStore.open(result.store).store
    copied = [r for r in _reuses(store) if float(r["share"]) >= 0.9]
    assert len(copied) == 1, _reuses(store)
    r = copied[0]
    assert r["scope"] == "parent" and r["evidence"] == 2  # both measures' texts
    assert r["r"] == R.reuse_node(r["local"], r["source"])
    texts = _texts(store)
    local, source = texts[r["local"]], texts[r["source"]]
    assert COPIED in local and COPIED in source
    runs = R.parse_runs(r["runs"])
    assert runs and sum(1 for _ in runs) >= 1
    for a, b, c, d in runs:  # the runs index both measures' texts: the same characters
        assert local[a:b] == source[c:d]
    assert int(r["reused"]) >= len(COPIED) - 2
    # graph.nt holds the same triples as the store
    nt = (out / "graph.nt").read_text(encoding="utf-8")
    assert f'<{r["r"]}> <{VET}reuseScope> "parent" .' in nt
    assert f"<{r['local']}> <{VET}reuses> <{r['source']}> ." in nt


def test_the_report_reads_the_stored_reuse_as_the_search_finds_it(folder, tmp_path):
    """What the build stored gives the report's rows exactly as aligning again would."""
    result = build([folder], tmp_path / "out", views=False)
    store = OxigraphStore.open(result.store)
    stored = R.stored_reuse(store)
    assert stored is not None
    ranked: dict[str, list[tuple[float, str]]] = {}  # corpus candidates: the build's similarity links
    for r in diffusion_links(store):
        ranked.setdefault(r["a"], []).append((-r["score"], r["b"]))
        ranked.setdefault(r["b"], []).append((-r["score"], r["a"]))
    found = R.find_reuse(store, partners={m: [x for _, x in sorted(xs)] for m, xs in ranked.items()} or None)
    assert list(R.iter_reuse_rows(stored)) == list(R.iter_reuse_rows(found))
    assert R.document_shares(stored) == R.document_shares(found)
    # a graph without vet:Reuse nodes: nothing stored, the report searches it
    bare = OxigraphStore.from_ntriples(
        "".join(
            line + "\n"
            for line in (tmp_path / "out" / "graph.nt").read_text(encoding="utf-8").splitlines()
            if "/reuse/" not in line and "#reuses>" not in line
        )
    )
    assert R.stored_reuse(bare) is None


def test_an_incremental_rebuild_updates_the_reuse(folder, tmp_path):
    """After the copying measure is rewritten, the rebuild (the store updated in place)
    no longer says it copies its parent, and equals a build from scratch."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build([folder], out, views=False, cache=cache)
    before = [r for r in _reuses(OxigraphStore.open(first.store).store) if float(r["share"]) >= 0.9]
    assert len(before) == 1
    child = folder / "child.txt"
    child.write_text(CHILD.replace(COPIED, REWRITTEN), encoding="utf-8")
    again = build([folder], out, views=False, cache=cache)
    assert again.ok and (again.cache_hits, again.cache_misses) == (1, 1)
    store = OxigraphStore.open(again.store).store
    assert [r for r in _reuses(store) if float(r["share"]) >= 0.9] == []
    assert not store.query(f"ASK {{ <{before[0]['r']}> ?p ?o }}")
    assert not store.query(f"ASK {{ <{before[0]['local']}> <{VET}reuses> <{before[0]['source']}> }}")
    fresh = build([folder], tmp_path / "fresh", views=False)
    reuse_lines = [
        sorted(line for line in (f / "graph.nt").read_text(encoding="utf-8").splitlines() if "reuse" in line.lower())
        for f in (out, tmp_path / "fresh")
    ]
    assert reuse_lines[0] == reuse_lines[1]
    q = f"SELECT ?s ?p ?o WHERE {{ ?s a <{VET}Reuse> ; ?p ?o }}"
    rows = [sorted(str(tuple(r)) for r in OxigraphStore.open(x.store).store.query(q)) for x in (again, fresh)]
    assert rows[0] == rows[1]


def test_the_reuse_shape_holds_for_the_build_and_catches_a_broken_node(folder, tmp_path):
    pyshacl = pytest.importorskip("pyshacl")
    assert build([folder], tmp_path / "out", views=False).ok
    whole = rdflib.Graph().parse(tmp_path / "out" / "graph.nt", format="nt")  # the file: the store folds datatypes
    g, reuse, types = rdflib.Graph(), rdflib.URIRef(VET + "Reuse"), rdflib.RDF.type
    for node in whole.subjects(types, reuse):
        for p, o in whole.predicate_objects(node):
            g.add((node, p, o))
            if isinstance(o, rdflib.URIRef):
                for t in whole.objects(o, types):
                    g.add((o, types, t))
    assert len(g) > 0
    every = rdflib.Graph().parse(ROOT / "ontology" / "shapes.ttl", format="turtle")
    shape = rdflib.URIRef("https://w3id.org/vetkg/shapes#ReuseShape")
    assert (shape, rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#NodeShape")) in every
    shapes, todo = rdflib.Graph(), [shape]  # the reuse's shape alone (with its blank nodes)
    while todo:
        for t in every.triples((todo.pop(), None, None)):
            shapes.add(t)
            if isinstance(t[2], rdflib.BNode):
                todo.append(t[2])
    conforms, _, text = pyshacl.validate(g, shacl_graph=shapes)
    assert conforms, text
    node = next(g.subjects(rdflib.RDF.type, rdflib.URIRef(VET + "Reuse")))
    g.set((node, rdflib.URIRef(VET + "reuseScope"), rdflib.Literal("elsewhere")))
    g.set((node, rdflib.URIRef(VET + "reuseShare"), rdflib.Literal("1.5", datatype=rdflib.XSD.decimal)))
    conforms, _, text = pyshacl.validate(g, shacl_graph=shapes)
    assert not conforms and "reuseScope" in text and "reuseShare" in text


EDITED = COPIED.replace("布局合理、资源共享的", "").replace("提升学生实践能力和就业质量", "让学生多练手、好就业")


def _dated_folder(tmp_path):
    """The parent, the child copying its measure, and a second file with the child's 文号
    (so the same measure IRIs) whose measure is an edited copy."""
    src = tmp_path / "dup"
    src.mkdir()
    (src / "parent.txt").write_text(PARENT, encoding="utf-8")
    (src / "child.txt").write_text(CHILD, encoding="utf-8")
    (src / "child2.txt").write_text(CHILD.replace(COPIED, EDITED), encoding="utf-8")
    return src


def test_files_sharing_a_number_give_one_scored_reuse_per_measure_whatever_their_order(tmp_path):
    """Two files with one 文号 share the measure IRIs: one text per IRI (the smallest
    file stem), so every vet:Reuse node has one share, one run list and one character
    count (vsh:ReuseShape, maxCount 1), and the graph does not depend on the order of the
    files."""
    src = _dated_folder(tmp_path)
    names = ["parent.txt", "child.txt", "child2.txt"]
    graphs = []
    for n, order in enumerate((names, names[::-1], [names[2], names[0], names[1]])):
        result = build([src / name for name in order], tmp_path / f"out{n}", views=False)
        assert result.ok, result.errors
        graphs.append(sorted((tmp_path / f"out{n}" / "graph.nt").read_text(encoding="utf-8").splitlines()))
        store = OxigraphStore.open(result.store).store
        q = f"""PREFIX vet: <{VET}> SELECT ?r (COUNT(DISTINCT ?share) AS ?shares) (COUNT(DISTINCT ?runs) AS ?n_runs)
          (COUNT(DISTINCT ?reused) AS ?n_reused) WHERE {{ ?r a vet:Reuse ; vet:reuseShare ?share ;
          vet:reuseRuns ?runs ; vet:reusedCharacters ?reused }} GROUP BY ?r"""
        rows = [(int(r["shares"].value), int(r["n_runs"].value), int(r["n_reused"].value)) for r in store.query(q)]
        assert rows and all(row == (1, 1, 1) for row in rows), rows
        q = f"SELECT ?s (COUNT(?score) AS ?n) WHERE {{ ?s a <{VET}Similarity> ; <{VET}score> ?score }} GROUP BY ?s"
        assert {int(r["n"].value) for r in store.query(q)} == {1}  # one vet:Similarity node, one score
        # the copied measure's text is child.txt's (the smaller stem): the verbatim copy
        copied = [r for r in _reuses(store) if float(r["share"]) >= 0.9]
        assert len(copied) == 1, _reuses(store)
    assert graphs[0] == graphs[1] == graphs[2]


def test_a_corpus_without_similarity_links_is_not_searched_again(tmp_path, monkeypatch):
    """No similarity links means no corpus candidates (the links' own rule): the corpus
    step does not run a second MinHash/LSH pass over every measure to find none."""
    src = tmp_path / "one"
    src.mkdir()
    (src / "parent.txt").write_text(PARENT, encoding="utf-8")
    calls = []
    search = R._corpus_partners

    def counted(*args, **kwargs):
        calls.append(1)
        return search(*args, **kwargs)

    monkeypatch.setattr(R, "_corpus_partners", counted)
    result = build([src], tmp_path / "out", views=False)
    assert result.ok, result.errors
    assert calls == []
