"""report.md shows document text as text: a title holding HTML or Markdown (a link, a
code span) is escaped, so a Markdown viewer renders none of it. A small document written
for this test; its names are illustrative."""

from __future__ import annotations

import kg
from kg.analytics.report import analyze, write_report

HOSTILE = (
    "<img src=x onerror=alert(1)>[点此](javascript:alert(1))`code`关于深化产教融合的实施意见\n"
    "洛政办〔2020〕1号\n各有关单位：\n"
    "为贯彻落实《国务院办公厅关于深化产教融合的若干意见》（国办发〔2017〕95号），提出如下意见。\n"
    "一、主要任务\n（一）建设实训基地<img src=y>。市教育局负责建设一批实训基地。\n"
    "洛阳市人民政府办公室\n2020年1月2日\n"
)


def test_report_md_holds_no_raw_html_nor_links_from_documents(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "h.txt").write_text(HOSTILE, encoding="utf-8")
    rep = analyze(kg.build(tmp_path / "docs").store)
    write_report(rep, tmp_path / "out")
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "onerror=alert(1)" in md  # the title is there, as text
    assert "<img" not in md and "&lt;img src=x onerror=alert(1)&gt;" in md
    assert "[点此](" not in md and "\\[点此\\](javascript" in md
    assert "`code`" not in md and "\\`code\\`" in md
