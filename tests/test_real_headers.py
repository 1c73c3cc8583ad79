"""Header shapes met on real pages and regulations the project never saw (issue 18): a 文号
typed with its 号 twice, a stray line between a title and its text, a resolution's opening
paragraph, a regulation named after its city without the suffix or inside 中国（…）, a damaged
copy whose first articles are lost, a short regulation of two articles under its only
chapter, header-field labels glued to the issuer, a notice signed but untitled, a number run
into the addressees, a spaced pipe-table label, a title's year range followed by its
drafting body, a party committee's department, and a page heading that prints the number
before the notice. Every text here is written for this test (other places and subjects);
none comes from a seed, dev or gold file, nor from a web page."""

from __future__ import annotations

from kg.extraction import extract
from kg.parsing import parse

FIELDS = ("title", "doc_number", "issuer", "region", "admin_level", "date")


def metadata(write_doc, text: str) -> dict:
    meta = parse(write_doc(text)).metadata
    return {f: getattr(meta, f) for f in FIELDS}


def keys(write_doc, text: str) -> list[str]:
    return [m.key for m in parse(write_doc(text)).measures]


# --- a line the title search does not read ------------------------------------------------------


def test_number_typed_with_its_hao_twice(write_doc):
    text = (
        "淮安市人民政府办公室关于推进家政服务提质扩容的实施意见\n\n"
        "淮政办发〔2022〕17号号\n\n"
        "来源：市商务局  发布日期：2022-05-10 08:30:00  浏览次数：\n\n"
        "各县（区）人民政府，市各委办局：\n\n"
        "为推进家政服务提质扩容，经市政府同意，现提出如下实施意见。\n\n"
        "一、总体要求\n\n（一）基本原则。坚持市场主导。\n"
    )
    assert metadata(write_doc, text) == {
        "title": "淮安市人民政府办公室关于推进家政服务提质扩容的实施意见",
        "doc_number": "淮政办发〔2022〕17号",
        "issuer": "淮安市人民政府办公室",
        "region": "淮安市",
        "admin_level": "city",
        "date": None,  # a posting time is not a date
    }


def test_stray_short_line_between_title_and_text(write_doc):
    text = (
        "遂宁市人民政府关于加快发展银发经济的意见\n\n"
        "（2023年第3期）\n\n"
        "各县（市、区）人民政府，市级各部门：\n\n"
        "为加快发展银发经济，结合我市实际，提出如下意见。\n\n"
        "一、总体要求\n\n（一）工作目标。到2027年形成完整产业体系。\n"
    )
    meta = metadata(write_doc, text)
    assert meta["title"] == "遂宁市人民政府关于加快发展银发经济的意见"
    assert (meta["issuer"], meta["region"]) == ("遂宁市人民政府", "遂宁市")


def test_page_path_above_a_stray_line_is_no_title(write_doc):
    text = (
        "当前位置：首页 > 政策文件 > 通知\n\n"
        "（2023年第3期）\n\n"
        "各县（市、区）人民政府：\n\n"
        "为加快发展银发经济，结合我市实际，提出如下意见。\n\n"
        "一、总体要求\n\n（一）工作目标。到2027年形成完整产业体系。\n"
    )
    assert metadata(write_doc, text)["title"] is None


def test_resolution_with_an_opening_paragraph_before_its_preamble(write_doc):
    text = (
        "河源市人民代表大会常务委员会关于加强城乡饮用水源保护的决议\n\n"
        "（2021年9月28日河源市第七届人民代表大会常务委员会第四十一次会议通过）\n\n"
        "河源市第七届人民代表大会常务委员会第四十一次会议听取和审议了市人民政府关于饮用水源保护"
        "工作情况的报告，会议认为，近年来全市饮用水源水质总体稳定，但部分水源地仍存在隐患。\n\n"
        "为进一步保障全市饮用水安全，特作出如下决议：\n\n"
        "一、提高认识，落实保护责任。各级人民政府应当加强领导。\n\n"
        "二、加强监测，及时发布信息。\n"
    )
    assert metadata(write_doc, text) == {
        "title": "河源市人民代表大会常务委员会关于加强城乡饮用水源保护的决议",
        "doc_number": None,
        "issuer": "河源市人民代表大会常务委员会",
        "region": "河源市",
        "admin_level": "city",
        "date": "2021-09-28",
    }


