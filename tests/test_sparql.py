"""SPARQL on the built seed graph: named queries answer the researchers' questions, give
the same answers on rdflib and Oxigraph, and bind parameters as RDF terms."""
from __future__ import annotations

import json

import pytest

from kg.store import sparql

from conftest import run_cli

PARAMS = {
    "documents_citing": {"number": "国办发〔2017〕95号"},
    "indicators_matching": {"text": "双师型"},
    "evidence": {"name": "县教育局"},
    "measures_of_unit": {"name": "市教育体育局"},
}


@pytest.fixture(scope="module")
def stores(seed_graph_dir, tmp_path_factory):
    on_disk = tmp_path_factory.mktemp("ox") / "store"
    return (sparql.open_store(seed_graph_dir, "rdflib"),
            sparql.open_store(seed_graph_dir, f"oxigraph:{on_disk}"))


def test_at_least_twelve_named_queries_each_saying_its_question():
    queries = sparql.named_queries()
    assert len(queries) >= 12
    for q in queries.values():
        assert q.title and q.title != q.name, q.name
        assert len(q.question) > 20, q.name
        assert set(p.name for p in q.params) <= set(PARAMS.get(q.name, {})), q.name


@pytest.mark.parametrize("name", sorted(sparql.named_queries()))
def test_named_query_gives_the_same_answers_on_rdflib_and_oxigraph(stores, name):
    rdf, ox = stores
    query = sparql.named_query(name)
    a = sparql.run(rdf, query, PARAMS.get(name))
    b = sparql.run(ox, query, PARAMS.get(name))
    assert a.columns == b.columns
    ordered = sparql.is_ordered(query)
    assert a.comparable(ordered) == b.comparable(ordered)


def test_oxigraph_store_on_disk_is_reused_until_the_graph_changes(seed_graph_dir, tmp_path):
    path = tmp_path / "store"
    first = sparql.open_store(seed_graph_dir, f"oxigraph:{path}")
    n = len(first.store)
    del first
    stamp = (path / sparql.OxigraphStore.STAMP).stat().st_mtime_ns
    again = sparql.open_store(seed_graph_dir, f"oxigraph:{path}")
    assert len(again.store) == n
    assert (path / sparql.OxigraphStore.STAMP).stat().st_mtime_ns == stamp


def records(stores, query_name, **params):
    return sparql.run(stores[0], sparql.named_query(query_name), params or None).records()


def test_gov_office_2017_95_is_cited_by_three_seeds(stores):
    rows = records(stores, "documents_citing", number="国办发〔2017〕95号")
    assert {r["region"] for r in rows} == {"XX县", "北京市", "鹤壁市"}
    top = records(stores, "most_cited")[0]
    assert top["number"] == "国办发〔2017〕95号" and top["citing_documents"] == 3


def test_hebi_education_bureau_is_responsible_for_about_twenty_measures(stores):
    rows = records(stores, "measures_of_unit", name="市教育体育局")
    keys = {r["measure_key"] for r in rows}
    assert 18 <= len(keys) <= 24
    assert {r["title"][:3] for r in rows} == {"鹤壁市"}


def test_hebi_seventy_percent_target_is_typed(stores):
    rows = [r for r in records(stores, "indicators_matching", text="双师型") if r["region"] == "鹤壁市"]
    assert len(rows) == 1
    assert rows[0]["value"] == 70 and isinstance(rows[0]["value"], int)
    assert rows[0]["unit"] == "%" and rows[0]["comparator"] == ">=" and rows[0]["year"] == 2025


def test_modern_apprenticeship_reaches_three_supporting_documents(stores):
    row = next(r for r in records(stores, "program_reach") if r["program"] == "现代学徒制")
    assert row["supporting_documents"] >= 3


def test_documents_overview_has_typed_dates(stores):
    rows = records(stores, "documents")
    assert len(rows) == 5
    hebi = next(r for r in rows if r["region"] == "鹤壁市")
    assert str(hebi["date"]) == "2022-01-14" and hebi["number"] == "鹤政办〔2022〕1号"
    assert hebi["measures"] == 29


