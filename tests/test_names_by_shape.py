"""Institutions and programs found by the shape of their names (docs/annotation.md §4, §5,
§9): heads and clause shapes, not lists of names. Every sentence here is written for this
test; none comes from a seed or a gold file."""

from __future__ import annotations

import pytest
from conftest import annotate, names

from kg.evaluation.annotation import as_annotation
from kg.extraction import extract

# --- institutions: platforms, databases, systems, troupes, media --------------------------

INSTITUTIONS = [
    ("依托云南省教育资源公共服务平台开展线上教研。", "云南省教育资源公共服务平台", "platform"),
    ("组建宜宾市中小学体育专家库。", "宜宾市中小学体育专家库", "platform"),
    ("利用国家教育卫星播发系统向乡村学校推送课程。", "国家教育卫星播发系统", "platform"),
    ("邀请绵阳市青少年艺术团到校演出。", "绵阳市青少年艺术团", "other"),
    ("发挥宜宾广播电视台宣传作用。", "宜宾广播电视台", "other"),
    ("在宜宾日报社开设专栏。", "宜宾日报社", "other"),
    ("本市建立青少年体育培训公共服务平台。", "青少年体育培训公共服务平台", "platform"),
    ("支持宜宾市青少年体育活动中心开放场馆。", "宜宾市青少年体育活动中心", "platform"),
    ("依托清华大学开展教师培训。", "清华大学", "school"),  # a university without a place name
    ("联合华为技术有限公司开展合作。", "华为技术有限公司", "enterprise"),  # 为 inside the name
    ("在潇湘晨报社开设体育专栏。", "潇湘晨报社", "other"),  # a newspaper by its title
    ("加入绵阳科技城职业教育联盟。", "绵阳科技城职业教育联盟", "group"),
    ("组建湖南省学校体育专家库。", "湖南省学校体育专家库", "platform"),  # 学校 after a place: no school
    # A name that opens an item: the item's number (（一）) is not part of it.
    ("市教育科学研究院负责体育教研。", "市教育科学研究院", "research"),
    ("中国职业技术教育学会参与评价。", "中国职业技术教育学会", "other"),
    ("上海市职业能力考试院承担考试工作。", "上海市职业能力考试院", "other"),
]


@pytest.mark.parametrize("sentence,name,kind", INSTITUTIONS, ids=[n for _, n, _ in INSTITUTIONS])
def test_institutions_by_head(write_doc, sentence, name, kind):
    assert names(annotate(write_doc, sentence), "institutions") == {name: kind}


NOT_INSTITUTIONS = [
    "依托博物馆、文化馆、非遗馆等机构开展体验活动。",
    "统筹城区学校、农村学校等学校的场地资源。",
    "宜宾市作为中小学体育改革试点地区先行先试。",
    "鼓励聘用社会艺术团体专业人士到校任教。",
    "搭建开放的体育资源平台。",
    "建设区域性体育信息服务平台。",
    "加强宜宾市农村学校体育教师培训。",
    "依托“一网两平台”开展线上教研。",
    "鼓励大学生参加体育志愿服务。",
    "鼓励企业举办企业大学。",
    "健全体育研究所或教研室。",
    "支持建设高水平大学。",
]


@pytest.mark.parametrize("sentence", NOT_INSTITUTIONS)
def test_generic_heads_and_fragments_are_not_institutions(write_doc, sentence):
    assert names(annotate(write_doc, sentence), "institutions") == {}


# --- programs: schemes by their heads ------------------------------------------------------

PROGRAMS = [
    ("探索建立学校体育评价制度。", "学校体育评价制度", "system"),
    ("实行教研员准入制度。", "教研员准入制度", "system"),
    ("推行高中阶段学校的体育特长生招生制度。", "体育特长生招生制度", "system"),
    ("建立高等职业学校与普通本科高校学分互认制度。", "学分互认制度", "system"),
    ("建立健全县域内体育教师轮岗交流制度。", "县域内体育教师轮岗交流制度", "system"),
    ("建立体育工作联席会议制度。", "体育工作联席会议制度", "system"),
    ("积极参与体育支教志愿服务项目。", "体育支教志愿服务项目", "project"),
    ("建设一批体育名师工作室。", "体育名师工作室", "brand"),
    ("开设一批省级体育精品课程。", "省级体育精品课程", "brand"),
    ("每年举办一届中小学生体育艺术节。", "中小学生体育艺术节", "activity"),
    ("举办青少年艺术展演。", "青少年艺术展演", "activity"),
    ("鼓励学校结合“互联网+”发展趋势更新教学方式。", "互联网+", "other"),
    ("抓好农村体育实验县推进工作。", "农村体育实验县", "pilot"),
    ("建设一批具有鲜明特色的体育先进学校。", "体育先进学校", "brand"),
    ("建设一批体育示范县（市、区）。", "体育示范县（市、区）", "brand"),
    ("推行职业技能等级认定制度。", "职业技能等级认定制度", "system"),  # 认定 is the regime's object
    ("每个县建设2至3个体育名师工作室。", "体育名师工作室", "brand"),  # founded after a range
    ("深入实施创新驱动发展战略。", "创新驱动发展战略", "strategy"),
]