# --- a regulation's place without its suffix ---------------------------------------------------

ARTICLES = (
    "第一条 为了规范本条例所称事项的管理，制定本条例。\n\n"
    "第二条 本条例适用于本行政区域内的有关活动。\n\n"
    "第三条 有关部门按照各自职责做好相关工作。\n"
)


def test_regulation_named_after_its_city_without_the_suffix(write_doc):
    meta = metadata(write_doc, "厦门港口管理条例\n\n" + ARTICLES)
    assert (meta["title"], meta["region"], meta["admin_level"]) == ("厦门港口管理条例", "厦门市", "city")


def test_regulation_named_after_a_zone_with_its_province_in_brackets(write_doc):
    meta = metadata(write_doc, "中国（福建）自由贸易试验区条例\n\n" + ARTICLES)
    assert (meta["region"], meta["admin_level"]) == ("福建省", "province")


# --- articles ------------------------------------------------------------------------------------


def test_damaged_copy_whose_first_articles_are_lost(write_doc):
    text = (
        "江西省水文管理条例\n\n第一章 总则\n\n"
        "第三条 县级以上人民政府应当加强水文工作。\n\n"
        "第四条 省水行政主管部门负责全省水文工作。\n\n"
        "第五条 水文机构依法履行职责。\n\n"
        "第二章 规划和建设\n\n"
        "第六条 水文事业发展规划由省水行政主管部门编制。\n\n"
        "第七条 水文站网建设应当符合规划。\n"
    )
    assert keys(write_doc, text) == ["1.3", "1.4", "1.5", "2.6", "2.7"]


def test_short_regulation_of_two_articles_under_its_only_chapter(write_doc):
    text = (
        "吉林省冰雪场所安全管理规定\n\n第一章 总则\n\n"
        "第一条 为了加强冰雪场所安全管理，制定本规定。\n\n"
        "第二条 本省行政区域内冰雪场所的安全管理，适用本规定。\n"
    )
    assert keys(write_doc, text) == ["1.1", "1.2"]


# --- issuers -------------------------------------------------------------------------------------


def test_field_labels_read_with_the_notice_are_no_part_of_its_issuer(write_doc):
    text = (
        "索引号：00231-2023-0071  发布机构：宣城市人民政府办公室\n"
        "废止时间：2028-05-01 名称：宣城市人民政府关于印发《宣城市人民政府议事规则》的通知\n"
        "浏览次数：12\n\n"
        "宣城市人民政府关于印发《宣城市人民政府议事规则》的通知\n\n"
        "各县市区人民政府，市政府各部门：\n\n"
        "《宣城市人民政府议事规则》已经市政府常务会议通过，现予印发，请遵照执行。\n\n"
        "宣城市人民政府\n2023年4月20日\n\n"
        "宣城市人民政府议事规则\n\n"
        "一、根据有关法律规定，结合本市实际，制定本规则。\n\n二、市政府实行市长负责制。\n"
    )
    meta = metadata(write_doc, text)
    assert meta["title"] == "宣城市人民政府议事规则"
    assert (meta["issuer"], meta["region"]) == ("宣城市人民政府", "宣城市")


