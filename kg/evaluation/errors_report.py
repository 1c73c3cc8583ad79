"""The error loop: every false positive and false negative of every list, per document,
with the sentence it came from and a *shape* to count errors by.

A rule is judged on what it breaks as well as what it fixes: the score table says how
many, this report says which and where. Errors are grouped by shape (the name's head,
the indicator's unit and number form, ``near`` when the strict miss has a relaxed
partner, ``other measure`` when the same record sits under another key), so a family of
errors shows as one line with a count.

Matching is the scorer's own (``kg.evaluation.scoring``), strict on names.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from kg.core.model import Document, Extraction
from kg.core.textview import norm_name
from kg.evaluation.annotation import as_annotation
from kg.evaluation.scoring import ALL_LISTS, NAME_ATTRS, NAME_LISTS, _match, _num, relaxed_equal

_SENTENCE_END_RE = re.compile(r"[。！？!?；;\n]")
_CN_DIGITS_RE = re.compile(r"[零〇一二两三四五六七八九十百千万]")


@dataclass(frozen=True)
class ListError:
    """One false positive (``fp``: predicted, not in gold) or false negative (``fn``)."""

    doc: str
    list: str
    kind: str  # "fp" or "fn"
    item: str  # the record in one line: a name, "3.2 10 %", "1.1 市教育局"
    shape: str  # what to count it by
    sentence: str  # the sentence it came from (fp) or where gold's text is (fn); "" if not found
    record: dict = field(hash=False, compare=False)


@dataclass
class ErrorReport:
    errors: list[ListError] = field(default_factory=list)

    def of(self, list_name: str, kind: str | None = None) -> list[ListError]:
        return [e for e in self.errors if e.list == list_name and (kind is None or e.kind == kind)]

    def by_shape(self) -> Counter[tuple[str, str, str]]:
        """Counts per (list, fp|fn, shape)."""
        return Counter((e.list, e.kind, e.shape) for e in self.errors)

    def shape_table(self, limit: int = 8) -> str:
        """Per list and error kind, the commonest shapes with their counts."""
        counts = self.by_shape()
        lines = []
        for lst in ALL_LISTS:
            for kind in ("fp", "fn"):
                rows = sorted(((n, s) for (l_, k, s), n in counts.items() if l_ == lst and k == kind), reverse=True)
                if not rows:
                    continue
                total = sum(n for n, _ in rows)
                shown = ", ".join(f"{s} {n}" for n, s in rows[:limit])
                more = f", … {len(rows) - limit} more shapes" if len(rows) > limit else ""
                lines.append(f"{lst:<18}{kind}{total:>5}  {shown}{more}")
        return "\n".join(lines)

    def table(self) -> str:
        """Every error, document by document and list by list, then the counts by shape."""
        lines: list[str] = []
        for doc in sorted({e.doc for e in self.errors}):
            lines.append(f"== {doc}")
            for lst in ALL_LISTS:
                for e in sorted(self.of(lst), key=lambda e: (e.kind, e.item)):
                    if e.doc != doc:
                        continue
                    lines.append(f"  {e.list:<16}{e.kind}  {e.item}  [{e.shape}]")
                    if e.sentence:
                        lines.append(f"      {e.sentence}")
        lines.append("== errors by shape")
        lines.append(self.shape_table())
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {
            "errors": [asdict(e) for e in self.errors],
            "by_shape": [
                {"list": lst, "kind": kind, "shape": shape, "count": n}
                for (lst, kind, shape), n in sorted(self.by_shape().items())
            ],
        }


def error_report(gold: Mapping[str, dict], extractions: Mapping[str, Extraction]) -> ErrorReport:
    """False positives and negatives of ``extractions`` (doc id → extraction) against
    ``gold`` (file stem → gold record), for the documents present in both."""
    report = ErrorReport()
    for stem in sorted(gold):
        ex = extractions.get(stem)
        if ex is None:
            continue
        report.errors.extend(_document_errors(stem, gold[stem], as_annotation(ex), _Locator(ex)))
    return report


# --- one document ----------------------------------------------------------------------


def _document_errors(stem: str, gold: dict, pred: dict, where: _Locator) -> list[ListError]:
    out: list[ListError] = []
    for lst in ALL_LISTS:
        g, p = gold.get(lst) or [], pred.get(lst) or []
        pairs, _, _ = _match(g, p, lambda r, lst=lst: _key(lst, r), relaxed=False)
        matched_g = {i for i, _ in pairs}
        matched_p = {j for _, j in pairs}
        missed = [r for i, r in enumerate(g) if i not in matched_g]
        extra = [r for j, r in enumerate(p) if j not in matched_p]
        for kind, records, others in (("fp", extra, missed), ("fn", missed, extra)):
            for r in records:
                out.append(
                    ListError(
                        doc=stem,
                        list=lst,
                        kind=kind,
                        item=_item(lst, r),
                        shape=_shape(lst, r, others),
                        sentence=where.sentence(lst, r, predicted=kind == "fp"),
                        record=r,
                    )
                )
    return out


def _name_of(lst: str, r: dict) -> str:
    return str(r.get(NAME_LISTS[lst]) or "")


def _key(lst: str, r: dict) -> tuple:
    """What the scorer compares for a record of ``lst`` (strict)."""
    if lst == "measures":
        return (r["key"],)
    if lst == "responsible_for":
        return (r.get("measure"), norm_name(r.get("unit")))
    if lst == "indicators":
        return (r.get("measure"), _num(r.get("value")), norm_name(r.get("unit")))
    if lst == "supports":
        return (r.get("measure"), norm_name(r.get("target")))
    return (norm_name(_name_of(lst, r)),)


def _item(lst: str, r: dict) -> str:
    """A record in one line."""
    if lst == "measures":
        return f"{r['key']} {r.get('heading') or ''}".strip()
    if lst == "responsible_for":
        return f"{r.get('measure')} {r.get('unit')} ({r.get('role')})"
    if lst == "indicators":
        high = f"–{r['value_max']}" if r.get("value_max") is not None else ""
        return f"{r.get('measure')} {r.get('value')}{high} {r.get('unit')}  «{r.get('text') or ''}»"
    if lst == "supports":
        return f"{r.get('measure')} {r.get('target')}"
    attr = NAME_ATTRS[lst]
    return _name_of(lst, r) + (f" ({r[attr]})" if attr in r else "")


def _head(name: str) -> str:
    """The last two characters: in Chinese names the head noun (…计划, …学院, …平台)."""
    name = norm_name(name)
    return "…" + name[-2:] if name else "(empty)"


def _measure_shape(key: str) -> str:
    """P.0, P.S, P.S.I, 0.0 (a goal block) or T (a task-list row)."""
    if key.startswith("T") or key == "0.0":
        return key[0] if key.startswith("T") else key
    depth = key.count(".")
    if depth == 1 and key.endswith(".0"):
        return "P.0"
    return {1: "P.S", 2: "P.S.I"}.get(depth, "other")


def _shape(lst: str, r: dict, others: list[dict]) -> str:
    """What this error has in common with others like it."""
    if lst == "measures":
        return _measure_shape(str(r["key"]))
    if lst in NAME_LISTS:
        name = norm_name(_name_of(lst, r))
        if any(relaxed_equal(name, norm_name(_name_of(lst, o))) for o in others):
            return "near " + _head(name)
        return _head(name)
    if lst == "responsible_for":
        if any(norm_name(o.get("unit")) == norm_name(r.get("unit")) for o in others):
            return "other measure"
        return _head(str(r.get("unit") or ""))
    if lst == "supports":
        target = norm_name(r.get("target"))
        if any(norm_name(o.get("target")) == target for o in others):
            return "other measure"
        if any(
            o.get("measure") == r.get("measure") and relaxed_equal(target, norm_name(o.get("target"))) for o in others
        ):
            return "near " + _head(target)
        return _head(target)
    # indicators
    same = (_num(r.get("value")), norm_name(r.get("unit")))
    if any((_num(o.get("value")), norm_name(o.get("unit"))) == same for o in others):
        return "other measure"
    if any(o.get("measure") == r.get("measure") and _num(o.get("value")) == same[0] for o in others):
        return "unit " + str(r.get("unit"))
    form = "range" if r.get("value_max") is not None else "value"
    text = str(r.get("text") or "")
    if _CN_DIGITS_RE.search(text) and not re.search(r"\d", text):
        form += " in words"
    return f"{form} {r.get('unit')}"


class _Locator:
    """Finds the sentence behind a record: the extraction's own provenance for what was
    predicted, a search of the document (inside the record's measure when it has one)
    for what gold expected."""

    def __init__(self, ex: Extraction):
        self.doc: Document = ex.document
        self.text = self.doc.view.text
        self.measure_ranges = {m.key: self.doc.view.to_view(m.span) for m in ex.parsed.measures}
        self.mention_sentences: dict[tuple[str, str], str] = {}
        for m in ex.mentions:
            self.mention_sentences.setdefault((m.entity, norm_name(m.name)), self.doc.slice(m.sentence))
            if m.entity == "indicator":
                key = (m.measure, _num(m.attrs.get("value")), norm_name(m.attrs.get("unit")))
                self.mention_sentences.setdefault(("indicator", repr(key)), self.doc.slice(m.sentence))
        self.relation_sentences: dict[tuple[str, str | None, str], str] = {}
        for rel in ex.relations:
            name = rel.subject if rel.predicate == "responsible_for" else rel.object
            self.relation_sentences.setdefault(
                (rel.predicate, rel.measure, norm_name(name)), self.doc.slice(rel.sentence)
            )

    def sentence(self, lst: str, r: dict, predicted: bool) -> str:
        if predicted:
            found = self._provenance(lst, r)
            if found:
                return found
        needle, measure = self._needle(lst, r)
        return self._search(needle, measure)

    def _provenance(self, lst: str, r: dict) -> str | None:
        if lst in NAME_LISTS:
            entity = {"departments": "department", "institutions": "institution", "programs": "program"}.get(
                lst, "cited_document"
            )
            return self.mention_sentences.get((entity, norm_name(_name_of(lst, r))))
        if lst == "indicators":
            key = (r.get("measure"), _num(r.get("value")), norm_name(r.get("unit")))
            return self.mention_sentences.get(("indicator", repr(key)))
        if lst == "responsible_for":
            return self.relation_sentences.get(("responsible_for", r.get("measure"), norm_name(r.get("unit"))))
        if lst == "supports":
            return self.relation_sentences.get(("supports", r.get("measure"), norm_name(r.get("target"))))
        return None

    @staticmethod
    def _needle(lst: str, r: dict) -> tuple[str, str | None]:
        if lst == "measures":
            return str(r.get("heading") or ""), None
        if lst in NAME_LISTS:
            return _name_of(lst, r), None
        if lst == "indicators":
            return str(r.get("text") or r.get("subject") or ""), r.get("measure")
        if lst == "responsible_for":
            return str(r.get("unit") or ""), r.get("measure")
        return str(r.get("target") or ""), r.get("measure")

    def _search(self, needle: str, measure: str | None) -> str:
        needle = norm_name(needle)
        if not needle:
            return ""
        lo, hi = self.measure_ranges.get(measure or "", (0, len(self.text)))
        for a, b in ((lo, hi), (0, len(self.text))):
            i = _find_loose(self.text, needle, a, b)
            if i >= 0:
                return self._sentence_at(i)
        return ""

    def _sentence_at(self, pos: int) -> str:
        a = pos
        while a > 0 and not _SENTENCE_END_RE.match(self.text[a - 1]):
            a -= 1
        b = pos
        while b < len(self.text) and not _SENTENCE_END_RE.match(self.text[b]):
            b += 1
        return self.doc.slice(self.doc.view.to_original(a, min(b + 1, len(self.text)))).strip()


def _find_loose(text: str, needle: str, a: int, b: int) -> int:
    """Position of ``needle`` in ``text[a:b]`` ignoring quotes and spaces in the text."""
    i = text.find(needle, a, b)
    if i >= 0:
        return i
    pattern = r"[\s“”‘’\"'《》]*".join(map(re.escape, needle))
    m = re.compile(pattern).search(text, a, b)
    return m.start() if m else -1
