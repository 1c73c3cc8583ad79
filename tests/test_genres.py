"""Genres and layouts beyond the 实施方案 (GUIDELINES §10): regulations numbered by chapters
and articles (plain text and Markdown exports), legal-database exports, web pages with their
chrome, a notice that wraps a plan, and an unnumbered goal block. The documents are written
for these tests; names in them are illustrative."""

from __future__ import annotations

from kg.parsing import parse

# A city regulation as printed: adoption, approval and a later revision in one parenthesis,
# a table of contents, chapters, articles counting across chapters, （一） items in articles.
REGULATION_TXT = """苏州市职业教育校企合作促进条例

（2014年10月29日苏州市第十五届人民代表大会常务委员会第十八次会议通过　2014年11月27日江苏省第十二届人民代表大会常务委员会第十三次会议批准　根据2021年6月24日苏州市第十七届人民代表大会常务委员会第三十四次会议通过、2021年7月29日江苏省第十三届人民代表大会常务委员会第二十四次会议批准的《苏州市人民代表大会常务委员会关于修改〈苏州市职业教育校企合作促进条例〉等五件地方性法规的决定》修正）

目　　录

第一章　总　　则
第二章　合作形式
第三章　保障措施
第四章　附　　则

第一章　总　　则

第一条　为了促进职业教育校企合作，提高技术技能人才培养质量，根据《中华人民共和国职业教育法》等法律、法规，结合本市实际，制定本条例。

第二条　本市行政区域内职业院校与企业开展校企合作，适用本条例。

第三条　市、县级市（区）人民政府应当加强对校企合作工作的领导，将校企合作纳入职业教育发展规划。

第二章　合作形式

第四条　职业院校和企业可以开展下列合作：

（一）合作设置专业，共同开发课程和教材；

（二）共建实习实训基地；

（三）开展订单培养和现代学徒制培养。

第五条　企业可以通过捐赠、投资等方式参与举办职业院校。

第三章　保障措施

第六条　市、县级市（区）人民政府应当设立校企合作专项资金，用于奖励和补助校企合作项目。

第七条　企业接收学生实习的支出，按照国家有关规定在计算应纳税所得额时扣除。

第四章　附　　则

第八条　本条例自2015年3月1日起施行。
"""

# The same genre as a regulations collection exports it to Markdown: a `# ` title, one
# adoption or revision per line, `## ` chapters, `### ` 节 (not units), no parentheses.
REGULATION_MD = """# 成都市职业教育促进条例

2016年8月26日成都市第十六届人民代表大会常务委员会第二十七次会议通过

2016年11月30日四川省第十二届人民代表大会常务委员会第二十八次会议批准

根据2022年4月20日成都市第十七届人民代表大会常务委员会第三十七次会议《关于修改〈成都市职业教育促进条例〉的决定》修正

2022年5月27日四川省第十三届人民代表大会常务委员会第三十五次会议批准

<!-- INFO END -->

## 第一章 总则

第一条 为了促进本市职业教育发展，根据有关法律、法规，结合本市实际，制定本条例。

第二条 市和区（市）县人民政府应当将职业教育纳入国民经济和社会发展规划。

## 第二章 职业学校

### 第一节 设立

第三条 设立职业学校，应当具备下列条件：

（一）有组织机构和章程；

（二）有合格的教师；

（三）有必备的办学资金。

### 第二节 管理

第四条 职业学校应当建立健全教学质量保障制度。

## 第三章 附则

第五条 本条例自2017年1月1日起施行。
"""


def outline(parsed):
    return [(m.key, parsed.document.slice(m.heading)) for m in parsed.measures]


def test_regulation_with_chapters_articles_and_items(write_doc):
    parsed = parse(write_doc(REGULATION_TXT))
    assert outline(parsed) == [
        (
            "1.1",
            "为了促进职业教育校企合作，提高技术技能人才培养质量，根据《中华人民共和国职业教育法》等法律、法规，结合本市实际，制定本条例",
        ),
        ("1.2", "本市行政区域内职业院校与企业开展校企合作，适用本条例"),
        ("1.3", "市、县级市（区）人民政府应当加强对校企合作工作的领导，将校企合作纳入职业教育发展规划"),
        ("2.4.1", "合作设置专业，共同开发课程和教材"),
        ("2.4.2", "共建实习实训基地"),
        ("2.4.3", "开展订单培养和现代学徒制培养"),
        ("2.5", "企业可以通过捐赠、投资等方式参与举办职业院校"),
        ("3.6", "市、县级市（区）人民政府应当设立校企合作专项资金，用于奖励和补助校企合作项目"),
        ("3.7", "企业接收学生实习的支出，按照国家有关规定在计算应纳税所得额时扣除"),
        ("4.8", "本条例自2015年3月1日起施行"),
    ]
    m = parsed.metadata
    assert m.title == "苏州市职业教育校企合作促进条例"
    assert m.doc_number is None
    # The latest adoption or revision names the city's congress; the latest date is the
    # province's approval of that revision.
    assert m.issuer == "苏州市人民代表大会常务委员会"
    assert m.date == "2021-07-29"
    assert (m.region, m.admin_level) == ("苏州市", "city")
    # The body starts at the first chapter, after the table of contents.
    assert parsed.document.slice(m.body).startswith("第一章　总　　则\n\n第一条")


