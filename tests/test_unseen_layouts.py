"""Whole documents in layouts the seeds do not have: the pipeline end to end."""
from __future__ import annotations

from pathlib import Path

from kg.annotation import as_annotation
from kg.pipeline import extract

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def ann(path):
    ex = extract(path)
    return ex, as_annotation(ex)


def test_provincial_html_with_task_table():
    ex, a = ann(FIXTURES / "province_table.html")
    assert a["metadata"] == {"title": "广东省人民政府办公厅关于推进职业教育高质量发展的实施意见",
                             "doc_number": "粤府办〔2023〕12号", "issuer": "广东省人民政府办公厅",
                             "region": "广东省", "admin_level": "province", "date": "2023-05-06"}
    assert [m["key"] for m in a["measures"]] == ["1.0", "2.1", "2.2", "2.3", "2.4", "3.0", "T1", "T2"]
    rf = {(r["measure"], r["unit"], r["role"]) for r in a["responsible_for"]}
    assert {("2.2", "省发展改革委", "lead"), ("2.3", "省教育厅", "lead"),
            ("2.3", "省财政厅", "responsible"), ("T2", "省人力资源社会保障厅", "lead"),
            ("T2", "各地级以上市人民政府", "responsible")} <= rf
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
    ex, a = ann(FIXTURES / "city_opinion.txt")
    assert a["metadata"]["issuer"] == "宜宾市人民政府"
    programs = {p["name"] for p in a["programs"]}
    assert {"世界技能大赛", "全国职业院校技能大赛", "双高计划", "中国特色学徒制"} <= programs
    assert "乡村振兴" in programs and "宜宾市域产教联合体" in {i["name"] for i in a["institutions"]}
    assert a["supports"] == [{"measure": "2.4", "target": "宜宾职业技术学院"}]
    assert {"中共中央办公厅", "国务院办公厅", "市教育和体育局"} <= {d["name"] for d in a["departments"]}


def test_district_measures_with_sub_items():
    ex, a = ann(FIXTURES / "district_measures.txt")
    assert (a["metadata"]["region"], a["metadata"]["admin_level"]) == ("闵行区", "district")
    assert a["metadata"]["title"] == "闵行区关于推进职业教育产教融合的若干措施"
    assert [m["key"] for m in a["measures"]] == ["1.1.1", "1.1.2", "2.2"]
    assert {(r["measure"], r["unit"], r["role"]) for r in a["responsible_for"]} == {
        ("1.1.1", "区教育局", "lead"), ("1.1.1", "区发展改革委", "responsible"),
        ("1.1.1", "区财政局", "responsible"), ("1.1.2", "区人力资源社会保障局", "lead"),
        ("1.1.2", "区总工会", "responsible"), ("2.2", "区财政局", "responsible"),
        ("2.2", "区教育局", "responsible")}
    assert {(i["measure"], i["value"], i["unit"], i["comparator"]) for i in a["indicators"]} == {
        ("1.1.1", 2000, "个", "="), ("1.1.2", 1, "万人次", ">="), ("1.1.2", 35, "%", ">="),
        ("2.2", 3000, "万元", "="), ("2.2", 50, "万元", "=")}
