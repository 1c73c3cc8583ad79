"""Reader: encodings, HTML, normalised view with offsets, boilerplate, bad input."""

from __future__ import annotations

import pytest

import kg
from kg.core.textview import TextView
from kg.errors import DocumentError
from kg.evaluation.annotation import as_annotation
from kg.extraction import extract
from kg.parsing import parse
from kg.reading.reader import collect_paths, read

SAMPLE = "安阳市深化职业教育改革实施方案\n一、总体要求\n（一）目标任务。到2025年，建成１０所学校。\n"


@pytest.mark.parametrize(
    "encoding,expected",
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8 with BOM"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
        ("utf-16", None),  # with BOM, either byte order
        ("utf-16-le", "utf-16-le"),  # BOM-less
        ("utf-16-be", "utf-16-be"),
    ],
)
def test_encodings_decode_to_same_text(write_doc, encoding, expected):
    doc = read(write_doc(SAMPLE, encoding=encoding))
    assert doc.text == SAMPLE
    if expected:
        assert doc.encoding == expected
    else:
        assert doc.encoding.startswith("utf-16")


def test_normalised_view_maps_offsets_back_to_original(write_doc):
    doc = read(write_doc("（一）目标……建成１０所。"))
    view = doc.view
    assert view.text == "(一)目标......建成10所。"
    a = view.text.index("10")
    span = view.to_original(a, a + 2)
    assert doc.slice(span) == "１０"
    dots = view.text.index("......")
    assert doc.slice(view.to_original(dots, dots + 6)) == "……"
    assert view.slice(span) == "10"


def test_view_folds_nbsp_ideographic_space_and_crlf():
    view = TextView("一、\u3000总体\u00a0要求\r\n二、")
    assert view.text == "一、 总体 要求\n二、"
    assert view.to_original(view.text.index("二"), view.text.index("二") + 1).start == 10


def test_boilerplate_is_masked_without_moving_offsets(write_doc):
    text = (
        "2021-11-07 20:37:41 | 浏览次数:\n某某县实施方案\n为贯彻落实有关精神，制定本方案。\n"
        "一、总体要求\n" + "正文内容。" * 30 + "\n扫描二维码 关注我们\n推荐访问: 实施方案\n"
    )
    doc = read(write_doc(text))
    assert len(doc.view.text) == len(doc.text)
    assert "浏览次数" not in doc.view.text
    assert "扫描二维码" not in doc.view.text and "推荐访问" not in doc.view.text
    assert "总体要求" in doc.view.text
    assert doc.text == text  # original untouched


def test_html_text_only_and_table_cells_one_per_line(write_doc):
    html = """<html><head><meta charset="gbk"><title>站点</title>
    <style>.x{color:red}</style><script>var a = "一、假的";</script></head>
    <body><div class="nav-bar">首页 | 政策文件</div>
    <h1>某市职业教育实施方案</h1><p>为贯彻落实精神，制定本方案。</p>
    <p>一、总体要求</p><p>（一）目标任务。建成&nbsp;3所学校。</p>
    <table><tr><td>序号</td><td>工作任务内容</td><td>责任单位</td></tr>
    <tr><td>1</td><td>建设实训基地。</td><td>市教育局</td></tr></table>
    <footer>版权所有</footer></body></html>"""
    doc = read(write_doc(html, name="page.html", encoding="gbk"))
    assert doc.format == "html" and doc.encoding == "gb18030"
    assert "color" not in doc.text and "假的" not in doc.text and "首页" not in doc.text
    assert "版权所有" not in doc.text
    lines = doc.text.splitlines()
    assert "序号" in lines and "工作任务内容" in lines and "市教育局" in lines
    assert "某市职业教育实施方案" in lines


def test_a_text_export_with_paragraph_markup_inside_is_read_as_its_text(write_doc):
    """A legal database's export: header fields on lines of their own, then the page's
    paragraphs still in <p> tags. The tags go, the header's lines and the paragraphs stay
    lines, and the reader says what it did."""
    text = (
        "发文机关:某省人民政府\n发布日期:2021年05月06\n文号 :某政发〔2021〕8号\n"
        "<p>各市、县人民政府:</p><p>&nbsp;现将《某省技工教育提质方案》印发给你们。</p>"
        '<p style="text-align: right;"> 某省人民政府</p><p><br/></p>'
        "<p><strong>某省技工教育提质方案</strong></p><p>一、主要目标</p>"
        "<p>到2025年，建成&nbsp;5所技师学院。</p>\n"
    )
    doc = read(write_doc(text, name="export.txt"))
    lines = [line.strip() for line in doc.text.splitlines()]
    assert "<p" not in doc.text and "&nbsp;" not in doc.text and "<strong>" not in doc.text
    assert lines[:3] == ["发文机关:某省人民政府", "发布日期:2021年05月06", "文号 :某政发〔2021〕8号"]
    assert "某省技工教育提质方案" in lines and "一、主要目标" in lines
    assert any("markup inside a text file" in w.message for w in doc.warnings)


def test_plain_text_that_names_a_tag_is_left_as_it_is(write_doc):
    text = "某县职业教育方案\n一、要求\n（一）网页用<p>标签分段，换行用<br>。\n"
    doc = read(write_doc(text, name="plain.txt"))
    assert doc.text == text and not doc.warnings


