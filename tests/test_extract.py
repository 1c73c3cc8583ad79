"""Extraction on hand-written fragments (none of them from the seeds), then on the seeds
against the gold annotations."""

from __future__ import annotations

import pytest
from conftest import SEEDS

from kg.evaluation.annotation import as_annotation
from kg.evaluation.scoring import evaluate
from kg.extraction import extract

HEAD = "某市推进职业教育发展实施方案\n为贯彻落实有关精神，结合实际，制定本方案。\n一、主要任务\n"


def run(write_doc, *sections: str, name: str = "frag.txt"):
    body = "".join(f"（{n}）{s}\n" for n, s in zip("一二三四五六七八九十", sections))
    ex = extract(write_doc(HEAD + body, name=name))
    return ex, as_annotation(ex)


def responsibilities(annotation) -> list[tuple[str, str, str]]:
    return [(r["measure"], r["unit"], r["role"]) for r in annotation["responsible_for"]]


# --- responsibility clauses: every shape, full-width and ASCII --------------------------

CLAUSES = [
    ("（责任单位：市教育局、市财政局）", [("市教育局", "responsible"), ("市财政局", "responsible")]),
    ("(责任单位:市教育局,市财政局)", [("市教育局", "responsible"), ("市财政局", "responsible")]),
    ("【责任单位：市教育局；市人社局】", [("市教育局", "responsible"), ("市人社局", "responsible")]),
    ("[责任单位:市教育局 市人社局]", [("市教育局", "responsible"), ("市人社局", "responsible")]),
    ("（市教育局、市发改委按照职责分工负责）", [("市教育局", "responsible"), ("市发改委", "responsible")]),
    ("(市教育局,市发改委按照职责分工负责)", [("市教育局", "responsible"), ("市发改委", "responsible")]),
    ("（市教育局牵头负责）", [("市教育局", "lead")]),
    ("(市教育局、市科技局牵头负责)", [("市教育局", "lead"), ("市科技局", "lead")]),
    ("（市教育局会同有关部门负责）", [("市教育局", "lead")]),
    (
        "(市教育局、市财政局会同有关部门按照职责分工分别负责)",
        [("市教育局", "responsible"), ("市财政局", "responsible")],
    ),
    (
        "（牵头单位：市教育局；配合单位：市财政局、市总工会）",
        [("市教育局", "lead"), ("市财政局", "responsible"), ("市总工会", "responsible")],
    ),
    ("(牵头单位:市教育局;配合单位:市财政局)", [("市教育局", "lead"), ("市财政局", "responsible")]),
    (
        "（市教育局牵头，市财政局、市人社局配合）",
        [("市教育局", "lead"), ("市财政局", "responsible"), ("市人社局", "responsible")],
    ),
    ("(市教育局牵头,市财政局配合)", [("市教育局", "lead"), ("市财政局", "responsible")]),
    (
        "（人民银行某市中心支行、市财政局、各商业银行）",
        [("人民银行某市中心支行", "responsible"), ("市财政局", "responsible"), ("各商业银行", "responsible")],
    ),
    (
        "（责任单位：市教育局、市财政局；完成时限：2023年底）",
        [("市教育局", "responsible"), ("市财政局", "responsible")],
    ),
    (
        "（责任单位：市教育局、各区县人民政府、有关职业院校等）",
        [("市教育局", "responsible"), ("各区县人民政府", "responsible"), ("有关职业院校", "responsible")],
    ),
]


@pytest.mark.parametrize("clause,expected", CLAUSES, ids=[c for c, _ in CLAUSES])
def test_responsibility_clause_shapes(write_doc, clause, expected):
    _, ann = run(write_doc, f"建设实训基地。完善管理制度。{clause}")
    assert responsibilities(ann) == [("1.1", unit, role) for unit, role in expected]


