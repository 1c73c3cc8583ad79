"""SPARQL on the built seed graph: named queries answer the researchers' questions, give
the same answers from the build's own store, graph.nt in memory and an on-disk store
named with --store (and, in test_server.py, through the real server), and bind
parameters as RDF terms."""

from __future__ import annotations

import json
import re

import pytest
from conftest import run_cli

from kg import store as kgstore
from kg.corpus.incremental import sound_store
from kg.errors import QueryError
from kg.store.oxigraph import STAMP
from kg.store.queries import inject_values, is_ordered

PARAMS = {
    "documents_citing": {"number": "国办发〔2017〕95号"},
    "indicators_matching": {"text": "双师型"},
    "evidence": {"name": "县教育局"},
    "measures_of_unit": {"name": "市教育体育局"},
    "implementation_chain": {"number": "国办发〔2017〕95号"},
}


@pytest.fixture(scope="module")
def stores(seed_graph_dir, tmp_path_factory):
    """The build's own store (what `vetkg query` reads by default), graph.nt loaded into
    memory, and an on-disk store made from graph.nt (`--store PATH`)."""
    on_disk = tmp_path_factory.mktemp("ox") / "store"
    built = sound_store(seed_graph_dir)
    assert built is not None and built == seed_graph_dir / "graph.oxigraph"
    return (
        kgstore.open_store(seed_graph_dir, built=built),
        kgstore.open_store(seed_graph_dir),
        kgstore.open_store(seed_graph_dir, on_disk),
    )


def test_at_least_twelve_named_queries_each_saying_its_question():
    queries = kgstore.named_queries()
    assert len(queries) >= 12
    for q in queries.values():
        assert q.title and q.title != q.name, q.name
        assert len(q.question) > 20, q.name
        assert set(p.name for p in q.params) <= set(PARAMS.get(q.name, {})), q.name


def comparable(result, query) -> list[tuple]:
    """``result.comparable()``, with the values of a GROUP_CONCAT column as a sorted list:
    SPARQL leaves the order of concatenated values to the engine's internals (a store
    loaded another way may list the same two issuers the other way round)."""
    text = query.text if hasattr(query, "text") else query
    concat = {
        m.group(2): m.group(1)
        for m in re.finditer(r'GROUP_CONCAT\((?:DISTINCT\s+)?\?\w+;\s*separator="([^"]*)"\)\s+AS\s+\?(\w+)', text)
    }
    cols = [i for i, c in enumerate(result.columns) if c in concat]
    ordered = is_ordered(query)
    rows = result.comparable(ordered)
    if not cols:
        return rows
    seps = {i: concat[result.columns[i]] for i in cols}
    rows = [tuple(sorted(v.split(seps[i])) if i in seps and v else v for i, v in enumerate(r)) for r in rows]
    return rows if ordered else sorted(rows, key=repr)


@pytest.mark.parametrize("name", sorted(kgstore.named_queries()))
def test_named_query_gives_the_same_answers_from_every_store(stores, name):
    built, memory, on_disk = stores
    query = kgstore.named_query(name)
    a = kgstore.run(built, query, PARAMS.get(name))
    assert a.rows or name == "measures_without_responsible", name
    for other in (memory, on_disk):
        b = kgstore.run(other, query, PARAMS.get(name))
        assert a.columns == b.columns
        assert comparable(a, query) == comparable(b, query)


def test_the_stores_hold_the_same_triples(stores):
    assert len({len(s) for s in stores}) == 1
    assert stores[0].ntriples() and set(stores[0].store) == set(stores[2].store)


