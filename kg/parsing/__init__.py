"""Parsing stage: a document's metadata (title, 文号, issuer, region, date) and its
numbered outline (parts, sections, items, articles, task-list rows) as spans."""

from __future__ import annotations

from pathlib import Path

from kg.core.model import Document, ParsedDocument
from kg.parsing.metadata import extract_metadata
from kg.parsing.outline import parse_outline
from kg.reading import read


def parse(source: str | Path | Document) -> ParsedDocument:
    """Metadata and outline of one document (a path or an already read Document)."""
    doc = source if isinstance(source, Document) else read(source)
    meta = extract_metadata(doc)
    measures = parse_outline(doc, meta.body)
    return ParsedDocument(doc, meta, measures)


__all__ = ["parse"]
