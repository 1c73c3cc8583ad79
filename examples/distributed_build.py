"""Build a corpus on a Dask cluster: each worker reads, parses and extracts documents and
writes one N-Quads file per document; then bulk-load them into an Oxigraph store (or any
SPARQL store) and ask it a named query, as `vetkg query` would.

    pip install -e '.[distributed]'
    python examples/distributed_build.py seeds build/nquads build/oxigraph-store
    # serve the store and query it over HTTP:
    oxigraph serve-read-only --location build/oxigraph-store --bind 127.0.0.1:7878 &
    vetkg query --endpoint http://127.0.0.1:7878/query --name most_cited

On a real cluster, pass the scheduler's address instead of starting a LocalCluster, and
put the inputs and the output folder on storage every worker sees.
"""

from __future__ import annotations

import sys
import time

import pyoxigraph
from dask.distributed import Client, LocalCluster

from kg.corpus.distributed import build_distributed
from kg.store import OxigraphStore, named_query, run


def main(inputs: str, nquads: str, store_path: str, scheduler: str | None = None) -> int:
    t = time.perf_counter()
    cluster = (
        None if scheduler else LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None, host="127.0.0.1")
    )
    with Client(scheduler or cluster) as client:
        summaries = build_distributed([inputs], nquads, client)
    if cluster is not None:
        cluster.close()
    errors = [s for s in summaries if "error" in s]
    for s in errors:
        print(f"error: {s['path']}: {s['error']}", file=sys.stderr)
    store = pyoxigraph.Store(store_path)
    for s in summaries:
        if "file" in s:  # one set of triples: shared entities join the documents
            store.extend(
                pyoxigraph.Quad(q.subject, q.predicate, q.object)
                for q in pyoxigraph.parse(path=s["file"], format=pyoxigraph.RdfFormat.N_QUADS)
            )
    store.flush()
    print(
        f"{len(summaries) - len(errors)} document(s), {len(store)} triples in {store_path} "
        f"({time.perf_counter() - t:.1f} s)"
    )
    print(run(OxigraphStore(store), named_query("most_cited")).to_table())  # the one engine, embedded
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
