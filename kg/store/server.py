"""Serve a built graph read-only over SPARQL, and push it to any store.

``vetkg serve`` answers at ``http://HOST:PORT/query`` (the SPARQL 1.1 protocol) through a
small front of its own, in this process, before the ``oxigraph`` server binary (the
``oxigraph`` package on PyPI), which it runs read-only on a private loopback port. The
front is what makes the endpoint safe to leave open while a browser runs: any web page can
POST to a port on loopback.

- It answers queries only. Updates and uploads are refused, and so is any query using
  ``SERVICE``, which would make the server fetch a URL that the query names
  (:func:`kg.store.queries.refuse_unsafe`).
- Every query has a time limit (default 5 s). Oxigraph's own limit (``--timeout-s``) stops
  most queries; a cartesian product computed in memory never checks it, so past the limit
  (and a grace second) the front restarts the engine. It does the same when the engine's
  memory passes a limit (default 2 GiB). Queries caught by a restart that had not run long
  are sent again, so light queries keep being answered while heavy ones are stopped.
- It notices a store that changed under it (a rebuild, in place or reloaded) and switches
  to the new graph without dropping a request.

It also serves the graph as linked data: every IRI of the graph's base
(``https://w3id.org/vetkg/id/X``) at ``/id/X`` — an HTML page for a browser (the entity's
label, facts with their evidence, links onward; :mod:`kg.store.pages`), Turtle, JSON-LD or
N-Triples by content negotiation (or ``?format=ttl|jsonld|nt|html``) — a VoID description
at ``/.well-known/void`` (the build's ``void.ttl`` when it wrote one, else counted through
the engine: :mod:`kg.store.void`), and a query page at ``/`` and ``/sparql`` that loads
nothing from elsewhere. Every lookup is a query through the engine, under the same limits.

``push`` uploads ``graph.nt`` with the SPARQL 1.1 Graph Store HTTP Protocol; see
:mod:`kg.store.endpoint`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import http.client
import http.server
import math
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from kg.errors import QueryError, StoreError, VetkgError
from kg.store import pages, void
from kg.store.loader import oxigraph_binary, quiet_rust_env, rust_error
from kg.store.oxigraph import GRAPH_FILE, graph_file, store_from_graph_file
from kg.store.queries import named_queries, refuse_unsafe, sparql_prefixes
from kg.store.results import Result, parse_results_json

DEFAULT_QUERY_TIMEOUT = 5.0  # seconds a query may run
DEFAULT_MEMORY_LIMIT_MB = 2048  # resident memory of the engine before it is restarted
GRACE = 1.0  # past the time limit, for Oxigraph's own timeout to act before a restart
YOUNG = 1.0  # a query younger than this when the engine restarts is sent again
MAX_QUERY_BYTES = 1 << 20
MAX_IN_FLIGHT = 64  # queries handed to the engine at once; more wait their turn
BUFFERED = 1 << 20  # answers up to this size are checked whole before they are sent
POLL = 0.1  # how often the engine's time and memory are checked
WATCH = 0.5  # how often the graph folder is checked for a new graph
SETTLE = 1.0  # a changed graph folder must stay unchanged this long before it is served
FALLBACK_AFTER = 30.0  # then, if ``locate`` still finds no sound store, one is made from graph.nt
CANCELLED = b"The SPARQL operation has been cancelled"
MAX_LOOKUP_BYTES = 64 << 20  # an entity's description, whole, before it is re-serialised
VOID_FILE = "void.ttl"  # a build's own dataset description, beside graph.nt
MAX_VOID_BYTES = 256 << 20
QUERY_PATHS = ("/query", "/sparql", "/")
# What an IRI of the graph can be had as: media type → (format parameter, pyoxigraph format).
RDF_MEDIA = {
    "text/turtle": ("ttl", ox.RdfFormat.TURTLE),
    "application/ld+json": ("jsonld", ox.RdfFormat.JSON_LD),
    "application/n-triples": ("nt", ox.RdfFormat.N_TRIPLES),
}
HTML = "text/html"
ALIASES = {
    "application/xhtml+xml": HTML,
    "application/json": "application/ld+json",
    "application/x-turtle": "text/turtle",
}
FORMAT_PARAM = {"html": HTML, **{fmt: media for media, (fmt, _) in RDF_MEDIA.items()}}
PAGE_CSP = "default-src 'none'; style-src 'nonce-{n}'; img-src 'self'; base-uri 'none'; form-action 'none'"
QUERY_PAGE_CSP = (
    "default-src 'none'; style-src 'nonce-{n}'; script-src 'nonce-{n}'; connect-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'self'"
)
_HOST_RE = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$")
_T = TypeVar("_T")
READ_ONLY = "vetkg serve is read-only: updates and uploads (LOAD, INSERT, PUT …) are refused"


def server_command(
    store_path: Path, host: str, port: int, read_only: bool = True, timeout_s: int | None = None
) -> list[str]:
    mode = "serve-read-only" if read_only else "serve"
    cmd = [oxigraph_binary(), mode, "--location", str(store_path), "--bind", f"{host}:{port}"]
    return cmd + (["--timeout-s", str(timeout_s)] if timeout_s else [])


def prepare_store(graph_dir: str | Path, store_path: str | Path | None = None) -> Path:
    """The Oxigraph store folder holding the graph of ``graph_dir`` (default
    ``graph_dir/oxigraph``), loaded or refreshed as needed."""
    src = graph_file(graph_dir)
    path = Path(store_path) if store_path else Path(graph_dir) / "oxigraph"
    return store_from_graph_file(src, path)


def wait_until_up(host: str, port: int, timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    """Block until ``host:port`` accepts connections (or the server process died)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise QueryError(f"the oxigraph server exited with code {proc.returncode}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise QueryError(f"the oxigraph server did not listen on {host}:{port} within {timeout:.0f} s")


def _die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` asking Linux to SIGKILL the child when this process dies, so a
    killed ``vetkg serve`` leaves no engine behind. libc is looked up here, in the parent:
    the child of a threaded process must do no more than the one system call."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = 1
    return lambda: prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


_PREEXEC: list[Callable[[], None] | None] = []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Engine:
    """One ``oxigraph serve-read-only`` process on a private loopback port."""

    def __init__(self, store: Path, timeout: float):
        self.store = store
        self.timeout = timeout
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - held until the engine stops
        self.port = 0
        self.proc: subprocess.Popen | None = None

    def start(self, attempts: int = 3) -> Engine:
        """Start the process and wait until it answers; :class:`StoreError` in one
        sentence if the store cannot be opened."""
        for _ in range(attempts):
            self.port = _free_port()
            self.log.seek(0)
            self.log.truncate()
            cmd = server_command(self.store, "127.0.0.1", self.port, timeout_s=max(1, math.ceil(self.timeout)))
            self.proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self.log,
                env=quiet_rust_env(),
                preexec_fn=_PREEXEC[0] if _PREEXEC else None,
            )
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                        return self
                except OSError:
                    time.sleep(0.02)
            self.stop()
            self.log.seek(0)
            cause = rust_error(self.log.read().decode("utf-8", "replace"))
            if "address" not in cause.lower() or "in use" not in cause.lower():  # else: the port was taken
                raise StoreError(f"cannot open the Oxigraph store {self.store}: {cause}")
        raise StoreError(f"cannot start the oxigraph server on {self.store}: no free loopback port")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def rss(self) -> int:
        """Resident memory in bytes (0 where /proc is not there to tell)."""
        if self.proc is None:
            return 0
        try:
            with open(f"/proc/{self.proc.pid}/statm") as fh:
                return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            return 0

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@dataclass(eq=False)
class Call:
    """A query on its way through the front: when it came, which engine runs it, and why
    it was stopped if it was."""

    arrived: float = field(default_factory=time.monotonic)
    engine: Engine | None = None
    verdict: str | None = None


class Gateway:
    """The engine behind the front, and the watchmen that keep it bounded and current."""

    def __init__(
        self,
        engine: Engine,
        locate: Callable[[], Path | None],
        fallback: Callable[[], Path] | None,
        signature: Callable[[Path], tuple],
        timeout: float,
        memory_limit: int,
    ):
        self.engine: Engine | None = engine
        self.locate = locate
        self.fallback = fallback
        self.signature = signature
        self.timeout = timeout
        self.memory_limit = memory_limit
        self.ready = threading.Condition()
        self.swap = threading.Lock()  # one restart or reload at a time
        self.calls: set[Call] = set()
        self.slots = threading.BoundedSemaphore(MAX_IN_FLIGHT)
        self.closed = threading.Event()
        self.served = (engine.store, _store_state(engine.store))

    def start(self) -> None:
        threading.Thread(target=self._guard, name="vetkg time and memory guard", daemon=True).start()
        threading.Thread(target=self._watch, name="vetkg graph watch", daemon=True).start()

    def close(self) -> None:
        self.closed.set()
        with self.ready:
            engine, self.engine = self.engine, None
            self.ready.notify_all()
        if engine is not None:
            engine.stop()

    def _install(self, fresh: Engine, state: tuple | None = None) -> Engine | None:
        """Make ``fresh`` the engine requests go to; the one it replaces, to stop."""
        with self.ready:
            if self.closed.is_set():
                fresh.stop()
                return None
            old, self.engine = self.engine, fresh
            if state is not None:
                self.served = state
            self.ready.notify_all()
        return old

    # --- the engine, for a request ---------------------------------------------------------
    def current(self, wait: float = 60.0) -> Engine | None:
        with self.ready:
            self.ready.wait_for(lambda: self.engine is not None or self.closed.is_set(), timeout=wait)
            return self.engine

    def begin(self, call: Call) -> Engine | None:
        engine = self.current()
        with self.ready:
            call.engine = engine
            call.verdict = None
            self.calls.add(call)
        return engine

    def end(self, call: Call) -> None:
        with self.ready:
            self.calls.discard(call)

    # --- keeping it bounded --------------------------------------------------------------
    def _guard(self) -> None:
        while not self.closed.wait(POLL):
            engine = self.engine
            if engine is None:
                continue
            now = time.monotonic()
            with self.ready:
                mine = [c for c in self.calls if c.engine is engine]
            late = [c for c in mine if now - c.arrived > self.timeout + GRACE]
            rss = engine.rss()
            if late:
                for c in late:
                    c.verdict = f"the query ran past the time limit of {self.timeout:g} s and was stopped"
                self._restart(engine, f"{len(late)} query(ies) ran past the {self.timeout:g} s time limit")
            elif rss > self.memory_limit:
                for c in mine:
                    if now - c.arrived > YOUNG:
                        c.verdict = (
                            f"the query took the query engine past its memory limit of "
                            f"{self.memory_limit >> 20} MB and was stopped"
                        )
                self._restart(engine, f"the query engine took {rss >> 20} MB (limit {self.memory_limit >> 20} MB)")
            elif not engine.alive():
                for c in mine:
                    if now - c.arrived > YOUNG:
                        c.verdict = "the query engine stopped while running the query"
                self._restart(engine, "the query engine stopped")

    def _restart(self, engine: Engine, why: str) -> None:
        """Stop ``engine`` at once (its memory and CPU are what is being bounded) and
        start a fresh one on the same store; requests wait for it meanwhile."""
        with self.swap:
            if self.engine is not engine:
                return
            with self.ready:
                self.engine = None
            engine.stop()
            _say(f"{why}: the query engine was restarted")
            store, state = engine.store, None
            while not self.closed.is_set():
                try:
                    fresh = Engine(store, self.timeout).start()
                    break
                except VetkgError as exc:  # e.g. a rebuild removed the store: serve the current one
                    _say(f"{exc}; trying again")
                    self.closed.wait(1.0)
                    try:
                        store = self.locate() or (self.fallback() if self.fallback else None) or store
                    except VetkgError:
                        continue
                    state = (store, _store_state(store))
            else:
                return
            self._install(fresh, state)

    # --- keeping it current -------------------------------------------------------------
    def _watch(self) -> None:
        seen = self.signature(self.served[0])
        changed_at: float | None = None
        while not self.closed.wait(WATCH):
            now = time.monotonic()
            sig = self.signature(self.served[0])
            if sig != seen:
                seen, changed_at = sig, now
                continue
            if changed_at is None or now - changed_at < SETTLE:
                continue
            try:
                path = self.locate()
                if path is None and self.fallback is not None and now - changed_at >= FALLBACK_AFTER:
                    path = self.fallback()
            except VetkgError as exc:
                _say(f"the graph changed, but the new graph cannot be served yet: {exc}")
                changed_at = now  # try again later
                continue
            if path is None:
                continue  # a build is still under way
            changed_at = None
            state = (path, _store_state(path))
            if state != self.served:
                self._reload(path, state)

    def _reload(self, path: Path, state: tuple) -> None:
        try:
            fresh = Engine(path, self.timeout).start()
        except VetkgError as exc:
            _say(f"the graph changed, but the new graph cannot be served: {exc}")
            return
        with self.swap:
            old = self._install(fresh, state)
            if old is not None:
                old.stop()  # its queries are sent again, to the new graph
        _say(f"the graph changed: now answering from the new graph (Oxigraph store {path})")


def _store_state(path: Path) -> tuple:
    """What changes when an Oxigraph store is replaced or written (its folder, the RocksDB
    CURRENT and MANIFEST files), and not when it is only read."""
    items: list[tuple] = []
    for p in [path, path / "CURRENT", *sorted(path.glob("MANIFEST-*"))]:
        try:
            st = p.stat()
            items.append((p.name, st.st_ino, st.st_size, st.st_mtime_ns))
        except OSError:
            items.append((p.name, None))
    return tuple(items)


def _folder_signature(graph_dir: Path) -> Callable[[Path], tuple]:
    """What a build changes in ``graph_dir``: graph.nt and the dot files beside it (its
    manifest and markers), and the store being served."""

    def signature(store: Path) -> tuple:
        items: list[tuple] = []
        try:
            names = sorted(e.name for e in os.scandir(graph_dir) if e.name.startswith(".") and e.is_file())
        except OSError:
            names = []
        for name in [GRAPH_FILE, *names]:
            try:
                st = (graph_dir / name).stat()
                items.append((name, st.st_ino, st.st_size, st.st_mtime_ns))
            except OSError:
                items.append((name, None))
        return (tuple(items), _store_state(store))

    return signature


def _say(message: str) -> None:
    print(f"vetkg: {message}", file=sys.stderr, flush=True)


# --- the HTTP front ----------------------------------------------------------------------
class _Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def negotiate(accept: str | None, offered: list[str]) -> str | None:
    """The media type of ``offered`` the ``Accept`` header prefers (RFC 9110: the highest
    q, the most specific range deciding a type's q; ties go to the order offered); the
    first offered when there is no header; None when nothing offered is acceptable."""
    if not accept or not accept.strip():
        return offered[0]
    ranges: list[tuple[str, float]] = []
    for item in accept.split(","):
        parts = [x.strip() for x in item.split(";")]
        kind = ALIASES.get(parts[0].lower(), parts[0].lower())
        q = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        if kind:
            ranges.append((kind, q))
    best, best_q = None, 0.0
    for media in offered:
        major = media.split("/")[0] + "/*"
        found = [(3, q) for k, q in ranges if k == media] or [(2, q) for k, q in ranges if k == major]
        found = found or [(1, q) for k, q in ranges if k == "*/*"]
        q = max(found)[1] if found else 0.0
        if q > best_q:
            best, best_q = media, q
    return best


class _Front(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # hundreds of clients may connect at once
    gateway: Gateway
    graph_dir: Path
    void_lock: threading.Lock
    void_cache: tuple[tuple, void.GraphStatistics] | None = None

    def handle_error(self, request, client_address) -> None:
        """One line, not a traceback, for a request that failed in an unforeseen way (a
        client hanging up is foreseen, and silent)."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, OSError):
            _say(f"a request from {client_address[0]} failed: {type(exc).__name__}: {exc}")


class _Front6(_Front):
    address_family = socket.AF_INET6


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "vetkg"
    timeout = 60  # an idle or stalled client connection is closed
    server: _Front

    def log_message(self, format: str, *args) -> None:
        pass  # no access log on stderr

    # --- routes ---------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._handle(self._get)

    def do_POST(self) -> None:
        self._handle(self._post)

    def do_HEAD(self) -> None:
        self._handle(self._get, head=True)

    def do_PUT(self) -> None:
        self._handle(self._refuse_write)

    do_DELETE = do_PATCH = do_PUT

    def _handle(self, route: Callable[[], None], head: bool = False) -> None:
        self.head_only = head
        self.html_errors = False  # set by the routes a browser reads: their errors are pages
        try:
            try:
                route()
            except _Refused as exc:
                if self.html_errors:
                    nonce = secrets.token_urlsafe(12)
                    page = pages.message_html(exc.status, str(exc), nonce)
                    self._send(exc.status, "text/html; charset=utf-8", page.encode("utf-8"), nonce=nonce)
                else:
                    self._plain(exc.status, str(exc))
        except OSError:  # the client hung up (an abandoned query): nobody to answer
            self.close_connection = True

    def _refuse_write(self) -> None:
        self._drain_body()
        raise _Refused(403, READ_ONLY)

    def _drain_body(self) -> None:
        """Read and drop an upload before refusing it: a client that is still sending
        would see its connection cut instead of the answer."""
        try:
            left = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            left = 0
        if left <= 0 and "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
        while left > 0:
            block = self.rfile.read(min(left, 1 << 16))
            if not block:
                break
            left -= len(block)

    def _get(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        params = _params(url.query)
        if url.path == "/update":
            raise _Refused(403, READ_ONLY)
        if url.path in QUERY_PATHS and any(k == "query" for k, _ in params):
            if self.head_only:
                raise _Refused(405, "send a query with GET or POST")
            self._query(params)
        elif url.path in ("/", "/sparql"):
            self._query_page()
        elif url.path == "/query":
            raise _Refused(400, "give the SPARQL query as the query parameter (the SPARQL 1.1 protocol)")
        elif url.path == "/id" or url.path.startswith("/id/"):
            self._entity(url.path, params)
        elif url.path == "/.well-known/void":
            self._void(params)
        elif url.path == "/favicon.ico":
            self._send(204, "image/x-icon", b"")
        else:
            raise _Refused(
                404,
                f"vetkg serve answers SPARQL queries at /query, entities at /id/…, and the dataset "
                f"description at /.well-known/void, not {url.path}",
            )

    def _post(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        kind = self.headers.get_content_type()
        if url.path in ("/update", "/store") or kind == "application/sparql-update":
            self._refuse_write()
        body = self._read_body()
        if url.path not in QUERY_PATHS:
            raise _Refused(404, f"vetkg serve answers SPARQL queries at /query, not at {url.path}")
        params = _params(url.query)
        if kind == "application/sparql-query":
            try:
                params.append(("query", body.decode("utf-8")))
            except UnicodeDecodeError:
                raise _Refused(400, "the query is not valid UTF-8 text") from None
        elif kind == "application/x-www-form-urlencoded":
            try:
                params += _params(body.decode("utf-8"))
            except UnicodeDecodeError:
                raise _Refused(400, "the form is not valid UTF-8 text") from None
        else:
            raise _Refused(
                415, f"a query is sent as application/sparql-query or a form (x-www-form-urlencoded), not as {kind}"
            )
        if any(k == "update" for k, _ in params):
            raise _Refused(403, READ_ONLY)
        self._query(params)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            raise _Refused(411, "send the query with a Content-Length")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            raise _Refused(400, "the Content-Length is not a number") from None
        if length > MAX_QUERY_BYTES:
            self.close_connection = True
            raise _Refused(413, f"a query may have at most {MAX_QUERY_BYTES} bytes")
        return self.rfile.read(length) if length > 0 else b""

    # --- queries --------------------------------------------------------------------------
    def _query(self, params: list[tuple[str, str]]) -> None:
        queries = [v for k, v in params if k == "query"]
        if len(queries) != 1:
            raise _Refused(400, "give exactly one query (the query parameter)")
        try:
            refuse_unsafe(queries[0])
        except QueryError as exc:
            raise _Refused(400, str(exc)) from None
        kept = [(k, v) for k, v in params if k in ("query", "default-graph-uri", "named-graph-uri")]
        kept += [(k, v) for k, v in params if k == "union-default-graph"]
        body = urllib.parse.urlencode(kept).encode("utf-8")
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": self.headers.get("Accept", "application/sparql-results+json"),
        }
        self._forward("POST", "/query", body, headers)

    def _forward(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> None:
        """Send the request to the engine and its answer back."""
        self._through_engine(method, path, body, headers, self._relay)

    def _through_engine(
        self,
        method: str,
        path: str,
        body: bytes | None,
        headers: dict[str, str],
        take: Callable[[http.client.HTTPResponse, bytes], _T],
    ) -> _T:
        """Send the request to the engine and hand its answer to ``take``; a request the
        engine lost to a restart is sent again while it is young, else answered 503 with
        the reason. The time limit runs until ``take`` is done."""
        gateway = self.server.gateway
        with gateway.slots:
            call = Call()  # its time starts when the engine can take it
            while True:
                engine = gateway.begin(call)
                if engine is None:
                    gateway.end(call)
                    raise _Refused(503, "the query engine is not available; try again")
                conn = http.client.HTTPConnection("127.0.0.1", engine.port, timeout=gateway.timeout + GRACE + 60)
                try:
                    try:
                        conn.request(method, path, body, headers)
                        resp = conn.getresponse()
                        head = resp.read(BUFFERED)
                    except (OSError, http.client.HTTPException):
                        if call.verdict:
                            raise _Refused(503, call.verdict) from None
                        if gateway.closed.is_set():
                            raise _Refused(503, "vetkg serve is stopping") from None
                        if not engine.alive() or gateway.engine is not engine:
                            time.sleep(0.02)
                            continue  # lost to a restart or a reload: send it again
                        raise _Refused(502, "the query engine did not answer") from None
                    return take(resp, head)
                finally:
                    conn.close()
                    gateway.end(call)

    def _relay(self, resp: http.client.HTTPResponse, head: bytes) -> None:
        whole = len(head) < BUFFERED or resp.isclosed()
        if whole and head.rstrip().endswith(CANCELLED):  # Oxigraph's own time limit, mid-answer
            timeout = self.server.gateway.timeout
            raise _Refused(503, f"the query ran past the time limit of {timeout:g} s and was stopped")
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.getheader("Content-Type") or "application/octet-stream")
        if whole:
            self.send_header("Content-Length", str(len(head)))
            self.end_headers()
            self.wfile.write(head)
            return
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        block = head
        try:
            while block:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
                block = resp.read1(1 << 16)
        except (OSError, http.client.HTTPException):
            self.close_connection = True  # the engine went away mid-answer: the client sees it cut
            return
        self.wfile.write(b"0\r\n\r\n")

    def _plain(self, status: int, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))

    def _send(
        self, status: int, kind: str, data: bytes, *, nonce: str | None = None, csp: str = PAGE_CSP, vary: bool = False
    ) -> None:
        """One whole answer (headers only for HEAD). A page carries a policy that lets it
        load nothing from elsewhere and run only its own script."""
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if nonce is not None:
            self.send_header("Content-Security-Policy", csp.format(n=nonce))
            self.send_header("Referrer-Policy", "no-referrer")
        if vary:
            self.send_header("Vary", "Accept")
            self.send_header("Cache-Control", "no-cache")  # the graph may be rebuilt
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not self.head_only:
            self.wfile.write(data)

    # --- linked data --------------------------------------------------------------------
    def _lookup_bytes(self, query: str, accept: str) -> bytes:
        """The whole answer of one of the front's own queries, through the engine and
        under its time limit."""

        def collect(resp: http.client.HTTPResponse, head: bytes) -> bytes:
            chunks, size = [head], len(head)
            try:
                while not (len(head) < BUFFERED or resp.isclosed()):
                    block = resp.read1(1 << 16)
                    if not block:
                        break
                    chunks.append(block)
                    size += len(block)
                    if size > MAX_LOOKUP_BYTES:
                        raise _Refused(
                            503, f"the answer is larger than {MAX_LOOKUP_BYTES >> 20} MB; ask /query instead"
                        )
            except (OSError, http.client.HTTPException):
                raise _Refused(503, "the query engine stopped while answering; try again") from None
            data = b"".join(chunks)
            if data.rstrip().endswith(CANCELLED):
                timeout = self.server.gateway.timeout
                raise _Refused(503, f"the lookup ran past the time limit of {timeout:g} s and was stopped")
            if resp.status != 200:
                why = data.decode("utf-8", "replace").strip().splitlines()[:1]
                raise _Refused(502, f"the query engine refused a lookup: {why[0] if why else resp.status}")
            return data

        body = urllib.parse.urlencode({"query": query}).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        return self._through_engine("POST", "/query", body, headers, collect)

    def _select(self, query: str) -> Result:
        return parse_results_json(self._lookup_bytes(query, "application/sparql-results+json"))

    def _entity(self, path: str, params: list[tuple[str, str]]) -> None:
        """The page or the description of one IRI of the graph, as the client prefers."""
        media = self._media(params, [*RDF_MEDIA, HTML])
        self.html_errors = media == HTML
        iri = pages.iri_of_path(path)
        if iri is None:
            raise _Refused(404, f"{path} is not an IRI of this graph (https://w3id.org/vetkg/id/…)")
        if media == HTML:
            try:
                view = pages.describe_entity(self._select, iri)
            except QueryError as exc:  # a term of the graph that no query can name
                raise _Refused(502, str(exc)) from None
            if view is None:
                raise _Refused(404, f"the graph holds nothing about {iri}")
            nonce = secrets.token_urlsafe(12)
            page = pages.entity_html(view, nonce).encode("utf-8")
            self._send(200, "text/html; charset=utf-8", page, nonce=nonce, vary=True)
            return
        data = self._lookup_bytes(pages.description_query(iri), "application/n-triples")
        try:
            triples = [
                ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
            ]
        except (SyntaxError, ValueError):
            raise _Refused(502, "the query engine's answer does not parse as N-Triples") from None
        if not triples:
            raise _Refused(404, f"the graph holds nothing about {iri}")
        subject = ox.NamedNode(iri)
        triples.sort(key=lambda t: (t.subject != subject, str(t.subject), str(t.predicate), str(t.object)))
        self._send_rdf(media, triples)

    def _send_rdf(self, media: str, triples: list[ox.Triple]) -> None:
        fmt = RDF_MEDIA[media][1]
        prefixes = void.TURTLE_PREFIXES if fmt == ox.RdfFormat.TURTLE else None
        out = ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
        charset = "; charset=utf-8" if media != "application/ld+json" else ""
        self._send(200, media + charset, out, vary=True)

    def _media(self, params: list[tuple[str, str]], offered: list[str]) -> str:
        """What the client asked for: ``?format=`` or else its Accept header."""
        asked = [v for k, v in params if k == "format"]
        if asked:
            media = FORMAT_PARAM.get(asked[-1].lower())
            if media not in offered:
                names = ", ".join(f for f, m in FORMAT_PARAM.items() if m in offered)
                raise _Refused(400, f"format {asked[-1]!r} is not offered here; formats: {names}")
            return media
        media = negotiate(self.headers.get("Accept"), offered)
        if media is None:
            raise _Refused(406, f"this resource is available as {', '.join(offered)}")
        return media

    def _base_url(self) -> str:
        """This server's address as the client reached it (the Host header when it is a
        plain host name or address, else the address it listens on)."""
        host = self.headers.get("Host", "")
        if not _HOST_RE.match(host):
            addr, port = str(self.server.server_address[0]), self.server.server_address[1]
            host = f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"
        return f"http://{host}"

    def _void(self, params: list[tuple[str, str]]) -> None:
        """The dataset description: the build's ``void.ttl`` if it wrote one (with this
        server as its SPARQL endpoint), else counted through the engine."""
        media = self._media(params, [*RDF_MEDIA, HTML])
        self.html_errors = media == HTML
        base = self._base_url()
        endpoint = base + "/query"
        turtle = None
        own = self.server.graph_dir / VOID_FILE
        try:
            if own.is_file() and own.stat().st_size <= MAX_VOID_BYTES:
                turtle = void.with_endpoint(own.read_bytes(), endpoint)
        except OSError:
            turtle = None
        except QueryError as exc:
            _say(f"{own}: {exc}; serving a description counted from the graph instead")
        if turtle is None:
            turtle = void.void_turtle(self._statistics(), endpoint, base + "/.well-known/void#dataset")
        if media == HTML:
            nonce = secrets.token_urlsafe(12)
            self._send(200, "text/html; charset=utf-8", pages.void_html(turtle, nonce).encode("utf-8"), nonce=nonce)
            return
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(turtle, format=ox.RdfFormat.TURTLE)]
        self._send_rdf(media, triples)

    def _statistics(self) -> void.GraphStatistics:
        """The served graph's counts, counted once per graph served."""
        front = self.server
        with front.void_lock:
            served = front.gateway.served
            if front.void_cache is not None and front.void_cache[0] == served:
                return front.void_cache[1]

            def select(query: str) -> Result:
                try:
                    return self._select(query)
                except _Refused as exc:
                    raise QueryError(str(exc)) from None

            stats = void.gather(select)
            front.void_cache = (served, stats)
            return stats

    def _query_page(self) -> None:
        self.html_errors = True
        examples = [
            (f"{q.title} ({name})", q.text)
            for name, q in named_queries().items()
            if all(p.default is not None for p in q.params)
        ]
        default = (
            sparql_prefixes()
            + "\nSELECT ?document ?title WHERE {\n  ?document vet:sourceId ?file ; dcterms:title ?title .\n} ORDER BY ?title LIMIT 100\n"
        )
        nonce = secrets.token_urlsafe(12)
        page = pages.query_html(examples, default, nonce).encode("utf-8")
        self._send(200, "text/html; charset=utf-8", page, nonce=nonce, csp=QUERY_PAGE_CSP)


def _params(text: str) -> list[tuple[str, str]]:
    try:
        return urllib.parse.parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise _Refused(400, "the request's parameters are not valid UTF-8 text") from None


def serve(
    graph_dir: str | Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    store_path: str | Path | None = None,
    built: Path | None = None,
    *,
    query_timeout: float = DEFAULT_QUERY_TIMEOUT,
    memory_limit_mb: int = DEFAULT_MEMORY_LIMIT_MB,
    locate: Callable[[], Path | None] | None = None,
) -> int:
    """Serve the graph read-only until interrupted (Ctrl-C or SIGTERM): on ``built`` (a
    build's own sound store, served as is) or on the store made from ``graph.nt``.

    Each query may run ``query_timeout`` seconds; the engine may hold ``memory_limit_mb``.
    When the graph folder changes, ``locate()`` names the store to serve now, or None while
    a build is under way (the CLI passes the build's own-store check). Without it, a
    ``built`` store is served again from where the folder shows it; a store made from
    ``graph.nt`` is made again. When none is found for a while, the store is made from
    the new ``graph.nt``."""
    graph_dir = Path(graph_dir)
    if query_timeout <= 0:
        raise QueryError(f"the query time limit must be positive, not {query_timeout:g} s")
    path = Path(built) if built is not None else prepare_store(graph_dir, store_path)

    def from_graph_file() -> Path:
        return prepare_store(graph_dir, store_path)

    def same_store() -> Path | None:
        """The served store, or, once its folder is gone, the store the graph folder
        shows under the same name now (a build that replaced the set of outputs)."""
        for candidate in (path, graph_dir / path.name):
            if candidate.is_dir():
                return candidate
        return None

    if locate is None:
        locate = same_store if built is not None else from_graph_file
    if not _PREEXEC:
        _PREEXEC.append(_die_with_parent())
    engine = Engine(path, query_timeout).start()
    gateway = Gateway(
        engine,
        locate,
        from_graph_file if locate is not from_graph_file else None,
        _folder_signature(graph_dir),
        query_timeout,
        memory_limit_mb << 20,
    )
    try:
        front = (_Front6 if ":" in host else _Front)((host, port), _Handler)
    except OSError as exc:
        gateway.close()
        raise QueryError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    front.gateway = gateway
    front.graph_dir = graph_dir
    front.void_lock = threading.Lock()
    gateway.start()
    _say(
        f"serving {graph_file(graph_dir)} read-only at http://{host}:{port}/query, its IRIs at /id/… and a query "
        f"page at / (Oxigraph store {path}; "
        f"queries stopped after {query_timeout:g} s, engine memory at most {memory_limit_mb} MB); Ctrl-C stops"
    )
    sys.stdout.flush()

    def stop(signum, frame):
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
    try:
        front.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        gateway.close()
        front.server_close()
    return 0
