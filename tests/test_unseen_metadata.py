"""Headers met on documents the project never saw (issue 18): web-page fields around the
title (a source line, a pipe-separated field table), a forwarding notice's title broken
over several lines, signature dates written with ○ or O for zero, a city regulation
approved by its province, a short 办法 of two articles, and licences in 《》. Every text
here is written for this test (other places and subjects); none comes from a seed, dev or
gold file."""

from __future__ import annotations

from kg.evaluation.annotation import as_annotation
from kg.extraction import extract
from kg.parsing import parse

FIELDS = ("title", "doc_number", "issuer", "region", "admin_level", "date")


def metadata(write_doc, text: str) -> dict:
    meta = parse(write_doc(text)).metadata
    return {f: getattr(meta, f) for f in FIELDS}


# --- web-page fields around the title ---------------------------------------------------------


def test_source_line_under_the_title_is_page_chrome(write_doc):
    text = (
        "湖南省人民政府办公厅关于加快发展现代学徒制的实施意见\n"
        "出自：湖南省人民政府       发布时间：2021-03-02\n\n"
        "湘政办发〔2021〕12号\n\n"
        "各市州人民政府，省政府各厅委、各直属机构：\n\n"
        "为加快发展现代学徒制，经省人民政府同意，现提出以下实施意见。\n\n"
        "一、总体要求\n\n（一）指导思想。坚持产教融合。\n"
    )
    assert metadata(write_doc, text) == {
        "title": "湖南省人民政府办公厅关于加快发展现代学徒制的实施意见",
        "doc_number": "湘政办发〔2021〕12号",
        "issuer": "湖南省人民政府办公厅",
        "region": "湖南省",
        "admin_level": "province",
        "date": None,  # a posting time is not a date
    }


def test_source_line_before_a_short_sentence_and_the_outline(write_doc):
    text = (
        "湖南省人民政府办公厅关于加快发展现代学徒制的实施意见\n"
        "出自：湖南省人民政府       发布时间：2021-03-02\n\n"
        "各市州人民政府：\n\n现提出以下实施意见。\n\n一、总体要求\n\n（一）指导思想。坚持产教融合。\n"
    )
    meta = metadata(write_doc, text)
    assert meta["title"] == "湖南省人民政府办公厅关于加快发展现代学徒制的实施意见"
    assert (meta["issuer"], meta["region"]) == ("湖南省人民政府办公厅", "湖南省")


PIPE_PAGE = (
    "信息名称： | 人力资源社会保障部等六部门关于印发《青少年体育活动促进计划（2021—2025年）》的通知 | ||||\n"
    "信息索引： | 000013-04-2021-0031-1 | 生成日期： | 2021-06-20 | 发文机构： | 人力资源社会保障部等六部门 |\n"
    "发文字号： | 体发〔2021〕9号 | 信息类别： | 体育 | ||\n"
    "内容概述： | 人力资源社会保障部等六部门印发《青少年体育活动促进计划（2021—2025年）》。 |\n"
    "体发〔2021〕9号\n"
    "各省、自治区、直辖市体育局：\n"
    "现将《青少年体育活动促进计划（2021—2025年）》印发给你们，请认真贯彻执行。\n"
    "体育总局 教育部 财政部\n"
    "2021年6月15日\n"
    "青少年体育活动促进计划\n"
    "（2021—2025年）\n"
    "一、总体要求\n"
    "（一）指导思想\n"
    "坚持健康第一。\n"
)


def test_pipe_table_fields_never_leak_into_the_issuer(write_doc):
    assert metadata(write_doc, PIPE_PAGE) == {
        "title": "青少年体育活动促进计划（2021—2025年）",
        "doc_number": "体发〔2021〕9号",
        "issuer": "人力资源社会保障部等六部门",
        "region": "全国",
        "admin_level": "national",
        "date": "2021-06-15",  # signed; 生成日期 is the page's
    }


