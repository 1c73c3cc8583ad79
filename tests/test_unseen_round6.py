"""Programs and numbers met on six unseen local regulations (issue 18, round six): a regime in
force named by the acts it binds (实行甲、乙和丙制度, one regime, the list inside its name) or by
one short act (实行回避制度), a national regime a practice follows (按照国家…制度), a body's own
safeguard of secrets (stays generic), a national strategy from the lexicon, and a time counted
back from an event (考试前六十日, a floor in days). Every sentence is written for this test
(other places, subjects and amounts); none comes from a seed, dev, gold or probe file."""

from __future__ import annotations

from conftest import annotate, names

from kg.evaluation.annotation import as_annotation
from kg.extraction import extract

HEADER = "某县职业技能竞赛管理办法\n\n第一条 为了规范职业技能竞赛，制定本办法。\n\n"


def regulation(write_doc, *articles: str) -> dict:
    body = "".join(f"第{n}条 {text}\n\n" for n, text in zip("二三四五六七八九", articles, strict=False))
    return as_annotation(extract(write_doc(HEADER + body + "第十条 本办法自2022年5月1日起施行。\n"), keywords=False))


def test_a_regime_in_force_named_by_the_acts_it_binds(write_doc):
    ann = regulation(
        write_doc,
        "县级技能竞赛实行统一报名、统一评分、统一成绩发布制度，坚持公开原则。",
        "裁判人员实行回避、抽签和轮岗制度。",
        "竞赛组织机构应当在竞赛期间实行巡查、记录和通报制度。",
        "评分人员实行回避制度。",
    )
    assert names(ann, "programs") == {
        "统一报名、统一评分、统一成绩发布制度": "system",
        "回避、抽签和轮岗制度": "system",
        "巡查、记录和通报制度": "system",
        "回避制度": "system",
    }


def test_generic_arrangements_and_own_safeguards_stay_out(write_doc):
    ann = regulation(
        write_doc,
        "竞赛组织机构实行考核制度。",
        "赛场值守人员实行值班制度。",
        "竞赛组织机构应当设立试题保管室，制定完善的安全保密制度。",
        "承办单位应当建立健全财务管理制度。",
    )
    assert names(ann, "programs") == {}


def test_a_national_regime_a_practice_follows(write_doc):
    ann = regulation(
        write_doc,
        "本办法所称裁判员是指按照国家职业技能等级制度被认定的人员。",
        "承办单位按照国家有关制度执行。",
    )
    assert names(ann, "programs") == {"职业技能等级制度": "system"}


def test_a_national_strategy_from_the_lexicon(write_doc):
    ann = annotate(write_doc, "发展社区托养服务，积极应对人口老龄化，扩大护理人才培养规模。")
    assert names(ann, "programs") == {"积极应对人口老龄化": "strategy"}


def test_a_time_counted_back_from_an_event_is_a_floor_in_days(write_doc):
    ann = regulation(
        write_doc,
        "竞赛组织机构应当在竞赛前四十五日发布竞赛规程。",
        "参赛单位应当在报到前十日提交参赛名单。",
        "承办单位应当提前三十日通知参赛选手。",
        "每月前十日为集中训练时间。",
    )
    found = [(r["value"], r["unit"], r["comparator"]) for r in ann["indicators"]]
    assert found == [(45, "日", ">="), (10, "日", ">="), (30, "日", ">=")]


def test_a_verb_split_in_two_is_no_part_of_a_short_regime(write_doc):
    # 建立|健全: the second half of the verb is not the start of the regime's name
    ann = annotate(write_doc, "县级以上人民政府应当建立健全投诉制度，及时核实处理。")
    assert not any(n.startswith(("健全", "完善")) for n in names(ann, "programs")), names(ann, "programs")


def test_a_governments_agency_named_by_function_names_no_body(write_doc):
    # a national rule (placeless name): its supervisory and examination agencies are named by
    # function, generic like 国务院教育行政部门; the government acting itself stays a body
    text = (
        "校舍安全督查条例\n\n第一条 为了规范校舍安全督查，制定本条例。\n\n"
        "第二条 国务院教育督导机构负责制定督查规程。\n\n"
        "第三条 省教育考试机构负责组织相关考试。\n\n"
        "第四条 国务院决定设立校舍安全专项基金。\n\n第五条 本条例自公布之日起施行。\n"
    )
    found = [
        (m.name, text[m.span.start : m.span.end + 2])
        for m in extract(write_doc(text), keywords=False).mentions
        if m.entity == "department"
    ]
    assert found == [("国务院", "国务院决定")], found
