"""Mention shapes met on unseen documents (issue 18, probe S2-S7): class heads and
construction works taken as programs, level collectives taken as departments, designation
classes and sector words taken as institutions, schemes missed after 实施/推进, number words
in multiples, baselines, and a lead marker written after the unit. Every sentence is
written for this test (other subjects and places); none comes from a seed, dev, gold or
probe file."""

from __future__ import annotations

from conftest import annotate, names

from kg.evaluation.annotation import as_annotation
from kg.extraction import extract

# --- S2: programs that are no named scheme --------------------------------------------------


def test_span_starting_with_a_connective_or_verb_is_no_program(write_doc):
    ann = annotate(
        write_doc,
        "体育馆应当与小区同步建设，并与第一期主体工程同时交付使用。",
        "住房部门在核发建设工程施工许可证时，应当征求体育部门意见。",
        "体育发展专项资金用于资助相关训练项目或者赛事的，由双方共同申报。",
    )
    programs = names(ann, "programs")
    assert not any(p.startswith(("并", "与", "核发")) for p in programs), programs
    assert not any("用于" in p or "主体工程" in p for p in programs), programs


def test_class_heads_with_only_a_generic_modifier_are_no_programs(write_doc):
    ann = annotate(
        write_doc,
        "省体育主管部门应当推动人才工程项目与各类训练、基地计划相衔接。",
        "对入选省级人才工程和重点人才工程的教练员给予奖励。",
    )
    programs = names(ann, "programs")
    for generic in ("人才工程项目", "基地计划", "人才工程", "省级人才工程", "重点人才工程"):
        assert generic not in programs, programs


def test_a_plan_someone_must_draw_up_is_no_program(write_doc):
    ann = annotate(
        write_doc,
        "县级以上人民政府应当制定社会体育指导员培养计划，并组织实施。",
        "体育部门应当会同有关部门制定并实施教练员、裁判员培训计划。",
    )
    programs = names(ann, "programs")
    assert "社会体育指导员培养计划" not in programs
    assert "裁判员培训计划" not in programs


def test_an_alias_and_the_documents_own_title_are_no_programs(write_doc):
    text = (
        "某县人民政府办公室关于印发体育强县建设行动计划（2023—2025年）的通知\n\n"
        "各乡镇人民政府，县政府各部门：\n\n"
        "现将《体育强县建设行动计划（2023—2025年）》印发给你们，请认真贯彻执行。\n\n"
        "体育强县建设行动计划（2023—2025年）\n\n"
        "为推动全民健身，特制定体育强县建设行动计划（2023—2025年）（以下简称“行动计划”）。\n\n"
        "一、重点任务\n\n（一）实施青少年体能提升项目，开展全民健身活动。\n"
    )
    ann = as_annotation(extract(write_doc(text), keywords=False))
    programs = names(ann, "programs")
    assert "行动计划" not in programs
    assert "体育强县建设行动计划" not in programs
    assert "青少年体能提升项目" in programs


# --- S5: programs missed ---------------------------------------------------------------------


def test_named_projects_after_a_verb_with_a_content_word(write_doc):
    ann = annotate(
        write_doc,
        "实施中职学校办学条件提升项目，建设一批高水平训练基地。",
        "实施体育强市项目和青少年体质提升行动。",
        "推进国家体教融合试点城市建设，实施校地合作协同育人项目。",
    )
    programs = names(ann, "programs")
    assert programs.get("中职学校办学条件提升项目") == "project"
    assert programs.get("体育强市项目") == "project"
    assert programs.get("校地合作协同育人项目") == "project"
    assert programs.get("国家体教融合试点城市") == "pilot"


def test_a_regime_after_a_composed_of_clause(write_doc):
    ann = annotate(
        write_doc,
        "县人民政府应当建立由体育、卫生健康等有关部门和共青团、有关协会组成的全民健身工作联席会议制度。",
    )
    assert names(ann, "programs").get("全民健身工作联席会议制度") == "system"


# --- S3: level collectives are no departments ----------------------------------------------