def test_bracketed_tag_before_the_notice_is_no_part_of_its_issuer(write_doc):
    text = (
        "标题 【通知】潍坊市寒亭区人民政府办公室关于印发寒亭区托育服务三年行动计划的通知\n"
        "成文日期 2023-06-02\n\n"
        "各街道办事处，区政府各部门：\n\n"
        "现将《寒亭区托育服务三年行动计划》印发给你们，请认真贯彻执行。\n\n"
        "潍坊市寒亭区人民政府办公室\n2023年6月2日\n\n"
        "寒亭区托育服务三年行动计划\n\n"
        "为发展普惠托育服务，制定本计划。\n\n一、工作目标\n\n到2025年每千人口拥有托位4.5个。\n"
    )
    meta = metadata(write_doc, text)
    assert meta["issuer"] == "潍坊市寒亭区人民政府办公室"
    assert (meta["region"], meta["date"]) == ("寒亭区", "2023-06-02")


def test_notice_signed_but_printed_without_its_title(write_doc):
    text = (
        "宜人才办〔2023〕2号\n\n"
        "各县市区人才工作领导小组，市直有关单位：\n\n"
        "为加快集聚青年人才，现将《关于支持青年人才来宜创业的实施意见》印发给你们，请结合实际抓好落实。\n\n"
        "宜昌市人才工作领导小组办公室\n2023年3月9日\n\n"
        "关于支持青年人才来宜创业的实施意见\n\n"
        "为加快集聚青年人才，结合我市实际，制定如下实施意见。\n\n"
        "一、支持创业项目落地\n\n（一）给予场地支持。\n"
    )
    assert metadata(write_doc, text) == {
        "title": "关于支持青年人才来宜创业的实施意见",
        "doc_number": "宜人才办〔2023〕2号",
        "issuer": "宜昌市人才工作领导小组办公室",
        "region": "宜昌市",
        "admin_level": "city",
        "date": "2023-03-09",
    }


def test_party_committee_department_is_one_issuer(write_doc):
    text = (
        "中共黄石市委组织部 黄石市人力资源和社会保障局关于印发《黄石市乡村人才评价办法》的通知\n\n"
        "各县（市、区）委组织部、人社局：\n\n"
        "现将《黄石市乡村人才评价办法》印发给你们，请认真执行。\n\n"
        "黄石市乡村人才评价办法\n\n"
        "第一条 为了做好乡村人才评价工作，制定本办法。\n\n"
        "第二条 本办法适用于本市乡村人才。\n\n第三条 评价坚持德才兼备。\n"
    )
    meta = parse(write_doc(text)).metadata
    assert meta.issuer == "中共黄石市委组织部 黄石市人力资源和社会保障局"
    assert meta.issuers == ["中共黄石市委组织部", "黄石市人力资源和社会保障局"]


def test_page_heading_printing_the_number_before_the_notice(write_doc):
    text = (
        "桂政办发〔2019〕5号《广西壮族自治区人民政府办公厅关于印发〈广西2019年数字政府建设工作要点〉的通知》\n"
        "桂政办发〔2019〕5号\n"
        "各市人民政府，自治区人民政府各组成部门：\n"
        "《广西2019年数字政府建设工作要点》已经自治区人民政府同意，现印发给你们，请认真贯彻落实。\n"
        "广西壮族自治区人民政府办公厅\n2019年3月1日\n"
        "2019年是数字政府建设的关键之年。今年工作的总体要求是：统筹推进政务数据共享，提升服务水平。\n"
        "一、夯实基础设施\n（一）建设统一的政务云平台。\n"
    )
    meta = metadata(write_doc, text)
    assert meta["title"] == "广西2019年数字政府建设工作要点"
    assert (meta["issuer"], meta["region"]) == ("广西壮族自治区人民政府办公厅", "广西壮族自治区")


# --- numbers and titles --------------------------------------------------------------------------


def test_number_run_into_the_addressees(write_doc):
    text = (
        "论文部分内容阅读\n"
        "湖政发[2016]8号各县区人民政府，市政府各部门：近年来，我市养老服务业发展较快，但仍存在不足。"
        "经市政府研究，现就加快发展养老服务业提出如下意见。\n"
    )
    assert metadata(write_doc, text)["doc_number"] == "湖政发[2016]8号"


