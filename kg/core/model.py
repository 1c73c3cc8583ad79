"""Typed records passed between the pipeline stages.

Every record that points at text carries a :class:`Span` — character offsets into
``Document.text``, the decoded source exactly as read — never a copy that could drift
from it. Surface strings are obtained with ``document.slice(span)``. Later stages (RDF,
SPARQL, analytics) only read these records.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

from kg.core.span import Span
from kg.core.textview import TextView

# --- the closed vocabularies of the records ---------------------------------------------

EntityKind = Literal["department", "institution", "program", "indicator", "cited_document", "region"]
Predicate = Literal["responsible_for", "supports", "targets", "cites", "part_of"]
Role = Literal["lead", "responsible"]  # of a unit in a responsible_for relation
MeasureLevel = Literal["part", "section", "item", "task"]  # 第X条 articles are read as parts
Severity = Literal["warning", "error"]
DocumentFormat = Literal["txt", "md", "html", "pdf", "docx"]
# Administrative levels: the gazetteer's (province … county), the country, and "unknown"
# for a department prefix that names no region the document pins down.
AdminLevel = Literal["national", "province", "municipality", "city", "district", "county", "unknown"]
Comparator = Literal["=", "~", ">", ">=", "<", "<=", "range"]  # "~": about, "range": value…value_max
ResponsibilityShape = Literal["labelled", "verb", "bare_list", "task_list"]
# A document's genre (文种), read off the end of its title; the specific form first (实施意见
# is an 意见). The ontology's vet:DocumentGenreScheme has one concept per value.
Genre = Literal[
    "法律",
    "条例",
    "规定",
    "办法",
    "实施办法",
    "细则",
    "实施细则",
    "决定",
    "意见",
    "实施意见",
    "指导意见",
    "方案",
    "实施方案",
    "行动方案",
    "工作方案",
    "行动计划",
    "计划",
    "规划",
    "纲要",
    "要点",
    "措施",
    "政策",
    "通知",
    "公告",
    "通告",
    "指南",
    "清单",
]
WorkChangeKind = Literal["repeals", "amends", "amended_by"]  # of another work, by this document


class MentionAttrs(TypedDict, total=False):
    """The attributes a :class:`Mention` carries, by entity kind (written out, in this
    order, after the record's own fields in ``extractions.jsonl``)."""

    function: str  # department: the department_functions.tsv function
    kind: str  # institution, program: the lexicon's kind
    doc_number: str | None  # cited_document: its 文号, if printed
    # indicator
    value: int | float
    value_max: int | float | None
    unit: str
    comparator: Comparator
    year: int | None
    text: str
    subject: str | None
    value_span: list[int]
    # region
    own: bool  # the document's own region (named in its title)
    level: AdminLevel | None
    path: list[str]
    admin_code: str | None


class RelationAttrs(TypedDict, total=False):
    """The attributes a :class:`Relation` carries, by predicate."""

    # responsible_for
    role: Role
    shape: ResponsibilityShape
    unit_span: list[int]  # the unit's own span, inside the evidence clause
    # supports
    target_kind: EntityKind
    # targets (copied from the indicator mention)
    value: int | float
    unit: str
    comparator: Comparator
    # cites
    doc_number: str | None
    # part_of
    part: int | None
    section: int | None
    parent: str


@dataclass
class Problem:
    """A warning or error about one input, located where possible."""

    path: str
    message: str
    severity: Severity = "warning"
    offset: int | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f":{self.line}" if self.line is not None else ""
        return f"{self.path}{where}: {self.severity}: {self.message}"

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "severity": self.severity,
            "message": self.message,
            "offset": self.offset,
            "line": self.line,
        }


