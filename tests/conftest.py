"""Shared fixtures: the shipped seeds, the gold annotations, and a document writer.

Also, for every test file: the `slow`, `browser` and `server` markers (registered in
setup.cfg, assigned here so the test files stay as they are; `make test-quick` deselects
them), a working tree the tests leave as they found it (Hypothesis' database goes to a
temporary folder, see ``pytest_configure``), and ``wait_until`` for tests that stop a
process in a given phase.
"""

from __future__ import annotations

import fnmatch
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from kg.evaluation.annotation import as_annotation
from kg.evaluation.scoring import ALL_LISTS
from kg.extraction import extract

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# The seeds' hand gold, carried by the repository (tests/test_gold.py keeps it equal to
# ../shared/gold/ when that is present), so no test needs ../shared to run.
GOLD = ROOT / "tests" / "gold"
SHARED_GOLD = ROOT.parent / "shared" / "gold"

# --- markers ------------------------------------------------------------------------------
# `slow`: more than about 3 s on the 2-core development machine (measured with
# `pytest --durations=0`). Each stage keeps fast tests outside `slow`: core/reading
# (test_reader, test_formats, test_wrapped, test_office), parsing (test_outline,
# test_metadata), extraction (test_extract, test_unseen_layouts), rdf (test_ontology,
# test_graph), store (test_sparql), corpus (test_incremental, test_cli, test_bad_input),
# resolution/analytics/viz (test_analytics), evaluation (test_evaluate, test_gold).
# Names are fnmatch patterns on the test name without its parameters.
SLOW_FILES = {
    "test_distributed.py",
    "test_notebooks.py",
    "test_hostile_build.py",
    "test_report_determinism.py",
    "test_untrusted_tables.py",
    "test_workbench_cycles.py",
    "test_report_markdown.py",
    "test_workbench_scale.py",
    "test_dev_floors.py",
}
# Files whose tests mostly run the CLI in subprocesses or build large corpora: all of their
# tests are slow except these (a new test there counts as slow until it is listed here).
FAST_ONLY = {
    "test_cli.py": {"test_parse_prints_metadata_and_outline_json"},
    "test_incremental.py": {
        "test_a_moved_file_is_served_from_the_cache_a_renamed_one_is_not",
        "test_a_changed_extractor_invalidates_the_cache",
        "test_a_damaged_cache_entry_is_a_miss",
    },
}
SLOW_TESTS = {
    "test_bad_input.py": {
        "test_a_killed_build_leaves_the_previous_outputs_whole",
        "test_every_hostile_file_gets_a_clear_error_or_a_correct_build",
    },
    "test_graph.py": {
        "test_same_input_builds_byte_identical_outputs_under_other_hash_seeds",
        "test_shapes_catch_a_broken_graph",
        "test_graph_conforms_to_the_shacl_shapes",
        "test_graphs_of_other_layouts_conform_too",
    },
    "test_sparql.py": {
        "test_validate_command",
        "test_missing_graph_is_a_clear_error",
        "test_cli_*",  # `vetkg query` in a subprocess, 2-5 s each
        "test_malformed_query_reports_line_and_column",
        "test_unknown_named_query_lists_the_names",
        "test_missing_parameter_is_named",
        "test_rdflib_is_no_longer_a_query_engine",
    },
    "test_analytics.py": {"test_cli_bad_input"},
    # the OWL RL closure of the ontology and a built graph (about 35 s)
    "test_ontology.py": {"test_an_owl_rl_reasoner_accepts_the_ontology_and_a_built_graph"},
    # two builds of the seeds (Chinese, then English); a generated corpus through the report
    "test_workbench_report.py": {
        "test_a_rebuild_in_english_redraws_the_report_in_english",
        "test_evidence_tables_hold_only_the_rows_shown_and_write_every_row",
    },
    # a generated corpus of 60 documents under pySHACL; the seeds built twice
    "test_identity.py": {
        "test_a_generated_corpus_conforms_to_the_shapes",
        "test_renamed_and_reordered_inputs_give_the_same_triples",
    },
    # CLI subprocesses, or a generated bomb read in a subprocess (3-15 s each)
    "test_hostile_inputs.py": {
        "test_a_named_pipe_and_a_device_are_refused_not_read",
        "test_vetkg_parse_and_build_survive_a_lone_surrogate",
        "test_a_docx_*",
    },
    # five `vetkg parse` subprocesses
    "test_cli_messages.py": {
        "test_a_file_name_with_terminal_escapes_is_echoed_escaped",
        "test_a_repeated_param_is_an_error_naming_it",
        "test_a_query_that_is_not_utf8_is_a_clear_error",
    },
    # the seeds built three times (with a memo, edited, fresh)
    "test_memo.py": {"test_a_rebuild_redraws_only_the_figures_whose_rows_changed"},
    # the seeds built once more; three `vetkg build` subprocesses
    "test_publish.py": {
        "test_every_build_writes_its_dataset_description",
        "test_a_build_reports_a_broken_invariant_and_strict_makes_it_an_error",
        "test_the_api_raises_on_a_broken_invariant_when_strict",
        "test_a_rebuild_of_the_same_graph_takes_over_its_description",
        "test_a_rebuild_checks_the_per_document_invariants_on_the_changed_documents",
        "test_a_rebuild_checks_everything_where_it_cannot_tell_what_changed",
        "test_the_corpus_part_past_the_links_holds_nothing_the_per_document_invariants_read",
    },
}
# test_sparql keeps one CLI test in the quick run.
NOT_SLOW = {"test_sparql.py": {"test_cli_query_from_file"}}
BROWSER_FILES = {"test_browser.py", "test_hostile_viz.py", "test_views_readable.py", "test_linked_data.py"}
# Tests that start an Oxigraph server process: the whole of test_server.py, and the
# notebook that serves the reader's own build.
SERVER_FILES = {"test_server.py", "test_hostile_server.py", "test_linked_data.py"}
SERVER_TESTS = {"test_notebooks.py": {"test_notebook_executes[[]04_*"}}


