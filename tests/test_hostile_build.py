"""Hostile conditions around a build (issue 17): a planted cache entry, undecodable file
names, a worker killed by the OOM killer, two builds into one folder, a read-only folder
and a full disk, a kill while the outputs are committed, a store that cannot be loaded.
Real files, real processes, real mounts (as root); nothing mocked."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import resource
import shutil
import signal
import subprocess
import sys
import zlib
from pathlib import Path

import psutil
import pyoxigraph as ox
import pytest
from conftest import ROOT, SEEDS, wait_until

from kg.corpus.build import build

UNDECODABLE = os.fsdecode(b"\xd5\xfe\xb2\xdf.txt")  # 政策.txt in GBK, unzipped on Linux


def make_corpus(folder: Path, copies: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(copies):
        for f in sorted(SEEDS.glob("*.txt")):
            shutil.copy(f, folder / (f.name if i == 0 else f"{i}_{f.name}"))
    return folder


def vetkg(*args, preexec_fn=None, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kg", *map(str, args)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        preexec_fn=preexec_fn,
        **kw,
    )


def run_vetkg(*args, preexec_fn=None) -> subprocess.CompletedProcess:
    proc = vetkg(*args, preexec_fn=preexec_fn)
    out, err = proc.communicate(timeout=900)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def distinct_triples(nt: Path) -> int:
    store = ox.Store()
    store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    return len(store)


def source_ids(nt: Path) -> set[str]:
    store = ox.Store()
    store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    pred = ox.NamedNode("https://w3id.org/vetkg/ontology#sourceId")
    return {q.object.value for q in store.quads_for_pattern(None, pred, None)}


# --- 2: a planted cache entry -------------------------------------------------------------


class _Planted:
    """A pickle that, when loaded, writes a marker file (what an attacker's entry would do)."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (exec, (f"open({self.marker!r}, 'w').write('ran')",))


@pytest.mark.parametrize("keep", [False, True])
def test_a_planted_cache_entry_is_never_executed(tmp_path, keep):
    src = tmp_path / "in"
    src.mkdir()
    for f in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(f, src / f.name)
    out, cache = tmp_path / "out", tmp_path / "out" / ".cache"
    first = build([src], out, cache=cache, keep=keep, views=False)
    assert first.ok and first.cache_misses == 2
    graph = (out / "graph.nt").read_bytes()
    marker = tmp_path / "marker"
    evil = pickle.dumps(_Planted(marker))
    planted = 0
    for entry in cache.iterdir():  # every file the cache holds, whatever it names them
        entry.write_bytes(zlib.compress(evil) if planted % 2 == 0 else evil)
        planted += 1
    for doc in src.iterdir():  # and the old entry names, in case they are still read
        from kg.corpus.cache import OutcomeCache

        key = OutcomeCache(cache).key(doc)
        for suffix in (".pickle", ".texts"):
            (cache / f"{key}{suffix}").write_bytes(zlib.compress(evil))
    assert planted >= 2
    again = build([src], out, cache=cache, keep=keep, views=False)
    assert not marker.exists(), "a cache entry ran code"
    assert again.ok and again.cache_hits == 0 and again.cache_misses == 2
    assert (out / "graph.nt").read_bytes() == graph
    third = build([src], out, cache=cache, keep=keep, views=False)  # the entries were re-made
    assert third.ok and third.cache_hits == 2 and (out / "graph.nt").read_bytes() == graph
    if keep:  # read back from the data, the same records as a build without a cache
        fresh = build([src], None, keep=True)
        assert all(e.parsed is p for e, p in zip(third.extractions, third.parsed))
        for a, b in zip(fresh.extractions, third.extractions):
            assert a.document == b.document and a.parsed.metadata == b.parsed.metadata
            assert a.parsed.measures == b.parsed.measures and a.keywords == b.keywords
            assert a.mentions == b.mentions and a.relations == b.relations
            assert list(a.records()) == list(b.records())


# --- 7: file names that are not UTF-8 -------------------------------------------------------


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_a_file_name_that_is_not_utf8_is_built(tmp_path, cache):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEEDS / "001_4a76b483e918d52f.txt", src / "001_4a76b483e918d52f.txt")
    shutil.copy(SEEDS / "002_01e619eeb8aaf6f0.txt", src / UNDECODABLE)
    out = tmp_path / "out"
    args = ["build", src, "--out", out, "--no-views"] + ([] if cache else ["--no-cache"])
    proc = run_vetkg(*args)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "built 2 document(s)" in proc.stdout
    docs = json.loads((out / "documents.json").read_bytes().decode("utf-8"))  # valid UTF-8
    names = sorted(d["doc_id"] for d in docs)
    assert names[0] == "001_4a76b483e918d52f" and names[1].isprintable() and "\\xd5" in names[1]
    assert all(d["path"].isprintable() for d in docs)
    (out / "extractions.jsonl").read_bytes().decode("utf-8")
    assert len(source_ids(out / "graph.nt")) == 2
    if cache:  # read back from the cache (in this process: the extractor's fingerprint is fixed)
        build([src], out, cache=out / ".cache", views=False)
        built = (out / "documents.json").read_bytes()
        again = build([src], out, cache=out / ".cache", views=False)
        assert again.ok and again.cache_hits == 2 and (out / "documents.json").read_bytes() == built


