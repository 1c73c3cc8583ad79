"""Build many documents: parse each, keep going past bad ones, write outputs atomically.

The per-document stage (:func:`build_document`: read → parse → extract → the document's
part of the graph) is a pure function of one file and runs in a process pool. Its
outcomes stream, in input order, into the output files, so memory does not grow with the
corpus: the build keeps only what needs the whole corpus (shared entities, citations to
resolve, the measures' MinHash sketches), and the records only when asked (``keep``).
Whatever the corpus size, the graph is bulk-loaded into the on-disk Oxigraph store
``graph.oxigraph/`` while ``graph.nt`` is written, a rebuild copies unchanged documents'
bytes and updates the store in place (:mod:`kg.corpus.incremental`), and the views read
the store. No size threshold changes the path.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import shutil
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from kg import viz
from kg.analytics.report import analyze, write_report
from kg.analytics.source import OxigraphSource
from kg.core.atomic import AtomicFile, write_text_atomic
from kg.core.model import Extraction, ParsedDocument, Problem
from kg.core.processes import die_with_parent
from kg.corpus.cache import OutcomeCache, fingerprint
from kg.corpus.graph import CorpusGraph, TextSink
from kg.corpus.incremental import MANIFEST, UPDATING, Manifest, Previous, update_store
from kg.errors import DocumentError, QueryError, StoreError, ViewError
from kg.extraction import extract as run_extraction
from kg.extraction import warm_up
from kg.parsing import parse
from kg.rdf.mapping import DocumentGraph, document_graph, iri, load_rdflib, serialize
from kg.reading import collect_paths
from kg.resolution.similarity import sketch
from kg.store import OxigraphStore
from kg.store.loader import StoreLoad, load_store

GRAPH_FORMATS = ("nt",)  # always; "ttl" and "jsonld" on request
VIEWS_STAMP = ".vetkg-views.json"  # the graph digest the views in a folder were drawn from
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
) -> BuildResult:
    """Parse (and extract) every document under ``inputs``; write outputs to ``out``:
    ``documents.json``, ``extractions.jsonl``, the knowledge graph as ``graph.nt``
    (``graph.ttl``, ``graph.jsonld`` if ``graph_formats`` names them) bulk-loaded into the
    Oxigraph store ``graph.oxigraph/`` and, unless ``views=False``, the analysis
    ``report.html`` and the interactive ``graph.html`` (redrawn only when the graph changed).

    ``jobs`` > 1 runs the per-document stage in a process pool (outputs identical to
    ``jobs=1``); ``cache`` is a folder of per-document outcomes keyed by content and
    extractor (:mod:`kg.corpus.cache`), so a rebuild redoes only what changed. ``keep`` keeps
    the parsed documents and extractions in the result (memory grows with the corpus).

    A document that fails is recorded in ``errors`` and skipped; the others are built
    and written. Outputs are replaced atomically, and only if at least one document
    was built, so a failed run never destroys the previous build.
    """
    result = BuildResult()
    paths, problems = collect_paths(inputs)
    result.errors.extend(Problem(e.path, e.reason, "error") for e in problems)
    formats = list(dict.fromkeys([*GRAPH_FORMATS, *(graph_formats or ())]))
    previous = None
    if out is not None and cache is not None and extract:
        previous = Previous.open(Path(out), fingerprint(), _text_formats(formats))
    reusable = frozenset(previous.manifest.documents) if previous is not None else frozenset()
    stream = _outcomes(paths, extract, out is not None, "ttl" in formats, jobs, cache, keep, progress, result, reusable)
    if out is None:
        seen: dict = {}
        for outcome in stream:
            _collect(result, outcome, keep, seen)
        return result
    try:
        _write(result, stream, Path(out), formats, keep, extract, previous)
    finally:
        if previous is not None:
            previous.close()
    if views and result.triples and result.store is not None:
        write_views(result, Path(out))
    return result


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
        return None, None, Problem(exc.path, exc.reason, "error")
    except Exception as exc:  # a bug must not sink the other documents
        return None, None, Problem(str(path), f"internal error while parsing: {type(exc).__name__}: {exc}", "error")
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


def build_document(path: str | Path, extract: bool = True, graph: bool = True, turtle: bool = True) -> DocumentOutcome:
    """The whole per-document stage, a pure function of the file: :func:`process_document`
    plus the document's entry in ``documents.json``, its extraction records and its part
    of the graph (:func:`kg.rdf.mapping.document_graph`)."""
    parsed, extraction, problem = process_document(path, extract)
    outcome = DocumentOutcome(str(path), parsed, extraction, problem)
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
            outcome.graph.sketches = sketch(outcome.graph.texts)
            outcome.graph.texts = []  # the sketches are what travels
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
    outcome = store.get(key, path, texts=not reuse) if store is not None and key else None
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
    if reusable and cache is not None and _all_reusable(paths, OutcomeCache(cache), reusable):
        jobs = 1  # every outcome is a head to read: no workers to start, nothing to warm up
    if jobs <= 1 or len(args) < MIN_PARALLEL:
        mapped = map(_task, args)
    else:
        mapped = _pool_map(_task, args, jobs, _start_worker, (reusable,))
    for outcome, hit in _progress(mapped, len(args), progress):
        if cache is not None:
            result.cache_hits += hit
            result.cache_misses += not hit
        yield outcome
    _set_reusable(frozenset())


def _all_reusable(paths: list, cache: OutcomeCache, reusable: frozenset) -> bool:
    """Whether the previous build holds every file's outputs (keys hash the bytes: cheap)."""
    return all(cache.key(Path(p)) in reusable for p in paths)