def test_pipe_table_field_values_are_read(write_doc):
    text = (
        "| 索引号： | 11330000/2021-00456 | 发文机构： | 某省教育厅 |\n"
        "| 发文字号： | 某教发〔2021〕33号 | 成文日期： | 2021-05-08 |\n"
        "某省中小学劳动教育实施方案\n"
        "为加强劳动教育，制定本方案。\n"
        "一、总体要求\n"
        "（一）指导思想。坚持立德树人。\n"
    )
    meta = metadata(write_doc, text)
    assert meta["doc_number"] == "某教发〔2021〕33号"
    assert meta["issuer"] == "某省教育厅"
    assert meta["date"] == "2021-05-08"
    assert meta["title"] == "某省中小学劳动教育实施方案"


# --- a forwarding notice over several lines, dates with ○ for zero -----------------------------

FORWARDED = (
    "四川省人民政府办公厅\n"
    "转发省教育厅等部门\n"
    "关于做好2012年中等职业学校毕业生\n"
    "就业服务工作的意见的通知\n"
    "川办发〔2012〕18号\n"
    "各市（州）人民政府，省政府各部门：\n"
    "省教育厅、省财政厅、省人力资源社会保障厅《关于做好2012年中等职业学校毕业生就业服务工作的意见》"
    "已经省政府同意，现转发给你们，请认真贯彻执行。\n"
    "四川省人民政府办公厅\n"
    "二○一二年五月十日\n"
)


def test_forwarded_title_over_lines_and_circle_zero_date(write_doc):
    text = (
        FORWARDED + "关于做好2012年中等职业学校\n"
        "毕业生就业服务工作的意见\n"
        "省教育厅 省财政厅\n"
        "省人力资源社会保障厅\n"
        "（二○一二年五月六日）\n"
        "为做好中等职业学校毕业生就业服务工作，现提出如下意见。\n"
        "一、总体安排\n"
        "（一）摸清底数。建立毕业生台账。\n"
    )
    assert metadata(write_doc, text) == {
        "title": "关于做好2012年中等职业学校毕业生就业服务工作的意见",
        "doc_number": "川办发〔2012〕18号",
        "issuer": "四川省人民政府办公厅",
        "region": "四川省",
        "admin_level": "province",
        "date": "2012-05-10",
    }


def test_forwarded_title_read_from_the_notice_when_not_repeated(write_doc):
    text = FORWARDED + "一、总体安排\n（一）摸清底数。建立毕业生台账。\n"
    meta = metadata(write_doc, text)
    assert meta["title"] == "关于做好2012年中等职业学校毕业生就业服务工作的意见"
    assert (meta["issuer"], meta["date"]) == ("四川省人民政府办公厅", "2012-05-10")


def test_letter_o_as_zero_in_a_signature_date(write_doc):
    text = (
        "某县人民政府关于加强乡村教师队伍建设的实施意见\n"
        "各乡镇人民政府：\n"
        "为加强乡村教师队伍建设，现提出以下意见。\n"
        "一、补充教师\n"
        "（一）扩大招聘。每年招聘乡村教师。\n"
        "某县人民政府\n"
        "二O一九年七月一日\n"
    )
    assert metadata(write_doc, text)["date"] == "2019-07-01"


# --- regulations --------------------------------------------------------------------------------


def test_city_regulation_approved_by_the_province_keeps_the_city_as_issuer(write_doc):
    text = (
        "# 某市社区教育促进条例\n\n"
        "2012年6月20日 某市第十四届人民代表大会常务委员会第三次会议通过\n\n"
        "2012年9月27日 某省第十一届人民代表大会常务委员会第九次会议批准根据2021年8月26日"
        "某市第十六届人民代表大会常务委员会第五次会议通过\n\n"
        "2021年9月29日 某省第十三届人民代表大会常务委员会第三十一次会议通过批准的"
        "《某市人民代表大会常务委员会关于修改〈某市社区教育促进条例〉的决定》修正\n\n"
        "<!-- INFO END -->\n\n"
        "第一条 为了促进社区教育，制定本条例。\n\n"
        "第二条 本条例适用于本市。\n\n"
        "第三条 市人民政府负责统筹。\n"
    )
    meta = metadata(write_doc, text)
    assert meta["issuer"] == "某市人民代表大会常务委员会"
    assert meta["date"] == "2021-09-29"  # the latest approval (GUIDELINES §10)


