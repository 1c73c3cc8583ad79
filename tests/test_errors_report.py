"""The error loop (kg.evaluation.errors_report): every false positive and false negative
of a real extraction against a hand-written gold record, with its sentence and shape."""

from __future__ import annotations

from kg.evaluation.errors_report import error_report
from kg.extraction import extract

TEXT = (
    "某市推进职业教育发展实施方案\n为落实有关要求，结合本市实际，制定本方案。\n一、主要任务\n"
    "（一）建设实训基地。到2025年建成10个市级实训基地。（责任单位：市教育局）\n"
    "（二）推进校企合作。支持宜宾职业技术学院实施现代学徒制。（责任单位：市人社局）\n"
)


def gold_record() -> dict:
    return {
        "metadata": {},
        "measures": [{"key": "1.1", "heading": "建设实训基地"}, {"key": "1.2", "heading": "推进校企合作"}],
        "departments": [{"name": "市教育局", "function": "education"}, {"name": "市财政局", "function": "finance"}],
        "institutions": [{"name": "宜宾职业技术学院", "kind": "school"}],
        "programs": [{"name": "现代学徒制试点", "kind": "pilot"}],
        "cited_documents": [],
        "responsible_for": [{"measure": "1.1", "unit": "市教育局", "role": "responsible"}],
        "indicators": [{"measure": "1.2", "text": "建成10个市级实训基地", "value": 10, "unit": "个"}],
        "supports": [{"measure": "1.2", "target": "宜宾职业技术学院"}],
    }


def test_every_error_is_listed_with_its_sentence_and_shape(write_doc):
    ex = extract(write_doc(TEXT, name="plan.txt"), keywords=False)
    report = error_report({"plan": gold_record()}, {"plan": ex})
    found = {(e.list, e.kind, e.item.split("  ")[0], e.shape) for e in report.errors}

    # a department gold expects that is not in the text: a false negative with no sentence
    assert ("departments", "fn", "市财政局 (finance)", "…政局") in found
    # a department the text names in a clause gold left out: a false positive, with its sentence
    assert ("departments", "fp", "市人社局 (human_resources_social_security)", "…社局") in found
    fp_dept = next(e for e in report.of("departments", "fp"))
    assert fp_dept.sentence == "（责任单位：市人社局）"
    # the program differs by its head only: both errors carry the shape "near"
    assert ("programs", "fn", "现代学徒制试点 (pilot)", "near …试点") in found
    assert ("programs", "fp", "现代学徒制 (system)", "near …徒制") in found
    # the indicator sits in another measure than gold says
    assert ("indicators", "fn", "1.2 10 个", "other measure") in found
    assert ("indicators", "fp", "1.1 10 个", "other measure") in found
    fn_ind = next(e for e in report.of("indicators", "fn"))
    assert fn_ind.sentence == "到2025年建成10个市级实训基地。"
    # a support gold did not list is a false positive; the one it did list matched
    assert [e.item for e in report.of("supports")] == ["1.2 现代学徒制"]
    # what matched is not an error
    assert not any(e.list in ("measures", "institutions") for e in report.errors)
    assert not any(e.list == "responsible_for" and "市教育局" in e.item for e in report.errors)


def test_counts_by_shape_add_up_to_the_errors(write_doc):
    ex = extract(write_doc(TEXT, name="plan.txt"), keywords=False)
    report = error_report({"plan": gold_record()}, {"plan": ex})
    counts = report.by_shape()
    assert sum(counts.values()) == len(report.errors)
    assert counts["indicators", "fp", "other measure"] == 1
    table = report.table()
    assert table.startswith("== plan") and "== errors by shape" in table
    assert "indicators        fn    1  other measure 1" in report.shape_table()
    assert report.to_json()["by_shape"][0].keys() == {"list", "kind", "shape", "count"}


def test_documents_without_gold_or_extraction_are_skipped(write_doc):
    ex = extract(write_doc(TEXT, name="plan.txt"), keywords=False)
    assert error_report({"other": gold_record()}, {"plan": ex}).errors == []
