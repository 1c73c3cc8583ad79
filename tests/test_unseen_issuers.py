"""Rules and their issuers on documents the project never saw (issue 18, third round): a
rule's decree number as its 文号 (in its header, or after a cited rule), a shortened body
name in the adoption line, and regions as people write them (an autonomous prefecture or
county by its short form, a division merged away, a zone named after its city). Every text
here is written for this test; none comes from a seed, dev or gold file."""

from __future__ import annotations

import pytest

from kg.core.regions import gazetteer, leading_regions
from kg.evaluation.annotation import as_annotation
from kg.extraction import extract
from kg.parsing import parse

FIELDS = ("title", "doc_number", "issuer", "region", "admin_level", "date")


def metadata(write_doc, text: str) -> dict:
    meta = parse(write_doc(text)).metadata
    return {f: getattr(meta, f) for f in FIELDS}


def cited(write_doc, text: str) -> list[tuple[str, str | None]]:
    ann = as_annotation(extract(write_doc(text), keywords=False))
    return [(c["title"], c["doc_number"]) for c in ann["cited_documents"]]


# --- a rule's decree number -------------------------------------------------------------------

PROVINCE_RULE = (
    "甘肃省技工院校学生实习管理办法\n"
    "（2021年3月9日甘肃省人民政府第117次常务会议通过　2021年3月25日甘肃省人民政府令第162号公布"
    "　自2021年5月1日起施行）\n"
    "第一条　为了规范技工院校学生实习，根据《中华人民共和国职业教育法》等法律、法规，结合本省实际，制定本办法。\n"
    "第二条　本省行政区域内技工院校组织学生实习，适用本办法。\n"
    "第三条　本办法自2021年5月1日起施行。2009年6月1日起施行的《甘肃省技工学校管理办法》"
    "（甘肃省人民政府令第57号）同时废止。\n"
)


def test_rule_published_by_decree_in_its_header_has_that_number(write_doc):
    assert metadata(write_doc, PROVINCE_RULE) == {
        "title": "甘肃省技工院校学生实习管理办法",
        "doc_number": "甘肃省人民政府令第162号",
        "issuer": "甘肃省人民政府",
        "region": "甘肃省",
        "admin_level": "province",
        "date": "2021-03-09",  # adopted; published later
    }


def test_cited_rule_keeps_its_decree_number(write_doc):
    assert cited(write_doc, PROVINCE_RULE) == [
        ("中华人民共和国职业教育法", None),
        ("甘肃省技工学校管理办法", "甘肃省人民政府令第57号"),
    ]


def test_decree_numbered_by_year_and_a_shortened_body_in_the_adoption_line(write_doc):
    text = (
        "南昌市人民政府令\n（2020年第3号）\n"
        "《南昌市职业技能竞赛管理办法》已经2020年8月4日市政府第61次常务会议审议通过，现予公布，自2020年10月1日起施行。\n"
        "市长　某某\n2020年8月18日\n"
        "南昌市职业技能竞赛管理办法\n"
        "第一条　为了规范职业技能竞赛活动，参照《江西省职业技能鉴定办法》（省政府令第74号）、"
        "《南昌市职业培训补贴管理办法》（市政府第27号令），制定本办法。\n"
        "第二条　本市行政区域内举办职业技能竞赛，适用本办法。\n"
    )
    assert metadata(write_doc, text) == {
        "title": "南昌市职业技能竞赛管理办法",
        "doc_number": "南昌市人民政府令2020年第3号",
        "issuer": "南昌市人民政府",  # the decree's name, not 市政府 of the meeting
        "region": "南昌市",
        "admin_level": "city",
        "date": "2020-08-04",
    }
    assert cited(write_doc, text) == [
        ("江西省职业技能鉴定办法", "省政府令第74号"),
        ("南昌市职业培训补贴管理办法", "市政府第27号令"),
    ]


def test_cited_announcement_numbered_by_year(write_doc):
    text = (
        "某市职业培训券管理办法\n"
        "第一条　为了规范职业培训券的使用，依据《关于职业培训补贴发放有关事项的公告》（2019年第5号）"
        "和《某省职业培训补贴办法》（某省人民政府公告2020年第2号），制定本办法。\n"
        "第二条　本办法自发布之日起施行。\n"
    )
    assert cited(write_doc, text) == [
        ("关于职业培训补贴发放有关事项的公告", "2019年第5号"),
        ("某省职业培训补贴办法", "某省人民政府公告2020年第2号"),
    ]


# --- regions as people write them ----------------------------------------------------------


def test_notice_of_a_prefecture_written_in_its_short_form(write_doc):
    text = (
        "湘西州人民政府办公室关于印发湘西州职业技能提升行动实施方案的通知\n"
        "州政办发〔2020〕14号\n"
        "各县市人民政府，州人民政府各工作部门：\n"
        "《湘西州职业技能提升行动实施方案》已经州人民政府同意，现印发给你们，请认真组织实施。\n"
        "湘西州人民政府办公室\n2020年6月3日\n"
        "湘西州职业技能提升行动实施方案\n"
        "为大力提升劳动者职业技能水平，制定本方案。\n"
        "一、主要任务\n（一）扩大培训规模。内容。\n（二）提升培训质量。内容。\n"
    )
    assert metadata(write_doc, text) == {
        "title": "湘西州职业技能提升行动实施方案",
        "doc_number": "州政办发〔2020〕14号",
        "issuer": "湘西州人民政府办公室",
        "region": "湘西州",
        "admin_level": "city",
        "date": "2020-06-03",
    }


