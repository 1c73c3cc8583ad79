"""Shapes met on documents the project never saw (issue 18): regimes joined to or listed
after the verb that sets them up, enacting bodies that 制定 a regulation, money and head
counts spelled in Chinese numerals, collectives written with a division alias, short trade
names and colleges named by a proper word. Every sentence here is written for this test
(other places and subjects); none comes from a seed, dev or gold file."""

from __future__ import annotations

import pytest
from conftest import annotate, names

from kg.evaluation.annotation import as_annotation
from kg.extraction import extract

# --- regimes --------------------------------------------------------------------------------


def test_regime_joined_to_one_a_verb_sets_up(write_doc):
    ann = annotate(write_doc, "建立中小学体育评价制度和教练员准入制度，提高教学质量。")
    assert names(ann, "programs") == {"中小学体育评价制度": "system", "教练员准入制度": "system"}


def test_regime_joined_to_one_improved_is_not_named(write_doc):
    # 完善A和B: an existing practice improved, not a regime set up here.
    ann = annotate(write_doc, "完善学校体育教师轮岗交流制度和教练员企业实践锻炼制度。")
    assert "教练员企业实践锻炼制度" not in names(ann, "programs")


REGULATION = (
    "某市体育教育条例\n"
    "（2021年4月28日某市第十六届人民代表大会常务委员会第三十次会议制定　"
    "2021年7月29日某省第十三届人民代表大会常务委员会第二十四次会议批准）\n"
    "第一条　为了促进学校体育发展，根据有关法律、法规，结合本市实际，制定本条例。\n"
    "第二条　体育学校应当建立健全下列制度：\n"
    "（一）运动员选拔评价制度；\n"
    "（二）教练员聘任考评制度；\n"
    "（三）学生运动伤害保险制度。\n"
    "第三条　本条例自2021年10月1日起施行。\n"
)


def test_regimes_listed_as_items_after_the_verb(write_doc):
    ann = as_annotation(extract(write_doc(REGULATION), keywords=False))
    assert names(ann, "programs") == {
        "运动员选拔评价制度": "system",
        "教练员聘任考评制度": "system",
        "学生运动伤害保险制度": "system",
    }
    assert {m["key"] for m in ann["measures"]} == {"1.0", "2.1", "2.2", "2.3", "3.0"}


def test_enacting_body_of_a_regulation_it_made(write_doc):
    # 制定 is an adoption like 通过: the body that made it is the issuer, not the one approving.
    meta = as_annotation(extract(write_doc(REGULATION), keywords=False))["metadata"]
    assert meta["issuer"] == "某市人民代表大会常务委员会"
    assert meta["date"] == "2021-07-29"


# --- numbers --------------------------------------------------------------------------------

SPELLED = [
    ("企业接收学生实习的，按照每生每年不少于八百元的标准给予补助。", 800, "元", ">="),
    ("市财政每年安排专项资金不少于三千万元。", 3000, "万元", ">="),
    ("补助标准为每生每年一千五百元。", 1500, "元", "="),
    ("每年开展体育技能培训二万人次以上。", 2, "万人次", ">="),
]


@pytest.mark.parametrize(("sentence", "value", "unit", "comparator"), SPELLED)
def test_money_and_heads_in_chinese_numerals(write_doc, sentence, value, unit, comparator):
    rows = annotate(write_doc, sentence)["indicators"]
    assert [(r["value"], r["unit"], r["comparator"]) for r in rows] == [(value, unit, comparator)]


def test_round_number_naming_a_scheme_is_no_target(write_doc):
    assert annotate(write_doc, "实施百人计划和万人工程，推进一元化管理，做到一人一档。")["indicators"] == []


# --- departments ----------------------------------------------------------------------------


def test_collective_written_with_a_division_alias(write_doc):
    ann = annotate(write_doc, "市和县（市）、区人民政府应当加强对学校体育工作的领导。")
    assert "区人民政府" not in names(ann, "departments")


# --- institutions ---------------------------------------------------------------------------

