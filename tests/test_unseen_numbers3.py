"""Numbers of regulations the project never saw (issue 18): ages in 周岁 (a threshold, a
norm of GUIDELINES §8, while 周 alone stays a week), a bound shared by a short list
(``甲六十周岁、乙六十五周岁以上``), a small count in words with a bound (``至少有一人``), a
per-head rate whose 超过 bounds its base (``每超过一名…三百元``), and an article glued to
the sentence before it on one line. Every sentence is written for this test (other
subjects and amounts); none comes from a seed, dev or gold file."""

from __future__ import annotations

import pytest

from kg.evaluation.annotation import as_annotation
from kg.extraction import extract
from kg.parsing import parse

LAW_HEAD = "某市养老服务条例\n\n第一章 总则\n\n第一条 为了规范养老服务，制定本条例。\n\n第二条 本条例适用于本市。\n\n"


def law_indicators(write_doc, article: str) -> list[dict]:
    """Indicators of a regulation whose third article is ``article``."""
    return as_annotation(extract(write_doc(LAW_HEAD + f"第三条 {article}\n"), keywords=False))["indicators"]


def rows(records: list[dict]) -> list[tuple]:
    return [(r["value"], r["unit"], r["comparator"]) for r in records]


# --- ages in 周岁 -----------------------------------------------------------------------


def test_age_below_in_words(write_doc):
    records = law_indicators(write_doc, "任何单位不得安排未满十八周岁的学徒从事夜间作业。")
    assert rows(records) == [(18, "周岁", "<")]


def test_age_list_shares_the_bound_after_it(write_doc):
    records = law_indicators(write_doc, "本条例所称老年人，是指男性六十五周岁、女性六十周岁以上的常住居民。")
    assert rows(records) == [(65, "周岁", ">="), (60, "周岁", ">=")]


def test_age_reached_is_a_floor(write_doc):
    records = law_indicators(write_doc, "已满十四周岁未满十八周岁的学员由监护人陪同报名。")
    assert rows(records) == [(14, "周岁", ">="), (18, "周岁", "<")]


def test_age_in_digits(write_doc):
    records = law_indicators(write_doc, "年满70周岁的老年人凭证免费乘坐公共汽车。")
    assert [(r["value"], r["unit"]) for r in records] == [(70, "周岁")]


def test_week_stays_a_week(write_doc):
    records = law_indicators(write_doc, "护理培训每期不少于两周。")
    assert rows(records) == [(2, "周", ">=")]


# --- a small count in words with a bound --------------------------------------------------


def test_bounded_count_of_one_person(write_doc):
    records = law_indicators(write_doc, "每个社区养老服务站应当保证至少有一人持有护理员证书。")
    assert rows(records) == [(1, "人", ">=")]


@pytest.mark.parametrize(
    "sentence",
    ["服务机构应当为入住老人建立一人一档的健康记录。", "护理岗位实行一人一岗，每人签订服务协议。"],
)
def test_one_person_idioms_are_no_counts(write_doc, sentence):
    assert law_indicators(write_doc, sentence) == []


# --- a per-head rate: 超过 bounds the base, not the value ------------------------------------


def test_per_head_rate_is_a_stated_value(write_doc):
    records = law_indicators(write_doc, "超出核定床位收住老人的，按照每超过一名老人三百元的标准处以罚款。")
    assert rows(records) == [(300, "元", "=")]


def test_plain_excess_keeps_its_comparator(write_doc):
    records = law_indicators(write_doc, "收费超过500元的，应当出具书面清单。")
    assert rows(records) == [(500, "元", ">")]


# --- an article glued to the sentence before it ----------------------------------------------

GLUED = (
    "某县社区食堂管理办法\n\n第一条 为了办好社区食堂，制定本办法。\n\n"
    "第二条 社区食堂由街道办事处统筹建设。\n\n"
    "第三条 社区食堂应当公示菜品价格。 第四条社区食堂应当保持环境整洁。\n\n"
    "第五条 依照本办法第四条 的规定，街道办事处应当定期检查。 第四条所列事项应当记录在案。\n\n"
    "第六条 本办法自公布之日起施行。\n"
)


def test_glued_article_is_split(write_doc):
    keys = [m.key for m in parse(write_doc(GLUED)).measures]
    assert keys == ["1.0", "2.0", "3.0", "4.0", "5.0", "6.0"]


def test_glued_article_body(write_doc):
    measures = {m.key: m for m in parse(write_doc(GLUED)).measures}
    text = write_doc(GLUED).read_text(encoding="utf-8")
    third = text[measures["3.0"].span.start : measures["3.0"].span.end]
    assert "第四条" not in third
    assert "环境整洁" in text[measures["4.0"].span.start : measures["4.0"].span.end]


def test_numbers_of_a_reviewed_state_are_no_targets(write_doc):
    """A plan's 一、规划背景 / (一)…发展现状 reports what was achieved (截至…共有181所); the
    targets come later. A task heading that merely names a base (夯实发展基础) keeps its
    numbers."""
    text = (
        "某省技师教育发展规划\n\n为推进技师教育发展，制定本规划。\n\n"
        "一、规划背景\n\n（一）某省技师教育发展现状\n\n"
        "1.规模扩大。截至2020年底，全省共有技师学院45所，其中高级技工学校32所。\n\n"
        "2.质量提升。五年间累计培养高技能人才12万人。\n\n"
        "二、主要任务\n\n（一）夯实发展基础\n\n1.扩大规模。到2025年，新建技师学院10所。\n\n"
        "2.提升质量。到2025年，培养高技能人才20万人以上。\n"
    )
    ann = as_annotation(extract(write_doc(text), keywords=False))
    found = sorted((r["measure"], r["value"], r["unit"]) for r in ann["indicators"])
    assert found == [("2.1.1", 10, "所"), ("2.1.2", 20, "万人")]