def test_markdown_regulation_export(write_doc):
    parsed = parse(write_doc(REGULATION_MD, name="chengdu.md"))
    assert [k for k, _ in outline(parsed)] == ["1.1", "1.2", "2.3.1", "2.3.2", "2.3.3", "2.4", "3.5"]
    assert outline(parsed)[2] == ("2.3.1", "有组织机构和章程")
    # A 节 heading ends the article before it: it is not part of article 3's last item.
    assert "第二节" not in parsed.document.slice(parsed.measures[4].span)
    m = parsed.metadata
    assert m.title == "成都市职业教育促进条例"
    assert m.issuer == "成都市人民代表大会常务委员会"
    assert m.date == "2022-05-27"
    assert (m.region, m.admin_level) == ("成都市", "city")
    assert "#" not in parsed.document.view.text and "INFO END" not in parsed.document.view.text


def test_rule_by_articles_without_chapters(write_doc):
    text = (
        "杭州市职业技能培训管理办法\n"
        "（2019年6月20日杭州市人民政府第45次常务会议审议通过　2019年7月1日杭州市人民政府令第318号公布"
        "　自2019年8月1日起施行）\n"
        "第一条　为了规范职业技能培训活动，根据有关法律、法规，结合本市实际，制定本办法。\n"
        "第二条　本市行政区域内的职业技能培训活动，适用本办法。\n"
        "第三条　设立职业技能培训机构，应当具备下列条件：\n"
        "（一）有与培训规模相适应的场所；\n（二）有符合要求的专兼职教师。\n"
        "第四条　本办法自2019年8月1日起施行。\n"
    )
    parsed = parse(write_doc(text))
    assert [k for k, _ in outline(parsed)] == ["1.0", "2.0", "3.1", "3.2", "4.0"]
    assert outline(parsed)[3] == ("3.2", "有符合要求的专兼职教师")
    m = parsed.metadata
    assert m.title == "杭州市职业技能培训管理办法"
    assert m.issuer == "杭州市人民政府"
    assert m.date == "2019-06-20"  # adoption; a publication date is neither adoption nor approval
    assert (m.region, m.admin_level) == ("杭州市", "city")


def test_legal_database_export_header_is_boilerplate(write_doc):
    text = (
        "      法规数据库【引证码】 CLI.12.5551234\n"
        "原文链接：https://law.example.com/lar/0a1b2c3d.html\n"
        "嘉兴市人民政府办公室关于推进职业教育产教融合的实施意见\n\n"
        "嘉兴市人民政府办公室关于推进职业教育产教融合的实施意见\n\n"
        "[嘉政办发〔2020〕45号]\n\n"
        "各县（市、区）人民政府，市政府各部门、各直属单位：\n\n"
        "　　为深化产教融合，结合我市实际，现提出如下实施意见。\n"
        "　　一、总体要求\n\n　　（一）指导思想。坚持服务发展。\n\n　　（二）主要目标。到2025年建成10所示范学校。\n"
        "　　二、保障措施\n\n　　（三）加强组织领导。建立联席会议制度。\n"
        "嘉兴市人民政府办公室\n\n2020年9月10日\n"
    )
    parsed = parse(write_doc(text))
    view = parsed.document.view.text
    assert "CLI" not in view and "引证码" not in view and "原文链接" not in view
    m = parsed.metadata
    assert m.title == "嘉兴市人民政府办公室关于推进职业教育产教融合的实施意见"
    assert m.doc_number == "嘉政办发〔2020〕45号"
    assert m.issuer == "嘉兴市人民政府办公室"
    assert (m.region, m.date) == ("嘉兴市", "2020-09-10")
    assert [k for k, _ in outline(parsed)] == ["1.1", "1.2", "2.3"]