INSTITUTIONS = [
    ("推动学校与劲松有限公司、远航有限公司共建训练基地。", {"劲松有限公司", "远航有限公司"}),
    ("对秦岭职业技术学院创建体育特色专业给予支持。", {"秦岭职业技术学院"}),
    ("鼓励太行职业学院、燕山技师学院开设体育专业。", {"太行职业学院", "燕山技师学院"}),
    ("依托宜宾市群众艺术馆开展体育文化活动。", {"宜宾市群众艺术馆"}),
]


@pytest.mark.parametrize(("sentence", "expected"), INSTITUTIONS)
def test_institutions_by_shape(write_doc, sentence, expected):
    assert set(names(annotate(write_doc, sentence), "institutions")) == expected


NOT_INSTITUTIONS = [
    "支持民办职业学院发展，建设高水平职业技术学院，推动各技师学院改革。",
    "依托技师学院开展培训，推动职业学院转型，新建一所技师学院。",
    "推动群众艺术馆、非遗馆向学生开放。",
]


@pytest.mark.parametrize("sentence", NOT_INSTITUTIONS)
def test_classes_of_college_are_not_institutions(write_doc, sentence):
    assert names(annotate(write_doc, sentence), "institutions") == {}


def test_range_with_its_unit_written_twice(write_doc):
    rows = annotate(write_doc, "按照每人每年三千元至五千元的标准给予补助，培训时间为2个月至3个月。")["indicators"]
    assert [(r["value"], r["value_max"], r["unit"], r["comparator"]) for r in rows] == [
        (3000, 5000, "元", "range"),
        (2, 3, "个月", "range"),
    ]


def test_institution_after_a_verb_that_backs_it(write_doc):
    ann = annotate(write_doc, "市人民政府应当扶持宜宾市体育训练基地建设。")
    assert names(ann, "institutions") == {"宜宾市体育训练基地": "platform"}
    assert [r["target"] for r in ann["supports"]] == ["宜宾市体育训练基地"]


# --- regulations exported as Markdown: header lines broken by the export -------------------

MD_BROKEN_TAIL = (
    "# 某市学校体育场地开放规定\n\n<!-- INFO END -->\n\n常务委员会第十二次会议通过）\n\n"
    "第一条 为了促进学校体育场地向社会开放，制定本规定。\n\n第二条 本规定适用于本市中小学校。\n\n"
    "第三条 本规定自2020年1月1日起施行。\n"
)
MD_AMENDING_PIECES = (
    "# 某省学校体育工作若干规定\n\n"
    "2001年6月14日 某省第九届人民代表大会常务委员会第二十次会议通过\n\n"
    "2016年9月29日 某省第十二届人民代表大会常务委员会第二十三次会议《关于修改〈某省学校卫生\n\n"
    "工作规定〉〈某省青少年体育促进条例〉〈某省全民健身\n\n"
    "〈某省学校体育工作若干规定〉的决定》第二次修正\n\n<!-- INFO END -->\n\n"
    "第一条 为了加强学校体育工作，制定本规定。\n\n第二条 各级人民政府应当保障学校体育经费。\n\n"
    "第三条 本规定自公布之日起施行。\n"
)
MD_SHORT_BODY = (
    "# 某市体育设施管理条例\n\n"
    "2019年8月29日 某市第十五届人民代表大会常委会第二十次会议通过\n\n"
    "2019年11月29日 某省第十三届人民代表大会常务委员会第十四次会议批准\n\n"
    "2019年12月20日 某市人民代表大会常务委员会第30号公布\n\n2020年3月1日 施行\n\n<!-- INFO END -->\n\n"
    "第一条 为了加强体育设施管理，制定本条例。\n\n第二条 市体育行政部门主管本市体育设施工作。\n\n"
    "第三条 本条例自2020年3月1日起施行。\n"
)


@pytest.mark.parametrize(
    ("text", "title", "issuer", "date"),
    [
        (MD_BROKEN_TAIL, "某市学校体育场地开放规定", None, None),
        (MD_AMENDING_PIECES, "某省学校体育工作若干规定", "某省人民代表大会常务委员会", "2016-09-29"),
        (MD_SHORT_BODY, "某市体育设施管理条例", "某市人民代表大会常务委员会", "2019-11-29"),
    ],
)
def test_markdown_regulation_headers(write_doc, text, title, issuer, date):
    meta = as_annotation(extract(write_doc(text, name="reg.md"), keywords=False))["metadata"]
    assert (meta["title"], meta["issuer"], meta["date"]) == (title, issuer, date)


