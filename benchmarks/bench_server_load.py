"""`vetkg serve` under the load of issue 17's probe: abandoned heavy queries and hundreds of
light clients at once, on loopback.

Starts the real server (``python -m kg serve``) on a built graph (``--graph DIR``, or the
seeds built now into a temporary folder), then for ``--duration`` seconds:

- ``--heavy`` cartesian-product queries (half sorted, so they take memory; half counted,
  so they take CPU) are sent and abandoned — the client hangs up without reading, as a
  closed browser tab does — at the start and again every ``--heavy-every`` seconds;
- ``--clients`` light clients each ask small queries in a loop (keep-alive connections,
  ``--think`` seconds between queries) and check every answer against the expected one.

Reports the light queries answered and failed (with the reasons), their latency
percentiles, the server's peak resident memory (the front and its engine together, sampled
every 0.1 s), its CPU time, how often the engine was restarted, and whether it still
answers at the end. Exit 1 if a light query failed or the server died.

    python benchmarks/bench_server_load.py [--graph DIR] [--duration 60] [--clients 200]
        [--heavy 8] [--heavy-every 10] [--json FILE] [-- extra `vetkg serve` arguments]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PREFIXES = "PREFIX vet: <https://w3id.org/vetkg/ontology#>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"
LIGHT = [
    PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?d vet:sourceId ?s }",
    PREFIXES + "SELECT ?t WHERE { ?d vet:sourceId ?s ; dcterms:title ?t } ORDER BY ?t",
    "ASK { ?s ?p ?o }",
]
HEAVY = [
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except OSError:
            continue
    return out


def tree_rss(pid: int) -> int:
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
    return total


def tree_cpu(pid: int) -> float:
    total = 0.0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            # its own time and that of the children it reaped (engines that were restarted)
            total += sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            continue
    return total


def ask(conn: http.client.HTTPConnection, query: str) -> tuple[int, bytes]:
    body = urllib.parse.urlencode({"query": query})
    conn.request(
        "POST",
        "/query",
        body,
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
    )
    resp = conn.getresponse()
    return resp.status, resp.read()


def abandon(port: int, query: str) -> None:
    """Send ``query`` and hang up without reading the answer."""
    body = urllib.parse.urlencode({"query": query}).encode()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(
                b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: %d\r\n\r\n" % len(body) + body
            )
            time.sleep(0.2)
    except OSError:
        pass


def build_seeds(folder: Path) -> Path:
    out = folder / "build"
    subprocess.run(
        [sys.executable, "-m", "kg", "build", str(ROOT / "seeds"), "--out", str(out), "--no-views"],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return out


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--graph", type=Path, help="a built graph folder (default: the seeds, built now)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--clients", type=int, default=200, help="light clients at once (default 200)")
    parser.add_argument("--heavy", type=int, default=8, help="abandoned heavy queries per wave (default 8)")
    parser.add_argument(
        "--heavy-every", type=float, default=10.0, help="seconds between waves of heavy queries (0: one wave)"
    )
    parser.add_argument("--think", type=float, default=0.05, help="seconds a light client waits between queries")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    parser.add_argument("serve_args", nargs="*", help="extra arguments for `vetkg serve` (after --)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        graph = args.graph or build_seeds(Path(tmp))
        port = free_port()
        log = Path(tmp) / "serve.log"
        with open(log, "wb") as err:
            server = subprocess.Popen(
                [sys.executable, "-m", "kg", "serve", "--graph", str(graph), "--port", str(port), *args.serve_args],
                stdout=subprocess.DEVNULL,
                stderr=err,
                cwd=ROOT,
            )
        try:
            return run_load(args, server, port, log)
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def run_load(args: argparse.Namespace, server: subprocess.Popen, port: int, log: Path) -> int:
    sys.path.insert(0, str(ROOT))
    from kg.store.server import wait_until_up

    wait_until_up("127.0.0.1", port, timeout=300, proc=server)
    warm = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    expected = {q: ask(warm, q)[1] for q in LIGHT}
    warm.close()

    stop = threading.Event()
    peak = [tree_rss(server.pid)]
    samples: list[int] = []

    def watch() -> None:
        while not stop.wait(0.1):
            rss = tree_rss(server.pid)
            samples.append(rss)
            peak[0] = max(peak[0], rss)

    lock = threading.Lock()
    latencies: list[float] = []
    failures: Counter[str] = Counter()

    def light(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        i = k
        while not stop.is_set():
            query = LIGHT[i % len(LIGHT)]
            i += 1
            t0 = time.perf_counter()
            try:
                status, body = ask(conn, query)
                reason = None if status == 200 and body == expected[query] else f"HTTP {status}: {body[:80]!r}"
            except (OSError, http.client.HTTPException) as exc:
                reason = f"{type(exc).__name__}: {exc}"[:120]
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = time.perf_counter() - t0
            with lock:
                if reason is None:
                    latencies.append(elapsed)
                else:
                    failures[reason] += 1
            stop.wait(args.think)
        conn.close()

    def heavy() -> None:
        while True:
            for i in range(args.heavy):
                threading.Thread(target=abandon, args=(port, HEAVY[i % len(HEAVY)]), daemon=True).start()
            if args.heavy_every <= 0 or stop.wait(args.heavy_every):
                return

    cpu0 = tree_cpu(server.pid)
    threads = [threading.Thread(target=watch, daemon=True)]
    threads += [threading.Thread(target=light, args=(k,), daemon=True) for k in range(args.clients)]
    threads.append(threading.Thread(target=heavy, daemon=True))
    t_start = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(args.duration)
    stop.set()
    for t in threads:
        t.join(timeout=90)
    wall = time.monotonic() - t_start
    cpu = tree_cpu(server.pid) - cpu0
    alive = server.poll() is None
    still_answers = False
    if alive:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            still_answers = ask(conn, LIGHT[0]) == (200, expected[LIGHT[0]])
            conn.close()
        except (OSError, http.client.HTTPException):
            pass
    text = log.read_text(encoding="utf-8", errors="replace")
    restarts = text.count("the query engine was restarted")

    numbers = {
        "duration_s": round(wall, 1),
        "clients": args.clients,
        "heavy_per_wave": args.heavy,
        "heavy_every_s": args.heavy_every,
        "light_answered": len(latencies),
        "light_failed": sum(failures.values()),
        "light_per_s": round(len(latencies) / wall, 1),
        "latency_ms": {
            name: round(percentile(latencies, q) * 1000, 1)
            for name, q in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0))
        },
        "latency_mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else None,
        "server_rss_peak_mb": peak[0] >> 20,
        "server_rss_end_mb": (samples[-1] >> 20) if samples else None,
        "server_cpu_s": round(cpu, 1),
        "engine_restarts": restarts,
        "server_alive": alive,
        "still_answers": still_answers,
        "failures": dict(failures.most_common(10)),
    }
    lat = numbers["latency_ms"]
    print(
        f"{numbers['duration_s']} s, {args.clients} light clients, {args.heavy} abandoned heavy queries "
        f"every {args.heavy_every:g} s\n"
        f"light queries: {numbers['light_answered']} answered ({numbers['light_per_s']}/s), "
        f"{numbers['light_failed']} failed\n"
        f"latency ms: p50 {lat['p50']}  p90 {lat['p90']}  p99 {lat['p99']}  max {lat['max']}\n"
        f"server: peak RSS {numbers['server_rss_peak_mb']} MB (front + engine), CPU {numbers['server_cpu_s']} s, "
        f"engine restarts {restarts}, alive {alive}, still answers {still_answers}"
    )
    for reason, n in failures.most_common(10):
        print(f"  {n} x {reason}")
    if args.json:
        args.json.write_text(json.dumps(numbers, indent=1) + "\n", encoding="utf-8")
    return 0 if alive and still_answers and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
