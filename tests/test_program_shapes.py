"""Programs and supports found by shape (docs/annotation.md §5, §9): quoted codes with their
qualifier and head, counted titles, pilots, founded studios, shared heads. The shapes were
found on dev documents 05, 06 and 08; the sentences here are paraphrases written for this
test (other subjects and places), not copies of a seed, dev or gold sentence."""

from __future__ import annotations

import pytest
from conftest import annotate, names

PROGRAMS = [
    # A quoted code (digits, +) names nothing alone: its qualifier and head belong to the name.
    ("结合田径、游泳“3+1”项目的推进，开展训练。", {"田径、游泳“3+1”项目": "project"}),
    ("继续普及体育舞蹈“3+1”项目，丰富课余生活。", {"体育舞蹈“3+1”项目": "project"}),
    ("全面实行“4321”体育教学管理制度。", {"“4321”体育教学管理制度": "system"}),
    # A pilot area's own 试点工作 is not a second, longer name.
    ("继续加强全国青少年体质测评实验区试点工作。", {"全国青少年体质测评实验区": "pilot"}),
    # …改革实验 is a pilot.
    ("推进山区学校体育教育综合改革实验有关工作。", {"山区学校体育教育综合改革实验": "pilot"}),
    # Titles counted in schools (N所) and named from a region are brands.
    (
        "充分发挥3所江苏省体育传统项目校、2所南京市青少年足球特色团的示范作用。",
        {"江苏省体育传统项目校": "brand", "南京市青少年足球特色团": "brand"},
    ),
    # Adjacent quoted names share the head after the last one.
    ("推进“体教融”“体卫融”项目开展。", {"体教融": "project", "体卫融": "project"}),
    # A studio founded here is a brand (not only 名师工作室).
    ("支持创建体育教练员校园工作室。", {"体育教练员校园工作室": "brand"}),
    # The stage of schooling in front is a scope, not part of the name.
    ("通过实施义务教育阶段中小学生体育锻炼计划提高体质。", {"中小学生体育锻炼计划": "plan"}),
    # A regime that converts credits between several things is named from the credits.
    ("建立体育特长证书、体育等级证书与普通高校课程学分转换制度。", {"学分转换制度": "system"}),
    # A selection held at fixed intervals is a recurring activity.
    ("每两年开展1次体育学科优秀教练员评选。", {"体育学科优秀教练员评选": "activity"}),
    # The longer head wins: …改革实验区 is the area, not …改革实验 followed by 区.
    ("推进国家体育教育改革实验区建设。", {"国家体育教育改革实验区": "pilot"}),
    ("推进山区学校体育综合改革实验区建设。", {"山区学校体育综合改革实验区": "pilot"}),
    # A pilot area's 试点工作: the area is the pilot even when its stem alone is generic.
    ("继续加强体教融合实验区试点工作。", {"体教融合实验区": "pilot"}),
    ("开展产教融合实验区试点工作。", {"产教融合实验区": "pilot"}),
    # A verb before a quoted code governs it: the name starts at the quote (学分制 is a regime
    # the verb before it sets up).
    ("推行学分制，建设“3211”工程。", {"学分制": "system", "“3211”工程": "project"}),
    # Counted titles: the count right before the name, a title word inside it.
    ("支持2所、3所江苏省体育特色校。", {"江苏省体育特色校": "brand"}),
    # A troupe counted in schools is a title they hold.
    ("发挥3所南京市青少年航模团的作用。", {"南京市青少年航模团": "brand"}),
    # A title verb confers a studio as a title.
    ("命名一批体育教练员工作室。", {"体育教练员工作室": "brand"}),
]


@pytest.mark.parametrize("sentence,expected", PROGRAMS, ids=[s[:12] for s, _ in PROGRAMS])
def test_programs_by_shape(write_doc, sentence, expected):
    assert names(annotate(write_doc, sentence), "programs") == expected


NOT_PROGRAMS = [
    # Quoted items of a class closed by 等 are members of that class, not schemes.
    "鼓励学校传承“舞龙舞狮”“抖空竹”等传统体育项目。",
    "发挥体育工作室的辐射作用。",
    # 推出 governs: a bare designation after the count is no name.
    "推出一批精品课程，编制一批校本教材。",
    "积极参与优秀教练员评选。",
    # Counted schools of a plain class are schools, not titles.
    "支持5所江苏省中职校、3所南京市民办技校发展。",
    "扶持3所浙江省民办体校。",
    # …改革实验 without 综合 is an experiment, not a named pilot.
    "开展体育考试评价改革实验。",
    # A selection held from time to time (定期) is not a named recurring activity.
    "定期组织优秀体育毕业生评选。",
    "定期开展体育先进集体评选。",
]


@pytest.mark.parametrize("sentence", NOT_PROGRAMS)
def test_not_programs(write_doc, sentence):
    assert names(annotate(write_doc, sentence), "programs") == {}


def test_supports_reach_a_founded_studio_and_not_enumerated_items(write_doc):
    ann = annotate(
        write_doc,
        "支持创建体育教练员校园工作室。",
        "鼓励学校传承“舞龙舞狮”“抖空竹”等传统体育项目。",
    )
    assert {(s["measure"], s["target"]) for s in ann["supports"]} == {("1.1", "体育教练员校园工作室")}


# A part of a province named by its short name and a direction (皖北, 鲁西南) starts a name
# like a division name does: a shape, not a list of such regions.
@pytest.mark.parametrize(
    "sentence,name",
    [("加入皖北职业教育联盟。", "皖北职业教育联盟"), ("依托闽西南职业教育集团开展培训。", "闽西南职业教育集团")],
)
def test_macro_region_starts_an_institution_name(write_doc, sentence, name):
    assert names(annotate(write_doc, sentence), "institutions") == {name: "group"}


def test_a_macro_region_needs_a_direction_not_a_word(write_doc):
    """青中年 is 青 + 中年, not the middle of Qinghai."""
    ann = annotate(write_doc, "培育青中年体育教师发展中心。")
    assert "青中年体育教师发展中心" not in names(ann, "institutions")


def test_a_quoted_scheme_with_its_own_head_before_a_class_stays(write_doc):
    ann = annotate(write_doc, "通过“体育名师计划”等教师培训项目加大培训力度。")
    assert names(ann, "programs") == {"体育名师计划": "plan"}


def test_a_studio_set_up_is_not_a_title(write_doc):
    assert names(annotate(write_doc, "鼓励企业建立体育教练员工作室。"), "programs") == {}


def test_a_quoted_item_next_to_a_named_scheme_is_a_scheme(write_doc):
    ann = annotate(write_doc, "推进“体育名师计划”“某市体育特色学校群”等重大项目建设。")
    assert names(ann, "programs") == {"体育名师计划": "plan", "某市体育特色学校群": "project"}


def test_counts_of_schools_drawn_on_are_not_targets(write_doc):
    """Schools already holding a title that the policy draws on (发挥N所…的作用) are a
    status, not a target; the same count after 建成 is one."""
    ann = annotate(
        write_doc,
        "充分发挥3所江苏省体育传统项目校、2所南京市青少年足球特色团的示范作用。",
        "到2025年建成3所省级体育特色学校。",
    )
    assert [(r["measure"], r["value"], r["unit"]) for r in ann["indicators"]] == [("1.2", 3, "所")]
