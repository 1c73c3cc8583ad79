"""Results kept between builds by the digest of their inputs (kg.core.memo): the memo
itself, and a rebuild after an edit that redraws only the figures whose rows changed
and still writes the very report a fresh build writes."""

from __future__ import annotations

import json
import shutil
import zlib

from conftest import ROOT

from kg.analytics import policy_tools as P
from kg.analytics import reuse as R
from kg.analytics.policy_tools import MeasureText
from kg.analytics.report import analyze
from kg.analytics.source import OxigraphSource
from kg.core import memo as MEMO_MODULE
from kg.core.memo import BLOBS, Memo, digest
from kg.corpus.build import MEMO, build
from kg.corpus.cache import memo_salt


def test_a_memo_keeps_what_a_build_used_and_forgets_the_rest(tmp_path):
    first = Memo(tmp_path, salt="code-1")
    assert first.get("t", "a") is None
    first.put("t", "a", [1, "一"])
    first.put("t", "b", {"x": 2.5})
    first.save()

    second = Memo(tmp_path, salt="code-1")
    assert second.get("t", "a") == [1, "一"]  # read back as written
    second.save()  # "b" was neither used nor made by this build
    third = Memo(tmp_path, salt="code-1")
    assert third.get("t", "a") == [1, "一"]
    assert third.get("t", "b") is None

    assert Memo(tmp_path, salt="code-2").get("t", "a") is None  # changed code: nothing is stale


def test_a_memo_that_cannot_be_read_is_empty_never_an_error(tmp_path, monkeypatch):
    (tmp_path / "t.json.z").write_bytes(b"not zlib")
    assert Memo(tmp_path, "s").get("t", "a") is None
    (tmp_path / "t.json.z").write_bytes(zlib.compress(b"[" * 200_000))  # nested past the parser's depth
    assert Memo(tmp_path, "s").get("t", "a") is None
    (tmp_path / "t.json.z").write_bytes(zlib.compress(b'["a list, not the table"]'))
    assert Memo(tmp_path, "s").get("t", "a") is None
    (tmp_path / "t.json.z").write_bytes(zlib.compress(b'{"salt": "s", "entries": 3}'))
    assert Memo(tmp_path, "s").get("t", "a") is None

    bomb = zlib.compressobj(9)  # 16 MB of spaces in a few kB
    data = bomb.compress(b'{"salt": "s", "entries": {"a": "') + bomb.compress(b" " * (1 << 24)) + bomb.compress(b'"}}')
    (tmp_path / "t.json.z").write_bytes(data + bomb.flush())
    assert Memo(tmp_path, "s").get("t", "a") is not None  # under the cap: read
    monkeypatch.setattr(MEMO_MODULE, "MAX_TABLE", 1 << 20)
    assert Memo(tmp_path, "s").get("t", "a") is None  # past it: a miss, never expanded whole


def test_a_blob_is_made_once_and_dropped_when_no_build_uses_it(tmp_path):
    made = []

    def make(data: bytes):
        def _make() -> bytes:
            made.append(data)
            return data

        return _make

    memo = Memo(tmp_path, "s")
    assert memo.blob("k1", make(b"one")) == b"one"
    assert memo.blob("k2", make(b"two")) == b"two"
    memo.save()
    again = Memo(tmp_path, "s")
    assert again.blob("k1", make(b"other")) == b"one"  # not made again
    again.save()
    assert made == [b"one", b"two"]
    assert len(list((tmp_path / BLOBS).iterdir())) == 1  # k2's blob went with its last use
    assert Memo(tmp_path, "t").blob("k1", make(b"new")) == b"new"  # another salt: drawn anew


def test_a_memo_without_a_folder_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    memo = Memo()
    memo.put("t", "a", 1)
    assert memo.get("t", "a") == 1
    assert memo.blob("k", lambda: b"x") == b"x"
    memo.save()
    assert list(tmp_path.iterdir()) == []


def test_digest_is_stable_and_tells_inputs_apart():
    assert digest("fig", [1, 2], {"b": 1, "a": 2}) == digest("fig", [1, 2], {"a": 2, "b": 1})
    assert digest("fig", [1, 2]) != digest("fig", [2, 1])
    assert digest("fig", "zh") != digest("fig", "en")


def _report(out):
    folder = out / ".current"
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted((folder / "tables").iterdir())}
    files.update({p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted((folder / "figures").iterdir())})
    for name in ("report.md", "reuse.html"):
        files[name] = (folder / name).read_bytes()
    return files


