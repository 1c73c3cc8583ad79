"""A learned tagger for institution and program names, to compare with the rules (issue 18).

A linear-chain CRF over the characters of a document's body labels each character ``B-INS``,
``I-INS``, ``B-PRG``, ``I-PRG`` or ``O``. Its features are the character and its neighbours,
the character's type, whether it stands inside “…” or 《…》, the generic lexicons the rules
use (institution suffixes, scheme heads, class nouns, division names, the verbs a name
starts after — never names from a gold file), and the rules' own reading of the character.

Training labels come from gold files: every occurrence of a gold name outside 《…》 in the
body is tagged (names compare after :func:`kg.core.textview.norm_name`, so a name quoted in
the text is found inside its quotes). Predicted spans become names the way the rules name
them (quotes round a whole name dropped), so the lists are scored by
:mod:`kg.evaluation.scoring` exactly as ``vetkg eval`` scores the rules.

``python-crfsuite`` is an optional dependency (``pip install vetkg[learn]``); it is imported
only when a model is trained or applied, never when this module is imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kg.core.lexicon import load_tsv, load_yaml
from kg.core.model import Extraction, Mention
from kg.core.regions import place_length_at
from kg.core.textview import norm_name
from kg.extraction.context import DocContext
from kg.extraction.institutions import kind_of as institution_kind
from kg.extraction.programs import kind_of as program_kind
from kg.extraction.supports import find_supports

LABELS = ("INS", "PRG")
_ENTITY = {"INS": "institution", "PRG": "program"}
_LIST = {"INS": "institutions", "PRG": "programs"}
_SENTENCE_RE = re.compile(r"[^。；;！？!?\n]*[。；;！？!?\n]?")
_SKIP_RE = re.compile(r"[\s“”‘’\"'《》]")


def _alternation(words: Iterable[str]) -> re.Pattern:
    return re.compile("|".join(sorted(map(re.escape, set(words)), key=len, reverse=True)))


@lru_cache(maxsize=1)
def _lexicons() -> dict[str, tuple[re.Pattern, dict[str, str]]]:
    """Generic word lists the rules use, each as one pattern with a class per word."""
    inst = load_yaml("institutions.yaml")
    generic = load_yaml("generic_heads.yaml")
    prog = load_yaml("programs.yaml")
    suffix_kind = {s: kind for kind, items in inst["suffixes"].items() for s in items}
    head_kind = {**prog["quoted_only_heads"], **prog["heads"]}
    classes = {w: "class" for w in [*generic["class_nouns"], *inst["generic_classes"]]}
    soft = {w: "soft" for w in inst["soft_boundaries"]}
    starts = {w: "start" for w in inst["specific_starts"]}
    lexicon = {r["name"]: "lexicon" for r in load_tsv("programs_lexicon.tsv")}
    tables = {
        "isuf": suffix_kind,
        "phead": head_kind,
        "class": classes,
        "soft": soft,
        "start": starts,
        "plex": lexicon,
    }
    return {k: (_alternation(v), v) for k, v in tables.items()}


def _marks(text: str, a: int, b: int, rules: Sequence[tuple[int, int, str]]) -> list[list[str]]:
    """Per character of ``text[a:b]``: lexicon and rule features that depend on more than the
    character's neighbours."""
    n = b - a
    marks: list[list[str]] = [[] for _ in range(n)]
    for name, (pattern, classes) in _lexicons().items():
        for m in pattern.finditer(text, a, b):
            s, e = m.start() - a, m.end() - a
            cls = classes[m.group()]
            marks[s].append(f"{name}B")
            for k in range(s + 1, e - 1):
                marks[k].append(f"{name}I")
            marks[e - 1].append(f"{name}E={cls}")
            if e < n:
                marks[e].append(f"{name}>")  # right after the word (a name may start here)
    i = a
    while i < b:
        length = place_length_at(text, i)
        if length:
            marks[i - a].append("placeB")
            for k in range(i + 1, min(b, i + length)):
                marks[k - a].append("placeI")
            i += length
        else:
            i += 1
    for ra, rb, label in rules:
        if rb <= a or ra >= b:
            continue
        for k in range(max(ra, a), min(rb, b)):
            marks[k - a].append(("r=B-" if k == ra else "r=I-") + label)
    return marks


