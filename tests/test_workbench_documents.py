"""The researcher's workbench, part one (issue 20, items 1–3): a document's own facts
(every issuer, its dates and validity, its genre, what it repeals or amends), the
co-issuing network of departments, and the implementation chain of a parent policy.

Checked on the seeds (the Beijing plan's two issuers; the three seeds citing
国办发〔2017〕95号) and on small documents written for these tests; names in them are
illustrative."""

from __future__ import annotations

import datetime
import json
import re

import pytest
import rdflib
from conftest import ROOT, SEEDS
from rdflib.namespace import RDF, SKOS

import kg
from kg.analytics.chains import chain_tree, implementation_chain
from kg.analytics.coissuing import coissuing_graph, coissuing_pairs, coissuing_table
from kg.corpus.build import build
from kg.corpus.graph import build_graph
from kg.parsing import parse
from kg.rdf import ontology
from kg.rdf.mapping import national_documents
from kg.store import OxigraphStore
from kg.viz.chains import chain_html
from kg.viz.coissuing import coissuing_html

VET = rdflib.Namespace(ontology.VET)
ELI = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
FIXTURES = ROOT / "tests" / "fixtures"

# A city government's rule: adopted, published, in force on a stated day for five years,
# and repealing the interim rule it replaces (built below as a document of its own).
RULE = """洛阳市职业教育校企合作促进办法

（2020年3月5日洛阳市人民政府第12次常务会议通过　2020年3月20日洛阳市人民政府令第45号公布　自2020年5月1日起施行）

第一条　为了促进职业教育校企合作，根据有关法律法规，结合本市实际，制定本办法。

第二条　本市行政区域内的校企合作活动，适用本办法。

第三条　市教育局负责校企合作的统筹协调，市财政局负责落实校企合作专项资金。

第四条　本办法自2020年5月1日起施行，有效期5年。2012年8月1日市人民政府发布的《洛阳市校企合作暂行办法》（洛政〔2012〕30号）同时废止。
"""

OLD_RULE = """洛阳市人民政府关于印发洛阳市校企合作暂行办法的通知
洛政〔2012〕30号
各县（市、区）人民政府，市人民政府各部门：
现将《洛阳市校企合作暂行办法》印发给你们，请认真贯彻执行。
2012年8月1日
洛阳市校企合作暂行办法
第一条　为了推进校企合作，制定本办法。
第二条　市教育局负责校企合作工作。
"""

# An opinion in force from the day it is issued, until a stated day, repealing two works.
OPINION = """郑州市人民政府办公厅关于深化产教融合的实施意见
郑政办〔2021〕8号
各县（市、区）人民政府，市人民政府各部门：
为深化产教融合，结合我市实际，提出如下意见。
一、主要任务
（一）建设实训基地。市教育局负责建设一批实训基地。
二、附则
（一）施行日期。本意见自印发之日起施行，有效期至2025年12月31日。《郑州市人民政府办公厅关于推进校企合作的意见》（郑政办〔2015〕12号）和《郑州市职业教育发展规划》同时废止。
郑州市人民政府办公厅
2021年3月2日
"""

# A decision amending a regulation (named in its title and again in its text).
DECISION = """洛阳市人民代表大会常务委员会关于修改《洛阳市职业教育条例》的决定
（2021年6月24日洛阳市第十五届人民代表大会常务委员会第三十次会议通过）
洛阳市第十五届人民代表大会常务委员会第三十次会议决定对《洛阳市职业教育条例》作如下修改：
一、将第三条修改为：“市人民政府应当加强对职业教育工作的领导。”
二、本决定自2021年8月1日起施行。
"""

# Joint issuers named only as 教育部等8部门: kept as one issuer, with its count.
JOINT_UNLISTED = """教育部等8部门关于加强职业学校实习管理的通知
教职成〔2023〕3号
各省、自治区、直辖市教育厅（教委）：
为规范职业学校学生实习，现通知如下。
一、加强实习管理
（一）规范实习组织。职业学校要加强实习管理。
2023年5月6日
"""


def ex_of(path):
    return build([path], keep=True).extractions[0]


# --- 1. the document's own facts -------------------------------------------------------------