def test_spaced_label_in_a_pipe_field_table(write_doc):
    text = (
        "索 引 号 | 6400-2019-00211 |\n"
        "发布机构 | 自治区人民政府 | 文 号 | 宁政发[2019]21号 |\n"
        "成文日期 | 2019-05-06 |\n"
        "各市、县（区）人民政府，自治区政府各部门：\n"
        "为推动全区养老服务高质量发展，结合实际，提出如下意见。\n"
        "一、总体要求\n（一）发展目标。到2022年基本建成养老服务体系。\n"
    )
    meta = metadata(write_doc, text)
    assert (meta["doc_number"], meta["date"]) == ("宁政发[2019]21号", "2019-05-06")


def test_title_years_line_followed_by_its_drafting_body(write_doc):
    text = (
        "贵州省人民政府办公厅关于印发贵州省中等职业学校布局调整规划的通知\n"
        "黔府办发〔2021〕9号\n"
        "各市、自治州人民政府，省政府各部门：\n"
        "《贵州省中等职业学校布局调整规划（2021—2025年）》已经省人民政府同意，现印发给你们，请认真贯彻执行。\n"
        "贵州省人民政府办公厅\n2021年4月2日\n"
        "贵州省中等职业学校布局调整规划\n"
        "（2021—2025年）省教育厅\n"
        "为优化全省中等职业学校布局，特制定本规划。\n"
        "一、发展现状\n（一）学校规模。全省现有学校一百余所。\n"
    )
    meta = metadata(write_doc, text)
    assert meta["title"] == "贵州省中等职业学校布局调整规划（2021—2025年）"
    assert (meta["issuer"], meta["date"]) == ("贵州省人民政府办公厅", "2021-04-02")


def _keys_and_texts(write_doc, text: str) -> list[tuple[str, str]]:
    path = write_doc(text, name="rule.md")
    source = path.read_text(encoding="utf-8")
    return [(m.key, source[m.span.start : m.span.end]) for m in parse(path).measures]


def test_copy_that_lost_its_first_chapter_heading(write_doc):
    """The collection's copy prints the 总则's articles without their 第一章 heading, and a
    later heading is lost too: the articles before 第二章 are chapter 1, those after a
    missing 第四章 stay in 第三章 until 第五章 is printed."""
    text = (
        "# 某市养老服务条例\n\n2021年3月1日 某市人民代表大会常务委员会第九次会议通过\n\n<!-- INFO END -->\n\n"
        "第一条 为了发展养老服务，制定本条例。\n\n第二条 本条例适用于本市。\n\n"
        "## 第二章  设施建设\n\n第三条 市人民政府应当规划养老设施。\n\n第四条 新建小区应当配建养老用房。\n\n"
        "## 第三章  服务提供\n\n第五条 养老机构应当提供照料服务。\n\n"
        "第六条 养老机构应当建立服务档案。\n\n"
        "## 第五章  附则\n\n第七条 本条例自2021年6月1日起施行。\n"
    )
    keys = [k for k, _ in _keys_and_texts(write_doc, text)]
    assert keys == ["1.1", "1.2", "2.3", "2.4", "3.5", "3.6", "5.7"]


def test_chapter_title_printed_without_its_number_is_no_text_of_the_article_before(write_doc):
    text = (
        "# 某省家政服务条例\n\n2022年5月6日 某省人民代表大会常务委员会第三次会议通过\n\n<!-- INFO END -->\n\n"
        "第一条 为了规范家政服务，制定本条例。\n\n第二条 本条例适用于本省。\n\n"
        "第三条 县级以上人民政府应当加强领导。\n\n服务规范\n\n"
        "第四条 家政企业应当与服务人员签订合同。\n\n第五条 家政企业应当组织岗前培训。\n"
    )
    measures = dict(_keys_and_texts(write_doc, text))
    assert list(measures) == ["1.0", "2.0", "3.0", "4.0", "5.0"]
    assert measures["3.0"] == "第三条 县级以上人民政府应当加强领导。"


