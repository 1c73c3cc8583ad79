"""Cited documents above the body (GUIDELINES §6, issue 18): a forwarding notice's own
paragraph and a regulation's adoption lines cite works too; the work the notice forwards
is the document itself. Every text here is written for the test."""

from __future__ import annotations

from kg.evaluation.annotation import as_annotation
from kg.extraction import extract


def cited(write_doc, text: str) -> dict[str, str | None]:
    annotation = as_annotation(extract(write_doc(text)))
    return {c["title"]: c["doc_number"] for c in annotation["cited_documents"]}


PLAN = "丰溪市社区老年教育提升实施方案"
PLAN_BODY = (
    f"{PLAN}\n为办好社区老年教育，结合本市实际，制定本方案。\n"
    "一、工作目标\n（一）到2025年，全市建成社区老年学校20所。\n"
    "二、工作措施\n（一）完善办学网络，依托社区服务中心开设课程。\n"
)


def test_notice_paragraph_ground_is_cited_and_forwarded_plan_is_not(write_doc):
    text = (
        "丰政办发〔2023〕12号\n各区县人民政府，市政府各部门：\n"
        "为推进社区老年教育，根据省人民政府办公厅《关于发展老年教育的若干意见》（省政办发〔2021〕7号）"
        f"精神，现将《{PLAN}》印发给你们，请认真组织实施。\n"
        "丰溪市人民政府办公室\n2023年5月6日\n" + PLAN_BODY
    )
    assert cited(write_doc, text) == {"关于发展老年教育的若干意见": "省政办发〔2021〕7号"}


def test_plan_issued_together_with_the_document_is_cited(write_doc):
    text = (
        f"丰溪市人民政府关于印发《{PLAN}（2023—2025年）》《丰溪市家庭教育指导行动计划》的通知\n"
        "丰政发〔2023〕4号\n各区县人民政府，市政府各部门：\n"
        f"《{PLAN}（2023—2025年）》《丰溪市家庭教育指导行动计划》已经市政府常务会议审议通过，"
        "现印发给你们，请认真贯彻执行。\n丰溪市人民政府\n2023年3月2日\n" + PLAN_BODY
    )
    assert cited(write_doc, text) == {"丰溪市家庭教育指导行动计划": None}


def test_forwarded_work_named_otherwise_than_the_title_is_not_cited(write_doc):
    text = (
        "各乡镇人民政府，区直各部门：\n"
        "根据市教育局《关于推进学校体育场馆开放的通知》（青教发〔2022〕9号）等文件精神，"
        "制定《青禾区学校场馆开放三年计划》。现印发给你们，请认真贯彻执行。\n"
        "青禾区人民政府办公室\n2022年8月1日\n"
        "青禾区学校体育场馆向社会开放工作方案\n为推动学校场馆开放，结合我区实际，制定本方案。\n"
        "一、开放范围\n（一）到2024年，开放学校不少于30所。\n"
    )
    assert cited(write_doc, text) == {"关于推进学校体育场馆开放的通知": "青教发〔2022〕9号"}


def test_revision_decisions_in_adoption_lines_are_cited(write_doc):
    text = (
        "# 澄江市社区教育条例\n\n"
        "2001年6月8日 澄江市第十一届人民代表大会常务委员会第九次会议通过\n\n"
        "2012年9月27日 云岭省第十一届人民代表大会常务委员会第三十次会议批准的"
        "《澄江市人民代表大会常务委员会关于修改〈澄江市社区教育条例〉的决定》第一次修正\n\n"
        "2019年11月28日 澄江市第十五届人民代表大会常务委员会第二十次会议《关于修改部分地方性法规的决定》第二次修正\n\n"
        "第一条 为发展社区教育，根据《中华人民共和国教育法》，结合本市实际，制定本条例。\n\n"
        "第二条 本条例适用于本市行政区域内的社区教育活动。\n"
    )
    assert cited(write_doc, text) == {
        "澄江市人民代表大会常务委员会关于修改〈澄江市社区教育条例〉的决定": None,
        "关于修改部分地方性法规的决定": None,
        "中华人民共和国教育法": None,
    }


def test_number_with_other_bracket_glyphs_is_read(write_doc):
    text = PLAN_BODY.replace(
        "依托社区服务中心开设课程。",
        "按照《国务院办公厅关于发展社区教育的通知》(国办发„2016‟21号)要求，依托社区服务中心开设课程。",
    )
    assert cited(write_doc, text) == {"国务院办公厅关于发展社区教育的通知": "国办发„2016‟21号"}


def test_head_lines_that_forward_nothing_cite_nothing(write_doc):
    text = (
        f"丰溪市人民政府办公室关于印发《{PLAN}》的通知\n丰政办发〔2023〕12号\n"
        f"更多相关《{PLAN}》的资料请在本站搜索。\n"
        "各区县人民政府，市政府各部门：\n"
        f"《{PLAN}》已经市政府同意，现印发给你们，请认真组织实施。\n"
        "丰溪市人民政府办公室\n2023年5月6日\n" + PLAN_BODY
    )
    assert cited(write_doc, text) == {}


def test_a_notice_with_items_of_its_own_keeps_the_bodies_and_works_its_paragraph_names(write_doc):
    # the notice forwards a list and then sets out its own items: its paragraph is the
    # policy's preamble, so who reviewed the list and what it follows are read there
    text = (
        "各市、州教育局，有关学校：\n\n"
        "按照《某省职业学校专业设置管理办法》（某教职成〔2020〕5号）要求，经省教育厅、省财政厅"
        "联合评审，现将《某省首批骨干专业名单》印发给你们，并就有关事项通知如下：\n\n"
        "一、加强建设管理\n\n1.各地要加强指导，确保建设任务落实。\n"
    )
    ann = as_annotation(extract(write_doc(text), keywords=False))
    assert {d["name"] for d in ann["departments"]} == {"省教育厅", "省财政厅"}, ann["departments"]
    cited = {c["title"] for c in ann["cited_documents"]}
    assert cited == {"某省职业学校专业设置管理办法", "某省首批骨干专业名单"}, cited