def test_the_beijing_seed_has_both_of_its_issuers_and_a_genre():
    meta = parse(SEEDS / "003_a200c70846c33ef2.txt").metadata
    assert meta.issuers == ["北京市发展和改革委员会", "北京市教育委员会"]
    assert meta.issuer_count == 2
    assert meta.genre == "实施意见"


def test_joint_issuers_listed_in_the_signature_are_taken_one_by_one():
    meta = parse(FIXTURES / "national_opinion.txt").metadata
    assert meta.issuer == "教育部等8部门"  # the metadata field the gold scores stays as printed
    assert meta.issuers == [
        "教育部",
        "国家发展改革委",
        "工业和信息化部",
        "财政部",
        "人力资源社会保障部",
        "自然资源部",
        "国务院国资委",
        "中华全国总工会",
    ]
    assert meta.issuer_count == 8
    assert meta.genre == "指导意见"
    assert meta.date == "2024-03-12" and meta.date_published == "2024-03-18"


def test_joint_issuers_not_listed_stay_one_issuer_with_their_count(write_doc):
    meta = parse(write_doc(JOINT_UNLISTED)).metadata
    assert meta.issuers == ["教育部等8部门"]
    assert meta.issuer_count == 8
    assert meta.genre == "通知"


def test_a_rule_states_publication_entry_into_force_validity_and_what_it_repeals(write_doc):
    doc = write_doc(RULE)
    meta = parse(doc).metadata
    assert meta.genre == "办法"
    assert meta.issuer == "洛阳市人民政府" and meta.date == "2020-03-05"
    assert meta.date_published == "2020-03-20"
    assert meta.date_in_force == "2020-05-01"
    assert meta.date_expires == "2025-04-30"  # 有效期5年 from the day it took effect
    assert meta.validity == ("2020-05-01", "2025-04-30")
    assert [(c["relation"], c["title"], c["doc_number"]) for c in meta.changes] == [
        ("repeals", "洛阳市校企合作暂行办法", "洛政〔2012〕30号")
    ]
    text = doc.read_text(encoding="utf-8")
    span = meta.changes[0]["span"]
    assert "同时废止" in text[span.start : span.end]
    assert text[meta.date_spans["in_force"].start : meta.date_spans["in_force"].end].startswith("自2020年5月1日")


def test_an_opinion_in_force_on_issue_until_a_day_repealing_two_works(write_doc):
    meta = parse(write_doc(OPINION)).metadata
    assert meta.genre == "实施意见"
    assert meta.date == "2021-03-02"
    assert meta.date_in_force == "2021-03-02"  # 自印发之日起施行: the day it was issued
    assert meta.date_expires == "2025-12-31"
    assert [(c["relation"], c["title"], c["doc_number"]) for c in meta.changes] == [
        ("repeals", "郑州市人民政府办公厅关于推进校企合作的意见", "郑政办〔2015〕12号"),
        ("repeals", "郑州市职业教育发展规划", None),
    ]


def test_a_decision_amends_the_regulation_it_names(write_doc):
    meta = parse(write_doc(DECISION)).metadata
    assert meta.genre == "决定"
    assert meta.date_in_force == "2021-08-01"
    assert [(c["relation"], c["title"]) for c in meta.changes] == [("amends", "洛阳市职业教育条例")]


def test_a_regulation_revised_by_a_decision_is_amended_by_it(write_doc):
    text = (
        "苏州市职业教育校企合作促进条例\n\n（2014年10月29日苏州市第十五届人民代表大会常务委员会第十八次会议通过　"
        "根据2021年6月24日苏州市第十七届人民代表大会常务委员会第三十四次会议通过的《苏州市人民代表大会常务委员会"
        "关于修改〈苏州市职业教育校企合作促进条例〉等五件地方性法规的决定》修正）\n\n第一条　为了促进校企合作，制定本条例。\n\n"
        "第二条　本条例自2015年3月1日起施行。\n"
    )
    meta = parse(write_doc(text)).metadata
    assert meta.genre == "条例" and meta.date_in_force == "2015-03-01"
    assert [(c["relation"], c["title"]) for c in meta.changes] == [
        ("amended_by", "苏州市人民代表大会常务委员会关于修改〈苏州市职业教育校企合作促进条例〉等五件地方性法规的决定")
    ]


