"""PDF and Word inputs: real files made here from the seeds (reportlab writes the PDFs
with a CJK font, python-docx the Word files) give the same records as the plain text."""

from __future__ import annotations

import pytest
from conftest import ROOT, SCORED_LISTS, SEEDS, seed_scores

from kg.corpus.build import build
from kg.errors import DocumentError
from kg.evaluation.annotation import as_annotation
from kg.extraction import extract
from kg.reading.reader import read

FIXTURES = ROOT / "tests" / "fixtures"


def write_pdf(text: str, path, chars_per_line: int = 40, header: str = "某市人民政府公报 2022年第3期"):
    """A real PDF: the text wrapped at a fixed width, a running header and page numbers."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    lines = []
    for para in text.split("\n"):
        para = para.rstrip()
        lines.extend(para[i : i + chars_per_line] for i in range(0, len(para), chars_per_line))
    page, y = 1, 0.0

    def new_page():
        nonlocal y
        c.setFont("STSong-Light", 9)
        c.drawString(72, height - 40, header)
        c.drawString(width / 2, 30, f"- {page} -")
        c.setFont("STSong-Light", 11)
        y = height - 72

    new_page()
    for line in lines:
        if y < 72:
            c.showPage()
            page += 1
            new_page()
        c.drawString(72, y, line)
        y -= 17
    c.save()
    return path


def write_docx(text: str, path, table: list[list[str]] | None = None):
    import docx

    d = docx.Document()
    for line in text.split("\n"):
        if line.strip():
            d.add_paragraph(line)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for k, cell in enumerate(row):
                t.cell(r, k).text = cell
    d.save(str(path))
    return path


@pytest.fixture(scope="module")
def plain():
    return seed_scores(SEEDS)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_seeds_as_pdf_and_docx_score_as_plain_text(tmp_path, plain, fmt):
    for seed in SEEDS.glob("*.txt"):
        text = seed.read_text(encoding="utf-8")
        target = tmp_path / f"{seed.stem}.{fmt}"
        write_pdf(text, target) if fmt == "pdf" else write_docx(text, target)
    got, meta = seed_scores(tmp_path)
    for k in SCORED_LISTS:
        assert got[k] >= plain[0][k] - 0.03, (fmt, k, got[k], plain[0][k])
    assert meta == plain[1]


def test_pdf_drops_running_heads_and_page_numbers_and_keeps_offsets(tmp_path):
    seed = SEEDS / "002_01e619eeb8aaf6f0.txt"
    doc = read(write_pdf(seed.read_text(encoding="utf-8"), tmp_path / "hebi.pdf"))
    assert doc.format == "pdf"
    assert "公报" not in doc.text and "- 2 -" not in doc.text
    assert doc.soft_breaks  # its lines are hard-wrapped
    ex = extract(doc)
    for m in ex.mentions:
        assert doc.surface(m.span).strip() == m.name or m.entity in ("indicator", "cited_document")


def test_docx_table_is_a_task_list(tmp_path):
    text = (
        "某省人民政府办公厅关于推进职业教育发展的实施意见\n为推动发展，制定本意见。\n一、主要任务\n"
        "（一）优化布局。支持学校发展。（责任单位：省教育厅）\n附件：重点任务分工表"
    )
    table = [
        ["序号", "重点任务", "牵头单位", "配合单位"],
        ["1", "建设10个省级高水平专业群。", "省教育厅", "省财政厅"],
        ["2", "开展技能提升行动。", "省人力资源社会保障厅", "各地级以上市人民政府"],
    ]
    doc = read(write_docx(text, tmp_path / "plan.docx", table))
    assert doc.format == "docx"
    a = as_annotation(extract(doc))
    assert [m["key"] for m in a["measures"]] == ["1.1", "T1", "T2"]
    rf = {(r["measure"], r["unit"], r["role"]) for r in a["responsible_for"]}
    assert {("T1", "省教育厅", "lead"), ("T1", "省财政厅", "responsible"), ("T2", "省人力资源社会保障厅", "lead")} <= rf


def test_scanned_pdf_without_text_layer_is_a_clear_error(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(50, 50, 400, 600, fill=1)  # an image-like page with no text
    c.showPage()
    c.save()
    with pytest.raises(DocumentError, match="no text layer"):
        read(path)


@pytest.mark.parametrize(
    "name,data,reason",
    [
        ("broken.pdf", b"%PDF-1.4\n%garbage without objects\n", "PDF"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "Word .docx"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old binary Word"),
    ],
)
def test_damaged_office_files_are_clear_errors_and_do_not_sink_a_build(tmp_path, name, data, reason):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(DocumentError, match=reason):
        read(tmp_path / name)
    write_docx(
        "某市职业教育实施方案\n为推动发展，制定本方案。\n一、主要任务\n（一）建设基地。内容。", tmp_path / "good.docx"
    )
    result = build([tmp_path], keep=True)
    assert [p.document.doc_id for p in result.parsed] == ["good"]
    assert [e.path.endswith(name) for e in result.errors] == [True]
