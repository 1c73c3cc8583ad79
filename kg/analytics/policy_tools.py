"""Policy-tool coding per measure (Rothwell–Zegveld: supply, environment, demand) and the
tool × stakeholder matrix, per document and per region.

Researchers code policy tools by hand, clause by clause, in NVivo; here a lexicon kept as
data (``kg/data/policy_tools.yaml``: tool → category → trigger patterns; the
stakeholders a measure addresses in ``kg/data/stakeholders.yaml``) codes every measure of
the graph, and every code keeps the words that triggered it as a span into the document
text, so a reader can check each one. A researcher edits the YAML (or passes their own
file) to change the coding.

Read from the store like the other analytics (:mod:`kg.analytics.source`): a measure's
text is the quoted evidence of its ``vet:partOf``, with its start offset, so spans are
offsets into the document as read. :func:`code_text` codes any text (a parsed document's
measures, a hand-coded fixture), and :func:`agreement` compares the lexicon with a hand
coding (Cohen's κ per tool category and per tool).
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from kg.analytics.fonts import use_cjk_font
from kg.analytics.projections import DCT, PROV, SKOS, _index
from kg.core import lazy
from kg.core.atomic import write_text_atomic
from kg.core.csvtext import rows_to_csv
from kg.core.lexicon import load_yaml
from kg.core.memo import Memo, text_key
from kg.errors import DocumentError, VetkgError
from kg.rdf.ontology import VET
from kg.store.joins import scans

TOOLS_FILE = "policy_tools.yaml"
STAKEHOLDERS_FILE = "stakeholders.yaml"
CATEGORIES = ("supply", "environment", "demand")
_HEADING_END = re.compile(r"[。\n]")
_MARKER = re.compile(
    r"^\s*(?:[(（][一二三四五六七八九十百\d]+[)）]|[一二三四五六七八九十百]+、|\d+[.．、]|第[一二三四五六七八九十百\d]+条)\s*"
)


# --- the lexicons ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One code of a lexicon (a tool, or a stakeholder dimension): its triggers in one
    regular expression, and what cancels them."""

    name: str
    group: str  # the tool's category; a dimension's own name
    en: str
    zh: str
    definition: str
    trigger: re.Pattern
    exclude: re.Pattern | None


@dataclass(frozen=True)
class Lexicon:
    """Codes with their triggers, spans never read, and heading rules (see the YAML)."""

    entries: tuple[Entry, ...]
    ignore: re.Pattern | None
    only: tuple[tuple[re.Pattern, tuple[str, ...]], ...]
    groups: dict[str, dict[str, str]]  # category → {zh, en}
    source: str

    def entry(self, name: str) -> Entry:
        for e in self.entries:
            if e.name == name:
                return e
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [e.name for e in self.entries]