# --- 8: a worker killed by the OOM killer ----------------------------------------------------


def test_a_killed_worker_fails_its_document_and_the_rest_is_built(tmp_path):
    src = make_corpus(tmp_path / "in", copies=8)
    total = len(list(src.iterdir()))
    out = tmp_path / "out"
    proc = vetkg("build", src, "--out", out, "--no-cache", "--no-views", "--jobs", "2", start_new_session=True)
    me = psutil.Process(proc.pid)
    victim: list[psutil.Process] = []

    def a_worker_is_busy() -> bool:
        for child in me.children():
            with contextlib.suppress(psutil.Error):
                busy = child.cpu_times().user > 0.5 and child.status() == psutil.STATUS_RUNNING
                if child.name().startswith("python") and busy:  # inside a document, not between two
                    victim.append(child)
                    return True
        return False

    assert wait_until(a_worker_is_busy, proc, interval=0.02), proc.communicate()
    victim[0].send_signal(signal.SIGKILL)
    stdout, stderr = proc.communicate(timeout=900)
    assert "Traceback" not in stderr and "BrokenProcessPool" not in stderr, stderr
    assert proc.returncode == 1, stderr
    failed = [ln for ln in stderr.splitlines() if "error:" in ln]
    assert len(failed) == 1 and "worker was killed (out of memory?)" in failed[0], stderr
    assert f"built {total - 1} document(s)" in stdout, stdout
    docs = json.loads((out / "documents.json").read_text(encoding="utf-8"))
    assert len(docs) == total - 1
    killed = Path(failed[0].split("error: ", 1)[1].split(": worker", 1)[0])
    assert killed.stem not in {d["doc_id"] for d in docs}
    assert source_ids(out / "graph.nt") == {d["doc_id"] for d in docs}


# --- 10: two builds into one folder ----------------------------------------------------------


def test_a_second_build_into_the_same_folder_is_refused_at_once(tmp_path):
    src = make_corpus(tmp_path / "in", copies=6)
    out = tmp_path / "out"
    first = vetkg("build", src, "--out", out, "--no-cache", "--jobs", "1", "--no-views")
    # the first build is under way: its lock names it, or (without a lock) it writes
    started = lambda: any(out.rglob("*.tmp")) or any(out.glob(".gen/*/*"))  # noqa: E731
    assert wait_until(started, first), first.communicate()
    second = run_vetkg("build", src, "--out", out, "--no-cache", "--jobs", "1", "--no-views")
    assert first.poll() is None, "the first build ended before the second was refused"
    assert second.returncode == 2, second.stderr
    lines = second.stderr.strip().splitlines()
    assert lines == [f"vetkg: error: {out} is being built by another vetkg process (pid {first.pid})"], lines
    stdout, stderr = first.communicate(timeout=900)
    assert first.returncode == 0, stderr
    assert f"built {len(list(src.iterdir()))} document(s)" in stdout
    assert distinct_triples(out / "graph.nt") > 0 and (out / "graph.oxigraph").is_dir()
    again = run_vetkg("build", src, "--out", out, "--no-cache", "--jobs", "1", "--no-views")
    assert again.returncode == 0, again.stderr  # the lock went with the first build


# --- 11: a read-only folder, a full disk ----------------------------------------------------


