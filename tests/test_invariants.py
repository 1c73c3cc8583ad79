"""The graph's invariants as SPARQL on the store (issue 19, item 6): a built graph keeps
them, and each broken one is reported with its count."""

from __future__ import annotations

import re

import pytest
from conftest import SEEDS

from kg.corpus.graph import graph_text
from kg.extraction import extract
from kg.parsing import parse
from kg.reading import read
from kg.store.invariants import INVARIANTS, check
from kg.store.oxigraph import OxigraphStore

VET = "https://w3id.org/vetkg/ontology#"


@pytest.fixture(scope="module")
def seed_nt() -> str:
    return graph_text([extract(parse(read(p))) for p in sorted(SEEDS.glob("*.txt"))], diffusion=False)


def test_a_built_graph_keeps_every_invariant(seed_nt: str) -> None:
    assert check(OxigraphStore.from_ntriples(seed_nt)) == []


def _line(nt: str, pattern: str) -> str:
    return next(line for line in nt.splitlines() if re.search(pattern, line))


def _broken(
    nt: str, drop: str | None = None, add: str | None = None, replace: tuple[str, str] | None = None
) -> set[str]:
    if drop:
        nt = nt.replace(drop + "\n", "")
    if add:
        nt += add + "\n"
    if replace:
        nt = nt.replace(*replace)
    return {v.invariant for v in check(OxigraphStore.from_ntriples(nt))}


def test_each_broken_invariant_is_reported(seed_nt: str) -> None:
    direct = _line(seed_nt, f"<{VET}responsibleFor>")
    assert "direct_has_assertion" in _broken(seed_nt, add=direct.replace(">", "x>", 1))  # a triple no assertion states
    assert "assertion_has_direct" in _broken(seed_nt, drop=direct)
    leads = _line(seed_nt, f"<{VET}leads>")
    assert "lead_role_has_leads" in _broken(seed_nt, drop=leads)
    s = leads.split(" ", 1)[0]
    stray = f"{s} <{VET}leads> <https://w3id.org/vetkg/id/measure/elsewhere> ."
    assert "leads_has_lead_role" in _broken(seed_nt, add=stray)
    quote = _line(seed_nt, f"<{VET}quote>")
    assert "quote_matches_offsets" in _broken(seed_nt, replace=(quote, quote.replace('"', '"改', 1)))
    exact = _line(seed_nt, "<http://www.w3.org/ns/oa#exact>")
    assert "evidence_is_its_selector" in _broken(seed_nt, drop=exact)
    assert "evidence_is_its_selector" in _broken(seed_nt, replace=(exact, exact.replace('"', '"改', 1)))
    start = _line(seed_nt, "<http://www.w3.org/ns/oa#start>")
    assert "evidence_is_its_selector" in _broken(seed_nt, replace=(start, start.replace('"', '"1', 1)))
    evidence = _line(seed_nt, f"<{VET}sourceFile>")
    assert "evidence_names_its_file" in _broken(seed_nt, drop=evidence)
    part = _line(seed_nt, f"<{VET}partOf>")
    assert "measure_in_one_document" in _broken(seed_nt, drop=part) | _broken(
        seed_nt, add=part.replace("/document/", "/document/other", 1)
    )
    assert len(INVARIANTS) >= 10


def test_two_documents_with_one_identifier_are_reported(seed_nt: str) -> None:
    """The 文号 check is a join of two documents; planted in the store, a second document
    with a document's 文号 and region is reported, one with a placeholder 文号 is not."""
    ident = _line(seed_nt, "<http://purl.org/dc/terms/identifier>")
    doc, number = ident.split(" ", 1)[0], ident.split(" ", 2)[2].rstrip(" .")
    region = _line(seed_nt, rf"^{re.escape(doc)} <{VET}jurisdiction>").split(" ")[2]
    twin = "<https://w3id.org/vetkg/id/document/twin>"

    def planted(n: str) -> str:
        return "\n".join(
            (
                f'{twin} <{VET}sourceId> "twin" .',
                f"{twin} <http://purl.org/dc/terms/identifier> {n} .",
                f"{twin} <{VET}jurisdiction> {region} .",
            )
        )

    found = check(OxigraphStore.from_ntriples(seed_nt + planted(number) + "\n"))
    assert [(v.invariant, v.count) for v in found] == [("one_work_per_identifier", 1)]
    assert twin.strip("<>") in " ".join(" ".join(e) for e in found[0].examples)
    placeholder = number.replace("号", "某号", 1)
    placeholders = seed_nt.replace(ident, f"{doc} <http://purl.org/dc/terms/identifier> {placeholder} .")
    assert check(OxigraphStore.from_ntriples(placeholders + planted(placeholder) + "\n")) == []
