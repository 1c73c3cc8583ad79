"""A real Oxigraph SPARQL server: `vetkg serve` read-only, `vetkg push` into a read-write
server, queried over HTTP with a standard SPARQL client (SPARQLWrapper)."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from conftest import ROOT, run_cli, stop
from SPARQLWrapper import JSON, SPARQLWrapper

from kg import store as kgstore
from kg.corpus.incremental import sound_store
from kg.store.endpoint import EndpointStore
from kg.store.queries import inject_values, is_ordered
from kg.store.results import parse_results_json
from kg.store.server import oxigraph_binary, server_command, wait_until_up

PARAMS = {
    "documents_citing": {"number": "国办发〔2017〕95号"},
    "indicators_matching": {"text": "双师型"},
    "evidence": {"name": "县教育局"},
    "measures_of_unit": {"name": "市教育体育局"},
    "implementation_chain": {"number": "国办发〔2017〕95号"},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def running(cmd: list[str], port: int, **kwargs):
    """Start a server process, wait until it listens on ``port``, stop it afterwards."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)
    try:
        wait_until_up("127.0.0.1", port, timeout=60, proc=proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def served(seed_graph_dir, tmp_path_factory):
    """`vetkg serve` on a free loopback port; yields the server's base URL."""
    port = free_port()
    store = tmp_path_factory.mktemp("served") / "store"
    yield from running(
        [
            sys.executable,
            "-m",
            "kg",
            "serve",
            "--graph",
            str(seed_graph_dir),
            "--port",
            str(port),
            "--store",
            str(store),
        ],
        port,
        cwd=ROOT,
    )


@pytest.fixture(scope="module")
def writable_server(tmp_path_factory):
    """A plain read-write Oxigraph server, as a user's own store would be."""
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-rw")
    yield from running(server_command(location, "127.0.0.1", port, read_only=False), port)


@pytest.fixture(scope="module")
def embedded(seed_graph_dir):
    """The store `vetkg query` reads by default: the build's own, opened in this process."""
    built = sound_store(seed_graph_dir)
    assert built is not None
    return kgstore.open_store(seed_graph_dir, built=built)


def comparable(result, query) -> list[tuple]:
    """``result.comparable()``, with the values of a GROUP_CONCAT column as a sorted list
    (SPARQL leaves the order of concatenated values to the engine)."""
    text = query.text if hasattr(query, "text") else query
    concat = {
        m.group(2): m.group(1)
        for m in re.finditer(r'GROUP_CONCAT\((?:DISTINCT\s+)?\?\w+;\s*separator="([^"]*)"\)\s+AS\s+\?(\w+)', text)
    }
    seps = {i: concat[c] for i, c in enumerate(result.columns) if c in concat}
    ordered = is_ordered(query)
    rows = [
        tuple(sorted(v.split(seps[i])) if i in seps and v else v for i, v in enumerate(r))
        for r in result.comparable(ordered)
    ]
    return rows if ordered else sorted(rows, key=repr)


def wrapper_rows(url: str, query: str, graph: str | None = None) -> list[tuple]:
    client = SPARQLWrapper(url)
    if graph:
        client.addDefaultGraph(graph)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    client.setMethod("POST")
    data = client.query().convert()
    return parse_results_json(json.dumps(data).encode())


def test_oxigraph_binary_is_installed():
    out = subprocess.run([oxigraph_binary(), "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "oxigraph" in out.stdout.lower()


@pytest.mark.parametrize("name", sorted(kgstore.named_queries()))
def test_served_graph_answers_every_named_query_like_the_embedded_store(served, embedded, name):
    """The two ways to ask: Oxigraph embedded in this process, and the real server over
    HTTP (a standard client, and vetkg's own EndpointStore) — the same rows."""
    query = kgstore.named_query(name)
    params = PARAMS.get(name)
    expected = kgstore.run(embedded, query, params)
    assert expected.rows or name == "measures_without_responsible", name
    if params:
        text = inject_values(query.text, kgstore.bind_params(query, params))
    else:
        text = query.text
    got = wrapper_rows(served + "/query", text)  # a standard client, over HTTP
    assert got.columns == expected.columns
    assert comparable(got, query) == comparable(expected, query)
    ours = kgstore.run(EndpointStore(served + "/query"), query, params)
    assert comparable(ours, query) == comparable(expected, query)


def test_served_graph_refuses_updates(served):
    req = urllib.request.Request(
        served + "/update",
        data=b"update=DROP%20ALL",
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code in (403, 405)
    count = wrapper_rows(served + "/query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert count.values()[0][0] > 10_000


def test_cli_query_against_the_served_endpoint(served):
    proc = run_cli(
        "query",
        "--endpoint",
        served + "/query",
        "--name",
        "documents_citing",
        "--param",
        "number=国办发〔2017〕95号",
        "--format",
        "csv",
    )
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 4


def test_push_into_a_named_graph_then_query_over_http(seed_graph_dir, writable_server, embedded):
    graph_name = "https://example.org/graphs/vet-seeds"
    proc = run_cli(
        "push", "--graph", seed_graph_dir, "--endpoint", writable_server + "/store", "--graph-name", graph_name
    )
    assert proc.returncode == 0, proc.stderr
    count = wrapper_rows(
        writable_server + "/query", f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_name}> {{ ?s ?p ?o }} }}"
    )
    assert count.values()[0][0] == len(embedded)
    # Pushing again replaces the graph rather than doubling it.
    assert (
        run_cli(
            "push", "--graph", seed_graph_dir, "--endpoint", writable_server + "/store", "--graph-name", graph_name
        ).returncode
        == 0
    )
    count = wrapper_rows(
        writable_server + "/query", f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_name}> {{ ?s ?p ?o }} }}"
    )
    assert count.values()[0][0] == len(embedded)
    for name in ("indicators", "most_cited", "documents_citing"):
        query = kgstore.named_query(name)
        expected = kgstore.run(embedded, query, PARAMS.get(name))
        remote = EndpointStore(writable_server + "/query", graph_name)
        got = kgstore.run(remote, query, PARAMS.get(name))
        assert got.comparable(True) == expected.comparable(True), name


