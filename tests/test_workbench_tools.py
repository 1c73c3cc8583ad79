"""The researcher's workbench, issue 20 items 4–6: policy tools coded per measure from a
lexicon kept as data (with κ against a hand coding of two seeds), clause-level text reuse
against the cited parent, and targets compared across regions and years — every figure
with its evidence span into the document text.

The reuse corpus is written here: a provincial opinion, a city plan citing it (one measure
copied verbatim, one rewritten, one new), and the two-document analytics fixture (Anyang
and Hebi, both setting a “双师型” share)."""

from __future__ import annotations

import csv
import dataclasses
import re

import pyoxigraph as ox
import pytest
import rdflib
from conftest import ROOT, SEEDS
from rdflib.namespace import OWL, RDF, RDFS

import kg
from kg.analytics import policy_tools as P
from kg.analytics import reuse as R
from kg.analytics import targets as T
from kg.corpus.build import build
from kg.corpus.graph import graph_text
from kg.errors import DocumentError, VetkgError
from kg.rdf import ontology
from kg.store import OxigraphStore
from kg.viz.reuse import marked, side_by_side, side_by_side_all

HAND = ROOT / "tests" / "fixtures" / "policy_tools_hand"
ANALYTICS = ROOT / "tests" / "fixtures" / "analytics"
VET = "https://w3id.org/vetkg/ontology#"

COPIED = (
    "统筹建设一批布局合理、资源共享的产教融合实训基地，推动职业院校与行业企业共建共享生产性实训设施，"
    "面向中小微企业开放服务，提升学生实践能力和就业质量。"
)
PARENT = f"""河南省人民政府办公厅关于深化产教融合的实施意见
豫政办〔2018〕99号
各省辖市人民政府：
为深化产教融合，制定本意见。
一、重点任务
（一）建设实训基地。{COPIED}（责任单位：省教育厅、省财政厅）
（二）拓宽企业参与途径。鼓励企业以资本、技术、管理等要素依法参与举办职业教育，支持企业与职业院校共建产业学院和企业工作室。（责任单位：省教育厅）
（三）强化金融支持。鼓励金融机构按照风险可控、商业可持续原则，加大对产教融合项目的信贷支持力度。（责任单位：省金融工作局）
"""
CHILD = f"""许昌市深化产教融合实施方案
许政办〔2019〕12号
为贯彻落实《河南省人民政府办公厅关于深化产教融合的实施意见》（豫政办〔2018〕99号）精神，制定本方案。
一、主要任务
（一）建设实训基地。{COPIED}（责任单位：市教育局、市财政局）
（二）拓宽企业参与途径。企业可以出资、捐赠设备或者派出工程师到学校办学，市里对和学校合办二级学院、共同招生的企业，按年度给予一次性扶持。（责任单位：市教育局）
（三）打造职教品牌。到2025年，全市职业院校“双师型”教师占专业课教师比例达到65%以上，培育3个省级示范专业点。（责任单位：市教育局、市人社局）
"""


# --- policy tools: the lexicon ---------------------------------------------------------------------


def test_each_code_keeps_the_words_that_triggered_it_as_a_span():
    """A measure is coded with every tool one of whose patterns matches, each code with
    the offsets (into the document) of the matched words; the responsibility clause is
    never read (it names implementers, not instruments)."""
    text = (
        "（五）强化金融支持。鼓励金融机构加大对企业参与产教融合项目的信贷支持力度，落实相关税收优惠政策，"
        "建设一批实训基地。（责任单位：市金融工作办公室、市税务局）"
    )
    offset = 1000
    codes = P.code_text(text, offset=offset)
    by_tool = {c.name: c for c in codes}
    assert {"金融支持", "税收优惠", "基础设施", "策略性措施"} <= set(by_tool)
    for c in codes:
        assert text[c.start - offset : c.end - offset] == c.trigger
    assert by_tool["金融支持"].group == "environment" and by_tool["基础设施"].group == "supply"
    clause = text.index("（责任单位")
    assert all(c.end - offset <= clause for c in codes), "the responsibility clause was coded"
    # a guiding-principles paragraph states aims: coded as 目标规划 only, on its heading
    aims = P.code_text("（一）指导思想。培养大批高素质技术技能人才，统筹推进产教融合。")
    assert [(c.name, c.trigger) for c in aims] == [("目标规划", "指导思想")]
    # the stakeholders a measure addresses (the matrix's dimensions)
    dims = {c.name for c in P.code_text(text, P.load_stakeholders())}
    assert "enterprise" in dims and "government" not in dims  # 市税务局 sits in the clause