def test_responsibility_relations_carry_evidence(write_doc):
    ex, _ = run(write_doc, "建设实训基地。（责任单位：市教育局）")
    rel = ex.with_predicate("responsible_for")[0]
    assert ex.document.slice(rel.evidence) == "（责任单位：市教育局）"
    a, b = rel.attrs["unit_span"]
    assert ex.document.text[a:b] == "市教育局"


def test_mismatched_brackets_are_read_and_warned(write_doc):
    ex, ann = run(
        write_doc, "建设实训基地。（责任单位：市教育局、市财政局", "开展培训。(市教育局、市人社局按职责分工负责"
    )
    assert responsibilities(ann) == [
        ("1.1", "市教育局", "responsible"),
        ("1.1", "市财政局", "responsible"),
        ("1.2", "市教育局", "responsible"),
        ("1.2", "市人社局", "responsible"),
    ]
    warnings = [w.message for w in ex.document.warnings]
    assert any("1.1" in w and "closing bracket" in w for w in warnings)
    assert any("1.2" in w and "closing bracket" in w for w in warnings)
    assert all(w.line for w in ex.document.warnings)


def test_measure_without_clause_and_inner_parentheses_invent_nothing(write_doc):
    _, ann = run(write_doc, "支持社会力量（企业）参与办学，含技工院校（下同）。", "完善制度（试行），加强管理。")
    assert ann["responsible_for"] == []


def test_task_list_cells_give_relations(write_doc):
    text = HEAD + (
        "（一）建设基地。内容。\n附件\n序号\n重点任务\n牵头单位\n配合单位\n1\n建设实训基地。\n"
        "市人社局\n市财政局、市教育局等\n2\n实施学徒制\n市教育局\n各县区人民政府\n"
    )
    ann = as_annotation(extract(write_doc(text)))
    assert responsibilities(ann) == [
        ("T1", "市人社局", "lead"),
        ("T1", "市财政局", "responsible"),
        ("T1", "市教育局", "responsible"),
        ("T2", "市教育局", "lead"),
        ("T2", "各县区人民政府", "responsible"),
    ]


# --- departments -----------------------------------------------------------------------


def test_departments_functions_and_exclusions(write_doc):
    _, ann = run(
        write_doc,
        "由市工信商务局、区人力资源和社会保障局、县农业农村局和市委组织部共同推进，"
        "落实《某省教育厅关于职业教育的意见》，发展改革部门、有关部门和各级政府要支持，"
        "各县区政府要落实，国家税务总局某市税务局依法减免。",
    )
    got = {d["name"]: d["function"] for d in ann["departments"]}
    assert got == {
        "市工信商务局": "industry_it",
        "区人力资源和社会保障局": "human_resources_social_security",
        "县农业农村局": "agriculture_rural",
        "市委组织部": "party_organization",
        "国家税务总局某市税务局": "taxation",
    }


# --- indicators ------------------------------------------------------------------------

INDICATORS = [
    ("教育费附加用于职业教育的比例不低于30%", 30, None, "%", ">="),
    ("“双师型”教师占比达到70%以上", 70, None, "%", ">="),
    ("按工资总额的1.5%—2.5%提取经费", 1.5, 2.5, "%", "range"),
    ("补贴每人每年不超过6000元", 6000, None, "元", "<="),
    ("培育20家左右产教融合型企业", 20, None, "家", "~"),
    ("办好一所高水平中职学校", 1, None, "所", "="),
    ("年培训人次达到在校生的2倍", 2, None, "倍", "="),
    ("年培训人次不低于在校生数的2倍", 2, None, "倍", ">="),
    ("建成３—５个高水平专业群", 3, 5, "个", "range"),
    ("新增合作企业不少于二十家", 20, None, "家", ">="),
    ("毕业生就业率超过95%", 95, None, "%", ">"),
    ("实践课时约占50%", 50, None, "%", "~"),
    ("专任教师每五年企业实践不少于6个月", 6, None, "个月", ">="),
    ("专题教育不少于16个学时", 16, None, "学时", ">="),
    ("技能人才达到10万人以上", 10, None, "万人", ">="),
    ("每年举办2次技能竞赛", 2, None, "次", "="),
    ("培训教师100余人", 100, None, "人", ">"),
]


