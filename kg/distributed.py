"""Past one machine: the per-document stage on a distributed engine (Dask).

:func:`kg.build.process_document` is a pure function of one file — bytes in, records
out — so it can run anywhere. :func:`document_nquads` adds the graph of that one document
and writes it as N-Quads in the document's own named graph; any SPARQL store bulk-loads
the files (``oxigraph load``, Fuseki's ``tdb2.tdbloader``, QLever). Entity IRIs are
deterministic keys (:mod:`kg.resolve`), so the same department, program or cited 文号
is one node across files without any coordination. What needs the whole corpus is left
to the store: linking a citation by title only (no 文号) to a built document, and the
diffusion links.

    from dask.distributed import Client, LocalCluster
    from kg.distributed import build_distributed
    with Client(LocalCluster(n_workers=2, threads_per_worker=1)) as client:
        summary = build_distributed(["seeds"], "build/nquads", client)
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional


def document_nquads(path: str | Path, out_dir: str | Path) -> dict:
    """Read, parse, extract and graph one document; write ``<out_dir>/<doc_id>.nq``
    (atomically). Returns a small summary (never raises: a bad file is an ``error``)."""
    from kg.atomic import write_text_atomic
    from kg.build import process_document
    from kg.graph import build_graph, iri, serialize
    from kg.resolve import resolve_corpus

    parsed, extraction, problem = process_document(path)
    if extraction is None:
        return {"path": str(path), "error": problem.message if problem else "not extracted"}
    resolution = resolve_corpus([extraction])
    graph = build_graph([extraction], resolution)
    name = iri(resolution.documents[extraction.document.doc_id])
    lines = serialize(graph, "nt").splitlines()
    quads = "".join(f"{line[:-1].rstrip()} <{name}> .\n" for line in lines if line.endswith("."))
    target = Path(out_dir) / f"{extraction.document.doc_id}.nq"
    write_text_atomic(target, quads)
    return {"path": str(path), "doc_id": extraction.document.doc_id, "graph": name,
            "quads": len(lines), "file": str(target)}


def build_distributed(inputs: Iterable[str | Path], out_dir: str | Path, client=None,
                      npartitions: Optional[int] = None) -> list[dict]:
    """Every document under ``inputs`` through :func:`document_nquads` as a Dask bag (on
    ``client``'s cluster, or Dask's default scheduler); one summary per document, in the
    order of the inputs."""
    import dask.bag as db

    from kg.reader import collect_paths

    paths, problems = collect_paths(inputs)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    summaries = [{"path": e.path, "error": e.reason} for e in problems]
    if not paths:
        return summaries
    bag = db.from_sequence([str(p) for p in paths], npartitions=npartitions or min(len(paths), 64))
    done = bag.map(document_nquads, str(out_dir))
    results = client.compute(done).result() if client is not None else done.compute()
    return summaries + list(results)
