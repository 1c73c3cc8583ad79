"""The store stage: where the graph lives and how it is queried.

- :mod:`kg.store.oxigraph` — the one engine, Oxigraph, in memory or on disk;
- :mod:`kg.store.loader` — the bulk loader that fills an on-disk store while a build writes;
- :mod:`kg.store.endpoint` — any SPARQL 1.1 endpoint over HTTP, and uploads to one;
- :mod:`kg.store.server` — the read-only SPARQL server (``vetkg serve``);
- :mod:`kg.store.queries` and :mod:`kg.store.results` — named queries, parameters and answers.

Every store has ``query(text, bindings) -> Result``: the :class:`Store` protocol.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from kg.errors import QueryError
from kg.store.endpoint import EndpointStore
from kg.store.oxigraph import GRAPH_FILE, STORE_DIR, OxigraphStore, graph_file, store_from_graph_file
from kg.store.queries import NamedQuery, bind_params, named_queries, named_query, parse_params
from kg.store.results import Result, Term


class Store(Protocol):
    """What every store answers: a SPARQL query with variables bound to terms."""

    name: str

    def query(self, text: str, bindings: dict[str, Term] | None = None) -> Result: ...


def open_store(
    graph_dir: str | Path = "build",
    store: str | Path | None = None,
    endpoint: str | None = None,
    graph_name: str | None = None,
    built: Path | None = None,
) -> Store:
    """The store a command names: ``endpoint`` (HTTP); ``store`` an on-disk store folder
    (made from ``graph.nt`` when absent or stale); else the build's own store ``built``
    when it is sound; else ``graph.nt`` loaded into memory."""
    if endpoint:
        return EndpointStore(endpoint, graph_name)
    if store is not None and str(store) not in ("", "oxigraph"):
        text = str(store)
        if text == "rdflib":
            raise QueryError(
                "rdflib is no longer a query engine: every query runs on Oxigraph "
                "(omit --store, or give an on-disk store folder)"
            )
        folder = Path(text[len("oxigraph:") :] if text.startswith("oxigraph:") else text)
        src = graph_file(graph_dir)
        return OxigraphStore.open(store_from_graph_file(src, folder))
    if built is not None:
        return OxigraphStore.open(built)
    return OxigraphStore.from_file(graph_file(graph_dir))


def run(store: Store, query: str | NamedQuery, params: dict[str, str] | None = None) -> Result:
    """Run a query text or a named query on ``store`` with ``--param`` style strings."""
    named = query if isinstance(query, NamedQuery) else None
    text = named.text if named else str(query)
    return store.query(text, bind_params(named, params or {}))


__all__ = [
    "GRAPH_FILE",
    "STORE_DIR",
    "EndpointStore",
    "NamedQuery",
    "OxigraphStore",
    "Result",
    "Store",
    "Term",
    "bind_params",
    "graph_file",
    "named_queries",
    "named_query",
    "open_store",
    "parse_params",
    "run",
]