def _compile(patterns: Sequence[str], where: str, source: str) -> re.Pattern | None:
    if not patterns:
        return None
    if isinstance(patterns, str) or not all(isinstance(p, str) for p in patterns):
        raise VetkgError(f"{source}: {where} must be a list of regular expressions (strings)")
    for p in patterns:
        try:
            re.compile(p)
        except re.error as exc:
            raise VetkgError(
                f"{source}: the pattern {p!r} of {where} is not a valid regular expression ({exc})"
            ) from None
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _read(path: str | Path | None, default: str) -> tuple[dict, str]:
    if path is None:
        return load_yaml(default), f"kg/data/{default}"
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DocumentError(str(p), f"cannot read the lexicon ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise DocumentError(str(p), f"the lexicon is not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise DocumentError(str(p), "the lexicon must be a YAML mapping")
    return data, str(p)


def load_tools(path: str | Path | None = None) -> Lexicon:
    """The policy-tool lexicon: ``kg/data/policy_tools.yaml``, or a researcher's own file."""
    if path is None:
        return _default_tools()
    return _tools(*_read(path, TOOLS_FILE))


@cache
def _default_tools() -> Lexicon:
    return _tools(*_read(None, TOOLS_FILE))


def _tools(data: dict, source: str) -> Lexicon:
    groups = data.get("categories") or {c: {"zh": c, "en": c} for c in CATEGORIES}
    entries = []
    for name, spec in (data.get("tools") or {}).items():
        if not isinstance(spec, dict) or spec.get("category") not in groups:
            raise VetkgError(f"{source}: the tool {name!r} needs a category, one of {', '.join(groups)}")
        trigger = _compile(spec.get("patterns") or [], f"the tool {name!r}", source)
        if trigger is None:
            raise VetkgError(f"{source}: the tool {name!r} has no trigger patterns")
        entries.append(
            Entry(
                name=str(name),
                group=spec["category"],
                en=str(spec.get("en", name)),
                zh=str(name),
                definition=str(spec.get("definition", "")),
                trigger=trigger,
                exclude=_compile(spec.get("exclude") or [], f"the exclusions of {name!r}", source),
            )
        )
    if not entries:
        raise VetkgError(f"{source}: the lexicon defines no tools")
    names = {e.name for e in entries}
    only = []
    for rule in data.get("only") or []:
        tools = tuple(rule.get("tools") or ())
        unknown = [t for t in tools if t not in names]
        if unknown:
            raise VetkgError(f"{source}: an `only` rule names unknown tools: {', '.join(unknown)}")
        heading = _compile([rule.get("heading", "")], "an `only` rule", source)
        if heading is not None:
            only.append((heading, tools))
    return Lexicon(
        tuple(entries),
        _compile(data.get("ignore") or [], "`ignore`", source),
        tuple(only),
        {k: dict(v) for k, v in groups.items()},
        source,
    )


def load_stakeholders(path: str | Path | None = None) -> Lexicon:
    """The stakeholder lexicon (the matrix's dimensions): ``kg/data/stakeholders.yaml``,
    or a researcher's own file."""
    if path is None:
        return _default_stakeholders()
    return _stakeholders(*_read(path, STAKEHOLDERS_FILE))


@cache
def _default_stakeholders() -> Lexicon:
    return _stakeholders(*_read(None, STAKEHOLDERS_FILE))


def _stakeholders(data: dict, source: str) -> Lexicon:
    entries = []
    for name, spec in (data.get("dimensions") or {}).items():
        trigger = _compile((spec or {}).get("patterns") or [], f"the dimension {name!r}", source)
        if trigger is None:
            raise VetkgError(f"{source}: the dimension {name!r} has no trigger patterns")
        entries.append(
            Entry(
                name=str(name),
                group=str(name),
                en=str(spec.get("en", name)),
                zh=str(spec.get("zh", name)),
                definition=str(spec.get("definition", "")),
                trigger=trigger,
                exclude=_compile(spec.get("exclude") or [], f"the exclusions of {name!r}", source),
            )
        )
    if not entries:
        raise VetkgError(f"{source}: the lexicon defines no dimensions")
    groups = {e.name: {"zh": e.zh, "en": e.en} for e in entries}
    return Lexicon(tuple(entries), _compile(data.get("ignore") or [], "`ignore`", source), (), groups, source)


# --- coding a text ----------------------------------------------------------------------------


class Code(NamedTuple):
    """One trigger: the code (tool or dimension), its group (category), and the
    ``[start, end)`` offsets of the words that triggered it. A named tuple: a report
    makes one for every trigger of every measure (hundreds of thousands), and a frozen
    dataclass costs several times as much to make."""

    name: str
    group: str
    start: int
    end: int
    trigger: str


def heading_span(text: str) -> tuple[int, int]:
    """Where a measure's heading sits in its text: after the outline number, up to the
    first 。 or line end."""
    m = _MARKER.match(text)
    start = m.end() if m else 0
    end = _HEADING_END.search(text, start)
    return start, end.start() if end else len(text)


def code_text(text: str, lexicon: Lexicon | None = None, offset: int = 0) -> list[Code]:
    """Every trigger of ``lexicon`` (default: the policy tools) in ``text``, offsets
    shifted by ``offset`` (the text's start in its document), in reading order."""
    lex = lexicon or load_tools()
    h_start, h_end = heading_span(text)
    for heading, tools in lex.only:
        hit = heading.search(text, h_start, h_end)
        if hit:
            return [Code(t, lex.entry(t).group, offset + hit.start(), offset + hit.end(), hit.group()) for t in tools]
    original = text
    if lex.ignore is not None:  # blank the ignored spans, keeping every offset
        text = lex.ignore.sub(lambda m: "\0" * len(m.group()), text)
    out = []
    for e in lex.entries:
        hits = [(m.start(), m.end()) for m in e.trigger.finditer(text) if m.end() > m.start()]
        if not hits:
            continue
        if e.exclude is not None:
            cancelled = [(m.start(), m.end()) for m in e.exclude.finditer(text)]
            hits = [(s, t) for s, t in hits if not any(a <= s and t <= b for a, b in cancelled)]
        out += [Code(e.name, e.group, offset + s, offset + t, original[s:t]) for s, t in hits]
    out.sort(key=lambda c: (c.start, c.end, c.name))
    return out


# --- the measures of the graph ------------------------------------------------------------------


@dataclass(slots=True)
class MeasureText:
    """A measure as the analytics see it: IRI, key, document (IRI, file stem, title),
    region, and its text with the offset where it starts in the document. (Slots: the
    build's corpus step holds one per measure of the corpus.)"""

    measure: str
    key: str
    document: str
    doc_id: str
    title: str
    region: str
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class DocumentFacts:
    """What the tables say of a built document: file stem, title, region, year issued."""

    doc_id: str
    title: str
    region: str
    year: int | None


def document_facts(graph) -> dict[str, DocumentFacts]:
    """Document IRI → its facts, for the built documents (index scans and one label
    lookup per region: never every label of a large store)."""
    ix = _index(graph)
    src = ix.source
    corpus = set(ix.documents)
    stems = {d: s for d, s in src.pairs(VET + "sourceId") if d in corpus}
    titles = {d: t for d, t in src.pairs(DCT + "title") if d in corpus}
    issued = {d: t for d, t in src.pairs(DCT + "issued") if d in corpus}
    regions = {d: r for d, r in src.pairs(VET + "jurisdiction") if d in corpus}
    region_label = {r: str(src.value(r, SKOS + "prefLabel") or "") for r in set(regions.values())}
    return {
        d: DocumentFacts(
            str(stems.get(d, "")),
            str(titles.get(d, "")),
            region_label.get(regions.get(d, ""), ""),
            year_of(issued.get(d)),
        )
        for d in corpus
    }


def year_of(value) -> int | None:
    """The year of a date (``2021-12-04``) or year literal; None when there is none."""
    text = str(value or "")[:4]
    return int(text) if text.isdigit() else None


def evidence_of(graph, assertion_class: str) -> list[tuple[str, str, str, int]]:
    """``(subject, object, quote, start)`` of every assertion of one class (``Inclusion``,
    ``Targeting`` …): one lean query, without the sentences and roles that
    :meth:`kg.analytics.source.OxigraphSource.assertions` also reads."""
    ix = _index(graph)
    assertion = scans(
        "?a",
        ("a", f"vet:{assertion_class}"),
        ("vet:assertedSubject", "?s"),
        ("vet:assertedObject", "?o"),
        ("prov:wasDerivedFrom", "?ev"),
    )
    query = f"""PREFIX vet: <{VET}> PREFIX prov: <{PROV}>
    SELECT ?s ?o ?quote ?start WHERE {{
      {assertion}
      {scans("?ev", ("vet:quote", "?quote"), ("vet:startOffset", "?start"))} }}"""
    rows = [(r["s"].value, r["o"].value, r["quote"].value, int(r["start"].value)) for r in ix.source.store.query(query)]
    rows.sort()  # the same order whatever plan the store chose
    return rows


def measure_texts(graph, facts: dict[str, DocumentFacts] | None = None) -> list[MeasureText]:
    """Every measure of the built documents with its text (the evidence of its
    ``vet:partOf``), in document and reading order; ``facts``, the documents' facts when
    already read (:func:`document_facts`)."""
    ix = _index(graph)
    keys = ix.values(VET + "measureKey")
    facts = document_facts(ix) if facts is None else facts
    out = []
    for measure, doc, quote, start in evidence_of(ix, "Inclusion"):
        f = facts.get(doc)
        if f is None:
            continue
        out.append(MeasureText(measure, str(keys.get(measure, "")), doc, f.doc_id, f.title, f.region, start, quote))
    out.sort(key=lambda m: (m.doc_id, m.start, m.measure))
    return out


@dataclass
class MeasureCoding:
    """A measure with its policy-tool codes and the stakeholders it addresses."""

    measure: MeasureText
    tools: list[Code] = field(default_factory=list)
    stakeholders: list[Code] = field(default_factory=list)

    def tool_names(self) -> list[str]:
        return sorted({c.name for c in self.tools})

    def dimensions(self) -> list[str]:
        return sorted({c.name for c in self.stakeholders})


def code_measures(
    graph,
    tools: Lexicon | None = None,
    stakeholders: Lexicon | None = None,
    memo: Memo | None = None,
) -> list[MeasureCoding]:
    """Every measure of the graph coded with ``tools`` and ``stakeholders`` (the
    lexicons in kg/data by default). ``graph`` may also be a list of
    :class:`MeasureText` (measures read once, coded with several lexicons). ``memo``:
    the codes of texts coded before (:mod:`kg.core.memo`), used only for the default
    lexicons (whose files the memo's salt covers)."""
    tools = tools or load_tools()
    stakeholders = stakeholders or load_stakeholders()
    measures = graph if isinstance(graph, list) else measure_texts(graph)
    if memo is None or tools is not load_tools() or stakeholders is not load_stakeholders():
        return [
            MeasureCoding(m, code_text(m.text, tools, m.start), code_text(m.text, stakeholders, m.start))
            for m in measures
        ]
    out = []
    for m in measures:
        key = text_key(m.text)
        coded = _held_codes(memo.get(POLICY_CODES, key), m.start)
        if coded is None:
            coded = code_text(m.text, tools, m.start), code_text(m.text, stakeholders, m.start)
            shift = m.start  # kept at offset 0: the same text elsewhere has the same codes
            memo.put(
                POLICY_CODES,
                key,
                [[[c.name, c.group, c.start - shift, c.end - shift, c.trigger] for c in cs] for cs in coded],
            )
        tool_codes, stakeholder_codes = coded
        out.append(MeasureCoding(m, tool_codes, stakeholder_codes))
    return out


POLICY_CODES = "policy_codes"  # the memo table of :func:`code_measures`: a text's codes at offset 0


def _held_codes(held: Any, at: int) -> tuple[list[Code], list[Code]] | None:
    """The tool and stakeholder codes a memo entry holds, shifted to ``at``; None for a
    miss or an entry of another shape (a damaged or planted file: a miss, not an error)."""
    try:
        tool_codes, stakeholder_codes = (
            [Code(str(n), str(g), at + int(s), at + int(e), str(t)) for n, g, s, e, t in codes] for codes in held
        )
    except (TypeError, ValueError, OverflowError):
        return None
    return tool_codes, stakeholder_codes


def _codings(graph_or_codings) -> list[MeasureCoding]:
    if isinstance(graph_or_codings, list) and all(isinstance(c, MeasureCoding) for c in graph_or_codings):
        return graph_or_codings
    return code_measures(graph_or_codings)


def _spans(codes: Iterable[Code]) -> str:
    return ";".join(f"{c.start}-{c.end}" for c in codes)


def policy_tool_codes(graph_or_codings) -> list[dict]:
    """One row per (measure, tool): the document (file stem, title), region, measure
    key, tool and category, the first trigger (offsets and words), every trigger's span
    (``start-end;…``), and the stakeholders the measure addresses."""
    rows = []
    for c in _codings(graph_or_codings):
        m = c.measure
        by_tool: dict[str, list[Code]] = defaultdict(list)
        for code in c.tools:
            by_tool[code.name].append(code)
        dims = ";".join(c.dimensions())
        for tool in sorted(by_tool):
            codes = by_tool[tool]
            rows.append(
                {
                    "doc_id": m.doc_id,
                    "document": m.title,
                    "region": m.region,
                    "measure": m.key,
                    "tool": tool,
                    "category": codes[0].group,
                    "start": codes[0].start,
                    "end": codes[0].end,
                    "trigger": codes[0].trigger,
                    "triggers": len(codes),
                    "spans": _spans(codes),
                    "stakeholders": dims,
                    "measure_iri": m.measure,
                }
            )
    return rows


def code_evidence(graph_or_codings) -> list[dict]:
    """One row per code (each trigger of a tool): the document (file stem, title),
    region, measure key, tool and category, and the evidence span — ``start``/``end``
    offsets into the document text as read and the ``words`` there — in document and
    reading order."""
    return list(iter_code_evidence(_codings(graph_or_codings)))


def iter_code_evidence(codings: Iterable[MeasureCoding]) -> Iterator[dict]:
    """The rows of :func:`code_evidence`, one at a time (a large corpus has millions of
    codes: the report writes them as they come)."""
    for c in codings:
        m = c.measure
        for code in c.tools:
            yield {
                "doc_id": m.doc_id,
                "document": m.title,
                "region": m.region,
                "measure": m.key,
                "tool": code.name,
                "category": code.group,
                "start": code.start,
                "end": code.end,
                "words": code.trigger,
                "measure_iri": m.measure,
            }


def measure_stakeholders(graph_or_codings) -> list[dict]:
    """One row per (measure, stakeholder dimension) with the first trigger and every span."""
    rows = []
    for c in _codings(graph_or_codings):
        m = c.measure
        by_dim: dict[str, list[Code]] = defaultdict(list)
        for code in c.stakeholders:
            by_dim[code.name].append(code)
        for dim in sorted(by_dim):
            codes = by_dim[dim]
            rows.append(
                {
                    "doc_id": m.doc_id,
                    "region": m.region,
                    "measure": m.key,
                    "dimension": dim,
                    "start": codes[0].start,
                    "end": codes[0].end,
                    "trigger": codes[0].trigger,
                    "spans": _spans(codes),
                }
            )
    return rows


def tool_matrix(
    graph_or_codings,
    by: str | None = "region",
    tools: Lexicon | None = None,
    stakeholders: Lexicon | None = None,
) -> list[dict]:
    """The tool × stakeholder matrix as long rows: per scope (``by`` = ``"document"``
    (file stem), ``"region"``, or ``None`` for the whole corpus), tool, category and
    dimension, the number of measures that use the tool and address the stakeholder
    (a measure with two tools and three stakeholders counts in six cells), with the
    measure keys as evidence. Cells with no measure are left out."""
    if by not in ("document", "region", None):
        raise VetkgError(f"unknown matrix scope {by!r}: choose document, region or None")
    tools = tools or load_tools()
    cells: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for c in _codings(graph_or_codings):
        m = c.measure
        scope = m.doc_id if by == "document" else m.region if by == "region" else ""
        for tool in c.tool_names():
            for dim in c.dimensions():
                cells[scope, tool, dim].append(f"{m.doc_id}#{m.key}")
    order = {name: i for i, name in enumerate(tools.names)}
    dims = stakeholders or load_stakeholders()
    dim_order = {name: i for i, name in enumerate(dims.names)}
    rows = [
        {
            "scope": scope,
            "tool": tool,
            "category": tools.entry(tool).group if tool in order else "",
            "dimension": dim,
            "measures": len(ms),
            "evidence": ";".join(sorted(ms)),
        }
        for (scope, tool, dim), ms in cells.items()
    ]
    rows.sort(key=lambda r: (str(r["scope"]), order.get(str(r["tool"]), 99), dim_order.get(str(r["dimension"]), 99)))
    return rows


def tool_counts(graph_or_codings, by: str | None = None, tools: Lexicon | None = None) -> list[dict]:
    """The frequency table of the literature: per scope (``document``, ``region`` or the
    whole corpus) and tool, the measures using it, their share of the scope's measures,
    and the triggers found (a measure may trigger a tool several times)."""
    tools = tools or load_tools()
    measures: Counter[str] = Counter()
    using: dict[tuple[str, str], int] = Counter()
    triggers: dict[tuple[str, str], int] = Counter()
    for c in _codings(graph_or_codings):
        m = c.measure
        scope = m.doc_id if by == "document" else m.region if by == "region" else ""
        measures[scope] += 1
        for code in c.tools:
            triggers[scope, code.name] += 1
        for name in c.tool_names():
            using[scope, name] += 1
    rows = []
    for scope in sorted(measures):
        for e in tools.entries:
            if using[scope, e.name]:
                rows.append(
                    {
                        "scope": scope,
                        "tool": e.name,
                        "category": e.group,
                        "measures": using[scope, e.name],
                        "share": round(using[scope, e.name] / measures[scope], 4),
                        "triggers": triggers[scope, e.name],
                    }
                )
    return rows


def tool_shares(graph_or_codings, by: str = "document") -> list[dict]:
    """Per document (or region): measures, and for each category the measures using at
    least one of its tools and their share — the supply/environment/demand balance the
    literature reports."""
    tallies: dict[str, Counter] = defaultdict(Counter)
    for c in _codings(graph_or_codings):
        m = c.measure
        scope = m.doc_id if by == "document" else m.region
        tallies[scope]["measures"] += 1
        for cat in {code.group for code in c.tools}:
            tallies[scope][cat] += 1
    rows = []
    for scope in sorted(tallies):
        t = tallies[scope]
        row: dict[str, Any] = {"scope": scope, "measures": t["measures"]}
        for cat in CATEGORIES:
            row[cat] = t[cat]
            row[f"{cat}_share"] = round(t[cat] / t["measures"], 4) if t["measures"] else 0.0
        rows.append(row)
    return rows


# --- agreement with a hand coding -----------------------------------------------------------------


def cohen_kappa(a: Sequence[bool], b: Sequence[bool]) -> float | None:
    """Cohen's κ of two binary codings of the same items (None when chance agreement is
    total: both coders used one value throughout)."""
    if len(a) != len(b):
        raise ValueError("the two codings must have as many items")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(map(bool, a)) / n, sum(map(bool, b)) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    if expected >= 1:
        return None
    return round((observed - expected) / (1 - expected), 4)


def load_hand_coding(path: str | Path) -> dict:
    """A hand-coded document (tests/fixtures/policy_tools_hand/*.json): doc_id, source
    file, and per measure its span and codes (tool, span, quote)."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DocumentError(str(p), f"cannot read the hand coding ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("measures"), list):
        raise DocumentError(str(p), "a hand coding needs a list of measures")
    return data


def agreement(hand: Iterable[dict], texts: dict[str, str], lexicon: Lexicon | None = None) -> dict[str, list[dict]]:
    """The lexicon against hand codings (``texts``: doc_id → the document's text as
    read). Every hand-coded measure is coded by the lexicon on the same span; per tool
    category and per tool, a measure is one binary item (does it use the category /
    tool?). Returns ``{"kappa": rows, "disagreements": rows}``: κ with the counts of
    both / hand only / lexicon only / neither, and every item the two code differently
    with the hand coder's quote or the lexicon's trigger."""
    lex = lexicon or load_tools()
    items: list[tuple[str, str, set[str], set[str], dict[str, str], dict[str, str]]] = []
    for doc in hand:
        text = texts[doc["doc_id"]]
        for m in doc["measures"]:
            machine = code_text(text[m["start"] : m["end"]], lex, m["start"])
            hand_codes = {c["tool"]: c.get("quote", "") for c in reversed(m["codes"])}
            lex_codes = {c.name: c.trigger for c in reversed(machine)}
            items.append((doc["doc_id"], m["measure"], set(hand_codes), set(lex_codes), hand_codes, lex_codes))
    kappa_rows = []
    units = [(cat, "category", [e.name for e in lex.entries if e.group == cat]) for cat in lex.groups]
    units += [(e.name, "tool", [e.name]) for e in lex.entries]
    for name, level, members in units:
        h = [bool(hs & set(members)) for _, _, hs, _, _, _ in items]
        m_ = [bool(ms & set(members)) for _, _, _, ms, _, _ in items]
        pairs = Counter(zip(h, m_, strict=True))
        kappa_rows.append(
            {
                "level": level,
                "code": name,
                "category": name if level == "category" else lex.entry(name).group,
                "measures": len(items),
                "both": pairs[True, True],
                "hand_only": pairs[True, False],
                "lexicon_only": pairs[False, True],
                "neither": pairs[False, False],
                "agreement": round((pairs[True, True] + pairs[False, False]) / len(items), 4) if items else None,
                "kappa": cohen_kappa(h, m_),
            }
        )
    disagreements = []
    for doc_id, key, hs, ms, hq, mq in items:
        for tool in sorted(hs ^ ms, key=lambda t: (lex.names.index(t) if t in lex.names else 99, t)):
            disagreements.append(
                {
                    "doc_id": doc_id,
                    "measure": key,
                    "tool": tool,
                    "category": lex.entry(tool).group if tool in lex.names else "",
                    "coded_by": "hand" if tool in hs else "lexicon",
                    "words": hq.get(tool, "") if tool in hs else mq.get(tool, ""),
                }
            )
    return {"kappa": kappa_rows, "disagreements": disagreements}


# --- writing and drawing ---------------------------------------------------------------------------


def write_csv(rows: list[dict], path: str | Path) -> Path:
    """Write ``rows`` as a UTF-8 CSV file, atomically; returns the path."""
    write_text_atomic(path, rows_to_csv(rows))
    return Path(path)


def plot_tool_matrix(
    matrix: list[dict],
    scope: str | None = None,
    lang: str = "zh",
    tools: Lexicon | None = None,
    stakeholders: Lexicon | None = None,
) -> bytes:
    """The tool × stakeholder heat map of one scope of :func:`tool_matrix` rows (all
    scopes summed when ``scope`` is None) as PNG bytes; tools grouped by category, labels
    in ``lang`` (``zh`` or ``en``). Chinese labels need a CJK font: the report's
    (:func:`kg.analytics.fonts.use_cjk_font`) is set up for the drawing when present."""
    tools = tools or load_tools()
    dims = stakeholders or load_stakeholders()
    counts: Counter[tuple[str, str]] = Counter()
    for r in matrix:
        if scope is None or r["scope"] == scope:
            counts[r["tool"], r["dimension"]] += r["measures"]
    tool_rows = [e for cat in tools.groups for e in tools.entries if e.group == cat]
    data = [[counts[e.name, d.name] for d in dims.entries] for e in tool_rows]
    i = 0 if lang == "zh" else 1
    tool_labels = [f"{(e.zh, e.en)[i]} ({tools.groups[e.group].get(('zh', 'en')[i], e.group)})" for e in tool_rows]
    dim_labels = [(d.zh, d.en)[i] for d in dims.entries]

    plt = lazy.pyplot()
    with plt.rc_context():
        plt.rcdefaults()
        use_cjk_font()
        fig, ax = plt.subplots(figsize=(2 + 1.3 * len(dims.entries), 1 + 0.42 * len(tool_rows)))
        im = ax.imshow(data, cmap="YlOrRd", aspect="auto")
        ax.set_xticks(range(len(dims.entries)))
        ax.set_xticklabels(dim_labels, fontsize=9)
        ax.set_yticks(range(len(tool_rows)))
        ax.set_yticklabels(tool_labels, fontsize=9)
        for y, row in enumerate(data):
            for x, v in enumerate(row):
                if v:
                    ax.text(x, y, str(v), ha="center", va="center", fontsize=8)
        fig.colorbar(im, ax=ax, label="措施数" if i == 0 else "measures")
        title = ("政策工具 × 作用对象", "Policy tool × stakeholder")[i]
        ax.set_title(f"{title}: {scope}" if scope else title)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
        plt.close(fig)
    return buf.getvalue()


def use_report_font() -> None:
    """The report's CJK font set-up (:func:`kg.analytics.fonts.use_cjk_font`)."""
    use_cjk_font()


__all__ = [
    "CATEGORIES",
    "Code",
    "DocumentFacts",
    "Lexicon",
    "MeasureCoding",
    "MeasureText",
    "agreement",
    "code_evidence",
    "code_measures",
    "code_text",
    "cohen_kappa",
    "document_facts",
    "evidence_of",
    "heading_span",
    "iter_code_evidence",
    "load_hand_coding",
    "load_stakeholders",
    "load_tools",
    "measure_stakeholders",
    "measure_texts",
    "plot_tool_matrix",
    "policy_tool_codes",
    "rows_to_csv",
    "tool_counts",
    "tool_matrix",
    "tool_shares",
    "use_report_font",
    "write_csv",
    "year_of",
]