def test_web_page_chrome_around_a_notice_wrapping_a_plan(write_doc):
    text = (
        "当前位置：首页 > 政务公开 > 政策文件\n"
        "杭州市富阳区人民政府办公室关于印发富阳区职业教育提质培优行动计划的通知\n"
        "来源：区政府办公室\n发布时间：2021-06-18 09:30\n浏览次数：1024\n字号：大 中 小\n"
        "杭州市富阳区人民政府办公室关于印发富阳区职业教育提质培优行动计划的通知\n"
        "富政办〔2021〕12号\n"
        "各乡镇人民政府、街道办事处，区政府各部门、各直属单位：\n"
        "《富阳区职业教育提质培优行动计划》已经区政府同意，现印发给你们，请认真贯彻执行。\n"
        "杭州市富阳区人民政府办公室\n2021年6月15日\n"
        "富阳区职业教育提质培优行动计划\n"
        "为推动职业教育高质量发展，制定本计划。\n"
        "一、重点任务\n（一）优化专业布局。内容。\n（二）建设实训基地。内容。\n二、保障措施\n加强组织领导。\n"
        "打印本页 关闭窗口\n"
    )
    parsed = parse(write_doc(text))
    view = parsed.document.view.text
    for chrome in ("来源", "浏览次数", "发布时间", "字号", "打印本页"):
        assert chrome not in view
    m = parsed.metadata
    assert m.title == "富阳区职业教育提质培优行动计划"
    assert m.doc_number == "富政办〔2021〕12号"
    assert m.issuer == "杭州市富阳区人民政府办公室"
    assert (m.region, m.admin_level, m.date) == ("富阳区", "district", "2021-06-15")
    assert [k for k, _ in outline(parsed)] == ["1.1", "1.2", "2.0"]


def test_notice_with_its_own_numbered_paragraphs_wrapping_a_plan(write_doc):
    text = (
        "湖州市教育局等五部门关于印发《湖州市职业教育技能提升实施方案》的通知\n"
        "湖教发〔2022〕8号\n"
        "各区县教育局、发展改革局：\n"
        "现将《湖州市职业教育技能提升实施方案》印发给你们，并提出以下要求：\n"
        "一、提高思想认识。各地要把技能提升摆在突出位置。\n"
        "二、抓好工作落实。各地要细化任务分工。\n"
        "附件：湖州市职业教育技能提升实施方案\n"
        "湖州市教育局\n2022年3月1日\n"
        "附件\n"
        "湖州市职业教育技能提升实施方案\n"
        "为推动职业教育技能提升，制定本方案。\n"
        "一、主要任务\n（一）扩大培训规模。内容。\n（二）提升培训质量。内容。\n"
        "二、保障措施\n（三）加强经费保障。内容。\n"
    )
    parsed = parse(write_doc(text))
    m = parsed.metadata
    assert m.title == "湖州市职业教育技能提升实施方案"
    assert (m.doc_number, m.date) == ("湖教发〔2022〕8号", "2022-03-01")
    assert m.issuer == "湖州市教育局等五部门"
    # The notice's own 一、二、 are not measures; the plan's are.
    assert outline(parsed) == [("1.1", "扩大培训规模"), ("1.2", "提升培训质量"), ("2.3", "加强经费保障")]


def test_unnumbered_goal_block_is_measure_zero(write_doc):
    text = (
        "台州市职业教育提质培优行动方案\n"
        "为推动职业教育提质培优，制定本方案。\n"
        "主要目标：到2025年，建成省级高水平职业院校5所，培育产教融合型企业50家以上。\n"
        "一、重点任务\n（一）建设高水平学校。内容。\n（二）深化产教融合。内容。\n"
    )
    parsed = parse(write_doc(text))
    assert outline(parsed) == [("0.0", "主要目标"), ("1.1", "建设高水平学校"), ("1.2", "深化产教融合")]
    goal = parsed.document.slice(parsed.measures[0].span)
    assert goal.startswith("主要目标") and goal.endswith("50家以上。")


def test_rule_published_by_decree(write_doc):
    text = (
        "浙江省人民政府令\n第388号\n"
        "《浙江省职业教育校企合作促进办法》已经省人民政府第56次常务会议审议通过，现予公布，自2021年1月1日起施行。\n"
        "省长　某某\n2020年12月1日\n"
        "浙江省职业教育校企合作促进办法\n"
        "第一条　为了促进职业教育校企合作，制定本办法。\n"
        "第二条　本省行政区域内的校企合作活动，适用本办法。\n"
        "第三条　县级以上人民政府应当加强对校企合作工作的领导。\n"
        "第四条　本办法自2021年1月1日起施行。\n"
    )
    parsed = parse(write_doc(text))
    m = parsed.metadata
    assert (m.title, m.doc_number, m.issuer) == (
        "浙江省职业教育校企合作促进办法",
        "浙江省人民政府令第388号",
        "浙江省人民政府",
    )
    assert (m.region, m.admin_level, m.date) == ("浙江省", "province", "2020-12-01")
    assert [k for k, _ in outline(parsed)] == ["1.0", "2.0", "3.0", "4.0"]


