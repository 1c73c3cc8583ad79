"""The researcher's workbench in every build (issue 20): ``report.html``, ``report.md`` and
``tables/`` of ``vetkg build`` hold the co-issuing network, the implementation chains, the
policy-tool matrix with each code's evidence span, the reuse shares per document and the
targets compared — and link the pages drawn next to them (``coissuing.html``,
``chains.html``, ``reuse.html``).

Checked on the seeds built once per session (conftest's ``seed_graph_dir``), against what
was checked by hand: the Beijing plan's two issuers co-issue it; 国办发〔2017〕95号 is cited by
the Beijing, Hebi and county plans, Hebi's 1,501 days later; every span slices the
document text to the words it names."""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import pytest
from conftest import SEEDS

import kg
from kg.cli import make_parser

WORKBENCH_TABLES = (
    "coissuing_periods",
    "coissuing_pairs",
    "coissuing_bodies",
    "implementation_chains",
    "policy_tool_matrix",
    "policy_tool_matrix_regions",
    "policy_tool_shares",
    "policy_tool_codes",
    "reuse_documents",
    "reuse_measures",
    "targets_compared",
    "target_values",
)
PAGES = ("coissuing.html", "chains.html", "reuse.html")


def rows(build: Path, name: str) -> list[dict]:
    with (build / "tables" / f"{name}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    """Each seed's text as read (file stem → text): the offsets of the tables index it."""
    return {p.stem: kg.read(p).text for p in sorted(SEEDS.glob("*.txt"))}


def test_the_report_has_every_workbench_section_and_links_its_pages(seed_graph_dir):
    page = (seed_graph_dir / "report.html").read_text(encoding="utf-8")
    md = (seed_graph_dir / "report.md").read_text(encoding="utf-8")
    for name in WORKBENCH_TABLES:
        assert (seed_graph_dir / "tables" / f"{name}.csv").is_file(), name
        assert f'<h2 id="{name}">' in page, name
        assert f"(tables/{name}.csv)" in md, name
    for name in PAGES:
        assert (seed_graph_dir / name).is_file(), name
        assert f'href="{name}"' in page and f"]({name})" in md, name
    for figure in ("coissuing", "policy_tools", "targets"):  # drawn, embedded, and saved
        assert (seed_graph_dir / "figures" / f"{figure}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f'<figure id="{figure}">' in page
    assert "联合发文最多的部门：市发展改革委（北京市）与市教委（北京市）（1 份文件）" in page
    assert "国办发〔2017〕95号被语料中 3 份文件落实（直接引用 3 份）" in page


def test_the_beijing_seeds_two_issuers_co_issue(seed_graph_dir):
    (pair,) = rows(seed_graph_dir, "coissuing_pairs")
    assert {pair["issuer_a"], pair["issuer_b"]} == {"市发展改革委（北京市）", "市教委（北京市）"}
    assert pair["documents"] == "1"
    assert pair["titles"] == "北京市发展和改革委员会北京市教育委员会关于深化产教融合提升人力资源质量的实施意见"
    assert pair["sources"] == "003_a200c70846c33ef2"  # the evidence, for scripts (not on the page)
    bodies = {r["label"]: r for r in rows(seed_graph_dir, "coissuing_bodies")}
    for issuer in (pair["issuer_a"], pair["issuer_b"]):
        assert bodies[issuer]["partners"] == "1" and bodies[issuer]["joint_documents"] == "1"
        assert bodies[issuer]["betweenness"] == "0.0"
    assert bodies[pair["issuer_a"]]["community"] == bodies[pair["issuer_b"]]["community"] != ""
    periods = {r["period"]: r for r in rows(seed_graph_dir, "coissuing_periods")}
    assert {k: (r["documents"], r["joint_documents"]) for k, r in periods.items()} == {
        "2021": ("1", "0"),  # Anyang's plan
        "2022": ("2", "0"),  # Hebi's and Jiangjin's
        "undated": ("2", "1"),  # Beijing's states no date, nor does the county plan (which names no issuer)
    }
    assert sum(int(r["documents"]) for r in periods.values()) == 5  # every seed, issuer named or not
    network = (seed_graph_dir / "coissuing.html").read_text(encoding="utf-8")
    for issuer in (pair["issuer_a"], pair["issuer_b"]):  # in vis-network's data, JSON-escaped
        assert json.dumps(issuer)[1:-1] in network
    assert "<script src=" not in network  # offline: vis-network inlined


def test_the_chain_of_the_state_councils_opinion_lists_the_three_seeds_with_lags(seed_graph_dir):
    chain = [r for r in rows(seed_graph_dir, "implementation_chains") if r["parent_number"] == "国办发〔2017〕95号"]
    assert [r["region"] for r in chain] == ["北京市", "鹤壁市", "XX县"]  # by level: municipality, city, county
    assert [r["level"] for r in chain] == ["municipality", "city", "county"]  # codes in the CSV
    assert [r["lag_days"] for r in chain] == ["", "1501", ""]  # 2017-12-05 → 2022-01-14; the others undated
    assert {r["parent_date"] for r in chain} == {"2017-12-05"}
    assert all(r["direct"] == "True" and "国办发〔2017〕95号" in r["evidence"] for r in chain)
    page = (seed_graph_dir / "report.html").read_text(encoding="utf-8")
    section = page[page.index('<h2 id="implementation_chains">') :]
    section = section[: section.index("<h2 ", 1)]
    assert "<td>直辖市</td>" in section and "<td>1501</td>" in section  # labels on the page
    assert 'href="chains.html"' in section
    tree = (seed_graph_dir / "chains.html").read_text(encoding="utf-8")
    assert "国办发〔2017〕95号" in tree and "+1501 days" in tree and tree.count("鹤壁市 ·") >= 1


def test_every_tool_code_has_an_evidence_span_that_slices_to_its_words(seed_graph_dir, texts):
    codes = rows(seed_graph_dir, "policy_tool_codes")
    assert {r["doc_id"] for r in codes} == set(texts)
    for r in codes:
        assert texts[r["doc_id"]][int(r["start"]) : int(r["end"])] == r["words"], r
    assert {r["category"] for r in codes} == {"supply", "environment", "demand"}
    matrix = rows(seed_graph_dir, "policy_tool_matrix")
    assert [r["tool"] for r in matrix][:3] == ["资金投入", "人才培养", "基础设施"]  # supply first, as the lexicon
    assert set(matrix[0]) >= {"government", "school", "enterprise", "student_teacher", "industry", "measures"}
    used = {(r["doc_id"], r["measure"], r["tool"]) for r in codes}
    for row in matrix:  # a tool's measures are the measures with one of its codes
        assert int(row["measures"]) == len({(d, m) for d, m, t in used if t == row["tool"]}), row["tool"]
        assert all(int(row[d]) <= int(row["measures"]) for d in ("government", "school", "industry"))
    regions = rows(seed_graph_dir, "policy_tool_matrix_regions")
    assert {r["scope"] for r in regions} == {"XX县", "安阳市", "鹤壁市", "北京市", "江津区"}
    assert all(r["evidence"] for r in regions)


def test_reuse_shares_per_document(seed_graph_dir, texts):
    shares = {r["doc_id"]: r for r in rows(seed_graph_dir, "reuse_documents")}
    assert set(shares) == set(texts)
    for r in shares.values():
        total = float(r["parent_share"]) + float(r["corpus_share"]) + float(r["new_share"])
        assert abs(total - 1) < 1e-3, r
        assert int(r["parent_chars"]) + int(r["corpus_chars"]) <= int(r["chars"])
    # no seed cites another seed: nothing comes from a parent; some text recurs across the corpus
    assert all(r["parent_share"] == "0.0" for r in shares.values())
    assert float(shares["002_01e619eeb8aaf6f0"]["corpus_share"]) > 0.03
    measures = rows(seed_graph_dir, "reuse_measures")
    assert len(measures) == 151  # every measure of the seeds, with or without a source
    for r in measures:
        if r["local_spans"]:
            for span in r["local_spans"].split(";"):  # the reused runs lie in the measure
                start, end = map(int, span.split("-"))
                assert int(r["start"]) <= start < end <= int(r["end"])
    page = (seed_graph_dir / "reuse.html").read_text(encoding="utf-8")
    assert page.count('<table class="vetkg-reuse"') == sum(1 for r in measures if r["source_doc_id"])
    assert "<mark>" in page


def test_reuse_candidates_come_from_the_similarity_links_whatever_the_size(seed_graph_dir):
    from kg.analytics import reuse
    from kg.analytics.diffusion import diffusion_links
    from kg.analytics.report import _partners

    store = kg.load(seed_graph_dir).store
    links = diffusion_links(store)
    assert links  # the seeds' build made them
    table = {
        r["doc_id"]: (float(r["parent_share"]), float(r["corpus_share"]))
        for r in rows(seed_graph_dir, "reuse_documents")
    }

    def shares(found):
        return {r["doc_id"]: (r["parent_share"], r["corpus_share"]) for r in reuse.document_shares(found)}

    # the report's shares are those of the links; a graph without links finds the same by the same rule
    assert table == shares(reuse.find_reuse(store, partners=_partners(links)))
    assert table == shares(reuse.find_reuse(store))
    note = (seed_graph_dir / "report.html").read_text(encoding="utf-8")
    assert "Jaccard ≥ 0.15" in note


def test_evidence_tables_hold_only_the_rows_shown_and_write_every_row(seed_graph_dir):
    from kg.analytics.report import EVIDENCE_ROWS, analyze

    rep = analyze(kg.load(seed_graph_dir).store)
    tables = {t.name: t for t in rep.tables}
    for name in ("policy_tool_codes", "reuse_measures", "target_values"):
        t, written = tables[name], rows(seed_graph_dir, name)
        assert len(t.rows) == min(EVIDENCE_ROWS, len(written)), name  # a row per code is not kept
        assert t.size == len(written) and t.to_csv() == (seed_graph_dir / "tables" / f"{name}.csv").read_text(
            encoding="utf-8"
        )
    assert tables["policy_tool_codes"].size > EVIDENCE_ROWS
    page = (seed_graph_dir / "report.html").read_text(encoding="utf-8")
    assert f"共 {tables['policy_tool_codes'].size:,} 行，此处列出前 {EVIDENCE_ROWS} 行" in page


def test_targets_compared_with_each_value_linked_to_its_evidence(seed_graph_dir, texts):
    values = rows(seed_graph_dir, "target_values")
    assert values
    for r in values:
        assert texts[r["doc_id"]][int(r["start"]) : int(r["end"])] == r["quote"]
    compared = rows(seed_graph_dir, "targets_compared")
    evidence = {f"{r['doc_id']}#{r['measure']}@{r['start']}-{r['end']}" for r in values}
    assert sum(int(r["targets"]) for r in compared) == len(values)
    for r in compared:
        assert set(r["evidence"].split(";")) <= evidence
    double = [r for r in compared if r["group"] == "“双师型”教师占比" and r["region"] == "鹤壁市"]
    assert double and double[0]["values"] == "≥70%" and double[0]["year"] == "2025"


def test_the_workbench_reads_as_chinese_without_codes(seed_graph_dir):
    page = (seed_graph_dir / "report.html").read_text(encoding="utf-8")
    text = re.sub(r'<a href="tables/[^"]*\.csv">.*?</a>', " ", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]*>", " ", re.sub(r"<style\b.*?</style>", " ", text, flags=re.S)))
    for code in ("student_teacher", "municipality", "supply", "parent_share", "issuer_a", "000_e8f3e4b4799b6f54"):
        assert code not in text, code
    for label in ("学生与教师", "供给型", "部门甲", "联合发文网络", "政策落实链", "复用比例"):
        assert label in text, label


def test_build_takes_the_report_language():
    assert make_parser().parse_args(["build", "seeds", "--lang", "en"]).lang == "en"
    assert make_parser().parse_args(["build", "seeds"]).lang == "zh"
    with pytest.raises(SystemExit):
        make_parser().parse_args(["build", "seeds", "--lang", "fr"])


def test_a_rebuild_in_english_redraws_the_report_in_english(tmp_path):
    """The views stamp holds the language: the same graph asked for in English is drawn
    again, not hard-linked from the Chinese set."""
    out = tmp_path / "build"
    assert kg.build(SEEDS, out, keep=False).result.ok
    assert '<html lang="zh"' in (out / "report.html").read_text(encoding="utf-8")
    assert kg.build(SEEDS, out, keep=False, lang="en").result.ok
    page = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in page
    assert "Bodies issuing the most documents together" in page and "students and teachers" in page
    assert "联合发文网络" not in page and "政策落实链" not in page
    assert '<html lang="en"' in (out / "chains.html").read_text(encoding="utf-8")


def test_reuse_takes_its_corpus_candidates_from_the_similarity_links_at_scale(seed_graph_dir):
    """Past a few thousand measures the report gives find_reuse the build's similarity
    links as candidates (bounded per measure) instead of a MinHash of every measure: with
    the links, the sources found are among the linked partners; with none, nothing is
    found in the corpus; ``corpus=False`` searches the cited documents only."""
    from kg.analytics.diffusion import diffusion_links
    from kg.analytics.report import _partners
    from kg.analytics.reuse import find_reuse

    store = kg.load(seed_graph_dir).store
    partners = _partners(diffusion_links(store))
    linked = find_reuse(store, partners=partners)
    found = [r for r in linked if r.source is not None]
    assert found and all(r.source.measure in partners[r.measure.measure] for r in found)
    assert all(r.source is None for r in find_reuse(store, partners={}))
    assert all(r.source is None for r in find_reuse(store, corpus=False))  # no seed cites another seed
