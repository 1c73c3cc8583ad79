"""Parallel and incremental builds: the same outputs, byte for byte, as a serial build
from scratch; a rebuild after one change re-extracts that one document."""
from __future__ import annotations

import shutil

import pytest

from kg import cache as cache_module
from kg.corpus.build import MIN_PARALLEL, build

from conftest import ROOT, SEEDS

OUTPUTS = ("documents.json", "extractions.jsonl", "graph.nt", "graph.ttl")


@pytest.fixture
def corpus(tmp_path):
    src = tmp_path / "corpus"
    src.mkdir()
    for f in list(SEEDS.glob("*.txt")) + list((ROOT / "tests" / "fixtures").glob("*.txt")):
        shutil.copy(f, src / f.name)
    for f in SEEDS.glob("*.txt"):  # more documents than the pool's threshold
        shutil.copy(f, src / f"copy_{f.name}")
    assert len(list(src.iterdir())) >= MIN_PARALLEL
    return src


def read_outputs(folder):
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


def test_parallel_build_writes_the_same_bytes_as_serial(corpus, tmp_path):
    serial = build([corpus], tmp_path / "serial", jobs=1, views=False)
    parallel = build([corpus], tmp_path / "parallel", jobs=2, views=False)
    assert serial.ok and parallel.ok
    assert read_outputs(tmp_path / "serial") == read_outputs(tmp_path / "parallel")


def test_rebuild_after_one_change_reextracts_one_document(corpus, tmp_path):
    cache = tmp_path / "cache"
    first = build([corpus], tmp_path / "a", cache=cache, views=False)
    n = len(first.parsed)
    assert (first.cache_hits, first.cache_misses) == (0, n)
    changed = corpus / "003_a200c70846c33ef2.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n（十七）新增措施。内容。（责任单位：市教委）\n",
                       encoding="utf-8")
    again = build([corpus], tmp_path / "b", cache=cache, views=False)
    assert (again.cache_hits, again.cache_misses) == (n - 1, 1)
    fresh = build([corpus], tmp_path / "c", views=False)  # no cache at all
    assert fresh.ok
    assert read_outputs(tmp_path / "b") == read_outputs(tmp_path / "c")


def test_a_moved_file_is_served_from_the_cache_a_renamed_one_is_not(corpus, tmp_path):
    cache = tmp_path / "cache"
    build([corpus], None, cache=cache)
    (corpus / "sub").mkdir()
    (corpus / "002_01e619eeb8aaf6f0.txt").rename(corpus / "sub" / "002_01e619eeb8aaf6f0.txt")
    (corpus / "001_4a76b483e918d52f.txt").rename(corpus / "anyang.txt")  # a new document id
    again = build([corpus], None, cache=cache)
    assert again.cache_misses == 1
    by_id = {p.document.doc_id: p.document.path for p in again.parsed}
    assert "anyang" in by_id and by_id["002_01e619eeb8aaf6f0"].endswith("sub/002_01e619eeb8aaf6f0.txt")


def test_a_changed_extractor_invalidates_the_cache(corpus, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    build([corpus], None, cache=cache)
    monkeypatch.setattr(cache_module, "fingerprint", lambda: "another extractor")
    again = build([corpus], None, cache=cache)
    assert again.cache_hits == 0 and again.cache_misses == len(again.parsed)


def test_a_damaged_cache_entry_is_a_miss(corpus, tmp_path):
    cache = tmp_path / "cache"
    build([corpus], None, cache=cache)
    for entry in cache.glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    again = build([corpus], None, cache=cache)
    assert again.ok and again.cache_hits == 0


def test_large_build_streams_to_an_oxigraph_store_and_reports_from_it(corpus, tmp_path):
    """Past KEEP_LIMIT documents (forced here with keep=False) nothing is held in memory:
    the graph goes to graph.nt and an on-disk Oxigraph store, and the report reads the
    store — with the same tables as the in-memory graph of the same documents."""
    from kg import analytics as A
    from kg.analytics.source import OxigraphSource

    small = build([corpus], tmp_path / "small", views=False)
    large = build([corpus], tmp_path / "large", jobs=2, keep=False)
    assert large.ok and not large.extractions and large.graph is None
    assert large.store == tmp_path / "large" / "graph.oxigraph" and large.store.is_dir()
    assert (tmp_path / "large" / "report.html").exists() and not (tmp_path / "large" / "graph.ttl").exists()
    assert (tmp_path / "small" / "graph.nt").read_bytes() == (tmp_path / "large" / "graph.nt").read_bytes()
    assert large.triples == small.triples == len(small.graph)
    store = OxigraphSource.open(large.store)
    for table in (A.load_by_function_region, A.citation_ranking, A.most_cited, A.lead_share):
        assert table(store) == table(small.graph), table.__name__
    assert A.diffusion_links(store) == A.diffusion_links(small.graph)


def large_build(corpus, out, **kw):
    """A build as past KEEP_LIMIT documents: records and graph streamed, an Oxigraph store."""
    return build([corpus], out, keep=False, jobs=2, views=False, **kw)


def store_quads(folder):
    import pyoxigraph as ox

    return set(ox.Store.read_only(str(folder)))


def change_corpus(corpus):
    """One document edited (its 文号 is shared by a copy: the two share its nodes), one
    removed, one added, one moved (the same cache key under another path)."""
    changed = corpus / "003_a200c70846c33ef2.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n（十七）新增措施。内容。（责任单位：市教委）\n",
                       encoding="utf-8")
    (corpus / "copy_001_4a76b483e918d52f.txt").unlink()
    shutil.copy(SEEDS / "002_01e619eeb8aaf6f0.txt", corpus / "added.txt")
    (corpus / "sub").mkdir()
    (corpus / "001_4a76b483e918d52f.txt").rename(corpus / "sub" / "001_4a76b483e918d52f.txt")


