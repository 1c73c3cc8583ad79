"""Institutions and departments over-matched by the review of issue 18: a workshop's host
that swallowed the verb before it, ranks and industries read as a master's name, a
committee that took its describing clause, an approval in a rule's text that dropped the
approving committee."""

from conftest import annotate, names


def _departments(ann: dict) -> dict[str, str]:
    return {r["name"]: r["function"] for r in ann["departments"]}


def test_workshop_host_starts_after_the_verb(write_doc):
    ann = annotate(
        write_doc,
        "推荐沈阳机床研究所赵刚技能大师工作室参加评选。",
        "支持西南电缆有限公司孙磊技能大师工作室带徒传艺。",
        "确定华北钢铁有限公司钱涛劳模创新工作室为示范点。",
    )
    got = names(ann, "institutions")
    assert got.get("沈阳机床研究所") == "research"
    assert got.get("沈阳机床研究所赵刚技能大师工作室") == "platform"
    assert got.get("西南电缆有限公司") == "enterprise"
    assert got.get("西南电缆有限公司孙磊技能大师工作室") == "platform"
    assert got.get("华北钢铁有限公司钱涛劳模创新工作室") == "platform"
    assert not any(n.startswith(("推荐", "支持", "确定")) for n in got)


def test_workshop_host_with_bare_level_is_no_name(write_doc):
    ann = annotate(write_doc, "依托县技师学院郑丽名师工作室培养青年教师。")
    got = names(ann, "institutions")
    assert not any(n.startswith("依托") for n in got)
    assert "县技师学院" not in got
    assert got.get("郑丽名师工作室") == "platform"


def test_ranks_and_industries_are_no_master(write_doc):
    ann = annotate(
        write_doc,
        "成立首席技师工作室三个。",
        "培育高端技能大师工作室，打造金牌技能大师工作室。",
        "申报石化技能大师工作室和农业技能大师工作室。",
    )
    assert not any("工作室" in n for n in names(ann, "institutions"))


def test_listed_workshops_keep_their_hosts(write_doc):
    ann = annotate(write_doc, "名单：冀中煤业(集团)孟达技能大师工作室、红星机械厂杜峰技能大师工作室。")
    got = names(ann, "institutions")
    assert got.get("冀中煤业(集团)孟达技能大师工作室") == "platform"
    assert got.get("红星机械厂杜峰技能大师工作室") == "platform"


def test_committee_name_stops_at_its_clause(write_doc):
    ann = annotate(
        write_doc,
        "本省设立的高等教育质量评估委员会负责评估工作。",
        "本市成立由市财政局牵头的专项资金监督委员会。",
        "区政府成立以区长为主任的目标考核委员会。",
    )
    got = _departments(ann)
    assert got.get("高等教育质量评估委员会") == "other"
    assert got.get("市财政局") == "finance"
    assert not any(n.startswith(("的", "由", "以")) for n in got)


def test_approving_committee_in_a_rule_is_an_actor(write_doc):
    ann = annotate(write_doc, "经国务院学位委员会批准，有关高等学校可以授予博士学位。")
    assert _departments(ann).get("国务院学位委员会") == "education"


def test_notice_approval_formula_names_no_actor(write_doc):
    ann = annotate(write_doc, "经州政府同意，现将本方案印发给你们，请认真执行。")
    assert "州政府" not in _departments(ann)