@pytest.fixture
def mount_tmpfs(tmp_path):
    """Mount a small tmpfs (root only); unmounted after the test."""
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a read-only or full file system (root ignores chmod)")
    mounted: list[Path] = []

    def _mount(name: str, size: str) -> Path:
        point = tmp_path / name
        point.mkdir()
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)], capture_output=True)
        if proc.returncode:
            pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.decode(errors='replace').strip()}")
        mounted.append(point)
        return point

    yield _mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)


def _read_only(tmp_path, mount_tmpfs, build_first):
    """A folder holding a build, then made read-only: a tmpfs remounted read-only as root
    (root ignores permissions), the permissions taken away otherwise."""
    if os.geteuid() == 0:
        ro = mount_tmpfs("ro", "64m")
        build_first(ro / "out")
        subprocess.run(["mount", "-o", "remount,ro", str(ro)], check=True)
        return ro
    ro = tmp_path / "ro"
    ro.mkdir()
    build_first(ro / "out")
    for p in [ro, *ro.rglob("*")]:
        if not p.is_symlink():
            p.chmod(0o555 if p.is_dir() else 0o444)
    return ro


def test_a_read_only_output_folder_is_one_line(tmp_path, request):
    src = make_corpus(tmp_path / "in")

    def build_first(out):
        assert run_vetkg("build", src, "--out", out, "--no-views").returncode == 0

    mount = request.getfixturevalue("mount_tmpfs") if os.geteuid() == 0 else None
    ro = _read_only(tmp_path, mount, build_first)
    out = ro / "out"
    before = {p: p.read_bytes() for p in out.glob("*") if p.is_file()}
    try:
        for target in (out, ro / "fresh"):
            proc = run_vetkg("build", src, "--out", target, "--no-views")
            assert proc.returncode == 2, proc.stderr
            lines = proc.stderr.strip().splitlines()
            assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
            assert str(target) in lines[0] and "read-only" in lines[0], lines
        assert {p: p.read_bytes() for p in out.glob("*") if p.is_file()} == before
    finally:
        if os.geteuid() != 0:  # give the permissions back, for pytest to remove the folder
            for p in [ro, *ro.rglob("*")]:
                if not p.is_symlink():
                    p.chmod(0o755 if p.is_dir() else 0o644)


def files_and_sizes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("size", ["1m", "3m", "7m"])
def test_a_full_disk_is_one_line_and_leaves_no_temporary_files(tmp_path, mount_tmpfs, size):
    """The seeds' outputs are about 9 MB: the disk fills while writing the records, the
    graph or the store."""
    src = make_corpus(tmp_path / "in")
    out = mount_tmpfs("full", size) / "out"
    proc = run_vetkg("build", src, "--out", out, "--no-cache", "--no-views")
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert str(out) in lines[0] and "no space left" in lines[0], lines
    assert {name: n for name, n in files_and_sizes(out).items() if n} == {}, "temporary files left behind"


def test_a_full_disk_keeps_the_previous_build(tmp_path, mount_tmpfs):
    small, large = make_corpus(tmp_path / "small"), make_corpus(tmp_path / "large", copies=3)
    out = mount_tmpfs("full", "24m") / "out"  # room for two sets of the seeds' (9 MB), not for 3 copies
    assert run_vetkg("build", small, "--out", out, "--no-cache", "--no-views").returncode == 0
    before = files_and_sizes(out)
    graph = (out / "graph.nt").read_bytes()
    proc = run_vetkg("build", large, "--out", out, "--no-cache", "--no-views")
    assert proc.returncode == 2 and "no space left" in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert files_and_sizes(out) == before  # nothing left behind, nothing lost
    assert (out / "graph.nt").read_bytes() == graph
    assert run_vetkg("build", small, "--out", out, "--no-cache", "--no-views").returncode == 0


# --- 17: the outputs of a build are one set ----------------------------------------------------

SET_FILES = ("documents.json", "extractions.jsonl", "graph.nt", "graph.ttl")
KINDS = {"documents": "documents.json", "records": "extractions.jsonl", "nt": "graph.nt", "ttl": "graph.ttl"}