def test_directories_are_read_recursively(tmp_path, write_doc):
    write_doc(SAMPLE, name="a/one.txt")
    write_doc(SAMPLE, name="a/b/two.htm")
    write_doc("ignored", name="a/README.md")  # a folder note, not a document
    paths, problems = collect_paths([tmp_path / "a"])
    assert sorted(p.name for p in paths) == ["one.txt", "two.htm"]
    assert problems == []


@pytest.mark.parametrize(
    "content,reason",
    [
        (b"", "empty file"),
        (b"   \n\t\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", "binary file"),
        (b"abc\xff\xff\x80def" * 20, "cannot decode"),
    ],
)
def test_bad_files_raise_one_line_errors_naming_the_file(write_doc, content, reason):
    path = write_doc(content, name="bad.txt")
    with pytest.raises(DocumentError) as info:
        read(path)
    message = str(info.value)
    assert str(path) in message and reason in message and "\n" not in message


def test_a_few_damaged_bytes_are_replaced_with_a_warning(write_doc):
    data = SAMPLE.encode("utf-8") * 20
    data = data[:40] + b"\xff" + data[41:] + b"\xe5\xae"  # one bad byte, a truncated char
    doc = read(write_doc(data))
    assert doc.encoding == "utf-8" and 2 <= doc.text.count("\ufffd") <= 5
    assert "undecodable" in doc.warnings[0].message and doc.warnings[0].line == 1


def test_missing_path_and_empty_directory(tmp_path):
    with pytest.raises(DocumentError, match="no such file"):
        read(tmp_path / "nope.txt")
    (tmp_path / "empty").mkdir()
    paths, problems = collect_paths([tmp_path / "nope.txt", tmp_path / "empty"])
    assert paths == []
    assert [p.reason for p in problems] == [
        "no such file or directory",
        "directory contains no .txt, .md, .html, .pdf or .docx documents",
    ]


def test_public_api_reads_seed():
    doc = kg.read(kg.__file__.replace("kg/__init__.py", "seeds/001_4a76b483e918d52f.txt"))
    assert doc.doc_id == "001_4a76b483e918d52f" and len(doc.checksum) == 40


def test_markup_inside_a_text_file_drops_no_text(write_doc):
    """Only the export's own tags go: a comparison written with < and >, an unclosed
    <script> quoted in the text and an article inside a share-box <div> all stay."""
    text = (
        '<div class="share-content"><p>某县职业教育办法</p>'
        "<p>第一条 当A<B时，适用本条；当C>D时除外。</p>"
        "<p>第二条 示例 <script>alert(1) 未闭合</p><br/>"
        "<p>第三条 本办法自发布之日起施行。</p></div>"
    )
    doc = read(write_doc(text, name="export.txt"))
    assert doc.text.splitlines() == [
        "某县职业教育办法",
        "第一条 当A<B时，适用本条；当C>D时除外。",
        "第二条 示例 <script>alert(1) 未闭合",
        "第三条 本办法自发布之日起施行。",
    ]


def test_a_page_flattened_onto_one_line_reads_its_outline(write_doc):
    # a page whose paragraph breaks became single spaces: the spaces before its outline
    # markers are shown as line breaks, one for one, so offsets still point into the file
    text = (
        "某县技能培训实施方案 某县技能培训实施方案 为推进我县职业技能培训工作，结合实际，制定本方案。 一、总体要求 "
        "(一)指导思想。坚持需求导向，面向各类劳动者广泛开展培训，为全县产业发展提供技能人才支撑，"
        "推动培训工作与产业发展紧密结合，切实提高培训质量和就业质量，形成政府引导、企业主体、"
        "社会参与的工作格局。 (二)目标任务。全年开展补贴性职业技能培训 2.5 万人次以上，其中"
        "企业职工培训 8000 人次以上。 二、主要措施 (三)扩大培训规模。各乡镇要结合实际组织开展"
        "培训，确保培训任务按时完成，做好培训补贴申领工作，加强培训全过程监管，提高资金使用效益。"
    )
    path = write_doc(text)
    parsed = parse(path)
    assert [m.key for m in parsed.measures] == ["1.1", "1.2", "2.3"]
    # its title, printed twice, is read once; the preamble after it is the body's start
    assert parsed.metadata.title == "某县技能培训实施方案"
    assert parsed.metadata.body is not None and parsed.metadata.body.start == text.index("为推进")
    ann = as_annotation(extract(path, keywords=False))
    assert {(i["measure"], i["value"], i["unit"]) for i in ann["indicators"]} == {
        ("1.2", 2.5, "万人次"),
        ("1.2", 8000, "人次"),
    }, ann["indicators"]
    doc = read(path)
    assert len(doc.view.text) == len(doc.text)
    # text typed with single spaces here and there keeps them
    assert read(write_doc("一、目标 (一)稳步推进。", name="short.txt")).lost_breaks == []


def test_a_long_line_with_a_spaced_version_number_is_not_flattened(write_doc):
    text = (
        "推动制造业向Industry 4. 0转型，" + "加快数字化改造和智能化升级，" * 12 + "（一）提升装备水平。"
        " （二）培育数字人才。"
    )
    doc = read(write_doc(text))
    assert all(doc.text[i + 1 : i + 2] != "4" for i in doc.lost_breaks), doc.lost_breaks