def test_a_researcher_edits_the_lexicon_as_data(tmp_path):
    """The lexicon is a YAML file: a researcher's own file (a new tool, a new exclusion)
    codes without touching Python; a broken pattern is a plain error naming the file."""
    own = tmp_path / "tools.yaml"
    own.write_text(
        "categories: {supply: {zh: 供给型, en: supply}}\n"
        "tools:\n"
        "  数字化转型:\n"
        "    category: supply\n"
        "    patterns: ['数字化', '智慧校园']\n"
        "    exclude: ['数字化转型专业']\n",
        encoding="utf-8",
    )
    lex = P.load_tools(own)
    assert lex.names == ["数字化转型"]
    codes = P.code_text("建设智慧校园，开设数字化转型专业。", lex)
    assert [(c.name, c.trigger) for c in codes] == [("数字化转型", "智慧校园")]
    bad = tmp_path / "bad.yaml"
    bad.write_text("tools:\n  坏:\n    category: supply\n    patterns: ['(未闭合']\n", encoding="utf-8")
    with pytest.raises(VetkgError, match=re.escape(str(bad))):
        P.load_tools(bad)
    with pytest.raises(DocumentError, match="cannot read the lexicon"):
        P.load_tools(tmp_path / "missing.yaml")


def test_cohen_kappa_counted_by_hand():
    # observed 3/4; chance 0.5·0.25 + 0.5·0.75 = 0.5; κ = (0.75 - 0.5) / 0.5
    assert P.cohen_kappa([1, 1, 0, 0], [1, 0, 0, 0]) == 0.5
    assert P.cohen_kappa([1, 0, 1, 0], [1, 0, 1, 0]) == 1.0
    assert P.cohen_kappa([1, 1], [1, 1]) is None  # one value throughout: κ undefined


@pytest.fixture(scope="module")
def hand():
    return [P.load_hand_coding(p) for p in sorted(HAND.glob("*.json"))]


def test_the_hand_coding_points_at_the_seeds_measures(hand):
    """The two hand-coded documents code the seeds' own measures (the spans of their
    vet:partOf evidence), and every hand code quotes the text at its offsets."""
    assert sorted(h["doc_id"] for h in hand) == ["002_01e619eeb8aaf6f0", "003_a200c70846c33ef2"]
    for h in hand:
        ex = kg.extract(SEEDS / f"{h['doc_id']}.txt", keywords=False)
        text = ex.document.text
        spans = {r.measure: (r.evidence.start, r.evidence.end) for r in ex.with_predicate("part_of")}
        assert {m["measure"]: (m["start"], m["end"]) for m in h["measures"]} == spans
        for m in h["measures"]:
            assert m["codes"], m["measure"]
            for c in m["codes"]:
                assert text[c["start"] : c["end"]] == c["quote"]
                assert m["start"] <= c["start"] < c["end"] <= m["end"]
                assert c["tool"] in P.load_tools().names


def test_kappa_of_the_lexicon_against_the_hand_coding(hand):
    """Agreement of the lexicon with the hand coding of seeds 002 (Hebi) and 003
    (Beijing), which the lexicon was not tuned on: Cohen's κ per category and per tool,
    and every disagreement with the words behind it."""
    texts = {h["doc_id"]: kg.read(SEEDS / f"{h['doc_id']}.txt").text for h in hand}
    result = P.agreement(hand, texts)
    kappa = {(r["level"], r["code"]): r for r in result["kappa"]}
    assert kappa["category", "supply"]["measures"] == 45
    assert kappa["category", "supply"]["kappa"] >= 0.7
    assert kappa["category", "demand"]["kappa"] >= 0.8
    # environment tools are in 44 of 45 hand-coded measures: κ says little (prevalence),
    # raw agreement says the lexicon agrees
    assert kappa["category", "environment"]["agreement"] >= 0.95
    for tool in ("资金投入", "税收优惠", "金融支持", "策略性措施", "海外交流", "政府采购"):
        assert kappa["tool", tool]["kappa"] >= 0.85, tool
    disagreements = result["disagreements"]
    assert disagreements and all(d["words"] for d in disagreements)
    assert {d["coded_by"] for d in disagreements} <= {"hand", "lexicon"}
    n = sum(r["hand_only"] + r["lexicon_only"] for r in result["kappa"] if r["level"] == "tool")
    assert n == len(disagreements)


