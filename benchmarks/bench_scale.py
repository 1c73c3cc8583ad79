"""Build generated corpora end to end and report wall time, MB/s, peak RSS and the
graph's size, with the single-document per-core figure beside them.

Targets (issue 11): 10,000 documents (about 250 MB) to the full graph in under 10 minutes
on 2 cores with under 4 GB peak RSS; at least 1 MB/s per core including keywords.

    python benchmarks/bench_scale.py [--sizes 1000 10000] [--jobs 2] [--keep DIR]
"""
from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(cmd: list[str]) -> tuple[float, str]:
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    return time.perf_counter() - t, proc.stdout + proc.stderr


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="keep corpora and outputs here")
    args = ap.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="vetkg-scale-"))
    _, single = run([sys.executable, "benchmarks/bench_extract.py", "--min-mbps", "0"])
    per_core = re.search(r"([\d.]+) MB/s per core.*?with jieba keywords: ([\d.]+) MB/s", single, re.S)
    print("| documents | MB | wall | MB/s | peak RSS | triples |")
    print("|---|---|---|---|---|---|")
    for n in args.sizes:
        corpus, out = base / f"corpus-{n}", base / f"out-{n}"
        subprocess.run([sys.executable, "benchmarks/make_corpus.py", str(n), str(corpus)], cwd=ROOT,
                       check=True, capture_output=True)
        mb = sum(p.stat().st_size for p in corpus.iterdir()) / 1e6
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        wall, log = run([sys.executable, "-m", "kg", "build", str(corpus), "--out", str(out),
                         "--jobs", str(args.jobs), "--no-cache", "-q"])
        rss = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        triples = re.search(r"([\d,]+) triples", log)
        print(f"| {n:,} | {mb:.1f} | {wall:.0f} s | {mb / wall:.2f} | {rss:,.0f} MB | "
              f"{triples.group(1) if triples else 'failed'} |", flush=True)
        if not args.keep:
            shutil.rmtree(corpus, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
    if per_core:
        print(f"\nsingle document, one core: {per_core.group(1)} MB/s extraction, "
              f"{per_core.group(2)} MB/s with keywords")
    return 0


if __name__ == "__main__":
    sys.exit(main())
