"""CSV text for people who open it in a spreadsheet: the one writer of the report's tables.

A cell is document text, and document text is untrusted: a heading that begins with ``=``,
``+``, ``-`` or ``@`` (or a tab or carriage return) is read by Excel, LibreOffice and Google
Sheets as a formula — ``=HYPERLINK(…)`` runs on a click (OWASP, "CSV Injection"). Such text
cells get a leading apostrophe, which spreadsheets hide and show the text as written;
numbers (a negative value is data, not a formula) are written as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """``value`` for a CSV cell: None as empty, text that a spreadsheet would run as a
    formula behind an apostrophe, anything else unchanged."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rows_to_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[str] | None = None) -> str:
    """``rows`` as CSV text, ``columns`` in order (default: every key in first-seen order);
    keys outside ``columns`` are left out."""
    rows = list(rows)
    if columns is None:
        seen: dict[str, None] = {}
        for r in rows:
            seen.update(dict.fromkeys(r))
        columns = list(seen)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([spreadsheet_safe(r.get(c)) for c in columns])
    return buf.getvalue()
