"""Write N realistic policy documents derived from the seeds, for scale benchmarks.

Each document takes a seed as its frame, renames its region (to another real city or
county of the gazetteer) and shifts its years, swaps the bodies of some sections with
sections of other seeds (so measures mix across documents), varies the numbers, and is
written in one of the formats users have: UTF-8 text, GBK text, HTML, or text
hard-wrapped at 35 characters. Deterministic for a given N and --seed.

    python benchmarks/make_corpus.py 1000 /tmp/corpus-1k
"""

from __future__ import annotations

import argparse
import html
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED_REGIONS = ("XX县", "安阳市", "鹤壁市", "北京市", "江津区")
SECTION = re.compile(r"^(\s*[(（][一二三四五六七八九十]+[)）])(.+)$", re.M)


def regions(rnd: random.Random, n: int) -> list[str]:
    from kg.core.regions import gazetteer

    names = sorted(name for name, rs in gazetteer().items() if rs[0].level in ("city", "county") and len(name) >= 3)
    return [rnd.choice(names) for _ in range(n)]


def make(seeds: list[str], i: int, region: str, rnd: random.Random) -> str:
    frame = seeds[i % len(seeds)]
    text = frame
    for old in SEED_REGIONS:
        text = text.replace(old, region)
    shift = rnd.randint(-2, 3)
    text = re.sub(r"(20[12]\d)(?=年)", lambda m: str(int(m.group(1)) + shift), text)
    bodies = [m.group(2) for s in seeds for m in SECTION.finditer(s)]

    def swap(m: re.Match) -> str:
        return m.group(1) + (rnd.choice(bodies) if rnd.random() < 0.3 else m.group(2))

    text = SECTION.sub(swap, text)
    text = re.sub(
        r"(?<![\d〔])(\d{1,3})(?=[%个所家名])", lambda m: str(max(1, int(m.group(1)) + rnd.randint(-3, 3))), text
    )
    return text


def write(text: str, path: Path, fmt: str) -> Path:
    if fmt == "gbk":
        path.write_bytes(text.encode("gb18030"))
    elif fmt == "html":
        path = path.with_suffix(".html")
        body = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.split("\n") if line.strip())
        path.write_text(
            f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{body}</body></html>', encoding="utf-8"
        )
    elif fmt == "wrapped":
        lines = []
        for line in text.split("\n"):
            lines.extend([line[i : i + 35] for i in range(0, len(line), 35)] or [""])
        path.write_text("\n".join(lines), encoding="utf-8")
    else:
        path.write_text(text, encoding="utf-8")
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    args.out.mkdir(parents=True, exist_ok=True)
    names = regions(rnd, args.n)
    size = 0
    for i in range(args.n):
        fmt = rnd.choices(["utf8", "gbk", "html", "wrapped"], weights=[5, 2, 2, 1])[0]
        path = write(make(seeds, i, names[i], rnd), args.out / f"doc_{i:06d}.txt", fmt)
        size += path.stat().st_size
    print(f"wrote {args.n} documents ({size / 1e6:.1f} MB) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
