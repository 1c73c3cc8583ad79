"""The Python API over the whole journey: build or load a knowledge graph, query it,
analyse it, draw it, save it, score it.

:class:`KnowledgeGraph` is a thin façade: each method hands the built RDF graph to the
stage module that owns the job (:mod:`kg.sparql`, :mod:`kg.analytics`, :mod:`kg.viz`,
:mod:`kg.report`, :mod:`kg.evaluate`) and turns the answer into what a notebook wants
(pandas DataFrames with numbers as numbers and dates as dates).
"""
from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import rdflib

    from kg.build import BuildResult


class KnowledgeGraph:
    """A built (or loaded) knowledge graph.

    ``graph`` is the ``rdflib.Graph``; ``result`` the :class:`kg.build.BuildResult` when
    it was built in this process (documents, extractions, errors), else None.
    """

    def __init__(self, graph: "rdflib.Graph", result: Optional["BuildResult"] = None,
                 folder: Optional[Path] = None):
        self.graph = graph
        self.result = result
        self.folder = folder
        self._store = None

    def __repr__(self) -> str:
        docs = len(self.documents())
        return f"<KnowledgeGraph: {docs} document(s), {len(self.graph)} triples>"

    # --- what was built -----------------------------------------------------------------

    @property
    def errors(self) -> list:
        """Inputs that could not be built (empty for a loaded graph)."""
        return self.result.errors if self.result else []

    @property
    def extractions(self) -> list:
        """Per-document extraction records (only for a graph built in this process)."""
        return self.result.extractions if self.result else []

    def documents(self) -> "pandas.DataFrame":
        """One row per built document: title, 文号, issuer, region, level, date, measures."""
        return self.query("documents")

    # --- SPARQL ---------------------------------------------------------------------------

    def query(self, query: str, **bindings) -> "pandas.DataFrame":
        """Run a named query (``"indicators"``) or SPARQL text; keyword arguments bind
        variables as RDF terms (``kg.query("documents_citing", number="国办发〔2017〕95号")``)."""
        from kg import sparql

        if self._store is None:
            self._store = sparql.RdflibStore(self.graph)
        named = sparql.named_queries().get(query)
        result = sparql.run(self._store, named or query, {k: str(v) for k, v in bindings.items()})
        if result.boolean is not None:
            import pandas as pd

            return pd.DataFrame({"boolean": [result.boolean]})
        return to_dataframe(result)

    # --- analytics --------------------------------------------------------------------------

    def to_networkx(self, view: str = "full"):
        """The networkx graph of a view (``full``, ``responsibility``, ``citations``,
        ``diffusion``, ``document:ID``) or of a projection (``co_responsibility``,
        ``support``, ``keywords``)."""
        from kg import analytics, viz

        projections = {"co_responsibility": analytics.co_responsibility_graph,
                       "support": analytics.support_graph, "keywords": analytics.keyword_graph}
        if view in projections:
            return projections[view](self.graph)
        return viz.view_graph(self.graph, view)

    def analytics(self) -> dict[str, "pandas.DataFrame"]:
        """Every table of the report by name (load_by_function_region, indicators,
        diffusion, department_centrality …)."""
        import pandas as pd

        from kg.report import analyze

        return {t.name: pd.DataFrame(t.rows, columns=t.columns or None) for t in analyze(self.graph).tables}

    def report(self, out: str | Path) -> Path:
        """Write report.html, report.md, tables and plots to ``out``."""
        from kg.report import analyze, write_report

        write_report(analyze(self.graph), out)
        return Path(out) / "report.html"

    # --- drawing ----------------------------------------------------------------------------

    def html(self, view: str = "full") -> str:
        """The offline interactive page of a view, as a string."""
        from kg import viz

        return viz.render(self.graph, view)

    def show(self, view: str = "full", height: int = 820):
        """The interactive graph inline in Jupyter (an iframe holding the offline page)."""
        import html as _html

        from IPython.display import HTML

        page = _html.escape(self.html(view), quote=True)
        return HTML(f'<iframe srcdoc="{page}" style="width:100%;height:{height}px;border:0"></iframe>')

    # --- files ------------------------------------------------------------------------------

    def save(self, folder: str | Path, formats: Iterable[str] = ("ttl", "nt")) -> list[Path]:
        """Write the graph in ``formats`` (ttl, nt, jsonld) to ``folder``."""
        from kg.atomic import write_text_atomic
        from kg.graph import serialize

        out = []
        for fmt in dict.fromkeys(formats):
            path = Path(folder) / f"graph.{fmt}"
            write_text_atomic(path, serialize(self.graph, fmt))
            out.append(path)
        return out

    # --- scoring ----------------------------------------------------------------------------

    def evaluate(self, gold_dir: str | Path):
        """Score the extractions against gold files (GUIDELINES "Scoring"); returns the
        :class:`kg.evaluate.Report` (``.micro``, ``.documents``, ``.table()``)."""
        from kg.annotation import as_annotation
        from kg.evaluate import evaluate, load_gold

        if not self.extractions:
            raise ValueError("evaluate() needs the extractions: build the graph with kg.build()")
        predictions = {e.document.doc_id: as_annotation(e) for e in self.extractions}
        return evaluate(load_gold(gold_dir), predictions)


def to_dataframe(result) -> "pandas.DataFrame":
    """A SPARQL result as a DataFrame: integers and decimals as numbers, xsd:date as
    datetime64, missing values as NA."""
    import pandas as pd

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


def build(inputs: str | Path | Iterable[str | Path], out: Optional[str | Path] = None,
          **options) -> KnowledgeGraph:
    """Build the knowledge graph of files and folders (``.txt``, ``.html``, ``.pdf``,
    ``.docx``); with ``out``, also write every output there (see ``vetkg build``)."""
    from kg.build import build as run_build
    from kg.build import corpus_graph

    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    result = run_build(list(inputs), out, **options)
    if result.graph is None:
        result.graph = corpus_graph(result.extractions)
    return KnowledgeGraph(result.graph, result, Path(out) if out else None)


def load(folder: str | Path = "build") -> KnowledgeGraph:
    """Open a saved build (its ``graph.nt``) without rebuilding."""
    from kg.sparql import load_graph

    return KnowledgeGraph(load_graph(folder), None, Path(folder))