def test_large_rebuild_copies_unchanged_outputs_and_updates_the_store_in_place(corpus, tmp_path):
    import os

    out = tmp_path / "b"
    first = large_build(corpus, out, cache=out / ".cache")
    assert first.ok and first.store is not None
    inode = os.stat(first.store).st_ino
    change_corpus(corpus)
    again = large_build(corpus, out, cache=out / ".cache")
    assert again.ok and again.cache_misses == 2  # the edited and the added file
    fresh = large_build(corpus, tmp_path / "c")  # from scratch, no cache
    for name in ("documents.json", "extractions.jsonl", "graph.nt"):
        assert (out / name).read_bytes() == (tmp_path / "c" / name).read_bytes(), name
    assert os.stat(again.store).st_ino == inode  # updated, not reloaded
    quads = store_quads(again.store)
    assert quads == store_quads(fresh.store)
    assert again.triples == fresh.triples == len(quads)


def test_a_store_left_mid_update_is_reloaded(corpus, tmp_path):
    """The outputs are still copied from the previous build, and streamed to a new store."""
    from kg.corpus.incremental import UPDATING

    out = tmp_path / "b"
    large_build(corpus, out, cache=out / ".cache")
    (out / UPDATING).touch()  # as a build killed while changing the store leaves it
    change_corpus(corpus)
    again = large_build(corpus, out, cache=out / ".cache")
    fresh = large_build(corpus, tmp_path / "c")
    assert again.ok and not (out / UPDATING).exists()
    assert (out / "graph.nt").read_bytes() == (tmp_path / "c" / "graph.nt").read_bytes()
    assert store_quads(again.store) == store_quads(fresh.store)


def test_outputs_edited_since_the_last_build_are_not_copied(corpus, tmp_path):
    out = tmp_path / "b"
    large_build(corpus, out, cache=out / ".cache")
    with open(out / "graph.nt", "a", encoding="utf-8") as fh:
        fh.write("<urn:x> <urn:y> <urn:z> .\n")
    change_corpus(corpus)
    again = large_build(corpus, out, cache=out / ".cache")
    fresh = large_build(corpus, tmp_path / "c")
    # a large build caches heads only (its outputs hold the texts): every document is redone
    assert again.ok and again.cache_misses == again.documents
    for name in ("extractions.jsonl", "graph.nt"):
        assert (out / name).read_bytes() == (tmp_path / "c" / name).read_bytes(), name
    assert store_quads(again.store) == store_quads(fresh.store)


def test_a_large_build_killed_midway_leaves_whole_files_and_a_sound_next_build(corpus, tmp_path):
    """SIGKILL a large incremental build (records, graph, store loading or in-place update)
    at several points: every file is the old or the new one, never partial, and the next
    build's files and store equal a build from scratch."""
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "b"
    large_build(corpus, out, cache=out / ".cache")
    names = ("documents.json", "extractions.jsonl", "graph.nt")
    before = {n: (out / n).read_bytes() for n in names}
    change_corpus(corpus)
    fresh = large_build(corpus, tmp_path / "c")
    after = {n: (tmp_path / "c" / n).read_bytes() for n in names}
    script = (f"from kg.corpus.build import build; build([{str(corpus)!r}], {str(out)!r}, keep=False, jobs=2, "
              f"views=False, cache={str(out / '.cache')!r})")
    for delay in (0.3, 1.0, 2.0, 3.5):
        proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for n in names:
            assert (out / n).read_bytes() in (before[n], after[n]), (delay, n)
    again = large_build(corpus, out, cache=out / ".cache")
    assert again.ok and not list(out.glob(".*.tmp")) and not list(out.glob(".graph.oxigraph.*"))
    for n in names:
        assert (out / n).read_bytes() == after[n], n
    assert store_quads(again.store) == store_quads(fresh.store)