def _kind_of_char(ch: str) -> str:
    if "\u4e00" <= ch <= "\u9fff":
        return "H"
    if ch.isdigit():
        return "D"
    if ch.isascii() and ch.isalpha():
        return "L"
    if ch in "“”\"'‘’":
        return "Q"
    if ch in "()（）[]【】":
        return "P"
    return "S"


def _inside(text: str, a: int, b: int, opening: str, closing: str) -> list[bool]:
    """Whether each character of ``text[a:b]`` stands inside an opening/closing pair."""
    out = []
    depth = 0
    for ch in text[a:b]:
        if ch == closing and opening != closing:
            depth = max(0, depth - 1)
        out.append(depth > 0)
        if ch == opening and opening != closing:
            depth += 1
        elif ch == "\n":
            depth = 0
    return out


def features(text: str, a: int, b: int, rules: Sequence[tuple[int, int, str]] = ()) -> list[list[str]]:
    """Feature strings of every character of ``text[a:b]`` (one sentence)."""
    marks = _marks(text, a, b, rules)
    quoted = _inside(text, a, b, "“", "”")
    titled = _inside(text, a, b, "《", "》")
    out = []
    pad = "\x02" * 3 + text[a:b] + "\x03" * 3
    for k in range(b - a):
        c = k + 3
        f = [
            "bias",
            "c=" + pad[c],
            "c-1=" + pad[c - 1],
            "c+1=" + pad[c + 1],
            "c-2=" + pad[c - 2],
            "c+2=" + pad[c + 2],
            "c-3=" + pad[c - 3],
            "c+3=" + pad[c + 3],
            "b-1=" + pad[c - 1 : c + 1],
            "b+1=" + pad[c : c + 2],
            "b-2=" + pad[c - 2 : c],
            "b+2=" + pad[c + 1 : c + 3],
            "t=" + _kind_of_char(pad[c]),
            "t-1=" + _kind_of_char(pad[c - 1]) + _kind_of_char(pad[c]),
        ]
        if quoted[k]:
            f.append("inq")
        if titled[k]:
            f.append("int")
        f.extend(marks[k])
        out.append(f)
    return out


def sentences(ctx: DocContext) -> Iterator[tuple[int, int]]:
    """View ranges of the body's sentences (the CRF's sequences)."""
    for m in _SENTENCE_RE.finditer(ctx.text, ctx.body_start, ctx.body_end):
        if m.end() > m.start() and ctx.text[m.start() : m.end()].strip():
            yield m.start(), m.end()


def gold_spans(ctx: DocContext, gold: dict) -> list[tuple[int, int, str]]:
    """View ranges of every occurrence of a gold institution or program name in the body,
    outside 《…》; longer names first, no overlaps."""
    text = ctx.text
    kept: list[int] = []  # view index of each kept character
    chars: list[str] = []
    for i in range(ctx.body_start, ctx.body_end):
        if not _SKIP_RE.match(text[i]):
            kept.append(i)
            chars.append(text[i])
    flat = "".join(chars)
    names: list[tuple[str, str]] = []
    for label in LABELS:
        for record in gold.get(_LIST[label], []):
            name = norm_name(record.get("name"))
            if len(name) >= 2:
                names.append((name, label))
    taken = [False] * len(text)
    out = []
    for name, label in sorted(set(names), key=lambda t: (-len(t[0]), t[0], t[1])):
        for m in re.finditer(re.escape(name), flat):
            a, b = kept[m.start()], kept[m.end() - 1] + 1
            if ctx.in_title(a, b) or any(taken[a:b]):
                continue
            for k in range(a, b):
                taken[k] = True
            out.append((a, b, label))
    return sorted(out)


