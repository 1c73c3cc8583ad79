"""Build many documents: parse each, keep going past bad ones, write outputs atomically.

The per-document stage (:func:`build_document`: read → parse → extract → the document's
part of the graph) is a pure function of one file and runs in a process pool. Its
outcomes stream, in input order, into the output files, so memory does not grow with the
corpus: the build keeps only what needs the whole corpus (shared entities, citations to
resolve, the measures' MinHash sketches), and the records only when asked (``keep``).
Whatever the corpus size, the graph is bulk-loaded into the on-disk Oxigraph store
``graph.oxigraph/`` while ``graph.nt`` is written, a rebuild copies unchanged documents'
bytes and updates a copy of the store (:mod:`kg.corpus.incremental`), and the views read
the store. No size threshold changes the path.

What a build writes is one set: every output goes into a new generation folder that
becomes current in one step, so a kill at any moment leaves the previous set or the new
one (:class:`kg.corpus.incremental.Generation`). One build at a time writes a folder (a
lock, :func:`output_lock`); a read-only or full disk ends the build in one sentence, its
temporary files removed. A worker killed by the OOM killer costs the document it was
reading (:func:`kg.core.processes.ordered_map`), and a file name that is not UTF-8 is
written as its bytes escaped (``\\xd5``).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from kg import viz
from kg.analytics.labels import DEFAULT_LANGUAGE, check_language
from kg.analytics.report import Report, analyze, write_report
from kg.analytics.source import OxigraphSource
from kg.core.atomic import AtomicFile, write_text_atomic
from kg.core.memo import Memo
from kg.core.model import Extraction, ParsedDocument, Problem
from kg.core.processes import die_with_parent, ordered_map
from kg.corpus import publish
from kg.corpus.cache import OutcomeCache, fingerprint, memo_salt
from kg.corpus.graph import CorpusGraph, TextSink
from kg.corpus.incremental import (
    STORE,
    UPDATING,
    Generation,
    Manifest,
    Previous,
    distinct_lines,
    update_store,
)
from kg.errors import DocumentError, QueryError, StoreError, VetkgError, ViewError
from kg.extraction import extract as run_extraction
from kg.extraction import warm_up
from kg.parsing import parse
from kg.rdf.mapping import DocumentGraph, document_graph, iri, load_rdflib, serialize
from kg.reading import collect_paths
from kg.resolution.similarity import sketch
from kg.store import OxigraphStore
from kg.store.invariants import Violation
from kg.store.loader import StoreLoad, load_store
from kg.viz.chains import chains_page
from kg.viz.coissuing import coissuing_html
from kg.viz.reuse import reuse_page

GRAPH_FORMATS = ("nt",)  # always; "ttl" and "jsonld" on request
VIEWS_STAMP = ".vetkg-views.json"  # the graph digest the views in a folder were drawn from
MEMO = "memo"  # in the cache folder: results kept by the digest of their inputs (kg.core.memo)
LOCK = ".vetkg-lock"  # held (flock) by the build writing a folder; holds its pid
MIN_PARALLEL = 8  # documents to extract before a process pool is worth starting
IN_FLIGHT = 8  # outcomes per worker that may wait for the writer (bounds memory)


@dataclass
class DocumentOutcome:
    """What the per-document stage gives the build for one file."""

    path: str
    parsed: ParsedDocument | None = None  # None: the file could not be read
    extraction: Extraction | None = None
    problem: Problem | None = None
    summary: dict | None = None  # the document's entry in documents.json
    records: str = ""  # its lines of extractions.jsonl
    graph: DocumentGraph | None = None  # its part of the graph
    counts: tuple[int, int, int] = (0, 0, 0)  # measures, mentions, relations
    key: str | None = None  # its cache key (content, file name, extractor)
    reused: bool = False  # only the head was read: its texts are copied from the previous build


@dataclass
class BuildResult:
    """What a build produced: every problem, the counts, the store, and (with
    ``keep=True``) the parsed documents and extractions."""

    parsed: list[ParsedDocument] = field(default_factory=list)
    extractions: list[Extraction] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    store: Path | None = None  # the build's Oxigraph store (graph.oxigraph/)
    digest: str | None = None  # identifies the graph's content (unchanged graph: same digest)
    notes: list[Problem] = field(default_factory=list)  # warnings about the outputs
    document_warnings: list[Problem] = field(default_factory=list)
    cache_hits: int = 0  # documents read back from the cache
    cache_misses: int = 0  # documents processed in this run (with a cache)
    documents: int = 0
    measures: int = 0
    mentions: int = 0
    relations: int = 0
    triples: int = 0  # distinct triples in the graph (documents sharing a 文号 share nodes)
    violations: list[Violation] = field(default_factory=list)  # invariants that do not hold (kg.corpus.publish)
    validation_seconds: float | None = None  # the time the invariants and void.ttl took
    # the documents the per-document invariants were checked on, when a rebuild checked
    # only the changed ones (None: every document)
    checked_documents: int | None = None
    started: float = field(default_factory=publish.now)  # when the build began (build-activity.ttl)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def warnings(self) -> list[Problem]:
        return self.document_warnings + self.notes

    def by_id(self) -> dict[str, Extraction]:
        return {e.document.doc_id: e for e in self.extractions}


def build(
    inputs: Iterable[str | Path],
    out: str | Path | None = None,
    *,
    extract: bool = True,
    progress: bool = False,
    graph_formats: Iterable[str] | None = None,
    views: bool = True,
    jobs: int = 1,
    cache: str | Path | None = None,
    keep: bool = False,
    lang: str = DEFAULT_LANGUAGE,
) -> BuildResult:
    """Parse (and extract) every document under ``inputs``; write outputs to ``out``:
    ``documents.json``, ``extractions.jsonl``, the knowledge graph as ``graph.nt``
    (``graph.ttl``, ``graph.jsonld`` if ``graph_formats`` names them) bulk-loaded into the
    Oxigraph store ``graph.oxigraph/`` and, unless ``views=False``, the analysis
    ``report.html`` and the interactive ``graph.html`` (redrawn only when the graph changed).

    ``jobs`` > 1 runs the per-document stage in a process pool (outputs identical to
    ``jobs=1``); ``cache`` is a folder of per-document outcomes keyed by content and
    extractor (:mod:`kg.corpus.cache`), so a rebuild redoes only what changed; its ``memo/``
    keeps the corpus step's alignments and the report's codes and figures by the digest of
    their inputs (:mod:`kg.core.memo`). ``keep`` keeps
    the parsed documents and extractions in the result (memory grows with the corpus).
    ``lang`` (``zh`` or ``en``): the language of the report's labels.

    A document that fails is recorded in ``errors`` and skipped; the others are built
    and written. Outputs are replaced atomically, and only if at least one document
    was built, so a failed run never destroys the previous build.
    """
    result = BuildResult()
    paths, problems = collect_paths(inputs)
    result.errors.extend(Problem(shown(e.path), e.reason, "error") for e in problems)
    formats = list(dict.fromkeys([*GRAPH_FORMATS, *(graph_formats or ())]))
    if out is None:
        seen: dict = {}
        for outcome in _outcomes(paths, extract, False, "ttl" in formats, jobs, cache, keep, progress, result):
            _collect(result, outcome, keep, seen)
        return result
    out = Path(out)
    with disk_errors(out):
        out.mkdir(parents=True, exist_ok=True)
        with output_lock(out):
            _build_into(result, paths, out, formats, extract, progress, views, jobs, cache, keep, lang)
    return result


def _build_into(
    result: BuildResult,
    paths: list,
    out: Path,
    formats: list[str],
    extract: bool,
    progress: bool,
    views: bool,
    jobs: int,
    cache,
    keep: bool,
    lang: str = DEFAULT_LANGUAGE,
) -> None:
    """Write the build's set of outputs into a new generation of ``out`` and make it
    current, if a document was built; otherwise leave ``out`` as it was."""
    generation = Generation(out)
    previous = None
    try:
        if cache is not None and extract:
            previous = Previous.open(out, fingerprint(), _text_formats(formats))
        reusable = frozenset(previous.manifest.documents) if previous is not None else frozenset()
        stream = _outcomes(paths, extract, True, "ttl" in formats, jobs, cache, keep, progress, result, reusable)
        folder = generation.folder
        # what the corpus step and the report computed last time, by the digest of its inputs
        memo = Memo(Path(cache) / MEMO if cache is not None else None, memo_salt())
        store_failure = _write(result, stream, folder, formats, keep, extract, previous, memo)
        if previous is not None:
            previous.close()
        if not result.documents:  # nothing built: the previous set stays as it was
            generation.discard()
            return
        publish.publish(result, folder, generation.previous)  # invariants checked; void.ttl
        if store_failure is not None:
            skipped = "; report.html and graph.html skipped (they are drawn from the store)" if views else ""
            result.notes.append(Problem(str(out / STORE), f"not written: {store_failure}{skipped}"))
        elif views and result.triples and result.store is not None:
            write_views(result, folder, generation.previous, lang, memo)
        generation.commit()
    except BaseException:
        if previous is not None:
            previous.close()
        generation.discard()
        raise
    memo.save()  # after the commit, outside it: a memo that cannot be written costs time, not the build
    # the names a user opens: links through DIR/.current, the same for every build
    result.outputs = [out / p.relative_to(folder) if p.is_relative_to(folder) else p for p in result.outputs]
    if result.store is not None:
        result.store = out / STORE
    result.notes = [_renamed(n, folder, out) for n in result.notes]


def _renamed(note: Problem, folder: Path, out: Path) -> Problem:
    """A note about a file of the generation, naming it as the user sees it."""
    inside = str(folder) + os.sep
    note.path = note.path.replace(inside, str(out) + os.sep)
    note.message = note.message.replace(inside, str(out) + os.sep)
    return note


def shown(path: str | Path) -> str:
    """A path as it is written to the outputs and shown in messages: a file name that is
    not UTF-8 (its bytes escaped by ``os.fsdecode`` as lone surrogates) with each such
    byte as ``\\xNN``, so JSON, N-Triples and the terminal all take it."""
    text = str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            return text.encode("utf-8", "backslashreplace").decode("utf-8")


# --- the output folder: one build at a time, disks that refuse -------------------------------


@contextlib.contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold ``out/.vetkg-lock`` (``flock``) for the build: a second build into the same
    folder stops at once, naming the first, instead of removing its temporary files.
    The kernel releases the lock when the build ends, however it ends."""
    fd = os.open(out / LOCK, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            who = f"pid {holder}" if holder.isdigit() else "pid unknown"
            raise VetkgError(f"{out} is being built by another vetkg process ({who})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)  # still held: no other build reads a stale pid
    finally:
        os.close(fd)


READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
NO_SPACE = {errno.ENOSPC, errno.EDQUOT}


@contextlib.contextmanager
def disk_errors(out: Path) -> Iterator[None]:
    """A folder that cannot be written ends the build in one sentence naming it (the
    generation being written is removed on the way out, so nothing is left behind)."""
    try:
        yield
    except OSError as exc:
        if exc.errno in NO_SPACE:
            raise VetkgError(no_space(out)) from None
        if exc.errno in READ_ONLY:
            why = "read-only file system" if exc.errno == errno.EROFS else "permission denied"
            raise VetkgError(f"{out} is read-only ({why}): nothing was written") from None
        raise


def no_space(out: Path) -> str:
    return f"{out}: no space left on the device; nothing was written (the previous build, if any, is as it was)"


def _out_of_space(exc: BaseException, folder: Path) -> bool:
    """Whether a failure (the store loader's, say, a separate process) came from a full disk."""
    if isinstance(exc, OSError) and exc.errno in NO_SPACE:
        return True
    text = str(exc)
    if "No space left on device" in text or "os error 28" in text or "Disk quota exceeded" in text:
        return True
    try:
        st = os.statvfs(folder)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < (1 << 20)


# --- the per-document stage ----------------------------------------------------------------


def process_document(
    path: str | Path, extract: bool = True
) -> tuple[ParsedDocument | None, Extraction | None, Problem | None]:
    """Read, parse and extract one document. Returns ``(parsed, extraction, problem)``;
    a bad file or an internal error is a Problem, never an exception, so one document
    cannot sink a build."""

    try:
        parsed = parse(path)
    except DocumentError as exc:
        return None, None, Problem(shown(exc.path), exc.reason, "error")
    except Exception as exc:  # a bug must not sink the other documents
        return None, None, Problem(shown(path), f"internal error while parsing: {type(exc).__name__}: {exc}", "error")
    _show_names(parsed)
    if not extract:
        return parsed, None, None
    try:
        return parsed, run_extraction(parsed), None
    except Exception as exc:
        return (
            parsed,
            None,
            Problem(parsed.document.path, f"internal error while extracting: {type(exc).__name__}: {exc}", "error"),
        )


def _show_names(parsed: ParsedDocument) -> None:
    """The document's path and id (its file stem) as they are written out (:func:`shown`)."""
    doc = parsed.document
    path = shown(doc.path)
    if path == doc.path:
        return
    doc.doc_id, doc.path = shown(doc.doc_id), path
    for w in doc.warnings:
        w.path = shown(w.path)


def build_document(path: str | Path, extract: bool = True, graph: bool = True, turtle: bool = True) -> DocumentOutcome:
    """The whole per-document stage, a pure function of the file: :func:`process_document`
    plus the document's entry in ``documents.json``, its extraction records and its part
    of the graph (:func:`kg.rdf.mapping.document_graph`)."""
    parsed, extraction, problem = process_document(path, extract)
    outcome = DocumentOutcome(shown(path), parsed, extraction, problem)
    if parsed is None:
        return outcome
    outcome.summary = parsed.to_json()
    if extraction is None:
        outcome.counts = (len(parsed.measures), 0, 0)
        return outcome
    outcome.counts = (len(parsed.measures), len(extraction.mentions), len(extraction.relations))
    outcome.records = "".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in extraction.records())
    if graph:
        try:
            outcome.graph = document_graph(extraction, turtle=turtle)
            outcome.graph.sketches = sketch(outcome.graph.texts)  # the texts travel too: the text reuse aligns them
        except Exception as exc:  # the records stand; the graph leaves the document out
            outcome.problem = Problem(
                parsed.document.path, f"internal error while building its graph: {type(exc).__name__}: {exc}", "error"
            )
    return outcome


_REUSABLE: frozenset = frozenset()  # cache keys whose outputs the previous build holds


def _set_reusable(keys: frozenset) -> None:
    global _REUSABLE
    _REUSABLE = keys


def _start_worker(keys: frozenset) -> None:
    """A pool worker's start: die with the build (a killed build leaves no workers) and
    know which outcomes the previous build holds."""
    die_with_parent()
    _set_reusable(keys)


def _task(args: tuple) -> tuple[DocumentOutcome, bool]:
    """Run in a worker: the cached outcome of a file, or a fresh one (then cached);
    and whether it came from the cache. A file the previous build already wrote gets
    only its cache entry's head (its texts are copied from the previous outputs)."""
    path, extract, graph, turtle, cache, keep = args

    store = OutcomeCache(cache) if cache is not None else None
    key = store.key(Path(path)) if store is not None else None
    reuse = key is not None and key in _REUSABLE
    outcome = store.get(key, shown(path), texts=not reuse) if store is not None and key else None
    if (
        outcome is not None
        and not reuse
        and graph
        and extract
        and (outcome.graph is None or (turtle and outcome.graph.turtle is None))
    ):
        outcome = None  # cached without the graph text this build writes
    if outcome is None:
        outcome = build_document(path, extract, graph, turtle)
        if store is not None and key and outcome.parsed is not None and outcome.problem is None:
            store.put(key, outcome, texts=keep)
        hit = False
    else:
        outcome.reused = reuse
        hit = True
    outcome.key = key
    if not keep:
        outcome.parsed = outcome.extraction = None  # the records travel as text
    elif outcome.parsed is not None:
        outcome.parsed.document._view = None  # rebuilt on demand; not worth sending
    return outcome, hit


def _outcomes(
    paths: list,
    extract: bool,
    graph: bool,
    turtle: bool,
    jobs: int,
    cache,
    keep: bool,
    progress: bool,
    result: BuildResult,
    reusable: frozenset = frozenset(),
) -> Iterator[DocumentOutcome]:
    """Every file's outcome, in input order; in a process pool when ``jobs`` > 1."""
    cache = str(cache) if cache is not None and extract else None
    args = [(str(p), extract, graph, turtle, cache, keep) for p in paths]
    _set_reusable(reusable)
    mapped: Iterator[tuple[DocumentOutcome, bool]]
    fresh = _fresh(paths, OutcomeCache(cache), reusable) if reusable and cache is not None else None
    if jobs <= 1 or len(args) < MIN_PARALLEL or fresh == []:
        mapped = map(_task, args)
    elif fresh is not None and len(fresh) < MIN_PARALLEL:
        mapped = _mostly_held(args, fresh, jobs, reusable)
    else:
        warm_up()  # load the gazetteer and dictionaries once; forked workers share them
        mapped = ordered_map(
            _task,
            args,
            jobs,
            initializer=_start_worker,
            initargs=(reusable,),
            on_death=_killed,
            window=IN_FLIGHT,
        )
    for outcome, hit in _progress(mapped, len(args), progress):
        if cache is not None:
            result.cache_hits += hit
            result.cache_misses += not hit
        yield outcome
    _set_reusable(frozenset())


def _killed(args: tuple, reason: str) -> tuple[DocumentOutcome, bool]:
    """The outcome of a document whose worker died on it (the OOM killer, a crash): that
    document fails, the pool goes on with a new worker."""
    path = shown(args[0])
    error = DocumentError(path, reason)
    return DocumentOutcome(path, problem=Problem(error.path, error.reason, "error")), False


def _fresh(paths: list, cache: OutcomeCache, reusable: frozenset) -> list[int]:
    """The indexes of the files the previous build does not hold (keys hash the bytes:
    cheap)."""
    return [i for i, p in enumerate(paths) if cache.key(Path(p)) not in reusable]


def _mostly_held(args: list, fresh: list[int], jobs: int, reusable: frozenset) -> Iterator:
    """Every file's outcome, in input order, when all but a few are held by the previous
    build: the held ones are heads read here (none pickled across a pipe, no worker
    warmed up to read them), the few ``fresh`` ones extracted by workers as in any build
    (a file that crashes or exhausts its worker fails alone)."""
    pooled = ordered_map(
        _task,
        [args[i] for i in fresh],
        min(jobs, len(fresh)),
        initializer=_start_worker,
        initargs=(reusable,),
        on_death=_killed,
        window=IN_FLIGHT,
    )
    first = [next(pooled)]  # the workers fork now, before the build starts the store's loader
    wanted = set(fresh)
    for i, a in enumerate(args):
        if i in wanted:
            yield first.pop() if first else next(pooled)
        else:
            yield _task(a)


def _progress(items, total: int, enabled: bool):
    if not enabled or total < 2:
        return items

    return tqdm(items, total=total, desc="vetkg build", unit="doc", file=sys.stderr, leave=False)


# --- writing ------------------------------------------------------------------------------


def _collect(result: BuildResult, outcome: DocumentOutcome, keep: bool, seen: dict) -> bool:
    """Account for one outcome; False when the document is not part of the build."""
    if outcome.problem is not None:
        result.errors.append(outcome.problem)
    if outcome.summary is None:
        return False
    doc_id, path = outcome.summary["doc_id"], outcome.summary["path"]
    if doc_id in seen:
        result.errors.append(Problem(path, f"duplicate document id {doc_id!r} (also {seen[doc_id]}); skipped", "error"))
        return False
    seen[doc_id] = path
    result.document_warnings += [
        Problem(w["path"], w["message"], w["severity"], w["offset"], w["line"]) for w in outcome.summary["warnings"]
    ]
    result.documents += 1
    m, n, r = outcome.counts
    result.measures, result.mentions, result.relations = (
        result.measures + m,
        result.mentions + n,
        result.relations + r,
    )
    if keep and outcome.parsed is not None:
        result.parsed.append(outcome.parsed)
        if outcome.extraction is not None:
            result.extractions.append(outcome.extraction)
    return True


def _text_formats(formats: list[str]) -> list[str]:
    """The graph's text files: N-Triples always (the store and JSON-LD are made from it)."""
    return ["nt"] + [f for f in formats if f == "ttl"]


def _write(
    result: BuildResult,
    stream: Iterator[DocumentOutcome],
    out: Path,
    formats: list[str],
    keep: bool,
    extract: bool,
    previous=None,
    memo: Memo | None = None,
) -> str | None:
    """Stream the outcomes into the output files of the generation folder ``out``; keep
    them only if a document was built. A large corpus's store is loaded while the files
    are written, or, when the previous build's store is sound, a copy of it updated after
    (:mod:`kg.corpus.incremental`). Returns why the store could not be made, if it could
    not (the files stand)."""

    text_formats = _text_formats(formats)
    files = {"documents": AtomicFile(out / "documents.json")}
    if extract:
        files["records"] = AtomicFile(out / "extractions.jsonl")
        for fmt in text_formats:
            files[fmt] = AtomicFile(out / f"graph.{fmt}")
    ranged = [k for k in ("documents", "records", *text_formats) if k in files]
    manifest = None
    if extract:  # what the next build (and `vetkg serve`) may reuse
        manifest = Manifest(fingerprint(), text_formats, complete=True)
    loader = None
    if extract and not (previous is not None and previous.store_ok):
        loader = StoreLoad(out / "graph.oxigraph")
    try:
        sinks: dict[str, TextSink] = {f: files[f] for f in text_formats}
        if loader is not None:
            sinks["nt"] = _Tee(files["nt"], loader)
        corpus = CorpusGraph(sinks, memo=memo) if extract else None
        head = files["nt"].written if extract else 0
        files["documents"].write("[")
        seen: dict = {}
        digest = hashlib.sha1(fingerprint().encode())
        for outcome in stream:
            if loader is not None:
                loader.start()  # the worker processes exist by now: they do not inherit the pipe
            if not _collect(result, outcome, keep, seen) or outcome.summary is None:
                continue
            summary = outcome.summary
            files["documents"].write("\n " if result.documents == 1 else ",\n ")
            starts = {k: files[k].written for k in ranged}
            old = previous.manifest.documents[outcome.key] if previous is not None and outcome.reused else None
            if old is not None and old.get("path") == outcome.path:  # its entry names the same path
                files["documents"].copy_range(previous.fds["documents"], *old["documents"])
            else:
                files["documents"].write(json.dumps(outcome.summary, ensure_ascii=False, indent=1).replace("\n", "\n "))
            if corpus is None:  # parse only
                continue
            if previous is not None and old is not None:  # the same key as in the previous build: copy its bytes
                for k in ranged[1:]:
                    files[k].copy_range(previous.fds[k], *old[k])
                if outcome.graph is not None:
                    corpus.fold(outcome.graph)
                    if loader is not None:
                        loader.write_bytes(previous.read("nt", [old["nt"]]))
            else:
                files["records"].write(outcome.records)
                if outcome.graph is not None:
                    corpus.add(outcome.graph)
            if outcome.graph is not None:  # the content (key, or checksum) and place of each part
                digest.update(f"{outcome.key or summary['checksum']}\x1f{outcome.path}\n".encode())
            if manifest is not None and outcome.key is None and outcome.graph is not None:
                manifest.complete = False  # built without a key (no cache): no entry says where
            if manifest is not None and outcome.key is not None and outcome.graph is not None:
                entry: dict[str, Any] = {k: [starts[k], files[k].written - starts[k]] for k in ranged}
                entry["document"], entry["path"] = iri(outcome.graph.key), outcome.path
                manifest.documents[outcome.key] = entry
        files["documents"].write("\n]\n" if result.documents else "]\n")
        if corpus is not None and result.documents:
            tail = files["nt"].written
            result.triples = corpus.finish()
            digest.update(corpus.digest.digest())
            result.digest = digest.hexdigest()
            if manifest is not None:
                manifest.corpus = [[0, head], [tail, files["nt"].written - tail]]
                manifest.links = [[tail, corpus.linking_bytes]]
            corpus = None  # its sketches and entities: freed before the store is finished
        if not result.documents:
            for f in files.values():
                f.discard()
            if loader is not None:
                loader.discard()
            return None
        for f in files.values():
            f.commit()
            result.outputs.append(f.path)
    except BaseException:
        for f in files.values():
            f.discard()
        if loader is not None:
            loader.discard()
        raise
    if not extract or not result.triples:
        return None
    nt = out / "graph.nt"
    if "jsonld" in formats:  # made in memory by rdflib: asked for, whatever the size
        write_text_atomic(out / "graph.jsonld", serialize(load_rdflib(nt.read_text(encoding="utf-8")), "jsonld"))
        result.outputs.append(out / "graph.jsonld")
    failure = _finish_store(result, out, loader, previous, manifest)
    if manifest is not None:
        manifest.store, manifest.triples, manifest.digest = result.store is not None, result.triples, result.digest
        manifest.write(out)
    return failure


def _finish_store(result: BuildResult, out: Path, loader, previous, manifest) -> str | None:
    """Complete the store: the streamed load, or an update of a copy of the previous
    build's store (a reload from ``graph.nt`` when much changed). When the store cannot
    be made the files stand: the triples are counted in ``graph.nt`` instead, and the
    reason is returned. A full disk ends the build (:func:`disk_errors`)."""
    triples = None  # known without counting after an update in place
    try:
        if loader is not None:
            result.store = loader.commit()
        else:
            triples = update_store(out, previous, manifest) if manifest is not None else None
            if triples is None:
                shutil.rmtree(out / STORE, ignore_errors=True)
                load_store(out / "graph.nt", out / STORE)
            result.store = out / STORE
    except (StoreError, OSError, ValueError, SyntaxError, RuntimeError) as exc:
        shutil.rmtree(out / STORE, ignore_errors=True)
        if _out_of_space(exc, out):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)) from None
        result.store = None
        result.triples = distinct_lines(out / "graph.nt")  # lines repeat where documents share nodes
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    (out / UPDATING).unlink(missing_ok=True)  # whatever was left half-done, the store is whole now
    result.outputs.append(result.store)
    result.triples = triples if triples is not None else len(OxigraphStore.open(result.store))
    return None