def _pool_map(fn, args: list, jobs: int, initializer=None, initargs: tuple = ()) -> Iterator:
    """``fn(a)`` for every ``a``, in order, from a pool of forked workers; at most
    ``IN_FLIGHT`` results per worker wait to be consumed, so memory stays flat."""
    warm_up()  # load the gazetteer and dictionaries once; forked workers share them
    context = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(args)), mp_context=context, initializer=initializer, initargs=initargs
    ) as pool:
        pending: deque = deque()
        todo = iter(args)
        for a in todo:
            pending.append(pool.submit(fn, a))
            if len(pending) >= jobs * IN_FLIGHT:
                break
        while pending:
            done = pending.popleft().result()
            nxt = next(todo, None)
            if nxt is not None:
                pending.append(pool.submit(fn, nxt))
            yield done


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
) -> None:
    """Stream the outcomes into the output files; commit them only if a document was
    built (a failed run leaves the previous build as it was). A large corpus's store is
    loaded while the files are written, or, when the previous build's store is sound,
    updated in place after (:mod:`kg.corpus.incremental`)."""

    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(".*.tmp"):  # left by a build that was killed while writing
        stale.unlink(missing_ok=True)
    for stale in out.glob(".graph.oxigraph.*"):  # ... or while loading a store
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
    text_formats = _text_formats(formats)
    files = {"documents": AtomicFile(out / "documents.json")}
    if extract:
        files["records"] = AtomicFile(out / "extractions.jsonl")
        for fmt in text_formats:
            files[fmt] = AtomicFile(out / f"graph.{fmt}")
    ranged = [k for k in ("documents", "records", *text_formats) if k in files]
    manifest = None
    if extract:  # what the next build (and `vetkg serve`) may reuse
        manifest = Manifest(fingerprint(), text_formats)
    loader = None
    if extract and not (previous is not None and previous.store_ok):
        loader = StoreLoad(out / "graph.oxigraph")
    try:
        sinks: dict[str, TextSink] = {f: files[f] for f in text_formats}
        if loader is not None:
            sinks["nt"] = _Tee(files["nt"], loader)
        corpus = CorpusGraph(sinks) if extract else None
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
            corpus = None  # its sketches and entities: freed before the store is finished
        if not result.documents:
            for f in files.values():
                f.discard()
            if loader is not None:
                loader.discard()
            return
        (out / MANIFEST).unlink(missing_ok=True)  # it describes the files about to be replaced
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
        return
    nt = out / "graph.nt"
    if "jsonld" in formats:  # made in memory by rdflib: asked for, whatever the size
        write_text_atomic(out / "graph.jsonld", serialize(load_rdflib(nt.read_text(encoding="utf-8")), "jsonld"))
        result.outputs.append(out / "graph.jsonld")
    _finish_store(result, out, loader, previous, manifest)
    if manifest is not None:
        manifest.store, manifest.triples, manifest.digest = result.store is not None, result.triples, result.digest
        manifest.write(out)


def _finish_store(result: BuildResult, out: Path, loader, previous, manifest) -> None:
    """Complete the store: the streamed load, or an in-place update of the previous
    build's store (a reload from ``graph.nt`` when much changed)."""
    triples = None  # known without counting after an update in place
    try:
        if loader is not None:
            result.store = loader.commit()
        else:
            triples = update_store(out, previous, manifest) if manifest is not None else None
            if triples is None:
                load_store(out / "graph.nt", out / "graph.oxigraph")
            result.store = out / "graph.oxigraph"
    except (StoreError, OSError, ValueError, SyntaxError) as exc:  # the files stand
        result.notes.append(Problem(str(out / "graph.oxigraph"), f"not written: {exc}"))
        return
    (out / UPDATING).unlink(missing_ok=True)  # whatever was left half-done, the store is whole now
    result.outputs.append(result.store)
    result.triples = triples if triples is not None else len(OxigraphStore.open(result.store))


class _Tee:
    """A text sink that writes to several byte sinks (``graph.nt`` and the store loader)."""

    def __init__(self, *sinks):
        self.sinks = sinks

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        for sink in self.sinks:
            sink.write_bytes(data)


def write_views(result: BuildResult, out: Path) -> None:
    """``report.html`` and ``graph.html``, read from the build's store — redrawn only when
    the graph changed since they were drawn (a stamp holds the graph's digest); a graph
    with nothing to draw or analyse gets a warning instead, and the other outputs stand."""
    stamp = out / VIEWS_STAMP
    try:
        drawn = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        drawn = {}
    if (
        result.digest
        and drawn.get("digest") == result.digest
        and all((out / name).is_file() for name in drawn.get("outputs", ()))
    ):
        result.outputs += [out / name for name in drawn["outputs"]]
        return
    stamp.unlink(missing_ok=True)
    assert result.store is not None
    source = OxigraphSource.open(result.store)
    written: list[Path] = []
    try:
        written.append(viz.write_html(source, out / "graph.html", max_nodes=viz.MAX_PAGE_NODES))
    except ViewError as exc:
        result.notes.append(Problem(str(out / "graph.html"), f"not written: {exc}"))
    try:
        write_report(analyze(source), out)
        written.append(out / "report.html")
    except QueryError as exc:
        result.notes.append(Problem(str(out / "report.html"), f"not written: {exc}"))
    result.outputs += written
    if result.digest:
        write_text_atomic(stamp, json.dumps({"digest": result.digest, "outputs": [p.name for p in written]}))
