"""A document vetkg knows nothing about, written to attack the reader's spreadsheet: the
build is quiet and its tables keep document text as text."""

from __future__ import annotations

import csv

from conftest import run_cli

HOSTILE = """=HYPERLINK("http://example.invalid","点此")市职业教育实施方案
甲市人民政府
2023年3月1日
为贯彻落实《=cmd|' /C calc'!A0》（国发〔2019〕4号）精神，制定本方案。
一、主要任务
（一）深化产教融合。推进校企合作，“双师型”教师占比达到60%以上。（责任单位：市教育局、市财政局）
（二）完善制度。建设实训基地10个。（责任单位：市人力资源社会保障局）
"""


def test_formula_text_in_a_document_stays_text_in_every_table_and_the_build_is_quiet(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "out"
    run = run_cli("build", docs, "--out", out, "-q")
    assert run.returncode == 0, run.stderr
    # no Python warning (matplotlib's empty legends of a region it cannot place, …)
    assert "Warning" not in run.stderr, run.stderr
    cells = [
        cell
        for table in sorted((out / "tables").glob("*.csv"))
        for row in csv.reader(table.open(encoding="utf-8"))
        for cell in row
    ]
    assert any("cmd|" in c for c in cells)  # the cited title is in a table …
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]  # … never as a formula
    assert any(c.startswith("'=cmd|") for c in cells)
