"""Build many documents: parse each, keep going past bad ones, write outputs atomically."""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from kg.atomic import write_text_atomic
from kg.model import Extraction, ParsedDocument, Problem
from kg.reader import DocumentError, collect_paths


@dataclass
class BuildResult:
    """What a build produced: parsed documents, their extractions, and every problem."""

    parsed: list[ParsedDocument] = field(default_factory=list)
    extractions: list[Extraction] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    graph: Optional[object] = None  # the rdflib.Graph, once written
    notes: list[Problem] = field(default_factory=list)  # warnings about the outputs
    cache_hits: int = 0  # documents read back from the extraction cache
    cache_misses: int = 0  # documents extracted in this run (with a cache)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def warnings(self) -> list[Problem]:
        return [w for p in self.parsed for w in p.document.warnings] + self.notes

    def by_id(self) -> dict[str, Extraction]:
        return {e.document.doc_id: e for e in self.extractions}


def _progress(items: list, enabled: bool, desc: str):
    if not enabled or len(items) < 2:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="doc", file=sys.stderr, leave=False)


GRAPH_FORMATS = ("ttl", "nt")  # always written; "jsonld" on request
MIN_PARALLEL = 8  # documents to extract before a process pool is worth starting


def build(inputs: Iterable[str | Path], out: Optional[str | Path] = None, *,
          extract: bool = True, progress: bool = False,
          graph_formats: Iterable[str] = GRAPH_FORMATS, views: bool = True,
          jobs: int = 1, cache: Optional[str | Path] = None) -> BuildResult:
    """Parse (and extract) every document under ``inputs``; write outputs to ``out``:
    ``documents.json``, ``extractions.jsonl`` and the knowledge graph as ``graph.ttl``,
    ``graph.nt`` (and ``graph.jsonld`` if ``graph_formats`` names it) and, unless
    ``views=False``, the interactive ``graph.html`` and the analysis ``report.html``.

    ``jobs`` > 1 extracts documents in a process pool (the outputs are identical to
    ``jobs=1``); ``cache`` is a folder of per-document extractions keyed by content and
    extractor (:mod:`kg.cache`), so a rebuild re-extracts only what changed.

    A document that fails is recorded in ``errors`` and skipped; the others are built
    and written. Outputs are replaced atomically, and only if at least one document
    was built, so a failed run never destroys the previous build.
    """
    from kg.cache import ExtractionCache

    result = BuildResult()
    paths, problems = collect_paths(inputs)
    result.errors.extend(Problem(e.path, e.reason, "error") for e in problems)
    store = ExtractionCache(cache) if cache is not None and extract else None
    done: dict[int, tuple] = {}  # position → (parsed, extraction, problem)
    todo: list[int] = []
    keys: dict[int, str] = {}
    for i, path in enumerate(paths):
        if store is not None:
            try:
                keys[i] = store.key(Path(path), Path(path).read_bytes())
            except OSError:
                keys[i] = ""
            hit = store.get(keys[i], Path(path)) if keys[i] else None
            if hit is not None:
                done[i] = (hit.parsed, hit, None)
                continue
        todo.append(i)
    for i, outcome in zip(todo, _run(process_document, [(paths[i], extract) for i in todo], jobs,
                                     progress)):
        done[i] = outcome
        if store is not None and keys.get(i) and outcome[1] is not None:
            store.put(keys[i], outcome[1])
    if store is not None:
        result.cache_hits, result.cache_misses = store.hits, len(todo)
    seen_ids: dict[str, str] = {}
    for i in range(len(paths)):
        parsed, extraction, problem = done[i]
        if problem is not None:
            result.errors.append(problem)
        if parsed is None:
            continue
        doc = parsed.document
        if doc.doc_id in seen_ids:
            result.errors.append(Problem(doc.path, f"duplicate document id {doc.doc_id!r} "
                                                   f"(also {seen_ids[doc.doc_id]}); skipped", "error"))
            continue
        seen_ids[doc.doc_id] = doc.path
        result.parsed.append(parsed)
        if extraction is not None:
            result.extractions.append(extraction)
    if out is not None and result.parsed:
        write_outputs(result, Path(out), graph_formats, views)
    return result


