"""Targets met on documents the project never saw (issue 18): shares and durations written
with words for a fraction or a half, a deadline that opens a goal paragraph, and counts of
a slogan's parts that are no targets. Every sentence is written for this test
(other places and subjects); none comes from a seed, dev or gold file."""

from __future__ import annotations

import pytest
from conftest import annotate

from kg.evaluation.annotation import as_annotation
from kg.extraction import extract


def rows(write_doc, *sections: str) -> list[tuple]:
    ann = annotate(write_doc, *sections)
    return [(r["value"], r["value_max"], r["unit"], r["comparator"]) for r in ann["indicators"]]


# --- shares in words (§8: a share is a target; 一半以上 → 50 %) ----------------------------

SHARES = [
    ("超过一半的村级文化站配备专职管理员。", [(50, None, "%", ">")]),
    ("参加职业技能等级认定的学员超过三分之一。", [(33.33, None, "%", ">")]),
    ("乡镇卫生院中达到服务能力标准的过半。", [(50, None, "%", ">")]),
    ("三分之二以上的社区图书室实现通借通还。", [(66.67, None, "%", ">=")]),
    (
        "半数以上的农家书屋接入数字平台，其中三分之一以上提供有声读物。",
        [(50, None, "%", ">="), (33.33, None, "%", ">=")],
    ),
    # 一半时间 has no bound: a plain word, not a share; the bounded fraction after it is one.
    ("培训课程的一半时间用于实操，实操考核合格率不低于三分之二。", [(66.67, None, "%", ">=")]),
]


@pytest.mark.parametrize(("sentence", "expected"), SHARES, ids=[s for s, _ in SHARES])
def test_shares_in_words(write_doc, sentence, expected):
    assert rows(write_doc, sentence) == expected


# --- durations with a half (§8: durations are norms; the unit as written) -------------------

DURATIONS = [
    ("新招聘的护理人员须有半年以上临床轮转经历。", [(0.5, None, "年", ">=")]),
    ("驻村工作时间累计不少于一年半。", [(1.5, None, "年", ">=")]),
    ("每期集中培训不少于两个半月。", [(2.5, None, "个月", ">=")]),
    ("专题讲座每次不少于一个半小时。", [(1.5, None, "小时", ">=")]),
    (
        "专业教师每年到企业实践不少于1个月，五年累计不少于半年。",
        [(1, None, "个月", ">="), (0.5, None, "年", ">=")],
    ),
    # 每半年, 上半年: periods, not lengths; the bounded 半个月 is a norm.
    (
        "每半年开展一次督导，上半年完成自查，整改期不少于半个月。",
        [(1, None, "次", "="), (0.5, None, "个月", ">=")],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), DURATIONS, ids=[s for s, _ in DURATIONS])
def test_durations_with_a_half(write_doc, sentence, expected):
    assert rows(write_doc, sentence) == expected


# --- the year of a goal paragraph (§8 year: the deadline stated for it) ---------------------


def years(write_doc, *sections: str) -> list[tuple]:
    ann = annotate(write_doc, *sections)
    return [(r["measure"], r["value"], r["year"]) for r in ann["indicators"]]


def test_plan_period_opening_a_goal_block_dates_its_later_sentences(write_doc):
    assert years(
        write_doc,
        "发展目标。到“十四五”末，建成县级公共图书馆总分馆12个。培育阅读推广人500名，其中乡村阅读推广人不少于200名。",
    ) == [("1.1", 12, 2025), ("1.1", 500, 2025), ("1.1", 200, 2025)]


def test_deadline_opening_a_paragraph_dates_the_paragraph(write_doc):
    assert years(
        write_doc,
        "完善服务网络。健全乡镇综合文化站运行机制。\n到2023年底，新建农家书屋80家。改造提升文化广场15个。",
        # A deadline opening a later sentence frames that sentence only.
        "加强队伍建设。引导文化人才下沉基层。到2022年底配齐文化专干。每两年开展1次业务评比。",
    ) == [("1.1", 80, 2023), ("1.1", 15, 2023), ("1.2", 1, None)]


def test_deadline_opening_a_unit_dates_its_next_lines(write_doc):
    assert years(write_doc, "到2025年，建成县级公共图书馆总分馆12个。\n培育阅读推广人500名。") == [
        ("1.1", 12, 2025),
        ("1.1", 500, 2025),
    ]


GOAL_BLOCK = (
    "某市推进全民阅读工作实施方案\n"
    "为落实有关要求，结合本市实际，制定本方案。\n"
    "主要目标\n"
    "到“十四五”末，全市城市书房达到60家。\n"
    "——新建乡镇图书分馆25个。\n"
    "——培训基层图书管理员不少于3000人次。\n"
    "一、重点任务\n"
    "（一）完善设施网络。每年举办一次全民阅读节。\n"
)


def test_deadline_opening_a_goal_block_dates_its_bullets(write_doc):
    ann = as_annotation(extract(write_doc(GOAL_BLOCK), keywords=False))
    assert [(r["measure"], r["text"], r["value"], r["year"]) for r in ann["indicators"]] == [
        ("0.0", "全市城市书房达到60家", 60, 2025),
        ("0.0", "新建乡镇图书分馆25个", 25, 2025),
        ("0.0", "培训基层图书管理员不少于3000人次", 3000, 2025),
        ("1.1", "每年举办一次", 1, None),
    ]


# --- not targets -----------------------------------------------------------------------------


def test_counts_of_a_slogans_parts_are_no_targets(write_doc):
    # 两个底线, 三个衔接: a count in words with no verb that sets anything up; the counts
    # after 建成/配备 are targets.
    assert rows(
        write_doc,
        "守住两个底线，做到三个衔接，推进四个融合，落实“一体两翼”布局和五个一要求。",
        "每个街道建成一个社区书房，配备两个流动服务点。",
    ) == [(1, None, "个", "="), (2, None, "个", "=")]
