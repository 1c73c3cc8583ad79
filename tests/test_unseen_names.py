"""Name shapes met on unseen national plans and local opinions (issue 18): pilots sharing one
head, short names declared in brackets, coordinating bodies named with a department at their
start, people's organisations in responsibility lists, and entry regimes. Every sentence is
written for this test (other subjects and places); none comes from a seed, dev, gold or
probe file."""

from __future__ import annotations

from conftest import annotate, names


def functions(ann: dict) -> dict[str, str]:
    """Department name → function."""
    return {r["name"]: r["function"] for r in ann["departments"]}


# --- pilots: items sharing one head name one pilot, copied as written (§5) -----------------


def test_items_joined_by_and_before_one_pilot_head_are_one_pilot(write_doc):
    ann = annotate(
        write_doc,
        "稳妥开展长学制培养和技能等级社会化认定试点，及时总结经验。",
        "各校要积极开展试点，按程序申报试点。",
    )
    programs = names(ann, "programs")
    assert programs == {"长学制培养和技能等级社会化认定试点": "pilot"}, programs


def test_items_listed_with_a_comma_before_one_pilot_head_are_one_pilot(write_doc):
    ann = annotate(write_doc, "在部分县推进弹性学习、学分互认试点，逐步扩大范围。")
    programs = names(ann, "programs")
    assert programs == {"弹性学习、学分互认试点": "pilot"}, programs


# --- short names declared in brackets -------------------------------------------------------


def test_a_declared_short_name_of_a_plan_is_the_plan(write_doc):
    ann = annotate(
        write_doc,
        "组织实施乡村教师技能跃升计划（以下称跃升计划），跃升计划每年培训教师2000人次。",
        "支持跃升计划向边远乡镇倾斜。",
    )
    programs = names(ann, "programs")
    assert set(programs) == {"乡村教师技能跃升计划"}, programs
    assert ("1.2", "乡村教师技能跃升计划") in {(s["measure"], s["target"]) for s in ann["supports"]}


def test_a_declared_short_name_of_a_group_is_the_group(write_doc):
    ann = annotate(
        write_doc,
        "牵头组建某县现代农业职业教育集团（以下简称农职集团），吸纳涉农企业参与。",
        "支持农职集团建设共享型实训场所。",
    )
    institutions = names(ann, "institutions")
    assert set(institutions) == {"某县现代农业职业教育集团"}, institutions
    assert {"measure": "1.2", "target": "某县现代农业职业教育集团"} in ann["supports"]


def test_a_declared_short_name_of_a_joint_meeting_is_the_meeting(write_doc):
    ann = annotate(
        write_doc,
        "发挥国务院技能人才工作部际联席会议（以下简称联席会议）统筹作用，联席会议每年听取一次汇报。",
    )
    departments = functions(ann)
    assert departments == {"国务院技能人才工作部际联席会议": "other"}, departments


# --- coordinating bodies: the whole name is one department (§3, function other) --------------


def test_a_joint_meeting_is_one_body_and_not_the_state_council(write_doc):
    ann = annotate(
        write_doc,
        "充分发挥国务院终身学习工作部际联席会议作用，研究解决重大问题。",
        "建立国务院终身学习工作部际联席会议制度。",
    )
    departments = functions(ann)
    assert departments == {"国务院终身学习工作部际联席会议": "other"}, departments
    assert names(ann, "programs").get("国务院终身学习工作部际联席会议制度") == "system"


def test_leading_groups_named_by_level_and_remit(write_doc):
    ann = annotate(
        write_doc,
        "充分发挥省技工教育工作领导小组作用。区推进校地合作领导小组定期会商。（责任单位：区推进校地合作领导小组办公室、区人民政府）",
    )
    departments = functions(ann)
    assert departments.get("省技工教育工作领导小组") == "other", departments
    assert departments.get("区推进校地合作领导小组") == "other", departments
    assert departments.get("区推进校地合作领导小组办公室") == "other", departments


def test_a_government_inspection_commission_is_one_education_body(write_doc):
    ann = annotate(write_doc, "县人民政府教育督导委员会每学期开展一次专项督导。")
    departments = functions(ann)
    assert departments == {"县人民政府教育督导委员会": "education"}, departments


# --- people's organisations listed as responsible units are departments (§3) ----------------


def test_peoples_organisations_in_a_responsibility_list(write_doc):
    ann = annotate(
        write_doc,
        "组织青年技能展示活动。（责任单位：共青团某县委、县妇联、县科协、县残联、县工商联、县总工会）",
        "开展巾帼技能培训。（责任单位：共青团某省委员会）",
    )
    departments = functions(ann)
    assert departments.get("共青团某县委") == "other", departments
    assert departments.get("共青团某省委员会") == "other", departments
    assert "某县委" not in departments
    assert departments.get("县工商联") == "federation_industry_commerce"
    assert departments.get("县总工会") == "trade_union"
    for body in ("县妇联", "县科协", "县残联"):
        assert departments.get(body) == "other", departments


# --- regimes: entry regimes are schemes, generic arrangements are not (§5) --------------------


def test_entry_regimes_are_programs_without_a_setting_up_verb(write_doc):
    ann = annotate(
        write_doc,
        "严格从业人员准入制度，稳步推进技能岗位准入制度改革。",
        "企业应当落实职工培训制度，健全技能人才待遇保障制度。",
    )
    programs = names(ann, "programs")
    assert programs.get("从业人员准入制度") == "system", programs
    assert programs.get("技能岗位准入制度") == "system", programs
    assert not any(p.endswith(("培训制度", "保障制度")) for p in programs), programs
