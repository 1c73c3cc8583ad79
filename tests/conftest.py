"""Shared fixtures: the shipped seeds, the gold annotations, and a document writer."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT.parent / "shared" / "gold"


@pytest.fixture
def write_doc(tmp_path):
    """Write ``text`` to a file in ``encoding`` (or raw bytes) and return its path."""

    def _write(text: str | bytes, name: str = "doc.txt", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
        return path

    return _write


@pytest.fixture(scope="session")
def gold() -> dict[str, dict]:
    if not GOLD.is_dir():
        pytest.skip("../shared/gold not present")
    return {f.stem: json.loads(f.read_text(encoding="utf-8")) for f in GOLD.glob("*.json")}


def run_cli(*args: str, cwd: Path = ROOT):
    """Run ``python -m kg`` as a user would; returns the CompletedProcess."""
    import subprocess

    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def seed_graph_dir(tmp_path_factory) -> Path:
    """The seeds built once per test session with ``vetkg build`` (graph.ttl, graph.nt …)."""
    from kg.corpus.build import build

    out = tmp_path_factory.mktemp("seed-build")
    result = build([SEEDS], out, graph_formats=("ttl", "nt", "jsonld"))
    assert result.ok, result.errors
    return out


@pytest.fixture(scope="session")
def seed_graph(seed_graph_dir):
    import rdflib

    g = rdflib.Graph()
    g.parse(seed_graph_dir / "graph.nt", format="nt")
    return g


SCORED_LISTS = ("measures", "departments", "institutions", "programs", "cited_documents",
                "responsible_for", "indicators", "supports")


def seed_scores(folder) -> tuple[dict, dict]:
    """Micro F1 of every list, and the metadata counts, of the documents in ``folder``
    scored against the seeds' gold (documents matched by file stem)."""
    from kg.evaluation.annotation import as_annotation
    from kg.corpus.build import build
    from kg.evaluation.scoring import evaluate

    if not GOLD.is_dir():
        pytest.skip("../shared/gold not present")
    gold = {f.stem: json.loads(f.read_text(encoding="utf-8")) for f in GOLD.glob("*.json")}
    result = build([folder])
    report = evaluate(gold, {e.document.doc_id: as_annotation(e) for e in result.extractions})
    assert len(report.documents) == len(gold), report.unmatched_gold
    return {k: report.micro[k].to_json()["f1"] for k in SCORED_LISTS}, report.metadata