# --- a small built corpus: tools per measure, reuse, targets ------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("workbench")
    (folder / "parent.txt").write_text(PARENT, encoding="utf-8")
    (folder / "child.txt").write_text(CHILD, encoding="utf-8")
    for f in ANALYTICS.glob("*.txt"):
        (folder / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    result = build([folder], keep=True)
    assert result.ok, result.errors
    store = OxigraphStore.from_ntriples(graph_text(result.extractions, diffusion=False))
    texts = {p.stem: kg.read(p).text for p in folder.glob("*.txt")}
    return store, texts


def test_every_measure_of_the_graph_is_coded_with_evidence(corpus, tmp_path):
    store, texts = corpus
    codings = P.code_measures(store)
    rows = P.policy_tool_codes(codings)
    assert {r["doc_id"] for r in rows} == set(texts)
    tools = P.load_tools()
    for r in rows:
        text = texts[r["doc_id"]]
        assert text[r["start"] : r["end"]] == r["trigger"]
        for span in r["spans"].split(";"):  # every trigger's words match one of the tool's patterns
            s, e = map(int, span.split("-"))
            assert tools.entry(r["tool"]).trigger.fullmatch(text[s:e]), (r["tool"], text[s:e])
    copied = [r for r in rows if r["doc_id"] == "child" and r["measure"] == "1.1"]
    assert {"基础设施", "公共服务", "目标规划"} <= {r["tool"] for r in copied}
    assert set(copied[0]["stakeholders"].split(";")) >= {"school", "enterprise"}
    finance = [r for r in rows if r["doc_id"] == "parent" and r["tool"] == "金融支持"]
    assert [r["measure"] for r in finance] == ["1.3"]

    path = P.write_csv(rows, tmp_path / "tables" / "policy_tools.csv")
    with path.open(encoding="utf-8") as fh:
        read = list(csv.DictReader(fh))
    assert len(read) == len(rows) and read[0]["trigger"] == rows[0]["trigger"]


def test_the_tool_by_stakeholder_matrix_per_document_region_and_corpus(corpus):
    store, _ = corpus
    codings = P.code_measures(store)
    whole = P.tool_matrix(codings, by=None)
    per_doc = P.tool_matrix(codings, by="document")
    per_region = P.tool_matrix(codings, by="region")
    assert {r["scope"] for r in per_doc} == {"parent", "child", "a_city", "b_city"}
    assert {"安阳市", "鹤壁市", "许昌市"} <= {r["scope"] for r in per_region}
    total = sum(r["measures"] for r in whole)
    assert total == sum(r["measures"] for r in per_doc) == sum(r["measures"] for r in per_region)
    # a cell counts the measures that use the tool and address the stakeholder
    for row in whole:
        evidence = row["evidence"].split(";")
        assert len(evidence) == row["measures"]
        for ref in evidence:
            doc, key = ref.split("#")
            c = next(c for c in codings if c.measure.doc_id == doc and c.measure.key == key)
            assert row["tool"] in c.tool_names() and row["dimension"] in c.dimensions()
    shares = P.tool_shares(codings)
    assert all(0 <= r["supply_share"] <= 1 for r in shares)
    counts = {(r["scope"], r["tool"]): r for r in P.tool_counts(codings, by="document")}
    assert counts["parent", "金融支持"]["measures"] == 1 and counts["parent", "金融支持"]["share"] == round(1 / 3, 4)
    png = P.plot_tool_matrix(per_region, scope="许昌市")
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    with pytest.raises(VetkgError, match="unknown matrix scope"):
        P.tool_matrix(codings, by="province")


# --- reuse -------------------------------------------------------------------------------------------------


def test_alignment_marks_copied_runs_and_ignores_shared_vocabulary():
    copy = R.align(COPIED, COPIED)
    assert copy.share == 1.0 and copy.local_spans() == [(0, len(COPIED))]
    wrapped = "\n".join(COPIED[i : i + 20] for i in range(0, len(COPIED), 20))  # a hard-wrapped copy
    assert R.align(wrapped, COPIED).share == 1.0
    rewritten = "推进职业院校和行业企业合作，建好产教融合平台，让学生到企业实习。"
    assert R.align(rewritten, COPIED).share < 0.2  # 职业院校, 产教融合: vocabulary, not copying
    half = COPIED[:40] + "由市财政安排专项资金给予奖补，具体办法另行制定。"
    al = R.align(half, COPIED)
    assert 0.5 < al.share < 0.8
    (a, b, c, d), *_ = al.runs
    assert half[a:b] == COPIED[c:d]


def test_a_copied_measure_scores_high_a_rewritten_one_low(corpus):
    """The city plan cites the provincial opinion: its verbatim measure reuses ≥ 0.9 of
    the parent's, the rewritten one little; per document the shares copied from the
    parent, from elsewhere in the corpus, and written anew."""
    store, texts = corpus
    found = R.find_reuse(store)
    rows = {(r["doc_id"], r["measure"]): r for r in R.reuse_rows(found)}
    copied = rows["child", "1.1"]
    assert copied["scope"] == "parent" and copied["source_doc_id"] == "parent" and copied["source_measure"] == "1.1"
    assert copied["share"] >= 0.9
    for span in copied["local_spans"].split(";"):
        s, e = map(int, span.split("-"))
        assert texts["child"][s:e] in texts["parent"]
    # the parent's measure is not said to copy its child's: the direction is the citation's
    assert rows["parent", "1.1"]["source_doc_id"] != "child"
    rewritten = rows["child", "1.2"]
    assert rewritten["share"] < 0.3
    # its new target copies Anyang's wording (not the parent's): found in the corpus
    target = rows["child", "1.3"]
    assert (target["scope"], target["source_doc_id"], target["source_measure"]) == ("corpus", "a_city", "1.2")
    shares = {r["doc_id"]: r for r in R.document_shares(found)}
    child = shares["child"]
    assert child["sources"] == "a_city;parent"
    assert 0.3 < child["parent_share"] < 0.8 and 0 < child["corpus_share"] < 0.3
    assert child["new_share"] == pytest.approx(1 - child["parent_share"] - child["corpus_share"], abs=1e-3)
    # Anyang and Hebi cite the State Council's opinion, not in this corpus: their shared
    # measure is found in the corpus instead
    assert rows["a_city", "1.1"]["scope"] == "corpus" and rows["a_city", "1.1"]["share"] >= 0.7


def test_the_reuse_is_a_scored_relation_in_rdf(corpus):
    """vet:reuses from the local to the parent measure, and a vet:Reuse node with the
    share (xsd:decimal), both measures and their evidence — terms the ontology declares
    with domain, range and labels in both languages."""
    store, _ = corpus
    found = R.find_reuse(store)
    evidence = R.inclusion_evidence(store)
    triples = R.reuse_triples(found, evidence)
    assert triples == R.reuse_triples(found, evidence)  # the same reuses, the same triples
    # the corpus step writes the same terms as text, spelled as Oxigraph spells them, also
    # for a scope that needs escaping
    odd = [dataclasses.replace(r, scope='引"号\\\n') for r in found[:3]]
    for reuses in (found, odd):
        spelled = [f"{s} {p} {o}" for s, p, o in R.reuse_statements(reuses, evidence)]
        assert spelled == [str(t) for t in R.reuse_triples(reuses, evidence)]
    assert any(r.source is not None for r in odd) and any("引" in line for line in map(str, R.reuse_triples(odd)))
    copied = next(r for r in found if r.measure.doc_id == "child" and r.measure.key == "1.1")
    local, parent = copied.measure.measure, copied.source.measure
    node = R.reuse_node(local, parent)
    mem = ox.Store()
    mem.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    answer = list(
        mem.query(
            f"""PREFIX vet: <{VET}> PREFIX prov: <http://www.w3.org/ns/prov#>
            SELECT ?share ?scope (COUNT(?ev) AS ?n) WHERE {{
              <{local}> vet:reuses <{parent}> .
              ?r a vet:Reuse ; vet:reusingMeasure <{local}> ; vet:reusedMeasure <{parent}> ;
                 vet:reuseShare ?share ; vet:reuseScope ?scope ; prov:wasDerivedFrom ?ev }}
            GROUP BY ?share ?scope"""
        )
    )
    assert len(answer) == 1
    assert float(answer[0]["share"].value) == copied.share and answer[0]["scope"].value == "parent"
    assert int(answer[0]["n"].value) == 2
    assert any(str(t.subject.value) == node for t in triples)
    onto = ontology.load()
    used = {t.predicate.value for t in triples} | {
        t.object.value for t in triples if t.predicate.value.endswith("#type")
    }
    for term in sorted(u for u in used if u.startswith(VET)):
        iri = rdflib.URIRef(term)
        kinds = set(onto.objects(iri, RDF.type))
        assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, term
        if OWL.Class not in kinds:
            assert onto.value(iri, RDFS.domain) is not None and onto.value(iri, RDFS.range) is not None, term
        assert {lit.language for lit in onto.objects(iri, RDFS.label)} >= {"en", "zh"}, term
        assert onto.value(iri, RDFS.isDefinedBy) == rdflib.URIRef("https://w3id.org/vetkg/ontology"), term


def test_the_aligned_pair_side_by_side_is_escaped_html(corpus):
    store, _ = corpus
    found = R.find_reuse(store)
    copied = next(r for r in found if r.measure.doc_id == "child" and r.measure.key == "1.1")
    page = side_by_side(copied)
    assert page.count("<table") == 1 and page.count("<mark>") == 2 * len(copied.alignment.runs)
    assert "河南省人民政府办公厅关于深化产教融合的实施意见" in page and "<script" not in page
    hostile = '（一）<script>alert(1)</script>面向中小微企业开放服务" onmouseover="x'
    shown = marked(hostile, [(0, len(hostile))])
    assert "<script>" not in shown and "&lt;script&gt;" in shown and '" onmouseover' not in shown
    listing = side_by_side_all(found, top=3)
    assert listing.count("<table") <= 3 and listing.count("<style>") == 1


# --- targets ---------------------------------------------------------------------------------------------------


def test_targets_compared_across_regions_and_years_with_evidence(corpus):
    """Every “双师型” share is grouped, with its region, year and the span of its clause;
    the comparison table puts each region's values side by side."""
    store, texts = corpus
    rows = T.target_values(store)
    for r in rows:
        assert texts[r["doc_id"]][r["start"] : r["end"]] == r["quote"]
    share = [r for r in rows if r["group"] == "“双师型”教师占比"]
    by_region = {r["region"]: r for r in share}
    assert set(by_region) == {"安阳市", "鹤壁市", "许昌市"}
    assert (by_region["安阳市"]["value"], by_region["安阳市"]["target_year"]) == (60.0, 2025)
    assert (by_region["许昌市"]["value"], by_region["许昌市"]["target_year"]) == (65.0, 2025)
    assert by_region["鹤壁市"]["value"] == 50.0 and by_region["鹤壁市"]["comparator"] == ">="
    assert by_region["许昌市"]["document_year"] is None  # the plan states no date
    table = T.compare_targets(rows, groups=["“双师型”教师占比"])
    cells = {(r["region"], r["year"]): r for r in table}
    assert cells["许昌市", 2025]["values"] == "≥65%" and cells["许昌市", 2025]["year_of"] == "target"
    assert cells["安阳市", 2025]["values"] == "≥60%"
    ref = cells["许昌市", 2025]["evidence"]
    doc, rest = ref.split("#")
    key, span = rest.split("@")
    s, e = map(int, span.split("-"))
    assert doc == "child" and key == "1.3" and "65%" in texts[doc][s:e]
    png = T.plot_targets(rows)
    assert png.startswith(b"\x89PNG") and len(png) > 5000