@pytest.mark.parametrize("sentence,name,kind", PROGRAMS, ids=[n for _, n, _ in PROGRAMS])
def test_programs_by_head(write_doc, sentence, name, kind):
    assert names(annotate(write_doc, sentence), "programs") == {name: kind}


NOT_PROGRAMS = [
    "建立健全体育教师管理制度。",
    "自评工作实行校长负责制。",
    "设立体育专项研究项目课题。",
    "建立健全符合体育工作特点的收入分配制度。",
    "发挥学科名师工作室的辐射作用。",
]


@pytest.mark.parametrize("sentence", NOT_PROGRAMS)
def test_generic_arrangements_are_not_programs(write_doc, sentence):
    assert names(annotate(write_doc, sentence), "programs") == {}


def test_a_designation_is_a_brand_not_a_school(write_doc):
    ann = annotate(write_doc, "抓好乡村体育实验县推进工作和中华体育精神传承学校创建工作。")
    assert names(ann, "institutions") == {}
    assert names(ann, "programs") == {"乡村体育实验县": "pilot", "中华体育精神传承学校": "brand"}


# --- supports on what the shapes find (§9) -------------------------------------------------


def test_supports_reach_names_found_by_shape(write_doc):
    ann = annotate(
        write_doc,
        "鼓励学校结合“互联网+”发展趋势更新教学方式。",
        "支持宜宾市青少年体育活动中心开放场馆，对体育支教志愿服务项目予以支持。",
    )
    assert {(s["measure"], s["target"]) for s in ann["supports"]} == {
        ("1.1", "互联网+"),
        ("1.2", "宜宾市青少年体育活动中心"),
        ("1.2", "体育支教志愿服务项目"),
    }


def test_supports_in_a_regulation_are_keyed_by_chapter_and_article(write_doc):
    text = (
        "某市学校体育条例\n（2023年5月10日某市第十六届人民代表大会常务委员会第十次会议通过）\n"
        "第一章 总则\n第一条 为了促进学校体育发展，根据有关法律，结合本市实际，制定本条例。\n"
        "第二条 本市支持宜宾市青少年体育活动中心向学生开放场馆，对体育支教志愿服务项目予以支持。\n"
        "第二章 保障\n第三条 对宜宾市青少年艺术团给予政策扶持。\n"
    )
    ann = as_annotation(extract(write_doc(text), keywords=False))
    assert {(s["measure"], s["target"]) for s in ann["supports"]} == {
        ("1.2", "宜宾市青少年体育活动中心"),
        ("1.2", "体育支教志愿服务项目"),
        ("2.3", "宜宾市青少年艺术团"),
    }


# --- departments: collectives and autonomous divisions (§3) --------------------------------


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("纳入市州人民政府履行教育职责评价。", set()),  # every 市州's government: a collective
        ("由县区教育局负责组织实施。", set()),
        ("自治州人民政府统筹全州体育工作。", {"自治州人民政府"}),
        ("将其纳入考核。（省政府教育督导委员会办公室负责）", {"省政府教育督导委员会办公室"}),
        ("县市场监督管理局负责监管。", {"县市场监督管理局"}),
        ("省政府办公厅负责督促落实。", {"省政府办公厅"}),
        ("市委教育工委负责统筹。", {"市委教育工委"}),
        ("共青团中央、全国妇联、中国残联参与。", {"共青团中央", "全国妇联", "中国残联"}),
        ("中国人民银行某县支行负责。", {"中国人民银行某县支行"}),
        # A body written as part of a citation is the cited document's issuer (§3) …
        ("贯彻落实中共中央办公厅、国务院办公厅《关于加强学校体育工作的意见》。", set()),
        # … but a body that issues it is an actor.
        (
            "贯彻落实中共中央办公厅、国务院办公厅印发《关于加强学校体育工作的意见》。",
            {"中共中央办公厅", "国务院办公厅"},
        ),
    ],
)
def test_departments_by_shape(write_doc, sentence, expected):
    assert set(names_of(annotate(write_doc, sentence), "departments")) == expected


def names_of(ann: dict, lst: str) -> list[str]:
    return [r["name"] for r in ann[lst]]
