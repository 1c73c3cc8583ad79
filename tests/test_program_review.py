"""Program over- and under-matches a fresh-eyes review found (issue 18): conferred-title
patterns that picked up plain classes (a level before a generic stem, a year with no level,
全国 and batch words inside the name), and short 制 regimes (two study regimes joined by 和 in
either order; ownership, enterprise forms and study modes that are no schemes). Every sentence
is written for this test (other places and subjects); none comes from a seed, dev, gold or
probe file."""

from __future__ import annotations

from conftest import annotate, names


def test_a_level_before_a_generic_stem_is_a_plain_class(write_doc):
    ann = annotate(
        write_doc,
        "凡列入省级重点建设项目名单的园区道路，由县财政统筹安排资金。",
        "经评审，评选出的8个市级实训基地，每个补助20万元。",
    )
    programs = names(ann, "programs")
    assert "省级重点建设项目" not in programs, programs
    assert "市级实训基地" not in programs, programs


def test_a_year_title_needs_a_level_or_place(write_doc):
    ann = annotate(
        write_doc,
        "县商务局将以上五家合作社确定为2025年度重点扶持企业，给予贴息支持。",
        "评出的两家单位被命名为2025年度省级旅游人才培训基地。",
    )
    programs = names(ann, "programs")
    assert "重点扶持企业" not in programs, programs
    assert programs.get("省级旅游人才培训基地") == "brand", programs


def test_batch_words_and_nationwide_stay_out_of_a_title(write_doc):
    ann = annotate(
        write_doc,
        "近年来，柳州市入选全国第二批产教融合型城市名单，带动园区企业转型。",
    )
    programs = names(ann, "programs")
    assert programs.get("产教融合型城市") == "pilot", programs
    assert not any(n.startswith(("全国", "第二批")) for n in programs), programs


def test_two_study_regimes_joined_in_either_order(write_doc):
    ann = annotate(write_doc, "技师学院全面实行学分制和弹性学制。")
    assert {"学分制", "弹性学制"} <= set(names(ann, "programs")), ann["programs"]
    ann = annotate(write_doc, "高职院校试行分段学制和学分制，方便学员工学交替。")
    assert {"分段学制", "学分制"} <= set(names(ann, "programs")), ann["programs"]


def test_ownership_forms_and_study_modes_are_no_schemes(write_doc):
    ann = annotate(
        write_doc,
        "校办工厂实行股份制，鼓励有条件的实训企业推行公司制。",
        "设计事务所可以实行合伙制。",
        "培训机构实行全日制和非全日制相结合的办学形式。",
    )
    programs = names(ann, "programs")
    for name in ("股份制", "公司制", "合伙制", "全日制", "非全日制"):
        assert name not in programs, programs
