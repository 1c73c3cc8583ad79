"""vetkg — a knowledge-graph builder for Chinese vocational-education policy documents.

The stages, one module each, data flowing one way::

    read → parse (metadata, outline) → extract → resolve → graph → query / analyse / draw

Quick start::

    import kg
    graph = kg.build("seeds")                         # KnowledgeGraph (RDF, with provenance)
    graph.query("indicators")                         # a named SPARQL query → DataFrame
    graph.query("documents_citing", number="国办发〔2017〕95号")
    graph.analytics()["load_by_function_region"]      # report tables as DataFrames
    graph.show("responsibility")                      # the interactive graph in Jupyter
    graph = kg.load("build")                          # a saved build, without rebuilding

    doc = kg.read("seeds/001_4a76b483e918d52f.txt")   # the stages one by one
    parsed = kg.parse(doc)
    ex = kg.extract(parsed)
"""

# Submodules named like the API's functions are imported first: importing a submodule
# sets the package attribute, which the function imports below then replace for good.
import kg.corpus.build
import kg.extraction  # noqa: F401
from kg.api import KnowledgeGraph, build, load
from kg.core.model import Document, Extraction, Measure, Mention, Metadata, ParsedDocument, Problem, Relation, Span
from kg.core.version import __version__
from kg.corpus.build import BuildResult
from kg.errors import DocumentError
from kg.extraction import extract
from kg.parsing import parse
from kg.reading import read

__all__ = [
    "BuildResult",
    "Document",
    "DocumentError",
    "Extraction",
    "KnowledgeGraph",
    "Measure",
    "Mention",
    "Metadata",
    "ParsedDocument",
    "Problem",
    "Relation",
    "Span",
    "__version__",
    "build",
    "extract",
    "load",
    "parse",
    "read",
]