def test_signed_date_whose_characters_a_scrape_dropped(write_doc):
    text = (
        "某市人民政府关于印发某市技能人才培育计划的通知\n\n"
        "各县（区）人民政府，市直有关单位：\n\n"
        "《某市技能人才培育计划》已经市政府同意，现印发给你们，请认真贯彻执行。\n\n"
        "某市人民政府\n\n   20190917\n\n"
        "某市技能人才培育计划\n\n一、主要目标\n\n（一）到2022年培育技能人才1万名。\n"
    )
    assert metadata(write_doc, text)["date"] == "2019-09-17"
    # an 8-digit line that is no signature's date (a code under a field) is no date
    assert metadata(write_doc, text.replace("某市人民政府\n\n   20190917", "索引号：\n\n   20190917"))["date"] is None


def test_revision_decisions_in_the_adoption_lines_amend_the_regulation(write_doc):
    text = (
        "# 某市技工学校条例\n\n"
        "2001年6月1日 某市第十一届人民代表大会常务委员会第二十次会议通过\n\n"
        "2009年5月6日 某省第十一届人民代表大会常务委员会第九次会议批准的"
        "《某市人民代表大会常务委员会关于修改〈某市技工学校条例〉的决定》第一次修正\n\n"
        "2016年3月2日 某省第十二届人民代表大会常务委员会第二十次会议《关于修改部分地方性法规的决定》修正\n\n"
        "<!-- INFO END -->\n\n第一条 为了发展技工教育，制定本条例。\n\n第二条 本条例适用于本市。\n\n"
        "第三条 本条例自公布之日起施行。\n"
    )
    changes = parse(write_doc(text, name="rule.md")).metadata.changes
    assert [(c["relation"], c["title"]) for c in changes] == [
        ("amended_by", "某市人民代表大会常务委员会关于修改〈某市技工学校条例〉的决定"),
        ("amended_by", "关于修改部分地方性法规的决定"),
    ]


def test_a_notice_quoting_articles_keeps_its_own_outline(write_doc):
    """A notice on studying a law quotes 第四条 to 第九条 under its 二、: no damaged
    regulation, its measures are its 一、二、三、."""
    quoted = "".join(f"第{n}条 本条规定职业学校的第{n}项义务。\n\n" for n in "四五六七八九")
    text = (
        "某县教育局关于认真学习职业教育法的通知\n\n各学校：\n\n现将有关事项通知如下。\n\n"
        "一、提高认识。各校要认真组织学习。\n\n二、把握重点。重点学习以下条款：\n\n"
        + quoted
        + "三、抓好落实。各校于2022年6月30日前报送学习情况。\n\n某县教育局\n\n2022年5月6日\n"
    )
    assert keys(write_doc, text) == ["1.0", "2.0", "3.0"]


def test_a_sentence_that_refers_to_a_chapter_is_no_chapter_heading(write_doc):
    text = (
        "某市技工教育条例\n\n第一章  总则\n\n第一条 为了发展技工教育，制定本条例。\n\n"
        "第二条 本条例所称技工学校，包括：\n\n（一）技师学院；\n\n（二）高级技工学校。\n\n"
        "第三章第二节所列学校，参照本条执行。\n\n"
        "第二章  办学\n\n第三条 举办技工学校应当具备条件。\n\n第四条 技工学校应当开展实习。\n\n"
        "第三章  保障\n\n第五条 市人民政府应当保障经费。\n"
    )
    assert keys(write_doc, text) == ["1.1", "1.2.1", "1.2.2", "2.3", "2.4", "3.5"]


def test_a_contact_line_number_is_no_signed_date(write_doc):
    text = (
        "某市人民政府关于印发某市技能人才培育计划的通知\n\n各县（区）人民政府：\n\n"
        "现将《某市技能人才培育计划》印发给你们，请认真贯彻执行。\n\n联系单位：某市教育局\n\n20210615\n\n"
        "某市技能人才培育计划\n\n一、主要目标\n\n（一）到2022年培育技能人才1万名。\n"
    )
    assert metadata(write_doc, text)["date"] is None


