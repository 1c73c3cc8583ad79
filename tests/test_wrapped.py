"""Hard-wrapped text (as it comes out of a PDF): soft line breaks are joined in the
matching view, real paragraph breaks stay, and every list scores as on the plain text."""

from __future__ import annotations

import random
import unicodedata

import pytest
from conftest import ROOT, SCORED_LISTS, SEEDS, seed_scores

from kg.evaluation.annotation import as_annotation
from kg.extraction import extract
from kg.reading.reader import read
from kg.reading.unwrap import soft_breaks


def wrap_chars(text: str, width: int = 35) -> str:
    """Every line cut into pieces of ``width`` characters, wherever that falls."""
    out = []
    for line in text.split("\n"):
        out.extend([line[i : i + width] for i in range(0, len(line), width)] or [""])
    return "\n".join(out)


def wrap_columns(text: str, cols: int = 70) -> str:
    """Wrapped by display columns (CJK two wide), as a terminal or PDF tool does."""
    out = []
    for line in text.split("\n"):
        cur, used = "", 0
        for ch in line:
            w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            if used + w > cols:
                out.append(cur)
                cur, used = "", 0
            cur, used = cur + ch, used + w
        out.append(cur)
    return "\n".join(out)


def wrap_ragged(text: str, seed: int = 7) -> str:
    """About 35 characters a line: each line 33 to 37."""
    rnd = random.Random(seed)
    out = []
    for line in text.split("\n"):
        i = 0
        pieces = []
        while i < len(line):
            n = rnd.randint(33, 37)
            pieces.append(line[i : i + n])
            i += n
        out.extend(pieces or [""])
    return "\n".join(out)


@pytest.fixture(scope="module")
def plain_scores():
    return seed_scores(SEEDS)


@pytest.mark.parametrize("wrap", [wrap_chars, wrap_columns, wrap_ragged])
def test_wrapped_seeds_score_within_003_of_plain(tmp_path, plain_scores, wrap):
    for seed in SEEDS.glob("*.txt"):
        (tmp_path / seed.name).write_text(wrap(seed.read_text(encoding="utf-8")), encoding="utf-8")
    got, meta = seed_scores(tmp_path)
    plain, plain_meta = plain_scores
    for k in SCORED_LISTS:
        assert got[k] >= plain[k] - 0.03, (k, got[k], plain[k])
    assert meta == plain_meta


def test_breaks_inside_names_numbers_brackets_and_markers_are_joined(tmp_path):
    # About twenty characters a line, broken inside 《…》, a number, a department and an
    # outline marker (the body runs on one line with spaced paragraphs, as scraped pages do).
    lines = [
        "某市职业教育实施方案",
        "为推动职业教育发展，根据文件精神，依照《",
        "教育部关于职业教育改革的意见》，制定本方案",
        "。",
        "一、主要任务",
        "（一）建设实训基地。到2025年，全市建成2",
        "0家以上市级实训基地，由市发展改革委和市发展",
        "改革委所属单位统筹规划建设，职业院校参与共建",
        "。（责任单位：市发展改革委、市教育局）   （",
        "二）完善保障。加大投入，落实经费，强化督导，",
        "确保各项措施落到实处。（责任单位：市财政局）",
    ]
    path = tmp_path / "w.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = read(path)
    assert doc.soft_breaks and all(doc.text[i] == "\n" for i in doc.soft_breaks)
    view = doc.view.text
    for piece in ("(二)", "发展改革委所属", "20家以上", "《教育部关于职业教育改革的意见》"):
        assert piece in view, (piece, view)
    assert "一、主要任务\n" in view  # a heading stays a line of its own
    a = as_annotation(extract(doc))
    assert [m["key"] for m in a["measures"]] == ["1.1", "1.2"]
    assert {(r["measure"], r["unit"]) for r in a["responsible_for"]} == {
        ("1.1", "市发展改革委"),
        ("1.1", "市教育局"),
        ("1.2", "市财政局"),
    }
    assert ("1.1", 20, "家") in {(i["measure"], i["value"], i["unit"]) for i in a["indicators"]}
    assert a["cited_documents"][0]["title"] == "教育部关于职业教育改革的意见"
    # Names come out joined; their spans still point into the text as read.
    ex = extract(doc)
    broken = [m for m in ex.mentions if m.name == "市发展改革委" and "\n" in doc.slice(m.span)]
    assert broken and doc.slice(broken[0].span) == "市发展\n改革委"


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")) + sorted((ROOT / "tests" / "fixtures").glob("*.txt")))
def test_unwrapped_documents_have_no_soft_breaks(path):
    assert soft_breaks(path.read_text(encoding="utf-8")) == []
