"""The one query engine: the graph in Oxigraph (pyoxigraph).

A graph built in this process lives in an in-memory store; a build folder's graph lives in
its on-disk store ``graph.oxigraph/`` (loaded while the build writes ``graph.nt``). Every
query, analytics table, report, view and export reads one of these, so the same question
has one answer whatever the corpus size. Parameters are handed to Oxigraph as
``substitutions``, never spliced into the query text.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox

from kg.errors import GraphNotFound, QueryError, StoreError
from kg.store.loader import load_store
from kg.store.queries import PREFIXES, refuse_unsafe
from kg.store.results import Result, Term, parse_results_json

GRAPH_FILE = "graph.nt"
STORE_DIR = "graph.oxigraph"
STAMP = "vetkg-source.sha1"  # in a store made from a graph.nt by `--store PATH` or `serve`


def graph_file(graph_dir: str | Path) -> Path:
    """``DIR/graph.nt`` of a build folder, or a clear error."""
    d = Path(graph_dir)
    if not d.exists():
        raise GraphNotFound(f"graph folder {d} does not exist (run `vetkg build --out {d}` first)")
    if not d.is_dir():
        raise GraphNotFound(f"{d} is not a folder (name the build folder holding {GRAPH_FILE})")
    f = d / GRAPH_FILE
    if not f.is_file():
        raise GraphNotFound(f"{d} holds no graph ({GRAPH_FILE} not found; run `vetkg build --out {d}`)")
    return f


class OxigraphStore:
    """A pyoxigraph store (in memory, or an on-disk folder) answering SPARQL as :class:`Result`."""

    name = "oxigraph"

    def __init__(self, store: ox.Store, path: Path | None = None):
        self.store = store
        self.path = path

    @classmethod
    def from_ntriples(cls, data: str | bytes) -> OxigraphStore:
        """An in-memory store holding N-Triples text."""
        store = ox.Store()
        if data:
            store.bulk_load(data.encode("utf-8") if isinstance(data, str) else data, format=ox.RdfFormat.N_TRIPLES)
        return cls(store)

    @classmethod
    def from_file(cls, ntriples: str | Path) -> OxigraphStore:
        """An in-memory store holding an N-Triples file."""
        store = ox.Store()
        try:
            store.bulk_load(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES)
        except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
            raise StoreError(f"cannot load {ntriples} into Oxigraph: {_one_line(exc)}") from None
        return cls(store)

    @classmethod
    def open(cls, folder: str | Path) -> OxigraphStore:
        """An on-disk store, read-only (several readers may share it)."""
        if not Path(folder).is_dir():
            problem = "it is not a folder" if Path(folder).exists() else "no such folder"
            raise StoreError(f"cannot open the Oxigraph store {folder}: {problem}")
        try:
            return cls(ox.Store.read_only(str(folder)), Path(folder))
        except (OSError, RuntimeError) as exc:  # RocksDB reports a damaged folder as RuntimeError
            raise StoreError(f"cannot open the Oxigraph store {folder}: {_one_line(exc)}") from None

    def __len__(self) -> int:
        return len(self.store)

    def ntriples(self) -> bytes:
        """Every triple as N-Triples (for an rdflib view, JSON-LD or an upload)."""
        return self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""

    def query(self, text: str, bindings: dict[str, Term] | None = None) -> Result:
        """Run ``text`` with ``bindings`` as substitutions. A query that would fetch
        (``SERVICE``) or write is refused before Oxigraph sees it. There is no time limit
        here: pyoxigraph cannot cancel a running query (the server, ``vetkg serve``, can)."""
        refuse_unsafe(text)
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): _to_oxigraph(t) for k, t in (bindings or {}).items()
        }
        try:
            res = self.store.query(text, substitutions=subs or None, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except (RuntimeError, OSError, ValueError) as exc:  # e.g. a bound variable missing from the projection
            raise QueryError(f"Oxigraph cannot run the query: {exc}") from None
        if isinstance(res, ox.QueryBoolean):
            return Result(boolean=bool(res))
        if not isinstance(res, ox.QuerySolutions):
            raise QueryError("only SELECT and ASK queries are answered as tables")
        # Oxigraph writes the solutions as SPARQL JSON in Rust; parsing that is several
        # times faster than converting every term object in Python.
        return parse_results_json(res.serialize(format=ox.QueryResultsFormat.JSON) or b"")


def _to_oxigraph(t: Term) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    if t.kind == "iri":
        return ox.NamedNode(t.value)
    if t.kind == "bnode":
        return ox.BlankNode(t.value)
    if t.lang:
        return ox.Literal(t.value, language=t.lang)
    return ox.Literal(t.value, datatype=ox.NamedNode(t.datatype) if t.datatype else None)


def store_from_graph_file(src: Path, path: Path) -> Path:
    """The on-disk store at ``path`` holding exactly ``src`` (a ``graph.nt``): reused when
    its stamp matches the file's checksum, otherwise loaded afresh and swapped in."""
    digest = _sha1(src)
    stamp = path / STAMP
    if path.exists() and not path.is_dir():
        raise StoreError(f"cannot make the Oxigraph store {path}: it is a file, not a folder; name a new folder")
    if stamp.is_file() and stamp.read_text().strip() == digest:
        return path
    if path.exists() and not stamp.is_file() and any(path.iterdir()):
        raise QueryError(f"{path} exists and is not a vetkg Oxigraph store; name a new folder")
    # The stale store stays in place (a running server may read it) until the new one,
    # stamp included, is swapped in whole.
    load_store(src, path, {STAMP: digest + "\n"})
    return path


def _one_line(exc: BaseException) -> str:
    """An engine's message as one line, without a trailing period (it ends our sentence)."""
    return " ".join(str(exc).split()).rstrip(".") or type(exc).__name__


def _sha1(path: Path) -> str:
    h = hashlib.sha1()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 24):
            h.update(block)
    return h.hexdigest()
