"""Institutions and bodies on web pages the project never saw (issue 18, fifth round):
workshops named after their master (named platforms, §4) and the companies listed with them
in a flattened table, a listed item that writes the host before the workshop, a group's
subsidiary and a company's branch as one name, names that do not start with words of the
sentence around them, a zone's committee after a full stop, and 所在市 + body (generic).
Every text here is written for this test; none comes from a seed, dev or gold file."""

from __future__ import annotations

from conftest import annotate_text as annotate
from conftest import departments_of as departments
from conftest import institutions_of as institutions

from kg.extraction import extract

FLATTENED = (
    "株洲市人力资源和社会保障局关于公布技能大师工作室的通知\n"
    "各县市区人社局：\n"
    "经评审，评出4家技能大师工作室为2024年株洲市技能大师工作室，现予以公布。"
    "附件:名单(4家,按姓氏笔画排名)马晓东技能大师工作室株洲轨道机车集团有限公司"
    "龙飞技能大师工作室湖南岳麓建工有限公司长沙分公司"
    "石一帆技能大师工作室湘东动力机械有限公司湖南湘江职业技术学院"
    "何静技能大师工作室湖南湘江职业技术学院。\n"
)


def test_workshops_and_hosts_of_a_flattened_table_are_split(write_doc):
    found = institutions(annotate(write_doc, FLATTENED))
    for name in ("马晓东技能大师工作室", "龙飞技能大师工作室", "石一帆技能大师工作室", "何静技能大师工作室"):
        assert (name, "platform") in found
    assert ("株洲轨道机车集团有限公司", "enterprise") in found
    assert ("湖南岳麓建工有限公司长沙分公司", "enterprise") in found  # a branch keeps its company's name
    assert ("湘东动力机械有限公司", "enterprise") in found
    assert ("湖南湘江职业技术学院", "school") in found
    assert not [n for n, _ in found if "工作室" in n and n.endswith(("公司", "学院"))]


def test_a_workshop_title_is_no_institution(write_doc):
    found = institutions(annotate(write_doc, FLATTENED))
    assert not [n for n, _ in found if n.endswith("株洲市技能大师工作室")]
    text = "某省人社厅通知\n各市人社局：\n支持建设一批国家级技能大师工作室，各技能大师工作室要发挥作用。\n"
    assert not [n for n, _ in institutions(annotate(write_doc, text)) if "工作室" in n]


LISTED = (
    "湘中省人社厅公示国家级技能人才项目\n"
    "近日，省人社厅公示了4个技能大师工作室。4个工作室为:湘中钢铁(集团)罗海技能大师工作室、"
    "岳阳纸业(集团)有限责任公司邓小林技能大师工作室、湘南重工集团衡阳传动有限公司蒋卫技能大师工作室、"
    "洞庭酒厂易文斌技能大师工作室。\n"
)


def test_a_host_written_before_a_listed_workshop_is_part_of_its_name(write_doc):
    found = institutions(annotate(write_doc, LISTED))
    assert ("湘中钢铁(集团)罗海技能大师工作室", "platform") in found
    assert ("湘中钢铁(集团)", "enterprise") in found
    assert ("岳阳纸业(集团)有限责任公司邓小林技能大师工作室", "platform") in found
    assert ("岳阳纸业(集团)有限责任公司", "enterprise") in found
    assert ("洞庭酒厂", "enterprise") in found
    # a group's subsidiary is one name, not the group and a second company
    assert ("湘南重工集团衡阳传动有限公司", "enterprise") in found
    assert ("衡阳传动有限公司", "enterprise") not in found


def test_a_school_after_the_verb_that_designates_it(write_doc):
    text = "湖南省人社厅通知\n各市人社局：\n经审批，确定湖南衡阳技师学院等3所院校为国家级高技能人才培训基地建设项目。\n"
    assert ("湖南衡阳技师学院", "school") in institutions(annotate(write_doc, text))


NEWS = (
    "湘潭职教集团召开年会\n"
    "会上，湖南省供销合作联社唐某副处长对职教集团的发展提出三点要求。"
    "湘潭经济技术开发区管理委员会召开市域产教联合体推进会。"
    "湘潭经济技术开发区管委会主任黎某出席并讲话。"
    "5月8日，学院与企业在衡阳高新技术开发区管理委员会召开座谈会。\n"
)


def test_a_name_does_not_start_with_words_of_the_sentence(write_doc):
    ann = annotate(write_doc, NEWS)
    assert not [n for n, _ in institutions(ann) if "处长" in n or "召开" in n or "委员会" in n]
    found = departments(ann)
    assert ("湖南省供销合作联社", "other") in found
    assert ("湘潭经济技术开发区管理委员会", "government") in found
    assert ("湘潭经济技术开发区管委会", "government") in found  # after a full stop
    assert ("衡阳高新技术开发区管理委员会", "government") in found  # after a preposition


def test_the_body_of_each_applicants_own_city_is_generic(write_doc):
    text = "某省发展改革委通知\n各市发展改革委：\n申报材料报所在市发展改革委汇总，所在县教育局负责初审。\n"
    names = [n for n, _ in departments(annotate(write_doc, text))]
    assert "市发展改革委" not in names
    assert "县教育局" not in names


def test_a_batch_of_a_designation_is_no_institution(write_doc):
    text = (
        "湘潭市教育局关于公布实训基地项目的通知\n各职业院校：\n经专家评审，现予公布。\n\n"
        "    湘潭市第二批职业院校产教融合实训基地立项建设项目\n"
    )
    mentions = extract(write_doc(text), keywords=False).mentions
    assert not [m.name for m in mentions if m.entity == "institution" and "第二批" in m.name]


def test_aspects_of_work_listed_before_a_class_word_are_no_organisations(write_doc):
    # the class word describes what follows (学校办学水平): the items are aspects of it
    head = "某市教育督导办法\n\n一、督导内容\n\n（一）"
    ann = annotate(write_doc, head + "督导内容包括师资队伍建设、办学条件、课程实施质量等学校办学水平情况。\n")
    assert institutions(ann) == [], institutions(ann)
    # items that are names stay names
    ann = annotate(write_doc, head + "鼓励甲乙科技、丙丁电子等企业参与实训基地建设。\n")
    assert sorted(institutions(ann)) == [("丙丁电子", "enterprise"), ("甲乙科技", "enterprise")], institutions(ann)