def test_functions_in_every_region_include_education(stores):
    functions = {r["function"] for r in records(stores, "functions_in_every_region")}
    assert {"education", "human_resources_social_security", "finance"} <= functions
    assert "central_bank" not in functions


def test_evidence_gives_sentence_and_offsets(stores):
    rows = records(stores, "evidence", name="县教育局")
    resp = [r for r in rows if r["relation"] == "responsibleFor"]
    assert resp and all(r["quote"] in r["sentence"] for r in resp)
    assert all(r["end"] > r["start"] for r in resp)


@pytest.mark.parametrize("value", ['" } DROP ALL', '国办发"〔2017〕95号\\', "x\n}", "<http://a>"])
def test_parameters_are_bound_as_literals_never_spliced(stores, value):
    for store in stores:
        res = sparql.run(store, sparql.named_query("documents_citing"), {"number": value})
        assert res.rows == []
    query = sparql.inject_values(sparql.named_query("documents_citing").text,
                                 sparql.bind_params(sparql.named_query("documents_citing"),
                                                    {"number": value}))
    assert sparql.RdflibStore(stores[0].graph).query(query).rows == []


def test_inject_values_places_the_block_in_the_where_group():
    q = 'PREFIX a: <http://x/ns#> SELECT ?s # WHERE {\nWHERE { # { in a comment\n ?s a:p "WHERE {" }'
    out = sparql.inject_values(q, {"v": sparql.Term("literal", 'a"b')})
    assert 'WHERE { VALUES (?v) { ("a\\"b") }' in out


def test_cli_query_named_with_param_and_formats(seed_graph_dir):
    proc = run_cli("query", "--graph", seed_graph_dir, "--name", "documents_citing",
                   "--param", "number=国办发〔2017〕95号", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert len(data["results"]["bindings"]) == 3
    proc = run_cli("query", "--graph", seed_graph_dir, "--name", "indicators", "--format", "csv",
                   "--store", "oxigraph")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith("region,title,measure_key,subject,value")
    proc = run_cli("query", "--graph", seed_graph_dir,
                   "SELECT (COUNT(?p) AS ?n) WHERE { ?p a vet:Program }")
    assert proc.returncode == 0 and "(1 row)" in proc.stdout


def test_cli_query_from_file(seed_graph_dir, tmp_path):
    rq = tmp_path / "mine.rq"
    rq.write_text("SELECT ?t WHERE { ?d vet:sourceId ?s ; dcterms:title ?t } ORDER BY ?t\n",
                  encoding="utf-8")
    proc = run_cli("query", rq, "--graph", seed_graph_dir, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 6


@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
def test_malformed_query_reports_line_and_column(seed_graph_dir, store):
    proc = run_cli("query", "--graph", seed_graph_dir, "--store", store,
                   "SELECT ?x\nWHERE { ?x a vet:Program ")
    assert proc.returncode == 2
    assert "syntax error" in proc.stderr and "2" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unknown_named_query_lists_the_names(seed_graph_dir):
    proc = run_cli("query", "--graph", seed_graph_dir, "--name", "nope")
    assert proc.returncode == 2
    assert "documents_citing" in proc.stderr and "indicators" in proc.stderr


def test_missing_graph_is_a_clear_error(tmp_path):
    proc = run_cli("query", "--graph", tmp_path / "nowhere", "--name", "documents")
    assert proc.returncode == 2 and "does not exist" in proc.stderr
    proc = run_cli("query", "--graph", tmp_path, "--name", "documents")
    assert proc.returncode == 2 and "holds no graph" in proc.stderr


def test_missing_parameter_is_named(seed_graph_dir):
    proc = run_cli("query", "--graph", seed_graph_dir, "--name", "documents_citing")
    assert proc.returncode == 2 and "--param number=" in proc.stderr


def test_validate_command(seed_graph_dir):
    proc = run_cli("validate", "--graph", seed_graph_dir)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "conform" in proc.stdout
