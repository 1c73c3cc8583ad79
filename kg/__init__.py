"""vetkg — a knowledge-graph builder for Chinese vocational-education policy documents.

The stages, one module each, data flowing one way::

    reader (read) → metadata + outline (parse) → extract (mentions, relations) → build

Quick start::

    import kg
    doc = kg.read("seeds/001_4a76b483e918d52f.txt")        # Document: text, encoding, spans
    parsed = kg.parse(doc)                                  # metadata + measures
    ex = kg.extract(parsed)                                 # mentions and relations
    result = kg.build(["seeds"], out="build")               # many documents, outputs on disk
"""
from kg.build import BuildResult, build
from kg.model import (Document, Extraction, Measure, Mention, Metadata, ParsedDocument, Problem,
                      Relation, Span)
from kg.pipeline import extract, parse
from kg.reader import DocumentError, read

__version__ = "0.1.0"

__all__ = ["read", "parse", "extract", "build", "BuildResult", "Document", "DocumentError",
           "Extraction", "Measure", "Mention", "Metadata", "ParsedDocument", "Problem",
           "Relation", "Span", "__version__"]