def test_title_opening_with_the_quoted_regulation_it_implements(write_doc):
    text = (
        "《某市社区教育促进条例》实施办法\n"
        "某政发〔2013〕21号\n"
        "第一条为了实施《某市社区教育促进条例》，制定本办法。\n"
        "第二条社区学校应当开展教育活动。\n"
    )
    meta = metadata(write_doc, text)
    assert meta["title"] == "《某市社区教育促进条例》实施办法"
    assert meta["doc_number"] == "某政发〔2013〕21号"


def test_a_text_of_two_articles_gives_two_measures(write_doc):
    text = "某县社区学校管理办法\n第一条 为了规范社区学校管理，制定本办法。\n第二条 本办法适用于本县社区学校。\n"
    ann = as_annotation(extract(write_doc(text), keywords=False))
    assert [m["key"] for m in ann["measures"]] == ["1.0", "2.0"]


def test_licences_in_title_marks_are_not_cited_documents(write_doc):
    text = (
        "某市民办培训机构管理办法\n"
        "第一条 为了规范民办培训机构，根据《某省民办教育促进条例》，制定本办法。\n"
        "第二条 举办者应当持《营业执照》和《民办学校办学许可证》办理登记，教师应当持有《教师资格证书》。\n"
        "第三条 本办法自2022年1月1日起施行。\n"
    )
    ann = as_annotation(extract(write_doc(text), keywords=False))
    assert [c["title"] for c in ann["cited_documents"]] == ["某省民办教育促进条例"]


# --- a broader check on regulations and database exports (issue 18, second round) -----------


def test_adoption_line_without_the_word_meeting_is_no_title_stop(write_doc):
    text = (
        "# 江西省职工技能培训条例\n\n"
        "2003年6月12日 江西省第十届人民代表大会常务委员会第十一次通过\n\n"
        "2016年9月22日 江西省第十二届人民代表大会常务委员会第二十八次会议修订\n\n"
        "## 第一章 总则\n\n"
        "第一条 为了促进职工技能培训，制定本条例。\n\n"
        "第二条 本条例适用于本省行政区域内的职工技能培训。\n\n"
        "第三条 县级以上人民政府应当加强领导。\n"
    )
    meta = metadata(write_doc, text)
    assert meta["title"] == "江西省职工技能培训条例"
    assert (meta["issuer"], meta["date"]) == ("江西省人民代表大会常务委员会", "2016-09-22")
    assert (meta["region"], meta["admin_level"]) == ("江西省", "province")


def test_space_before_a_title_mark_is_no_part_of_the_title(write_doc):
    text = (
        "# 福建省实施《中华人民共和国科学技术普及法》办法\n\n"
        "2005年9月30日 福建省第十届人民代表大会常务委员会第十九次会议通过\n\n"
        "福建省实施 《中华人民共和国科学技术普及法》办法\n\n"
        "第一条 为了实施科学技术普及法，制定本办法。\n\n"
        "第二条 本办法适用于本省行政区域内的科学技术普及活动。\n\n"
        "第三条 县级以上人民政府应当加强领导。\n"
    )
    assert metadata(write_doc, text)["title"] == "福建省实施《中华人民共和国科学技术普及法》办法"


