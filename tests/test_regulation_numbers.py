"""Numbers and bodies of local regulations (issue 18): a number in the lead of an article
whose items are the measures keeps the article's own key (``M.N`` with chapters, ``N.0``
without, GUIDELINES §10) instead of being dropped; a share written per thousand keeps the
unit it is written in (千分之三 → 3 ‰, as 百分之三 → 3 %); a 总工会 with no level or place
is no specific body (§3), nor is a functional 部门 with a level. Every sentence is written
for this test (other places, subjects and amounts); none comes from a seed, dev or gold file."""

from __future__ import annotations

from kg.evaluation.annotation import as_annotation
from kg.extraction import extract

CHAPTERED = (
    "某市家政服务培训条例\n\n"
    "第一章 总则\n\n"
    "第一条 为了规范家政服务培训，制定本条例。\n\n"
    "第二条 本条例适用于本市。\n\n"
    "第二章 法律责任\n\n"
    "第三条 培训机构违反本条例规定，有下列行为之一的，由市场监管部门责令改正，"
    "并处三千元以上三万元以下的罚款：\n\n"
    "（一）虚报参训人数的；\n\n"
    "（二）伪造结业证书的。\n\n"
    "第四条 培训机构拒不退还学费的，处五千元罚款。\n"
)

UNCHAPTERED = (
    "某县护理员培训办法\n\n"
    "第一条 为了提高护理员技能，制定本办法。\n\n"
    "第二条 本办法适用于本县。\n\n"
    "第三条 用人单位每年安排护理员参加培训不少于二十四学时，并应当做到：\n\n"
    "（一）建立培训档案；\n\n"
    "（二）保障培训经费。\n\n"
    "第四条 本办法自公布之日起施行。\n"
)


def annotation(write_doc, text: str) -> dict:
    return as_annotation(extract(write_doc(text), keywords=False))


def rows(records: list[dict]) -> list[tuple]:
    return [(r["measure"], r["value"], r["value_max"], r["unit"], r["comparator"]) for r in records]


# --- a number in the lead of an article with items --------------------------------------------


def test_fine_in_the_lead_of_an_article_with_items_takes_the_article_key(write_doc):
    ann = annotation(write_doc, CHAPTERED)
    keys = [m["key"] for m in ann["measures"]]
    assert "2.3" not in keys and {"2.3.1", "2.3.2", "2.4"} <= set(keys)  # the article is no measure
    assert rows(ann["indicators"]) == [("2.3", 3000, 30000, "元", "range"), ("2.4", 5000, None, "元", "=")]
    lead = ann["indicators"][0]
    assert lead["text"] == "并处三千元以上三万元以下"
    assert lead["subject"] == "罚款"


def test_lead_of_an_article_without_chapters_is_keyed_n_0(write_doc):
    ann = annotation(write_doc, UNCHAPTERED)
    assert {"3.1", "3.2"} <= {m["key"] for m in ann["measures"]}
    assert rows(ann["indicators"]) == [("3.0", 24, None, "学时", ">=")]


def test_lead_of_a_section_with_items_is_keyed_by_the_section(write_doc):
    text = (
        "某区托育服务实施方案\n\n一、主要任务\n\n"
        "（一）扩大托育供给。到2026年新增托位不少于800个：\n\n"
        "1.改建社区托育点。\n\n2.支持用人单位办托。\n\n"
        "（二）加强人员培训。每名保育员每年培训不少于40课时。\n"
    )
    ann = annotation(write_doc, text)
    assert rows(ann["indicators"]) == [("1.1", 800, None, "个", ">="), ("1.2", 40, None, "课时", ">=")]
    assert ann["indicators"][0]["year"] == 2026


