"""Every named query on the three ways vetkg reaches its one engine, Oxigraph, side by
side on synthetic graphs: embedded in memory (graph.nt loaded), embedded on disk (a build's
store, or ``--store PATH``) and the real server (``vetkg serve``) over HTTP.

The synthetic graph is the real seed graph (built first) cloned until it reaches the
requested size: every clone gets its own documents, measures, departments, regions,
qualified relations and evidence nodes (with the seeds' Chinese sentences), numbers are
varied, and programs and institutions are shared between some clones so cross-document
queries have something to find. It is therefore exactly in the vetkg ontology.

Each store runs in its own process (so peak RSS is its own): it loads the N-Triples file
(bulk-loaded in memory; loaded into an on-disk store as ``--store PATH`` does; that store
served read-only by the ``oxigraph`` server, queried with vetkg's EndpointStore), then
times every named query (median of ``--repeat`` runs; a query over ``--timeout`` seconds
is reported as such). Prints a table per size with the on-disk/in-memory and
server/in-memory ratios, and checks that the three give the same number of rows.

    python benchmarks/bench_sparql.py [--sizes 100000 1000000] [--timeout 300] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARAMS = {
    "documents_citing": {"number": "国办发〔2017〕95号"},
    "indicators_matching": {"text": "双师型"},
    "evidence": {"name": "县教育局"},
    "measures_of_unit": {"name": "市教育体育局"},
}
_IRI_RE = re.compile(r"<https://w3id\.org/vetkg/id/([a-z]+)/([^>]*)>")
_PER_CLONE = ("document", "assertion", "evidence", "indicator", "department", "collective", "region")
_NUMBER_RE = re.compile(r'^"(\d+(?:\.\d+)?)"\^\^<http://www\.w3\.org/2001/XMLSchema#decimal>')


def seed_lines() -> list[str]:
    """N-Triples lines of the seed graph (without the diffusion links: their nodes would
    join the clones), built now from ``seeds/``."""
    from kg.corpus.build import build
    from kg.corpus.graph import graph_text

    result = build([ROOT / "seeds"], keep=True)
    return graph_text(result.extractions, diffusion=False).splitlines()


def clone_line(line: str, k: int) -> str:
    """One triple of clone ``k``: its own nodes, varied numbers and source ids; programs and
    institutions shared with every third clone."""

    def iri(m: re.Match) -> str:
        kind, rest = m.group(1), m.group(2)
        if kind in _PER_CLONE or (kind in ("program", "institution") and k % 3):
            head, _, tail = rest.partition("/")
            return f"<https://w3id.org/vetkg/id/{kind}/{head}-c{k}{'/' + tail if tail else ''}>"
        return m.group(0)

    s, p, rest = line.split(" ", 2)
    s = _IRI_RE.sub(iri, s)
    o = rest[:-2].rstrip()
    if o.startswith("<"):
        o = _IRI_RE.sub(iri, o)
    elif p.endswith("#value>") and (m := _NUMBER_RE.match(o)):
        o = f'"{float(m.group(1)) + k % 7:g}"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    elif p.endswith("#sourceId>") or p.endswith("#checksum>"):
        o = o[:-1] + f'-c{k}"'
    elif p.endswith("core#prefLabel>") and "/region/" in s and k:
        o = o.replace('"@zh', f'{k}"@zh')
    return f"{s} {p} {o} ."


def make_graph(lines: list[str], size: int, path: Path) -> int:
    """Write at least ``size`` triples of clones to ``path``; returns the exact count."""
    shared = re.compile(r"^<(?:https://w3id\.org/vetkg/function/|[^>]*ontology#(?:Lead|Responsible|\w+Scheme)>)")
    concepts = [ln for ln in lines if shared.match(ln)]  # the concept schemes, once
    data = [ln for ln in lines if not shared.match(ln)]
    seen: set[str] = set(concepts)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("\n".join(concepts) + "\n")
        k = 0
        while len(seen) < size:
            for ln in data:
                t = clone_line(ln, k)
                if t not in seen:
                    seen.add(t)
                    fh.write(t + "\n")
                    if len(seen) >= size:
                        break
            k += 1
    return len(seen)


# --- one store, in its own process --------------------------------------------------------


class _Timeout(BaseException):  # not caught as a query error
    pass


def _alarm(signum, frame):
    raise _Timeout()


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM: unlike ru_maxrss it is not inherited across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker(store_name: str, nt: Path, timeout: float, repeat: int) -> dict:
    from kg.store import EndpointStore, OxigraphStore, named_queries, run
    from kg.store.oxigraph import store_from_graph_file
    from kg.store.server import server_command, wait_until_up

    base_rss = peak_rss_mb()  # after imports
    server = None
    t = time.perf_counter()
    if store_name == "memory":
        store = OxigraphStore.from_file(nt)
    else:  # "disk": an on-disk store, as --store PATH makes; "server": that store served
        folder = store_from_graph_file(nt, Path(tempfile.mkdtemp(prefix="bench-ox-")) / "store")
        if store_name == "disk":
            store = OxigraphStore.open(folder)
        else:
            port = _free_port()
            server = subprocess.Popen(
                server_command(folder, "127.0.0.1", port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            wait_until_up("127.0.0.1", port, timeout=120, proc=server)
            store = EndpointStore(f"http://127.0.0.1:{port}/query", timeout=timeout + 5)
    load = time.perf_counter() - t
    times: dict[str, object] = {}
    rows: dict[str, int] = {}
    signal.signal(signal.SIGALRM, _alarm)
    try:
        for name, query in named_queries().items():
            runs = []
            for _ in range(repeat):
                signal.setitimer(signal.ITIMER_REAL, timeout)
                try:
                    t = time.perf_counter()
                    res = run(store, query, PARAMS.get(name))
                    runs.append(time.perf_counter() - t)
                    rows[name] = len(res.rows)
                except _Timeout:
                    runs = None
                    break
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                if runs[-1] > timeout / 3:  # slow: one run is enough
                    break
            times[name] = statistics.median(runs) if runs else None
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    rss = peak_rss_mb()  # the server's memory is its own process's, not counted here
    return {
        "store": store_name,
        "load_s": load,
        "peak_rss_mb": rss,
        "base_rss_mb": base_rss,
        "queries": times,
        "rows": rows,
    }


def run_worker(store_name: str, nt: Path, timeout: float, repeat: int) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", store_name, str(nt), "--timeout", str(timeout), "--repeat", str(repeat)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{store_name} worker failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fmt_s(v) -> str:
    return "timeout" if v is None else (f"{v * 1000:.1f} ms" if v < 1 else f"{v:.2f} s")


def _ratio(t, base, timeout: float) -> tuple[str, float | None]:
    if base is None:
        return "n/a", None
    r = (t if t is not None else timeout) / max(base, 1e-6)
    return (f"{r:,.1f}×" if t is not None else f"> {r:,.1f}×"), r


def report(size: int, triples: int, a: dict, b: dict, c: dict, timeout: float) -> tuple[str, float]:
    """Markdown table: Oxigraph in memory, on disk (ratio to memory), served (ratio)."""
    lines = [
        f"\n## {triples:,} triples (target {size:,})",
        "",
        "| query | in memory | on disk | ratio | server (HTTP) | ratio | rows |",
        "|---|---|---|---|---|---|---|",
    ]
    disk_ratios, server_ratios, differ = [], [], []
    for name in a["queries"]:
        ta, tb, tc = a["queries"][name], b["queries"][name], c["queries"][name]
        rb, vb = _ratio(tb, ta, timeout)
        rc, vc = _ratio(tc, ta, timeout)
        disk_ratios += [vb] if vb is not None else []
        server_ratios += [vc] if vc is not None else []
        counts = {r["rows"][name] for r in (a, b, c) if name in r["rows"]}
        if len(counts) > 1:
            differ.append(name)
        lines.append(
            f"| {name} | {fmt_s(ta)} | {fmt_s(tb)} | {rb} | {fmt_s(tc)} | {rc} | {'/'.join(map(str, sorted(counts)))} |"
        )
    med = statistics.median(server_ratios) if server_ratios else float("nan")
    med_disk = statistics.median(disk_ratios) if disk_ratios else float("nan")
    lines += [
        "",
        f"median ratio on disk/in memory: {med_disk:,.1f}×; server/in memory: {med:,.1f}×",
        "rows differ between the stores: " + (", ".join(differ) if differ else "none"),
        "",
    ]
    for label, r in (("in memory", a), ("on disk", b), ("server", c)):
        lines.append(
            f"- {label}: load {r['load_s']:.1f} s, peak RSS {r['peak_rss_mb']:,.0f} MB "
            f"({r['base_rss_mb']:,.0f} MB before loading)"
        )
    return "\n".join(lines), med


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", type=int, default=[100_000, 1_000_000])
    ap.add_argument("--timeout", type=float, default=300, help="seconds per query")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", metavar="FILE")
    ap.add_argument("--worker", nargs=2, metavar=("STORE", "NT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker[0], Path(args.worker[1]), args.timeout, args.repeat)))
        return 0
    lines = seed_lines()
    print(f"seed graph: {len(lines):,} triples")
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-sparql-") as tmp:
        for size in args.sizes:
            nt = Path(tmp) / f"synthetic-{size}.nt"
            t = time.perf_counter()
            triples = make_graph(lines, size, nt)
            print(
                f"generated {triples:,} triples ({nt.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s",
                flush=True,
            )
            a = run_worker("memory", nt, args.timeout, args.repeat)
            b = run_worker("disk", nt, args.timeout, args.repeat)
            c = run_worker("server", nt, args.timeout, args.repeat)
            table, med = report(size, triples, a, b, c, args.timeout)
            print(table, flush=True)
            results.append(
                {"size": size, "triples": triples, "memory": a, "disk": b, "server": c, "median_server_ratio": med}
            )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