def test_rule_of_a_prefecture_in_short_form_published_by_decree(write_doc):
    text = (
        "红河州中等职业学校学生资助管理办法\n"
        "（2018年5月11日红河州人民政府第24次常务会议通过　2018年5月28日红河州人民政府令第6号公布）\n"
        "第一条　为了做好中等职业学校学生资助工作，制定本办法。\n"
        "第二条　本办法自2018年7月1日起施行。\n"
    )
    assert metadata(write_doc, text) == {
        "title": "红河州中等职业学校学生资助管理办法",
        "doc_number": "红河州人民政府令第6号",
        "issuer": "红河州人民政府",
        "region": "红河州",
        "admin_level": "city",
        "date": "2018-05-11",
    }


def test_autonomous_county_written_without_its_peoples(write_doc):
    text = (
        "秀山县人民政府关于推进职业教育校企合作的实施意见\n"
        "秀山府发〔2019〕22号\n"
        "各乡镇人民政府、街道办事处，县政府各部门：\n"
        "为推进职业教育校企合作，现提出如下实施意见。\n"
        "一、总体要求\n（一）基本原则。内容。\n"
        "秀山县人民政府\n2019年9月16日\n"
    )
    meta = metadata(write_doc, text)
    assert (meta["region"], meta["admin_level"]) == ("秀山县", "county")


def test_city_merged_away_is_still_a_city(write_doc):
    text = (
        "莱芜市人民政府办公室关于加强职业院校实训基地建设的意见\n"
        "莱政办字〔2017〕45号\n"
        "各区人民政府，市政府各部门：\n"
        "为加强职业院校实训基地建设，现提出如下意见。\n"
        "一、目标任务\n（一）建设目标。内容。\n"
        "莱芜市人民政府办公室\n2017年10月9日\n"
    )
    meta = metadata(write_doc, text)
    assert (meta["region"], meta["admin_level"]) == ("莱芜市", "city")


def test_zone_named_after_its_city_belongs_to_that_city(write_doc):
    text = (
        "洛阳高新区管委会关于印发洛阳高新区产教融合实训基地认定办法的通知\n"
        "洛高管〔2022〕11号\n"
        "各部门：\n"
        "现将《洛阳高新区产教融合实训基地认定办法》印发给你们，请遵照执行。\n"
        "洛阳高新区管委会\n2022年4月6日\n"
        "洛阳高新区产教融合实训基地认定办法\n"
        "第一条　为了认定产教融合实训基地，制定本办法。\n"
        "第二条　本办法自印发之日起施行。\n"
    )
    meta = metadata(write_doc, text)
    assert (meta["title"], meta["issuer"]) == ("洛阳高新区产教融合实训基地认定办法", "洛阳高新区管委会")
    assert (meta["region"], meta["admin_level"]) == ("洛阳市", "city")


def test_special_economic_zone_regulation_adopted_by_the_city(write_doc):
    text = (
        "珠海经济特区职业技能培训促进条例\n"
        "（2021年9月28日市第十届人民代表大会常务委员会第二次会议通过）\n"
        "第一条　为了促进职业技能培训，根据有关法律、行政法规的基本原则，结合经济特区实际，制定本条例。\n"
        "第二条　本条例自2022年1月1日起施行。\n"
    )
    assert metadata(write_doc, text) == {
        "title": "珠海经济特区职业技能培训促进条例",
        "doc_number": None,
        "issuer": "珠海市人民代表大会常务委员会",
        "region": "珠海市",
        "admin_level": "city",
        "date": "2021-09-28",
    }


@pytest.mark.parametrize(
    ("written", "full"),
    [
        ("恩施州", "恩施土家族苗族自治州"),
        ("延边州", "延边朝鲜族自治州"),
        ("黔东南州", "黔东南苗族侗族自治州"),
        ("长阳县", "长阳土家族自治县"),
        ("襄樊市", "襄樊市"),  # renamed 襄阳市: its old name is still read
    ],
)
def test_short_and_former_names_are_read_in_running_text(written, full):
    assert [(name, region.name if region else None) for name, region in leading_regions(written + "教育局")] == [
        (written, full)
    ]
    assert gazetteer()[written][0].name == full


def test_number_after_the_word_closing_the_reference(write_doc):
    text = (
        "某区职业院校教师培训实施方案\n"
        "为落实省教育厅《关于加强职业院校教师队伍建设的意见》精神（某教师〔2020〕12号）"
        "和市政府《某市职业教育发展规划》要求（某政发〔2021〕3号），制定本方案。\n"
        "一、主要任务\n（一）开展全员培训。内容。\n"
    )
    assert cited(write_doc, text) == [
        ("关于加强职业院校教师队伍建设的意见", "某教师〔2020〕12号"),
        ("某市职业教育发展规划", "某政发〔2021〕3号"),
    ]


@pytest.mark.parametrize(
    ("title", "adopted_by", "issuer"),
    [
        # the adoption line names the level only: the place comes from the title, short or full
        ("恩施州职业技能培训补贴管理办法", "州人民政府第45次常务会议", "恩施州人民政府"),
        ("延边朝鲜族自治州职业技能培训条例", "自治州第十四届人民代表大会第五次会议", "延边朝鲜族自治州人民代表大会"),
    ],
)
def test_adoption_line_naming_a_prefecture_by_its_level(write_doc, title, adopted_by, issuer):
    text = (
        f"{title}\n（2020年6月2日{adopted_by}通过）\n"
        "第一条　为了规范职业技能培训，制定本办法。\n第二条　本办法自2020年8月1日起施行。\n"
    )
    meta = metadata(write_doc, text)
    assert (meta["issuer"], meta["admin_level"], meta["date"]) == (issuer, "city", "2020-06-02")
