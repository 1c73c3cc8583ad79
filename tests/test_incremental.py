"""Parallel and incremental builds: the same outputs, byte for byte, as a serial build
from scratch; a rebuild after one change re-extracts that one document, updates the
store in place and redraws the views only when the graph changed."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT, SEEDS

from kg.corpus import cache as cache_module
from kg.corpus.build import MIN_PARALLEL, VIEWS_STAMP, build
from kg.corpus.graph import build_graph

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
    serial = build([corpus], tmp_path / "serial", jobs=1, views=False, graph_formats=["ttl"])
    parallel = build([corpus], tmp_path / "parallel", jobs=2, views=False, graph_formats=["ttl"])
    assert serial.ok and parallel.ok
    assert read_outputs(tmp_path / "serial") == read_outputs(tmp_path / "parallel")


@pytest.mark.parametrize("keep", [True, False])
def test_rebuild_after_one_change_reextracts_one_document(corpus, tmp_path, keep):
    """With the records kept (kg.build's default) the cache holds them, and a build into
    another folder reuses them; without (the default, `vetkg build`), the cache holds
    heads and the rebuild of the same folder copies the unchanged documents' bytes."""
    cache = tmp_path / "cache"
    first = build([corpus], tmp_path / "a", cache=cache, views=False, graph_formats=["ttl"], keep=keep)
    n = first.documents
    assert n == len(list(corpus.iterdir())) and (first.cache_hits, first.cache_misses) == (0, n)
    changed = corpus / "003_a200c70846c33ef2.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n（十七）新增措施。内容。（责任单位：市教委）\n", encoding="utf-8"
    )
    target = tmp_path / ("b" if keep else "a")
    again = build([corpus], target, cache=cache, views=False, graph_formats=["ttl"], keep=keep)
    assert (again.cache_hits, again.cache_misses) == (n - 1, 1)
    assert len(again.extractions) == (n if keep else 0)
    fresh = build([corpus], tmp_path / "c", views=False, graph_formats=["ttl"])  # no cache at all
    assert fresh.ok
    assert read_outputs(target) == read_outputs(tmp_path / "c")


def test_a_moved_file_is_served_from_the_cache_a_renamed_one_is_not(corpus, tmp_path):
    cache = tmp_path / "cache"
    build([corpus], None, cache=cache, keep=True)  # records kept: the cache holds them
    (corpus / "sub").mkdir()
    (corpus / "002_01e619eeb8aaf6f0.txt").rename(corpus / "sub" / "002_01e619eeb8aaf6f0.txt")
    (corpus / "001_4a76b483e918d52f.txt").rename(corpus / "anyang.txt")  # a new document id
    again = build([corpus], None, cache=cache, keep=True)
    assert again.cache_misses == 1
    by_id = {p.document.doc_id: p.document.path for p in again.parsed}
    assert "anyang" in by_id and by_id["002_01e619eeb8aaf6f0"].endswith("sub/002_01e619eeb8aaf6f0.txt")


