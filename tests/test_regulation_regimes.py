"""Regimes, strategies and platforms as local regulations name them (docs/annotation.md §4,
§5): regimes set up after 按照 or after a describing clause, named by whom they serve or by
the clause before 的制度, ending in 制 inside a compound, entry controls, supervisory
evaluations, list-managed regimes, provincial variants of national strategies, and platforms
a regulation founds. The shapes were found on real regulations (issue 18); the sentences
here were written for this test (other places and subjects), not copied from any document."""

from __future__ import annotations

import pytest
from conftest import annotate, names

PROGRAMS = [
    # 按照 names the regime a practice follows; a regime may end in 制 without 度.
    ("各院校按照三导师制、项目驱动等模式开展联合培养。", {"三导师制": "system"}),
    # A boundary verb with fewer than three characters after it is part of the name.
    ("县人民政府应当建立完善青年工匠评选表彰制度。", {"青年工匠评选表彰制度": "system"}),
    # A describing clause listing who takes part (、) stands before the name.
    ("建立学校、行业和家庭共同分担的青年技师培养制度。", {"青年技师培养制度": "system"}),
    # Whom a regime serves is part of its name, even when its head alone is generic.
    ("建立健全面向全体退役军人的职业培训制度。", {"面向全体退役军人的职业培训制度": "system"}),
    # A regime described only by the clause before 的制度.
    ("实行青年工人上岗前接受安全技能训练的制度。", {"青年工人上岗前接受安全技能训练的制度": "system"}),
    # A regime managed by a list is named, not a body's own management rules.
    ("技能等级认定实行职业工种目录清单管理制度。", {"职业工种目录清单管理制度": "system"}),
    # A periodic evaluation of institutions is a supervisory regime.
    ("各类培训机构实行年度评估制度。", {"年度评估制度": "system"}),
    # A regime ending in 制 as the modifier of the training run under it.
    ("组织应届初中毕业生参加一定期限的就业预备制培训。", {"就业预备制": "system"}),
    # An entry control, like an entry regime, is named wherever it stands.
    ("对实行职业准入控制的工种，须持证上岗。", {"职业准入控制": "system"}),
    # Regional variants of a national strategy named after the country.
    ("为了实施科教兴鲁战略，发展技工教育。", {"科教兴鲁战略": "strategy"}),
    ("深入实施人才强市战略。", {"人才强市战略": "strategy"}),
]


@pytest.mark.parametrize("sentence,expected", PROGRAMS, ids=[s[:12] for s, _ in PROGRAMS])
def test_regulation_regimes(write_doc, sentence, expected):
    assert names(annotate(write_doc, sentence), "programs") == expected


NOT_PROGRAMS = [
    # A clause of conformity before 的制度 describes any arrangement.
    "建立符合行业发展实际要求的制度。",
    # A short stem before 制 is a class of practice.
    "按照学分制组织教学。",
    "组织学员参加学徒制培养。",
    # A body's own training or management rules stay generic.
    "建立健全企业职工培训制度。",
    "实行专兼职讲师管理制度。",
    # 力争 governs what follows; it is no part of a name.
    "力争学徒制培养比例达到三成。",
]


@pytest.mark.parametrize("sentence", NOT_PROGRAMS, ids=[s[:12] for s in NOT_PROGRAMS])
def test_not_regulation_regimes(write_doc, sentence):
    assert names(annotate(write_doc, sentence), "programs") == {}


def test_platform_founded_after_description_and_its_short_uses(write_doc):
    ann = annotate(
        write_doc,
        "用人单位可以通过农业技能培训信息服务平台共同申报补贴。",
        "县人力社保部门应当建立健全开放共享的县域农业技能培训信息服务平台，发布供求信息。",
    )
    assert names(ann, "institutions") == {
        "县域农业技能培训信息服务平台": "platform",
        "农业技能培训信息服务平台": "platform",
    }


def test_platform_only_explored_is_not_founded(write_doc):
    ann = annotate(write_doc, "探索建立开放共享的县域农业技能培训信息服务平台，发布供求信息。")
    assert names(ann, "institutions") == {}