def test_a_rebuild_redraws_only_the_figures_whose_rows_changed(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus, ignore=shutil.ignore_patterns("README.md"))
    out = tmp_path / "out"
    build([corpus], out, cache=out / ".cache")
    blobs = out / ".cache" / MEMO / BLOBS
    planted = {}
    for f in blobs.iterdir():  # every figure kept: marked, so a figure taken from the memo shows
        planted[f.name] = b"planted " + f.name.encode()
        f.write_bytes(planted[f.name])

    # one responsibility moves to a body of another function: the load figures change,
    # the citation network and the targets do not
    doc = corpus / "002_01e619eeb8aaf6f0.txt"
    text = doc.read_text(encoding="utf-8")
    assert "市财政局" in text
    doc.write_text(text.replace("市财政局", "市卫生健康委", 1), encoding="utf-8")
    build([corpus], out, cache=out / ".cache")
    rebuilt = _report(out)

    fresh = tmp_path / "fresh"
    build([corpus], fresh)  # no cache, no memo: everything made anew
    expected = _report(fresh)

    figures = [name for name in expected if name.startswith("figures/")]
    served = {name for name in figures if rebuilt[name].startswith(b"planted ")}
    redrawn = {name for name in figures if rebuilt[name] == expected[name]}
    assert served | redrawn == set(figures)
    assert {"figures/load_bars.png", "figures/load_heatmap.png"} <= redrawn  # their rows changed
    assert "figures/citations.png" in served  # its rows did not: not drawn again
    assert all(expected[name] == rebuilt[name] for name in expected if not name.startswith("figures/"))
    assert rebuilt["report.md"] == expected["report.md"]  # the findings too

    # the same graph analysed again: every code, centrality and figure is read back
    memo = Memo(out / ".cache" / MEMO, memo_salt())
    again = analyze(OxigraphSource.open(out / "graph.oxigraph"), memo=memo)
    assert memo.hits and not memo.misses
    assert {t.name: t.to_csv() for t in again.tables} == {
        name[len("tables/") : -len(".csv")]: data.decode("utf-8")
        for name, data in expected.items()
        if name.startswith("tables/")
    }


def test_a_memo_that_cannot_be_written_costs_no_build(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "seeds" / "000_e8f3e4b4799b6f54.txt", corpus)
    out = tmp_path / "out"
    (out / ".cache").mkdir(parents=True)
    (out / ".cache" / MEMO).write_text("a file where the memo's folder should be")
    result = build([corpus], out, cache=out / ".cache")
    assert not result.errors and (out / "report.html").is_file() and (out / "graph.nt").is_file()
    result = build([corpus], out, cache=out / ".cache")  # and again: the outputs stand
    assert not result.errors and (out / "report.html").is_file()


_SOURCE = "（一）深化产教融合。推动职业院校与行业企业共建产业学院，建设一批高水平专业化产教融合实训基地，支持企业参与人才培养全过程。"
_MEASURES = [
    MeasureText("m:a1", "1", "d:a", "a", "甲市方案", "甲市", 100, _SOURCE),
    MeasureText("m:b1", "1", "d:b", "b", "乙市方案", "乙市", 40, "（二）" + _SOURCE[4:-10] + "加快建设。"),
    MeasureText(
        "m:c1", "1", "d:c", "c", "丙市方案", "丙市", 7, "（三）完善经费投入机制，落实生均拨款制度，鼓励社会力量捐资。"
    ),
]
_PARTNERS = {"m:a1": ["m:b1", "m:c1"], "m:b1": ["m:a1"], "m:c1": ["m:a1"]}


def _reuse_rows(memo):
    found = R.find_reuse(list(_MEASURES), partners=_PARTNERS, memo=memo)
    return [(r.measure.measure, r.source.measure if r.source else None, r.scope, r.alignment) for r in found]


def _codes(memo):
    return [(c.tools, c.stakeholders) for c in P.code_measures(list(_MEASURES), memo=memo)]


def test_entries_of_another_shape_are_misses_and_change_no_answer(tmp_path):
    expected_reuse, expected_codes = _reuse_rows(None), _codes(None)
    memo = Memo(tmp_path, "s")
    assert _reuse_rows(memo) == expected_reuse and _codes(memo) == expected_codes
    memo.save()
    assert any(r[1] for r in expected_reuse)  # something is copied: the memo holds real alignments
    again = Memo(tmp_path, "s")
    assert _reuse_rows(again) == expected_reuse and _codes(again) == expected_codes
    assert again.hits and not again.misses  # every alignment and code read back, none made again

    # every entry replaced by a value of the wrong shape, as a damaged or planted file would hold
    for junk in (
        "text",
        7,
        [1],
        [9, [], 0, 0],
        [-1, [], 0, 0],
        [0, [["a", 1, 2, 3]], 1, 2],
        {"a": 1},
        [[["x"]]],
        1e400,
        [0, [[1e400, 1, 2, 3]], 1, 2],
        [[["t", "g", 1e400, 1, "w"]], []],
    ):
        for table in (R.ALIGNMENTS, P.POLICY_CODES):
            entries = Memo(tmp_path, "s")._table(table)
            payload = {"salt": "s", "entries": dict.fromkeys(entries, junk)}
            (tmp_path / f"{table}.json.z").write_bytes(zlib.compress(json.dumps(payload).encode()))
        planted = Memo(tmp_path, "s")
        assert _reuse_rows(planted) == expected_reuse, junk
        assert _codes(planted) == expected_codes, junk