def visible_set(out: Path) -> tuple:
    """What a reader of ``out`` sees, checked to be one build's set: every file the
    manifest describes is the one it describes (size and modification time), and the
    views were drawn from the manifest's graph. Returns the graph digest and the
    digests of the files."""
    manifest = json.loads((out / ".vetkg-manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == sorted(KINDS), manifest["files"]
    for kind, (size, mtime) in manifest["files"].items():
        st = os.stat(out / KINDS[kind])
        assert (st.st_size, st.st_mtime_ns) == (size, mtime), f"{KINDS[kind]} is not the one of the manifest"
    views = json.loads((out / ".vetkg-views.json").read_text(encoding="utf-8"))
    assert views["digest"] == manifest["digest"], "the views were drawn from another graph"
    assert (out / "report.html").is_file() and (out / "graph.html").is_file()
    return manifest["digest"], tuple(hashlib.sha1((out / n).read_bytes()).hexdigest() for n in SET_FILES)


def _stats(out: Path) -> tuple:
    found = []
    for n in (*SET_FILES, ".vetkg-manifest.json", ".vetkg-views.json", "report.html"):
        try:
            st = os.stat(out / n)
            found.append((st.st_ino, st.st_mtime_ns))
        except FileNotFoundError:
            found.append(None)
    return tuple(found)


def test_a_kill_during_the_commit_leaves_the_old_set_or_the_new_one(tmp_path):
    """SIGKILL a build at each moment of its commit that shows from outside: the folder
    holds the previous build's set, whole, or the new build's, whole, and reads as such."""
    import kg

    old_src, new_src = make_corpus(tmp_path / "old"), make_corpus(tmp_path / "new", copies=3)
    out = tmp_path / "out"
    opts = ("--no-cache", "--jobs", "1", "--format", "ttl")

    def current() -> str | None:
        with contextlib.suppress(OSError):
            return os.readlink(out / ".current")
        return None

    def fresh_generation():
        now = current()
        return [g for g in out.glob(".gen/*") if now is None or not now.endswith(g.name)]

    # Signs of the moments of the commit, seen from outside: a new generation and its parts
    # (this layout), the first visible change of any output (any layout), the switch.
    phases = {
        "generation started": lambda s: bool(fresh_generation()),
        "files in the generation": lambda s: any((g / "graph.nt").exists() for g in fresh_generation()),
        "store in the generation": lambda s: any((g / "graph.oxigraph").exists() for g in fresh_generation()),
        "manifest in the generation": lambda s: any((g / ".vetkg-manifest.json").exists() for g in fresh_generation()),
        "views in the generation": lambda s: any((g / "report.html").exists() for g in fresh_generation()),
        "first visible change": lambda s: _stats(out) != s[:-1],
        "manifest gone or changed": lambda s: _stats(out)[4] != s[4],
        "views changed": lambda s: _stats(out)[5:] != s[5:-1],
        "switched": lambda s: current() is not None and s[-1] != current(),
    }
    for phase, reached in phases.items():
        assert run_vetkg("build", old_src, "--out", out, *opts).returncode == 0  # the previous set
        old = visible_set(out)
        start = (*_stats(out), current())
        proc = vetkg("build", new_src, "--out", out, *opts, start_new_session=True)

        def condition(reached=reached, start=start):
            try:
                return reached(start)
            except FileNotFoundError:
                return False

        wait_until(condition, proc, interval=0.001)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        try:
            seen = visible_set(out)
        except (AssertionError, FileNotFoundError) as exc:
            pytest.fail(f"killed at {phase!r}: not one build's set: {exc}")
        assert seen == old or seen[0] != old[0], phase  # the old set, or another whole one
        # a reader of the folder gets the graph of the set it sees, from the build's store
        graph = kg.load(out)
        assert len(graph.store) == distinct_triples(out / "graph.nt"), phase
        del graph
    again = run_vetkg("build", new_src, "--out", out, *opts)
    assert again.returncode == 0, again.stderr
    visible_set(out)
    assert not list(out.rglob("*.tmp")) and len(list(out.glob(".gen/*"))) <= 1


def test_readers_see_one_set_through_the_links(tmp_path):
    """The folder reads as before: files at their names, the store, kg.load, a rebuild
    that changes one document reuses the previous store."""
    import kg
    from kg.corpus.incremental import current_folder, sound_store

    src = make_corpus(tmp_path / "in", copies=2)
    out = tmp_path / "out"
    first = build([src], out, cache=out / ".cache", jobs=2, views=True)
    assert first.ok and (out / "graph.nt").is_file() and (out / "graph.oxigraph").is_dir()
    assert (out / "report.html").is_file() and (out / "tables").is_dir()
    store = sound_store(out)
    assert store == out / "graph.oxigraph" and store.is_dir()
    ssts = {p.stat().st_ino for p in store.glob("*.sst")}
    assert ssts
    first_set = current_folder(out)  # the folder of the set the names lead to
    assert first_set != out and (first_set / "graph.nt").samefile(out / "graph.nt")
    changed = src / "003_a200c70846c33ef2.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n（十七）新增措施。内容。（责任单位：市教委）\n")
    again = build([src], out, cache=out / ".cache", jobs=2, views=True)
    assert again.ok and again.cache_misses == 1
    assert sound_store(out) == store and current_folder(out) != first_set
    assert not first_set.exists()  # the previous set is gone
    assert ssts & {p.stat().st_ino for p in store.glob("*.sst")}, "the store was reloaded, not updated"
    assert len(kg.load(out).store) == distinct_triples(out / "graph.nt") == again.triples


# --- 19: a store that cannot be loaded -------------------------------------------------------


def _few_files():
    resource.setrlimit(resource.RLIMIT_NOFILE, (80, 80))  # Oxigraph needs at least 96


def test_a_store_that_cannot_be_loaded_is_reported_and_the_triples_counted(tmp_path):
    src = make_corpus(tmp_path / "in")
    shutil.copy(SEEDS / "001_4a76b483e918d52f.txt", src / "copy_001.txt")  # shares nodes: repeated lines
    out = tmp_path / "out"
    proc = run_vetkg("build", src, "--out", out, "--no-cache", "--jobs", "1", preexec_fn=_few_files)
    assert proc.returncode == 0, proc.stderr
    nt = out / "graph.nt"
    lines, triples = len(nt.read_bytes().splitlines()), distinct_triples(nt)
    assert lines > triples
    assert f", {triples} triples" in proc.stdout, proc.stdout
    about = [ln for ln in proc.stderr.splitlines() if "graph.oxigraph" in ln or "report" in ln]
    assert len(about) == 1, proc.stderr
    assert "report.html" in about[0] and "skipped" in about[0] and "graph.oxigraph" in about[0], about
    assert not (out / "report.html").exists()


def _square_or_die(x: int) -> int:
    if x % 7 == 3:
        os.kill(os.getpid(), signal.SIGKILL)  # a real worker, really killed
    return x * x


def test_the_pool_outlives_killed_workers():
    from kg.core.processes import ordered_map

    got = list(ordered_map(_square_or_die, list(range(30)), 2, on_death=lambda a, why: (a, why), window=2))
    for i, value in enumerate(got):
        assert value == ((i, "worker was killed (out of memory?)") if i % 7 == 3 else i * i), i


_MAIN = os.getpid()


def _where_or_die(args: tuple) -> tuple[str, str]:
    """A stand-in for one document's task: where it ran, or its worker killed."""
    if args[0] == "bad" and os.getpid() != _MAIN:
        os.kill(os.getpid(), signal.SIGKILL)
    return args[0], "main" if os.getpid() == _MAIN else "worker"


def test_a_rebuild_reads_held_outcomes_itself_and_extracts_fresh_files_in_workers(monkeypatch):
    """A rebuild where the previous build holds all but a few files: the held outcomes
    are read in the build's own process (nothing to pickle across a pipe), the fresh
    files still go to workers, so one that kills its worker fails alone, in order."""
    from kg.corpus import build as B

    monkeypatch.setattr(B, "_task", _where_or_die)
    args = [(name,) for name in ("a", "b", "new", "c", "bad", "d", "e", "f", "g")]
    fresh = [2, 4]
    got = list(B._mostly_held(args, fresh, 2, frozenset()))
    assert [g[0] if isinstance(g, tuple) and isinstance(g[0], str) else None for g in got] == [
        "a",
        "b",
        "new",
        "c",
        None,
        "d",
        "e",
        "f",
        "g",
    ]
    assert got[2] == ("new", "worker")
    assert [got[i][1] for i in (0, 1, 3, 5, 6, 7, 8)] == ["main"] * 7
    outcome, hit = got[4]
    assert (
        not hit
        and outcome.problem is not None
        and "worker was killed" in outcome.problem.message
        and outcome.problem.path == "bad"
    )