def _matches(name: str, patterns) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


def _is_slow(file: str, base: str) -> bool:
    if file in SLOW_FILES:
        return True
    if _matches(base, NOT_SLOW.get(file, ())):
        return False
    if file in FAST_ONLY:
        return not _matches(base, FAST_ONLY[file])
    return _matches(base, SLOW_TESTS.get(file, ()))


def pytest_collection_modifyitems(config, items):
    for item in items:
        file, base = item.path.name, getattr(item, "originalname", item.name)
        if _is_slow(file, base):
            item.add_marker(pytest.mark.slow)
        if file in BROWSER_FILES:
            item.add_marker(pytest.mark.browser)
        if file in SERVER_FILES or _matches(item.name, SERVER_TESTS.get(file, ())):
            item.add_marker(pytest.mark.server)


# --- nothing written into the working tree -------------------------------------------------
# Outside the repository, per user, kept between runs (Hypothesis replays its failures).
SCRATCH = Path(tempfile.gettempdir()) / f"vetkg-tests-{os.getuid() if hasattr(os, 'getuid') else 'user'}"


def pytest_configure(config):
    # Hypothesis keeps its example database and constants under ./.hypothesis by default.
    hypothesis_home = SCRATCH / "hypothesis"
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(hypothesis_home))  # subprocesses
    try:
        from hypothesis.configuration import set_hypothesis_home_dir
    except ImportError:
        return
    set_hypothesis_home_dir(os.environ["HYPOTHESIS_STORAGE_DIRECTORY"])