def test_rule_numbered_by_articles_without_a_place_in_its_name_is_national(write_doc):
    text = (
        "# 技工学校学籍管理规定\n\n"
        "## 第一章 总则\n\n"
        "第一条 为了规范技工学校学籍管理，制定本规定。\n\n"
        "第二条 本规定适用于技工学校的全日制学生。\n\n"
        "第三条 学校应当建立学籍档案。\n"
    )
    meta = metadata(write_doc, text)
    assert (meta["region"], meta["admin_level"]) == ("全国", "national")
    assert meta["issuer"] is None and meta["date"] is None
    # a place named without its suffix (``桂林`` for 桂林市) is no national rule
    local = text.replace("技工学校学籍管理规定", "桂林山水风景保护规定")
    assert metadata(write_doc, local)["region"] != "全国"


def test_rule_without_a_place_but_with_a_local_body_keeps_the_body_region(write_doc):
    text = (
        "城区道路管理规定\n"
        "2016年3月2日 酒泉市人民政府第12次常务会议通过\n"
        "第一条 为了加强城区道路管理，制定本规定。\n"
        "第二条 本规定适用于城区道路。\n"
        "第三条 市人民政府负责实施。\n"
    )
    meta = metadata(write_doc, text)
    assert meta["issuer"] == "酒泉市人民政府"
    assert meta["region"] != "全国"


def test_export_fields_and_a_dashed_rule_before_the_title(write_doc):
    title = "张掖市人民政府办公室关于推进技工教育发展的实施意见"
    text = (
        f"{title}\n\n"
        "【发布部门】张掖市人民政府办公室\n【发文字号】张政办发〔2019〕77号\n【发布日期】2019.08.30\n"
        "【实施日期】2019.08.30\n【时效性】现行有效\n【效力级别】地方规范性文件\n\n正文：\n"
        "----------------------------------------\n"
        f"{title}\n"
        "（张政办发〔2019〕77号）\n"
        "各县区人民政府，市政府各部门：\n\n"
        "为推进技工教育发展，现提出如下实施意见。\n\n"
        "一、总体要求\n\n（一）指导思想。坚持服务发展。\n\n（二）主要目标。建成3所技工学校。\n"
    )
    meta = metadata(write_doc, text)
    assert meta["title"] == title
    assert meta["doc_number"] == "张政办发〔2019〕77号"
    assert (meta["issuer"], meta["region"]) == ("张掖市人民政府办公室", "张掖市")


def test_adoption_lines_broken_inside_the_date_or_after_the_body(write_doc):
    text = (
        "# 柳州市城市绿化条例\n\n"
        "2015年4月21日 柳州市第十三届人民代表大会常务委员会\n"
        "第二十七次会议通过\n"
        "2015年5月28\n"
        "日广西壮族自治区第十二届人民代表大会常务委员会第十六次会议批准\n\n"
        "总　则\n\n"
        "第一条 为了加强城市绿化建设，制定本条例。\n\n"
        "第二条 本条例适用于本市城市规划区。\n\n"
        "第三条 市人民政府应当加强领导。\n"
    )
    meta = metadata(write_doc, text)
    assert meta["title"] == "柳州市城市绿化条例"
    assert (meta["issuer"], meta["date"]) == ("柳州市人民代表大会常务委员会", "2015-05-28")
    assert (meta["region"], meta["admin_level"]) == ("柳州市", "city")


def test_title_printed_twice_the_second_time_broken_or_spaced(write_doc):
    head = "# 昆明市滇池保护和发展监督条例\n\n2021年3月1日 昆明市第十五届人民代表大会常务委员会第三十八次会议通过\n\n"
    body = "第一条 为了加强监督，制定本条例。\n\n第二条 本条例适用于本市。\n\n第三条 市人民政府应当加强领导。\n"
    for copy in ("昆明市滇池保护和发展\n监督条例\n\n", "昆明市滇池保护和发展 监督条例\n\n"):
        assert metadata(write_doc, head + copy + body)["title"] == "昆明市滇池保护和发展监督条例"
    # printed once with a space: left as printed
    once = "昆明市人民政府 关于加强滇池保护的规定\n\n" + body
    assert metadata(write_doc, once)["title"] == "昆明市人民政府 关于加强滇池保护的规定"
