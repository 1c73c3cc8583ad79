"""Committees and databases in local regulations the project never saw (issue 18, sixth
round): a committee named under a government or under its examination authority is one body
(the government at its start is no mention of its own) and its bracketed second name is a
second surface form; a pool a rule feeds (纳入市某某资源库) is a named platform, while the same
pool written after a bare level below the document's own (区…资源库 in a city's text) is every
district's and names none. Every text here is written for this test; none comes from a seed,
dev or gold file."""

from __future__ import annotations

from conftest import annotate_text as annotate
from conftest import departments_of as departments
from conftest import institutions_of as institutions

EXAMS = (
    "温州市教育考试管理条例\n"
    "(2019年3月20日温州市人民代表大会常务委员会第九次会议通过)\n"
    "第一条 为了规范本市教育考试工作，制定本条例。\n"
    "第二条 考点的设置由市人民政府成人招生委员会(成人教育考试委员会)统一安排。\n"
    "第三条 阅卷工作在市教育考试中心命题工作委员会指导下进行，由市教育考试机构组织实施。\n"
)


def test_a_committee_under_a_government_is_one_body_with_its_second_name(write_doc):
    found = departments(annotate(write_doc, EXAMS))
    assert ("市人民政府成人招生委员会", "education") in found
    assert ("成人教育考试委员会", "education") in found  # the bracketed second name
    assert ("市教育考试中心命题工作委员会", "education") in found
    assert not [n for n, _ in found if n == "市人民政府"]  # part of the committee's name
    assert not [n for n, _ in found if n.endswith("考试机构")]  # a functional description


def test_a_government_and_a_congress_committee_stay_apart(write_doc):
    text = (
        "温州市教育考试管理条例\n"
        "第一条 市人民政府和市人民代表大会常务委员会应当支持考试工作。\n"
        "第二条 市人民政府应当保障考试经费。\n"
    )
    found = [n for n, _ in departments(annotate(write_doc, text))]
    assert not [n for n in found if n.endswith("委员会")]


POOL = (
    "苏州市青少年研学实践条例\n"
    "(2023年6月1日苏州市人民代表大会常务委员会第五次会议通过)\n"
    "第一条 为了促进青少年研学实践，制定本条例。\n"
    "第二条 市教育部门会同有关部门开展评估，将合格的研学基地纳入市研学实践场所资源库。"
    "区教育部门可以开展评估，将合格的场所纳入区研学实践场所资源库。\n"
)


def test_a_pool_a_rule_feeds_is_a_named_platform(write_doc):
    ann = annotate(write_doc, POOL)
    found = institutions(ann)
    assert ("市研学实践场所资源库", "platform") in found


def test_a_pool_of_a_level_below_the_document_names_none(write_doc):
    found = institutions(annotate(write_doc, POOL))
    assert not [n for n, _ in found if n.startswith("区")]  # every district keeps one