def wait_until(condition, proc=None, deadline: float = 300.0, interval: float = 0.005) -> bool:
    """Poll ``condition()`` until it holds (True), ``proc`` has ended (False) or the generous
    ``deadline`` passes (the process is killed and the test fails). For tests that stop a
    process in a given phase: wait for a sign of that phase (a file, a marker), never for
    a guessed number of seconds. A file or folder that vanishes while the condition looks
    (the build prunes an old generation) is a sign not seen yet."""
    import time

    end = time.monotonic() + deadline
    while True:
        try:
            held = condition()
        except FileNotFoundError:  # a folder the build removed while the condition looked
            held = False
        if held:
            return True
        if proc is not None and proc.poll() is not None:
            return False
        if time.monotonic() > end:
            if proc is not None:
                proc.kill()
                proc.wait()
            pytest.fail(f"no sign of the awaited phase within {deadline:.0f} s")
        time.sleep(interval)


def stop(proc, timeout: float = 15) -> None:
    """End a server or build process started by a test: politely, then for sure."""
    import subprocess

    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright (no browser download): every browser test's."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed (make browser installs Debian's chromium)")
        pytest.skip("Chromium is not installed (make browser installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--allow-file-access-from-files",
            ],
        )
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """Where browser tests save screenshots: $VETKG_SCREENSHOTS, else a temporary folder."""
    folder = os.environ.get("VETKG_SCREENSHOTS")
    return Path(folder) if folder else tmp_path_factory.mktemp("screenshots")


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
    """The seeds' gold (tests/gold/, a copy of ../shared/gold/), by file stem."""
    return {f.stem: json.loads(f.read_text(encoding="utf-8")) for f in GOLD.glob("*.json")}


def run_cli(*args: str, cwd: Path = ROOT):
    """Run ``python -m kg`` as a user would; returns the CompletedProcess."""
    import subprocess

    return subprocess.run(
        [sys.executable, "-m", "kg", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=600
    )


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


SCORED_LISTS = ALL_LISTS  # every list the scorer reports


def seed_scores(folder) -> tuple[dict, dict]:
    """Micro F1 of every list, and the metadata counts, of the documents in ``folder``
    scored against the seeds' gold (documents matched by file stem)."""
    from kg.corpus.build import build
    from kg.evaluation.annotation import as_annotation
    from kg.evaluation.scoring import evaluate

    gold = {f.stem: json.loads(f.read_text(encoding="utf-8")) for f in GOLD.glob("*.json")}
    result = build([folder], extract=True, keep=True)
    report = evaluate(gold, {e.document.doc_id: as_annotation(e) for e in result.extractions})
    assert len(report.documents) == len(gold), report.unmatched_gold
    return {k: report.micro[k].to_json()["f1"] for k in SCORED_LISTS}, report.metadata


# --- one measure per sentence, as the shape tests write them ----------------------------------
SHAPE_HEAD = "某市加强学校体育工作实施意见\n为落实有关要求，结合本市实际，提出如下意见。\n一、主要任务\n"


def annotate(write_doc, *sections: str) -> dict:
    """The annotation (gold's shape) of a document whose measures are ``sections``."""
    body = "".join(f"（{n}）{s}\n" for n, s in zip("一二三四五六七八九十", sections, strict=False))
    return as_annotation(extract(write_doc(SHAPE_HEAD + body), keywords=False))


def annotate_text(write_doc, text: str) -> dict:
    """The annotation (gold's shape) of a whole document written as ``text``."""
    return as_annotation(extract(write_doc(text), keywords=False))


def departments_of(ann: dict) -> list[tuple[str, str]]:
    """(name, function) of an annotation's departments, in order."""
    return [(d["name"], d["function"]) for d in ann["departments"]]


def institutions_of(ann: dict) -> list[tuple[str, str]]:
    """(name, kind) of an annotation's institutions, in order."""
    return [(i["name"], i["kind"]) for i in ann["institutions"]]


def names(ann: dict, lst: str) -> dict[str, str]:
    """Name → kind of one list of an annotation."""
    return {r["name"]: r["kind"] for r in ann[lst]}
