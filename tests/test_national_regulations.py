"""Header shapes of national regulations as a public collection prints them (issue 18, fourth
probe): a revision by a State Council decision printed with no meeting, a rule whose short
name has no place, a decree of 中华人民共和国国务院, a title that opens with 国务院关于, and a
national body named in full by its revision line. Every text here is written for this test
(invented rules and subjects); none comes from a seed, dev, gold or probe file."""

from __future__ import annotations

from kg.parsing import parse

FIELDS = ("title", "doc_number", "issuer", "region", "admin_level", "date")


def metadata(write_doc, text: str) -> dict:
    meta = parse(write_doc(text, name="rule.md")).metadata
    return {f: getattr(meta, f) for f in FIELDS}


BODY = (
    "## 第一章 总则\n\n"
    "第一条 为了规范某项活动，制定本条例。\n\n"
    "第二条 国务院有关部门按照职责分工负责相关工作。\n\n"
    "## 第二章 附则\n\n"
    "第三条 本条例自公布之日起施行。\n"
)


def test_a_revision_by_a_decision_printed_without_a_meeting_dates_the_rule(write_doc):
    text = (
        "# 中华人民共和国船舶登记试行条例\n\n"
        "2004年5月9日 中华人民共和国国务院令第401号公布\n\n"
        "2016年2月6日 《国务院关于修改部分行政法规的决定》第一次修订\n\n"
        "2019年3月2日 《国务院关于修改和废止部分行政法规的决定》第二次修订　\n\n"
        "<!-- INFO END -->\n\n" + BODY
    )
    assert metadata(write_doc, text) == {
        "title": "中华人民共和国船舶登记试行条例",
        "doc_number": "中华人民共和国国务院令第401号",
        "issuer": "国务院",
        "region": "全国",
        "admin_level": "national",
        "date": "2019-03-02",
    }


def test_a_short_national_rule_name_is_its_title(write_doc):
    text = (
        "# 档案条例\n\n"
        "2011年4月6日 国务院第150次常务会议通过\n\n"
        "2011年4月20日 中华人民共和国国务院令第596号公布\n\n"
        "<!-- INFO END -->\n\n" + BODY
    )
    meta = metadata(write_doc, text)
    assert (meta["title"], meta["region"], meta["admin_level"]) == ("档案条例", "全国", "national"), meta
    # the latest adoption names 国务院 in full: no 中华人民共和国 is added from the decree line
    assert (meta["issuer"], meta["date"]) == ("国务院", "2011-04-06"), meta


def test_a_decree_of_the_state_council_makes_a_rule_national_whatever_its_name(write_doc):
    # a name that reads like a place (…市场…, 公安…) is no local rule when the decree is national
    text = "# 劳务市场暂行条例\n\n2013年3月8日 中华人民共和国国务院令第630号公布\n\n<!-- INFO END -->\n\n" + BODY
    meta = metadata(write_doc, text)
    assert (meta["region"], meta["admin_level"], meta["issuer"]) == ("全国", "national", "中华人民共和国国务院"), meta


def test_a_title_that_opens_with_guowuyuan_guanyu_names_its_issuer(write_doc):
    text = (
        "# 国务院关于职工探亲待遇的若干规定\n\n"
        "<!-- INFO END -->\n\n"
        "一、凡在国家机关工作满一年的职工，可以享受探亲假待遇。\n\n"
        "二、本规定自发布之日起施行。\n"
    )
    meta = metadata(write_doc, text)
    assert (meta["issuer"], meta["region"], meta["admin_level"]) == ("国务院", "全国", "national"), meta


def test_a_title_quoting_another_names_no_issuer_before_its_guanyu(write_doc):
    text = (
        "# 事业单位贯彻《国务院关于职工休假的规定》的实施办法\n\n"
        "<!-- INFO END -->\n\n"
        "第一条 为了贯彻有关规定，制定本办法。\n\n"
        "第二条 本办法自发布之日起施行。\n"
    )
    meta = metadata(write_doc, text)
    assert meta["issuer"] is None, meta


def test_a_local_rule_keeps_the_fuller_name_its_publication_line_gives(write_doc):
    # ``市人民政府第8次常务会议`` names the body without its place; the decree line names it in full
    text = (
        "# 宜川市公共资源交易管理办法\n\n"
        "2020年6月3日 市人民政府第8次常务会议通过\n\n"
        "2020年6月20日 宜川市人民政府令第12号公布\n\n"
        "<!-- INFO END -->\n\n"
        "第一条 为了规范公共资源交易，制定本办法。\n\n第二条 本办法自公布之日起施行。\n"
    )
    meta = metadata(write_doc, text)
    assert meta["issuer"] == "宜川市人民政府", meta
