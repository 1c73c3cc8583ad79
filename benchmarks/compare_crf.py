"""The rules against a character CRF for institutions and programs, on held-out documents.

Documents: the five seeds (gold in ``tests/gold``) and the five dev documents
(``../shared/dev``). Two protocols, both scored with ``kg.evaluation.scoring`` (the matching
``vetkg eval`` uses), micro over the held-out documents:

- ``split``: train on the seeds and dev 02, 06, 07; test on dev 05 and 08;
- ``loo``: leave one document out, over all ten (each document tested once, by a model that
  never saw it).

Variants: ``rules`` (the extractor as it is), ``crf`` (the CRF's names, with the rules'
reading among its features), ``crf-lex`` (the CRF without the rules' reading: characters and
lexicons only), ``union`` (names from the rules or the CRF). supports are recomputed from
each variant's names with the rules' support scopes. The rules were tuned on all ten
documents, so on them the rules (and the ``crf`` variant, which reads them) are not blind;
``crf-lex`` is.

Needs ``python-crfsuite`` (``pip install -e .[learn]``).

    python benchmarks/compare_crf.py [--protocol split|loo|both] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.evaluation.annotation import as_annotation  # noqa: E402
from kg.evaluation.learned import Sample, mentions, predict_spans, replace_names, train  # noqa: E402
from kg.evaluation.scoring import Score, load_gold, score_document  # noqa: E402
from kg.extraction import extract_all  # noqa: E402
from kg.extraction.context import DocContext  # noqa: E402
from kg.parsing import parse  # noqa: E402
from kg.reading.reader import read  # noqa: E402

LISTS = ("institutions", "institutions_relaxed", "programs", "programs_relaxed", "supports", "supports_relaxed")
VARIANTS = ("rules", "crf", "crf-lex", "union")
SPLIT_TEST = ("05_pingliang_xuexiao_meiyu_shishi_fangan", "08_changping_xuexiao_meiyu_shishi_yijian")


def load(docs: Path, gold_dir: Path) -> list[tuple[Sample, dict]]:
    gold = load_gold(gold_dir)
    out = []
    for path in sorted(docs.glob("*.txt")):
        if path.stem not in gold:
            continue
        parsed = parse(read(path))
        extraction = extract_all(parsed, keywords=False)
        sample = Sample(path.stem, DocContext(parsed), extraction, gold[path.stem])
        out.append((sample, as_annotation(extraction)))
    return out


def run_fold(train_set: list[tuple[Sample, dict]], test_set: list[tuple[Sample, dict]], tmp: Path) -> dict:
    """Scores of every variant on ``test_set`` (variant → list → Score)."""
    models = {}
    for variant, use_rules in (("crf", True), ("crf-lex", False)):
        path = str(tmp / f"{variant}.crfsuite")
        for s, _ in train_set:
            s.use_rules = use_rules
        train((s for s, _ in train_set), path)
        models[variant] = (path, use_rules)
    totals: dict[str, dict[str, Score]] = {v: {k: Score() for k in LISTS} for v in VARIANTS}
    for sample, rules_ann in test_set:
        gold = sample.gold or {}
        rule_mentions = [m for m in sample.extraction.mentions if m.entity in ("institution", "program")]
        preds = {"rules": rules_ann}
        for variant, (path, use_rules) in models.items():
            sample.use_rules = use_rules
            found = mentions(sample.ctx, predict_spans(sample, path))
            preds[variant] = replace_names(rules_ann, sample.ctx, found)
            if variant == "crf":
                preds["union"] = replace_names(rules_ann, sample.ctx, rule_mentions + found)
        for variant, pred in preds.items():
            scores = score_document(gold, pred)
            for k in LISTS:
                totals[variant][k].add(scores[k])
    return totals


def merge(into: dict, other: dict) -> None:
    for v, lists in other.items():
        for k, s in lists.items():
            into.setdefault(v, {}).setdefault(k, Score()).add(s)


def table(title: str, totals: dict) -> str:
    lines = [f"### {title}", "", "| variant | " + " | ".join(LISTS) + " |", "|---" * (len(LISTS) + 1) + "|"]
    for v in VARIANTS:
        cells = []
        for k in LISTS:
            j = totals[v][k].to_json()
            cells.append(f"{j['f1']:.3f} ({j['tp']}/{j['fp']}/{j['fn']})")
        lines.append(f"| {v} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default=str(ROOT / "seeds"))
    ap.add_argument("--seeds-gold", default=str(ROOT / "tests" / "gold"))
    ap.add_argument("--dev", default=str(ROOT.parent / "shared" / "dev"))
    ap.add_argument("--protocol", choices=("split", "loo", "both"), default="both")
    ap.add_argument("--json", help="write the scores as JSON")
    args = ap.parse_args(argv)
    t0 = time.time()
    docs = load(Path(args.seeds), Path(args.seeds_gold)) + load(Path(args.dev) / "docs", Path(args.dev) / "gold")
    print(f"{len(docs)} documents loaded in {time.time() - t0:.1f} s", file=sys.stderr)
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.protocol in ("split", "both"):
            test = [d for d in docs if d[0].stem in SPLIT_TEST]
            rest = [d for d in docs if d[0].stem not in SPLIT_TEST]
            totals = run_fold(rest, test, Path(tmp))
            out["split"] = {v: {k: s.to_json() for k, s in lists.items()} for v, lists in totals.items()}
            print(table("train: seeds + dev 02, 06, 07; test: dev 05, 08 (tp/fp/fn)", totals))
            print()
        if args.protocol in ("loo", "both"):
            totals = {}
            for i, held in enumerate(docs):
                merge(totals, run_fold(docs[:i] + docs[i + 1 :], [held], Path(tmp)))
                print(f"fold {i + 1}/{len(docs)} ({held[0].stem}) {time.time() - t0:.0f} s", file=sys.stderr)
            out["loo"] = {v: {k: s.to_json() for k, s in lists.items()} for v, lists in totals.items()}
            print(table(f"leave one document out over {len(docs)} documents (tp/fp/fn)", totals))
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