def test_regulation_announced_by_congress_with_table_of_contents(write_doc):
    text = (
        "江苏省人民代表大会常务委员会公告\n（第78号）\n"
        "《江苏省职业教育条例》已由江苏省第十三届人民代表大会常务委员会第二十五次会议于2021年9月29日通过，"
        "现予公布，自2022年1月1日起施行。\n"
        "江苏省人民代表大会常务委员会\n2021年9月29日\n"
        "江苏省职业教育条例\n"
        "（2021年9月29日江苏省第十三届人民代表大会常务委员会第二十五次会议通过）\n"
        "目　　录\n第一章　总则\n第二章　附则\n"
        "第一章　总则\n第一条　为了发展职业教育，制定本条例。\n第二条　本条例适用于本省。\n"
        "第二章　附则\n第三条　本条例自2022年1月1日起施行。\n"
    )
    parsed = parse(write_doc(text))
    m = parsed.metadata
    assert (m.title, m.issuer, m.date) == ("江苏省职业教育条例", "江苏省人民代表大会常务委员会", "2021-09-29")
    assert m.doc_number == "江苏省人民代表大会常务委员会公告第78号"
    assert [k for k, _ in outline(parsed)] == ["1.1", "1.2", "2.3"]


def test_legal_database_fields_in_lenticular_brackets(write_doc):
    text = (
        "温州市人民政府关于推进职业教育高质量发展的实施意见\n"
        "【发布部门】温州市人民政府\n【发文字号】温政发〔2021〕15号\n【发布日期】2021.06.10\n"
        "【时效性】现行有效\n【效力级别】地方规范性文件\n正文：\n"
        "温州市人民政府关于推进职业教育高质量发展的实施意见\n"
        "各县（市、区）人民政府，市政府直属各单位：\n"
        "为推进职业教育高质量发展，提出如下意见。\n"
        "一、总体要求\n（一）指导思想。内容。\n（二）发展目标。内容。\n二、主要任务\n（三）优化布局。内容。\n"
        "温州市人民政府\n2021年6月3日\n"
    )
    m = parse(write_doc(text)).metadata
    assert (m.doc_number, m.issuer, m.date) == ("温政发〔2021〕15号", "温州市人民政府", "2021-06-03")


def test_national_plan_with_goal_block_in_a_preamble_without_wei(write_doc):
    text = (
        "国务院关于印发全国职业技能提升行动方案的通知\n国发〔2030〕9号\n"
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
        "现将《全国职业技能提升行动方案》印发给你们，请认真贯彻执行。\n"
        "国务院\n2030年2月3日\n（此件公开发布）\n"
        "全国职业技能提升行动方案\n"
        "职业技能是劳动者立业之本。当前，我国职业技能培训还存在供给不足等问题。\n"
        "总体要求与目标：到2032年，累计开展补贴性职业技能培训5000万人次以上。\n"
        "一、对重点群体开展职业技能提升培训\n（一）对职工开展职业技能培训。内容。\n"
        "（二）对就业重点群体开展培训。内容。\n二、激发培训主体积极性\n（三）发挥企业主体作用。内容。\n"
    )
    parsed = parse(write_doc(text))
    m = parsed.metadata
    assert (m.title, m.issuer, m.region, m.admin_level) == ("全国职业技能提升行动方案", "国务院", "全国", "national")
    assert outline(parsed) == [
        ("0.0", "总体要求与目标"),
        ("1.1", "对职工开展职业技能培训"),
        ("1.2", "对就业重点群体开展培训"),
        ("2.3", "发挥企业主体作用"),
    ]


def test_item_numbers_without_a_dot_and_unnumbered_bullets(write_doc):
    text = (
        "某市推进学校美育工作实施意见\n为加强学校美育，提出如下意见。\n"
        "一、重点任务\n1坚持立德树人。全面贯彻党的教育方针。\n2加强课程建设\n开齐开足美育课程。\n"
        "3所学校作为试点，5年内完成。\n3完善评价机制。建立评价制度。\n--建立美育档案\n●开展展演活动\n"
        "二、保障措施\n（一）加强组织领导。内容。\n"
    )
    parsed = parse(write_doc(text))
    assert outline(parsed) == [
        ("1.0.1", "坚持立德树人"),
        ("1.0.2", "加强课程建设"),
        ("1.0.3", "完善评价机制"),
        ("2.1", "加强组织领导"),
    ]
    assert parsed.document.slice(parsed.measures[1].span).endswith("5年内完成。")
