"""Score extractions against gold annotations (docs/annotation.md, Scoring).

Gold files are matched to documents by file stem. Lists are scored per document and
micro-averaged: names after NFKC, whitespace and quote removal; strict and relaxed
(containment with the shorter at least half the longer, one-to-one) matching; measures by
key with relaxed heading check; responsible_for by (measure, unit) with role accuracy;
indicators as a multiset of (measure, value, unit) with comparator and year accuracy;
supports by (measure, target), relaxed on target.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.core.textview import norm_name

NAME_LISTS = {"departments": "name", "institutions": "name", "programs": "name", "cited_documents": "title"}
NAME_ATTRS = {"departments": "function", "institutions": "kind", "programs": "kind", "cited_documents": "doc_number"}
ALL_LISTS = (
    "measures",
    "departments",
    "institutions",
    "programs",
    "cited_documents",
    "responsible_for",
    "indicators",
    "supports",
)


def relaxed_equal(a: str, b: str) -> bool:
    """One contains the other and the shorter is at least half as long as the longer."""
    if not a or not b:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return short in long_ and 2 * len(short) >= len(long_)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    attrs: dict[str, list[int]] = field(default_factory=dict)  # name -> [correct, total]

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        for k, (c, t) in other.attrs.items():
            cur = self.attrs.setdefault(k, [0, 0])
            cur[0] += c
            cur[1] += t

    def declare(self, *names: str) -> Score:
        """Attributes reported even when nothing matched (as ``null``)."""
        for n in names:
            self.attrs.setdefault(n, [0, 0])
        return self

    def attr(self, name: str, correct: bool) -> None:
        cur = self.attrs.setdefault(name, [0, 0])
        cur[0] += int(correct)
        cur[1] += 1

    def to_json(self) -> dict[str, int | float | None]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if self.tp + self.fp + self.fn == 0:  # nothing expected, nothing predicted
            p = r = f1 = 1.0
        out: dict[str, int | float | None] = {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "p": round(p, 4),
            "r": round(r, 4),
            "f1": round(f1, 4),
        }
        for k, (c, t) in sorted(self.attrs.items()):
            out[k] = round(c / t, 4) if t else None
        return out


def _match(
    gold: list, pred: list, key: Callable, relaxed: bool, same_group: Callable = lambda g, p: True
) -> tuple[list[tuple[int, int]], int, int]:
    """One-to-one matching: exact pairs first, then (if relaxed) containment pairs.

    Returns matched index pairs, count of unmatched gold and of unmatched predictions.
    """
    gk = [key(g) for g in gold]
    pk = [key(p) for p in pred]
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    by_key: dict = {}
    for j, k in enumerate(pk):
        by_key.setdefault(k, []).append(j)
    for i, k in enumerate(gk):
        for j in by_key.get(k, []):
            if j not in used_p:
                used_g.add(i)
                used_p.add(j)
                pairs.append((i, j))
                break
    if relaxed:
        candidates = []
        for i, g in enumerate(gold):
            if i in used_g:
                continue
            for j, p in enumerate(pred):
                if j in used_p or not same_group(g, p):
                    continue
                a, b = gk[i][-1], pk[j][-1]
                if relaxed_equal(a, b):
                    candidates.append((-min(len(a), len(b)) / max(len(a), len(b)), i, j))
        for _, i, j in sorted(candidates):
            if i not in used_g and j not in used_p:
                used_g.add(i)
                used_p.add(j)
                pairs.append((i, j))
    return pairs, len(gold) - len(used_g), len(pred) - len(used_p)


def _num(v) -> float | None:
    try:
        return None if v is None else round(float(v), 6)
    except (TypeError, ValueError):
        return None


def score_document(gold: dict, pred: dict) -> dict[str, Score]:
    """Scores for every list of one document; ``pred`` has the gold file's shape."""
    out: dict[str, Score] = {}

    # measures: set of keys, heading checked relaxed
    g, p = gold.get("measures", []), pred.get("measures", [])
    pairs, fn, fp = _match(g, p, lambda m: (m["key"],), relaxed=False)
    s = Score(tp=len(pairs), fp=fp, fn=fn).declare("heading_accuracy")
    for i, j in pairs:
        s.attr(
            "heading_accuracy",
            relaxed_equal(norm_name(g[i].get("heading")), norm_name(p[j].get("heading")))
            or norm_name(g[i].get("heading")) == norm_name(p[j].get("heading")),
        )
    out["measures"] = s

    for lst, field_ in NAME_LISTS.items():
        g, p = gold.get(lst, []), pred.get(lst, [])
        attr = NAME_ATTRS[lst]
        for relaxed in (False, True):
            pairs, fn, fp = _match(g, p, lambda r, f=field_: (norm_name(r.get(f)),), relaxed)
            s = Score(tp=len(pairs), fp=fp, fn=fn).declare(f"{attr}_accuracy")
            for i, j in pairs:
                s.attr(f"{attr}_accuracy", norm_name(g[i].get(attr)) == norm_name(p[j].get(attr)))
            out[lst + ("_relaxed" if relaxed else "")] = s

    g, p = gold.get("responsible_for", []), pred.get("responsible_for", [])
    pairs, fn, fp = _match(g, p, lambda r: (r["measure"], norm_name(r["unit"])), relaxed=False)
    s = Score(tp=len(pairs), fp=fp, fn=fn).declare("role_accuracy")
    for i, j in pairs:
        s.attr("role_accuracy", g[i].get("role") == p[j].get("role"))
    out["responsible_for"] = s

    g, p = gold.get("indicators", []), pred.get("indicators", [])
    pairs, fn, fp = _match(
        g, p, lambda r: (r["measure"], _num(r.get("value")), norm_name(r.get("unit"))), relaxed=False
    )
    s = Score(tp=len(pairs), fp=fp, fn=fn).declare("comparator_accuracy", "year_accuracy")
    for i, j in pairs:
        s.attr("comparator_accuracy", g[i].get("comparator") == p[j].get("comparator"))
        s.attr("year_accuracy", g[i].get("year") == p[j].get("year"))
    out["indicators"] = s

    g, p = gold.get("supports", []), pred.get("supports", [])
    for relaxed in (False, True):
        pairs, fn, fp = _match(
            g,
            p,
            lambda r: (r["measure"], norm_name(r["target"])),
            relaxed,
            same_group=lambda a, b: a["measure"] == b["measure"],
        )
        out["supports" + ("_relaxed" if relaxed else "")] = Score(tp=len(pairs), fp=fp, fn=fn)
    return out