def test_number_outside_every_measure_and_lead_is_warned_about(write_doc):
    """A chapter title is no unit of the outline (§10): a number in it is not recorded, but
    it is not dropped in silence either."""
    text = CHAPTERED.replace("第二章 法律责任", "第二章 三项禁止行为")
    ex = extract(write_doc(text), keywords=False)
    assert [r["measure"] for r in as_annotation(ex)["indicators"]] == ["2.3", "2.4"]
    assert any("三项" in w.message and "outside" in w.message for w in ex.document.warnings)


# --- shares written per thousand --------------------------------------------------------------


def test_per_mille_in_words_keeps_its_unit(write_doc):
    text = CHAPTERED.replace(
        "第四条 培训机构拒不退还学费的，处五千元罚款。",
        "第四条 企业未足额提取培训经费的，按照职工工资总额千分之三补缴培训经费。",
    )
    assert rows(annotation(write_doc, text)["indicators"])[1:] == [("2.4", 3, None, "‰", "=")]


def test_per_mille_and_percent_side_by_side(write_doc):
    text = CHAPTERED.replace(
        "第四条 培训机构拒不退还学费的，处五千元罚款。",
        "第四条 培训经费按照营业收入的千分之二至千分之四提取，其中百分之六十用于一线员工，管理费用不超过1.5‰。",
    )
    assert rows(annotation(write_doc, text)["indicators"])[1:] == [
        ("2.4", 2, 4, "‰", "range"),
        ("2.4", 60, None, "%", "="),
        ("2.4", 1.5, None, "‰", "<="),
    ]


# --- trade unions and functional departments -------------------------------------------------

BODIES = (
    "某市养老护理员培训条例\n\n"
    "第一条 为了规范养老护理员培训，制定本条例。\n\n"
    "第二条 民政、财政等有关部门和总工会应当按照各自职责做好培训工作。\n\n"
    "第三条 省民政行政部门应当会同市人力资源社会保障部门制定培训标准。\n\n"
    "第四条 县级以上人民政府民政部门负责本行政区域内的培训工作，县总工会、中华全国总工会予以配合。\n"
)


def test_trade_union_without_a_level_is_no_department(write_doc):
    names = [d["name"] for d in annotation(write_doc, BODIES)["departments"]]
    assert "总工会" not in names
    assert {"县总工会", "中华全国总工会"} <= set(names)


def test_functional_departments_with_a_level_are_generic(write_doc):
    names = {d["name"] for d in annotation(write_doc, BODIES)["departments"]}
    assert not any(name.endswith("部门") for name in names)


def test_a_fine_in_an_article_lead_is_in_the_graph_stated_by_the_document(tmp_path):
    """The lead of an article with items is no measure: the graph has its fine as an
    indicator the document mentions (with its evidence), no measure node for the article,
    and the graph still conforms to the shapes."""
    import rdflib

    VET = rdflib.Namespace("https://w3id.org/vetkg/ontology#")

    from kg.corpus.build import build
    from kg.rdf.validate import validate_graph

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "rule.txt").write_text(CHAPTERED, encoding="utf-8")
    result = build([folder], tmp_path / "out", views=False)
    assert result.ok, result.errors
    g = rdflib.Graph()
    g.parse(tmp_path / "out" / "graph.nt", format="nt")
    fines = [i for i in g.subjects(VET.value, None) if g.value(i, VET.unit) == rdflib.Literal("元")]
    lead_fine = next(i for i in fines if float(g.value(i, VET.value)) == 3000)
    (doc,) = set(g.subjects(VET.mentions, lead_fine))
    assert (doc, rdflib.RDF.type, VET.PolicyDocument) in g
    assert not any(str(m).endswith("/measure/2.3") for m in g.subjects(rdflib.RDF.type, VET.Measure))
    report = validate_graph(g)
    assert report.conforms, report.text[:2000]
    # ... and the indicator table lists it, with its document and no measure key
    from kg.analytics.metrics import indicators

    rows = [r for r in indicators(g) if r["value"] == 3000]
    assert [(r["document"], r["measure"], r["value_max"], r["unit"]) for r in rows] == [
        ("某市家政服务培训条例", None, 30000, "元")
    ]