# --- regulation prose: clause words are not names --------------------------------------------


def test_bounds_of_one_range(write_doc):
    rows = annotate(
        write_doc, "违反本条规定的，处三千元以上一万元以下罚款；情节严重的，并处违法所得二倍以上五倍以下罚款。"
    )
    assert [(r["value"], r["value_max"], r["unit"], r["comparator"]) for r in rows["indicators"]] == [
        (3000, 10000, "元", "range"),
        (2, 5, "倍", "range"),
    ]


def test_a_bound_alone_stays_a_bound(write_doc):
    rows = annotate(write_doc, "补助标准为每人3000元，奖励1万元以上。")["indicators"]
    assert [(r["value"], r["unit"], r["comparator"]) for r in rows] == [(3000, "元", "="), (1, "万元", ">=")]


@pytest.mark.parametrize(
    "sentence",
    [
        "场地名录应当向社会公布，并实行动态调整。",  # 实行 + 动态: no 行动
        "因市人民政府批准重大建设工程需要调整场地的，应当予以补偿。",  # a clause before 工程
        "未按规定配套建设体育场地的，责令改正，处配套建筑工程造价二倍以上罚款。",  # construction works
    ],
)
def test_regulation_clauses_are_not_programs(write_doc, sentence):
    assert names(annotate(write_doc, sentence), "programs") == {}


def test_platform_founded_by_a_body_named_before_it(write_doc):
    ann = annotate(write_doc, "市体育局建立体育场地信息网络服务平台，向社会公布开放信息。")
    assert names(ann, "institutions") == {"体育场地信息网络服务平台": "platform"}


def test_clause_with_is_is_no_name(write_doc):
    ann = annotate(write_doc, "市和区人民政府体育督导室是同级体育督导委员会的办事机构，承担日常工作。")
    assert not any("是" in n for n in names(ann, "institutions"))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a group followed by what it builds with a school: the group's name ends at 集团
        ("推动宜宾市第一职业学校与川南集团共建体育学院。", {"宜宾市第一职业学校", "川南集团"}),
        ("推动宜宾职业技术学院与五粮液集团共建体育学院。", {"宜宾职业技术学院", "五粮液集团"}),
    ],
)
def test_group_then_what_it_builds(write_doc, sentence, expected):
    assert set(names(annotate(write_doc, sentence), "institutions")) == expected


MD_OPINION = (
    "# 某市人民政府办公室关于加强学校体育工作的实施意见\n\n"
    "为贯彻落实有关要求，结合我市实际，提出如下实施意见。\n\n"
    "## 一、重点任务\n\n### （一）完善场地设施\n\n"
    "**1. 共建训练场地。**推动学校与体育场馆共建训练场地。（责任单位：市教育局）\n\n"
    "**2. 开放学校场地。**推动学校体育场地向社会开放。（责任单位：市体育局）\n"
)


def test_markdown_emphasis_around_item_numbers(write_doc):
    ann = as_annotation(extract(write_doc(MD_OPINION, name="opinion.md"), keywords=False))
    assert [(m["key"], m["heading"]) for m in ann["measures"]] == [("1.1.1", "共建训练场地"), ("1.1.2", "开放学校场地")]
    assert {(r["measure"], r["unit"]) for r in ann["responsible_for"]} == {("1.1.1", "市教育局"), ("1.1.2", "市体育局")}


def test_two_activities_sharing_one_regime(write_doc):
    ann = annotate(write_doc, "建立体育教学质量监测和督导制度。", "逐步建立学生训练工作考核与奖补制度。")
    assert names(ann, "programs") == {"体育教学质量监测和督导制度": "system"}


def test_consecutive_years_are_a_count(write_doc):
    rows = annotate(write_doc, "对体育课开设不足、体质测试成绩连续三年下降的学校，予以约谈。")["indicators"]
    assert [(r["value"], r["unit"], r["comparator"]) for r in rows] == [(3, "年", "=")]


