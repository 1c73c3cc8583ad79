"""Build generated corpora end to end and report wall time, MB/s, peak RSS and the
graph's size, with the single-document per-core figure beside them.

Targets (issue 11): 10,000 documents (about 250 MB) to the full graph in under 10 minutes
on 2 cores with under 4 GB peak RSS; at least 1 MB/s per core including keywords.

For each size: ``vetkg build --no-views`` from scratch (records, graph.nt and, past 200
documents, the Oxigraph store), then the same build again with one document changed and
the cache warm (incremental), then ``vetkg analyze`` on the result (the report, read
from the store). ``--serial`` adds a ``--jobs 1`` build for comparison.

    python benchmarks/bench_scale.py [--sizes 1000 10000] [--jobs 2] [--serial] [--keep DIR]
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak memory (MB: the proportional set size summed over the command's
    whole process tree — workers and the store loader included, pages the forked workers
    share with their parent counted once — sampled every 0.2 s) and output."""
    import psutil

    t = time.perf_counter()
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True)
        root, peak = psutil.Process(proc.pid), 0
        while proc.poll() is None:
            try:
                tree = [root] + root.children(recursive=True)
                peak = max(peak, sum(_rss(p) for p in tree))
            except psutil.Error:
                pass
            time.sleep(0.2)
        wall = time.perf_counter() - t
        log.seek(0)
        output = log.read()
    if proc.returncode not in (0, 1):
        print(output[-3000:], file=sys.stderr)
    return wall, peak / 2**20, output


def _rss(p) -> int:
    try:
        return p.memory_full_info().pss
    except Exception:  # the process ended between listing and reading
        return 0


def build(corpus: Path, out: Path, jobs: int, cache: bool = False) -> tuple[float, float, str]:
    cmd = [sys.executable, "-m", "kg", "build", str(corpus), "--out", str(out), "--jobs", str(jobs),
           "--no-views", "-q"]
    return run(cmd if cache else cmd + ["--no-cache"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--serial", action="store_true", help="also build with --jobs 1")
    ap.add_argument("--keep", type=Path, help="keep corpora and outputs here")
    ap.add_argument("--no-analyze", action="store_true", help="leave out the `vetkg analyze` run")
    args = ap.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="vetkg-scale-"))
    _, _, single = run([sys.executable, "benchmarks/bench_extract.py", "--min-mbps", "0"])
    per_core = re.search(r"([\d.]+) MB/s per core.*?with jieba keywords: ([\d.]+) MB/s", single, re.S)
    if per_core:
        print(f"single document, one core: {per_core.group(1)} MB/s extraction, "
              f"{per_core.group(2)} MB/s with keywords\n")
    print("| documents | MB | jobs | build (graph + store) | MB/s | peak memory (PSS) | triples | graph.nt | "
          "rebuild, 1 changed | report | report memory |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n in args.sizes:
        corpus, out = base / f"corpus-{n}", base / f"out-{n}"
        if not corpus.exists():
            subprocess.run([sys.executable, "benchmarks/make_corpus.py", str(n), str(corpus)], cwd=ROOT,
                           check=True, capture_output=True)
        mb = sum(p.stat().st_size for p in corpus.iterdir()) / 1e6
        runs = [args.jobs] + ([1] if args.serial else [])
        for jobs in runs:
            shutil.rmtree(out, ignore_errors=True)
            wall, rss, log = build(corpus, out, jobs, cache=jobs == args.jobs)
            triples = re.search(r"(\d+) triples", log)
            nt = (out / "graph.nt").stat().st_size / 1e9 if (out / "graph.nt").exists() else 0
            rebuild = report = report_rss = ""
            if jobs == args.jobs:
                first = sorted(corpus.iterdir())[0]
                first.write_bytes(first.read_bytes() + b"\n\n")  # new bytes: a changed document
                r_wall, _, r_log = build(corpus, out, jobs, cache=True)
                hits = re.search(r"\((\d+) from the cache\)", r_log)
                rebuild = f"{r_wall:.0f} s ({hits.group(1) if hits else 0} cached)"
                if not args.no_analyze:
                    a_wall, a_rss, _ = run([sys.executable, "-m", "kg", "analyze", "--graph", str(out)])
                    report, report_rss = f"{a_wall:.0f} s", f"{a_rss:,.0f} MB"
            print(f"| {n:,} | {mb:.1f} | {jobs} | {wall:.0f} s | {mb / wall:.2f} | {rss:,.0f} MB | "
                  f"{int(triples.group(1)):,} | {nt:.2f} GB | {rebuild} | {report} | {report_rss} |"
                  if triples else f"| {n:,} | {mb:.1f} | {jobs} | failed after {wall:.0f} s | | | | | | | |",
                  flush=True)
        if not args.keep:
            shutil.rmtree(corpus, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