def test_a_changed_extractor_invalidates_the_cache(corpus, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    build([corpus], None, cache=cache, keep=True)
    monkeypatch.setattr(cache_module, "fingerprint", lambda: "another extractor")
    again = build([corpus], None, cache=cache, keep=True)
    assert again.cache_hits == 0 and again.cache_misses == len(again.parsed) == again.documents


def test_a_damaged_cache_entry_is_a_miss(corpus, tmp_path):
    cache = tmp_path / "cache"
    build([corpus], None, cache=cache, keep=True)
    assert build([corpus], None, cache=cache, keep=True).cache_misses == 0
    for entry in cache.glob("*.head"):  # (the heads: the texts are read only with them)
        entry.write_bytes(b"not an entry")
    again = build([corpus], None, cache=cache, keep=True)
    assert again.ok and again.cache_hits == 0


def test_every_build_streams_to_an_oxigraph_store_and_reports_from_it(corpus, tmp_path):
    """Whatever the size, a build (keep=False by default: nothing held in memory) writes
    graph.nt and an on-disk Oxigraph store, and the report reads the store — with the same
    tables as the in-memory graph of the same documents' kept records."""
    import json

    from kg import analytics as A
    from kg.analytics.source import OxigraphSource
    from kg.corpus.incremental import MANIFEST

    kept = build([corpus], tmp_path / "kept", views=False, keep=True)
    streamed = build([corpus], tmp_path / "streamed", jobs=2)
    assert kept.extractions and len(kept.parsed) == kept.documents
    assert streamed.ok and not streamed.extractions and not streamed.parsed
    assert not hasattr(streamed, "graph")
    assert streamed.store == tmp_path / "streamed" / "graph.oxigraph" and streamed.store.is_dir()
    assert kept.store == tmp_path / "kept" / "graph.oxigraph"
    out = tmp_path / "streamed"
    assert (out / "report.html").exists() and (out / "graph.html").exists()
    assert not (out / "graph.ttl").exists() and not (out / "graph.jsonld").exists()
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["store"] and manifest["digest"] == streamed.digest == kept.digest
    assert (tmp_path / "kept" / "graph.nt").read_bytes() == (out / "graph.nt").read_bytes()
    memory = build_graph(kept.extractions, diffusion=True)
    assert streamed.triples == kept.triples == len(memory)
    store = OxigraphSource.open(streamed.store)
    for table in (A.load_by_function_region, A.citation_ranking, A.most_cited, A.lead_share):
        assert table(store) == table(memory), table.__name__
    assert A.diffusion_links(store) == A.diffusion_links(memory)


def test_views_are_redrawn_only_when_the_graph_changed(tmp_path):
    src = tmp_path / "corpus"
    src.mkdir()
    for f in SEEDS.glob("*.txt"):
        shutil.copy(f, src / f.name)
    out = tmp_path / "out"
    views = [out / "report.html", out / "graph.html"]

    def mtimes():
        return [p.stat().st_mtime_ns for p in views]

    first = build([src], out, cache=out / ".cache")
    assert first.ok and first.digest and all(p in first.outputs for p in views)
    drawn = mtimes()
    same = build([src], out, cache=out / ".cache")  # nothing changed
    assert same.digest == first.digest and same.cache_hits == same.documents
    assert mtimes() == drawn  # not redrawn
    assert all(p in same.outputs for p in views)
    changed = src / "003_a200c70846c33ef2.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n（十七）新增措施。内容。（责任单位：市教委）\n", encoding="utf-8"
    )
    again = build([src], out, cache=out / ".cache")
    assert again.ok and again.digest != first.digest and again.cache_misses == 1
    now = mtimes()
    assert all(b > a for a, b in zip(drawn, now))  # both redrawn
    assert again.measures == first.measures + 1
    assert f"{VIEWS_STAMP}" and again.digest in (out / VIEWS_STAMP).read_text(encoding="utf-8")
    # removing a view makes the next build draw it again, though the graph is the same
    (out / "graph.html").unlink()
    build([src], out, cache=out / ".cache")
    assert (out / "graph.html").is_file() and (out / "report.html").stat().st_mtime_ns >= now[0]


def large_build(corpus, out, **kw):
    """A build as a large corpus runs it: records and graph streamed, nothing kept,
    the Oxigraph store loaded while graph.nt is written (or updated in place)."""
    return build([corpus], out, keep=False, jobs=2, views=False, **kw)


def store_quads(folder):
    import pyoxigraph as ox

    return set(ox.Store.read_only(str(folder)))


def change_corpus(corpus):
    """One document edited (its 文号 is shared by a copy: the two share its nodes), one
    removed, one added, one moved (the same cache key under another path)."""
    changed = corpus / "003_a200c70846c33ef2.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n（十七）新增措施。内容。（责任单位：市教委）\n", encoding="utf-8"
    )
    (corpus / "copy_001_4a76b483e918d52f.txt").unlink()
    shutil.copy(SEEDS / "002_01e619eeb8aaf6f0.txt", corpus / "added.txt")
    (corpus / "sub").mkdir()
    (corpus / "001_4a76b483e918d52f.txt").rename(corpus / "sub" / "001_4a76b483e918d52f.txt")


