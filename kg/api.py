"""The Python API over the whole journey: build or load a knowledge graph, query it,
analyse it, draw it, save it, score it.

:class:`KnowledgeGraph` is a thin façade over the graph's Oxigraph store: each method hands
the store to the stage that owns the job (:mod:`kg.store`, :mod:`kg.analytics`,
:mod:`kg.viz`, :mod:`kg.evaluation`) and turns the answer into what a notebook wants
(pandas DataFrames with numbers as numbers and dates as dates). ``graph`` is an rdflib view
made on demand, for what rdflib is best at (SHACL, JSON-LD, Python-side triple walking).
"""

from __future__ import annotations

import datetime
import html as _html
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import rdflib

from kg import analytics, viz
from kg.analytics.report import analyze, write_report
from kg.analytics.source import OxigraphSource
from kg.core.atomic import write_text_atomic
from kg.core.model import Extraction
from kg.corpus.build import BuildResult
from kg.corpus.build import build as run_build
from kg.corpus.graph import graph_text
from kg.corpus.incremental import sound_store
from kg.errors import VetkgError
from kg.evaluation.annotation import as_annotation
from kg.evaluation.scoring import Report, evaluate, load_gold
from kg.rdf.mapping import load_rdflib, serialize
from kg.store import OxigraphStore, Result, graph_file, named_queries, run


class KnowledgeGraph:
    """A built (or loaded) knowledge graph in an Oxigraph store.

    ``store`` is the :class:`kg.store.OxigraphStore`; ``result`` the
    :class:`kg.corpus.build.BuildResult` when it was built in this process (documents,
    extractions, errors), else None.
    """

    def __init__(self, store: OxigraphStore, result: BuildResult | None = None, folder: Path | None = None):
        self.store = store
        self.result = result
        self.folder = folder
        self._rdflib: rdflib.Graph | None = None

    def __repr__(self) -> str:
        docs = len(self.documents())
        return f"<KnowledgeGraph: {docs} document(s), {len(self.store)} triples>"

    def __len__(self) -> int:
        return len(self.store)

    @property
    def graph(self) -> rdflib.Graph:
        """The graph as an ``rdflib.Graph`` (a copy made on first use)."""
        if self._rdflib is None:
            self._rdflib = load_rdflib(self.store.ntriples().decode("utf-8"))
        return self._rdflib

    # --- what was built -----------------------------------------------------------------

    @property
    def errors(self) -> list:
        """Inputs that could not be built (empty for a loaded graph)."""
        return self.result.errors if self.result else []

    @property
    def extractions(self) -> list[Extraction]:
        """Per-document extraction records (only for a graph built in this process)."""
        return self.result.extractions if self.result else []

    def documents(self) -> pd.DataFrame:
        """One row per built document: title, 文号, issuer, region, level, date, measures."""
        return self.query("documents")

    # --- SPARQL ---------------------------------------------------------------------------

    def query(self, query: str, **bindings: Any) -> pd.DataFrame:
        """Run a named query (``"indicators"``) or SPARQL text; keyword arguments bind
        variables as RDF terms (``kg.query("documents_citing", number="国办发〔2017〕95号")``)."""
        named = named_queries().get(query)
        result = run(self.store, named or query, {k: str(v) for k, v in bindings.items()})
        if result.boolean is not None:
            return pd.DataFrame({"boolean": [result.boolean]})
        return to_dataframe(result)

    # --- analytics --------------------------------------------------------------------------

    def to_networkx(self, view: str = "full") -> nx.Graph:
        """The networkx graph of a view (``full``, ``responsibility``, ``citations``,
        ``diffusion``, ``document:ID``) or of a projection (``co_responsibility``,
        ``support``, ``keywords``)."""
        projections = {
            "co_responsibility": analytics.co_responsibility_graph,
            "support": analytics.support_graph,
            "keywords": analytics.keyword_graph,
        }
        if view in projections:
            return projections[view](self._source())
        return viz.view_graph(self._source(), view)

    def analytics(self) -> dict[str, pd.DataFrame]:
        """Every table of the report by name (load_by_function_region, indicators,
        diffusion, department_centrality …)."""
        return {t.name: pd.DataFrame(t.rows, columns=t.columns or None) for t in analyze(self._source()).tables}

    def report(self, out: str | Path, lang: str = "zh") -> Path:
        """Write report.html, report.md, tables and plots to ``out``, labelled for a
        reader of ``lang`` (``zh`` or ``en``)."""
        write_report(analyze(self._source(), lang=lang), out)
        return Path(out) / "report.html"

    def _source(self) -> OxigraphSource:
        return OxigraphSource(self.store.store)

    # --- drawing ----------------------------------------------------------------------------

    def html(self, view: str = "full") -> str:
        """The offline interactive page of a view, as a string."""
        return viz.render(self._source(), view)

    def show(self, view: str = "full", height: int = 820) -> Any:
        """The interactive graph inline in Jupyter (an iframe holding the offline page)."""
        from IPython.display import HTML  # deferred: only in a notebook, where IPython is

        page = _html.escape(self.html(view), quote=True)
        return HTML(f'<iframe srcdoc="{page}" style="width:100%;height:{height}px;border:0"></iframe>')

    # --- files ------------------------------------------------------------------------------

    def save(self, folder: str | Path, formats: Iterable[str] = ("ttl", "nt")) -> list[Path]:
        """Write the graph in ``formats`` (ttl, nt, jsonld) to ``folder``."""
        out = []
        for fmt in dict.fromkeys(formats):
            path = Path(folder) / f"graph.{fmt}"
            write_text_atomic(path, serialize(self.graph, fmt))
            out.append(path)
        return out

    # --- scoring ----------------------------------------------------------------------------

    def evaluate(self, gold_dir: str | Path) -> Report:
        """Score the extractions against gold files (docs/annotation.md, Scoring); returns the
        :class:`kg.evaluation.scoring.Report` (``.micro``, ``.documents``, ``.table()``)."""
        if not self.extractions:
            raise ValueError("evaluate() needs the extractions: build the graph with kg.build()")
        predictions = {e.document.doc_id: as_annotation(e) for e in self.extractions}
        return evaluate(load_gold(gold_dir), predictions)