def score_metadata(gold: dict, pred: dict) -> dict[str, bool]:
    gm, pm = gold.get("metadata") or {}, pred.get("metadata") or {}
    out = {}
    for k in ("title", "doc_number", "issuer", "region", "admin_level", "date"):
        if k not in gm:
            continue
        gv, pv = gm.get(k), pm.get(k)
        out[k] = (pv is None) if gv is None else (pv is not None and norm_name(gv) == norm_name(pv))
    return out


@dataclass
class Report:
    micro: dict[str, Score] = field(default_factory=dict)
    documents: dict[str, dict[str, Score]] = field(default_factory=dict)
    metadata: dict[str, list[int]] = field(default_factory=dict)  # field -> [correct, total]
    metadata_by_doc: dict[str, dict[str, bool]] = field(default_factory=dict)
    unmatched_gold: list[str] = field(default_factory=list)

    def add(self, stem: str, gold: dict, pred: dict) -> None:
        scores = score_document(gold, pred)
        self.documents[stem] = scores
        for k, s in scores.items():
            self.micro.setdefault(k, Score()).add(s)
        meta = score_metadata(gold, pred)
        self.metadata_by_doc[stem] = meta
        for k, ok in meta.items():
            cur = self.metadata.setdefault(k, [0, 0])
            cur[0] += int(ok)
            cur[1] += 1

    def to_json(self) -> dict:
        return {
            "micro": {k: v.to_json() for k, v in self.micro.items()},
            "documents": {d: {k: v.to_json() for k, v in s.items()} for d, s in self.documents.items()},
            "metadata": {k: round(c / t, 4) if t else None for k, (c, t) in self.metadata.items()},
            "metadata_by_document": self.metadata_by_doc,
            "unmatched_gold": self.unmatched_gold,
        }

    def table(self) -> str:
        lines = _score_rows(self.micro)
        lines.append("")
        lines.append("metadata accuracy: " + "  ".join(f"{k}={c}/{t}" for k, (c, t) in self.metadata.items()))
        for stem, meta in self.metadata_by_doc.items():
            wrong = [k for k, ok in meta.items() if not ok]
            if wrong:
                lines.append(f"  {stem}: wrong {', '.join(wrong)}")
        return "\n".join(lines)

    def per_document_table(self) -> str:
        """The score table of every document, so a regression in one layout shows."""
        blocks = []
        for stem, scores in self.documents.items():
            meta = self.metadata_by_doc.get(stem, {})
            wrong = [k for k, ok in meta.items() if not ok]
            blocks.append(f"== {stem}" + (f"  (metadata wrong: {', '.join(wrong)})" if wrong else ""))
            blocks.extend(_score_rows(scores))
            blocks.append("")
        return "\n".join(blocks)


def _score_rows(scores: dict[str, Score]) -> list[str]:
    lines = [f"{'list':<26}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}  attributes"]
    for k in [k for lst in ALL_LISTS for k in (lst, lst + "_relaxed") if k in scores]:
        j = scores[k].to_json()
        attrs = "  ".join(f"{a}={v:.3f}" for a, v in j.items() if a.endswith("_accuracy") and v is not None)
        lines.append(f"{k:<26}{j['p']:>7.3f}{j['r']:>7.3f}{j['f1']:>7.3f}{j['tp']:>6}{j['fp']:>6}{j['fn']:>6}  {attrs}")
    return lines


def load_gold(gold_dir: str | Path) -> dict[str, dict]:
    """Gold annotations by file stem; raises ValueError naming a bad file."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise ValueError(f"{gold_dir}: gold directory not found")
    out = {}
    for f in sorted(gold_dir.glob("*.json")):
        try:
            out[f.stem] = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ValueError(f"{f}: cannot read gold annotation: {exc}") from None
    if not out:
        raise ValueError(f"{gold_dir}: no gold .json files")
    return out


def evaluate(gold: dict[str, dict], predictions: dict[str, dict]) -> Report:
    """Score predictions (stem → gold-shaped record) against gold (stem → record)."""
    report = Report()
    for stem in sorted(gold):
        if stem not in predictions:
            report.unmatched_gold.append(stem)
            continue
        report.add(stem, gold[stem], predictions[stem])
    return report
