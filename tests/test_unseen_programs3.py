"""Program, institution and department shapes met on unseen regulations (issue 18, third
probe): management and safeguard regimes with a long qualifier, a regime for two parallel
acts, a single scope kept before a credit-transfer regime, employer-internal paid regimes,
a designated activity week, a level count before a platform, and a promotion committee a
government sets up. Every sentence is written for this test (other places and subjects);
none comes from a seed, dev, gold or probe file."""

from __future__ import annotations

from conftest import annotate, names


def test_a_management_or_safeguard_regime_with_a_long_qualifier_is_a_program(write_doc):
    ann = annotate(
        write_doc,
        "县级以上人民政府应当建立农村留守老人关爱服务管理制度，保障其基本生活。",
        "县级以上人民政府应当建立退役士兵安置就业保障制度，拓宽就业渠道。",
        # short qualifiers stay generic arrangements
        "各养老机构应当完善财务管理制度和设备管理制度。",
    )
    programs = names(ann, "programs")
    assert programs == {"农村留守老人关爱服务管理制度": "system", "退役士兵安置就业保障制度": "system"}, programs


def test_a_regime_for_two_parallel_acts_is_one_name(write_doc):
    ann = annotate(
        write_doc,
        "各培训机构应当建立入学和退学登记制度，按月报送教育行政部门。",
        # a second verb joined to the first stays no part of the name
        "街道办事处应当完善和实施社区老年助餐补贴制度。",
    )
    programs = names(ann, "programs")
    assert programs == {"入学和退学登记制度": "system", "社区老年助餐补贴制度": "system"}, programs


def test_a_single_scope_stays_before_a_credit_transfer_regime(write_doc):
    ann = annotate(
        write_doc,
        "逐步建立社区教育学分转换制度，推动学习成果互认。",
        # a list of schools before it is the regime's scope, not its name
        "探索建立中职、高职与本科课程学分转换制度。",
    )
    programs = names(ann, "programs")
    assert programs == {"社区教育学分转换制度": "system", "学分转换制度": "system"}, programs


def test_a_paid_regime_an_employer_grants_its_staff_is_internal(write_doc):
    ann = annotate(write_doc, "鼓励企业和社会组织建立带薪进修制度，支持职工参加技能提升培训。")
    assert names(ann, "programs") == {}, ann["programs"]
    assert ann["supports"] == [], ann["supports"]


def test_a_designated_activity_week_is_a_program(write_doc):
    ann = annotate(write_doc, "每年五月的第二周为本省职业技能宣传周。")
    assert names(ann, "programs") == {"职业技能宣传周": "activity"}, ann["programs"]


def test_a_level_count_is_no_part_of_a_platform_name(write_doc):
    ann = annotate(write_doc, "建立省、市两级农业技术推广公共服务平台，整合各类农技资源。")
    institutions = names(ann, "institutions")
    assert not any("两级" in n for n in institutions), institutions


def test_a_promotion_committee_of_a_government_is_a_department(write_doc):
    ann = annotate(
        write_doc,
        "市乡村人才振兴与农业技能促进委员会负责统筹、协调全市农业技能培训工作。",
        # set up at every level, the committee is a kind of body, not one body
        "市和县（市）区设立农业技能促进委员会，负责本地区有关工作。",
    )
    departments = {r["name"] for r in ann["departments"]}
    assert departments == {"市乡村人才振兴与农业技能促进委员会"}, departments
    assert ann["institutions"] == [], ann["institutions"]