def to_dataframe(result: Result) -> pd.DataFrame:
    """A SPARQL result as a DataFrame: integers and decimals as numbers, xsd:date as
    datetime64, missing values as NA."""
    rows = result.values()
    columns = {}
    for i, col in enumerate(result.columns):
        cells = [row[i] for row in rows]
        values = [v for v in cells if v is not None]
        if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            columns[col] = pd.array(cells, dtype="Int64")
        elif values and all(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) for v in values):
            columns[col] = pd.array([None if v is None else float(v) for v in cells], dtype="Float64")
        elif values and all(isinstance(v, datetime.date) for v in values):
            columns[col] = pd.to_datetime(pd.Series(cells, dtype="object"))
        else:
            columns[col] = pd.Series(cells, dtype="object")
    return pd.DataFrame(columns, columns=result.columns)


def build(inputs: str | Path | Iterable[str | Path], out: str | Path | None = None, **options: Any) -> KnowledgeGraph:
    """Build the knowledge graph of files and folders (``.txt``, ``.html``, ``.pdf``,
    ``.docx``); with ``out``, also write every output there (see ``vetkg build``), the
    report labelled in ``lang="zh"`` (default) or ``"en"``. The records are kept
    (``graph.extractions``) unless ``keep=False``."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    options.setdefault("keep", True)
    strict = options.pop("strict", False)  # an invariant that does not hold: an error, the outputs written
    result = run_build(list(inputs), out, **options)
    if strict and result.violations:
        broken = "; ".join(f"{v.invariant} ({v.count})" for v in result.violations)
        raise VetkgError(f"the graph breaks {len(result.violations)} of its invariants: {broken}")
    if result.store is not None:
        store = OxigraphStore.open(result.store)
    elif out is not None and (Path(out) / "graph.nt").is_file():
        store = OxigraphStore.from_file(Path(out) / "graph.nt")
    else:
        store = OxigraphStore.from_ntriples(graph_text(result.extractions))
    return KnowledgeGraph(store, result, Path(out) if out else None)


def load(folder: str | Path = "build") -> KnowledgeGraph:
    """Open a saved build without rebuilding: its own store when it matches its files,
    else its ``graph.nt`` loaded into memory."""
    built = sound_store(folder)
    store = OxigraphStore.open(built) if built is not None else OxigraphStore.from_file(graph_file(folder))
    return KnowledgeGraph(store, None, Path(folder))