def process_document(path: str | Path, extract: bool = True
                     ) -> tuple[Optional[ParsedDocument], Optional[Extraction], Optional[Problem]]:
    """The per-document stage, a pure function of the file: read, parse and extract one
    document. Returns ``(parsed, extraction, problem)``; a bad file or an internal error
    is a Problem, never an exception, so one document cannot sink a build."""
    from kg.pipeline import extract as run_extraction
    from kg.pipeline import parse

    try:
        parsed = parse(path)
    except DocumentError as exc:
        return None, None, Problem(exc.path, exc.reason, "error")
    except Exception as exc:  # a bug must not sink the other documents
        return None, None, Problem(str(path), f"internal error while parsing: "
                                              f"{type(exc).__name__}: {exc}", "error")
    if not extract:
        return parsed, None, None
    try:
        return parsed, run_extraction(parsed), None
    except Exception as exc:
        return parsed, None, Problem(parsed.document.path, f"internal error while extracting: "
                                                           f"{type(exc).__name__}: {exc}", "error")


def _call(args):
    fn, a = args
    result = fn(*a)
    parsed = result[0]
    if parsed is not None:
        parsed.document._view = None  # rebuilt on demand; not worth sending between processes
    return result


def _run(fn, args: list[tuple], jobs: int, progress: bool) -> list:
    """``fn(*a)`` for every ``a``, in order; in a process pool when ``jobs`` > 1 and there
    is enough work to pay for the workers' start-up."""
    if jobs <= 1 or len(args) < MIN_PARALLEL:
        return [fn(*a) for a in _progress(args, progress, "vetkg build")]
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    from kg.pipeline import warm_up

    warm_up()  # load the gazetteer and dictionaries once; forked workers share them
    context = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=min(jobs, len(args)), mp_context=context) as pool:
        mapped = pool.map(_call, [(fn, a) for a in args], chunksize=max(1, len(args) // (jobs * 16)))
        return list(_progress_iter(mapped, len(args), progress))


def _progress_iter(items, total: int, enabled: bool):
    if not enabled or total < 2:
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, desc="vetkg build", unit="doc", file=sys.stderr, leave=False)


def write_outputs(result: BuildResult, out: Path,
                  graph_formats: Iterable[str] = GRAPH_FORMATS, views: bool = True) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(".*.tmp"):  # left by a build that was killed while writing
        stale.unlink(missing_ok=True)
    docs = [p.to_json() for p in result.parsed]
    path = out / "documents.json"
    write_text_atomic(path, json.dumps(docs, ensure_ascii=False, indent=1) + "\n")
    result.outputs.append(path)
    if result.extractions:
        lines = [json.dumps(rec, ensure_ascii=False) for ex in result.extractions
                 for rec in ex.records()]
        path = out / "extractions.jsonl"
        write_text_atomic(path, "\n".join(lines) + ("\n" if lines else ""))
        result.outputs.append(path)
        from kg.graph import serialize

        result.graph = corpus_graph(result.extractions)
        for fmt in dict.fromkeys(graph_formats):
            path = out / f"graph.{fmt}"
            write_text_atomic(path, serialize(result.graph, fmt))
            result.outputs.append(path)
        if views:
            write_views(result, out)


def corpus_graph(extractions: list[Extraction]):
    """The knowledge graph of a corpus: the extractions' graph plus the policy-diffusion
    links between its documents."""
    from kg.analytics.diffusion import add_similarity, similar_measures
    from kg.graph import build_graph

    graph = build_graph(extractions)
    add_similarity(graph, similar_measures(graph))
    return graph


def write_views(result: BuildResult, out: Path) -> None:
    """``graph.html`` and the report; a graph with nothing to draw or analyse (documents
    without an outline) gets a warning instead, and the other outputs stand."""
    from kg import viz
    from kg.report import analyze, write_report
    from kg.sparql import QueryError

    try:
        result.outputs.append(viz.write_html(result.graph, out / "graph.html", max_nodes=viz.MAX_PAGE_NODES))
    except viz.ViewError as exc:
        result.notes.append(Problem(str(out / "graph.html"), f"not written: {exc}"))
    try:
        write_report(analyze(result.graph), out)
        result.outputs.append(out / "report.html")
    except QueryError as exc:
        result.notes.append(Problem(str(out / "report.html"), f"not written: {exc}"))
