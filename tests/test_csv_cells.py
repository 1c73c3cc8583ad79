"""CSV tables are opened in spreadsheets: document text must not become a formula there."""

from __future__ import annotations

import csv
import io

from kg.core.csvtext import rows_to_csv


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_text_that_a_spreadsheet_would_run_is_kept_as_text():
    rows = [
        {"heading": '=HYPERLINK("http://example.invalid","点此")', "value": 70},
        {"heading": "+1+2", "value": -5},
        {"heading": "@SUM(A1)", "value": None},
        {"heading": "-2+3", "value": 0.5},
        {"heading": "（一）深化产教融合", "value": 3},
        {"heading": "  =1+1", "value": 1},
        {"heading": "\u3000@SUM(A1)", "value": 2},
    ]
    table = _read(rows_to_csv(rows))
    assert table[0] == ["heading", "value"]
    assert [r[0] for r in table[1:]] == [
        '\'=HYPERLINK("http://example.invalid","点此")',
        "'+1+2",
        "'@SUM(A1)",
        "'-2+3",
        "（一）深化产教融合",
        "'  =1+1",  # spreadsheets skip the spaces before a formula
        "'\u3000@SUM(A1)",
    ]
    # numbers are data: a negative value stays a number, None an empty cell
    assert [r[1] for r in table[1:]] == ["70", "-5", "", "0.5", "3", "1", "2"]


def test_columns_in_first_seen_order_or_as_given():
    rows = [{"a": 1, "b": 2}, {"c": 3, "a": 4}]
    assert _read(rows_to_csv(rows)) == [["a", "b", "c"], ["1", "2", ""], ["4", "", "3"]]
    assert _read(rows_to_csv(rows, ["c", "a"])) == [["c", "a"], ["", "1"], ["3", "4"]]
