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
import socket
import subprocess
import sys
import time
from pathlib import Path

from kg.errors import QueryError
from kg.store.loader import oxigraph_binary
from kg.store.oxigraph import graph_file, store_from_graph_file


def server_command(store_path: Path, host: str, port: int, read_only: bool = True) -> list[str]:
    mode = "serve-read-only" if read_only else "serve"
    return [oxigraph_binary(), mode, "--location", str(store_path), "--bind", f"{host}:{port}"]


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


def serve(
    graph_dir: str | Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    store_path: str | Path | None = None,
    built: Path | None = None,
) -> int:
    """Run the read-only SPARQL server in the foreground until interrupted: on ``built``
    (a build's own sound store, served as is) or on the store made from ``graph.nt``. On
    POSIX the process becomes the server (exec), so a signal to it reaches the server
    directly and no orphan is left behind."""
    path = Path(built) if built is not None else prepare_store(graph_dir, store_path)
    cmd = server_command(path, host, port)
    print(
        f"vetkg: serving {graph_file(graph_dir)} read-only at http://{host}:{port}/query "
        f"(Oxigraph store {path}); Ctrl-C stops",
        file=sys.stderr,
        flush=True,
    )
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
