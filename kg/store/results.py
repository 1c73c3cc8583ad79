"""Query answers independent of the engine: :class:`Term` and :class:`Result`.

Every store answers with a Result of library-free terms, so the same query gives
comparable answers embedded, on disk and over HTTP, and the CLI, the API and the report
turn them into tables, CSV, SPARQL JSON or DataFrames the same way.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from kg.errors import QueryError
from kg.rdf.namespaces import XSD

TermKind = Literal["iri", "literal", "bnode"]


class Term(NamedTuple):
    """An RDF term independent of any library: ``kind`` is iri, literal or bnode. (A
    named tuple: results hold one per cell, so it must be cheap to make.)"""

    kind: TermKind
    value: str
    datatype: str | None = None
    lang: str | None = None

    def to_python(self) -> Any:
        """Numbers as numbers, dates as dates, everything else as its string."""
        if self.kind != "literal" or not self.datatype:
            return self.value
        local = self.datatype[len(XSD) :] if self.datatype.startswith(XSD) else ""
        try:
            if local in (
                "integer",
                "int",
                "long",
                "nonNegativeInteger",
                "positiveInteger",
                "short",
                "byte",
                "unsignedInt",
                "unsignedLong",
            ):
                return int(self.value)
            if local == "decimal":
                d = Decimal(self.value)
                return int(d) if d == d.to_integral_value() else d
            if local in ("double", "float"):
                return float(self.value)
            if local == "date":
                return datetime.date.fromisoformat(self.value)
            if local == "gYear":
                return int(self.value)
            if local == "boolean":
                return self.value in ("true", "1")
        except ValueError:
            pass
        return self.value

    def n3(self) -> str:
        """The term in N-Triples syntax, every character that could end it escaped."""
        if self.kind == "iri":
            if re.search(r"[\x00-\x20<>\"{}|^`\\]", self.value):
                raise QueryError(f"not a valid IRI: {self.value!r}")
            return f"<{self.value}>"
        escaped = self.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if self.lang:
            return f'"{escaped}"@{self.lang}'
        if self.datatype and self.datatype != XSD + "string":
            return f'"{escaped}"^^<{self.datatype}>'
        return f'"{escaped}"'


@dataclass
class Result:
    """A SELECT answer (``columns`` and ``rows`` of :class:`Term` or None), or an ASK
    answer (``boolean``)."""

    columns: list[str] = field(default_factory=list)
    rows: list[list[Term | None]] = field(default_factory=list)
    boolean: bool | None = None

    def values(self) -> list[list[Any]]:
        """Rows of plain Python values (None for unbound)."""
        return [[c.to_python() if c is not None else None for c in row] for row in self.rows]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.values()]

    def to_table(self, max_width: int = 60) -> str:
        if self.boolean is not None:
            return "true" if self.boolean else "false"
        cells = [[_display(v, max_width) for v in row] for row in self.values()]
        widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(self.columns)]
        lines = ["  ".join(_pad(c, w) for c, w in zip(self.columns, widths)), "  ".join("-" * w for w in widths)]
        lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths)) for row in cells]
        lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
        return "\n".join(lines)

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        if self.boolean is not None:
            writer.writerow(["boolean"])
            writer.writerow(["true" if self.boolean else "false"])
            return buf.getvalue()
        writer.writerow(self.columns)
        # raw values, no spreadsheet apostrophe (kg.core.csvtext): SPARQL CSV results are a W3C format read by programs
        for row in self.values():
            writer.writerow(["" if v is None else str(v) for v in row])
        return buf.getvalue()

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON."""
        if self.boolean is not None:
            return json.dumps({"head": {}, "boolean": self.boolean})
        bindings = []
        for row in self.rows:
            b = {}
            for col, t in zip(self.columns, row):
                if t is None:
                    continue
                d: dict[str, str] = {"type": "uri" if t.kind == "iri" else t.kind, "value": t.value}
                if t.lang:
                    d["xml:lang"] = t.lang
                elif t.datatype:
                    d["datatype"] = t.datatype
                b[col] = d
            bindings.append(b)
        return json.dumps(
            {"head": {"vars": self.columns}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=1
        )

    def comparable(self, ordered: bool = False) -> list[tuple]:
        """Rows as tuples of plain values, sorted unless the query fixes the order —
        for comparing answers across stores."""
        rows = [
            tuple("" if v is None else (str(v) if not isinstance(v, (int, Decimal, float)) else float(v)) for v in r)
            for r in self.values()
        ]
        return rows if ordered else sorted(rows, key=repr)


def _display(v: Any, max_width: int) -> str:
    s = "" if v is None else str(v)
    s = s.replace("\n", " ")
    return s if _width(s) <= max_width else s[: max_width // 2 - 1] + "…"


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, w: int) -> str:
    return s + " " * (w - _width(s))


_JSON_KINDS: dict[str, TermKind] = {"uri": "iri", "literal": "literal", "typed-literal": "literal", "bnode": "bnode"}


def parse_results_json(body: bytes) -> Result:
    """A SPARQL 1.1 Query Results JSON document as a :class:`Result`."""
    data = json.loads(body)
    if "boolean" in data:
        return Result(boolean=bool(data["boolean"]))
    cols = data["head"]["vars"]
    kinds = _JSON_KINDS
    xsd_string = XSD + "string"

    def term(d: dict | None) -> Term | None:
        if d is None:
            return None
        lang = d.get("xml:lang")
        dt = d.get("datatype") or (None if lang or d["type"] != "literal" else xsd_string)
        kind: TermKind = kinds[d["type"]]
        return Term(kind, d["value"], dt, lang)

    return Result(cols, [[term(b.get(c)) for c in cols] for b in data["results"]["bindings"]])