@pytest.mark.parametrize("sentence,value,value_max,unit,comparator", INDICATORS, ids=[i[0] for i in INDICATORS])
def test_indicator_phrasings(write_doc, sentence, value, value_max, unit, comparator):
    _, ann = run(write_doc, f"加强建设。{sentence}。")
    got = [(i["value"], i["value_max"], i["unit"], i["comparator"]) for i in ann["indicators"]]
    assert got == [(value, value_max, unit, comparator)]


def test_indicator_year_and_exclusions(write_doc):
    _, ann = run(
        write_doc,
        "到2025年，建成10所学校；“十四五”期间新增5个基地。推行1+X证书制度，建设5G网络和"
        "职业教育信息化2.0，落实“四个自信”，执行《某办法(2021年)》，2022年启动。",
        "比例达到70，其中%部分另行规定。",
    )
    got = [(i["measure"], i["value"], i["unit"], i["year"]) for i in ann["indicators"]]
    assert got == [("1.1", 10, "所", 2025), ("1.1", 5, "个", 2025)]


def test_present_state_is_not_a_target(write_doc):
    _, ann = run(write_doc, "发展基础。目前全市共有职业院校12所，已建成实训基地5个。到2025年，建成实训基地10个。")
    assert [(i["value"], i["unit"], i["year"]) for i in ann["indicators"]] == [(10, "个", 2025)]


def test_deadline_written_as_year_end(write_doc):
    _, ann = run(write_doc, "加强建设。2025年底前建成3所学校。")
    assert [(i["value"], i["year"]) for i in ann["indicators"]] == [(3, 2025)]


def test_deadline_opening_a_target_paragraph_frames_every_sentence(write_doc):
    _, ann = run(
        write_doc,
        "发展目标。到2030年，建成3所学校。毕业生就业率提升至90%。",
        "加强师资。完善制度，到2025年建成2个基地。毕业生就业率提升至80%。",
    )
    got = [(i["measure"], i["value"], i["year"]) for i in ann["indicators"]]
    assert got == [("1.1", 3, 2030), ("1.1", 90, 2030), ("1.2", 2, 2025), ("1.2", 80, None)]


# --- institutions and programs ---------------------------------------------------------


def test_institution_boundaries(write_doc):
    _, ann = run(
        write_doc,
        "支持临沂职业学院与山东临工工程机械有限公司共建产业学院，推进淄博职业学院"
        "淄博市职业教育集团建设，依托德国汉斯赛德尔基金会开展合作，鼓励各职业院校、"
        "高职院校和国家级示范性实训基地参与，建立济南市数控技术实训基地。",
    )
    got = {i["name"]: i["kind"] for i in ann["institutions"]}
    assert got == {
        "临沂职业学院": "school",
        "山东临工工程机械有限公司": "enterprise",
        "淄博职业学院": "school",
        "淄博市职业教育集团": "group",
        "德国汉斯赛德尔基金会": "other",
        "济南市数控技术实训基地": "platform",
    }


def test_enumerations_closed_by_a_class_name_their_items(write_doc):
    _, ann = run(
        write_doc,
        "鼓励华为、腾讯等企业参与，引导国有企业、民营企业等企业投资，支持清华大学、"
        "北京大学等高校与英国、德国等高校合作，普通高等学校要落实。",
    )
    got = {i["name"]: i["kind"] for i in ann["institutions"]}
    assert got == {"华为": "enterprise", "腾讯": "enterprise", "清华大学": "school", "北京大学": "school"}