REVISED = """洛阳市人民政府关于印发洛阳市职业教育校企合作办法的通知
洛政〔2022〕7号
各县（市、区）人民政府：
现将修订后的《洛阳市职业教育校企合作办法》印发给你们，请认真贯彻执行。原《洛阳市职业教育校企合作办法》（洛政〔2015〕3号）同时废止。
2022年2月1日
洛阳市职业教育校企合作办法
第一条　为了推进校企合作，制定本办法。
第二条　本办法自2022年3月1日起施行。
"""


def test_a_revised_rule_repeals_its_earlier_version_by_its_number(write_doc):
    path = write_doc(REVISED)
    meta = parse(path).metadata
    assert meta.date_in_force == "2022-03-01"
    assert [(c["relation"], c["title"], c["doc_number"]) for c in meta.changes] == [
        ("repeals", "洛阳市职业教育校企合作办法", "洛政〔2015〕3号")
    ]
    g = build_graph(build([path], keep=True).extractions)
    (doc,) = g.subjects(VET.sourceId, rdflib.Literal("doc"))
    (earlier,) = g.objects(doc, ELI.repeals)
    assert earlier != doc and str(g.value(earlier, DCT.identifier)) == "洛政〔2015〕3号"


def test_dates_of_other_documents_are_not_the_documents_own(write_doc):
    text = (
        "某县职业教育提质培优实施方案\n为贯彻《中华人民共和国职业教育法》，制定本方案。"
        "《中华人民共和国职业教育法》自2022年5月1日起施行，有效期至2030年。\n一、主要任务\n（一）建设基地。内容。\n"
    )
    meta = parse(write_doc(text)).metadata
    assert meta.date_in_force is None and meta.date_expires is None and meta.changes == []


