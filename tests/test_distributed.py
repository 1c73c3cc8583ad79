"""The per-document stage on a local Dask cluster of two worker processes: per-document
N-Quads that a SPARQL store bulk-loads into one graph."""

from __future__ import annotations

import pyoxigraph
import pytest
from conftest import SEEDS

from kg import store as kgstore
from kg.corpus.distributed import build_distributed
from kg.corpus.incremental import sound_store


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_two_workers_write_nquads_that_load_into_one_graph(client, tmp_path, seed_graph_dir):
    (tmp_path / "in").mkdir()
    for f in SEEDS.glob("*.txt"):
        (tmp_path / "in" / f.name).write_bytes(f.read_bytes())
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    summaries = build_distributed([tmp_path / "in"], tmp_path / "nq", client)
    errors = [s for s in summaries if "error" in s]
    assert [s["path"].endswith("empty.txt") for s in errors] == [True]
    files = sorted((tmp_path / "nq").glob("*.nq"))
    assert len(files) == 6 and (tmp_path / "nq" / "corpus.nq") in files  # 5 documents + the corpus step
    workers = client.run(lambda: __import__("os").getpid())
    assert len(workers) == 2
    # Every document's quads carry its own graph name (provenance of the file) ...
    graphs = set()
    got = set()
    merged = pyoxigraph.Store()
    for f in files:
        quads = list(pyoxigraph.parse(path=str(f), format=pyoxigraph.RdfFormat.N_QUADS))
        graphs |= {q.graph_name.value for q in quads}
        got |= {q.triple for q in quads}
        # ... and loaded as one set of triples, the shared nodes (one IRI per department,
        # program, cited 文号) join the documents.
        merged.extend(pyoxigraph.Quad(q.subject, q.predicate, q.object) for q in quads)
    assert len(graphs) == 6
    # The same triples, exactly, as the single-machine build of the same documents.
    single = {
        q.triple for q in pyoxigraph.parse(path=str(seed_graph_dir / "graph.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    }
    assert got == single  # (compared as parsed: Oxigraph stores xsd:nonNegativeInteger as xsd:integer)
    local = kgstore.OxigraphStore(merged)
    embedded = kgstore.open_store(seed_graph_dir, built=sound_store(seed_graph_dir))  # the build's own store
    assert len(local) == len(embedded)
    for name, params in (
        ("documents_citing", {"number": "国办发〔2017〕95号"}),
        ("measures_of_unit", {"name": "市教育体育局"}),
        ("department_load", None),
        ("indicators", None),
    ):
        query = kgstore.named_query(name)
        got, want = kgstore.run(local, query, params), kgstore.run(embedded, query, params)
        assert got.rows and got.comparable() == want.comparable(), name