def test_level_collectives_are_no_departments(write_doc):
    ann = annotate(
        write_doc,
        "省、自治区、直辖市人民政府应当加强对体育工作的领导。",
        "设区的市人民政府和县级人民政府应当统筹体育场地布局。",
        "省辖市人民政府应当将全民健身经费列入预算。",
        "市和县(市)区人民政府应当保障训练经费。",
    )
    departments = {d["name"] for d in ann["departments"]}
    assert "市人民政府" not in departments, departments
    assert "区人民政府" not in departments, departments


# --- S4: institutions without a proper name --------------------------------------------------


def test_designations_classes_and_clause_fragments_are_no_institutions(write_doc):
    ann = annotate(
        write_doc,
        "国家制定体育学校教练员配备基本标准。",
        "体育学校实行中国共产党体育学校基层组织领导的校长负责制。",
        "学分可以转换为电视大学、业余大学等的同类课程学分。",
        "支持高等学校建设国家实验室、国家技术创新中心和国家工程研究中心。",
    )
    institutions = {i["name"] for i in ann["institutions"]}
    for generic in (
        "国家制定体育学校",
        "中国共产党体育学校",
        "电视大学",
        "业余大学",
        "国家实验室",
        "国家技术创新中心",
        "国家工程研究中心",
    ):
        assert generic not in institutions, institutions
    assert not {s["target"] for s in ann["supports"]} & {"国家实验室", "国家技术创新中心"}


def test_sector_words_before_deng_qiye_are_no_enterprises(write_doc):
    ann = annotate(
        write_doc,
        "支持新材料、生物医药等企业与职业院校共建实训基地。",
        "鼓励宏达体育、飞燕等企业参与训练基地建设。",
    )
    institutions = {i["name"] for i in ann["institutions"]}
    assert not institutions & {"新材料", "生物医药"}, institutions
    assert {"宏达体育", "飞燕"} <= institutions, institutions
    assert not {s["target"] for s in ann["supports"]} & {"新材料", "生物医药"}


# --- S6: indicators ----------------------------------------------------------------------------


def _indicators(ann: dict) -> set[tuple]:
    return {(i["value"], i["value_max"], i["unit"], i["comparator"]) for i in ann["indicators"]}


def test_multiples_in_words(write_doc):
    ann = annotate(
        write_doc,
        "体育学校生均经费不低于当地普通中学标准的二点五倍。",
        "特殊体育学校生均经费不低于当地小学标准的十倍。",
        "处所挪用经费的一倍以上三倍以下罚款。",
    )
    found = _indicators(ann)
    assert (2.5, None, "倍", ">=") in found, found
    assert (10, None, "倍", ">=") in found, found
    assert (1, 3, "倍", "range") in found, found
    assert (5, None, "倍", ">=") not in found and (3, None, "倍", "<=") not in found, found


def test_a_baseline_population_is_no_target(write_doc):
    ann = annotate(write_doc, "以全县4200多名退役运动员为主要对象，到2026年，新增就业500人以上。")
    found = _indicators(ann)
    assert not any(v == 4200 for v, *_ in found), found
    assert (500, None, "人", ">=") in found, found


# --- S7: a lead marker after the unit -------------------------------------------------------


def test_lead_marker_written_after_the_unit(write_doc):
    ann = annotate(write_doc, "加强体育设施建设。（责任单位：县体育局〔牵头〕、县财政局）")
    units = {(r["unit"], r["role"]) for r in ann["responsible_for"]}
    assert ("县体育局", "lead") in units, units
    assert not any("牵头" in u for u, _ in units), units


# --- second round (issue 18): regimes, founded platforms, clause fragments, lower levels ----


def test_a_regime_pairing_two_certificates(write_doc):
    ann = annotate(
        write_doc,
        "实行体育职业学校毕业生学历证书和职业资格证书双证书制度。",
        "推行艺术学校学生学历证书、职业技能等级证书双证书制度。",
    )
    # the shortest span that names the scheme (GUIDELINES §5): the pair is its description
    assert names(ann, "programs") == {"双证书制度": "system"}, names(ann, "programs")


