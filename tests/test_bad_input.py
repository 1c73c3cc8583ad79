"""Bad input, proven: a corpus of hostile files where every file gets a clear error or a
correct build and one never sinks the others; random outline-shaped text through every
stage (hypothesis); a build killed with SIGKILL leaves the previous outputs whole."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys

import pyoxigraph
import pytest
from conftest import ROOT, SEEDS, wait_until
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.core.model import Document
from kg.core.textview import normalize
from kg.corpus.build import build
from kg.corpus.graph import build_graph
from kg.extraction import extract
from kg.parsing import parse
from kg.rdf.mapping import serialize
from kg.reading.reader import MAX_CHARS

SEED_TEXT = (SEEDS / "002_01e619eeb8aaf6f0.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    (d / "empty.txt").write_bytes(b"")
    (d / "spaces.txt").write_text("   \n\t\n  ")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (d / "utf16_no_bom.txt").write_bytes(SEED_TEXT.encode("utf-16-le"))
    damaged = bytearray(SEED_TEXT.encode("gbk", errors="replace"))
    rnd = random.Random(1)
    for i in range(0, len(damaged), 7):
        damaged[i] = rnd.randrange(1, 256)
    (d / "gbk_damaged.txt").write_bytes(bytes(damaged))
    (d / "unbalanced.txt").write_text("《（【一、（一）" * 2000 + SEED_TEXT)
    (d / "twenty_mb.txt").write_text(SEED_TEXT * (20_000_000 // len(SEED_TEXT.encode())))
    (d / "long_line.txt").write_text("为推动发展" + "职业教育产教融合" * 130_000)
    (d / "nested.html").write_text("<div>" * 10_000 + "某市方案" + "</div>" * 10_000)
    (d / "nul.txt").write_bytes(b"abc\x00def" * 100)
    os.symlink("loop", d / "loop")
    (d / "名字 有 空格.txt").write_text(SEED_TEXT)
    (d / "script.txt").write_text(SEED_TEXT.replace("（一）", '（一）<script>alert(1)</script>"onmouseover="x" \'', 1))
    return d


def test_every_hostile_file_gets_a_clear_error_or_a_correct_build(hostile, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(hostile), "--out", str(tmp_path / "out"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 1  # some inputs failed, the rest were built
    assert "Traceback" not in proc.stderr
    expected_errors = {
        "empty.txt": "empty file",
        "spaces.txt": "empty file",
        "binary.txt": "cannot decode",
        "gbk_damaged.txt": "",
        "twenty_mb.txt": f"over the {MAX_CHARS:,} limit",
        "nul.txt": "binary file",
        "loop": "symbolic link",
    }
    for name, reason in expected_errors.items():
        line = next((ln for ln in proc.stderr.splitlines() if f"{name}:" in ln and "error" in ln), None)
        assert line is not None and reason in line, (name, proc.stderr)
    docs = json.loads((tmp_path / "out" / "documents.json").read_text(encoding="utf-8"))
    built = {d["doc_id"] for d in docs}
    assert {"utf16_no_bom", "unbalanced", "long_line", "nested", "名字 有 空格", "script"} <= built
    utf16 = next(d for d in docs if d["doc_id"] == "utf16_no_bom")
    assert utf16["encoding"] == "utf-16-le" and len(utf16["measures"]) == 29
    store = pyoxigraph.Store()
    store.load(path=str(tmp_path / "out" / "graph.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert len(store) > 1000


ALPHABET = st.sampled_from(
    [
        *"一二三四五六七八九十（）()【】《》〔〕“”、，。；：\n 0123456789%",  # single characters
        "一、",
        "（一）",
        "1.",
        "第一条",
        "责任单位：",
        "牵头",
        "负责",
        "市教育局",
        "县人社局",
        "职业学校",
        "学院",
        "有限公司",
        "计划",
        "工程",
        "试点",
        "支持",
        "达到",
        "以上",
        "不低于",
        "国办发〔2017〕95号",
        "到2025年",
        "实施方案",
        "关于",
        "的通知",
        "某市",
        "产教融合",
        "双师型",
        "<script>",
        '"',
        "'",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ALPHABET, min_size=1, max_size=300).map("".join))
def test_random_outline_text_goes_through_every_stage(text):
    doc = Document(doc_id="fuzz", path="<fuzz>", text=text, encoding="utf-8", format="txt", checksum="0" * 40)
    from kg.reading.unwrap import soft_breaks

    doc.soft_breaks = soft_breaks(text)
    ex = extract(parse(doc), keywords=False)
    for m in ex.mentions:
        assert 0 <= m.span.start <= m.span.end <= len(text)
        assert 0 <= m.sentence.start <= m.sentence.end <= len(text)
        surface = normalize(doc.surface(m.span))
        assert all(ch in surface for ch in normalize(m.name) if not ch.isspace() and ch not in "“”\"'《》"), (
            m.name,
            surface,
        )
    for r in ex.relations:
        assert 0 <= r.evidence.start <= r.evidence.end <= len(text)
    for measure in ex.parsed.measures:
        assert measure.span.start <= measure.heading.start <= measure.heading.end <= measure.span.end <= len(text)
    nt = serialize(build_graph([ex]), "nt")
    store = pyoxigraph.Store()
    store.load(nt.encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)


def _new_tmp(out, before: set):
    """Temporary output files (``.<name>.*.tmp``, in the generation folder the build
    writes, ``DIR/.gen/<n>/``) that were not there before the run."""
    return [p for p in out.glob(".gen/*/.*.tmp") if str(p) not in before]


def test_a_killed_build_leaves_the_previous_outputs_whole(tmp_path):
    big = tmp_path / "big"
    big.mkdir()
    for i in range(8):
        for f in SEEDS.glob("*.txt"):
            shutil.copy(f, big / f"{i}_{f.name}")
    out = tmp_path / "out"
    assert build([SEEDS], out, views=False, graph_formats=("ttl",)).ok
    names = ("documents.json", "extractions.jsonl", "graph.nt", "graph.ttl")
    old = {n: (out / n).read_bytes() for n in names}
    reference = tmp_path / "reference"
    assert build([big], reference, views=False, graph_formats=("ttl",)).ok
    new = {n: (reference / n).read_bytes() for n in names}

    # Each phase is a condition observed from outside the process, not a guessed delay.
    phases = {
        "at start": lambda before, inode: True,
        "outputs opened": lambda before, inode: bool(_new_tmp(out, before)),
        # (the files are buffered by the MiB: a non-empty one is part-way through the corpus)
        "outputs part-written": lambda before, inode: any(p.stat().st_size > 0 for p in _new_tmp(out, before)),
        "first output replaced": lambda before, inode: (out / "documents.json").stat().st_ino != inode,
    }
    cmd = [sys.executable, "-m", "kg", "build", str(big), "--out", str(out)]
    cmd += ["--format", "ttl", "--no-cache", "--jobs", "1", "-q"]
    for phase, reached in phases.items():
        before = {str(p) for p in out.glob(".gen/*/.*.tmp")}
        inode = (out / "documents.json").stat().st_ino
        # its own process group: the kill takes the whole build (its store loader too), as a
        # crash would; killing only the parent would leave the loader writing on, orphaned
        proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )

        def condition(reached=reached, before=before, inode=inode):
            try:
                return reached(before, inode)
            except FileNotFoundError:  # a temporary file committed or removed while looked at
                return False

        wait_until(condition, proc)
        with contextlib.suppress(ProcessLookupError):  # (the build had ended, children and all)
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        for n in names:
            data = (out / n).read_bytes()
            assert data in (old[n], new[n]), (phase, n)  # whole: the old file or the new one
        for n in names:  # the next build starts from whatever is there
            old[n] = (out / n).read_bytes()
    assert build([SEEDS], out, views=False, graph_formats=("ttl",)).ok
    assert not list(out.rglob("*.tmp"))  # no partial file left behind