def test_the_graph_states_the_facts_with_eli_and_repeals_the_built_work(tmp_path):
    (tmp_path / "rule.txt").write_text(RULE, encoding="utf-8")
    (tmp_path / "old.txt").write_text(OLD_RULE, encoding="utf-8")
    (tmp_path / "national.txt").write_text((FIXTURES / "national_opinion.txt").read_text(encoding="utf-8"))
    g = build_graph(build([tmp_path], keep=True).extractions)
    rule = next(g.subjects(VET.sourceId, rdflib.Literal("rule")))
    old = next(g.subjects(VET.sourceId, rdflib.Literal("old")))
    date = rdflib.XSD.date
    assert g.value(rule, ELI.date_publication) == rdflib.Literal("2020-03-20", datatype=date)
    assert g.value(rule, ELI.first_date_entry_in_force) == rdflib.Literal("2020-05-01", datatype=date)
    assert g.value(rule, ELI.date_no_longer_in_force) == rdflib.Literal("2025-04-30", datatype=date)
    genre = g.value(rule, ELI.type_document)
    assert (genre, RDF.type, SKOS.Concept) in g
    assert rdflib.Literal("办法", lang="zh") in set(g.objects(genre, SKOS.prefLabel))
    # the repealed rule is the built document (by its 文号), with the clause as evidence
    assert (rule, ELI.repeals, old) in g
    repeal = next(g.subjects(VET.assertedPredicate, ELI.repeals))
    evidence = g.value(repeal, rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
    assert "同时废止" in str(g.value(evidence, VET.quote))
    # eight issuers, each passed the document; no node for "教育部等8部门"
    national = next(g.subjects(VET.sourceId, rdflib.Literal("national")))
    issuers = set(g.objects(national, ELI.passed_by))
    assert issuers == set(g.objects(national, VET.issuedBy)) and len(issuers) == 8
    labels = {str(g.value(i, SKOS.prefLabel)) for i in issuers}
    assert {"教育部", "财政部", "中华全国总工会"} <= labels
    assert not set(g.subjects(rdflib.RDFS.label, rdflib.Literal("教育部等8部门", lang="zh")))
    assert g.value(national, VET.issuerCount).toPython() == 8


def test_the_graph_with_the_new_facts_conforms_to_the_shapes(tmp_path):
    from kg.rdf.validate import validate_graph

    for name, text in (("rule", RULE), ("old", OLD_RULE), ("opinion", OPINION), ("decision", DECISION)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    report = validate_graph(build_graph(build([tmp_path], keep=True).extractions))
    assert report.conforms, report.text


def test_documents_table_has_the_new_columns_and_keeps_the_old(tmp_path):
    (tmp_path / "rule.txt").write_text(RULE, encoding="utf-8")
    (tmp_path / "opinion.txt").write_text(OPINION, encoding="utf-8")
    docs = kg.build(tmp_path).documents()
    for column in ("document", "title", "number", "issuer", "region", "level", "date", "measures"):
        assert column in docs.columns
    row = docs[docs["title"] == "洛阳市职业教育校企合作促进办法"].iloc[0]
    assert row["genre"] == "办法"
    assert row["published"] == datetime.datetime(2020, 3, 20)
    assert row["in_force"] == datetime.datetime(2020, 5, 1)
    assert row["expires"] == datetime.datetime(2025, 4, 30)
    assert row["issuer_count"] == 1
    assert row["repeals"] == "洛阳市校企合作暂行办法"
    row = docs[docs["title"] == "郑州市人民政府办公厅关于深化产教融合的实施意见"].iloc[0]
    assert row["repeals"] == "郑州市人民政府办公厅关于推进校企合作的意见 | 郑州市职业教育发展规划"


# --- 2. the co-issuing network ---------------------------------------------------------------

# Three joint documents of one province, two years: 教育厅 issues with 发展改革委 twice and
# with 人社厅 once; 人社厅 and 财政厅 issue one together.
JOINT = {
    "a.txt": ("河南省教育厅 河南省发展和改革委员会", "2020年4月1日", "豫教职成〔2020〕11号", "深化产教融合"),
    "b.txt": (
        "河南省教育厅 河南省发展和改革委员会 河南省人力资源和社会保障厅",
        "2021年6月1日",
        "豫教职成〔2021〕5号",
        "推进校企合作",
    ),
    "c.txt": ("河南省人力资源和社会保障厅 河南省财政厅", "2021年9月1日", "豫人社〔2021〕20号", "加强技能培训"),
}


@pytest.fixture(scope="module")
def joint_graph(tmp_path_factory):
    folder = tmp_path_factory.mktemp("joint")
    for name, (issuers, date, number, topic) in JOINT.items():
        names = issuers.split()
        text = (
            f"{''.join(names)}关于{topic}的实施意见\n{number}\n各省辖市：\n为{topic}，提出如下意见。\n"
            f"一、主要任务\n（一）{topic}。各地要抓好落实。\n{'　'.join(names)}\n{date}\n"
        )
        (folder / name).write_text(text, encoding="utf-8")
    return kg.build(folder).store


def test_coissuing_pairs_count_the_documents_issued_together(joint_graph):
    pairs = {frozenset((r["issuer_a"], r["issuer_b"])): r for r in coissuing_pairs(joint_graph)}
    edu_ndrc = pairs[frozenset(("河南省教育厅", "河南省发展和改革委员会"))]
    assert edu_ndrc["documents"] == 2
    assert (edu_ndrc["first"], edu_ndrc["last"], edu_ndrc["sources"]) == ("2020-04-01", "2021-06-01", "a | b")
    assert len(edu_ndrc["titles"].split(" | ")) == 2
    assert sum(r["documents"] for r in pairs.values()) == 2 + 1 + 1 + 1  # a: 1 pair, b: 3 pairs, c: 1 pair


def test_coissuing_table_has_degree_betweenness_and_communities_per_year(joint_graph):
    rows = coissuing_table(joint_graph, by="year")
    assert {r["period"] for r in rows} == {"2020", "2021"}
    of_2021 = {r["label"]: r for r in rows if r["period"] == "2021"}
    hrss = of_2021["河南省人力资源和社会保障厅"]
    assert hrss["partners"] == 3 and hrss["documents"] == 2
    assert hrss["betweenness"] > 0  # the only link between 财政厅 and the others
    assert all(r["community"] is not None for r in rows)
    assert rows == coissuing_table(joint_graph, by="year")  # the same answer every time
    span = coissuing_table(joint_graph, start="2021-01-01", end="2021-06-30")
    assert {r["period"] for r in span} == {"2021-01-01–2021-06-30"}
    assert len(span) == 3  # the three issuers of b.txt


def test_coissuing_view_is_an_offline_page(joint_graph):
    g = coissuing_graph(joint_graph)
    assert g.number_of_nodes() == 4 and g.number_of_edges() == 4
    page = coissuing_html(g)
    assert page.startswith("<html>") and "new vis.Network" in page
    assert not re.search(r"(?:src|href)\s*=\s*[\"'](?:https?:)?//", page)
    assert json.dumps("河南省财政厅")[1:-1] in page  # the node data, as JSON


def test_co_issuers_named_query_on_the_seeds(seed_graph_dir):
    graph = kg.load(seed_graph_dir)
    rows = graph.query("co_issuers")
    assert len(rows) == 1
    row = rows.iloc[0]
    assert {row["issuer_a"], row["issuer_b"]} == {"市发展改革委（北京市）", "市教委（北京市）"}
    assert row["documents"] == 1
    assert row["titles"] == "北京市发展和改革委员会北京市教育委员会关于深化产教融合提升人力资源质量的实施意见"


# --- 3. implementation chains ------------------------------------------------------------------


def test_national_documents_table_dates_the_state_councils_opinion():
    rows = {r["doc_number"]: r for r in national_documents()}
    assert rows["国办发〔2017〕95号"]["date"] == "2017-12-05"


def test_implementation_chain_named_query_lists_the_three_seeds_with_lags(seed_graph_dir):
    graph = kg.load(seed_graph_dir)
    rows = graph.query("implementation_chain", number="国办发〔2017〕95号")
    direct = rows[rows["via_number"] == "国办发〔2017〕95号"]
    assert sorted(direct["region"]) == ["XX县", "北京市", "鹤壁市"]
    lag = dict(zip(direct["region"], direct["lag_days"], strict=True))
    assert lag["鹤壁市"] == (datetime.date(2022, 1, 14) - datetime.date(2017, 12, 5)).days == 1501
    assert lag["XX县"] is None or str(lag["XX县"]) == "<NA>"  # the county plan states no date
    assert set(direct["parent_date"]) == {datetime.datetime(2017, 12, 5)}


def test_implementation_chain_table_on_the_seeds(seed_graph_dir):
    rows = implementation_chain(kg.load(seed_graph_dir).store, "国办发〔2017〕95号")
    assert [r["region"] for r in rows] == ["北京市", "鹤壁市", "XX县"]  # by level: municipality, city, county
    assert [r["lag_days"] for r in rows] == [None, 1501, None]
    assert all(r["depth"] == 1 and r["direct"] for r in rows)
    assert rows[1]["parent_date"] == "2017-12-05" and rows[1]["parent_date_source"] == "national_documents.tsv"
    assert "国办发〔2017〕95号" in rows[1]["evidence"]  # the sentence that cites it
    # by title as well
    by_title = implementation_chain(kg.load(seed_graph_dir).store, "国务院办公厅关于深化产教融合的若干意见")
    assert [r["document"] for r in by_title] == [r["document"] for r in rows]


CHAIN = {
    "province.txt": (
        "河南省人民政府办公厅关于深化产教融合的实施意见\n豫政办〔2018〕47号\n各省辖市人民政府：\n"
        "为贯彻落实《国务院办公厅关于深化产教融合的若干意见》（国办发〔2017〕95号），提出如下意见。\n"
        "一、主要任务\n（一）统筹规划。省教育厅负责。\n河南省人民政府办公厅\n2018年6月5日\n"
    ),
    "city.txt": (
        "洛阳市人民政府办公室关于深化产教融合的实施意见\n洛政办〔2019〕9号\n各县（市、区）人民政府：\n"
        "为贯彻落实《河南省人民政府办公厅关于深化产教融合的实施意见》（豫政办〔2018〕47号），提出如下意见。\n"
        "一、主要任务\n（一）统筹规划。市教育局负责。\n洛阳市人民政府办公室\n2019年3月1日\n"
    ),
    "county.txt": (
        "新安县人民政府办公室关于深化产教融合的实施方案\n新政办〔2019〕30号\n各乡镇人民政府：\n"
        "为贯彻落实《洛阳市人民政府办公室关于深化产教融合的实施意见》（洛政办〔2019〕9号）和"
        "《国务院办公厅关于深化产教融合的若干意见》（国办发〔2017〕95号），制定本方案。\n"
        "一、主要任务\n（一）统筹规划。县教育局负责。\n新安县人民政府办公室\n2019年10月8日\n"
    ),
}


@pytest.fixture(scope="module")
def chain_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("chain")
    for name, text in CHAIN.items():
        (folder / name).write_text(text, encoding="utf-8")
    return kg.build(folder).store


def test_the_chain_below_each_child(chain_store):
    rows = implementation_chain(chain_store, "国办发〔2017〕95号")
    by_region = {r["region"]: r for r in rows}
    assert [r["level"] for r in rows] == ["province", "city", "county"]
    province, city, county = by_region["河南省"], by_region["洛阳市"], by_region["新安县"]
    assert (province["depth"], province["direct"], province["lag_days"]) == (1, True, 182)
    assert (city["depth"], city["direct"], city["via_number"]) == (2, False, "豫政办〔2018〕47号")
    assert city["via_lag_days"] == (datetime.date(2019, 3, 1) - datetime.date(2018, 6, 5)).days
    assert city["lag_days"] == (datetime.date(2019, 3, 1) - datetime.date(2017, 12, 5)).days
    # the county cites both the city and the State Council: it sits under the city, and is direct
    assert (county["depth"], county["direct"], county["via_number"]) == (3, True, "洛政办〔2019〕9号")
    tree = chain_tree(chain_store, "国办发〔2017〕95号")
    assert tree["number"] == "国办发〔2017〕95号" and tree["date"] == "2017-12-05"
    (p,) = tree["children"]
    (c,) = p["children"]
    (k,) = c["children"]
    assert (p["region"], c["region"], k["region"]) == ("河南省", "洛阳市", "新安县")


def test_the_named_query_sees_the_chain_too(chain_store):
    from kg.store import named_query, run

    result = run(chain_store, named_query("implementation_chain"), {"number": "国办发〔2017〕95号"})
    rows = [dict(zip(result.columns, r, strict=True)) for r in result.values()]
    city = [r for r in rows if r["region"] == "洛阳市"]
    assert [(r["via_number"], r["via_lag_days"]) for r in city] == [("豫政办〔2018〕47号", 269)]


def test_chain_html_is_an_escaped_tree(chain_store, tmp_path):
    page = chain_html(chain_tree(chain_store, "国办发〔2017〕95号"))
    assert page.count("<li") == 3 and "新安县" in page and "+182" in page
    # a title with markup shows as text
    hostile = (
        "<script>alert(1)</script>市人民政府办公室关于深化产教融合的实施意见\n洛政办〔2020〕1号\n"
        "为贯彻落实《国务院办公厅关于深化产教融合的若干意见》（国办发〔2017〕95号），提出如下意见。\n"
        "一、主要任务\n（一）统筹。市教育局负责。\n2020年1月2日\n"
    )
    (tmp_path / "h.txt").write_text(hostile, encoding="utf-8")
    page = chain_html(chain_tree(kg.build(tmp_path).store, "国办发〔2017〕95号"))
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_an_unknown_parent_is_an_empty_chain(chain_store):
    assert implementation_chain(chain_store, "国发〔1999〕1号") == []
    assert chain_tree(chain_store, "国发〔1999〕1号")["children"] == []


def test_rdf_store_and_rdflib_graph_give_the_same_chain(chain_store):
    g = rdflib.Graph()
    g.parse(data=chain_store.ntriples().decode("utf-8"), format="nt")
    assert implementation_chain(g, "国办发〔2017〕95号") == implementation_chain(chain_store, "国办发〔2017〕95号")
    assert isinstance(chain_store, OxigraphStore)
