"""Program and support shapes met on unseen regulations (issue 18, fourth probe): short study
regimes ending in 制 a verb sets up (弹性学制, 学分制, joined by 和), lengths of study and
employment regimes that stay no scheme, a certificate-pair regime named by its shortest span
(双证书制度), a national exam regime from the lexicon, and supports of regimes set up under a
support verb. Every sentence is written for this test (other places and subjects); none comes
from a seed, dev, gold or probe file."""

from __future__ import annotations

from conftest import annotate, names


def test_short_study_regimes_set_up_by_a_verb_are_programs(write_doc):
    ann = annotate(
        write_doc,
        "各艺术院校可以推行弹性学制和导师制，方便学员分段完成学业。",
        "鼓励体育运动学校实行学分制，引导学员参加专项训练。",
    )
    programs = names(ann, "programs")
    for name in ("弹性学制", "导师制", "学分制"):
        assert programs.get(name) == "system", programs


def test_lengths_of_study_and_employment_regimes_are_no_programs(write_doc):
    ann = annotate(
        write_doc,
        "护理专业实行三年学制，实习时间不少于八个月。",
        "社区学院对兼职讲师实行聘任制，按学期签订协议。",
        "实行学分制的院校，每学期选修课不得少于两门。",
    )
    programs = names(ann, "programs")
    assert not any(p.endswith("制") for p in programs), programs


def test_a_certificate_pair_regime_is_named_by_its_shortest_span(write_doc):
    ann = annotate(
        write_doc,
        "推行农业技工学校结业学员技能等级证书和毕业证书双证书制度。",
        "实行卫生学校学员双证制度，加强临床实训。",
    )
    programs = names(ann, "programs")
    assert programs.get("双证书制度") == "system", programs
    assert programs.get("双证制度") == "system", programs
    assert not any(p.endswith("双证书制度") and p != "双证书制度" for p in programs), programs


def test_the_national_self_study_exam_is_a_program(write_doc):
    ann = annotate(write_doc, "老年大学应当为学员报考高等教育自学考试提供辅导。")
    assert names(ann, "programs").get("高等教育自学考试") == "system", ann["programs"]


def test_regimes_set_up_under_a_support_verb_are_supported(write_doc):
    ann = annotate(
        write_doc,
        "支持社区学院实行弹性学制和学分制，允许学员分段完成学业。",
        "社区学院实行学分制，学员可以跨专业选课。",
    )
    supports = {(r["measure"], r["target"]) for r in ann["supports"]}
    assert ("1.1", "弹性学制") in supports, supports
    assert ("1.1", "学分制") in supports, supports
    assert not any(m == "1.2" for m, _ in supports), supports
