"""The stages wired together: read → metadata and outline → extraction."""
from __future__ import annotations

from pathlib import Path

from kg.metadata import extract_metadata
from kg.model import Document, Extraction, ParsedDocument
from kg.outline import parse_outline
from kg.reader import read


def parse(source: str | Path | Document) -> ParsedDocument:
    """Metadata and outline of one document (a path or an already read Document)."""
    doc = source if isinstance(source, Document) else read(source)
    meta = extract_metadata(doc)
    measures = parse_outline(doc, meta.body)
    return ParsedDocument(doc, meta, measures)


def extract(source: str | Path | Document | ParsedDocument, *, keywords: bool = True
            ) -> Extraction:
    """Mentions and relations of one document, each with provenance (and, unless
    ``keywords=False``, topic keywords per measure)."""
    from kg.extract import extract_all

    parsed = source if isinstance(source, ParsedDocument) else parse(source)
    return extract_all(parsed, keywords=keywords)