def test_a_notice_cited_in_the_preamble_is_not_the_documents_own_title(write_doc):
    """A page that opens at its addressees: the 《…关于印发…的通知》 its first sentence stands
    on is a citation, not the document's title or issuer."""
    text = (
        "各市发展改革委、教育局，有关企业：\n\n"
        "为贯彻落实有关部署，根据国家发展改革委等6部门《关于印发某某建设试点实施方案的通知》"
        "（发改社会〔2019〕1558号）要求，现转发《某某试点城市名单》，请认真做好工作。\n\n"
        "一、工作要求\n\n（一）加强组织。各市要建立工作机制。\n"
    )
    meta = metadata(write_doc, text)
    assert meta["title"] is None and meta["issuer"] is None
    cited = [m.name for m in extract(write_doc(text), keywords=False).mentions if m.entity == "cited_document"]
    assert "关于印发某某建设试点实施方案的通知" in cited


# --- a placeless text's own level ---------------------------------------------------------------


def test_a_text_that_names_no_place_takes_the_level_it_calls_its_own(write_doc):
    county = (
        "职业技能提升行动实施方案\n\n"
        "为推动我县职业技能培训，结合全县实际，制定本方案。\n\n"
        "一、工作目标\n\n（一）扩大培训规模。全县每年培训三千人次，全省统一部署的任务按时完成。\n"
    )
    city = "技工教育发展实施意见\n\n为加快我市技工教育发展，现提出如下意见。\n\n一、总体要求\n\n（一）扩大规模。\n"
    mixed = "某项工作方案\n\n为落实全省部署，推进全市工作，制定本方案。\n\n一、目标\n\n（一）稳步推进。\n"
    assert metadata(write_doc, county)["admin_level"] == "county"
    assert metadata(write_doc, city)["admin_level"] == "city"
    # 全省 once and 全市 once: no level is clearly the text's own
    assert metadata(write_doc, mixed)["admin_level"] is None
    # 本市 is said by a municipality's and a city's texts alike
    own = "某项工作方案\n\n为规范本市某项工作，制定本方案。\n\n一、目标\n\n（一）稳步推进。\n"
    assert metadata(write_doc, own)["admin_level"] is None


def test_a_sentence_that_cites_a_forwarding_notice_gives_no_title_or_issuer(write_doc):
    quoted = (
        "各市教育局，有关学校：\n\n"
        "按照《某部、某委关于印发〈某类学校认定办法（试行）〉的通知》（某发〔2021〕3号）要求，"
        "现就有关事项通知如下：\n\n一、认真组织申报\n\n1.各地要认真组织。\n"
    )
    unquoted = (
        "某项培训实施方案 某项培训实施方案 为贯彻落实省政府办公厅关于印发某项培训方案的通知精神，"
        "结合我县实际，制定本方案。\n\n一、目标任务\n\n（一）扩大规模。\n"
    )
    for text in (quoted, unquoted):
        meta = metadata(write_doc, text)
        assert meta["title"] not in ("某类学校认定办法（试行）", "某类学校认定办法(试行)", "某项培训方案"), meta
        assert meta["issuer"] is None, meta


def test_a_placeless_text_whose_levels_disagree_gets_no_level(write_doc):
    # a city's plan that speaks mostly of the province (全省 four times, 我市 once)
    city = (
        "某项工作方案\n\n为落实全省部署，对标全省目标，融入全省布局，服务全省大局，结合我市实际，制定本方案。\n\n"
        "一、目标\n\n（一）稳步推进。\n"
    )
    # a district's plan: 我区 and 全区 make it undecidable, whatever else it says
    district = (
        "某项工作方案\n\n为推进我区工作，按照全市要求和我县经验，制定本方案。\n\n一、目标\n\n（一）全区稳步推进。\n"
    )
    assert metadata(write_doc, city)["admin_level"] is None
    assert metadata(write_doc, district)["admin_level"] is None
