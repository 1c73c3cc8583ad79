"""The character CRF compared with the rules (kg/evaluation/learned.py, issue 18 deliverable 6):
gold names projected onto the text as character tags, features, and (when python-crfsuite is
installed, the ``learn`` extra) a model trained on one document that reads its names back."""

from __future__ import annotations

import importlib
import sys

import pytest

from kg.evaluation.learned import Sample, bio, features, gold_spans, mentions, predict_spans, replace_names, train
from kg.evaluation.scoring import score_document
from kg.extraction import extract_all
from kg.extraction.context import DocContext
from kg.parsing import parse

TEXT = (
    "某市推进学校体育工作实施方案\n为落实有关要求，制定本方案。\n一、主要任务\n"
    "（一）支持宜宾市青少年体育活动中心开放场馆，实施“阳光体育”行动计划。\n"
    "（二）依托《某市体育发展规划》，推进宜宾市青少年体育活动中心建设，组织“阳光体育”行动计划展示。\n"
)
GOLD = {
    "institutions": [{"name": "宜宾市青少年体育活动中心", "kind": "platform"}],
    "programs": [{"name": "“阳光体育”行动计划", "kind": "plan"}],
}


@pytest.fixture
def sample(write_doc) -> Sample:
    parsed = parse(write_doc(TEXT))
    return Sample("doc", DocContext(parsed), extract_all(parsed, keywords=False), GOLD)


def test_gold_names_are_tagged_wherever_they_occur(sample):
    text = sample.ctx.text
    spans = gold_spans(sample.ctx, GOLD)
    assert [(text[a:b], label) for a, b, label in spans] == [
        ("宜宾市青少年体育活动中心", "INS"),
        ("阳光体育”行动计划", "PRG"),  # compared without quotes: the opening quote stays out
        ("宜宾市青少年体育活动中心", "INS"),
        ("阳光体育”行动计划", "PRG"),
    ]
    a, b, _ = spans[0]
    tags = bio(a - 2, b + 1, spans)
    assert tags[:3] == ["O", "O", "B-INS"] and tags[-2:] == ["I-INS", "O"]


def test_features_carry_quotes_titles_lexicons_and_the_rules(sample):
    text = sample.ctx.text
    a = text.index("（二）") if "（二）" in text else text.index("(二)")
    b = text.index("\n", a)
    rules = [(text.index("宜宾市", a), text.index("中心", a) + 2, "INS")]
    feats = features(text, a, b, rules)
    at = {ch: feats[i] for i, ch in enumerate(text[a:b])}
    assert "int" in feats[text.index("体育发展", a) - a]  # inside 《》
    assert "inq" in feats[text.index("阳光", a) - a]  # inside “”
    assert "placeB" in feats[text.index("宜宾市", a) - a]
    assert "r=B-INS" in feats[text.index("宜宾市", a) - a]
    assert any(f.startswith("isufE=") for f in feats[text.index("中心", a) + 1 - a])
    assert any(f.startswith("pheadE=") for f in at["划"])


def test_replace_names_recomputes_lists_and_supports(sample):
    text = sample.ctx.text
    a = text.index("宜宾市")
    found = mentions(sample.ctx, [(a, a + len("宜宾市青少年体育活动中心"), "INS")])
    pred = replace_names({"institutions": [], "programs": [], "supports": []}, sample.ctx, found)
    assert pred["institutions"] == [{"name": "宜宾市青少年体育活动中心", "kind": "platform"}]
    assert pred["programs"] == []
    assert pred["supports"] == [{"measure": "1.1", "target": "宜宾市青少年体育活动中心"}]


def test_learned_module_does_not_import_crfsuite():
    sys.modules.pop("kg.evaluation.learned", None)
    sys.modules.pop("pycrfsuite", None)
    importlib.import_module("kg.evaluation.learned")
    assert "pycrfsuite" not in sys.modules


def test_a_trained_crf_reads_back_the_names_it_learned(sample, tmp_path):
    pytest.importorskip("pycrfsuite")
    model = str(tmp_path / "m.crfsuite")
    train([sample], model, iterations=60)
    found = mentions(sample.ctx, predict_spans(sample, model))
    pred = replace_names({"institutions": [], "programs": [], "supports": []}, sample.ctx, found)
    scores = score_document(GOLD, pred)
    assert scores["institutions"].tp == 1 and scores["institutions"].fp == 0
    assert scores["programs_relaxed"].tp == 1
