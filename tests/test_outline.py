"""Outline parsing on hand-written fragments (not the seeds) and on the seeds vs gold."""

from __future__ import annotations

from conftest import SEEDS

from kg.evaluation.annotation import as_annotation
from kg.evaluation.scoring import evaluate
from kg.parsing import parse

PREAMBLE = "某某市推进职业教育发展实施方案\n为贯彻落实有关精神，结合实际，制定本方案。\n"


def keys_and_headings(path):
    parsed = parse(path)
    return [(m.key, parsed.document.slice(m.heading)) for m in parsed.measures], parsed


def test_fullwidth_outline_with_items(write_doc):
    text = PREAMBLE + (
        "一、总体要求\n（一）指导思想\n坚持正确方向。\n（二）主要目标。到2025年建成体系。\n"
        "二、重点任务\n（一）强化类型特色。\n１．巩固类型定位。\n内容一。\n２．推进纵向贯通。内容二。\n"
        "（二）完善办学体制。\n1、优化供给结构。内容。\n"
    )
    got, _ = keys_and_headings(write_doc(text))
    assert got == [
        ("1.1", "指导思想"),
        ("1.2", "主要目标"),
        ("2.1.1", "巩固类型定位"),
        ("2.1.2", "推进纵向贯通"),
        ("2.2.1", "优化供给结构"),
    ]


def test_ascii_outline_with_continuing_section_numbers(write_doc):
    text = PREAMBLE + (
        "一、总体要求\n(一)指导思想。内容。\n(二)目标任务。内容。\n"
        "二、主要任务\n(三)拓宽企业参与途径。内容。\n(四)发挥企业作用。内容。\n"
        "三、保障措施\n加强组织领导。\n"
    )
    got, parsed = keys_and_headings(write_doc(text))
    assert [k for k, _ in got] == ["1.1", "1.2", "2.3", "2.4", "3.0"]
    assert got[-1] == ("3.0", "保障措施")
    assert parsed.document.warnings == []


def test_items_directly_under_a_part_and_sections_without_parts(write_doc):
    got, _ = keys_and_headings(
        write_doc(
            PREAMBLE + "一、主要任务\n1.建设基地。内容。\n2.培养师资。内容。\n二、保障措施\n(一)加强领导。内容。\n"
        )
    )
    assert got == [("1.0.1", "建设基地"), ("1.0.2", "培养师资"), ("2.1", "加强领导")]
    got, _ = keys_and_headings(write_doc(PREAMBLE + "(一)建设基地。内容。\n(二)培养师资。内容。\n", name="b.txt"))
    assert got == [("0.1", "建设基地"), ("0.2", "培养师资")]


def test_item_numbers_continuing_across_sections(write_doc):
    got, _ = keys_and_headings(
        write_doc(
            PREAMBLE + "一、主要任务\n(一)师资\n1.培养教师。\n2.引进人才。\n(二)基地\n3.建设基地。\n4.共享资源。\n"
        )
    )
    assert [k for k, _ in got] == ["1.1.1", "1.1.2", "1.2.3", "1.2.4"]


def test_document_numbered_only_with_arabic_items(write_doc):
    text = (
        "某省关于支持职业教育发展的若干措施\n为加快发展职业教育，制定以下措施。\n"
        "1．扩大招生规模。内容。（责任单位：省教育厅）\n2．加强师资建设。内容。\n3．加大经费投入。内容。\n"
    )
    got, parsed = keys_and_headings(write_doc(text))
    assert got == [("1.0", "扩大招生规模"), ("2.0", "加强师资建设"), ("3.0", "加大经费投入")]
    assert parsed.document.warnings == []


def test_regulation_numbered_by_articles(write_doc):
    text = (
        "某市职业教育校企合作促进办法\n第一条 为了促进校企合作，制定本办法。\n"
        "第二条 本办法适用于本市职业院校。\n第三条 市教育局负责组织实施。\n"
        "第十一条 本办法自发布之日起施行。\n"
    )
    got, _ = keys_and_headings(write_doc(text))
    assert [k for k, _ in got] == ["1.0", "2.0", "3.0"]
    assert got[0][1] == "为了促进校企合作，制定本办法"


def test_paragraphs_flattened_with_ideographic_spaces(write_doc):
    text = (
        "某县深化产教融合实施方案\u3000\u3000为贯彻落实精神，特制定本方案。\u3000\u3000一、构建格局"
        "\u3000\u3000(一)统筹规划布局。内容。(县教育局负责)\u3000\u3000(二)促进融入体系。内容。"
        "\u3000\u3000二、发挥企业作用\u3000\u3000(三)拓宽途径。内容。"
    )
    got, parsed = keys_and_headings(write_doc(text))
    assert got == [("1.1", "统筹规划布局"), ("1.2", "促进融入体系"), ("2.3", "拓宽途径")]
    m = parsed.measures[0]
    assert parsed.document.slice(m.span).endswith("(县教育局负责)")


def test_heading_line_ending_with_colon(write_doc):
    got, _ = keys_and_headings(write_doc(PREAMBLE + "一、总体要求\n（一）主要目标：\n到2025年建成体系。\n"))
    assert got == [("1.1", "主要目标")]


