"""Past one machine: the per-document stage on a distributed engine (Dask).

:func:`kg.corpus.build.build_document` is a pure function of one file — bytes in, records and
graph text out — so it can run anywhere. :func:`document_nquads` runs it and writes the
document's triples as N-Quads in the document's own named graph; any SPARQL store
bulk-loads the files (``oxigraph load``, Fuseki's ``tdb2.tdbloader``, QLever). Entity IRIs
are deterministic keys (:mod:`kg.resolution.entities`), so the same department, program or cited 文号
is one node across files without any coordination.

What needs the whole corpus travels back to the client, small: each document's view of
the shared entities, its citations to resolve and the MinHash sketches of its measures.
:func:`build_distributed` folds them, exactly as a single-machine build does
(:class:`kg.corpus.graph.CorpusGraph`), into ``corpus.nq``: the shared entities with labels
counted over the corpus, citations by title resolved to built documents, and the
diffusion links. Loaded together, the files are the same graph as ``vetkg build``'s.

    from dask.distributed import Client, LocalCluster
    with Client(LocalCluster(n_workers=2, threads_per_worker=1)) as client:
        summary = build_distributed(["seeds"], "build/nquads", client)
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kg.core import lazy
from kg.core.atomic import AtomicFile, write_text_atomic
from kg.corpus.build import build_document, shown
from kg.corpus.graph import CorpusGraph
from kg.rdf.mapping import iri
from kg.rdf.ontology import RESOURCE
from kg.reading import collect_paths

CORPUS_GRAPH = f"{RESOURCE}graph/corpus"


def _as_quads(ntriples: str, graph: str) -> str:
    return "".join(f"{line[:-2]} <{graph}> .\n" for line in ntriples.splitlines() if line.endswith(" ."))


class _QuadSink:
    """A text sink that writes N-Triples lines as N-Quads of one named graph."""

    def __init__(self, fh, graph: str):
        self.fh, self.graph = fh, graph

    def write(self, text: str) -> None:
        self.fh.write(_as_quads(text, self.graph))


def document_nquads(path: str | Path, out_dir: str | Path) -> dict:
    """Read, parse, extract and graph one document; write ``<out_dir>/<doc_id>.nq``
    (atomically). Returns a small summary with what the corpus step needs (never raises:
    a bad file is an ``error``)."""

    outcome = build_document(path, turtle=False)
    dg = outcome.graph
    if dg is None:
        problem = outcome.problem
        return {"path": shown(path), "error": problem.message if problem else "not extracted"}
    name = iri(dg.key)
    target = Path(out_dir) / f"{dg.doc_id}.nq"
    write_text_atomic(target, _as_quads(dg.ntriples, name))
    quads = dg.triples
    dg.ntriples = dg.turtle = ""  # written: only the corpus part travels back
    return {
        "path": shown(path),
        "doc_id": dg.doc_id,
        "graph": name,
        "quads": quads,
        "file": str(target),
        "corpus_part": dg,
    }


def build_distributed(
    inputs: Iterable[str | Path], out_dir: str | Path, client=None, npartitions: int | None = None
) -> list[dict]:
    """Every document under ``inputs`` through :func:`document_nquads` as a Dask bag (on
    ``client``'s cluster, or Dask's default scheduler), then the corpus step into
    ``<out_dir>/corpus.nq``. One summary per document, in the order of the inputs, and
    a last one for the corpus file."""
    db = lazy.dask_bag()
    paths, problems = collect_paths(inputs)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    summaries = [{"path": shown(e.path), "error": e.reason} for e in problems]
    if not paths:
        return summaries
    bag = db.from_sequence([str(p) for p in paths], npartitions=npartitions or min(len(paths), 64))
    done = bag.map(document_nquads, str(out_dir))
    results = client.compute(done).result() if client is not None else done.compute()
    target = AtomicFile(out_dir / "corpus.nq")
    try:
        corpus = CorpusGraph({"nt": _QuadSink(target, CORPUS_GRAPH)})
        for r in results:
            part = r.pop("corpus_part", None)
            if part is not None:
                corpus.add(part)
        triples = corpus.finish()
        target.commit()
    except BaseException:
        target.discard()
        raise
    built = sum(r.get("quads", 0) for r in results)
    return (
        summaries
        + list(results)
        + [
            {
                "path": str(out_dir / "corpus.nq"),
                "graph": CORPUS_GRAPH,
                "quads": triples - built,
                "file": str(out_dir / "corpus.nq"),
            }
        ]
    )