def test_large_rebuild_copies_unchanged_outputs_and_updates_the_store_in_place(corpus, tmp_path):
    out = tmp_path / "b"
    from kg.corpus.incremental import current_folder

    first = large_build(corpus, out, cache=out / ".cache")
    assert first.ok and first.store is not None
    tables = {p.stat().st_ino for p in first.store.glob("*.sst")}  # RocksDB's table files
    assert tables
    first_set = current_folder(out)
    change_corpus(corpus)
    again = large_build(corpus, out, cache=out / ".cache")
    assert again.ok and again.cache_misses == 2  # the edited and the added file
    fresh = large_build(corpus, tmp_path / "c")  # from scratch, no cache
    for name in ("documents.json", "extractions.jsonl", "graph.nt"):
        assert (out / name).read_bytes() == (tmp_path / "c" / name).read_bytes(), name
    # updated, not reloaded: the new set's store is a copy of the previous one (its table
    # files hard-linked) with the changes applied; the previous set's store went with it
    assert current_folder(out) != first_set and not first_set.exists()
    assert tables & {p.stat().st_ino for p in again.store.glob("*.sst")}
    quads = store_quads(again.store)
    assert quads == store_quads(fresh.store)
    assert again.triples == fresh.triples == len(quads)


def test_a_store_left_mid_update_is_reloaded(corpus, tmp_path):
    """The outputs are still copied from the previous build, and streamed to a new store."""
    from kg.corpus.incremental import UPDATING, current_folder

    out = tmp_path / "b"
    large_build(corpus, out, cache=out / ".cache")
    (current_folder(out) / UPDATING).touch()  # as a store changed in place and cut short leaves it
    change_corpus(corpus)
    again = large_build(corpus, out, cache=out / ".cache")
    fresh = large_build(corpus, tmp_path / "c")
    assert again.ok and not (current_folder(out) / UPDATING).exists()
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


def _fresh(out, name):
    """``name`` in a generation folder of ``out`` that is not (yet) the current one."""
    import os

    current = os.readlink(out / ".current")
    return [g / name for g in out.glob(".gen/*") if g.name != os.path.basename(current) and (g / name).exists()]


def test_a_large_build_killed_midway_leaves_whole_files_and_a_sound_next_build(corpus, tmp_path):
    """SIGKILL an incremental build in each phase it shows from outside (outputs being
    written, the store being updated, the commit under way, just committed): every file is
    the old or the new one, never partial; the build's workers and store loader die with
    it; and the next build's files and store equal a build from scratch."""
    import signal
    import subprocess
    import sys

    import psutil
    from conftest import wait_until

    out = tmp_path / "b"
    large_build(corpus, out, cache=out / ".cache")
    names = ("documents.json", "extractions.jsonl", "graph.nt")
    before = {n: (out / n).read_bytes() for n in names}
    change_corpus(corpus)
    fresh = large_build(corpus, tmp_path / "c")
    after = {n: (tmp_path / "c" / n).read_bytes() for n in names}
    script = (
        f"from kg.corpus.build import build; build([{str(corpus)!r}], {str(out)!r}, keep=False, jobs=2, "
        f"views=False, cache={str(out / '.cache')!r})"
    )
    committed = (out / "documents.json").stat().st_ino
    # the build writes its set in a new generation folder (DIR/.gen/<n>/), then switches to it
    phases = {
        "writing": lambda: any(f.stat().st_size > 0 for f in out.glob(".gen/*/.*.tmp")),
        "store": lambda: any(out.glob(".gen/*/.graph.oxigraph.*")) or any(_fresh(out, "graph.oxigraph")),
        "commit": lambda: any(_fresh(out, ".vetkg-manifest.json")),
        "committed": lambda: (out / "documents.json").stat().st_ino != committed,
    }
    for phase, reached in phases.items():
        proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
        wait_until(reached, proc)
        children = psutil.Process(proc.pid).children(recursive=True) if proc.poll() is None else []
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _gone, alive = psutil.wait_procs(children, timeout=30)
        assert not alive, (phase, "processes outlived the killed build", alive)
        for n in names:
            assert (out / n).read_bytes() in (before[n], after[n]), (phase, n)
        committed = (out / "documents.json").stat().st_ino
    again = large_build(corpus, out, cache=out / ".cache")
    assert again.ok and not list(out.rglob("*.tmp")) and not list(out.rglob(".graph.oxigraph.*"))
    assert len(list(out.glob(".gen/*"))) == 1
    for n in names:
        assert (out / n).read_bytes() == after[n], n
    assert store_quads(again.store) == store_quads(fresh.store)
