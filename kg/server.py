"""Serve a built graph with the Oxigraph SPARQL server, and push it to any store.

``serve`` loads ``graph.nt`` into an on-disk Oxigraph store (reused while the graph is
unchanged) and runs the ``oxigraph`` server binary (the ``oxigraph`` package on PyPI) in
read-only mode: SPARQL 1.1 protocol queries at ``http://HOST:PORT/query``, every update
refused. ``push`` uploads ``graph.nt`` with the SPARQL 1.1 Graph Store HTTP Protocol
(``PUT`` replaces the named graph, ``POST`` adds to it), which Oxigraph, Fuseki, GraphDB
and others implement.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Optional

from kg.sparql import QueryError, graph_file, http_call, load_oxigraph

DEFAULT_GRAPH_NAME = "https://w3id.org/vetkg/graph"


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` server binary: next to this Python (a venv's bin/), else
    on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    if here.is_file():
        return str(here)
    found = shutil.which("oxigraph")
    if not found:
        raise QueryError("the oxigraph server binary is not installed "
                         "(pip install oxigraph, a dependency of vetkg)")
    return found


def server_command(store_path: Path, host: str, port: int, read_only: bool = True) -> list[str]:
    mode = "serve-read-only" if read_only else "serve"
    return [oxigraph_binary(), mode, "--location", str(store_path), "--bind", f"{host}:{port}"]


def prepare_store(graph_dir: str | Path, store_path: Optional[str | Path] = None) -> Path:
    """The Oxigraph store folder holding the graph of ``graph_dir`` (default
    ``graph_dir/oxigraph``), loaded or refreshed as needed."""
    src = graph_file(graph_dir)
    path = Path(store_path) if store_path else Path(graph_dir) / "oxigraph"
    store = load_oxigraph(src, path)
    del store  # release the lock before the server opens it
    return path


def wait_until_up(host: str, port: int, timeout: float = 30.0,
                  proc: Optional[subprocess.Popen] = None) -> None:
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


def serve(graph_dir: str | Path, host: str = "127.0.0.1", port: int = 7878,
          store_path: Optional[str | Path] = None) -> int:
    """Run the read-only SPARQL server in the foreground until interrupted. On POSIX the
    process becomes the server (exec), so a signal to it reaches the server directly and
    no orphan is left behind."""
    from kg.incremental import sound_store

    built = sound_store(graph_dir) if store_path is None else None
    path = built or prepare_store(graph_dir, store_path)  # a large build's store is served as is
    cmd = server_command(path, host, port)
    print(f"vetkg: serving {graph_file(graph_dir)} read-only at http://{host}:{port}/query "
          f"(Oxigraph store {path}); Ctrl-C stops", file=sys.stderr, flush=True)
    sys.stdout.flush()
    if os.name == "posix":
        os.execv(cmd[0], cmd)
    proc = subprocess.Popen(cmd)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait(timeout=10)
        return 0


def push(graph_dir: str | Path, endpoint: str, graph_name: Optional[str] = DEFAULT_GRAPH_NAME,
         replace: bool = True, timeout: float = 300) -> int:
    """Upload ``graph.nt`` to a Graph Store Protocol endpoint; returns the byte count."""
    if not endpoint.startswith(("http://", "https://")):
        raise QueryError(f"endpoint {endpoint!r} is not an http(s) URL")
    src = graph_file(graph_dir)
    size = src.stat().st_size
    query = urllib.parse.urlencode({"graph": graph_name}) if graph_name else "default"
    url = endpoint + ("&" if "?" in endpoint else "?") + query
    with open(src, "rb") as data:  # streamed: a large build's graph.nt is gigabytes
        req = urllib.request.Request(url, data=data, method="PUT" if replace else "POST",
                                     headers={"Content-Type": "application/n-triples",
                                              "Content-Length": str(size)})
        http_call(req, timeout, f"graph store {endpoint}")
    return size
