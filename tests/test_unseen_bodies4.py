"""Departments and institutions on regulations the project never saw (issue 18, fourth round):
a platform a body founds (统一…平台, …会同…建立…平台), degree committees and a committee the
regulation sets up (government bodies, never institutions, 国务院 no mention of its own inside
国务院学位委员会), and bodies heading a title written without its 《》. Every text here is
written for this test; none comes from a seed, dev or gold file."""

from __future__ import annotations

from conftest import annotate_text as annotate
from conftest import departments_of as departments
from conftest import institutions_of as institutions

REGULATION = (
    "岭南市技工教育条例\n"
    "第一条　为了发展技工教育，根据有关法律、法规，结合本市实际，制定本条例。\n"
    "第二条　市学位委员会负责统筹本市技工院校的学士学位授予工作。"
    "技工院校申请硕士专业学位授权的，由国务院学位委员会审批。\n"
    "第三条　本市设立技工教育经费评估咨询委员会，对技工教育经费的投入和使用提出评估意见。\n"
    "第四条　市人力资源社会保障部门应当建立统一实习管理平台，发布企业实习岗位信息。\n"
    "第五条　技工院校设立学术委员会，审议学科建设和学术评价事项。\n"
)


def test_degree_committees_are_government_bodies_with_their_level(write_doc):
    ann = annotate(write_doc, REGULATION)
    found = departments(ann)
    assert ("市学位委员会", "education") in found
    assert ("国务院学位委员会", "education") in found
    assert ("国务院", "government") not in found  # only the first word of the committee's name
    assert not any("委员会" in name for name, _ in institutions(ann))


def test_committee_the_regulation_sets_up_is_a_department(write_doc):
    found = departments(annotate(write_doc, REGULATION))
    assert ("技工教育经费评估咨询委员会", "other") in found
    assert not any(name.endswith("学术委员会") for name, _ in found)  # a school's own committee


def test_unified_platform_a_bureau_founds_is_an_institution(write_doc):
    assert ("统一实习管理平台", "platform") in institutions(annotate(write_doc, REGULATION))


def test_platform_founded_by_bodies_named_by_function(write_doc):
    text = (
        "某某省终身学习促进条例\n"
        "第一条　为了促进终身学习，制定本条例。\n"
        "第二条　县级以上人民政府教育行政部门会同同级人民政府有关部门建立和完善社区学习成果认定平台，"
        "为学习者提供查询和认定服务。\n"
        "第三条　学习者可以通过网络平台参加学习。\n"
    )
    found = institutions(annotate(write_doc, text))
    assert found == [("社区学习成果认定平台", "platform")]


def test_bodies_heading_a_title_without_its_marks_are_not_actors(write_doc):
    text = (
        "某县家政技能培训实施方案\n"
        "为贯彻落实省人民政府办公厅关于印发家政服务提质扩容行动方案的通知精神和市人社局关于做好家政培训工作的意见，"
        "结合我县实际，制定本方案。\n"
        "一、县人社局负责组织实施家政技能培训。\n"
        "二、县财政局负责落实培训补贴资金。\n"
    )
    found = [name for name, _ in departments(annotate(write_doc, text))]
    assert found == ["县人社局", "县财政局"]