def test_adverbs_and_verb_clauses_are_no_programs(write_doc):
    ann = annotate(
        write_doc,
        "培训可以采取讲座、观摩和有计划、有考核的自学等形式进行。",
        "各试点县要加强统筹，如期实现试点目标。",
        "县人民政府应将体育事业纳入国民经济和社会发展计划，统筹安排。",
    )
    programs = names(ann, "programs")
    assert not any("有计划" in p or "实现" in p for p in programs), programs
    assert "国民经济和社会发展计划" not in programs, programs


def test_clause_fragments_with_a_school_head_are_no_institutions(write_doc):
    ann = annotate(
        write_doc,
        "为地方所办学校提供训练场地。",
        "专职教练员应具有大学本科及以上学历。",
    )
    assert not names(ann, "institutions"), ann["institutions"]


def test_a_bare_lower_level_government_in_a_municipal_regulation(write_doc):
    text = (
        "天津市全民健身条例\n\n"
        "第一条 为了促进全民健身，制定本条例。\n\n"
        "第二条 市人民政府应当将全民健身事业纳入规划。\n\n"
        "第三条 区人民政府应当保障社区健身设施用地。\n"
    )
    ann = as_annotation(extract(write_doc(text), keywords=False))
    departments = {d["name"] for d in ann["departments"]}
    assert "市人民政府" in departments, departments
    assert "区人民政府" not in departments, departments


def test_the_subject_of_a_count_after_a_founding_verb_is_the_counted_noun(write_doc):
    ann = annotate(write_doc, "到2026年，建立30个社区健身中心，实施12个全民健身示范项目。")
    subjects = {r["value"]: r["subject"] for r in ann["indicators"]}
    assert subjects.get(30) == "社区健身中心", subjects
    assert subjects.get(12) == "全民健身示范项目", subjects


def test_a_count_in_words_before_a_frame_or_a_formula_is_no_indicator(write_doc):
    ann = annotate(
        write_doc,
        "教练员培训的周期为二至四年，一个周期内的学时可以集中使用。",
        "体育学校校长应坚持四项基本原则，每年至少组织一项专项评估。",
    )
    found = {(r["value"], r["value_max"], r["unit"]) for r in ann["indicators"]}
    assert (2, 4, "年") in found, found
    assert (1, None, "项") in found, found
    assert (1, None, "个") not in found, found
    assert (4, None, "项") not in found, found


# --- national plans (issue 18, probe 4): a lead unit beside a generic sub-clause ------------


def test_a_lead_clause_beside_generic_bodies_keeps_the_lead(write_doc):
    ann = annotate(
        write_doc,
        "完善博物馆讲解员培训制度。（县文旅局牵头，有关部门按职责分工负责）",
        "推进图书馆数字化改造。（县文旅局、县科技局牵头，有关部门参与）",
        "加强文物安全巡查。（县公安局牵头，县林业局参与）",
        "开放体育场馆。（县体育局牵头，各有关部门配合）",
    )
    units = {(r["measure"], r["unit"], r["role"]) for r in ann["responsible_for"]}
    assert units == {
        ("1.1", "县文旅局", "lead"),
        ("1.2", "县文旅局", "lead"),
        ("1.2", "县科技局", "lead"),
        ("1.3", "县公安局", "lead"),
        ("1.3", "县林业局", "responsible"),
        ("1.4", "县体育局", "lead"),
    }, units


def test_a_verb_of_review_or_scale_before_a_scheme_is_not_part_of_its_name(write_doc):
    ann = annotate(
        write_doc,
        "总结青少年体育俱乐部星级评定试点经验，推广到其他地区。",
        "扩大校园足球进社区试点覆盖面。",
        "借鉴学徒式教练员培养计划做法，完善训练体系。",
    )
    programs = names(ann, "programs")
    assert programs.get("青少年体育俱乐部星级评定试点") == "pilot", programs
    assert programs.get("校园足球进社区试点") == "pilot", programs
    assert programs.get("学徒式教练员培养计划") == "plan", programs
    assert not any(p.startswith(("总结", "扩大", "借鉴")) for p in programs), programs
