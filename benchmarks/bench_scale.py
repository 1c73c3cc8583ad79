"""Build generated corpora end to end and report wall time, MB/s, peak RSS and the
graph's size, with the single-document per-core figure beside them.

Targets (issue 16): one code path for every size — the per-document time of a
200-document build with views within 1.5× of a 1,000-document build's; a rebuild with
nothing changed at most 15 % of the build, with one document changed at most 25 %;
10,000 documents in under 6 minutes with under 3 GB (2 cores).

For each size: ``vetkg build`` from scratch (records, graph.nt, the Oxigraph store and,
unless ``--no-views``, report.html and graph.html; cache on, as a user runs it), then the
same build again with nothing changed, then with one document changed; the per-document
time of each size side by side. ``--analyze`` adds ``vetkg analyze`` on the result;
``--serial`` a ``--jobs 1`` build.

    python benchmarks/bench_scale.py [--sizes 20 200 2000] [--jobs 2] [--no-views] [--serial] [--keep DIR]
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


CPU: dict[str, float] = {}  # CPU seconds of the last run (user + system, its whole process tree)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak memory (MB: the proportional set size summed over the command's
    whole process tree — workers and the store loader included, pages the forked workers
    share with their parent counted once — sampled every 0.2 s) and output. The CPU
    seconds of the process tree (workers and loader are waited for) go to ``CPU["last"]``:
    on a machine shared with other jobs they say more than the wall clock."""
    import psutil

    cpu = _children_cpu()
    t = time.perf_counter()
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True)
        root, peak = psutil.Process(proc.pid), 0
        while proc.poll() is None:
            try:
                tree = [root, *root.children(recursive=True)]
                peak = max(peak, sum(_rss(p) for p in tree))
            except psutil.Error:
                pass
            time.sleep(0.2)
        wall = time.perf_counter() - t
        CPU["last"] = _children_cpu() - cpu
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


def build(corpus: Path, out: Path, jobs: int, cache: bool = True, views: bool = True) -> tuple[float, float, str]:
    cmd = [sys.executable, "-m", "kg", "build", str(corpus), "--out", str(out), "--jobs", str(jobs), "-q"]
    return run(cmd + ([] if views else ["--no-views"]) + ([] if cache else ["--no-cache"]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", type=int, default=[20, 200, 2000])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-views", action="store_true", help="build without report.html and graph.html")
    ap.add_argument("--serial", action="store_true", help="also build with --jobs 1")
    ap.add_argument("--keep", type=Path, help="keep corpora and outputs here")
    ap.add_argument("--analyze", action="store_true", help="also time `vetkg analyze` on each build")
    args = ap.parse_args()
    views = not args.no_views
    base = args.keep or Path(tempfile.mkdtemp(prefix="vetkg-scale-"))
    _, _, single = run([sys.executable, "benchmarks/bench_extract.py", "--min-mbps", "0"])
    per_core = re.search(r"([\d.]+) MB/s per core.*?with jieba keywords: ([\d.]+) MB/s", single, re.S)
    if per_core:
        print(
            f"single document, one core: {per_core.group(1)} MB/s extraction, {per_core.group(2)} MB/s with keywords\n"
        )
    print(f"views: {'on' if views else 'off'}; jobs: {args.jobs}\n")
    print(
        "| documents | MB | jobs | build | per document | MB/s | peak memory (PSS) | triples | graph.nt | "
        "rebuild, nothing changed | rebuild, 1 changed | analyze | CPU s: build / nothing / 1 changed |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    per_doc: dict[int, float] = {}
    for n in args.sizes:
        corpus, out = base / f"corpus-{n}", base / f"out-{n}"
        if not corpus.exists():
            subprocess.run(
                [sys.executable, "benchmarks/make_corpus.py", str(n), str(corpus)],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
        mb = sum(p.stat().st_size for p in corpus.iterdir()) / 1e6
        runs = [args.jobs] + ([1] if args.serial else [])
        for jobs in runs:
            shutil.rmtree(out, ignore_errors=True)
            wall, rss, log = build(corpus, out, jobs, views=views)
            cpu = [CPU["last"]]
            triples = re.search(r"(\d+) triples", log)
            if jobs == args.jobs and triples:
                per_doc[n] = 1000 * wall / n
            nt = (out / "graph.nt").stat().st_size / 1e9 if (out / "graph.nt").exists() else 0
            same = changed = analyze = ""
            if jobs == args.jobs:
                s_wall, _, _ = build(corpus, out, jobs, views=views)
                cpu.append(CPU["last"])
                same = f"{s_wall:.1f} s ({100 * s_wall / wall:.0f} %)"
                first = sorted(corpus.iterdir())[0]
                first.write_bytes(first.read_bytes() + b"\n\n")  # new bytes: a changed document
                c_wall, _, _ = build(corpus, out, jobs, views=views)
                cpu.append(CPU["last"])
                changed = f"{c_wall:.1f} s ({100 * c_wall / wall:.0f} %)"
                if args.analyze:
                    a_wall, a_rss, _ = run([sys.executable, "-m", "kg", "analyze", "--graph", str(out)])
                    analyze = f"{a_wall:.0f} s, {a_rss:,.0f} MB"
            print(
                f"| {n:,} | {mb:.1f} | {jobs} | {wall:.1f} s | {1000 * wall / n:.0f} ms | {mb / wall:.2f} | "
                f"{rss:,.0f} MB | {int(triples.group(1)):,} | {nt:.2f} GB | {same} | {changed} | {analyze} | "
                + " / ".join(f"{c:.0f}" for c in cpu)
                + (f" ({100 * cpu[1] / cpu[0]:.0f} % / {100 * cpu[2] / cpu[0]:.0f} %)" if len(cpu) == 3 else "")
                + " |"
                if triples
                else f"| {n:,} | {mb:.1f} | {jobs} | failed after {wall:.0f} s | | | | | | | | | |",
                flush=True,
            )
        if not args.keep:
            shutil.rmtree(corpus, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
    if per_doc:
        print("\nper document: " + " · ".join(f"{n:,} documents {ms:.0f} ms" for n, ms in per_doc.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
