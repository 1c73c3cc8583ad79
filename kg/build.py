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


def build(inputs: Iterable[str | Path], out: Optional[str | Path] = None, *,
          extract: bool = True, progress: bool = False,
          graph_formats: Iterable[str] = GRAPH_FORMATS, views: bool = True) -> BuildResult:
    """Parse (and extract) every document under ``inputs``; write outputs to ``out``:
    ``documents.json``, ``extractions.jsonl`` and the knowledge graph as ``graph.ttl``,
    ``graph.nt`` (and ``graph.jsonld`` if ``graph_formats`` names it) and, unless
    ``views=False``, the interactive ``graph.html`` and the analysis ``report.html``.

    A document that fails is recorded in ``errors`` and skipped; the others are built
    and written. Outputs are replaced atomically, and only if at least one document
    was built, so a failed run never destroys the previous build.
    """
    from kg.pipeline import extract as run_extraction
    from kg.pipeline import parse

    result = BuildResult()
    paths, problems = collect_paths(inputs)
    result.errors.extend(Problem(e.path, e.reason, "error") for e in problems)
    seen_ids: dict[str, str] = {}
    for path in _progress(paths, progress, "vetkg build"):
        try:
            parsed = parse(path)
        except DocumentError as exc:
            result.errors.append(Problem(exc.path, exc.reason, "error"))
            continue
        except Exception as exc:  # a bug must not sink the other documents
            result.errors.append(Problem(str(path), f"internal error while parsing: "
                                                    f"{type(exc).__name__}: {exc}", "error"))
            continue
        doc = parsed.document
        if doc.doc_id in seen_ids:
            result.errors.append(Problem(doc.path, f"duplicate document id {doc.doc_id!r} "
                                                   f"(also {seen_ids[doc.doc_id]}); skipped", "error"))
            continue
        seen_ids[doc.doc_id] = doc.path
        result.parsed.append(parsed)
        if extract:
            try:
                result.extractions.append(run_extraction(parsed))
            except Exception as exc:
                result.errors.append(Problem(doc.path, f"internal error while extracting: "
                                                       f"{type(exc).__name__}: {exc}", "error"))
    if out is not None and result.parsed:
        write_outputs(result, Path(out), graph_formats, views)
    return result


def write_outputs(result: BuildResult, out: Path,
                  graph_formats: Iterable[str] = GRAPH_FORMATS, views: bool = True) -> None:
    out.mkdir(parents=True, exist_ok=True)
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
        from kg.analytics.diffusion import add_similarity, similar_measures
        from kg.graph import build_graph, serialize

        result.graph = build_graph(result.extractions)
        add_similarity(result.graph, similar_measures(result.graph))  # policy diffusion links
        for fmt in dict.fromkeys(graph_formats):
            path = out / f"graph.{fmt}"
            write_text_atomic(path, serialize(result.graph, fmt))
            result.outputs.append(path)
        if views:
            write_views(result, out)


def write_views(result: BuildResult, out: Path) -> None:
    """``graph.html`` and the report; a graph with nothing to draw or analyse (documents
    without an outline) gets a warning instead, and the other outputs stand."""
    from kg import viz
    from kg.report import analyze, write_report
    from kg.sparql import QueryError

    try:
        result.outputs.append(viz.write_html(result.graph, out / "graph.html"))
    except viz.ViewError as exc:
        result.notes.append(Problem(str(out / "graph.html"), f"not written: {exc}"))
    try:
        write_report(analyze(result.graph), out)
        result.outputs.append(out / "report.html")
    except QueryError as exc:
        result.notes.append(Problem(str(out / "report.html"), f"not written: {exc}"))
