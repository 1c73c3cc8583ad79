"""Program and department shapes met on unseen regulations (issue 18, second probe): a school's
governance regime named by the office that heads it, a regime named by its quoted slogan,
regional variants of a national strategy named as a goal or paired with another strategy,
short national names and their siblings in a 、-list, names sharing one class of scheme,
honours conferred as a regime, awards conferred by name, the policy's own title without its
region, and a level-less mass organisation in a list of kinds. Every sentence is written for
this test (other places and subjects); none comes from a seed, dev, gold or probe file."""

from __future__ import annotations

from conftest import annotate, names

from kg.evaluation.annotation import as_annotation
from kg.extraction import extract


def test_a_school_runs_a_governance_regime_named_by_its_head(write_doc):
    ann = annotate(
        write_doc,
        "护理学院实行院长负责制，院长依法行使职权。",
        # who answers for a task is no regime
        "年度安全检查工作实行院长负责制。",
    )
    programs = names(ann, "programs")
    assert programs == {"院长负责制": "system"}, programs


def test_a_regime_named_by_its_quoted_slogan(write_doc):
    ann = annotate(
        write_doc,
        "各用人单位应当遵守国家关于“先学习、后上岗”的用工制度，优先录用对口毕业生。",
        # the same slogan as a principle names no regime
        "坚持“先实践、后总结”的原则，稳步推进各项工作。",
    )
    programs = names(ann, "programs")
    assert programs == {"先学习、后上岗": "system"}, programs


def test_a_regional_strategy_named_as_a_goal_or_sharing_its_strategy_word(write_doc):
    ann = annotate(
        write_doc,
        "为深入推进科教兴市建设，制定本办法。",
        "区人民政府应当按照人才强区和乡村振兴战略的要求，完善扶持措施。",
    )
    programs = names(ann, "programs")
    assert programs == {"科教兴市": "strategy", "人才强区": "strategy", "乡村振兴战略": "strategy"}, programs


def test_a_short_national_name_and_its_siblings_in_a_listed_field_of_work(write_doc):
    ann = annotate(
        write_doc,
        "支持高校推动新工科、新理科等专业建设，优化专业结构。",
        # outside such a list the short name alone names nothing
        "鼓励学生选修新工科课程。",
    )
    programs = names(ann, "programs")
    assert programs == {"新工科": "other", "新理科": "other"}, programs


def test_names_sharing_one_class_of_scheme_are_each_a_scheme(write_doc):
    ann = annotate(
        write_doc,
        "市人民政府组织实施春晖系列和雏鹰系列等市级人才工程，对入选人员给予资助。",
        # items of different shapes before a class stay out
        "组织实施课程改革和教材建设等重点工程。",
    )
    programs = names(ann, "programs")
    assert programs == {"春晖系列": "project", "雏鹰系列": "project"}, programs


def test_honours_conferred_as_a_regime_and_an_award_by_name(write_doc):
    ann = annotate(
        write_doc,
        "实行优秀乡村教师表彰奖励制度。",
        "对作出突出贡献的技师，颁发江城工匠荣誉奖，并给予奖励。",
        # a body's own bonuses and a scholarship handed out are no scheme
        "完善教职工奖励制度，按规定颁发奖学金。",
    )
    programs = names(ann, "programs")
    assert programs == {"优秀乡村教师表彰奖励制度": "system", "江城工匠荣誉奖": "brand"}, programs


def test_the_policys_own_title_without_its_region_is_no_program(write_doc):
    text = (
        "云溪区第二期特殊教育三年行动计划\n"
        "为促进特殊教育发展，结合我区实际，特制定第二期特殊教育三年行动计划。\n"
        "一、主要任务\n"
        "（一）实施送教上门提升行动，扩大服务覆盖面。\n"
    )
    ann = as_annotation(extract(write_doc(text), keywords=False))
    assert ann["metadata"]["title"] == "云溪区第二期特殊教育三年行动计划", ann["metadata"]
    programs = names(ann, "programs")
    assert "第二期特殊教育三年行动计划" not in programs, programs
    assert programs == {"送教上门提升行动": "action"}, programs


def test_a_mass_organisation_without_a_level_in_a_list_of_kinds_is_no_department(write_doc):
    ann = annotate(
        write_doc,
        "工会、妇女联合会、工商业联合会等团体应当做好会员的联络服务工作。",
        "县工商联负责组织会员企业参与校企合作。",
    )
    departments = {r["name"] for r in ann["departments"]}
    assert departments == {"县工商联"}, departments
