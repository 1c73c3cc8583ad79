"""CSV text for people who open it in a spreadsheet: the one writer of the report's tables.

A cell is document text, and document text is untrusted: a heading that begins with ``=``,
``+``, ``-`` or ``@`` (or a tab or carriage return) is read by Excel, LibreOffice and Google
Sheets as a formula — ``=HYPERLINK(…)`` runs on a click (OWASP, "CSV Injection"). Such text
cells get a leading apostrophe, which spreadsheets hide and show the text as written;
numbers (a negative value is data, not a formula) are written as they are. Spreadsheets
skip leading spaces before a formula, so `` =1+1`` counts as one too.

Every text cell is checked, in every column: identifiers meant for joins (file stems,
IRIs) never start with a formula character, so the apostrophe never touches them in
practice, and one rule for every cell is simpler to trust than a list of columns. The
report's tables (``tables/*.csv``) are written through here; the SPARQL results of
``vetkg query --format csv`` (a W3C format read by programs) and the Neo4j import files
are not: they keep values exactly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_STARTS = frozenset(FORMULA_STARTS)
CHUNK_ROWS = 512  # rows per piece of text handed to the writer


def spreadsheet_safe(value: object) -> object:
    """``value`` for a CSV cell: None as empty, text that a spreadsheet would run as a
    formula behind an apostrophe, anything else unchanged."""
    if value is None:
        return ""
    if isinstance(value, str) and value:
        first = value[0]  # a leading space matters only before a formula character
        if first in _STARTS or (first.isspace() and value.lstrip()[:1] in _STARTS):
            return "'" + value
    return value


def rows_to_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[str] | None = None) -> str:
    """``rows`` as CSV text, ``columns`` in order (default: every key in first-seen order);
    keys outside ``columns`` are left out."""
    if columns is None:
        rows = list(rows)
        seen: dict[str, None] = {}
        for r in rows:
            seen.update(dict.fromkeys(r))
        columns = list(seen)
    return "".join(csv_lines(rows, columns))


def csv_lines(rows: Iterable[Mapping[str, object]], columns: Sequence[str]) -> Iterator[str]:
    """The CSV text of ``rows`` (``columns`` in order), the header first, then a piece of
    :data:`CHUNK_ROWS` rows at a time: a table too large to hold as one string is written
    as it is read."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")

    def text(lines: list[list]) -> str:
        buf.seek(0)
        buf.truncate()
        w.writerows(lines)
        return buf.getvalue()

    yield text([list(columns)])
    chunk: list[list] = []
    for r in rows:
        chunk.append([spreadsheet_safe(r.get(c)) for c in columns])
        if len(chunk) == CHUNK_ROWS:
            yield text(chunk)
            chunk = []
    if chunk:
        yield text(chunk)