@dataclass
class Document:
    """One policy document: the untouched text plus what the reader learned about it."""

    doc_id: str  # stable id: the file stem (gold files are matched on it)
    path: str
    text: str  # decoded source text (for HTML: the extracted text), never modified
    encoding: str
    format: DocumentFormat
    checksum: str  # sha1 of the raw bytes: detects a changed source between builds
    boilerplate: list[Span] = field(default_factory=list)  # web chrome excluded from parsing
    page_title: str | None = None  # an HTML page's <title>, a last resort for the title
    soft_breaks: list[int] = field(default_factory=list)  # hard-wrap line breaks (kg.reading.unwrap)
    lost_breaks: list[int] = field(default_factory=list)  # spaces of a flattened page shown as breaks
    warnings: list[Problem] = field(default_factory=list)
    _view: TextView | None = field(default=None, repr=False, compare=False)

    @property
    def view(self) -> TextView:
        """Normalised (NFKC), boilerplate-masked view used for matching."""
        if self._view is None:
            self._view = TextView(self.text, self.boilerplate, self.soft_breaks, self.lost_breaks)
        return self._view

    def slice(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def surface(self, span: Span) -> str:
        """The text of ``span`` as a name: without the soft line breaks of hard-wrapped
        text (``市发展\n改革委`` → ``市发展改革委``)."""
        if not self.soft_breaks:
            return self.slice(span)
        i = bisect.bisect_left(self.soft_breaks, span.start)
        j = bisect.bisect_left(self.soft_breaks, span.end)
        if i == j:
            return self.slice(span)
        cuts = [span.start, *[x for b in self.soft_breaks[i:j] for x in (b, b + 1)], span.end]
        return "".join(self.text[cuts[k] : cuts[k + 1]] for k in range(0, len(cuts), 2)).replace("\r", "")

    def line_of(self, offset: int) -> int:
        """1-based line number of an offset (for messages)."""
        return self.text.count("\n", 0, offset) + 1


class WorkChange(TypedDict):
    """Another work this document repeals or amends (or is amended by), as it names it,
    with the clause and sentence that say so."""

    relation: WorkChangeKind
    title: str
    doc_number: str | None
    span: Span
    sentence: Span


@dataclass
class Metadata:
    title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None  # as printed (``教育部等8部门``): what the gold scores
    region: str | None = None
    admin_level: AdminLevel | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    title_span: Span | None = None
    doc_number_span: Span | None = None
    body: Span | None = None  # where the policy proper starts and ends
    # The document's own facts beyond the gold's fields (issue 20): every issuer (the
    # signatories of ``教育部等8部门`` when it lists them, else the joint name once) and how
    # many it says there are; its genre; the dates it states (ISO); what it repeals or amends.
    issuers: list[str] = field(default_factory=list)
    issuer_count: int | None = None
    genre: Genre | None = None
    date_published: str | None = None  # 发布/公布
    date_in_force: str | None = None  # 施行: 自…起施行, 施行日期
    date_expires: str | None = None  # the last day in force: 有效期至, 有效期N年, 失效日期
    date_spans: dict[str, Span] = field(default_factory=dict)  # published, in_force, expires -> evidence
    changes: list[WorkChange] = field(default_factory=list)

    FIELDS = ("title", "doc_number", "issuer", "region", "admin_level", "date")

    @property
    def validity(self) -> tuple[str | None, str | None]:
        """The interval the document states it is in force: (first day, last day)."""
        return self.date_in_force, self.date_expires

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: getattr(self, k) for k in self.FIELDS}
        out["title_span"] = self.title_span.to_json() if self.title_span else None
        out["doc_number_span"] = self.doc_number_span.to_json() if self.doc_number_span else None
        out["body_span"] = self.body.to_json() if self.body else None
        out["issuers"] = list(self.issuers)
        out["issuer_count"] = self.issuer_count
        out["genre"] = self.genre
        out["date_published"] = self.date_published
        out["date_in_force"] = self.date_in_force
        out["date_expires"] = self.date_expires
        out["date_spans"] = {k: v.to_json() for k, v in sorted(self.date_spans.items())}
        out["changes"] = [
            {
                "relation": c["relation"],
                "title": c["title"],
                "doc_number": c["doc_number"],
                "span": c["span"].to_json(),
                "sentence_span": c["sentence"].to_json(),
            }
            for c in self.changes
        ]
        return out