class _Tee:
    """A text sink that writes to several byte sinks (``graph.nt`` and the store loader)."""

    def __init__(self, *sinks):
        self.sinks = sinks

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        for sink in self.sinks:
            sink.write_bytes(data)


def write_views(
    result: BuildResult,
    out: Path,
    previous: Path | None = None,
    lang: str = DEFAULT_LANGUAGE,
    memo: Memo | None = None,
) -> None:
    """``report.html`` (with ``report.md``, ``tables/``, ``figures/``), labelled for a
    reader of ``lang`` (``zh`` or ``en``), the workbench's pages it links to
    (``coissuing.html``, ``chains.html``, ``reuse.html``) and ``graph.html``, read from the
    build's store, into ``out`` — or, when the graph has not changed since the views of
    the ``previous`` set were drawn in the same language (a stamp holds the graph's
    digest, the language and the files), those files, hard-linked. A graph with nothing
    to draw or analyse gets a warning instead, and the other outputs stand."""
    lang = check_language(lang)
    source_folder = previous if previous is not None else out
    try:
        drawn = json.loads((source_folder / VIEWS_STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        drawn = {}
    files = drawn.get("files")
    if (
        result.digest
        and drawn.get("digest") == result.digest
        and drawn.get("lang", DEFAULT_LANGUAGE) == lang
        and isinstance(files, list)
        and all((source_folder / name).is_file() for name in [*files, *drawn.get("outputs", ())])
    ):
        if source_folder != out:
            for name in files:
                _link_or_copy(source_folder / name, out / name)
            write_text_atomic(out / VIEWS_STAMP, json.dumps(drawn))
        result.outputs += [out / name for name in drawn["outputs"]]
        return
    (out / VIEWS_STAMP).unlink(missing_ok=True)
    assert result.store is not None
    source = OxigraphSource.open(result.store)
    written: list[Path] = []
    everything: list[Path] = []
    try:
        written.append(viz.write_html(source, out / "graph.html", max_nodes=viz.MAX_PAGE_NODES))
        everything.append(out / "graph.html")
    except ViewError as exc:
        result.notes.append(Problem(str(out / "graph.html"), f"not written: {exc}"))
    try:
        report = analyze(source, lang=lang, memo=memo)
    except QueryError as exc:
        result.notes.append(Problem(str(out / "report.html"), f"not written: {exc}"))
    else:
        everything += _write_workbench_pages(report, out)
        everything += write_report(report, out)
        written.append(out / "report.html")
    result.outputs += written
    if result.digest:
        stamp = {
            "digest": result.digest,
            "lang": lang,
            "outputs": [p.name for p in written],
            "files": [p.relative_to(out).as_posix() for p in everything],
        }
        write_text_atomic(out / VIEWS_STAMP, json.dumps(stamp, ensure_ascii=False))


def _write_workbench_pages(report: Report, out: Path) -> list[Path]:
    """The researcher's workbench as pages next to the report, which links them: the
    co-issuing network (pyvis), the implementation chains as trees, the reused measures
    side by side — drawn from what :func:`kg.analytics.report.analyze` computed."""
    pages = {
        "coissuing": ("coissuing.html", lambda: coissuing_html(report.data["coissuing"], joint_only=True)),
        "chains": ("chains.html", lambda: chains_page(report.data["chains"], lang=report.lang)),
        "reuse": ("reuse.html", lambda: reuse_page(report.data["reuse"], top=REUSE_PAGE_PAIRS, lang=report.lang)),
    }
    written = []
    for key, (name, draw) in pages.items():
        if key in report.data:
            write_text_atomic(out / name, draw())
            report.pages[key] = name
            written.append(out / name)
    return written


REUSE_PAGE_PAIRS = 50  # reused measures shown side by side in reuse.html (every one is in its CSV)


def _link_or_copy(source: Path, target: Path) -> None:
    """A file of the previous set in the new one: a hard link (files of a set are never
    changed once it is made), or a copy across file systems."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno in NO_SPACE:
            raise
        shutil.copy2(source, target)
