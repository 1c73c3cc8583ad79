"""A remote SPARQL 1.1 endpoint: queries over the protocol, uploads over the Graph Store
Protocol (``vetkg push``)."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from kg.errors import QueryError
from kg.store.queries import inject_values, require_utf8, sparql_prefixes
from kg.store.results import Result, Term, parse_results_json

DEFAULT_GRAPH_NAME = "https://w3id.org/vetkg/graph"


class EndpointStore:
    """A SPARQL 1.1 protocol endpoint (``http://host:port/query``)."""

    name = "endpoint"

    def __init__(self, url: str, graph_name: str | None = None, timeout: float = 60):
        if not re.match(r"^https?://", url):
            raise QueryError(f"endpoint {url!r} is not an http(s) URL")
        self.url = url
        self.graph_name = graph_name
        self.timeout = timeout

    def query(self, text: str, bindings: dict[str, Term] | None = None) -> Result:
        require_utf8(text, "the query")
        params = [("query", sparql_prefixes() + inject_values(text, bindings or {}))]
        if self.graph_name:
            params.append(("default-graph-uri", self.graph_name))
        data = urllib.parse.urlencode(params).encode("utf-8")
        req = urllib.request.Request(
            self.url,
            data=data,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
        )
        body = http_call(req, self.timeout, f"SPARQL endpoint {self.url}")
        return parse_results_json(body)


def http_call(req: urllib.request.Request, timeout: float, what: str) -> bytes:
    """Send ``req``; a refused request or an unreachable server is a QueryError that
    says which and why."""
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip()[:500]
        raise QueryError(
            f"{what} refused the request: HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise QueryError(f"cannot reach {what}: {reason}") from None


def push(
    graph_dir: str | Path,
    endpoint: str,
    graph_name: str | None = DEFAULT_GRAPH_NAME,
    replace: bool = True,
    timeout: float = 300,
) -> int:
    """Upload ``graph.nt`` to a Graph Store Protocol endpoint; returns the byte count."""
    if not endpoint.startswith(("http://", "https://")):
        raise QueryError(f"endpoint {endpoint!r} is not an http(s) URL")
    src = Path(graph_dir) / "graph.nt"
    if not src.is_file():
        raise QueryError(f"{graph_dir} holds no graph (graph.nt not found; run `vetkg build --out {graph_dir}`)")
    size = src.stat().st_size
    query = urllib.parse.urlencode({"graph": graph_name}) if graph_name else "default"
    url = endpoint + ("&" if "?" in endpoint else "?") + query
    with open(src, "rb") as data:  # streamed: a large build's graph.nt is gigabytes
        req = urllib.request.Request(
            url,
            data=data,
            method="PUT" if replace else "POST",
            headers={"Content-Type": "application/n-triples", "Content-Length": str(size)},
        )
        http_call(req, timeout, f"graph store {endpoint}")
    return size
