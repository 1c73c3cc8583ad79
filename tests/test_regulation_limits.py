"""Time limits and normative lengths in local regulations (issue 18): a length a head of
duration sets (``修业年限一般为两年``, ``任期为4年``) is a norm without a bound; a time limit
in days (``二十日内``, ``十个工作日内``) is one with comparator ``<=``, while a date's day
(``2021年3月1日``) and ``之日起`` are no values; a decimal in words outside 百分之
(``零点五平方米``) is parsed. Bare years that are periods (``用4年时间``, ``近六年来``,
``三年行动计划``) stay out. Every sentence is written for this test (other places, subjects
and amounts); none comes from a seed, dev or gold file."""

from __future__ import annotations

from kg.evaluation.annotation import as_annotation
from kg.extraction import extract

HEADER = "某县家政职业学校管理办法\n\n第一条 为了规范家政职业学校的办学，制定本办法。\n\n"


def indicators(write_doc, *articles: str) -> list[tuple]:
    body = "".join(f"第{n}条 {text}\n\n" for n, text in zip("二三四五六七八九", articles, strict=False))
    ann = as_annotation(extract(write_doc(HEADER + body + "第十条 本办法自2021年3月1日起施行。\n"), keywords=False))
    return [(r["value"], r["value_max"], r["unit"], r["comparator"], r["text"]) for r in ann["indicators"]]


def test_length_set_by_a_head_of_duration_is_a_norm(write_doc):
    found = indicators(
        write_doc,
        "家政专业的修业年限一般为两年，个别专业经审批可以延长。",
        "学校理事会的任期为4年。",
        "实训合作协议的有效期为五年。",
    )
    assert [(v, u, c) for v, _, u, c, _ in found] == [(2, "年", "="), (4, "年", "="), (5, "年", "=")]
    assert found[0][4] == "家政专业的修业年限一般为两年"


def test_bare_years_that_are_periods_stay_out(write_doc):
    found = indicators(
        write_doc,
        "县人民政府用4年时间完成学校改造。",
        "近六年来，学校培养了大批家政人员。",
        "学校制定三年行动计划。",
    )
    assert found == []


def test_time_limit_in_days_is_a_cap(write_doc):
    found = indicators(
        write_doc,
        "学员对考核结果有异议的，学校应当自收到异议之日起二十日内书面答复。",
        "教育部门应当在十个工作日内完成备案。",
        "学校应当在30日内退还学费。",
        "主管部门收到投诉后十天内予以处理。",
    )
    assert [(v, u, c) for v, _, u, c, _ in found] == [
        (20, "日", "<="),
        (10, "工作日", "<="),
        (30, "日", "<="),
        (10, "天", "<="),
    ]
    assert found[0][4] == "学校应当自收到异议之日起二十日内"


def test_dates_and_bare_days_are_no_values(write_doc):
    found = indicators(
        write_doc,
        "学校于2020年9月1日开学，十月一日放假。",
        "招生简章自发布之日起公示。",
        "学校每月15日公布收支情况。",
    )
    assert found == []


def test_decimal_in_words_outside_per_hundred(write_doc):
    found = indicators(write_doc, "学校实训场地面积应当不低于每名学员零点五平方米。")
    assert [(v, u, c) for v, _, u, c, _ in found] == [(0.5, "平方米", ">=")]


def test_numbers_in_words_with_a_zero_inside(write_doc):
    """一百零五 is 105, not 5; a year written 二零二三 is no count."""
    found = indicators(
        write_doc,
        "全县家政培训点不少于一百零五个。",
        "每年培训家政人员一千零二十人次以上。",
        "二零二三年起，学校每年开设专业不少于三个。",
    )
    assert [(v, u, c) for v, _, u, c, _ in found] == [(105, "个", ">="), (1020, "人次", ">="), (3, "个", ">=")]
