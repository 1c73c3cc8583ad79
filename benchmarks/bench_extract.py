"""Extraction throughput and memory on the seeds.

Times the whole per-document path — read (decode, boilerplate), parse (metadata,
outline) and extract (mentions, relations, keywords) — in one process, i.e. on one core,
after a warm-up run that loads the gazetteer, jieba's dictionary and the lexicons.
Reports MB/s of UTF-8 text and characters/s, the peak Python heap during the timed runs
(tracemalloc) and the process's peak RSS. Exits 1 when below ``--min-mbps``.

"Per core" is per CPU-second of this process (``time.process_time``), so the figures hold
on a machine busy with other work, where wall-clock time would measure the load; the
wall-clock figure is reported beside them. The target (issue 18: at least 1 MB/s per core)
applies to the whole path including the jieba keyword step; extraction without it is
reported too.

    python benchmarks/bench_extract.py [INPUT…] [--seconds 10] [--min-mbps 1.0] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extraction import extract  # noqa: E402
from kg.parsing import parse  # noqa: E402
from kg.reading.reader import collect_paths, read  # noqa: E402


def run_once(paths: list[Path], keywords: bool = False) -> int:
    n = 0
    for p in paths:
        ex = extract(parse(read(p)), keywords=keywords)
        n += len(ex.mentions) + len(ex.relations)
    return n


def median_round(paths: list[Path], keywords: bool, rounds: int = 5) -> tuple[float, float]:
    """Median CPU seconds and median wall seconds of a round."""
    cpu, wall = [], []
    for _ in range(rounds):
        t, c = time.perf_counter(), time.process_time()
        run_once(paths, keywords)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - t)
    return sorted(cpu)[len(cpu) // 2], sorted(wall)[len(wall) // 2]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="*", default=[str(ROOT / "seeds")])
    ap.add_argument("--seconds", type=float, default=10.0, help="timed duration (default 10)")
    ap.add_argument("--min-mbps", type=float, default=1.0, help="fail below this, keywords included (default 1.0)")
    ap.add_argument("--json", help="write the figures as JSON")
    args = ap.parse_args()

    paths, problems = collect_paths(args.inputs)
    if problems or not paths:
        print("; ".join(str(p) for p in problems) or "no documents", file=sys.stderr)
        return 2
    texts = [read(p).text for p in paths]
    chars = sum(len(t) for t in texts)
    nbytes = sum(len(t.encode("utf-8")) for t in texts)

    t0 = time.perf_counter()
    records = run_once(paths, keywords=True)  # warm-up: gazetteer, jieba, lexicons
    warmup = time.perf_counter() - t0

    tracemalloc.start()
    rounds = 0
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    while True:
        run_once(paths, keywords=True)
        rounds += 1
        if time.perf_counter() - t0 >= args.seconds:
            break
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    _, peak_heap = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # tracemalloc slows Python allocation; the headline figures are untraced medians.
    untraced, _ = median_round(paths, keywords=False)
    with_keywords, with_keywords_wall = median_round(paths, keywords=True)
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    figures = {
        "documents": len(paths),
        "chars": chars,
        "utf8_bytes": nbytes,
        "records_per_round": records,
        "warmup_s": round(warmup, 3),
        "rounds": rounds,
        "traced_mb_per_s": round(nbytes * rounds / cpu / 1e6, 3),
        "mb_per_s_per_core": round(nbytes / untraced / 1e6, 3),
        "chars_per_s_per_core": round(chars / untraced),
        "with_keywords_mb_per_s_per_core": round(nbytes / with_keywords / 1e6, 3),
        "with_keywords_mb_per_s_wall": round(nbytes / with_keywords_wall / 1e6, 3),
        "peak_python_heap_mb": round(peak_heap / 1e6, 1),
        "peak_rss_mb": round(rss_kb / 1024, 1),
        "wall_s": round(wall, 2),
    }
    print(f"{len(paths)} documents, {chars:,} chars ({nbytes / 1e6:.3f} MB UTF-8); warm-up {warmup:.2f} s")
    print(
        f"read + parse + extract: {figures['mb_per_s_per_core']:.2f} MB/s per core "
        f"({figures['chars_per_s_per_core']:,} chars/s); with jieba keywords: "
        f"{figures['with_keywords_mb_per_s_per_core']:.2f} MB/s; "
        f"{figures['traced_mb_per_s']:.2f} MB/s under tracemalloc over {rounds} rounds "
        f"(CPU time; wall clock with keywords: {figures['with_keywords_mb_per_s_wall']:.2f} MB/s)"
    )
    print(f"memory: peak Python heap {figures['peak_python_heap_mb']} MB, peak RSS {figures['peak_rss_mb']} MB")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(figures, indent=1), encoding="utf-8")
    if figures["with_keywords_mb_per_s_per_core"] < args.min_mbps:
        print(
            f"BELOW TARGET: {figures['with_keywords_mb_per_s_per_core']} < {args.min_mbps} MB/s with keywords",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