def bio(a: int, b: int, spans: Sequence[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * (b - a)
    for sa, sb, label in spans:
        if sb <= a or sa >= b:
            continue
        for k in range(max(sa, a), min(sb, b)):
            tags[k - a] = ("B-" if k == sa else "I-") + label
    return tags


def rule_spans(ctx: DocContext, extraction: Extraction) -> list[tuple[int, int, str]]:
    out = []
    for m in extraction.mentions:
        if m.entity in ("institution", "program"):
            a, b = ctx.view.to_view(m.span)
            out.append((a, b, "INS" if m.entity == "institution" else "PRG"))
    return out


@dataclass
class Sample:
    """One document ready for the CRF: its context, the rules' extraction, and (when gold is
    known) the gold spans."""

    stem: str
    ctx: DocContext
    extraction: Extraction
    gold: dict | None = None
    use_rules: bool = True

    def sequences(self) -> Iterator[tuple[int, int, list[list[str]], list[str]]]:
        rules = rule_spans(self.ctx, self.extraction) if self.use_rules else []
        spans = gold_spans(self.ctx, self.gold) if self.gold else []
        for a, b in sentences(self.ctx):
            yield a, b, features(self.ctx.text, a, b, rules), bio(a, b, spans)


def train(samples: Iterable[Sample], model_path: str, c1: float = 0.05, c2: float = 0.01, iterations: int = 150):
    """Train a CRF on the samples' gold spans and write it to ``model_path``."""
    import pycrfsuite  # optional: vetkg[learn]

    trainer = pycrfsuite.Trainer(verbose=False)
    for sample in samples:
        for _, _, xseq, yseq in sample.sequences():
            trainer.append(xseq, yseq)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True})
    trainer.train(model_path)


def _spans_of(a: int, tags: Sequence[str]) -> Iterator[tuple[int, int, str]]:
    start, label = None, None
    for k, tag in enumerate([*tags, "O"]):
        if start is not None and (tag == "O" or tag.startswith("B-") or tag[2:] != label):
            yield a + start, a + k, label or ""
            start, label = None, None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, label = k, tag[2:]
    return


def predict_spans(sample: Sample, model_path: str) -> list[tuple[int, int, str]]:
    import pycrfsuite  # optional: vetkg[learn]

    tagger = pycrfsuite.Tagger()
    tagger.open(model_path)
    out: list[tuple[int, int, str]] = []
    try:
        for a, _, xseq, _ in sample.sequences():
            out.extend(_spans_of(a, tagger.tag(xseq)))
    finally:
        tagger.close()
    return out


def mentions(ctx: DocContext, spans: Iterable[tuple[int, int, str]]) -> list[Mention]:
    """Spans as institution and program mentions named as the rules name them."""
    out = []
    for a, b, label in spans:
        if ctx.in_title(a, b):
            continue
        name = ctx.original(a, b).strip()
        if name[:1] == "“" and name[-1:] == "”" and name.count("“") == 1:
            name = name[1:-1]
        if len(norm_name(name)) < 2:
            continue
        if label == "INS":
            out.append(ctx.mention("institution", a, b, name=name, kind=institution_kind(name) or "other"))
        else:
            out.append(ctx.mention("program", a, b, name=name, kind=program_kind(name)))
    return out


def replace_names(annotation: dict, ctx: DocContext, found: Sequence[Mention]) -> dict:
    """``annotation`` (gold-shaped) with its institutions, programs and supports recomputed from
    the mentions ``found`` (the CRF's, the rules', or both for a union)."""
    out: dict[str, Any] = dict(annotation)
    for label in LABELS:
        records: list[dict] = []
        seen: set[str] = set()
        for m in found:
            if m.entity == _ENTITY[label] and norm_name(m.name) not in seen:
                seen.add(norm_name(m.name))
                records.append({"name": m.name, "kind": m.attrs.get("kind")})
        out[_LIST[label]] = records
    unique = list({(m.span, m.entity): m for m in found}.values())  # a union repeats spans
    pairs = {(r.measure, r.object) for r in find_supports(ctx, unique)}
    out["supports"] = [{"measure": m, "target": t} for m, t in sorted(pairs, key=lambda p: (str(p[0]), p[1]))]
    return out
