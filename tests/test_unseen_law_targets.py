"""Norms of laws and regulations the project never saw (issue 18): thresholds written with
不足 / 不满 / 未满 / 未达到, and a threshold restated as the value to use
(``…不足N元的，按N元计算``). Every sentence is written for this test (other subjects and
amounts); none comes from a seed, dev or gold file."""

from __future__ import annotations

import pytest

from kg.evaluation.annotation import as_annotation
from kg.extraction import extract

LAW_HEAD = (
    "某省职业技能培训条例\n\n第一章 总则\n\n第一条 为了规范职业技能培训，制定本条例。\n\n第二条 本条例适用于本省。\n\n"
)


def law_indicators(write_doc, article: str) -> list[dict]:
    """Indicators of a regulation whose third article is ``article``."""
    return as_annotation(extract(write_doc(LAW_HEAD + f"第三条 {article}\n"), keywords=False))["indicators"]


def rows(records: list[dict]) -> list[tuple]:
    return [(r["measure"], r["value"], r["value_max"], r["unit"], r["comparator"]) for r in records]


# --- thresholds below a value (§8: 低于/少于 as a cap → "<") -------------------------------

BELOW = [
    ("参训学员不足20人的班次，培训机构应当合并开班。", (20, "人")),
    ("培训时长不满40学时的，不得颁发结业证书。", (40, "学时")),
    ("补贴对象年收入未达到3万元的，可以申请生活补助。", (3, "万元")),
    ("连续从业未满2年的，不得申请技师评价。", (2, "年")),
]


@pytest.mark.parametrize(("sentence", "expected"), BELOW, ids=[s for s, _ in BELOW])
def test_threshold_below_is_less_than(write_doc, sentence, expected):
    value, unit = expected
    assert rows(law_indicators(write_doc, sentence)) == [("1.3", value, None, unit, "<")]


def test_threshold_subject_drops_the_comparator(write_doc):
    (record,) = law_indicators(write_doc, "参训学员不足20人的班次，培训机构应当合并开班。")
    assert record["subject"] == "参训学员"


# --- a threshold restated as the value to use: one stated value (§8) ------------------------


def test_floor_restated_as_the_value_to_use_is_one_record(write_doc):
    records = law_indicators(
        write_doc,
        "培训机构虚报培训人数的，没收违法所得，并处违法所得二倍以上四倍以下的罚款；"
        "违法所得不足五千元的，按五千元计算。",
    )
    assert rows(records) == [("1.3", 2, 4, "倍", "range"), ("1.3", 5000, None, "元", ">=")]
    floor = records[1]
    assert floor["text"] == "违法所得不足五千元的，按五千元计算"
    assert floor["subject"] == "违法所得"
    assert records[0]["subject"] == "违法所得"  # 并处 is the sanction's verb, not what is measured


def test_cap_restated_as_the_value_to_use_is_one_record(write_doc):
    records = law_indicators(write_doc, "每名学员的培训补贴超过两千元的，按两千元计算。")
    assert rows(records) == [("1.3", 2000, None, "元", "<=")]
    assert records[0]["text"] == "每名学员的培训补贴超过两千元的，按两千元计算"


def test_a_different_value_after_the_threshold_stays_two_records(write_doc):
    records = law_indicators(write_doc, "学时不足30学时的，按20学时计算。")
    assert rows(records) == [("1.3", 30, None, "学时", "<"), ("1.3", 20, None, "学时", "=")]