def test_places_joined_before_a_shared_area(write_doc):
    ann = annotate(write_doc, "支持宜宾、泸州、江安协同发展示范区建设。")
    assert names(ann, "programs") == {"宜宾、泸州、江安协同发展示范区": "strategy"}
    assert [r["target"] for r in ann["supports"]] == ["宜宾、泸州、江安协同发展示范区"]


def test_versioned_strategy_in_quotes(write_doc):
    ann = annotate(write_doc, "助推本地体育产业与“日本社会5.0”紧密对接。")
    assert names(ann, "programs") == {"日本社会5.0": "strategy"}


def test_hubs_built_as_a_named_whole(write_doc):
    ann = annotate(
        write_doc,
        "服务国家体育教育创新发展高地建设，优化资源配置。",
        "加强对接川南城市群和南部(宜宾)科学城建设规划。",
    )
    assert names(ann, "programs") == {"国家体育教育创新发展高地": "project", "南部(宜宾)科学城": "project"}


def test_pool_of_every_level_is_no_name(write_doc):
    ann = annotate(write_doc, "市、区体育场所资源库应当向社会公布，并实行动态调整。")
    assert names(ann, "institutions") == {}


def test_clause_keeps_a_division_alias(write_doc):
    rows = annotate(write_doc, "每个县（市、区、旗）至少建好一所体育特色学校。")["indicators"]
    assert [r["text"] for r in rows] == ["每个县（市、区、旗）至少建好一所"]


def test_art_colleges_and_museums_named_by_a_proper_word(write_doc):
    ann = annotate(write_doc, "邀请岷江音乐学院、青城美术学院专家授课，组织学生参观蜀王博物院。")
    assert names(ann, "institutions") == {"岷江音乐学院": "school", "青城美术学院": "school", "蜀王博物院": "other"}


def test_classes_of_art_college_are_not_names(write_doc):
    ann = annotate(write_doc, "支持高等艺术学院、各音乐学院开展合作，组织学生参观博物院、走进美术馆。")
    assert names(ann, "institutions") == {}


def test_work_verbs_before_a_head_are_not_names(write_doc):
    ann = annotate(write_doc, "场馆管理单位不得擅自进行建设工程，并负责做好配套工程。")
    assert names(ann, "programs") == {}


def test_legislature_committees_are_not_institutions(write_doc):
    ann = annotate(write_doc, "市人民代表大会各专门委员会可以向常务委员会提出关于学校体育的议案。")
    assert names(ann, "institutions") == {}


def test_classes_listed_before_their_class_word_are_not_names(write_doc):
    ann = annotate(write_doc, "本意见所称中小学校，包括小学、初级中学、高级中学等学校。")
    assert names(ann, "institutions") == {}


def test_national_law_enacted_by_the_national_legislature(write_doc):
    text = (
        "中华人民共和国体育教育法\n"
        "（2001年6月15日第九届全国人民代表大会常务委员会第二十二次会议通过　"
        "2021年4月29日第十三届全国人民代表大会常务委员会第二十八次会议修订）\n"
        "第一条　为了发展体育教育，制定本法。\n第二条　本法适用于各级各类学校。\n第三条　本法自2021年9月1日起施行。\n"
    )
    meta = as_annotation(extract(write_doc(text), keywords=False))["metadata"]
    assert (meta["issuer"], meta["region"], meta["admin_level"], meta["date"]) == (
        "全国人民代表大会常务委员会",
        "全国",
        "national",
        "2021-04-29",
    )


def test_counted_host_schools_are_a_title(write_doc):
    ann = annotate(write_doc, "充分发挥3所宜宾市青少年书法院承办校、4所宜宾市体育训练基地校的示范作用。")
    assert names(ann, "programs") == {"宜宾市青少年书法院承办校": "brand", "宜宾市体育训练基地校": "brand"}


def test_units_that_carry_out_after_the_one_responsible(write_doc):
    ann = annotate(
        write_doc, "落实生均拨款。（市财政局负责，各区县人民政府落实）", "完善制度（各校要抓好落实），加强管理。"
    )
    assert {(r["measure"], r["unit"]) for r in ann["responsible_for"]} == {
        ("1.1", "市财政局"),
        ("1.1", "各区县人民政府"),
    }
