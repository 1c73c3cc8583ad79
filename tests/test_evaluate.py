"""The scorer itself: normalisation, relaxed one-to-one matching, multisets, metadata."""

from __future__ import annotations

from kg.evaluation.scoring import evaluate, norm_name, relaxed_equal


def doc(**lists):
    base = {
        "metadata": {},
        "measures": [],
        "departments": [],
        "institutions": [],
        "programs": [],
        "cited_documents": [],
        "responsible_for": [],
        "indicators": [],
        "supports": [],
    }
    base.update(lists)
    return base


def test_name_normalisation():
    assert norm_name("“双高计划”") == norm_name("双高计划")
    assert norm_name("产业教师（导师）") == "产业教师(导师)"
    assert norm_name("金融 财政") == "金融财政"


def test_relaxed_rule():
    assert relaxed_equal("双高计划", "双高计划建设")
    assert not relaxed_equal("双高", "双高计划建设学校")  # shorter less than half
    assert not relaxed_equal("", "x")


def test_relaxed_matching_is_one_to_one():
    g = doc(programs=[{"name": "现代学徒制", "kind": "system"}])
    p = doc(programs=[{"name": "现代学徒制试点", "kind": "pilot"}, {"name": "现代学徒制培养", "kind": "x"}])
    m = evaluate({"d": g}, {"d": p}).to_json()["micro"]
    assert (m["programs"]["tp"], m["programs"]["fp"], m["programs"]["fn"]) == (0, 2, 1)
    assert (m["programs_relaxed"]["tp"], m["programs_relaxed"]["fp"]) == (1, 1)


def test_indicators_are_a_multiset_with_attribute_accuracy():
    ind = {"measure": "1.2", "value": 10, "unit": "%", "comparator": ">", "year": 2025}
    g = doc(indicators=[ind, dict(ind)])
    p = doc(indicators=[dict(ind, value=10.0), dict(ind, comparator=">=", year=None)])
    m = evaluate({"d": g}, {"d": p}).to_json()["micro"]["indicators"]
    assert (m["tp"], m["fp"], m["fn"]) == (2, 0, 0)
    assert m["comparator_accuracy"] == 0.5 and m["year_accuracy"] == 0.5


def test_supports_relaxed_only_within_same_measure():
    g = doc(supports=[{"measure": "1.1", "target": "双高计划"}])
    p = doc(supports=[{"measure": "1.2", "target": "双高计划"}, {"measure": "1.1", "target": "“双高计划”建设"}])
    m = evaluate({"d": g}, {"d": p}).to_json()["micro"]
    assert m["supports"]["tp"] == 0
    assert (m["supports_relaxed"]["tp"], m["supports_relaxed"]["fp"]) == (1, 1)


def test_metadata_null_only_matched_by_null_and_missing_list_scores_zero_recall():
    g = doc(metadata={"title": "T", "doc_number": None}, departments=[{"name": "市教育局"}])
    p = doc(metadata={"title": "T", "doc_number": "X〔2020〕1号"})
    r = evaluate({"d": g}, {"d": p}).to_json()
    assert r["metadata"] == {"title": 1.0, "doc_number": 0.0}
    assert r["micro"]["departments"]["r"] == 0.0
    assert r["micro"]["responsible_for"]["f1"] == 1.0  # nothing expected, nothing predicted
