"""Whole documents in layouts the seeds do not have: the pipeline end to end."""

from __future__ import annotations

from pathlib import Path

from kg.evaluation.annotation import as_annotation
from kg.extraction import extract

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def ann(path):
    ex = extract(path)
    return ex, as_annotation(ex)


def test_provincial_html_with_task_table():
    _ex, a = ann(FIXTURES / "province_table.html")
    assert a["metadata"] == {
        "title": "广东省人民政府办公厅关于推进职业教育高质量发展的实施意见",
        "doc_number": "粤府办〔2023〕12号",
        "issuer": "广东省人民政府办公厅",
        "region": "广东省",
        "admin_level": "province",
        "date": "2023-05-06",
    }
    assert [m["key"] for m in a["measures"]] == ["1.0", "2.1", "2.2", "2.3", "2.4", "3.0", "T1", "T2"]
    rf = {(r["measure"], r["unit"], r["role"]) for r in a["responsible_for"]}
    assert {
        ("2.2", "省发展改革委", "lead"),
        ("2.3", "省教育厅", "lead"),
        ("2.3", "省财政厅", "responsible"),
        ("T2", "省人力资源社会保障厅", "lead"),
        ("T2", "各地级以上市人民政府", "responsible"),
    } <= rf
    assert not any("办公厅" in u for _, u, _ in rf)  # the signature after the table
    assert "各地级以上市人民政府" not in {d["name"] for d in a["departments"]}
    assert {i["name"] for i in a["institutions"]} >= {"深圳职业技术学院", "佛山市顺德区职业技术学校"}
    assert {"广东省现代学徒制试点工程", "粤菜师傅", "技能广东"} <= {p["name"] for p in a["programs"]}


def test_county_notice_in_gbk(tmp_path):
    path = tmp_path / "county.txt"
    path.write_bytes((FIXTURES / "county_notice.txt").read_text(encoding="utf-8").encode("gbk"))
    ex, a = ann(path)
    assert ex.document.encoding == "gb18030"
    assert a["metadata"]["title"] == "桐庐县职业教育提质培优三年行动计划（2023—2025年）"
    assert a["metadata"]["issuer"] == "桐庐县人民政府办公室"
    assert (a["metadata"]["region"], a["metadata"]["admin_level"]) == ("桐庐县", "county")
    assert a["metadata"]["date"] == "2023-02-20"
    assert [m["key"] for m in a["measures"]] == ["1.0", "2.1.1", "2.1.2", "2.2.1", "2.2.2", "3.1", "3.2"]
    assert ("2.2.2", "县人力社保局") in {(r["measure"], r["unit"]) for r in a["responsible_for"]}
    assert any("2.2.2" in w.message and "closing bracket" in w.message for w in ex.document.warnings)
    assert "浏览量" not in ex.document.view.text
    assert {"浙江富春江环保热电股份有限公司", "杭州富春江职业教育集团"} <= {i["name"] for i in a["institutions"]}
    ind = {(i["measure"], i["value"], i["unit"], i["comparator"]) for i in a["indicators"]}
    assert ("2.1.2", 20, "家", ">=") in ind and ("3.2", 500, "万元", ">=") in ind


def test_city_opinion():
    _ex, a = ann(FIXTURES / "city_opinion.txt")
    assert a["metadata"]["issuer"] == "宜宾市人民政府"
    programs = {p["name"] for p in a["programs"]}
    assert {"世界技能大赛", "全国职业院校技能大赛", "双高计划", "中国特色学徒制"} <= programs
    assert "乡村振兴" in programs and "宜宾市域产教联合体" in {i["name"] for i in a["institutions"]}
    assert a["supports"] == [{"measure": "2.4", "target": "宜宾职业技术学院"}]
    departments = {d["name"] for d in a["departments"]}
    assert "市教育和体育局" in departments
    # 中共中央办公厅、国务院办公厅《…》: the cited document's issuers, part of the citation (§3;
    # dev gold 08 drops 市政府办公厅《…》 alike), unlike seed 004's …办公厅印发《…》.
    assert not departments & {"中共中央办公厅", "国务院办公厅"}


