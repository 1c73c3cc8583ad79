"""Every named query on rdflib and on Oxigraph, side by side, on synthetic graphs.

The synthetic graph is the real seed graph (built first) cloned until it reaches the
requested size: every clone gets its own documents, measures, departments, regions,
qualified relations and evidence nodes (with the seeds' Chinese sentences), numbers are
varied, and programs and institutions are shared between some clones so cross-document
queries have something to find. It is therefore exactly in the vetkg ontology.

Each store runs in its own process (so peak RSS is its own): it loads the N-Triples file
(rdflib in memory; Oxigraph bulk-loaded in memory, and again into an on-disk store as
``--store oxigraph:PATH`` uses), then times every named query (median of ``--repeat`` runs; a query over ``--timeout`` seconds is reported as
such). Prints a table per size with the rdflib/Oxigraph ratio and its median.

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
    """N-Triples lines of the seed graph, built now from ``seeds/``."""
    from kg.corpus.build import build
    from kg.corpus.graph import build_graph
    from kg.rdf.mapping import serialize

    result = build([ROOT / "seeds"])
    return serialize(build_graph(result.extractions), "nt").splitlines()


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


def worker(store_name: str, nt: Path, timeout: float, repeat: int) -> dict:
    from kg.store import sparql

    base_rss = peak_rss_mb()  # after imports
    t = time.perf_counter()
    if store_name == "rdflib":
        import rdflib

        g = rdflib.Graph()
        g.parse(nt, format="nt")
        store = sparql.RdflibStore(g)
    else:  # "oxigraph": in memory; "oxigraph-disk": an on-disk store, as --store oxigraph:PATH
        import pyoxigraph as ox

        folder = Path(tempfile.mkdtemp(prefix="bench-ox-")) if store_name == "oxigraph-disk" else None
        s = ox.Store(str(folder)) if folder else ox.Store()
        s.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
        if folder:
            s.flush()
        store = sparql.OxigraphStore(s, folder)
    load = time.perf_counter() - t
    times: dict[str, object] = {}
    rows: dict[str, int] = {}
    signal.signal(signal.SIGALRM, _alarm)
    for name, query in sparql.named_queries().items():
        runs = []
        for _ in range(repeat):
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                t = time.perf_counter()
                res = sparql.run(store, query, PARAMS.get(name))
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
    rss = peak_rss_mb()
    return {"store": store_name, "load_s": load, "peak_rss_mb": rss, "base_rss_mb": base_rss,
            "queries": times, "rows": rows}


def run_worker(store_name: str, nt: Path, timeout: float, repeat: int) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--worker", store_name, str(nt),
                           "--timeout", str(timeout), "--repeat", str(repeat)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{store_name} worker failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fmt_s(v) -> str:
    return "timeout" if v is None else (f"{v * 1000:.1f} ms" if v < 1 else f"{v:.2f} s")


def report(size: int, triples: int, a: dict, b: dict, c: dict, timeout: float) -> tuple[str, float]:
    """Markdown table: rdflib, Oxigraph in memory (the ratio), Oxigraph on disk."""
    lines = [f"\n## {triples:,} triples (target {size:,})",
             "", "| query | rdflib | Oxigraph | ratio | Oxigraph on disk | rows |",
             "|---|---|---|---|---|---|"]
    ratios = []
    for name in a["queries"]:
        ta, tb = a["queries"][name], b["queries"][name]
        if tb is None:
            ratio = "n/a"
        else:
            r = (ta if ta is not None else timeout) / max(tb, 1e-6)
            ratios.append(r)
            ratio = f"{r:,.0f}×" if ta is not None else f"> {r:,.0f}×"
        lines.append(f"| {name} | {fmt_s(ta)} | {fmt_s(tb)} | {ratio} | "
                     f"{fmt_s(c['queries'][name])} | {b['rows'].get(name, '')} |")
    med = statistics.median(ratios) if ratios else float("nan")
    lines += ["", f"median ratio rdflib/Oxigraph: {med:,.0f}×", ""]
    for label, r in (("rdflib", a), ("Oxigraph in memory", b), ("Oxigraph on disk", c)):
        lines.append(f"- {label}: load {r['load_s']:.1f} s, peak RSS {r['peak_rss_mb']:,.0f} MB "
                     f"({r['base_rss_mb']:,.0f} MB before loading)")
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
            print(f"generated {triples:,} triples ({nt.stat().st_size / 1e6:.0f} MB) in "
                  f"{time.perf_counter() - t:.1f} s", flush=True)
            a = run_worker("rdflib", nt, args.timeout, args.repeat)
            b = run_worker("oxigraph", nt, args.timeout, args.repeat)
            c = run_worker("oxigraph-disk", nt, args.timeout, args.repeat)
            table, med = report(size, triples, a, b, c, args.timeout)
            print(table, flush=True)
            results.append({"size": size, "triples": triples, "rdflib": a, "oxigraph": b,
                            "oxigraph_disk": c, "median_ratio": med})
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
