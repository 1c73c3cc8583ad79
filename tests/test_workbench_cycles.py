"""Implementation chains when documents cite each other in a circle (a province's plan
citing the city plan that cites it back): every document still sits under one above it,
and the report's tables and pages are made. Small documents written for these tests;
names in them are illustrative."""

from __future__ import annotations

import csv

import pytest

import kg
from kg.analytics.chains import chain_tree, implementation_chain

PARENT = "国办发〔2017〕95号"
CITE_PARENT = "《国务院办公厅关于深化产教融合的若干意见》（国办发〔2017〕95号）"
CITE_A = "《河南省人民政府办公厅关于深化产教融合的实施意见》（豫政办〔2018〕47号）"
CITE_B = "《洛阳市人民政府办公室关于深化产教融合的实施意见》（洛政办〔2019〕9号）"
CITE_C = "《新安县人民政府办公室关于深化产教融合的实施方案》（新政办〔2019〕30号）"


def doc(title: str, number: str, cites: str, date: str) -> str:
    return (
        f"{title}\n{number}\n各有关单位：\n为贯彻落实{cites}，提出如下意见。\n"
        f"一、主要任务\n（一）统筹规划。教育局负责。\n{date}\n"
    )


A = ("河南省人民政府办公厅关于深化产教融合的实施意见", "豫政办〔2018〕47号")
B = ("洛阳市人民政府办公室关于深化产教融合的实施意见", "洛政办〔2019〕9号")
C = ("新安县人民政府办公室关于深化产教融合的实施方案", "新政办〔2019〕30号")


def build(folder, docs: dict[str, str]):
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    return kg.build(folder).store


def _check(rows, tree):
    numbers = {r["number"] for r in rows}
    placed: list[str] = []

    def walk(node):
        for child in node["children"]:
            placed.append(child["number"])
            walk(child)

    walk(tree)
    assert sorted(placed) == sorted(numbers)  # every row once in the tree
    for r in rows:
        assert r["via"] != r["document"]


@pytest.fixture(scope="module")
def two_cycle(tmp_path_factory):
    # A cites the parent and B; B cites A only
    return build(
        tmp_path_factory.mktemp("two"),
        {
            "a.txt": doc(*A, CITE_PARENT + "和" + CITE_B, "2018年6月5日"),
            "b.txt": doc(*B, CITE_A, "2019年3月1日"),
        },
    )


def test_a_document_citing_only_its_cycle_partner_sits_under_it(two_cycle):
    rows = implementation_chain(two_cycle, PARENT)
    by = {r["number"]: r for r in rows}
    assert set(by) == {A[1], B[1]}
    assert by[A[1]]["direct"] and by[A[1]]["depth"] == 1
    assert by[B[1]]["via_number"] == A[1]
    _check(rows, chain_tree(two_cycle, PARENT))


@pytest.fixture(scope="module")
def three_cycle(tmp_path_factory):
    # A cites the parent; C cites A and B; B cites the parent and C
    return build(
        tmp_path_factory.mktemp("three"),
        {
            "a.txt": doc(*A, CITE_PARENT, "2018年6月5日"),
            "b.txt": doc(*B, CITE_PARENT + "和" + CITE_C, "2019年3月1日"),
            "c.txt": doc(*C, CITE_A + "和" + CITE_B, "2019年10月8日"),
        },
    )


def test_a_cycle_through_the_parent_keeps_every_document_in_the_tree(three_cycle):
    rows = implementation_chain(three_cycle, PARENT)
    assert {r["number"] for r in rows} == {A[1], B[1], C[1]}
    tree = chain_tree(three_cycle, PARENT)
    _check(rows, tree)
    by = {r["number"]: r for r in rows}
    assert by[C[1]]["via_number"] == A[1]  # above it, not its cycle partner


def test_the_report_is_made_despite_the_cycle(three_cycle, tmp_path):
    from kg.analytics.report import analyze, write_report

    rep = analyze(three_cycle)
    write_report(rep, tmp_path)
    with (tmp_path / "tables" / "implementation_chains.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["parent_number"] == PARENT]
    assert sorted(r["number"] for r in rows) == sorted([A[1], B[1], C[1]])