def test_district_measures_with_sub_items():
    _ex, a = ann(FIXTURES / "district_measures.txt")
    assert (a["metadata"]["region"], a["metadata"]["admin_level"]) == ("闵行区", "district")
    assert a["metadata"]["title"] == "闵行区关于推进职业教育产教融合的若干措施"
    assert [m["key"] for m in a["measures"]] == ["1.1.1", "1.1.2", "2.2"]
    assert {(r["measure"], r["unit"], r["role"]) for r in a["responsible_for"]} == {
        ("1.1.1", "区教育局", "lead"),
        ("1.1.1", "区发展改革委", "responsible"),
        ("1.1.1", "区财政局", "responsible"),
        ("1.1.2", "区人力资源社会保障局", "lead"),
        ("1.1.2", "区总工会", "responsible"),
        ("2.2", "区财政局", "responsible"),
        ("2.2", "区教育局", "responsible"),
    }
    assert {(i["measure"], i["value"], i["unit"], i["comparator"]) for i in a["indicators"]} == {
        ("1.1.1", 2000, "个", "="),
        ("1.1.2", 1, "万人次", ">="),
        ("1.1.2", 35, "%", ">="),
        ("2.2", 3000, "万元", "="),
        ("2.2", 50, "万元", "="),
    }


def test_city_plan_with_clause_shapes_the_seeds_lack():
    _ex, a = ann(FIXTURES / "city_action_plan.txt")
    meta = a["metadata"]
    # A notice title broken over two lines, the 文号 in parentheses, header fields between
    # the title and the preamble, and the policy's own title broken over two lines.
    assert meta == {
        "title": "柳州市职业教育产教融合三年行动方案",
        "doc_number": "柳政办发〔2023〕18号",
        "issuer": "柳州市人民政府办公室",
        "region": "柳州市",
        "admin_level": "city",
        "date": "2023-06-12",
    }
    rf = {(r["measure"], r["unit"], r["role"]) for r in a["responsible_for"]}
    # 责任单位：… on its own line, no bracket; a unit with a nested bracket stays one unit.
    assert {("2.1", "市教育局", "responsible"), ("2.1", "各县(区)人民政府", "responsible")} <= rf
    # Lead and responsible labels mixed in one parenthesis, 配合 as the responsible role.
    assert {("2.2", "市人社局", "lead"), ("2.2", "市教育局", "responsible"), ("2.2", "市工信局", "responsible")} <= rf
    # (A，B，C负责) with no label.
    assert {("2.3", u, "responsible") for u in ("市教育局", "市财政局", "市人社局")} <= rf
    # 牵头部门：A　　配合部门：B、C on its own line; the aside (由市教育局负责) is no clause.
    assert {(m, u, r) for m, u, r in rf if m == "2.4"} == {
        ("2.4", "市发展改革委", "lead"),
        ("2.4", "市财政局", "responsible"),
        ("2.4", "市自然资源局", "responsible"),
    }
    departments = {d["name"]: d["function"] for d in a["departments"]}
    assert departments["市文广局"] == "culture_tourism"
    assert departments["市委文明办"] == "other" and "市委" not in departments
    assert departments["市政府教育督导室"] == "education" and "市政府" not in departments
    assert "市产教融合工作指导小组" in departments
    ind = {(i["measure"], i["value"], i["value_max"], i["unit"], i["comparator"]) for i in a["indicators"]}
    assert {
        ("2.5", 1, None, "次", "="),
        ("2.5", 10, None, "分钟", ">="),
        ("2.5", 3, 5, "节", "range"),
        ("2.5", 6, None, "学分", "="),
    } <= ind
    assert "职业教育活动周" in {p["name"] for p in a["programs"]}


def test_national_document_by_several_ministries():
    _ex, a = ann(FIXTURES / "national_opinion.txt")
    assert a["metadata"] == {
        "title": "教育部等8部门关于推进职业学校专业与产业协同发展的指导意见",
        "doc_number": "教职成〔2024〕6号",
        "issuer": "教育部等8部门",
        "region": "全国",
        "admin_level": "national",
        "date": "2024-03-12",
    }
    departments = {d["name"] for d in a["departments"]}
    assert {"教育部", "国家发展改革委", "人力资源社会保障部", "国务院国资委"} <= departments
    assert "财政部" not in departments  # only in the signatories' line
    rf = {(r["measure"], r["unit"], r["role"]) for r in a["responsible_for"]}
    assert ("2.1", "教育部", "lead") in rf and ("2.2", "国务院国资委", "responsible") in rf
    assert not any(m == "2.3" for m, _, _ in rf)  # 会同有关部门 inside prose is no clause
    ind = {(i["measure"], i["value"], i["unit"], i["comparator"]) for i in a["indicators"]}
    assert {("1.0", 1000, "个", "~"), ("1.0", 500, "家", ">="), ("2.1", 1, "次", "=")} <= ind
