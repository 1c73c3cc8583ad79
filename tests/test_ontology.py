"""The ontology parses and declares every entity type and predicate the extractor emits."""
from __future__ import annotations

from kg import ontology
from kg.pipeline import extract

from conftest import SEEDS


def test_ontology_parses_and_names_terms():
    vocab = ontology.vocabulary()
    assert vocab["responsible_for"].endswith("#responsibleFor")
    assert vocab["department"].endswith("#Department")


def test_every_extracted_type_and_predicate_is_in_the_ontology():
    vocab = ontology.vocabulary()
    ex = extract(SEEDS / "004_b23814f1685ffde0.txt")
    entities = {m.entity for m in ex.mentions}
    predicates = {r.predicate for r in ex.relations}
    assert entities and predicates
    assert entities <= set(vocab), entities - set(vocab)
    assert predicates <= set(vocab), predicates - set(vocab)
