"""Numbers as people write them (docs/annotation.md §8, §10 "Number words"): ranges in
words, round hundreds and thousands without a digit, percentages spelled out, halves.
The sentences are written for these tests, not taken from any seed or gold file."""

from __future__ import annotations

import pytest

from kg.core.numerals import parse_number, word_range
from kg.evaluation.annotation import as_annotation
from kg.extraction import extract

HEAD = "某县推进学校体育工作实施方案\n为落实有关要求，结合本县实际，制定本方案。\n一、重点任务\n"


def indicators(write_doc, sentence: str) -> list[tuple]:
    ann = as_annotation(extract(write_doc(HEAD + f"（一）{sentence}\n"), keywords=False))
    return [(i["measure"], i["value"], i["value_max"], i["unit"], i["comparator"]) for i in ann["indicators"]]


@pytest.mark.parametrize(
    "words,expected",
    [
        ("一两", (1, 2)),
        ("两三", (2, 3)),
        ("三四", (3, 4)),
        ("七八", (7, 8)),
        ("三五", (3, 5)),
        ("十二", None),
        ("一二〇", None),
    ],
)
def test_adjacent_digits_are_a_range_in_words(words, expected):
    assert word_range(words) == expected


@pytest.mark.parametrize("words,value", [("百", 100), ("千", 1000), ("万", 10000), ("一百二十", 120)])
def test_round_numbers_without_a_digit(words, value):
    assert parse_number(words) == value


CASES = [
    ("帮助每名学生掌握一两项运动技能。", [("1.1", 1, 2, "项", "range")]),
    ("每名学生每学期参加一至两项校外实践。", [("1.1", 1, 2, "项", "range")]),
    ("新聘体育教师须在乡村学校任教两到三年。", [("1.1", 2, 3, "年", "range")]),
    ("组建百支青少年体育志愿服务队。", [("1.1", 100, None, "支", "=")]),
    ("培育千支社区健身辅导队伍。", [("1.1", 1000, None, "支", "=")]),
    ("设立万个校园健身点。", [("1.1", 10000, None, "个", "=")]),
    ("学校按照公用经费的百分之一点五安排体育器材更新。", [("1.1", 1.5, None, "%", "=")]),
    ("体质健康达标率不低于百分之九十。", [("1.1", 90, None, "%", ">=")]),
    ("一半以上的乡镇建成标准化运动场。", [("1.1", 50, None, "%", ">=")]),
    ("新聘教练员须具有三年以上执教经历。", [("1.1", 3, None, "年", ">=")]),
    ("教练员每学年参加培训不少于十六学时。", [("1.1", 16, None, "学时", ">=")]),
]


@pytest.mark.parametrize("sentence,expected", CASES, ids=[c for c, _ in CASES])
def test_number_words_in_targets(write_doc, sentence, expected):
    assert indicators(write_doc, sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "推进体教一体化发展。",
        "建设一支高素质体育教师队伍。",
        "开展一系列体育活动。",
        "力争三年内建成体育公园。",
        "实施三年行动计划。",
    ],
)
def test_idioms_are_not_targets(write_doc, sentence):
    assert indicators(write_doc, sentence) == []


def test_targets_in_an_unnumbered_goal_block_belong_to_measure_0_0(write_doc):
    text = (
        "某县推进学校体育工作实施方案\n为落实有关要求，结合本县实际，制定本方案。\n"
        "主要目标：到2025年，全县建成10所体育特色学校，学生体质健康达标率不低于百分之九十。\n"
        "一、重点任务\n（一）配齐体育教师。每校至少配备2名专职体育教师。\n"
    )
    ann = as_annotation(extract(write_doc(text), keywords=False))
    got = [(i["measure"], i["value"], i["unit"], i["comparator"], i["year"]) for i in ann["indicators"]]
    assert got == [("0.0", 10, "所", "=", 2025), ("0.0", 90, "%", ">=", 2025), ("1.1", 2, "名", ">=", None)]