def test_push_to_an_unreachable_endpoint_fails_clearly(seed_graph_dir):
    port = free_port()  # nothing listens there
    proc = run_cli("push", "--graph", seed_graph_dir, "--endpoint", f"http://127.0.0.1:{port}/store")
    assert proc.returncode == 2
    assert "cannot reach" in proc.stderr and "Traceback" not in proc.stderr


def test_refused_upload_fails_clearly(seed_graph_dir, served):
    proc = run_cli("push", "--graph", seed_graph_dir, "--endpoint", served + "/store")
    assert proc.returncode == 2
    assert "refused" in proc.stderr and "403" in proc.stderr


def test_push_without_a_graph_is_a_clear_error(tmp_path, writable_server):
    proc = run_cli("push", "--graph", tmp_path, "--endpoint", writable_server + "/store")
    assert proc.returncode == 2 and "holds no graph" in proc.stderr


def test_query_against_an_unreachable_endpoint_fails_clearly():
    proc = run_cli("query", "--endpoint", f"http://127.0.0.1:{free_port()}/query", "--name", "documents")
    assert proc.returncode == 2 and "cannot reach" in proc.stderr


@pytest.fixture(scope="module")
def served_large(tmp_path_factory):
    """`vetkg serve` on a build of its own: it serves the build's own store without
    loading graph.nt again."""
    from kg.corpus.build import build

    out = tmp_path_factory.mktemp("large-build")
    result = build([ROOT / "seeds"], out, views=False)
    assert result.ok and result.store is not None
    port = free_port()
    yield from running([sys.executable, "-m", "kg", "serve", "--graph", str(out), "--port", str(port)], port, cwd=ROOT)
    assert not (out / "oxigraph").exists()  # no second store was made


@pytest.mark.parametrize("name", ["documents_citing", "indicators", "most_cited", "measures_of_unit"])
def test_a_build_is_served_from_its_own_store(served_large, embedded, name):
    query = kgstore.named_query(name)
    params = PARAMS.get(name)
    expected = kgstore.run(embedded, query, params)
    text = inject_values(query.text, kgstore.bind_params(query, params)) if params else query.text
    got = wrapper_rows(served_large + "/query", text)
    assert comparable(got, query) == comparable(expected, query)
    count = wrapper_rows(served_large + "/query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert count.values()[0][0] == len(embedded)