def test_alias_in_parentheses_gives_two_institutions(write_doc):
    _, ann = run(write_doc, "加快建设平顶山市职业教育中心(平顶山市工业中等专业学校)新校区。")
    assert {i["name"] for i in ann["institutions"]} == {"平顶山市职业教育中心", "平顶山市工业中等专业学校"}


def test_program_boundaries(write_doc):
    _, ann = run(
        write_doc,
        "实施中等职业学校办学能力达标工程，开展“岗位练兵”系列活动，推进“三教”改革，"
        "落实“文化素质+职业技能”考试办法，深化“放管服”改革，服务“一带一路”建设和乡村振兴，"
        "做好招生计划和重大项目，推动“双师型”教师队伍建设，实现“两个确保”。",
    )
    got = {p["name"]: p["kind"] for p in ann["programs"]}
    assert got == {
        "中等职业学校办学能力达标工程": "project",
        "岗位练兵": "activity",
        "三教": "other",
        "文化素质+职业技能": "system",
        "放管服": "other",
        "一带一路": "strategy",
        "乡村振兴": "strategy",
    }


def test_program_names_inside_organisation_names_are_not_programs(write_doc):
    ex, _ = run(write_doc, "由市乡村振兴局负责，服务乡村振兴。")
    programs = ex.of_entity("program")
    assert [p.name for p in programs] == ["乡村振兴"]
    assert ex.document.text[programs[0].span.end : programs[0].span.end + 1] == "。"


def test_supports_scope(write_doc):
    _, ann = run(write_doc, "支持某省某市技师学院建设，推动某市工业职业技术学院发展。对“金蓝领”培训工程给予资金支持。")
    # 推动 is not a support verb: the second school is named but not backed.
    assert {(s["measure"], s["target"]) for s in ann["supports"]} == {("1.1", "某省某市技师学院"), ("1.1", "金蓝领")}


def test_regions_resolved_in_hierarchy(write_doc):
    ex = extract(
        write_doc(
            "安阳市职业教育实施方案\n为贯彻落实精神，制定本方案。\n一、主要任务\n"
            "（一）支持林州市和殷都区建设实训基地。\n",
            name="r.txt",
        )
    )
    regions = {m.name: m.attrs["path"] for m in ex.of_entity("region")}
    assert regions["林州市"] == ["河南省", "安阳市", "林州市"]
    assert regions["殷都区"] == ["河南省", "安阳市", "殷都区"]
    assert regions["安阳市"] == ["河南省", "安阳市"]


def test_every_mention_has_provenance(write_doc):
    ex, _ = run(write_doc, "支持某市职业技术学院建设，比例不低于30%。（责任单位：市教育局）")
    assert ex.mentions
    for m in ex.mentions:
        assert m.span.end > m.span.start
        assert m.name.strip("“”") in ex.document.slice(m.span) or m.entity == "cited_document"
        assert ex.document.slice(m.sentence)
    assert ex.keywords["1.1"]


# --- the seeds against gold --------------------------------------------------------------


def test_seed_extraction_meets_targets(gold):
    predictions = {p.stem: as_annotation(extract(p)) for p in sorted(SEEDS.glob("*.txt"))}
    micro = evaluate(gold, predictions).to_json()["micro"]
    assert micro["measures"]["f1"] >= 0.98
    assert micro["departments"]["f1"] >= 0.95
    assert micro["responsible_for"]["f1"] >= 0.95
    assert micro["responsible_for"]["role_accuracy"] >= 0.95
    assert micro["cited_documents"]["f1"] >= 0.95
    assert micro["indicators"]["f1"] >= 0.90
    assert micro["indicators"]["comparator_accuracy"] >= 0.90
    assert micro["indicators"]["year_accuracy"] >= 0.90
    assert micro["institutions_relaxed"]["f1"] >= 0.90
    assert micro["programs_relaxed"]["f1"] >= 0.75
    assert micro["supports_relaxed"]["f1"] >= 0.75