def test_oxigraph_store_on_disk_is_reused_until_the_graph_changes(seed_graph_dir, tmp_path):
    path = tmp_path / "store"
    first = kgstore.open_store(seed_graph_dir, path)
    n = len(first.store)
    del first
    stamp = (path / STAMP).stat().st_mtime_ns
    again = kgstore.open_store(seed_graph_dir, path)
    assert len(again.store) == n
    assert (path / STAMP).stat().st_mtime_ns == stamp
    del again
    # another graph in the folder: the store is made again from its graph.nt
    other = tmp_path / "other"
    other.mkdir()
    lines = (seed_graph_dir / "graph.nt").read_text(encoding="utf-8").splitlines(keepends=True)
    (other / "graph.nt").write_text("".join(lines[:100]), encoding="utf-8")
    smaller = kgstore.open_store(other, path)
    assert len(smaller.store) == 100 and (path / STAMP).stat().st_mtime_ns != stamp


def test_a_folder_that_is_not_a_store_is_never_overwritten(seed_graph_dir, tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(QueryError, match="not a vetkg Oxigraph store"):
        kgstore.open_store(seed_graph_dir, tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_rdflib_is_no_longer_a_query_engine(seed_graph_dir):
    with pytest.raises(QueryError, match="no longer a query engine"):
        kgstore.open_store(seed_graph_dir, "rdflib")
    proc = run_cli("query", "--graph", seed_graph_dir, "--store", "rdflib", "--name", "documents")
    assert proc.returncode == 2 and "no longer a query engine" in proc.stderr
    assert "Traceback" not in proc.stderr


def records(stores, query_name, **params):
    return kgstore.run(stores[0], kgstore.named_query(query_name), params or None).records()


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
        res = kgstore.run(store, kgstore.named_query("documents_citing"), {"number": value})
        assert res.rows == []
    # As sent to an HTTP endpoint: a VALUES block of escaped terms, run here embedded.
    query = inject_values(
        kgstore.named_query("documents_citing").text,
        kgstore.bind_params(kgstore.named_query("documents_citing"), {"number": value}),
    )
    assert stores[0].query(query).rows == []
    assert len(stores[0]) == len(stores[1])  # nothing was dropped


def test_inject_values_places_the_block_in_the_where_group():
    q = 'PREFIX a: <http://x/ns#> SELECT ?s # WHERE {\nWHERE { # { in a comment\n ?s a:p "WHERE {" }'
    out = inject_values(q, {"v": kgstore.Term("literal", 'a"b')})
    assert 'WHERE { VALUES (?v) { ("a\\"b") }' in out


def test_cli_query_named_with_param_and_formats(seed_graph_dir, tmp_path):
    proc = run_cli(
        "query",
        "--graph",
        seed_graph_dir,
        "--name",
        "documents_citing",
        "--param",
        "number=国办发〔2017〕95号",
        "--format",
        "json",
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert len(data["results"]["bindings"]) == 3
    proc = run_cli(
        "query", "--graph", seed_graph_dir, "--name", "indicators", "--format", "csv", "--store", tmp_path / "store"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith("region,title,measure_key,subject,value")
    assert (tmp_path / "store" / STAMP).is_file()  # the store folder was made from graph.nt
    default = run_cli("query", "--graph", seed_graph_dir, "--name", "indicators", "--format", "csv")
    assert default.returncode == 0 and default.stdout == proc.stdout
    proc = run_cli("query", "--graph", seed_graph_dir, "SELECT (COUNT(?p) AS ?n) WHERE { ?p a vet:Program }")
    assert proc.returncode == 0 and "(1 row)" in proc.stdout


def test_cli_query_from_file(seed_graph_dir, tmp_path):
    rq = tmp_path / "mine.rq"
    rq.write_text("SELECT ?t WHERE { ?d vet:sourceId ?s ; dcterms:title ?t } ORDER BY ?t\n", encoding="utf-8")
    proc = run_cli("query", rq, "--graph", seed_graph_dir, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 6


@pytest.mark.parametrize("store", [None, "folder"])
def test_malformed_query_reports_line_and_column(seed_graph_dir, store, tmp_path):
    where = ["--store", tmp_path / "store"] if store else []
    proc = run_cli("query", "--graph", seed_graph_dir, *where, "SELECT ?x\nWHERE { ?x a vet:Program ")
    assert proc.returncode == 2
    assert "syntax error" in proc.stderr and "2:" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_cli_group_concat_over_an_optional_variable(seed_graph_dir):
    """Documents without a 文号 leave ?n unbound: the group still answers (empty or unbound)."""
    proc = run_cli(
        "query",
        "--graph",
        seed_graph_dir,
        "--format",
        "json",
        'SELECT ?d (GROUP_CONCAT(?n; separator="|") AS ?numbers) (COUNT(?n) AS ?k) '
        "WHERE { ?d a vet:PolicyDocument OPTIONAL { ?d dcterms:identifier ?n } } GROUP BY ?d",
    )
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)["results"]["bindings"]
    assert rows
    numbered = [r for r in rows if int(r["k"]["value"]) > 0]
    bare = [r for r in rows if int(r["k"]["value"]) == 0]
    assert numbered and bare
    assert any(r["numbers"]["value"] == "国办发〔2017〕95号" for r in numbered)
    assert all(r.get("numbers", {}).get("value", "") == "" for r in bare)
    table = run_cli(
        "query",
        "--graph",
        seed_graph_dir,
        'SELECT ?d (GROUP_CONCAT(?n; separator="|") AS ?numbers) '
        "WHERE { ?d a vet:PolicyDocument OPTIONAL { ?d dcterms:identifier ?n } } GROUP BY ?d",
    )
    assert table.returncode == 0, table.stderr
    assert f"({len(rows)} rows)" in table.stdout


def test_cli_exists_inside_an_aggregate(seed_graph_dir, stores):
    proc = run_cli(
        "query",
        "--graph",
        seed_graph_dir,
        "--format",
        "csv",
        "SELECT (SUM(IF(EXISTS { ?m vet:targets ?i }, 1, 0)) AS ?with_targets) (COUNT(?m) AS ?all) "
        "WHERE { ?m a vet:Measure }",
    )
    assert proc.returncode == 0, proc.stderr
    header, row = proc.stdout.splitlines()
    assert header == "with_targets,all"
    with_targets, total = map(int, row.split(","))
    want = kgstore.run(stores[0], "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a vet:Measure ; vet:targets ?i }")
    assert with_targets == want.values()[0][0]
    assert 0 < with_targets < total == 151


def test_cli_long_inline_query_is_not_taken_for_a_file_name(seed_graph_dir):
    """More than 255 bytes with no '/': longer than a file name may be."""
    query = (
        "SELECT ?title (COUNT(DISTINCT ?m) AS ?measures) (COUNT(DISTINCT ?i) AS ?indicators) "
        "WHERE { ?d a vet:PolicyDocument ; dcterms:title ?title ; vet:sourceId ?src . "
        "?m vet:partOf ?d . OPTIONAL { ?m vet:targets ?i . ?i vet:value ?v } "
        'FILTER(STRLEN(?title) > 3 && !CONTAINS(?title, "not-in-any-title")) } '
        "GROUP BY ?title HAVING (COUNT(DISTINCT ?m) > 0) ORDER BY DESC(?measures) ?title"
    )
    assert len(query.encode("utf-8")) > 300 and "/" not in query
    proc = run_cli("query", "--graph", seed_graph_dir, "--format", "csv", query)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "title,measures,indicators" and len(lines) == 6
    assert sum(int(line.rsplit(",", 2)[1]) for line in lines[1:]) == 151


def test_cli_malformed_query_is_a_clear_error(seed_graph_dir):
    for query in ("SELECT WHERE", "SELECT ?x WHERE { ?x a vet:Nope . FILTER( }", "DROP ALL"):
        proc = run_cli("query", "--graph", seed_graph_dir, query)
        assert proc.returncode == 2, (query, proc.stdout)
        # a syntax error names line and column; an update (DROP) is refused before parsing
        expected = "refuses" if query.startswith("DROP") else "syntax error"
        assert proc.stderr.startswith("vetkg: error:") and expected in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) == 1


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