@dataclass
class Measure:
    """A finest-level numbered unit of the outline (or a task-list row)."""

    key: str  # "P.S", "P.S.I", "P.0" or "T<n>"
    level: MeasureLevel
    span: Span  # from the number to the start of the next outline unit
    heading: Span  # the short title (no trailing 。)
    body: Span  # text after the number (heading included)
    part: int | None = None
    section: int | None = None
    item: int | None = None
    cells: dict[str, Span] = field(default_factory=dict)  # task rows: column name -> cell

    def to_json(self, doc: Document) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "level": self.level,
            "heading": doc.slice(self.heading),
            "span": self.span.to_json(),
            "heading_span": self.heading.to_json(),
            "part": self.part,
            "section": self.section,
            "item": self.item,
        }
        if self.cells:
            out["cells"] = {k: {"text": doc.slice(v), "span": v.to_json()} for k, v in self.cells.items()}
        return out


@dataclass
class ParsedDocument:
    """Output of the parse stages: document, metadata and outline."""

    document: Document
    metadata: Metadata
    measures: list[Measure]

    def to_json(self) -> dict:
        d = self.document
        return {
            "doc_id": d.doc_id,
            "path": d.path,
            "format": d.format,
            "encoding": d.encoding,
            "checksum": d.checksum,
            "chars": len(d.text),
            "metadata": self.metadata.to_json(),
            "measures": [m.to_json(d) for m in self.measures],
            "warnings": [w.to_json() for w in d.warnings],
        }


# --- extraction records (issue: extraction) -------------------------------------------


@dataclass
class Mention:
    """A typed mention of an entity in one document.

    ``entity`` is the entity type; ``attrs`` holds the type's attributes (function, kind,
    value, unit, …: see :class:`MentionAttrs`). ``name`` is the surface form, kept as the extraction's canonical
    string because gold compares surface forms; ``span`` locates it.
    """

    entity: EntityKind
    name: str
    span: Span
    sentence: Span
    measure: str | None = None
    attrs: MentionAttrs = field(default_factory=MentionAttrs)

    def to_json(self, doc: Document) -> dict:
        return {
            "type": "mention",
            "entity": self.entity,
            "doc_id": doc.doc_id,
            "name": self.name,
            "span": self.span.to_json(),
            "sentence": doc.slice(self.sentence),
            "sentence_span": self.sentence.to_json(),
            "measure": self.measure,
            **self.attrs,
        }


@dataclass
class Relation:
    """A typed relation with its evidence.

    ``predicate`` is one of :data:`Predicate`; ``subject``/``object`` are names or measure keys; ``evidence`` is the clause that
    states it and ``sentence`` the sentence around it.
    """

    predicate: Predicate
    subject: str
    object: str
    evidence: Span
    sentence: Span
    measure: str | None = None
    attrs: RelationAttrs = field(default_factory=RelationAttrs)

    def to_json(self, doc: Document) -> dict:
        return {
            "type": "relation",
            "predicate": self.predicate,
            "doc_id": doc.doc_id,
            "subject": self.subject,
            "object": self.object,
            "measure": self.measure,
            "evidence": doc.slice(self.evidence),
            "evidence_span": self.evidence.to_json(),
            "sentence_span": self.sentence.to_json(),
            **self.attrs,
        }


@dataclass
class Extraction:
    """Everything extracted from one parsed document."""

    parsed: ParsedDocument
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    keywords: dict[str, list[str]] = field(default_factory=dict)  # measure key -> keywords

    @property
    def document(self) -> Document:
        return self.parsed.document

    def of_entity(self, entity: EntityKind) -> list[Mention]:
        return [m for m in self.mentions if m.entity == entity]

    def with_predicate(self, predicate: Predicate) -> list[Relation]:
        return [r for r in self.relations if r.predicate == predicate]

    def records(self) -> Iterator[dict]:
        """JSON-ready records: mentions, relations, then per-measure keywords."""
        doc = self.document
        for m in self.mentions:
            yield m.to_json(doc)
        for r in self.relations:
            yield r.to_json(doc)
        for key, words in self.keywords.items():
            yield {"type": "keywords", "doc_id": doc.doc_id, "measure": key, "keywords": words}