def test_numbers_inside_text_are_not_headings(write_doc):
    text = PREAMBLE + (
        "一、主要任务\n(一)建设基地。建成3所学校，比例达到1.5%，覆盖2、3个区县。\n(二)加强师资。内容。\n"
    )
    got, _ = keys_and_headings(write_doc(text))
    assert [k for k, _ in got] == ["1.1", "1.2"]


def test_spans_point_into_original_text(write_doc):
    text = PREAMBLE + "一、总体要求\n（一）建设１０所学校。内容。\n"
    _got, parsed = keys_and_headings(write_doc(text))
    m = parsed.measures[0]
    assert parsed.document.slice(m.heading) == "建设１０所学校"
    assert parsed.document.slice(m.span).startswith("（一）")


LINEAR_TASKS = (
    "附件\n\n重点任务清单\n\n序号\n\n工作任务内容\n\n责任单位\n\n1\n\n建设实训基地。完善制度。\n\n"
    "区教委、区人力社保局\n\n2\n\n推进“双高计划”建设\n\n区教委等,有关高职院校\n\n"
    "备注:各单位按职责推进。\n"
)


def test_linearised_task_list(write_doc):
    text = PREAMBLE + "一、主要任务\n(一)建设基地。内容。\n" + LINEAR_TASKS
    got, parsed = keys_and_headings(write_doc(text))
    assert got == [("1.1", "建设基地"), ("T1", "建设实训基地"), ("T2", "推进“双高计划”建设")]
    t2 = parsed.measures[2]
    assert parsed.document.slice(t2.cells["units"]) == "区教委等,有关高职院校"
    assert parsed.document.slice(t2.cells["content"]) == "推进“双高计划”建设"
    # The outline measure before the annex does not swallow the task list.
    assert "序号" not in parsed.document.slice(parsed.measures[0].span)


def test_task_list_from_html_table(write_doc):
    html = (
        "<html><body><h2>某市实施方案</h2><p>为贯彻落实精神，制定本方案。</p><p>一、主要任务</p>"
        "<p>（一）建设基地。内容。</p><p>附件</p><table>"
        "<tr><th>序号</th><th>重点任务</th><th>牵头单位</th><th>配合单位</th></tr>"
        "<tr><td>1</td><td>建设公共实训基地。</td><td>市人社局</td><td>市财政局</td></tr>"
        "<tr><td>2</td><td>实施学徒制</td><td>市教育局</td><td>市总工会</td></tr>"
        "</table></body></html>"
    )
    got, parsed = keys_and_headings(write_doc(html, name="p.html"))
    assert [k for k, _ in got] == ["1.1", "T1", "T2"]
    t1 = parsed.measures[1]
    assert parsed.document.slice(t1.cells["lead_units"]) == "市人社局"
    assert parsed.document.slice(t1.cells["co_units"]) == "市财政局"


def test_document_without_outline_warns(write_doc):
    parsed = parse(write_doc("某市关于加强职业教育的通知\n各单位：请认真做好相关工作。\n"))
    assert parsed.measures == []
    assert any("no numbered outline" in w.message for w in parsed.document.warnings)


def test_seed_outlines_match_gold(gold):
    predictions = {p.stem: as_annotation(parse(p)) for p in sorted(SEEDS.glob("*.txt"))}
    report = evaluate(gold, predictions).to_json()
    assert report["micro"]["measures"]["f1"] >= 0.98
    assert report["micro"]["measures"]["heading_accuracy"] >= 0.95
    for field in ("title", "doc_number", "region", "date"):
        assert report["metadata"][field] == 1.0, field


def test_html_task_table_with_row_spanning_category(write_doc):
    html = (
        "<html><body><p>某市实施方案</p><p>为贯彻落实精神，制定本方案。</p><p>一、主要任务</p>"
        "<p>（一）建设基地。内容。</p><p>附件</p><table>"
        "<tr><th>序号</th><th>类别</th><th>重点任务</th><th>责任单位</th></tr>"
        "<tr><td>1.</td><td rowspan=2>师资</td><td>培养双师型教师。</td><td>市教育局</td></tr>"
        "<tr><td>2.</td><td>引进兼职教师</td><td>市人社局</td></tr>"
        "</table></body></html>"
    )
    got, parsed = keys_and_headings(write_doc(html, name="span.html"))
    assert got == [("1.1", "建设基地"), ("T1", "培养双师型教师"), ("T2", "引进兼职教师")]
    assert parsed.document.slice(parsed.measures[2].cells["units"]) == "市人社局"


def test_task_list_one_row_per_line(write_doc):
    text = PREAMBLE + (
        "一、主要任务\n(一)建设基地。内容。\n附件\n序号\t重点任务\t牵头单位\t配合单位\n"
        "1\t建设实训基地。\t市人社局\t市财政局\n2.  实施学徒制  市教育局  各县区政府\n"
    )
    got, parsed = keys_and_headings(write_doc(text))
    assert got == [("1.1", "建设基地"), ("T1", "建设实训基地"), ("T2", "实施学徒制")]
    t2 = parsed.measures[2]
    assert parsed.document.slice(t2.cells["lead_units"]) == "市教育局"
    assert parsed.document.slice(t2.cells["co_units"]) == "各县区政府"
