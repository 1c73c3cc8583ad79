"""Whole documents in the style of other provinces and cities, written for these tests
(tests/fixtures/shapes/: a province opinion, a city plan, an autonomous prefecture's
regulation, a district notice that wraps a plan). None is a copy of a seed or a dev
document; they probe the error shapes of issue 18 on full texts: platforms, databases,
troupes and media as institutions; generic venues rejected; unquoted schemes by their heads;
number words; a regulation's articles; a signature as the issuer."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.evaluation.annotation import as_annotation
from kg.extraction import extract

SHAPES = Path(__file__).parent / "fixtures" / "shapes"


@pytest.fixture(scope="module")
def docs() -> dict[str, dict]:
    return {p.stem: as_annotation(extract(p, keywords=False)) for p in sorted(SHAPES.glob("*.txt"))}


def names(ann: dict, lst: str) -> set[str]:
    return {r["name"] for r in ann[lst]}


INSTITUTIONS = {
    "hunan_meiyu_yijian": {
        "湖南省少年儿童艺术团",
        "长沙交响乐团",
        "湖南广播电视台",
        "湖南日报社",
        "湖南省教育资源公共服务平台",
        "湖南省学校美育专家库",  # 学校 after the place names no school: the pool is the name
        "国家中小学智慧教育平台",
    },
    "mianyang_zhijiao_fangan": {
        "绵阳职业技术学院",
        "四川中医药高等专科学校",
        "绵阳市安州区职业中学",
        "绵阳市游仙职业技术学校",
        "四川九洲电器集团有限责任公司",
        "长虹电子控股集团有限公司",
        "绵阳市电子信息公共实训基地",
        "绵阳市电子信息职业教育集团",
        "绵阳科技城职业教育联盟",  # after 加入
        "绵阳广播电视台",
        "绵阳日报社",
    },
    "dali_zhijiao_tiaoli": {
        "大理农林职业技术学院",
        "大理州职业教育中心",
        "大理护理职业学院",
        "云南白药集团股份有限公司",
    },
    "xixian_chanjiao_tongzhi": {
        "西安航空职业技术学院",
        "陕西汽车控股集团有限公司",
        "鄠邑区职业教育中心",  # …中心共建汽车实训中心: the school, then what it builds
        "鄠邑区产教融合信息服务平台",
        "区技能人才数据库",
        "鄠邑区融媒体中心",
    },
}


@pytest.mark.parametrize("stem", sorted(INSTITUTIONS))
def test_institutions_of_whole_documents(docs, stem):
    assert names(docs[stem], "institutions") == INSTITUTIONS[stem]


PROGRAMS = {
    "hunan_meiyu_yijian": {
        "省级美育精品课程",
        "美育名师工作室",  # 建设2至3个美育名师工作室: founded, after a quantity range
        "中小学生艺术素质测评制度",
        "美育教师全员培训计划",
        "湖南省中小学生艺术节",
        "戏曲进校园",
        "乡村学校美育提升行动",
        "文艺支教志愿服务项目",
        "学校美育工作年度报告制度",
    },
    "mianyang_zhijiao_fangan": {
        "现代学徒制",
        "新型学徒制",
        "绵州工匠",
        "强基培优",
        "教学质量年度报告制度",
        "教师素质提升计划",
        "职业教育活动周",
    },
    "dali_zhijiao_tiaoli": {"职业教育教学质量评价制度", "民族文化传承创新工程"},
    "xixian_chanjiao_tongzhi": {"秦创原", "技能进社区", "职业技能等级认定制度", "学分银行制度"},
}
NOT_PROGRAMS = {"财政投入制度", "博物馆", "非遗馆", "产教融合型企业", "示范性职业教育集团"}


@pytest.mark.parametrize("stem", sorted(PROGRAMS))
def test_programs_of_whole_documents(docs, stem):
    found = names(docs[stem], "programs")
    assert PROGRAMS[stem] <= found
    assert not found & NOT_PROGRAMS


def test_generic_venues_and_fragments_are_no_institutions(docs):
    every = set().union(*(names(a, "institutions") for a in docs.values()))
    assert not {n for n in every if n in {"博物馆", "美术馆", "非遗馆"} or "作为" in n or "共建" in n}


def test_departments_keep_the_autonomous_prefecture_and_drop_collectives(docs):
    assert names(docs["dali_zhijiao_tiaoli"], "departments") == {"自治州人民政府"}
    hunan = names(docs["hunan_meiyu_yijian"], "departments")
    assert {"省教育厅", "省财政厅", "省文化和旅游厅", "省政府教育督导委员会办公室"} <= hunan
    assert not hunan & {"州人民政府", "市州人民政府", "省政府"}  # every 市州's government; a fragment


def test_number_words_are_ranges_and_counts(docs):
    got = {
        (r["measure"], r["value"], r["value_max"], r["unit"], r["comparator"])
        for r in docs["hunan_meiyu_yijian"]["indicators"]
    }
    assert {
        ("1.2", 1, 2, "个", "range"),  # 一两个
        ("1.2", 1, 2, "项", "range"),  # 一至两项
        ("2.3", 2, 3, "个", "range"),  # 2至3个
        ("2.6", 100, None, "支", "="),  # 百支
        ("2.6", 1000, None, "个", "="),  # 千个
    } <= got


def test_supports_on_names_found_by_shape(docs):
    def pairs(stem):
        return {(s["measure"], s["target"]) for s in docs[stem]["supports"]}

    assert pairs("hunan_meiyu_yijian") == {("2.4", "湖南省少年儿童艺术团"), ("2.4", "长沙交响乐团")}
    assert pairs("dali_zhijiao_tiaoli") == {
        ("2.4", "大理护理职业学院"),
        ("3.8", "云南白药集团股份有限公司"),
        ("3.8", "现代学徒制试点"),
    }


def test_regulation_articles_and_metadata(docs):
    ann = docs["dali_zhijiao_tiaoli"]
    assert [m["key"] for m in ann["measures"]] == ["1.1", "1.2", "1.3", "2.4", "2.5", "2.6", "3.7", "3.8", "3.9"]
    meta = ann["metadata"]
    assert (meta["title"], meta["region"], meta["date"], meta["doc_number"]) == (
        "大理白族自治州职业教育条例",
        "大理白族自治州",
        "2020-03-26",  # the approval, the latest event printed
        None,
    )


def test_a_plan_signed_at_its_end_names_its_issuer(docs):
    meta = docs["mianyang_zhijiao_fangan"]["metadata"]
    assert (meta["issuer"], meta["date"]) == ("绵阳市人民政府办公室", "2022-03-15")
    notice = docs["xixian_chanjiao_tongzhi"]["metadata"]
    assert (notice["title"], notice["doc_number"], notice["issuer"], notice["date"]) == (
        "鄠邑区深化产教融合实施方案",
        "鄠政办发〔2023〕12号",
        "西安市鄠邑区人民政府办公室",
        "2023-04-20",
    )
